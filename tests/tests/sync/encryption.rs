//! The desktop core keeps every database encrypted with keys in the
//! keychain; when a clinic's key is lost, the PC's copy starts anew from
//! the server after sign-in and the person is told what was lost. Needs a
//! secret service, like `desktop_core`.

use std::time::Duration;

use client::app::secrets::Secrets;
use client::store::cipher::is_plaintext;
use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration, settled};
use contract::app::PatientForm;

const EMAIL: &str = "owner.cipher@example.org";
const PASSWORD: &str = "Cipher-Desk-2026";

#[tokio::test]
async fn databases_are_encrypted_and_a_lost_key_refills_from_the_server() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let core = desk_core(dir.path(), &app.base);
    let session = core
        .register_clinic(registration("Cipher Clinic", "Dr Owner", EMAIL, PASSWORD, false))
        .await
        .expect("register");
    let form = PatientForm {
        first_name: "Meera".into(),
        last_name: "Rao".into(),
        mobile_number: "+91 98450 44444".into(),
        gender: "female".into(),
        date_of_birth: "1990-04-12".into(),
        ..PatientForm::default()
    };
    core.save_patient(None, form).await.expect("patient");
    core.sync_now().await.expect("sync");
    settled(&core, Duration::from_secs(20)).await;
    let db = dir.path().join(format!(
        "clinics/clinic-{}.sqlite3",
        session.tenant_id.replace('-', "")
    ));
    assert!(
        db.exists() && !is_plaintext(&db),
        "the clinic's store is encrypted"
    );
    assert!(
        !is_plaintext(&dir.path().join("app.sqlite3")),
        "so is the registry"
    );
    core.sign_out().await.expect("sign out");
    drop(core);

    // The keychain loses the clinic's key.
    Secrets.forget_db_key(&session.tenant_id).expect("forget");
    let core = desk_core(dir.path(), &app.base);
    let again = core
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("sign in");
    let notice = again.notice.expect("the person is told");
    assert!(notice.contains("not been synced are lost"), "{notice}");
    let mut found = 0;
    for _ in 0..200 {
        found = core.search_patients("Meera").await.map_or(0, |r| r.len());
        if found == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(found, 1, "the clinic's records came back from the server");
    assert!(!is_plaintext(&db), "under a new key");
}
