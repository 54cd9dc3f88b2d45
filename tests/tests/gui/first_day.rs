//! A new clinic's first day, walked in the window the way its people walk
//! it: the owner (a doctor) registers in the window, notes the clinic code,
//! registers three patients, finds one with `/` and the arrow keys, books
//! tomorrow, prescribes and prints; the admin adds a colleague, signs out,
//! and the colleague's first day starts on a clean screen with the code
//! already filled in. A screenshot at every step.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;

const OWNER_PASSWORD: &str = "Sunrise-Clinic-2026";
const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";

#[tokio::test]
async fn a_new_clinic_walks_its_first_day_in_the_window() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    let shot = |name: &'static str| desk.screenshot(name);

    // 1. Register in the window: no licence number, as the form asks none.
    desk.click("go-register").await;
    desk.fill("clinic-name", "Sunrise Family Clinic").await;
    desk.fill("owner-name", "Dr Sunita Rao").await;
    desk.fill("owner-email", "sunita@sunrise.example").await;
    desk.fill("owner-password", OWNER_PASSWORD).await;
    desk.click("register-submit").await;

    // 2. The clinic code, big, once; and in the welcome mail.
    let code = desk.wait_text("new-clinic-code-value", |t| t.len() > 4).await;
    shot("first-day-01-clinic-code").await;
    let mail = app
        .smtp
        .wait_for("sunita@sunrise.example")
        .await
        .expect("a welcome mail");
    assert!(
        mail.text().contains(&code),
        "the welcome mail carries the code: {}",
        mail.text()
    );
    desk.click("new-clinic-code-done").await;
    assert_eq!(desk.count("new-clinic-code").await, 0, "shown once");
    assert_eq!(desk.text("user-roles").await, "Admin · Doctor");
    desk.wait_text("sync-status", |t| t == "Synced").await;

    // 3. Three patients, one allergic to penicillin.
    desk.click("nav-patients").await;
    desk.add_patient("Lakshmi", "+91 98450 10001", None).await;
    desk.add_patient("Ravi", "+91 98450 10002", Some("Penicillin"))
        .await;
    desk.add_patient("Farah", "+91 98450 10003", None).await;
    desk.wait_text("flash", |t| t.contains("Farah is registered"))
        .await;
    shot("first-day-02-three-patients").await;

    // 4. `/` to search, arrows and Enter to open the chart.
    desk.click("nav-today").await;
    desk.click("nav-patients").await;
    desk.wait("patient-list").await;
    desk.press("/").await;
    desk.press("Rav").await;
    desk.wait_text("patient-list", |t| t.contains("Ravi") && !t.contains("Farah"))
        .await;
    desk.press(ARROW_DOWN).await;
    desk.press(ENTER).await;
    desk.wait_text("patient-chart", |t| t.contains("Penicillin"))
        .await;
    desk.wait("family-alone").await;
    shot("first-day-03-chart").await;

    // 5. Book tomorrow from the chart and see it in tomorrow's day view.
    desk.click("chart-book-appointment").await;
    desk.wait("appt-form").await;
    let tomorrow = chrono::Local::now().date_naive() + chrono::Days::new(1);
    desk.retype("appt-date", &tomorrow.format("%d/%m/%Y").to_string())
        .await;
    // The owner has set no weekly hours yet: no free slots are offered,
    // and a typed time books all the same.
    desk.fill("appt-time", "10:30").await;
    desk.fill("appt-reason", "Fever for three days").await;
    shot("first-day-04-booking").await;
    desk.click("appt-save").await;
    let number = desk.wait_text("appt-number", |t| t.starts_with("APT")).await;
    desk.click("nav-today").await;
    desk.click("nav-appointments").await;
    desk.click("appt-next-day").await;
    desk.wait_text("appt-list", |t| t.contains("Ravi") && t.contains(&number))
        .await;
    shot("first-day-05-tomorrow").await;

    // 6. Prescribe from the chart, issue, preview and save the PDF.
    desk.click("nav-patients").await;
    desk.fill("patient-search", "Ravi").await;
    desk.click("patient-row").await;
    desk.click("chart-new-prescription").await;
    desk.fill("rx-diagnosis", "Viral fever").await;
    desk.fill("rx-medicine-input", "Paracetamol").await;
    desk.click("rx-medicine-option").await;
    desk.fill("rx-item-dosage", "1 tablet").await;
    desk.fill("rx-item-frequency", "1-0-1").await;
    desk.fill("rx-item-duration", "3 days").await;
    desk.click("rx-save").await;
    desk.wait_text("rx-number", |t| t.starts_with("RX")).await;
    desk.click("rx-issue").await;
    desk.click("confirm-yes").await;
    desk.wait_text("rx-status", |t| t == "Issued").await;
    desk.click("rx-preview-open").await;
    desk.wait("rx-preview").await;
    shot("first-day-06-print-preview").await;
    desk.click("rx-export-pdf").await;
    desk.wait_text("rx-exported-path", |t| t.contains(".pdf")).await;

    // 7. The admin adds a colleague, then signs out.
    desk.click("nav-admin").await;
    let temporary = desk
        .add_doctor(
            "Dr Vikram Iyer",
            "vikram@sunrise.example",
            "KA-4471",
            "General Practice",
        )
        .await;
    desk.click("nav-patients").await;
    desk.fill("patient-search", "Lak").await;
    desk.click("sign-out").await;
    desk.wait("sign-in-form").await;
    assert_eq!(
        desk.value("clinic-code").await,
        code,
        "this PC remembers the clinic code"
    );
    shot("first-day-07-signed-out").await;

    // 8. The colleague's first day: nothing of the first user on screen.
    desk.fill("email", "vikram@sunrise.example").await;
    desk.fill("password", &temporary).await;
    desk.click("sign-in-submit").await;
    desk.choose_password(&temporary, "Clinic-Own-2026x").await;
    desk.wait_text("user-name", |t| t == "Dr Vikram Iyer").await;
    desk.wait("today").await;
    assert_eq!(desk.count("flash").await, 0, "no notice of the last user");
    assert_eq!(desk.count("new-clinic-code").await, 0);
    assert_eq!(desk.text("user-roles").await, "Doctor");
    desk.click("nav-patients").await;
    assert_eq!(
        desk.value("patient-search").await,
        "",
        "no search text of the last user"
    );
    desk.wait_text("patient-list", |t| t.contains("Farah")).await;
    desk.add_patient("Imran", "+91 98450 10004", None).await;
    shot("first-day-08-colleague").await;
    // Signing out with a change still on its way asks first (the window's
    // confirm); the colleague waits for it to sync, as the badge shows.
    desk.wait_text("sync-status", |t| t == "Synced").await;

    // 9. The owner signs in again and finds the colleague's patient.
    desk.click("sign-out").await;
    desk.fill("email", "sunita@sunrise.example").await;
    desk.fill("password", OWNER_PASSWORD).await;
    desk.click("sign-in-submit").await;
    desk.wait_text("user-name", |t| t == "Dr Sunita Rao").await;
    desk.click("nav-patients").await;
    desk.wait_text("patient-list", |t| t.contains("Imran")).await;
    shot("first-day-09-owner-again").await;
    desk.close().await;
}
