//! Prescriptions expire by date, recorded by the server alone: a sweep
//! sets `expired` after the last valid day and `active` again once renewed,
//! logs only the status (so PCs do not each write the same expiry), leaves
//! every other status alone and changes nothing when run again.

use chrono::{Days, Utc};
use clinic_tests::TestApp;
use clinic_tests::pc::{Device, clinic_with_patient, patient};
use domain::sync::OpKind;
use serde_json::{Value, json};
use uuid::Uuid;

fn prescription(n: usize, patient: Uuid, doctor: Uuid, valid_until: chrono::NaiveDate) -> Value {
    json!({"prescription_number": format!("RX20261201{n:04}"), "patient_id": patient, "doctor_id": doctor,
           "visit_date": "2026-10-01", "diagnosis": "Caries", "valid_until": valid_until.to_string(),
           "status": "draft"})
}

async fn statuses(app: &TestApp, ids: &[Uuid]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        let status: String = sqlx::query_scalar("SELECT status FROM prescriptions WHERE id = $1")
            .bind(id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("status");
        out.push(status);
    }
    out
}

#[tokio::test]
async fn the_server_records_expiry_by_date_once_and_only_the_status() {
    let app = TestApp::spawn().await;
    let (clinic, mut pc, patient_id) = clinic_with_patient(&app, "Expiry Clinic", "+919800000091").await;
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);

    let today = Utc::now().date_naive();
    let (past, future) = (today - Days::new(2), today + Days::new(10));
    // (last valid day, the statuses it walks through from draft)
    let cases: [(chrono::NaiveDate, &[&str]); 5] = [
        (past, &["active"]),              // past its day: expires
        (future, &["active"]),            // still valid
        (future, &["active", "expired"]), // renewed after expiring: active again
        (past, &["active", "completed"]), // finished: stays completed
        (past, &[]),                      // a draft is not issued: stays draft
    ];
    let ids: Vec<Uuid> = cases.iter().map(|_| Uuid::now_v7()).collect();
    let inserts: Vec<_> = cases
        .iter()
        .zip(&ids)
        .enumerate()
        .map(|(n, ((until, _), id))| {
            pc.op(
                "prescriptions",
                *id,
                OpKind::Insert,
                prescription(n, patient_id, doctor, *until),
            )
        })
        .collect();
    assert!(
        pc.push(&app, &inserts)
            .await
            .op_results()
            .iter()
            .all(|r| r == "applied")
    );
    for step in 0..2 {
        let ops: Vec<_> = cases
            .iter()
            .zip(&ids)
            .filter_map(|((_, walk), id)| walk.get(step).map(|s| (*id, *s)))
            .map(|(id, status)| pc.op("prescriptions", id, OpKind::Update, json!({"status": status})))
            .collect();
        let walked = pc.push(&app, &ops).await;
        assert!(
            walked.op_results().iter().all(|r| r == "applied"),
            "{:?}",
            walked.body
        );
    }
    // Not pulled yet: a pull would start the same sweep beside this test.
    let cursor: i64 = sqlx::query_scalar("SELECT last_seq FROM tenant_sync_state WHERE tenant_id = $1")
        .bind(clinic.tenant_id)
        .fetch_one(&app.owner_pool)
        .await
        .expect("cursor");

    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let changed = clinic_server::sync::expiry::sweep(&mut tx).await.expect("sweep");
    tx.commit().await.expect("commit");
    assert_eq!(changed, 2);
    assert_eq!(
        statuses(&app, &ids).await,
        ["expired", "active", "active", "completed", "draft"]
    );

    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let again = clinic_server::sync::expiry::sweep(&mut tx)
        .await
        .expect("sweep again");
    tx.commit().await.expect("commit");
    assert_eq!(again, 0, "idempotent");

    // PCs learn it through the log: one change per prescription, the
    // status alone.
    let pulled = pc.pull(&app, cursor).await.body;
    let changes = pulled["changes"].as_array().cloned().unwrap_or_default();
    let logged: Vec<(String, Value)> = changes
        .iter()
        .map(|c| (c["row_id"].as_str().unwrap_or("").to_owned(), c["fields"].clone()))
        .collect();
    assert_eq!(
        logged,
        [
            (ids[0].to_string(), json!({"status": "expired"})),
            (ids[2].to_string(), json!({"status": "active"}))
        ]
    );
}

#[tokio::test]
async fn a_pull_starts_the_clinics_sweep_without_waiting_for_it() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Swept Clinic", true).await;
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let patient_id = Uuid::now_v7();
    let id = Uuid::now_v7();
    let yesterday = Utc::now().date_naive() - Days::new(1);
    let ops = [
        pc.op(
            "patients",
            patient_id,
            OpKind::Insert,
            patient("Kavya", "+919800000092"),
        ),
        pc.op(
            "prescriptions",
            id,
            OpKind::Insert,
            prescription(1, patient_id, doctor, yesterday),
        ),
    ];
    assert_eq!(pc.push(&app, &ops).await.op_results(), ["applied", "applied"]);
    let issue = pc.op("prescriptions", id, OpKind::Update, json!({"status": "active"}));
    assert_eq!(pc.push(&app, &[issue]).await.op_results(), ["applied"]);

    assert_eq!(pc.pull(&app, 0).await.status, 200);
    let started = std::time::Instant::now();
    while statuses(&app, &[id]).await != ["expired"] {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "never swept"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
