//! Staff from the window: an admin adds a receptionist, who signs in with
//! the temporary password and sees the front desk only (patients and
//! appointments, no prescriptions or settings); the admin cannot
//! deactivate themself and deactivates the receptionist.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::gui_steps::PASSWORD;

const DESK_PASSWORD: &str = "Front-Desk-Key-2026";

#[tokio::test]
async fn an_admin_adds_a_receptionist_who_sees_the_front_desk_only() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    let owner = desk.register("Front Desk Clinic").await;
    let code = app.latest_clinic_code().await;
    desk.click("nav-admin").await;
    let temporary = desk
        .add_staff("receptionist", "Rekha Menon", "rekha@example.org")
        .await;
    desk.wait_text("staff-list", |t| {
        t.contains("rekha@example.org") && t.contains("Not signed in yet")
    })
    .await;
    desk.screenshot("staff-receptionist-added").await;
    assert!(
        app.smtp.wait_for("rekha@example.org").await.is_some(),
        "and e-mailed"
    );

    // The owner is the only admin: deactivating themself is refused.
    desk.click(&format!("toggle-{owner}")).await;
    desk.wait_text("staff-error", |t| t.contains("deactivate yourself"))
        .await;

    desk.switch_user(&code, "rekha@example.org", &temporary).await;
    desk.choose_password(&temporary, DESK_PASSWORD).await;
    desk.wait("nav-patients").await;
    for hidden in ["nav-prescriptions", "nav-settings", "nav-admin"] {
        assert_eq!(
            desk.count(hidden).await,
            0,
            "a receptionist is not offered {hidden}"
        );
    }
    desk.click("nav-patients").await;
    desk.add_patient("Lakshmi", "9845012345", None).await;
    desk.click("patient-row").await;
    desk.wait("chart-book-appointment").await;
    assert_eq!(
        desk.count("chart-new-prescription").await,
        0,
        "no prescription editor"
    );
    desk.screenshot("staff-receptionist-chart").await;

    desk.switch_user(&code, &owner, PASSWORD).await;
    desk.click("nav-admin").await;
    desk.wait_text("status-rekha@example.org", |t| t == "Active")
        .await;
    desk.click("toggle-rekha@example.org").await;
    desk.wait_text("status-rekha@example.org", |t| t == "Deactivated")
        .await;
    desk.close().await;
}
