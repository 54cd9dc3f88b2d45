//! Tombstones go only when every active PC has pulled past them; a PC
//! that was away longer resyncs from a snapshot and drops purged rows.

use clinic_server::sync::gc::purge_tombstones;
use clinic_tests::TestApp;
use clinic_tests::pcs::{Pc, new_patient, pc_patients, server_patients};

/// The PC that registered the clinic in these tests never syncs; as a real
/// idle PC would after the window, it stops holding tombstones back.
async fn retire_registration_device(app: &TestApp, clinic: &clinic_tests::Clinic) {
    sqlx::query("UPDATE devices SET last_seen_at = now() - interval '200 days' WHERE id = $1")
        .bind(clinic.device_id)
        .execute(&app.owner_pool)
        .await
        .expect("age device");
}

/// PCs A and B of a new clinic; A deleted a patient both had, B has not
/// pulled the delete, so its tombstone is held back.
async fn a_delete_b_has_not_pulled(app: &TestApp, name: &str) -> (clinic_tests::Clinic, Pc, Pc) {
    let clinic = app.register_clinic(name).await;
    let a = app.pc(&clinic).await;
    let b = app.pc(&clinic).await;
    let gone = a.insert("patients", new_patient("Gone", "+919700000002"));
    a.sync().await;
    b.sync().await;
    a.delete("patients", gone);
    a.sync().await;
    retire_registration_device(app, &clinic).await;
    let report = purge_tombstones(&app.owner_pool, 90).await.expect("gc");
    assert_eq!(report.purged, 0, "B has not pulled the delete yet");
    assert_eq!(tombstones(app).await, 1);
    (clinic, a, b)
}

async fn tombstones(app: &TestApp) -> i64 {
    app.owner_count("SELECT count(*) FROM patients WHERE deleted_at IS NOT NULL")
        .await
}

#[tokio::test]
async fn tombstones_wait_for_every_active_pc_then_go() {
    let app = TestApp::spawn().await;
    let (_clinic, a, b) = a_delete_b_has_not_pulled(&app, "GC Clinic").await;
    let keep = a.insert("patients", new_patient("Keep", "+919700000001"));
    a.sync().await;
    b.sync().await;
    let report = purge_tombstones(&app.owner_pool, 90).await.expect("gc");
    assert_eq!(report.purged, 1);
    assert_eq!(tombstones(&app).await, 0);
    // Both PCs carry on as before.
    a.update("patients", keep, serde_json::json!({"notes": "after gc"}));
    a.sync().await;
    b.sync().await;
    assert_eq!(pc_patients(&b), server_patients(&app).await);
}

#[tokio::test]
async fn a_pc_away_longer_than_the_window_resyncs_and_drops_purged_rows() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Away Clinic").await;
    let a = app.pc(&clinic).await;
    let away = app.pc(&clinic).await;
    let gone = a.insert("patients", new_patient("Gone", "+919700000003"));
    a.insert("patients", new_patient("Stays", "+919700000004"));
    a.sync().await;
    away.sync().await;
    a.delete("patients", gone);
    a.sync().await;
    // The away PC was last seen long ago and does not hold the tombstone.
    let away_device = away.engine.store().expect("store").device_id().as_uuid();
    sqlx::query("UPDATE devices SET last_seen_at = now() - interval '200 days' WHERE id = $1")
        .bind(away_device)
        .execute(&app.owner_pool)
        .await
        .expect("age device");
    retire_registration_device(&app, &clinic).await;
    let report = purge_tombstones(&app.owner_pool, 90).await.expect("gc");
    assert_eq!(report.purged, 1);

    // Meanwhile it wrote something offline; it must survive the resync.
    let offline = away.insert("patients", new_patient("Offline", "+919700000005"));
    let sync = away.sync().await;
    assert!(
        sync.snapshot_rows > 0,
        "the log was purged: snapshot instead ({sync:?})"
    );
    let ids: Vec<String> = away
        .rows("patients")
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect();
    assert!(
        !ids.contains(&gone.to_string()),
        "the purged row is gone locally too"
    );
    assert!(ids.contains(&offline.to_string()));
    assert_eq!(pc_patients(&away), server_patients(&app).await);
}

#[tokio::test]
async fn a_removed_pc_no_longer_holds_tombstones_back() {
    let app = TestApp::spawn().await;
    let (clinic, _a, b) = a_delete_b_has_not_pulled(&app, "GC Removal Clinic").await;

    let b_id = b.engine.store().expect("store").device_id().as_uuid();
    let removed = app
        .post(
            &format!("/devices/{b_id}/revoke"),
            &serde_json::json!({}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(removed.status, reqwest::StatusCode::OK, "{:?}", removed.body);
    let report = purge_tombstones(&app.owner_pool, 90).await.expect("gc");
    assert_eq!(report.purged, 1, "the removed PC is not waited for");
    assert_eq!(tombstones(&app).await, 0);
}
