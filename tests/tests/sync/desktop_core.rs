//! The desktop app's core without a window: sign-in online and offline,
//! tokens in the keychain, and patients written on the PC. Needs a secret
//! service (the test script runs everything in a keychain session).

use client::app::secrets::Secrets;
use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration};
use contract::app::{CommandCode, PatientForm};

const PASSWORD: &str = "Desk-Pass-2026";

#[tokio::test]
async fn a_user_seen_online_can_sign_in_offline_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = desk_core(dir.path(), &app.base);
    let session = core
        .register_clinic(registration(
            "Core Clinic",
            "Dr Core",
            "core@example.org",
            PASSWORD,
            false,
        ))
        .await
        .expect("register");
    assert!(!session.offline);
    assert!(
        Secrets
            .refresh(&session.tenant_id, &session.user.id)
            .expect("keychain")
            .is_some(),
        "refresh token in the keychain"
    );
    let form = PatientForm {
        first_name: "Kept".into(),
        mobile_number: "+919811100000".into(),
        date_of_birth: "1980-02-02".into(),
        gender: "male".into(),
        ..Default::default()
    };
    core.save_patient(None, form).await.expect("save");
    for _ in 0..100 {
        if core.sync_status().await.is_ok_and(|s| s.pending == 0 && s.online) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 1);
    core.sign_out().await.expect("sign out");
    assert!(
        Secrets
            .refresh(&session.tenant_id, &session.user.id)
            .expect("keychain")
            .is_none(),
        "sign-out clears the keychain"
    );
    drop(core);

    // The same PC, server unreachable (nothing listens on port 9).
    let offline = desk_core(dir.path(), "http://127.0.0.1:9");
    let wrong = offline
        .sign_in(&session.clinic_code, "core@example.org", "Not-The-Password-1")
        .await;
    assert_eq!(
        wrong.map_err(|e| e.code).err(),
        Some(CommandCode::InvalidCredentials)
    );
    let stranger = offline
        .sign_in(&session.clinic_code, "someone@example.org", PASSWORD)
        .await;
    assert_eq!(
        stranger.map_err(|e| e.code).err(),
        Some(CommandCode::UnknownOfflineUser)
    );
    let view = offline
        .sign_in(&session.clinic_code, "core@example.org", PASSWORD)
        .await
        .expect("offline sign-in");
    assert!(view.offline);
    let patients = offline.search_patients("kept").await.expect("local data");
    assert_eq!(patients.len(), 1, "the PC's data is there offline");
    offline.sign_out().await.expect("sign out");

    // A PC that never saw this user online cannot sign them in offline.
    let other = tempfile::tempdir().expect("tempdir");
    let fresh = desk_core(other.path(), "http://127.0.0.1:9");
    let refused = fresh
        .sign_in(&session.clinic_code, "core@example.org", PASSWORD)
        .await;
    let err = refused.expect_err("unknown on this PC");
    assert_eq!(err.code, CommandCode::UnknownOfflineUser);
    assert!(
        err.message.contains("not signed in on this PC"),
        "{}",
        err.message
    );
}
