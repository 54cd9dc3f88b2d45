//! An admin removes another PC from the clinic in the window: the list
//! shows it with what it reported, the confirm says what happens, and the
//! removed PC erases the clinic's data at its next contact and cannot sign
//! in again.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::gui_steps::PASSWORD;
use clinic_tests::pcs::{desk_core, wait_until_removed};
use contract::app::CommandCode;

#[tokio::test]
async fn an_admin_removes_another_pc_which_erases_the_clinic() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    let email = desk.register("Two PC Clinic").await;
    let code = app.latest_clinic_code().await;

    // PC B: the same clinic on another PC (no window needed for it).
    let b_dir = tempfile::tempdir().expect("dir");
    let pc_b = desk_core(b_dir.path(), &app.base);
    let on_b = pc_b.sign_in(&code, &email, PASSWORD).await.expect("B signs in");
    pc_b.sync_now().await.expect("B syncs");
    let b_db = b_dir.path().join(format!(
        "clinics/clinic-{}.sqlite3",
        on_b.tenant_id.replace('-', "")
    ));
    assert!(b_db.exists());

    desk.click("nav-admin").await;
    desk.wait_text("pc-list", |t| t.contains("This PC")).await;
    let listed = desk.count("pc-row").await;
    assert_eq!(listed, 2, "this PC and B");
    // "Add a PC": a one-time code and the preset file IT needs.
    desk.click("add-pc").await;
    desk.fill("pc-name", "Reception 2").await;
    desk.click("add-pc-submit").await;
    let enrolment = desk.wait_text("enrolment-code", |t| t.contains('.')).await;
    assert!(enrolment.starts_with(&format!("{code}.")), "{enrolment}");
    let preset = desk.text("enrolment-preset").await;
    assert!(
        preset.contains(&enrolment) && preset.contains(&app.base),
        "{preset}"
    );
    desk.screenshot("add-a-pc").await;

    desk.click("pc-remove").await;
    let warning = desk
        .wait_text("confirm-dialog", |t| {
            t.contains("lost") || t.contains("no unsent")
        })
        .await;
    assert!(warning.contains("signed out at once"), "{warning}");
    desk.screenshot("remove-pc-confirm").await;
    desk.click("confirm-yes").await;
    desk.wait_text("pc-list", |t| t.contains("Removed")).await;
    desk.screenshot("pcs-after-removal").await;

    // B hears it at its next contact and erases the clinic.
    pc_b.sync_now().await.ok();
    let refusal = wait_until_removed(&pc_b).await;
    assert!(refusal.message.contains("Two PC Clinic"), "{}", refusal.message);
    assert!(!b_db.exists(), "B's copy of the clinic is gone from disk");
    let again = pc_b.sign_in(&code, &email, PASSWORD).await.expect_err("refused");
    assert_eq!(again.code, CommandCode::DeviceRevoked);

    // The admin's window carries on.
    desk.click("nav-patients").await;
    desk.wait("empty").await;
    desk.close().await;
}
