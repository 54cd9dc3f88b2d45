//! Offline sign-in keeps the server's rules where the PC can know them:
//! five wrong passwords lock the account on this PC for 15 minutes, and an
//! account the clinic deactivated (as synced to this PC) is refused and
//! forgotten. Needs a secret service, like `desktop_core`.

use clinic_tests::pcs::desk_core;
use clinic_tests::staff::DOCTOR_PASSWORD;
use clinic_tests::{OWNER_PASSWORD, TestApp};
use contract::app::CommandCode;
use serde_json::json;

const OFFLINE: &str = "http://127.0.0.1:9";

#[tokio::test]
async fn five_wrong_passwords_lock_offline_sign_in_on_this_pc() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Offline Lock Clinic").await;
    let doctor = app.doctor(&clinic, "dr.lock@example.org", "KA-31001").await;
    let dir = tempfile::tempdir().expect("dir");
    let online = desk_core(dir.path(), &app.base);
    online
        .sign_in(&clinic.code, &doctor.email, DOCTOR_PASSWORD)
        .await
        .expect("online once");
    online.sign_out().await.expect("sign out");
    drop(online);

    let offline = desk_core(dir.path(), OFFLINE);
    for attempt in 1..=4 {
        let wrong = offline
            .sign_in(&clinic.code, &doctor.email, "Not-The-Password-1")
            .await
            .expect_err("wrong password");
        assert_eq!(wrong.code, CommandCode::InvalidCredentials, "attempt {attempt}");
    }
    let fifth = offline
        .sign_in(&clinic.code, &doctor.email, "Not-The-Password-1")
        .await
        .expect_err("locked");
    assert_eq!(fifth.code, CommandCode::RateLimited);
    let right_but_locked = offline
        .sign_in(&clinic.code, &doctor.email, DOCTOR_PASSWORD)
        .await
        .expect_err("still locked");
    assert_eq!(right_but_locked.code, CommandCode::RateLimited);
    assert!(
        right_but_locked.message.contains("minutes"),
        "{}",
        right_but_locked.message
    );
}

#[tokio::test]
async fn an_account_the_clinic_deactivated_cannot_sign_in_offline() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Offline Deactivation Clinic").await;
    let doctor = app.doctor(&clinic, "dr.leaving@example.org", "KA-31002").await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &app.base);
    pc.sign_in(&clinic.code, &doctor.email, DOCTOR_PASSWORD)
        .await
        .expect("doctor online once");
    pc.sign_out().await.expect("sign out");

    let off = app
        .patch(
            &format!("/doctors/{}", doctor.doctor_id()),
            &json!({"is_active": false}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(off.status, reqwest::StatusCode::OK, "{:?}", off.body);
    // The owner works on the same PC: the PC pulls the clinic's users.
    pc.sign_in(&clinic.code, &clinic.owner_email, OWNER_PASSWORD)
        .await
        .expect("owner online");
    pc.sync_now().await.expect("sync");
    let synced = wait_for_pull(&pc, &app, clinic.tenant_id).await;
    assert!(synced, "the owner's PC pulled the change");
    pc.sign_out().await.expect("sign out");
    drop(pc);

    let offline = desk_core(dir.path(), OFFLINE);
    let refused = offline
        .sign_in(&clinic.code, &doctor.email, DOCTOR_PASSWORD)
        .await
        .expect_err("deactivated");
    assert_eq!(refused.code, CommandCode::InvalidCredentials);
    assert!(refused.message.contains("deactivated"), "{}", refused.message);
    let forgotten = offline
        .sign_in(&clinic.code, &doctor.email, DOCTOR_PASSWORD)
        .await
        .expect_err("no verifier left");
    assert_eq!(forgotten.code, CommandCode::UnknownOfflineUser);
    // The owner still signs in offline on this PC.
    offline
        .sign_in(&clinic.code, &clinic.owner_email, OWNER_PASSWORD)
        .await
        .expect("owner offline");
}

/// A role an admin changed reaches offline sign-in with the clinic's
/// users: signed in offline, the promoted nurse is an admin (and a
/// demoted one would lose the admin screens) without going online first.
#[tokio::test]
async fn an_offline_sign_in_takes_the_role_the_clinic_last_synced() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Offline Role Clinic").await;
    let nurse = app
        .staff_member(&clinic, "nurse", "nurse.rises@example.org")
        .await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &app.base);
    let online = pc
        .sign_in(&clinic.code, &nurse.email, DOCTOR_PASSWORD)
        .await
        .expect("nurse online once");
    assert_eq!(online.user.role, domain::user::Role::Nurse);
    pc.sign_out().await.expect("sign out");

    let promoted = app
        .patch(
            &format!("/staff/{}", nurse.user_id),
            &json!({"role": "admin"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(promoted.status, reqwest::StatusCode::OK, "{:?}", promoted.body);
    pc.sign_in(&clinic.code, &clinic.owner_email, OWNER_PASSWORD)
        .await
        .expect("owner online");
    pc.sync_now().await.expect("sync");
    assert!(
        wait_for_pull(&pc, &app, clinic.tenant_id).await,
        "the PC pulled the change"
    );
    pc.sign_out().await.expect("sign out");
    drop(pc);

    let offline = desk_core(dir.path(), OFFLINE);
    let session = offline
        .sign_in(&clinic.code, &nurse.email, DOCTOR_PASSWORD)
        .await
        .expect("signed in offline");
    assert!(session.offline);
    assert_eq!(session.user.role, domain::user::Role::Admin);
}

/// Waits (up to 20 s) until the signed-in PC has pulled the clinic's
/// latest change.
async fn wait_for_pull(pc: &client::app::AppCore, app: &TestApp, tenant: uuid::Uuid) -> bool {
    let latest: i64 = sqlx::query_scalar("SELECT last_seq FROM tenant_sync_state WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_one(&app.owner_pool)
        .await
        .expect("latest change");
    for _ in 0..200 {
        if let Ok(status) = pc.sync_status().await
            && status.cursor.is_some_and(|c| c >= latest)
        {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}
