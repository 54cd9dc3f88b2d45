//! A PC an admin removes: its next contact with the server erases the
//! clinic's data on it (database, exports, offline sign-ins, keychain) and
//! it can sign in to that clinic neither online nor offline; the admin's
//! PC carries on. Needs a secret service, like `desktop_core`.

use client::app::secrets::Secrets;
use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration, wait_until_removed};
use contract::app::{CommandCode, PatientForm};

const EMAIL: &str = "owner.removal@example.org";
const PASSWORD: &str = "Removal-Desk-2026";

fn patient(first_name: &str) -> PatientForm {
    PatientForm {
        first_name: first_name.into(),
        last_name: "Rao".into(),
        mobile_number: "+91 98450 33333".into(),
        gender: "female".into(),
        date_of_birth: "1990-04-12".into(),
        ..PatientForm::default()
    }
}

#[tokio::test]
async fn a_removed_pc_erases_the_clinic_and_cannot_sign_in_again() {
    let app = TestApp::spawn().await;
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let admin_pc = desk_core(dir_a.path(), &app.base);
    let clinic = admin_pc
        .register_clinic(registration("Removal Clinic", "Dr Owner", EMAIL, PASSWORD, false))
        .await
        .expect("register");
    let removed_pc = desk_core(dir_b.path(), &app.base);
    let on_b = removed_pc
        .sign_in(&clinic.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("sign in on B");
    removed_pc
        .save_patient(None, patient("Meera"))
        .await
        .expect("patient on B");
    removed_pc.sync_now().await.expect("sync");
    let tenant = clinic.tenant_id.replace('-', "");
    let b_db = dir_b.path().join(format!("clinics/clinic-{tenant}.sqlite3"));
    let b_exports = dir_b.path().join(format!("exports/clinic-{tenant}"));
    std::fs::create_dir_all(&b_exports).expect("exports");
    std::fs::write(b_exports.join("RX-1.pdf"), b"%PDF-").expect("an exported file");
    assert!(b_db.exists());
    let b_token = Secrets.refresh(&on_b.tenant_id, &on_b.user.id).expect("keychain");
    assert!(b_token.is_some(), "B keeps its sign-in in the keychain");

    // The admin's list shows B; removing it is one call.
    let pcs = admin_pc.devices().await.expect("devices");
    let b = pcs.iter().find(|pc| !pc.this_pc).expect("B is listed");
    assert_eq!(b.last_user_name.as_deref(), Some("Dr Owner"));
    admin_pc.revoke_device(&b.id.to_string()).await.expect("remove B");

    // B learns it on its next contact and erases the clinic.
    removed_pc.sync_now().await.ok();
    let refusal = wait_until_removed(&removed_pc).await;
    assert!(refusal.message.contains("Removal Clinic"), "{}", refusal.message);
    for gone in [&b_db, &b_exports] {
        assert!(!gone.exists(), "{} is erased", gone.display());
    }
    assert_eq!(
        Secrets.refresh(&on_b.tenant_id, &on_b.user.id).expect("keychain"),
        None
    );
    assert!(removed_pc.session().await.is_none());

    // Neither online nor offline (the verifier is gone) can B get back in.
    let online = removed_pc
        .sign_in(&clinic.clinic_code, EMAIL, PASSWORD)
        .await
        .expect_err("refused");
    assert_eq!(online.code, CommandCode::DeviceRevoked);
    drop(removed_pc);
    let offline = desk_core(dir_b.path(), "http://127.0.0.1:9")
        .sign_in(&clinic.clinic_code, EMAIL, PASSWORD)
        .await
        .expect_err("refused offline");
    assert_eq!(offline.code, CommandCode::DeviceRevoked);
    assert!(!b_db.exists(), "a refused sign-in opens no store");

    // The admin's PC is untouched.
    let on_a = admin_pc.search_patients("Meera").await.expect("search on A");
    admin_pc.sync_now().await.expect("sync A");
    assert!(admin_pc.session().await.is_some());
    let _ = on_a;
}
