//! "Remove this clinic's data from this PC": refused while changes have
//! not synced unless the person accepts losing them; then the clinic's
//! database, exports, key, offline sign-ins and tokens are gone, and the
//! PC can still sign in (it stays the clinic's) and gets the records back.
//! Needs a secret service, like `desktop_core`.

use std::time::Duration;

use client::app::secrets::Secrets;
use clinic_tests::TestApp;
use clinic_tests::network::Switch;
use clinic_tests::pcs::{desk_core, patient_form, registration, settled};
use contract::app::{CommandCode, PatientForm};

const EMAIL: &str = "owner.forget@example.org";
const PASSWORD: &str = "Forget-Desk-2026";

fn patient(first: &str, mobile: &str) -> PatientForm {
    patient_form(first, "Rao", mobile)
}

#[tokio::test]
async fn a_clinic_is_removed_from_this_pc_only_with_unsynced_changes_accepted() {
    let app = TestApp::spawn().await;
    let network = Switch::start(app.base.trim_start_matches("http://")).await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &network.url());
    let session = pc
        .register_clinic(registration("Forget Clinic", "Dr Owner", EMAIL, PASSWORD, false))
        .await
        .expect("register");
    pc.save_patient(None, patient("Meera", "+91 98450 66666"))
        .await
        .expect("patient");
    settled(&pc, Duration::from_secs(10)).await;
    network.down().await;
    pc.save_patient(None, patient("Ravi", "+91 98450 77777"))
        .await
        .expect("offline patient");
    let refused = pc
        .forget_clinic_here(false)
        .await
        .expect_err("an unsynced change");
    assert_eq!(refused.code, CommandCode::Conflict);
    assert!(refused.message.contains("1 change"), "{}", refused.message);
    assert!(pc.session().await.is_some(), "nothing happened");

    pc.forget_clinic_here(true).await.expect("accepted the loss");
    let db = dir.path().join(format!(
        "clinics/clinic-{}.sqlite3",
        session.tenant_id.replace('-', "")
    ));
    assert!(!db.exists(), "the clinic's database is gone");
    assert!(pc.session().await.is_none(), "signed out");
    assert_eq!(Secrets.db_key(&session.tenant_id).expect("keychain"), None);
    assert_eq!(
        Secrets
            .refresh(&session.tenant_id, &session.user.id)
            .expect("keychain"),
        None
    );
    let offline = pc
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect_err("no offline sign-in left");
    assert_eq!(offline.code, CommandCode::UnknownOfflineUser);

    // Online again, the PC is still the clinic's and gets the records back.
    network.up().await;
    pc.sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("signs in again");
    let mut found = Vec::new();
    for _ in 0..100 {
        found = pc.search_patients("Rao").await.unwrap_or_default();
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let names: Vec<&str> = found.iter().map(|p| p.first_name.as_str()).collect();
    assert_eq!(
        names,
        ["Meera"],
        "the synced record came back; the discarded one did not"
    );
}
