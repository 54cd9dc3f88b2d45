//! IT enrols PCs with one-time codes an admin makes: a code works once,
//! for seven days, and every refusal says why; the enrolled PC is listed
//! by name and signs in with the secret it got.

use clinic_tests::{OWNER_PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

async fn new_code(app: &TestApp, token: &str, name: Option<&str>) -> clinic_tests::Reply {
    app.post("/devices/enrolments", &json!({"name": name}), Some(token))
        .await
}

async fn enrol(app: &TestApp, code: &str, device: Uuid) -> clinic_tests::Reply {
    app.post(
        "/devices/enrol",
        &json!({"code": code, "device_id": device, "name": "reception-pc"}),
        None,
    )
    .await
}

#[tokio::test]
async fn a_pc_enrols_once_with_a_code_and_signs_in_with_its_secret() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Enrolling Clinic").await;
    let made = new_code(&app, &clinic.access_token, Some("Front desk")).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let code = made.body["code"].as_str().expect("code").to_owned();
    assert!(code.starts_with(&format!("{}.", clinic.code)), "{code}");
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(made.body["expires_at"].clone()).expect("expiry");
    let days = (expires - chrono::Utc::now()).num_hours();
    assert!((167..=168).contains(&days), "seven days: {days} hours");
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret_hash FROM device_enrolments")
        .fetch_one(&app.owner_pool)
        .await
        .expect("stored");
    assert!(!code.contains(&String::from_utf8_lossy(&stored).to_string()) && stored.len() == 32);

    let device = Uuid::now_v7();
    let joined = enrol(&app, &code.to_lowercase(), device).await;
    assert_eq!(joined.status, StatusCode::CREATED, "{:?}", joined.body);
    assert_eq!(joined.body["clinic_name"], "Enrolling Clinic");
    assert_eq!(joined.body["device_name"], "Front desk", "the admin's name wins");
    let secret = joined.body["device_secret"].as_str().expect("secret").to_owned();

    let again = enrol(&app, &code, Uuid::now_v7()).await;
    assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "conflict"));
    assert!(
        again.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("used")
    );

    let list = app.get("/devices", Some(&clinic.access_token)).await;
    let pc = list
        .body
        .as_array()
        .and_then(|l| l.iter().find(|p| p["id"] == json!(device)))
        .cloned();
    let pc = pc.expect("listed");
    assert_eq!(
        (pc["name"].clone(), pc["last_user_name"].clone()),
        (json!("Front desk"), Value::Null)
    );

    // Its first sign-in presents the secret it got; without it, refused.
    let login = |secret: Option<String>| {
        let body = json!({"clinic_code": clinic.code, "email": clinic.owner_email,
                          "password": OWNER_PASSWORD, "device_id": device, "device_secret": secret});
        let app = &app;
        async move { app.post("/auth/login", &body, None).await }
    };
    assert_eq!(login(None).await.code(), "device_unverified");
    let signed_in = login(Some(secret)).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
    assert!(
        signed_in.body["number_slot"].is_u64(),
        "an enrolled PC numbers its records"
    );
}

#[tokio::test]
async fn expired_unknown_malformed_and_foreign_codes_are_refused_with_their_reason() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Strict Enrolment Clinic").await;
    let doctor = app.doctor(&clinic, "dr.enrol@example.org", "KA-41001").await;
    assert_eq!(
        new_code(&app, &doctor.access_token, None).await.code(),
        "forbidden"
    );

    let code = new_code(&app, &clinic.access_token, None).await.body["code"]
        .as_str()
        .expect("code")
        .to_owned();
    sqlx::query("UPDATE device_enrolments SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day'")
        .execute(&app.owner_pool)
        .await
        .expect("age the code");
    let expired = enrol(&app, &code, Uuid::now_v7()).await;
    assert_eq!(expired.status, StatusCode::CONFLICT);
    assert!(
        expired.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("expired")
    );

    let unknown = format!("{}.{}", clinic.code, "23456789ABCDEFGHJKMN");
    assert_eq!(
        enrol(&app, &unknown, Uuid::now_v7()).await.status,
        StatusCode::NOT_FOUND
    );
    let malformed = enrol(&app, "not a code", Uuid::now_v7()).await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );

    // A code of one clinic with another clinic's code in front: unknown there.
    let other = app.register_clinic("Other Enrolment Clinic").await;
    let fresh = new_code(&app, &clinic.access_token, None).await.body["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let secret = fresh.rsplit_once('.').expect("two parts").1;
    let crossed = enrol(&app, &format!("{}.{secret}", other.code), Uuid::now_v7()).await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND);

    // A PC the clinic removed cannot come back with a new code.
    let removed = app
        .post(
            &format!("/devices/{}/revoke", doctor.device_id),
            &json!({}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let back = enrol(&app, &fresh, doctor.device_id).await;
    assert_eq!(
        (back.status, back.code()),
        (StatusCode::FORBIDDEN, "device_revoked")
    );
}
