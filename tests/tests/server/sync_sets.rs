//! A pushed batch runs as a few set-based statements; when one of them
//! fails on a refusable error, the batch runs again op by op. Both ways
//! must answer, log, chain and stamp rows exactly alike.

use clinic_tests::pc::{Device, patient};
use clinic_tests::{Clinic, TestApp};
use domain::sync::OpKind;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// Row ids shared by both clinics' batches (ids are unique per clinic).
struct Ids {
    asha: Uuid,
    bela: Uuid,
    chitra: Uuid,
    dev: Uuid,
}

/// What a clinic holds after the batches: the results of the second
/// batch, its patients' log entries (seq, row, op, fields), open
/// conflicts, and rows whose `sync_seq` is not their last change's.
#[derive(Debug, PartialEq)]
struct Outcome {
    statuses: Vec<String>,
    lost: Vec<Value>,
    log: Vec<(i64, String, String, Value)>,
    conflicts: i64,
    stale_rows: i64,
}

/// A clinic's patients' log entries from 0 (seq, row, op, fields), its
/// conflicts, and rows whose `sync_seq` is not their last change's; its
/// chain checked intact on the way.
#[derive(Debug, PartialEq)]
pub(crate) struct Held {
    pub log: Vec<(i64, String, String, Value)>,
    pub conflicts: i64,
    pub stale_rows: i64,
}

