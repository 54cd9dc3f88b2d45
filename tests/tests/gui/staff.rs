//! Staff from the window: an admin adds a receptionist, who signs in with
//! the temporary password and sees the front desk only (patients and
//! appointments, no prescriptions or settings); the admin cannot
//! deactivate themself, takes back a role change at its confirmation, and
//! deactivates the receptionist after confirming.

use chrono::Datelike;
use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::gui_steps::PASSWORD;
use uuid::Uuid;

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
    desk.wait_text("confirm-dialog", |t| t.contains("signed out at once"))
        .await;
    desk.click("confirm-yes").await;
    desk.wait_text("staff-error", |t| t.contains("deactivate yourself"))
        .await;
    // A role picked and not confirmed changes nothing, here or on the server.
    desk.select("role-rekha@example.org", "nurse").await;
    desk.wait_text("confirm-dialog", |t| t.contains("Make Rekha Menon nurse?"))
        .await;
    desk.click("confirm-no").await;
    assert_eq!(desk.count("confirm-dialog").await, 0);
    desk.wait_text("staff-list", |t| t.contains("rekha@example.org"))
        .await;
    assert_eq!(desk.value("role-rekha@example.org").await, "receptionist");
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE email = 'rekha@example.org'")
        .fetch_one(&app.owner_pool)
        .await
        .expect("role");
    assert_eq!(role, "receptionist");

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
    desk.click("confirm-yes").await;
    desk.wait_text("status-rekha@example.org", |t| t == "Deactivated")
        .await;
    desk.close().await;
}

/// A doctor added from the admin page starts with the usual weekly hours
/// (the form shows them, to change): booking offers their free times at
/// once. It offered none before, as the added doctor had no hours at all.
/// The booking is then moved to another free time.
#[tokio::test]
async fn a_doctor_added_in_the_window_can_be_booked_at_once() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Bookable Clinic").await;
    desk.click("nav-admin").await;
    desk.add_doctor("Dr Meena Das", "meena@example.org", "KA-5151", "General Practice")
        .await;
    let doctor: Uuid = sqlx::query_scalar("SELECT id FROM doctors WHERE licence_number = 'KA-5151'")
        .fetch_one(&app.owner_pool)
        .await
        .expect("the doctor");

    desk.click("nav-patients").await;
    desk.add_patient("Ravi", "9845012345", None).await;
    desk.click("patient-row").await;
    desk.click("chart-book-appointment").await;
    desk.wait("appt-form").await;
    desk.select("appt-doctor", &doctor.to_string()).await;
    let today = chrono::Local::now().date_naive();
    let monday = today + chrono::Days::new(7 - u64::from(today.weekday().num_days_from_monday()));
    desk.retype("appt-date", &monday.format("%d/%m/%Y").to_string())
        .await;
    desk.wait("appt-slot").await;
    desk.screenshot("staff-new-doctor-bookable").await;
    desk.click("appt-slot").await;
    desk.fill("appt-reason", "Fever").await;
    desk.click("appt-save").await;
    desk.wait_text("appt-number", |t| t.starts_with("APT")).await;

    // Moved to another free time that day: the old one stays, rescheduled.
    desk.click("appt-action-rescheduled").await;
    desk.wait("move-form").await;
    desk.wait("appt-slot").await;
    desk.click("appt-slot").await;
    desk.screenshot("appointment-move").await;
    desk.click("move-submit").await;
    desk.wait_text("appt-list", |t| {
        t.contains("Rescheduled") && t.matches("Ravi").count() == 2
    })
    .await;
    desk.close().await;
}

/// An admin opens a doctor's profile from the admin page and sets the
/// fee and weekly hours; a period the form cannot read is named under
/// the hours, and nothing is saved until it is right. An office over the
/// plan's limit is refused; renaming the office is saved. Days off are
/// added with a reason; a date the form cannot read is named.
#[tokio::test]
async fn an_admin_sets_a_doctors_fee_and_weekly_hours() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Hours Clinic").await;
    desk.click("nav-admin").await;
    desk.add_doctor("Dr Kiran Shetty", "kiran@example.org", "KA-6161", "Paediatrics")
        .await;
    desk.click("edit-doctor-kiran@example.org").await;
    desk.wait("doctor-profile").await;
    assert_eq!(desk.value("hours-monday").await, "09:00-13:00, 14:00-18:00");
    assert_eq!(desk.value("hours-sunday").await, "", "Sunday starts as a day off");

    desk.retype("hours-monday", "9 to 1").await;
    desk.click("profile-save").await;
    desk.wait_text("hours-error", |t| t.starts_with("Monday")).await;

    desk.retype("hours-monday", "10:00-11:00").await;
    desk.fill("profile-fee", "650").await;
    desk.click("profile-save").await;
    desk.wait_text("flash", |t| t.contains("profile is saved")).await;
    desk.screenshot("staff-doctor-profile").await;
    let (monday, fee): (serde_json::Value, Option<i64>) = sqlx::query_as(
        "SELECT availability->'monday', consultation_fee_minor FROM doctors WHERE licence_number = 'KA-6161'",
    )
    .fetch_one(&app.owner_pool)
    .await
    .expect("the doctor");
    assert_eq!(
        monday,
        serde_json::json!([{"start": "10:00:00", "end": "11:00:00"}])
    );
    assert_eq!(fee, Some(65_000), "fees are kept in paise");

    // Offices: a second one is over the trial's limit; renaming is fine.
    desk.click("profile-office-add").await;
    desk.fill("profile-office-name-1", "Whitefield").await;
    desk.click("profile-save").await;
    desk.wait_text("profile-error", |t| t.contains("office")).await;
    desk.click("profile-office-remove-1").await;
    desk.retype("profile-office-name-0", "Indiranagar clinic").await;
    desk.click("profile-save").await;
    let started = std::time::Instant::now();
    loop {
        let offices: serde_json::Value =
            sqlx::query_scalar("SELECT offices FROM doctors WHERE licence_number = 'KA-6161'")
                .fetch_one(&app.owner_pool)
                .await
                .expect("offices");
        if offices[0]["name"] == "Indiranagar clinic" {
            assert_eq!(offices.as_array().map(Vec::len), Some(1));
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "never renamed: {offices}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // Days off: a last day the form cannot read is named; then saved.
    desk.click("profile-off-add").await;
    desk.retype("profile-off-to-0", "soon").await;
    desk.fill("profile-off-reason-0", "Conference").await;
    desk.click("profile-save").await;
    desk.wait_text("profile-time-off-error", |t| t.starts_with("Row 1"))
        .await;
    desk.retype("profile-off-to-0", "").await;
    desk.click("profile-save").await;
    let started = std::time::Instant::now();
    loop {
        let off: serde_json::Value =
            sqlx::query_scalar("SELECT time_off FROM doctors WHERE licence_number = 'KA-6161'")
                .fetch_one(&app.owner_pool)
                .await
                .expect("time off");
        if off[0]["reason"] == "Conference" {
            assert_eq!(
                off[0]["from"], off[0]["to"],
                "a blank last day is the one day: {off}"
            );
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "never saved: {off}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desk.screenshot("staff-doctor-time-off").await;
    desk.close().await;
}
