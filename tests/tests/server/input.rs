//! Bad input gets a typed 4xx and writes nothing.

use clinic_tests::{OWNER_PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn registration() -> Value {
    json!({
        "clinic_name": "Input Clinic",
        "owner_name": "Dr Asha Rao",
        "email": "asha@example.org",
        "password": OWNER_PASSWORD,
        "owner_is_doctor": false,
    })
}

fn with(field: &str, value: Value) -> Value {
    let mut body = registration();
    body[field] = value;
    body
}

#[tokio::test]
async fn bad_registrations_are_refused_with_a_code_and_nothing_written() {
    let app = TestApp::spawn().await;
    let malformed = app.post_raw("/clinics", "{\"clinic_name\": ", None).await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );

    let mut missing = registration();
    missing.as_object_mut().expect("object").remove("email");
    let cases = [
        ("missing field", missing, "body"),
        (
            "overlong name",
            with("clinic_name", json!("x".repeat(121))),
            "clinic_name",
        ),
        ("blank name", with("clinic_name", json!("   ")), "clinic_name"),
        (
            "invalid e-mail",
            with("email", json!("asha.example.org")),
            "email",
        ),
        ("weak password", with("password", json!("password")), "password"),
        ("wrong type", with("owner_is_doctor", json!("yes")), "body"),
    ];
    for (what, body, field) in cases {
        let r = app.post("/clinics", &body, None).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{what}: {:?}",
            r.body
        );
        let fields: Vec<&str> = r.body["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{what}: {fields:?}");
    }
    let too_big = app
        .post(
            "/clinics",
            &with("owner_name", json!("x".repeat(2 * 1024 * 1024))),
            None,
        )
        .await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );

    assert_eq!(app.owner_count("SELECT count(*) FROM tenants").await, 0);
    assert_eq!(app.owner_count("SELECT count(*) FROM users").await, 0);
}

#[tokio::test]
async fn bad_doctor_input_writes_nothing() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Input Clinic").await;
    let token = Some(clinic.access_token.as_str());
    let bad = app
        .post(
            "/doctors",
            &json!({"full_name": "", "email": "nope", "licence_number": "x", "specialization": "GP",
                    "experience_years": 90, "consultation_minutes": 5}),
            token,
        )
        .await;
    assert_eq!(bad.code(), "validation_failed");
    assert_eq!(
        bad.body["fields"].as_array().map(Vec::len),
        Some(5),
        "{:?}",
        bad.body
    );
    let no_json = app.post_raw("/doctors", "not json", token).await;
    assert_eq!(no_json.code(), "malformed_json");
    assert_eq!(app.owner_count("SELECT count(*) FROM doctors").await, 0);
    assert_eq!(app.owner_count("SELECT count(*) FROM users").await, 1);
}
