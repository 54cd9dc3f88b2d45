//! The platform operator suspends a clinic while its window is open: the
//! window says why on every screen without anyone typing, a save is
//! refused with the same reason, and reactivating lifts both.

use std::time::Duration;

use clinic_server::operator::{AdminAction, execute};
use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;

const REASON: &str = "Invoice 2026-11 unpaid";

#[tokio::test]
async fn a_suspended_clinics_window_says_why_before_anyone_types() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Paused Window Clinic").await;
    let code = app.latest_clinic_code().await;
    desk.click("nav-patients").await;
    desk.add_patient("Meera", "9845066666", None).await;

    let suspend = AdminAction::Suspend {
        clinic: code.clone(),
        reason: REASON.into(),
    };
    execute(&app.owner_pool, "ops", &suspend).await.expect("suspend");
    desk.wait_text("clinic-suspended", |t| t.contains(REASON)).await;
    desk.wait_text("subscription", |t| t.contains("suspended")).await;
    desk.screenshot("clinic-suspended-banner").await;
    desk.click("nav-appointments").await;
    assert_eq!(desk.count("clinic-suspended").await, 1, "on every screen");

    desk.click("nav-patients").await;
    desk.click("new-patient").await;
    desk.fill("patient-first-name", "Kiran").await;
    desk.fill("patient-mobile", "9845088888").await;
    desk.fill("patient-dob", "21/04/1990").await;
    desk.select("patient-gender", "female").await;
    desk.click("patient-save").await;
    desk.wait_text("patient-error", |t| t.contains(REASON)).await;

    let reactivate = AdminAction::Reactivate { clinic: code };
    execute(&app.owner_pool, "ops", &reactivate)
        .await
        .expect("reactivate");
    let started = std::time::Instant::now();
    while desk.count("clinic-suspended").await > 0 {
        assert!(started.elapsed() < Duration::from_secs(20), "the banner stayed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    desk.click("patient-save").await;
    desk.wait_text("patient-list", |t| t.contains("Kiran")).await;
    desk.close().await;
}
