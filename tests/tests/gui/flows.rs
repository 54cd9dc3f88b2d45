//! Registration, adding a doctor, password change, patients offline and a
//! second PC. Each test saves a screenshot of its last screen.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::network::Switch;
use serde_json::json;

use clinic_tests::gui_steps::PASSWORD;

/// The error code of a refused command (panics when it was not refused).
fn code_of(answer: Result<serde_json::Value, serde_json::Value>) -> String {
    let refusal = answer.expect_err("the command is refused");
    refusal["code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn admin_adds_a_doctor_who_signs_in_and_chooses_a_password() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    let refused = desk.invoke("search_patients", json!("a")).await;
    assert_eq!(
        code_of(refused),
        "not_signed_in",
        "the shell checks sign-in before any clinic command"
    );
    desk.register("Window Dental").await;

    desk.click("nav-admin").await;
    // The owner registered as a doctor too.
    desk.wait_text("doctor-list", |t| t.contains("Dr Asha Rao")).await;
    let temporary = desk
        .add_doctor("Dr Vikram Iyer", "vikram@example.org", "KA-4471", "Endodontics")
        .await;
    desk.screenshot("admin-doctor-added").await;
    assert!(
        temporary.len() >= 12,
        "the temporary password is shown once: {temporary:?}"
    );
    desk.wait_text("doctor-list", |t| t.contains("KA-4471")).await;
    assert!(
        app.smtp.wait_for("vikram@example.org").await.is_some(),
        "and e-mailed"
    );

    desk.click("sign-out").await;
    desk.wait("sign-in-form").await;
    desk.screenshot("sign-in").await;
    desk.sign_in(&app.latest_clinic_code().await, "vikram@example.org", &temporary)
        .await;
    desk.wait("change-password-form").await;
    desk.screenshot("change-password").await;
    desk.choose_password(&temporary, "Doctor-Own-2026").await;
    desk.wait_text("user-name", |t| t == "Dr Vikram Iyer").await;
    desk.wait("today").await;
    // Admin commands are refused to a doctor by the shell, whatever the
    // page asks for.
    // (The argument is not even a valid request: the refusal comes before
    // the command reads it, so it is the shell's, not the server's.)
    let refused = desk
        .invoke("add_staff", json!({"email": "mallory@example.org"}))
        .await;
    assert_eq!(code_of(refused), "forbidden");
    assert!(
        desk.invoke("search_patients", json!({"query": "a", "limit": 8}))
            .await
            .is_ok(),
        "signed-in commands still run"
    );
    desk.wait_text("sync-status", |t| t == "Synced").await;
    desk.screenshot("doctor-after-password-change").await;
    desk.close().await;
}

#[tokio::test]
async fn patients_are_kept_offline_and_sync_when_the_server_returns() {
    let app = TestApp::spawn().await;
    let server = app.base.trim_start_matches("http://").to_owned();
    let network = Switch::start(&server).await;
    let desk = Desktop::launch(&network.url()).await;
    let email = desk.register("Offline Clinic").await;

    desk.click("nav-patients").await;
    desk.wait("empty").await;
    desk.add_patient("Meera", "+91 98450 11111", None).await;
    desk.wait_text("patient-list", |t| t.contains("Meera")).await;
    desk.wait_text("sync-status", |t| t == "Synced").await;

    desk.click("new-patient").await;
    desk.wait("patient-form").await;
    desk.screenshot("patient-form").await;
    desk.click("patient-cancel").await;
    network.down().await;
    desk.add_patient("Ravi", "+91 98450 22222", None).await;
    desk.wait_text("patient-list", |t| t.contains("Ravi")).await;
    // The PC may notice the server is gone before the change is saved (the
    // live stream drops first): wait for the status that counts it.
    desk.wait_text("sync-status", |t| t == "Offline — 1 change saved on this PC")
        .await;
    desk.screenshot("patients-offline").await;
    desk.click("sync-status").await;
    desk.wait_text("pending-count", |t| t == "1").await;
    desk.screenshot("sync-details-offline").await;
    desk.click("sync-status").await;
    // Signing out now asks first: the change would wait on this PC.
    desk.click("sign-out").await;
    let asked = desk
        .wait_text("confirm-dialog", |t| t.contains("not on the server yet"))
        .await;
    assert!(asked.contains("1 change"), "{asked}");
    desk.click("confirm-no").await;
    desk.wait("patient-list").await;

    network.up().await;
    desk.wait_text("sync-status", |t| t == "Synced").await;
    assert_eq!(
        app.owner_count("SELECT count(*) FROM patients").await,
        2,
        "the server holds both patients"
    );
    desk.screenshot("patients-synced").await;

    // Another PC of the same clinic signs in and opens Patients while its
    // first download is still on its way: the list fills in when it lands,
    // without leaving the page. Holding a table the download reads (and
    // sign-in does not) keeps that download waiting until the page is open.
    let mut hold = app.owner_pool.begin().await.expect("begin");
    sqlx::query("LOCK TABLE referral_records IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *hold)
        .await
        .expect("lock");
    let second = Desktop::launch(&network.url()).await;
    second
        .sign_in(&app.latest_clinic_code().await, &email, PASSWORD)
        .await;
    second.click("nav-patients").await;
    second.wait("empty").await;
    hold.rollback().await.expect("release");
    second
        .wait_text("patient-list", |t| t.contains("Meera") && t.contains("Ravi"))
        .await;
    assert_eq!(second.count("patient-row").await, 2);
    second.wait_text("sync-status", |t| t == "Synced").await;
    second.screenshot("second-pc-patients").await;
    second.close().await;
    desk.close().await;
}

#[tokio::test]
async fn a_new_pc_asks_for_the_server_then_offers_sign_in_and_registration() {
    let app = TestApp::spawn().await;
    // No IT preset: the first screen asks where the server is.
    let desk = Desktop::launch("").await;
    desk.wait("setup-form").await;
    desk.fill("server-url", "not a url").await;
    desk.click("setup-submit").await;
    desk.wait_text("server-url-error", |t| t.contains("https://"))
        .await;
    desk.screenshot("setup-invalid").await;
    // Plain http across the network would carry passwords in clear.
    desk.retype("server-url", "http://192.168.1.20:8080").await;
    desk.click("setup-submit").await;
    desk.wait_text("server-url-error", |t| t.contains("unencrypted"))
        .await;
    desk.retype("server-url", &app.base).await;
    desk.click("setup-submit").await;
    desk.wait("sign-in-form").await;
    desk.click("sign-in-submit").await;
    desk.wait_text("clinic-code-error", |t| t.contains("clinic code"))
        .await;
    desk.click("go-register").await;
    desk.wait("register-form").await;
    desk.click("register-submit").await;
    desk.wait_text("owner-password-error", |t| !t.is_empty()).await;
    desk.screenshot("register-invalid").await;
    desk.close().await;
}