pub(crate) async fn held(app: &TestApp, clinic: &Clinic, pc: &Device) -> Held {
    let pulled = pc.pull(app, 0).await;
    let log = pulled.body["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["table"] == "patients")
        .map(|c| {
            let row = c["row_id"].as_str().unwrap_or_default().to_owned();
            (
                c["seq"].as_i64().unwrap_or_default(),
                row,
                c["kind"].to_string(),
                c["fields"].clone(),
            )
        })
        .collect();
    let tenant = clinic.tenant_id;
    let conflicts = app
        .owner_count_in("SELECT count(*) FROM sync_conflicts WHERE tenant_id = $1", tenant)
        .await;
    let stale_rows = app
        .owner_count_in(
            "SELECT count(*) FROM patients p WHERE p.tenant_id = $1 AND p.sync_seq <> \
           (SELECT max(seq) FROM change_log l WHERE l.tenant_id = p.tenant_id AND l.row_id = p.id)",
            tenant,
        )
        .await;
    let code = domain::tenant::TenantCode::parse(&clinic.code).expect("code");
    let chain = clinic_server::sync::chain::verify_clinic(&app.owner_pool, &code)
        .await
        .expect("verify")
        .expect("the clinic exists");
    assert_eq!(
        (chain.first_bad, chain.head_mismatch),
        (None, false),
        "the chain is intact"
    );
    Held {
        log,
        conflicts,
        stale_rows,
    }
}

async fn push_batches(app: &TestApp, clinic: &Clinic, ids: &Ids, fail_one_at_the_database: bool) -> Outcome {
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    // Written offline before the insert below reached the server: it loses.
    let stale = pc.op("patients", ids.bela, OpKind::Update, json!({"notes": "stale"}));
    let first = [
        pc.op(
            "patients",
            ids.asha,
            OpKind::Insert,
            patient("Asha", "+919800000101"),
        ),
        pc.op(
            "patients",
            ids.bela,
            OpKind::Insert,
            json!({"first_name": "Bela", "mobile_number": "+919800000102",
            "date_of_birth": "1980-02-03", "gender": "female", "notes": "fresh"}),
        ),
        pc.op(
            "patients",
            ids.dev,
            OpKind::Insert,
            patient("Dev", "+919800000104"),
        ),
    ];
    let reply = pc.push(app, &first).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let mut second = vec![
        pc.op(
            "patients",
            ids.asha,
            OpKind::Update,
            json!({"notes": "penicillin", "blood_group": "O+"}),
        ),
        stale,
        // Inserted and changed in one batch: the change sees the stored row.
        pc.op(
            "patients",
            ids.chitra,
            OpKind::Insert,
            patient("Chitra", "+919800000103"),
        ),
        pc.op(
            "patients",
            ids.chitra,
            OpKind::Update,
            json!({"last_name": "Rao"}),
        ),
        pc.op("patients", ids.dev, OpKind::Delete, json!({})),
        pc.op(
            "patients",
            ids.asha,
            OpKind::Update,
            json!({"notes": "penicillin, sulfa"}),
        ),
    ];
    if fail_one_at_the_database {
        // Only the database knows the patient is missing: its refusal
        // sends the batch through the op-by-op path.
        second.push(pc.op("appointments", Uuid::now_v7(), OpKind::Insert, json!({
            "appointment_number": "APT202612010001", "patient_id": Uuid::now_v7(), "doctor_id": Uuid::now_v7(),
            "office_id": "main", "appointment_date": "2026-12-01", "appointment_time": "10:00", "reason": "x"})));
    }
    let reply = pc.push(app, &second).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let mut statuses = reply.op_results();
    if fail_one_at_the_database {
        assert_eq!(statuses.pop().as_deref(), Some("missing_reference"));
    }
    let results = reply.body["results"].as_array().expect("results");
    let lost = results
        .iter()
        .map(|r| r["lost_fields"].clone())
        .take(statuses.len())
        .collect();
    let Held {
        log,
        conflicts,
        stale_rows,
    } = held(app, clinic, &pc).await;
    Outcome {
        statuses,
        lost,
        log,
        conflicts,
        stale_rows,
    }
}

#[tokio::test]
async fn a_batch_applied_in_sets_answers_and_logs_exactly_as_op_by_op() {
    let app = TestApp::spawn().await;
    let ids = Ids {
        asha: Uuid::now_v7(),
        bela: Uuid::now_v7(),
        chitra: Uuid::now_v7(),
        dev: Uuid::now_v7(),
    };
    let in_sets = app.register_clinic_as("Sets Clinic", true).await;
    let op_by_op = app.register_clinic_as("Careful Clinic", true).await;
    let fast = push_batches(&app, &in_sets, &ids, false).await;
    let careful = push_batches(&app, &op_by_op, &ids, true).await;

    assert_eq!(
        fast.statuses,
        ["applied", "merged", "applied", "applied", "applied", "applied"]
    );
    assert_eq!(fast.lost[1], json!(["notes"]), "the stale note loses");
    assert_eq!((fast.conflicts, fast.stale_rows), (1, 0));
    let chitra = ids.chitra.to_string();
    let insert = fast
        .log
        .iter()
        .find(|(_, row, kind, _)| *row == chitra && kind == "\"insert\"")
        .expect("Chitra's insert is logged");
    assert_eq!(
        insert.3["relationship"], "self",
        "an insert is logged as stored, the server's defaults included"
    );
    assert_eq!(fast, careful, "both paths give the same answers, log and rows");
}

/// Text fields travel to their statement as text arrays, other fields as
/// JSON: both must store exactly what was sent, nulls included, whatever
/// the text holds.
#[tokio::test]
async fn text_and_typed_fields_are_stored_exactly_as_sent() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Exact Clinic", true).await;
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let (asha, bela) = (Uuid::now_v7(), Uuid::now_v7());
    let mut asha_fields = patient("Asha", "+919800000201");
    asha_fields["last_name"] = json!("Iyer");
    let inserts = [
        pc.op("patients", asha, OpKind::Insert, asha_fields),
        pc.op("patients", bela, OpKind::Insert, patient("Bela", "+919800000202")),
    ];
    assert_eq!(pc.push(&app, &inserts).await.status, StatusCode::OK);

    let tricky = "Allergic to \"sulfa\" \\ penicillin; 'ok' — ನಮಸ್ಕಾರ 🦷\n{\"not\": \"json\"}";
    let edits = [
        // Text only: the text arrays.
        pc.op(
            "patients",
            asha,
            OpKind::Update,
            json!({"notes": tricky, "last_name": null}),
        ),
        // A date with the text: the JSON form.
        pc.op(
            "patients",
            bela,
            OpKind::Update,
            json!({"notes": "", "date_of_birth": "1985-06-07"}),
        ),
    ];
    let reply = pc.push(&app, &edits).await;
    assert_eq!(reply.op_results(), ["applied", "applied"], "{:?}", reply.body);

    let stored: Vec<(Uuid, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT id, notes, last_name, date_of_birth::text FROM patients WHERE tenant_id = $1 ORDER BY id",
    )
    .bind(clinic.tenant_id)
    .fetch_all(&app.owner_pool)
    .await
    .expect("rows");
    assert_eq!(
        stored[0],
        (asha, Some(tricky.to_owned()), None, "1990-04-01".to_owned())
    );
    assert_eq!(
        (stored[1].0, stored[1].1.as_deref(), stored[1].3.as_str()),
        (bela, Some(""), "1985-06-07")
    );
}
