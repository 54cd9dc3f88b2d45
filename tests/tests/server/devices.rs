//! A PC's identity is its device secret, not the id any colleague can read
//! from a pulled change; number slots go only to PCs an admin enrolled.

use clinic_tests::{OWNER_PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

const DOCTOR_EMAIL: &str = "dr.iyer@example.org";

/// A clinic with a doctor who has chosen a password; returns the
/// doctor's password.
async fn clinic_with_doctor(app: &TestApp) -> (clinic_tests::Clinic, String) {
    let clinic = app.register_clinic("Shared Office Clinic").await;
    let added = app.add_doctor(&clinic, DOCTOR_EMAIL, "KA-12345").await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let temporary = added.body["temporary_password"]
        .as_str()
        .expect("temporary password")
        .to_owned();
    (clinic, temporary)
}

async fn login_raw(
    app: &TestApp,
    code: &str,
    email: &str,
    password: &str,
    device: Uuid,
    secret: Option<&str>,
) -> clinic_tests::Reply {
    app.post(
        "/auth/login",
        &json!({"clinic_code": code, "email": email, "password": password,
                "device_id": device, "device_secret": secret}),
        None,
    )
    .await
}

#[tokio::test]
async fn a_known_pc_is_signed_in_to_only_with_its_secret() {
    let app = TestApp::spawn().await;
    let (clinic, doctor_password) = clinic_with_doctor(&app).await;
    let owners_pc = clinic.device_id;
    let secret = app
        .device_secret(&clinic.code, owners_pc)
        .expect("issued at registration");

    // A colleague claims the owner's PC: without the secret, and with a guess.
    let claimed = login_raw(
        &app,
        &clinic.code,
        DOCTOR_EMAIL,
        &doctor_password,
        owners_pc,
        None,
    )
    .await;
    assert_eq!(
        (claimed.status, claimed.code()),
        (StatusCode::UNAUTHORIZED, "device_unverified")
    );
    let guessed = login_raw(
        &app,
        &clinic.code,
        DOCTOR_EMAIL,
        &doctor_password,
        owners_pc,
        Some("guess"),
    )
    .await;
    assert_eq!(guessed.code(), "device_unverified");

    // The PC itself, with its secret: signed in, and no new secret issued.
    let real = login_raw(
        &app,
        &clinic.code,
        &clinic.owner_email,
        OWNER_PASSWORD,
        owners_pc,
        Some(&secret),
    )
    .await;
    assert_eq!(real.status, StatusCode::OK, "{:?}", real.body);
    assert!(real.body["device_secret"].is_null(), "a secret is issued once");

    // The colleague on their own new PC is issued its own secret.
    let own = login_raw(
        &app,
        &clinic.code,
        DOCTOR_EMAIL,
        &doctor_password,
        Uuid::now_v7(),
        None,
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    assert!(own.body["device_secret"].as_str().is_some_and(|s| s.len() >= 43));
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret_hash FROM devices WHERE id = $1")
        .bind(owners_pc)
        .fetch_one(&app.owner_pool)
        .await
        .expect("hash");
    assert_eq!(stored.len(), 32, "only the SHA-256 is kept");
    assert_ne!(stored, secret.as_bytes());
}

#[tokio::test]
async fn a_pc_known_from_before_secrets_is_issued_one_at_its_next_sign_in() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Upgraded Clinic").await;
    sqlx::query("UPDATE devices SET secret_hash = NULL")
        .execute(&app.owner_pool)
        .await
        .expect("as before the upgrade");
    let first = login_raw(
        &app,
        &clinic.code,
        &clinic.owner_email,
        OWNER_PASSWORD,
        clinic.device_id,
        None,
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    let issued = first.body["device_secret"]
        .as_str()
        .expect("issued now")
        .to_owned();
    let without = login_raw(
        &app,
        &clinic.code,
        &clinic.owner_email,
        OWNER_PASSWORD,
        clinic.device_id,
        None,
    )
    .await;
    assert_eq!(
        without.code(),
        "device_unverified",
        "from then on the secret is required"
    );
    let with = login_raw(
        &app,
        &clinic.code,
        &clinic.owner_email,
        OWNER_PASSWORD,
        clinic.device_id,
        Some(&issued),
    )
    .await;
    assert_eq!(with.status, StatusCode::OK);
}

#[tokio::test]
async fn number_slots_go_only_to_pcs_an_admin_enrolled_and_come_back() {
    let app = TestApp::spawn().await;
    let (clinic, doctor_password) = clinic_with_doctor(&app).await;
    assert_eq!(clinic.body["number_slot"], 0, "the registering PC is the owner's");
    for _ in 0..12 {
        let made_up = login_raw(
            &app,
            &clinic.code,
            DOCTOR_EMAIL,
            &doctor_password,
            Uuid::now_v7(),
            None,
        )
        .await;
        assert_eq!(made_up.status, StatusCode::OK);
        assert!(
            made_up.body["number_slot"].is_null(),
            "a doctor's sign-in does not take a slot"
        );
    }
    let mut enrolled = Vec::new();
    for expected in 1..=9 {
        let pc = Uuid::now_v7();
        let reply = app
            .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, pc)
            .await;
        assert_eq!(reply.body["number_slot"], expected);
        enrolled.push(pc);
    }
    let eleventh = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, Uuid::now_v7())
        .await;
    assert!(eleventh.body["number_slot"].is_null(), "ten slots, all held");

    sqlx::query("UPDATE devices SET revoked_at = now() WHERE id = $1")
        .bind(enrolled[2])
        .execute(&app.owner_pool)
        .await
        .expect("revoke");
    sqlx::query("UPDATE devices SET last_seen_at = now() - interval '91 days' WHERE id = $1")
        .bind(enrolled[5])
        .execute(&app.owner_pool)
        .await
        .expect("idle");
    let mut reused = Vec::new();
    for _ in 0..2 {
        let reply = app
            .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, Uuid::now_v7())
            .await;
        reused.push(reply.body["number_slot"].as_i64().expect("a freed slot"));
    }
    assert_eq!(reused, [3, 6], "the revoked and the idle PC's digits");
}
