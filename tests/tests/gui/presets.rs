//! IT's preset file, read from its path: an enrolment code makes the PC
//! join the clinic at its first start and open at sign-in for that clinic;
//! a used code and a broken file are explained on screen, never a crash.

use clinic_tests::gui::Desktop;
use clinic_tests::{OWNER_PASSWORD, TestApp};
use serde_json::json;

#[tokio::test]
async fn an_it_preset_enrols_the_pc_which_opens_at_sign_in_for_its_clinic() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Preset Clinic").await;
    let made = app
        .post(
            "/devices/enrolments",
            &json!({"name": "Reception"}),
            Some(&clinic.access_token),
        )
        .await;
    let code = made.body["code"].as_str().expect("enrolment code").to_owned();
    let preset = json!({"server_url": app.base, "enrolment_code": code}).to_string();

    let desk = Desktop::launch_with_preset(&preset).await;
    let notice = desk
        .wait_text("enrolled-notice", |t| t.contains("Preset Clinic"))
        .await;
    assert!(notice.contains("Reception"), "{notice}");
    let mut filled = String::new();
    for _ in 0..50 {
        filled = desk.value("clinic-code").await;
        if !filled.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(filled, clinic.code, "sign-in opens for the enrolled clinic");
    desk.screenshot("enrolled-sign-in").await;
    desk.fill("email", &clinic.owner_email).await;
    desk.fill("password", OWNER_PASSWORD).await;
    desk.click("sign-in-submit").await;
    desk.wait("today").await;
    let pcs = app.get("/devices", Some(&clinic.access_token)).await;
    let reception = pcs
        .body
        .as_array()
        .and_then(|l| l.iter().find(|pc| pc["name"] == "Reception"))
        .cloned()
        .expect("the enrolled PC is listed");
    assert!(reception["last_user_name"].is_string(), "{reception}");
    desk.close().await;

    // The same preset on another PC: the code was used.
    let second = Desktop::launch_with_preset(&preset).await;
    let refused = second.wait_text("enrolment-error", |t| !t.is_empty()).await;
    assert!(refused.contains("used"), "{refused}");
    second.close().await;
}

#[tokio::test]
async fn a_broken_preset_file_is_explained_and_the_pc_is_set_up_by_hand() {
    let app = TestApp::spawn().await;
    let desk =
        Desktop::launch_with_preset(r#"{"server_url": "https://clinic.example.org", "enrollment_code": 1"#)
            .await;
    let problem = desk.wait_text("preset-problem", |t| !t.is_empty()).await;
    assert!(problem.contains("is not valid"), "{problem}");
    desk.screenshot("broken-preset").await;
    desk.fill("server-url", &app.base).await;
    desk.click("setup-submit").await;
    desk.wait("sign-in-form").await;
    desk.close().await;
}
