//! A restore over a live clinic is a writer of its log like a push: it
//! takes the clinic's log lock before it deletes a row. A push takes the
//! log lock, then the rows it changes; a restore that deleted first and
//! met the log lock later would hold rows the push waits for while it
//! waits for the push, and PostgreSQL would abort one of them.

use std::time::Duration;

use clinic_tests::TestApp;
use clinic_tests::backups::age_key;
use clinic_tests::pc::{Device, patient};
use domain::sync::OpKind;
use uuid::Uuid;

#[tokio::test]
async fn a_restore_over_a_live_clinic_waits_for_a_push_before_it_touches_a_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Restore Order Clinic").await;
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let patient_id = Uuid::now_v7();
    let add = pc.op(
        "patients",
        patient_id,
        OpKind::Insert,
        patient("Asha", "+919800000401"),
    );
    assert_eq!(pc.push(&app, &[add]).await.op_results(), ["applied"]);
    let file = app.take_backup(&clinic.code, &key, dir.path()).await;

    // Hold the clinic's log lock, as a push in progress does.
    let mut push = app.hold_log(clinic.tenant_id).await;

    let restore = app.restore_replacing(&file, &key);
    let push_goes_on = async {
        waits_for_a_lock(&app).await;
        // The push goes on to change its rows and note its batch as
        // applied: none of them is held by the restore.
        let statements = [
            "UPDATE patients SET notes = 'pushed' WHERE tenant_id = $1 AND id = $2",
            "UPDATE applied_batches SET last_batch_seq = last_batch_seq + 1 WHERE tenant_id = $1 AND device_id = $2",
        ];
        for (sql, id) in statements.into_iter().zip([patient_id, clinic.device_id]) {
            let changed = sqlx::query(sql)
                .bind(clinic.tenant_id)
                .bind(id)
                .execute(&mut *push);
            let changed = tokio::time::timeout(Duration::from_secs(2), changed)
                .await
                .unwrap_or_else(|_| panic!("the push waits for the restore: {sql}"))
                .expect("write");
            assert_eq!(
                changed.rows_affected(),
                1,
                "the restore deleted nothing yet: {sql}"
            );
        }
        push.commit().await.expect("the push commits");
    };
    let (restored, ()) = tokio::join!(restore, push_goes_on);
    let restored = restored.expect("the restore runs once the push is done");
    assert!(restored.replaced);

    // The restore came after the push: the backup's version stands.
    let notes: Option<String> =
        sqlx::query_scalar("SELECT notes FROM patients WHERE tenant_id = $1 AND id = $2")
            .bind(clinic.tenant_id)
            .bind(patient_id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("the patient is back");
    assert_ne!(notes.as_deref(), Some("pushed"));
}

/// Until a session of the server's database waits for a lock (the
/// restore, queued behind the held log), at most 5 s.
async fn waits_for_a_lock(app: &TestApp) {
    for _ in 0..50 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&app.owner_pool)
        .await
        .expect("activity");
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the restore never waited for the push");
}
