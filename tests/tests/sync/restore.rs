//! PCs of a clinic restored from a backup notice it (the clinic's epoch
//! changed), resync from a snapshot and send the changes they had not
//! sent, under batch numbers the restored server expects.

use clinic_tests::TestApp;
use clinic_tests::backups::age_key;
use clinic_tests::pcs::{new_patient, pc_patients, server_patients};
use serde_json::Value;

fn names(rows: &[serde_json::Map<String, Value>]) -> Vec<String> {
    let mut names: Vec<String> = rows
        .iter()
        .filter_map(|r| r.get("first_name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn pcs_of_a_restored_clinic_resync_and_keep_their_unsent_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Restored Clinic").await;
    let pc = app.pc(&clinic).await;
    let other = app.pc(&clinic).await;
    pc.insert("patients", new_patient("Before", "+919700000101"));
    pc.sync().await;
    other.sync().await;
    let file = app.take_backup(&clinic.code, &key, dir.path()).await;

    // After the backup: one change reaches the server (and the other PC),
    // then the PC goes on offline with one more, and pushes more batches.
    pc.insert("patients", new_patient("Lost", "+919700000102"));
    pc.sync().await;
    other.sync().await;
    assert_eq!(names(&pc_patients(&other)), ["Before", "Lost"]);
    let waiting = pc.insert("patients", new_patient("Waiting", "+919700000103"));
    assert_eq!(pc.pending(), 1);

    let restored = app
        .restore_replacing(&file, &key)
        .await
        .expect("restore over the live clinic");
    assert!(restored.replaced);
    assert!(
        restored.kept_sessions >= 2,
        "the PCs stay signed in: {}",
        restored.kept_sessions
    );
    assert_eq!(names(&server_patients(&app).await), ["Before"]);

    // Both PCs carry on without signing in again: each resyncs, the one
    // with an unsent change sends it, numbered after what the server has.
    let report = pc.sync().await;
    assert!(report.snapshot_rows > 0, "the PC took a snapshot: {report:?}");
    assert_eq!(pc.pending(), 0, "the unsent change went");
    assert_eq!(names(&server_patients(&app).await), ["Before", "Waiting"]);
    assert_eq!(names(&pc_patients(&pc)), ["Before", "Waiting"]);
    assert!(pc.rows("patients").iter().any(|r| r["id"] == waiting.to_string()));
    other.sync().await;
    assert_eq!(
        names(&pc_patients(&other)),
        ["Before", "Waiting"],
        "the other PC drops what the restore rolled back"
    );

    // And sync goes on as usual afterwards.
    other.insert("patients", new_patient("After", "+919700000104"));
    other.sync().await;
    pc.sync().await;
    assert_eq!(names(&pc_patients(&pc)), ["After", "Before", "Waiting"]);
}
