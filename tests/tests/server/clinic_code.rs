//! The clinic code where people look for it: e-mailed to the owner on
//! registering, and again on "Forgot the clinic code?" to the address
//! asked for, with the same answer whether or not that address is known.

use clinic_tests::TestApp;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_owner_is_mailed_the_clinic_code_on_registering() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Sunrise Family Clinic").await;
    let mail = app
        .smtp
        .wait_for(&clinic.owner_email)
        .await
        .expect("a welcome mail");
    assert!(mail.text().contains(&clinic.code), "{}", mail.text());
    assert!(mail.text().contains("sign in with this code"), "{}", mail.text());
}

#[tokio::test]
async fn a_forgotten_code_goes_to_the_address_and_nowhere_else() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Sunrise Family Clinic").await;
    app.smtp
        .wait_for(&clinic.owner_email)
        .await
        .expect("welcome mail");
    let before = app.smtp.mails().len();

    let known = app
        .post(
            "/auth/clinic-code-reminder",
            &json!({"email": clinic.owner_email}),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/auth/clinic-code-reminder",
            &json!({"email": "nobody@example.org"}),
            None,
        )
        .await;
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.body, unknown.body, "the same answer either way");
    assert!(
        !known.body.to_string().contains(&clinic.code),
        "the code is never shown to the asker"
    );

    // Exactly one more mail: to the known address, carrying the code.
    let mut reminders = Vec::new();
    for _ in 0..50 {
        reminders = app.smtp.mails().split_off(before);
        if !reminders.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(reminders[0].to.iter().any(|t| t.contains(&clinic.owner_email)));
    assert!(reminders[0].text().contains(&clinic.code));

    // Asking again at once sends nothing more (no inbox flooding).
    let again = app
        .post(
            "/auth/clinic-code-reminder",
            &json!({"email": clinic.owner_email}),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.smtp.mails().len(), before + 1);

    let bad = app
        .post("/auth/clinic-code-reminder", &json!({"email": ""}), None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["fields"][0]["message"], "E-mail is required");
}
