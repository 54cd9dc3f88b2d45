//! PCs that work offline and then sync end up holding the same rows.

use clinic_tests::TestApp;
use clinic_tests::pcs::{new_patient, pc_patients, server_patients};
use serde_json::json;

#[tokio::test]
async fn two_pcs_editing_offline_converge_and_the_same_field_loser_is_a_conflict() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Two PC Clinic", true).await;
    let a = app.pc(&clinic).await;
    let b = app.pc(&clinic).await;
    let shared = a.insert("patients", new_patient("Shared", "+919811111111"));
    let doomed = a.insert("patients", new_patient("Doomed", "+919822222222"));
    a.sync().await;
    let first = b.sync().await;
    assert!(
        first.snapshot_rows >= 4,
        "B's first sync is a snapshot: {first:?}"
    );
    assert_eq!(pc_patients(&b), pc_patients(&a));

    // Offline: creates on both, different fields of one patient, the same
    // field (B writes last), and A deletes a patient B is editing.
    let from_a = a.insert("patients", new_patient("Created on A", "+919833333333"));
    let from_b = b.insert("patients", new_patient("Created on B", "+919844444444"));
    a.update("patients", shared, json!({"address": "12 MG Road"}));
    b.update("patients", shared, json!({"last_name": "Rao"}));
    a.update("patients", shared, json!({"notes": "from A"}));
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    b.update("patients", shared, json!({"notes": "from B"}));
    a.delete("patients", doomed);
    b.update(
        "patients",
        doomed,
        json!({"notes": "edited while deleted elsewhere"}),
    );
    assert_eq!((a.pending(), b.pending()), (4, 4));

    let b_report = b.sync().await;
    let a_report = a.sync().await;
    b.sync().await;
    assert_eq!(b_report.applied, 4);
    assert_eq!(a_report.merged, 1, "A's notes lost to B's later write");
    let b_refused = b.engine.store().expect("store").refused().expect("refused");
    assert!(
        b_refused.is_empty(),
        "B pushed before A's delete, so its edit applied: {b_refused:?}"
    );

    let server = server_patients(&app).await;
    assert_eq!(pc_patients(&a), server);
    assert_eq!(pc_patients(&b), server);
    let s = server
        .iter()
        .find(|p| p["id"] == json!(shared.to_string()))
        .expect("shared");
    assert_eq!(
        (&s["address"], &s["last_name"], &s["notes"]),
        (&json!("12 MG Road"), &json!("Rao"), &json!("from B"))
    );
    assert!(
        server.iter().all(|p| p["id"] != json!(doomed.to_string())),
        "the delete wins"
    );
    assert!(server.iter().any(|p| p["id"] == json!(from_a.to_string())));
    assert!(server.iter().any(|p| p["id"] == json!(from_b.to_string())));

    assert_eq!(
        a.engine
            .store()
            .expect("store")
            .open_conflicts()
            .expect("conflicts"),
        1
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM sync_conflicts").await, 1);
    let status = a.engine.status().borrow().clone();
    assert!(
        status.online && status.pending == 0 && status.conflicts == 1,
        "{status:?}"
    );
    assert!(status.last_sync_at.is_some());
}

#[tokio::test]
async fn an_edit_made_offline_after_a_delete_elsewhere_never_revives_the_row() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Tombstone Clinic").await;
    let a = app.pc(&clinic).await;
    let b = app.pc(&clinic).await;
    let id = a.insert("patients", new_patient("Temp", "+919855555555"));
    a.sync().await;
    b.sync().await;
    a.delete("patients", id);
    a.sync().await;
    // B was offline all along and edits the row, then comes back.
    b.update("patients", id, json!({"notes": "late edit"}));
    let report = b.sync().await;
    assert_eq!(report.refused, 1);
    let refused = b.engine.store().expect("store").refused().expect("refused");
    assert_eq!(refused[0].refusal, domain::sync::Refusal::Deleted);
    assert!(
        b.rows("patients").is_empty(),
        "the pulled tombstone removed it on B too"
    );
    assert!(server_patients(&app).await.is_empty());
}

#[tokio::test]
async fn five_pcs_pushing_at_once_leave_a_gapless_sequence_and_lose_nothing() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Busy Clinic").await;
    let mut pcs = Vec::new();
    for _ in 0..5 {
        let pc = app.pc(&clinic).await;
        pc.sync().await;
        pcs.push(pc);
    }
    for (n, pc) in pcs.iter().enumerate() {
        for i in 0..120 {
            pc.insert(
                "patients",
                new_patient(&format!("PC{n} #{i}"), &format!("+91980{n}{i:05}")),
            );
        }
    }
    let rounds = pcs.iter().map(|pc| pc.engine.sync_once());
    for result in futures_util::future::join_all(rounds).await {
        result.expect("concurrent sync");
    }
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 600);
    let (count, max, distinct): (i64, i64, i64) =
        sqlx::query_as("SELECT count(*), max(seq), count(DISTINCT seq) FROM change_log")
            .fetch_one(&app.owner_pool)
            .await
            .expect("log");
    assert_eq!((count, distinct), (max, max), "sequence 1..={max} without gaps");
    for pc in &pcs {
        pc.sync().await;
        assert_eq!(pc.rows("patients").len(), 600);
    }
}
