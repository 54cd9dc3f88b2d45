//! An admin saves the clinic's backup from the admin page: the window
//! checks the passphrase first, then says where the file went; the file
//! opens with that passphrase and restores into another server.

use clinic_server::backup::crypt::{Key, open};
use clinic_server::backup::restore::{Options, restore};
use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::pcs::server_patients;

/// Waits (up to 10 s) until the window's new patient has synced.
async fn patient_reached_server(app: &TestApp) {
    for _ in 0..100 {
        if !server_patients(app).await.is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The file the app saved in its Downloads folder whose name ends so.
fn saved_file(desk: &Desktop, ending: &str) -> std::path::PathBuf {
    std::fs::read_dir(desk.data_dir.path().join("downloads"))
        .expect("the downloads folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(ending))
        .unwrap_or_else(|| panic!("a saved file ending {ending}"))
}

#[tokio::test]
async fn an_admin_saves_the_clinics_backup_and_it_restores_elsewhere() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Window Backup Clinic").await;
    desk.click("nav-patients").await;
    desk.add_patient("Saved", "9876501234", None).await;
    // The backup is the server's copy: wait for the patient to get there.
    patient_reached_server(&app).await;

    desk.click("nav-admin").await;
    desk.fill("backup-passphrase", "too short").await;
    desk.click("backup-download").await;
    desk.wait_text("backup-passphrase-error", |t| t.contains("12 characters"))
        .await;
    let passphrase = "lantern river copper autumn";
    desk.retype("backup-passphrase", passphrase).await;
    desk.fill("backup-repeat", "lantern river copper").await;
    desk.click("backup-download").await;
    desk.wait_text("backup-repeat-error", |t| t.contains("does not match"))
        .await;
    desk.retype("backup-repeat", passphrase).await;
    desk.click("backup-download").await;
    let saved = desk
        .wait_text("backup-saved", |t| t.contains(".clinic-backup"))
        .await;
    desk.screenshot("admin-backup-saved").await;

    let file = saved_file(&desk, ".clinic-backup");
    assert!(saved.contains(&file.display().to_string()), "{saved}");
    let key = Key::Passphrase(passphrase.to_owned().into());
    let target = TestApp::spawn().await;
    let input = open(std::fs::File::open(&file).expect("file"), &key).expect("opens with the passphrase");
    let restored = restore(&target.owner_pool, input, &Options::default())
        .await
        .expect("restores");
    let patients = restored
        .tables
        .iter()
        .find(|s| s.table == "patients")
        .expect("patients");
    assert_eq!(patients.rows, 1);
}

#[tokio::test]
async fn a_doctor_exports_a_patients_record_as_fhir_from_the_chart() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Window Fhir Clinic").await;
    desk.click("nav-patients").await;
    desk.add_patient("Farida", "9876501299", Some("Penicillin")).await;
    patient_reached_server(&app).await;
    desk.click("patient-row").await;
    desk.wait_text("chart-name", |t| t.contains("Farida")).await;
    desk.click("fhir-export").await;
    let saved = desk.wait_text("fhir-saved", |t| t.contains(".fhir.json")).await;
    let file = saved_file(&desk, ".fhir.json");
    assert!(saved.contains(&file.display().to_string()), "{saved}");
    let bundle: fhir_model::r4b::resources::Bundle =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("a FHIR R4B Bundle");
    let kinds: Vec<String> = bundle
        .entry
        .iter()
        .flatten()
        .filter_map(|e| e.resource.as_ref().map(|r| r.resource_type().to_string()))
        .collect();
    assert!(
        kinds.contains(&"Patient".to_owned()) && kinds.contains(&"AllergyIntolerance".to_owned()),
        "{kinds:?}"
    );
}
