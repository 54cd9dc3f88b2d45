//! Two PCs change the same patient's allergies while apart: the later
//! change wins, the other waits in "Needs review" on both PCs, with who
//! wrote each value on which PC; taking the other value writes it anew,
//! and the item leaves both lists and both badges. Needs a secret
//! service, like `desktop_core`.

use std::time::Duration;

use client::app::AppCore;
use clinic_tests::TestApp;
use clinic_tests::network::Switch;
use clinic_tests::pcs::{desk_core, registration, settled};
use contract::app::PatientForm;
use contract::screens::review::ResolveArgs;

const EMAIL: &str = "owner.review@example.org";
const PASSWORD: &str = "Review-Desk-2026";

fn meera(allergies: &str) -> PatientForm {
    PatientForm {
        first_name: "Meera".into(),
        last_name: "Rao".into(),
        mobile_number: "+91 98450 55555".into(),
        gender: "female".into(),
        date_of_birth: "1990-04-12".into(),
        allergies: allergies.into(),
        ..PatientForm::default()
    }
}

/// Syncs `pc` and waits until it has nothing pending and a sync finished.
async fn synced(pc: &AppCore) {
    pc.sync_now().await.expect("sync");
    settled(pc, Duration::from_secs(10)).await;
}

/// Waits until the PC's badge shows `n` items to review.
async fn badge(pc: &AppCore, n: i64) {
    for _ in 0..100 {
        pc.sync_now().await.expect("sync");
        tokio::time::sleep(Duration::from_millis(100)).await;
        if pc.sync_status().await.is_ok_and(|s| s.conflicts == n) {
            return;
        }
    }
    let last = pc.sync_status().await;
    let items = pc.review_items().await;
    panic!("the badge never showed {n} to review: {last:?} {items:?}");
}

#[tokio::test]
async fn a_lost_allergy_edit_is_reviewed_on_either_pc_and_settled_everywhere() {
    let app = TestApp::spawn().await;
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    // PC A reaches the server through a switch, so it can go offline.
    let network = Switch::start(app.base.trim_start_matches("http://")).await;
    let pc_a = desk_core(dir_a.path(), &network.url());
    let clinic = pc_a
        .register_clinic(registration("Review Clinic", "Dr Owner", EMAIL, PASSWORD, false))
        .await
        .expect("register");
    let row = pc_a.save_patient(None, meera("")).await.expect("patient");
    synced(&pc_a).await;
    let pc_b = desk_core(dir_b.path(), &app.base);
    pc_b.sign_in(&clinic.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("B signs in");
    for _ in 0..100 {
        if pc_b.search_patients("Meera").await.is_ok_and(|r| r.len() == 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A, offline, writes first; B writes later and syncs at once; A's
    // older value arrives last and loses.
    network.down().await;
    pc_a.save_patient(Some(row.id.clone()), meera("Penicillin"))
        .await
        .expect("A edits");
    tokio::time::sleep(Duration::from_millis(5)).await;
    pc_b.save_patient(Some(row.id.clone()), meera("Sulfa"))
        .await
        .expect("B edits");
    synced(&pc_b).await;
    network.up().await;
    synced(&pc_a).await;

    badge(&pc_a, 1).await;
    badge(&pc_b, 1).await;
    let items = pc_b.review_items().await.expect("list on B");
    assert_eq!(items.len(), 1, "{items:?}");
    let item = &items[0];
    assert_eq!(item.field, "Allergies");
    assert_eq!(item.patient_name.as_deref(), Some("Meera Rao"));
    assert_eq!(
        (item.kept_value.as_str(), item.lost_value.as_str()),
        ("Sulfa", "Penicillin")
    );
    assert_eq!(
        (item.kept_on.as_str(), item.lost_by.as_str()),
        ("this PC", "Dr Owner")
    );
    assert_ne!(item.lost_on, "this PC", "the lost value came from A");
    assert_eq!(
        pc_a.review_items().await.expect("list on A").len(),
        1,
        "the same list on A"
    );

    // B takes A's value: written anew, synced, and the item is gone everywhere.
    pc_b.resolve_review(ResolveArgs {
        id: item.id.clone(),
        take_other: true,
    })
    .await
    .expect("take the other value");
    synced(&pc_b).await;
    badge(&pc_a, 0).await;
    badge(&pc_b, 0).await;
    assert!(pc_a.review_items().await.expect("list").is_empty());
    for _ in 0..100 {
        let on_a = pc_a.search_patients("Meera").await.expect("search");
        if on_a.first().is_some_and(|p| p.allergies == ["Penicillin"]) {
            return;
        }
        pc_a.sync_now().await.expect("sync");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("A never saw the settled value");
}
