//! An admin's list of the clinic's PCs and removing one: a removed PC is
//! refused at once on every route, its sign-ins end and it cannot sign in
//! again; other PCs and other clinics are untouched.

use clinic_tests::staff::DOCTOR_PASSWORD;
use clinic_tests::{OWNER_PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

const DOCTOR: &str = "dr.iyer@example.org";

fn entry(list: &Value, device: Uuid) -> Value {
    list.as_array()
        .and_then(|pcs| pcs.iter().find(|pc| pc["id"] == json!(device)))
        .cloned()
        .unwrap_or_else(|| panic!("{device} is listed: {list}"))
}

#[tokio::test]
async fn an_admin_lists_the_clinics_pcs_with_what_each_reported() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Listed PCs Clinic").await;
    let doctor = app.doctor(&clinic, DOCTOR, "KA-22001").await;
    let pulled = app
        .get(
            "/sync/pull?since=0&app_version=0.3.1&pending=4",
            Some(&doctor.access_token),
        )
        .await;
    assert_eq!(pulled.status, StatusCode::OK, "{:?}", pulled.body);

    let list = app.get("/devices", Some(&clinic.access_token)).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let theirs = entry(&list.body, doctor.device_id);
    assert_eq!(theirs["app_version"], "0.3.1");
    assert_eq!(theirs["pending_changes"], 4);
    assert_eq!(theirs["last_user_name"], "Dr Vikram Iyer");
    assert_eq!(theirs["this_pc"], false);
    assert_eq!(theirs["revoked_at"], Value::Null);
    assert!(theirs["clinic_seq"].as_i64() >= theirs["last_pulled_seq"].as_i64());
    assert_eq!(entry(&list.body, clinic.device_id)["this_pc"], true);

    // A report that is not a version is not kept; the last good one stays.
    let odd = app
        .get(
            "/sync/pull?since=0&app_version=%3Cb%3E&pending=2",
            Some(&doctor.access_token),
        )
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    let list = app.get("/devices", Some(&clinic.access_token)).await;
    let theirs = entry(&list.body, doctor.device_id);
    assert_eq!(
        (theirs["app_version"].clone(), theirs["pending_changes"].clone()),
        (json!("0.3.1"), json!(2))
    );

    let refused = app.get("/devices", Some(&doctor.access_token)).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
}

#[tokio::test]
async fn a_removed_pc_is_refused_everywhere_at_once_and_cannot_sign_in_again() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Removal Clinic").await;
    let doctor = app.doctor(&clinic, DOCTOR, "KA-22002").await;
    let revoke = |device: Uuid| format!("/devices/{device}/revoke");

    let by_doctor = app
        .post(&revoke(clinic.device_id), &json!({}), Some(&doctor.access_token))
        .await;
    assert_eq!(by_doctor.code(), "forbidden");
    let itself = app
        .post(&revoke(clinic.device_id), &json!({}), Some(&clinic.access_token))
        .await;
    assert_eq!((itself.status, itself.code()), (StatusCode::CONFLICT, "conflict"));
    let unknown = app
        .post(&revoke(Uuid::now_v7()), &json!({}), Some(&clinic.access_token))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let removed = app
        .post(&revoke(doctor.device_id), &json!({}), Some(&clinic.access_token))
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert!(removed.body["revoked_at"].is_string());

    // Every kind of request from the removed PC: the same answer.
    for path in ["/sync/pull?since=0", "/plans", "/tenant", "/doctors"] {
        let reply = app.get(path, Some(&doctor.access_token)).await;
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::FORBIDDEN, "device_revoked"),
            "{path}"
        );
    }
    let refreshed = app
        .post(
            "/auth/refresh",
            &json!({"refresh_token": doctor.refresh_token}),
            None,
        )
        .await;
    assert_eq!(refreshed.code(), "device_revoked");
    let again = app
        .login(&clinic.code, DOCTOR, DOCTOR_PASSWORD, doctor.device_id)
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::FORBIDDEN, "device_revoked")
    );
    let refresh_tokens_left: i64 =
        sqlx::query_scalar("SELECT count(*) FROM refresh_tokens WHERE device_id = $1 AND revoked_at IS NULL")
            .bind(doctor.device_id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("count");
    assert_eq!(refresh_tokens_left, 0, "its sign-ins ended at once");

    // The doctor signs in from another PC; the admin's PC carries on.
    let elsewhere = app
        .login(&clinic.code, DOCTOR, DOCTOR_PASSWORD, Uuid::now_v7())
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{:?}", elsewhere.body);
    let admin = app.get("/sync/pull?since=0", Some(&clinic.access_token)).await;
    assert_eq!(admin.status, StatusCode::OK);

    // Another clinic's admin cannot see or remove this clinic's PCs.
    let other = app.register_clinic("Other Clinic").await;
    let list = app.get("/devices", Some(&other.access_token)).await;
    assert!(!list.body.to_string().contains(&clinic.device_id.to_string()));
    let across = app
        .post(&revoke(clinic.device_id), &json!({}), Some(&other.access_token))
        .await;
    assert_eq!(across.status, StatusCode::NOT_FOUND);
    let owner = app
        .login(
            &clinic.code,
            &clinic.owner_email,
            OWNER_PASSWORD,
            clinic.device_id,
        )
        .await;
    assert_eq!(owner.status, StatusCode::OK, "{:?}", owner.body);
}

/// A pull checks its sign-in in the same statement that notes what the PC
/// reported: a pull refused for an ended sign-in must note nothing.
#[tokio::test]
async fn a_pull_from_an_ended_sign_in_is_refused_and_notes_nothing() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Ended Pull Clinic").await;
    let doctor = app.doctor(&clinic, DOCTOR, "KA-22003").await;
    let pulled = app
        .get(
            "/sync/pull?since=0&app_version=0.3.1&pending=4",
            Some(&doctor.access_token),
        )
        .await;
    assert_eq!(pulled.status, StatusCode::OK, "{:?}", pulled.body);

    crate::sessions::sign_out(&app, &doctor.refresh_token).await;
    // A new report is never answered from memory: this pull reaches the
    // database, and its check, at once.
    let refused = app
        .get(
            "/sync/pull?since=0&app_version=0.4.0&pending=9",
            Some(&doctor.access_token),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNAUTHORIZED, "unauthorized"),
        "{:?}",
        refused.body
    );
    let list = app.get("/devices", Some(&clinic.access_token)).await;
    let theirs = entry(&list.body, doctor.device_id);
    assert_eq!(
        (theirs["app_version"].clone(), theirs["pending_changes"].clone()),
        (json!("0.3.1"), json!(4))
    );
}
