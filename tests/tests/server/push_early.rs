//! A large batch of edits is read and planned before the clinic's log lock
//! (`sync::early`), while the batch ahead of it is applied. A row written
//! by someone else in between must not be overwritten with a plan made
//! against its older version: the batch is planned again under the lock.

use std::time::{Duration, Instant};

use clinic_server::auth::JwtKeys;
use clinic_server::db::changes;
use clinic_server::sync::early;
use clinic_tests::pc::{Device, patient};
use clinic_tests::{Clinic, TestApp};
use domain::sync::{Op, OpKind, PROTOCOL_VERSION, PushRequest};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::sync_sets::{Held, held};

/// More than the smallest batch planned early.
const EDITS: usize = 70;

/// A clinic with `EDITS` patients pushed by its owner's PC.
async fn clinic_with_patients(app: &TestApp, name: &str) -> (Clinic, Device, Vec<Uuid>) {
    let ids: Vec<Uuid> = (0..EDITS).map(|_| Uuid::now_v7()).collect();
    clinic_with(app, name, ids).await
}

/// A clinic with the patients `ids` (ids are unique per clinic, so two
/// clinics may hold the same).
async fn clinic_with(app: &TestApp, name: &str, ids: Vec<Uuid>) -> (Clinic, Device, Vec<Uuid>) {
    let clinic = app.register_clinic_as(name, true).await;
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let inserts: Vec<Op> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let mobile = format!("+9198000{n:05}");
            pc.op(
                "patients",
                *id,
                OpKind::Insert,
                patient(&format!("P{n}"), &mobile),
            )
        })
        .collect();
    let reply = pc.push(app, &inserts).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    (clinic, pc, ids)
}

fn note_edits(pc: &mut Device, ids: &[Uuid]) -> Vec<Op> {
    ids.iter()
        .enumerate()
        .map(|(n, id)| {
            pc.op(
                "patients",
                *id,
                OpKind::Update,
                json!({"notes": format!("early {n}")}),
            )
        })
        .collect()
}

fn request(pc: &Device, ops: &[Op]) -> PushRequest {
    serde_json::from_value(
        json!({"protocol": PROTOCOL_VERSION, "device_id": pc.id, "batch_seq": pc.next_batch, "ops": ops}),
    )
    .expect("a push request")
}

/// Writes a later note on `row` as another writer would, committed.
async fn note_written_meanwhile(app: &TestApp, pc: &mut Device, row: Uuid) {
    let later = pc.hlc().to_string();
    sqlx::query(
        "UPDATE patients SET notes = 'kept', field_hlc = field_hlc || jsonb_build_object('notes', $2::text) \
          WHERE id = $1",
    )
    .bind(row)
    .bind(later)
    .execute(&app.owner_pool)
    .await
    .expect("the other write");
}

#[tokio::test]
async fn a_plan_made_before_the_lock_is_dropped_when_a_row_changed_under_it() {
    let app = TestApp::spawn().await;
    let (clinic, mut pc, ids) = clinic_with_patients(&app, "Early Clinic").await;
    let claims = JwtKeys::new(&app.jwt_secret, 900)
        .expect("keys")
        .verify(&clinic.access_token)
        .expect("claims");
    let edits = note_edits(&mut pc, &ids);
    let req = request(&pc, &edits);

    // Nothing changed in between: the plan is written as made.
    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let planned = early::prepare(&mut tx, &claims, &req)
        .await
        .expect("prepare")
        .expect("a batch of edits is planned before the lock");
    let counter = changes::lock_counter(&mut tx).await.expect("lock");
    let outcome = planned
        .apply(&mut tx, &claims, &counter)
        .await
        .expect("apply")
        .expect("written as planned");
    assert_eq!(outcome.results.len(), EDITS);
    assert_eq!(outcome.entries.len(), EDITS);
    tx.rollback().await.expect("rollback");

    // One row written by someone else after the plan: nothing is written.
    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let planned = early::prepare(&mut tx, &claims, &req)
        .await
        .expect("prepare")
        .expect("planned early");
    note_written_meanwhile(&app, &mut pc, ids[3]).await;
    let counter = changes::lock_counter(&mut tx).await.expect("lock");
    let outcome = planned.apply(&mut tx, &claims, &counter).await.expect("apply");
    assert!(outcome.is_none(), "a plan made against an older row is dropped");
    let written: i64 = sqlx::query_scalar("SELECT count(*) FROM patients WHERE notes LIKE 'early %'")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(written, 0, "nothing of the dropped plan stays written");
    tx.rollback().await.expect("rollback");

    // What depends on more than the row is planned under the lock only.
    let mut family = note_edits(&mut pc, &ids);
    family[0]
        .fields
        .insert("mobile_number".into(), json!("+919811111111"));
    let mut twice = note_edits(&mut pc, &ids);
    twice.push(pc.op("patients", ids[0], OpKind::Update, json!({"notes": "again"})));
    for ops in [family, twice] {
        let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
        let planned = early::prepare(&mut tx, &claims, &request(&pc, &ops))
            .await
            .expect("prepare");
        assert!(planned.is_none(), "not planned early");
    }
}

