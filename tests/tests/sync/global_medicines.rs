//! A medicine the platform operator adds to the global catalog reaches a
//! clinic's PC with its next pull (no new snapshot), stays read-only there
//! as one of the platform's, takes the operator's changes, and leaves the
//! PC's search when retired. Needs a secret service.

use std::time::{Duration, Instant};

use clinic_server::operator::{AdminAction, MedicineAction, MedicineArgs, execute};
use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration, settled};
use contract::screens::catalog::MedicineRow;

const NAME: &str = "Ondansetron Platform";

async fn operator(app: &TestApp, action: MedicineAction) {
    execute(&app.owner_pool, "ops", &AdminAction::Medicine { action })
        .await
        .expect("operator action");
}

/// What the PC's medicine search shows for [`NAME`] once `done` holds
/// (syncing meanwhile), or what it showed when 20 s ran out.
async fn searched_until(
    pc: &client::app::AppCore,
    done: impl Fn(&[MedicineRow]) -> bool,
) -> Vec<MedicineRow> {
    let start = Instant::now();
    loop {
        pc.sync_now().await.expect("sync now");
        let found = pc.search_medicines(NAME).await.expect("search");
        if done(&found) || start.elapsed() > Duration::from_secs(20) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_pc_takes_in_the_operators_global_medicine_changes_as_it_syncs() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &app.base);
    pc.register_clinic(registration(
        "Catalog Clinic",
        "Dr Owner",
        "owner.catalog@example.org",
        "Catalog-Desk-2026",
        true,
    ))
    .await
    .expect("register");
    settled(&pc, Duration::from_secs(20)).await;
    assert!(pc.search_medicines(NAME).await.expect("search").is_empty());

    let text = MedicineArgs {
        name: Some(NAME.into()),
        composition: Some("Ondansetron 4 mg".into()),
        strength: Some("4 mg".into()),
        dosage_forms: Some("tablet, syrup".into()),
        ..MedicineArgs::default()
    };
    operator(&app, MedicineAction::Add { text }).await;
    let found = searched_until(&pc, |f| !f.is_empty()).await;
    assert_eq!(found.len(), 1, "{found:?}");
    let medicine = &found[0];
    assert!(
        medicine.global,
        "the platform's, read-only on the PC: {medicine:?}"
    );
    assert_eq!(
        (medicine.strength.as_deref(), medicine.dosage_forms.as_slice()),
        (Some("4 mg"), ["tablet".to_owned(), "syrup".to_owned()].as_slice())
    );
    assert_eq!(medicine.price_minor, None);

    let id = uuid::Uuid::parse_str(&medicine.id).expect("id");
    let stronger = MedicineArgs {
        strength: Some("8 mg".into()),
        ..MedicineArgs::default()
    };
    operator(&app, MedicineAction::Change { id, text: stronger }).await;
    let changed = searched_until(&pc, |f| {
        f.first().and_then(|m| m.strength.as_deref()) == Some("8 mg")
    })
    .await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].global,
        "still the platform's after a change: {changed:?}"
    );
    assert_eq!(changed[0].strength.as_deref(), Some("8 mg"));

    operator(&app, MedicineAction::Retire { id }).await;
    let retired = searched_until(&pc, <[MedicineRow]>::is_empty).await;
    assert!(
        retired.is_empty(),
        "a retired medicine leaves the search: {retired:?}"
    );
    assert_eq!(
        pc.sync_status().await.expect("status").pending,
        0,
        "taking in the platform's changes sends nothing back"
    );
}
