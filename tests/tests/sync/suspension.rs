//! A clinic the platform suspends: its PCs learn it with the next pull
//! (woken at once through the live stream), say why on every screen,
//! refuse new writes before anyone types, keep what was written offline,
//! and send it when the clinic is reactivated. Needs a secret service.

use std::time::Duration;

use clinic_server::operator::{AdminAction, execute};
use clinic_tests::TestApp;
use clinic_tests::network::Switch;
use clinic_tests::pcs::{desk_core, patient_form, registration, server_patients, settled, status_until};
use contract::app::{CommandCode, PatientForm};

const REASON: &str = "Invoice 2026-11 unpaid";

fn patient(first: &str, mobile: &str) -> PatientForm {
    patient_form(first, "Iyer", mobile)
}

#[tokio::test]
async fn a_suspended_clinics_pc_says_why_refuses_writes_and_keeps_its_offline_work() {
    let app = TestApp::spawn().await;
    let network = Switch::start(app.base.trim_start_matches("http://")).await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &network.url());
    let session = pc
        .register_clinic(registration(
            "Paused Clinic",
            "Dr Owner",
            "owner.paused@example.org",
            "Paused-Desk-2026",
            true,
        ))
        .await
        .expect("register");
    pc.save_patient(None, patient("Meera", "+91 98450 66666"))
        .await
        .expect("patient");
    settled(&pc, Duration::from_secs(10)).await;

    // Written offline, before the PC could hear of the suspension.
    network.down().await;
    pc.save_patient(None, patient("Ravi", "+91 98450 77777"))
        .await
        .expect("offline patient");
    let suspend = AdminAction::Suspend {
        clinic: session.clinic_code.clone(),
        reason: REASON.into(),
    };
    execute(&app.owner_pool, "ops", &suspend).await.expect("suspend");
    network.up().await;
    pc.sync_now().await.expect("sync now");
    let status = status_until(&pc, Duration::from_secs(20), |s| s.clinic_suspended.is_some()).await;
    let why = status.clinic_suspended.clone().unwrap_or_default();
    assert!(why.contains(REASON), "{why}");
    assert_eq!(
        status.pending, 1,
        "the offline patient waits on the PC: {status:?}"
    );
    assert!(
        status.last_error.is_none(),
        "nothing was pushed to be refused: {status:?}"
    );

    let refused = pc
        .save_patient(None, patient("Kiran", "+91 98450 88888"))
        .await
        .expect_err("a suspended clinic writes nothing");
    assert_eq!(refused.code, CommandCode::ClinicSuspended);
    assert!(refused.message.contains(REASON), "{}", refused.message);
    assert_eq!(pc.search_patients("Kiran").await.expect("search").len(), 0);
    assert_eq!(
        server_patients(&app).await.len(),
        1,
        "only Meera reached the server"
    );

    // Reactivated: the live stream wakes the PC, which sends what it kept.
    execute(
        &app.owner_pool,
        "ops",
        &AdminAction::Reactivate {
            clinic: session.clinic_code.clone(),
        },
    )
    .await
    .expect("reactivate");
    status_until(&pc, Duration::from_secs(20), |s| {
        s.clinic_suspended.is_none() && s.pending == 0
    })
    .await;
    let mut names: Vec<String> = server_patients(&app)
        .await
        .iter()
        .filter_map(|p| p["first_name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    assert_eq!(names, ["Meera", "Ravi"]);
    pc.save_patient(None, patient("Kiran", "+91 98450 88888"))
        .await
        .expect("writes again");
}