/// Each op's status and lost fields, and what the clinic holds after.
type Edited = (Vec<(String, serde_json::Value)>, Held);

/// Edits every patient of a new clinic, five of them with a note written
/// offline before a newer one reached the server: as one batch (planned
/// before the lock) or as two smaller ones (planned under it).
async fn edited(app: &TestApp, name: &str, ids: &[Uuid], in_one_batch: bool) -> Edited {
    let (clinic, mut pc, ids) = clinic_with(app, name, ids.to_vec()).await;
    let mut ops: Vec<Op> = ids[..5]
        .iter()
        .map(|id| {
            pc.op(
                "patients",
                *id,
                OpKind::Update,
                json!({"notes": "stale", "blood_group": "O+"}),
            )
        })
        .collect();
    let newer: Vec<Op> = ids[..5]
        .iter()
        .map(|id| pc.op("patients", *id, OpKind::Update, json!({"notes": "newer"})))
        .collect();
    assert_eq!(pc.push(app, &newer).await.status, StatusCode::OK);
    ops.extend(note_edits(&mut pc, &ids[5..]));
    let parts = if in_one_batch {
        vec![&ops[..]]
    } else {
        ops.chunks(EDITS / 2).collect()
    };
    let mut answers = Vec::new();
    for part in parts {
        let reply = pc.push(app, part).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        for result in reply.body["results"].as_array().expect("results") {
            answers.push((result["status"].to_string(), result["lost_fields"].clone()));
        }
    }
    (answers, held(app, &clinic, &pc).await)
}

#[tokio::test]
async fn a_batch_planned_before_the_lock_answers_and_logs_as_one_planned_under_it() {
    let app = TestApp::spawn().await;
    let ids: Vec<Uuid> = (0..EDITS).map(|_| Uuid::now_v7()).collect();
    let early = edited(&app, "Whole Batch Clinic", &ids, true).await;
    let locked = edited(&app, "Split Batch Clinic", &ids, false).await;
    let (answers, held) = &early;
    assert_eq!(answers.len(), EDITS);
    for (n, (status, lost)) in answers.iter().enumerate() {
        let expected = if n < 5 {
            ("\"merged\"", json!(["notes"]))
        } else {
            ("\"applied\"", serde_json::Value::Null)
        };
        assert_eq!((status.as_str(), lost), (expected.0, &expected.1), "op {n}");
    }
    assert_eq!((held.conflicts, held.stale_rows), (5, 0));
    assert_eq!(early, locked, "the same answers, log, conflicts and rows");
}

/// Through the API, with the clinic's lock held while the batch waits for
/// it: the row changed meanwhile keeps the later note, the others apply.
#[tokio::test]
async fn a_row_written_while_a_batch_waits_for_the_lock_keeps_the_later_write() {
    let app = TestApp::spawn().await;
    let (clinic, mut pc, ids) = clinic_with_patients(&app, "Queue Clinic").await;
    let edits = note_edits(&mut pc, &ids);

    let mut holder = app.hold_log(clinic.tenant_id).await;
    let holder_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *holder)
        .await
        .expect("pid");
    let push = {
        let app_base = app.base.clone();
        let http = app.http.clone();
        let body = json!({"protocol": PROTOCOL_VERSION, "device_id": pc.id, "batch_seq": pc.next_batch, "ops": edits});
        let token = clinic.access_token.clone();
        tokio::spawn(async move {
            http.post(format!("{app_base}/api/v1/sync/push"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("push")
                .json::<serde_json::Value>()
                .await
                .expect("answer")
        })
    };
    wait_for_a_push_on_the_lock(&app, holder_pid).await;
    note_written_meanwhile(&app, &mut pc, ids[3]).await;
    holder.commit().await.expect("release the lock");

    let answer = tokio::time::timeout(Duration::from_secs(30), push)
        .await
        .expect("the push ends")
        .expect("joined");
    let results = answer["results"].as_array().expect("results");
    assert_eq!(results.len(), EDITS, "{answer}");
    for (n, result) in results.iter().enumerate() {
        let expected = if n == 3 { "merged" } else { "applied" };
        assert_eq!(result["status"], expected, "op {n}: {result}");
    }
    assert_eq!(results[3]["lost_fields"], json!(["notes"]));
    let note: String = sqlx::query_scalar("SELECT notes FROM patients WHERE id = $1")
        .bind(ids[3])
        .fetch_one(&app.owner_pool)
        .await
        .expect("row");
    assert_eq!(note, "kept", "the later write stays");
    let applied = app
        .owner_count_in(
            "SELECT count(*) FROM patients WHERE tenant_id = $1 AND notes LIKE 'early %'",
            clinic.tenant_id,
        )
        .await;
    assert_eq!(applied, EDITS as i64 - 1);
}

/// Until a backend waits for `holder`'s locks (bounded: 20 s). The owner
/// role cannot read the app role's queries, but it sees who blocks whom.
async fn wait_for_a_push_on_the_lock(app: &TestApp, holder: i32) {
    let started = Instant::now();
    loop {
        let waiting: i64 =
            sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))")
                .bind(holder)
                .fetch_one(&app.owner_pool)
                .await
                .expect("waiters");
        if waiting > 0 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no push waited on the lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
