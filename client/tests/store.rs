//! The PC store on its own: local writes and their outbox entries, batches,
//! acknowledgements, pulled changes, and upgrades from a frozen old schema.

mod common;

use client::Store;
use client::store::MIGRATIONS;
use common::{applied, key};
use domain::ids::{DeviceId, TenantId};
use domain::sync::{Change, HlcClock, OpKind, OpResult, OpStatus, PROTOCOL_VERSION, PushResponse, Refusal};
use serde_json::{Map, Value, json};
use uuid::Uuid;

fn fields(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn patient(name: &str) -> Map<String, Value> {
    fields(
        json!({"first_name": name, "mobile_number": "+919800000001", "date_of_birth": "1990-01-01", "gender": "male", "allergies": ["penicillin"]}),
    )
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), TenantId::new(), &key()).expect("open");
    (dir, store)
}

#[test]
fn every_local_write_lands_in_its_table_and_the_outbox_together() {
    let (_dir, mut store) = open();
    let id = store.insert("patients", patient("Asha")).expect("insert");
    store
        .update("patients", id, fields(json!({"notes": "diabetic"})))
        .expect("update");
    assert_eq!(store.pending_count().expect("count"), 2);
    let row = store.get("patients", id).expect("get").expect("row");
    assert_eq!(row["notes"], "diabetic");
    assert_eq!(
        row["allergies"],
        json!(["penicillin"]),
        "JSON survives the round trip"
    );

    let batch = store.next_batch(100).expect("batch").expect("some");
    assert_eq!(batch.ops.len(), 2);
    assert_eq!(
        batch.ops[1].fields,
        fields(json!({"notes": "diabetic"})),
        "only the changed field"
    );
    assert!(batch.ops[0].hlc < batch.ops[1].hlc);
    // Until acknowledged, the same batch comes back unchanged.
    store.insert("patients", patient("Later")).expect("insert");
    let again = store.next_batch(100).expect("batch").expect("some");
    assert_eq!(again, batch);

    store.delete("patients", id).expect("delete");
    assert_eq!(store.get("patients", id).expect("get"), None);
    assert!(
        store
            .update("patients", id, fields(json!({"notes": "x"})))
            .is_err(),
        "a deleted row stays deleted"
    );
}

#[test]
fn bad_writes_are_refused_before_anything_is_written() {
    let (_dir, mut store) = open();
    assert!(
        store
            .insert("patients", fields(json!({"first_name": 42})))
            .is_err()
    );
    assert!(
        store
            .insert("patients", fields(json!({"tenant_id": "x"})))
            .is_err()
    );
    assert!(
        store.insert("users", fields(json!({"email": "a@b.in"}))).is_err(),
        "server-managed table"
    );
    assert!(store.insert("nonsense", Map::new()).is_err());
    assert!(
        store
            .update("patients", Uuid::now_v7(), fields(json!({"notes": "x"})))
            .is_err()
    );
    assert_eq!(store.pending_count().expect("count"), 0);
}

#[test]
fn an_acknowledged_batch_leaves_the_outbox_and_refusals_are_kept_for_the_user() {
    let (_dir, mut store) = open();
    let kept = store.insert("patients", patient("Kept")).expect("insert");
    let refused = store.insert("patients", patient("Refused")).expect("insert");
    let batch = store.next_batch(100).expect("batch").expect("some");
    let response = PushResponse {
        protocol: PROTOCOL_VERSION,
        batch_seq: batch.batch_seq,
        cursor: 7,
        results: vec![
            OpResult {
                op_id: batch.ops[0].op_id,
                status: OpStatus::Applied,
                refusal: None,
                message: None,
                lost_fields: vec![],
                current: None,
            },
            OpResult {
                op_id: batch.ops[1].op_id,
                status: OpStatus::Refused,
                refusal: Some(Refusal::PlanLimitReached),
                message: Some("the plan allows 1 patients".into()),
                lost_fields: vec![],
                current: None,
            },
        ],
    };
    let acked = store.ack_batch(&batch, &response).expect("ack");
    assert_eq!((acked.applied, acked.refused), (1, 1));
    assert_eq!(store.pending_count().expect("count"), 0);
    let list = store.refused().expect("refused");
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].row_id, list[0].refusal),
        (refused, Refusal::PlanLimitReached)
    );
    store.discard_refused(list[0].op_id).expect("discard");
    assert!(store.refused().expect("refused").is_empty());
    assert_eq!(
        store.get("patients", refused).expect("get"),
        None,
        "a discarded create is gone"
    );
    assert!(store.get("patients", kept).expect("get").is_some());
    assert_eq!(store.next_batch(100).expect("batch"), None);
}

#[test]
fn pulled_changes_merge_by_field_clock_and_never_revive_a_deleted_row() {
    let (_dir, mut store) = open();
    let id = store.insert("patients", patient("Local")).expect("insert");
    let mut remote = HlcClock::new(DeviceId::new());
    let old = remote.tick(1);
    let newer = remote.tick(client::now_ms() + 1000);
    let change = |seq, kind, fields: Value, hlc| Change {
        seq,
        table: "patients".into(),
        row_id: id,
        kind,
        global: false,
        fields: self::fields(fields),
        hlc,
    };
    store
        .apply_page(
            &[change(
                1,
                OpKind::Update,
                json!({"first_name": "Old", "notes": "remote"}),
                old,
            )],
            1,
        )
        .expect("apply");
    let row = store.get("patients", id).expect("get").expect("row");
    assert_eq!(
        (row["first_name"].as_str(), row["notes"].as_str()),
        (Some("Local"), Some("remote")),
        "older loses per field"
    );
    store
        .apply_page(
            &[change(2, OpKind::Update, json!({"first_name": "Newer"}), newer)],
            2,
        )
        .expect("apply");
    assert_eq!(
        store.get("patients", id).expect("get").expect("row")["first_name"],
        "Newer"
    );
    assert_eq!(store.cursor().expect("cursor"), Some(2));

    let later = remote.tick(client::now_ms() + 2000);
    store
        .apply_page(&[change(3, OpKind::Delete, json!({}), later)], 3)
        .expect("apply");
    let revive = remote.tick(client::now_ms() + 3000);
    store
        .apply_page(
            &[change(4, OpKind::Insert, json!({"first_name": "Back"}), revive)],
            4,
        )
        .expect("apply");
    assert_eq!(store.get("patients", id).expect("get"), None);
}

#[test]
fn a_store_made_by_the_first_release_upgrades_with_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tenant = TenantId::new();
    let path = Store::path_for(dir.path(), tenant);
    {
        // The first release's schema, frozen, with a pending write in it.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(MIGRATIONS[0].1).expect("v1 schema");
        conn.pragma_update(None, "user_version", 1).expect("version");
        conn.execute_batch(&format!(
            "INSERT INTO sync_state VALUES ('tenant_id', '{tenant}');
             INSERT INTO patients (id, first_name, mobile_number, date_of_birth, gender) VALUES ('{id}', 'Old', '+919800000009', '1980-01-01', 'male');
             INSERT INTO outbox (op_id, table_name, row_id, kind, fields, hlc, created_at)
               VALUES ('{op}', 'patients', '{id}', 'insert', '{{}}', '{hlc}', '2026-01-01T00:00:00Z');",
            id = Uuid::now_v7(),
            op = Uuid::now_v7(),
            hlc = HlcClock::new(DeviceId::new()).tick(1),
        ))
        .expect("v1 data");
    }
    let mut store = Store::open(dir.path(), tenant, &key()).expect("upgrade");
    assert_eq!(
        store.schema_version().expect("version"),
        client::store::latest_version()
    );
    assert_eq!(store.count("patients").expect("count"), 1);
    assert_eq!(
        store.search_patients("old", 10).expect("search").len(),
        1,
        "the search index is filled for patients from before it"
    );
    assert_eq!(store.pending_count().expect("count"), 1);
    let batch = store
        .next_batch(10)
        .expect("batch")
        .expect("the old pending write is still sent");
    assert_eq!(batch.ops.len(), 1);
    drop(store);
    // A file moved under another clinic's name is refused.
    let other = TenantId::new();
    std::fs::copy(&path, Store::path_for(dir.path(), other)).expect("copy");
    assert!(matches!(
        Store::open(dir.path(), other, &key()),
        Err(client::StoreError::WrongClinic)
    ));
}

/// The next batch may be cut and sent while one is on its way. Answers are
/// recorded in batch order; a batch cut ahead keeps its entries whatever
/// the answer before it says (it may be applied already), so a leftover of
/// that answer goes back in line behind it.
#[test]
fn a_batch_cut_ahead_stays_as_cut_and_leftovers_go_behind_it() {
    let (_dir, mut store) = open();
    let ids: Vec<Uuid> = (0..5)
        .map(|n| {
            store
                .insert("patients", patient(&format!("P{n}")))
                .expect("insert")
        })
        .collect();
    let first = store.next_batch(2).expect("batch").expect("some");
    let ahead = store
        .prepare_batch_after(first.batch_seq, 2)
        .expect("cut ahead")
        .expect("more waits");
    assert_eq!(ahead.batch_seq, first.batch_seq + 1);
    let row_ids = |b: &client::store::outbox::Batch| b.ops.iter().map(|o| o.row_id).collect::<Vec<_>>();
    assert_eq!(row_ids(&first), ids[..2]);
    assert_eq!(row_ids(&ahead), ids[2..4]);
    assert!(
        !store.batch_stands(&ahead).expect("stands"),
        "not the next to send before the batch before it is acknowledged"
    );
    assert_eq!(
        store.next_batch(2).expect("retry"),
        Some(first.clone()),
        "a retry still sends the batch on its way"
    );
    assert_eq!(
        store.prepare_batch_after(first.batch_seq, 2).expect("cut again"),
        Some(ahead.clone()),
        "a batch cut ahead and not answered is cut again unchanged"
    );
    assert_eq!(
        store.prepare_batch_after(ahead.batch_seq, 2).expect("cut"),
        None,
        "only the batch after the oldest unanswered one is cut ahead"
    );

    store.ack_batch(&first, &applied(&first, 2)).expect("ack");
    assert!(store.batch_stands(&ahead).expect("stands"));
    assert_eq!(store.next_batch(2).expect("next"), Some(ahead.clone()));

    // The answer to `ahead` names one entry of two; the batch cut behind it
    // stays as cut and the other entry follows it.
    let behind = store
        .prepare_batch_after(ahead.batch_seq, 2)
        .expect("cut")
        .expect("one more");
    assert_eq!(row_ids(&behind), ids[4..]);
    store.ack_batch(&ahead, &applied(&ahead, 1)).expect("ack");
    assert!(store.batch_stands(&behind).expect("stands"));
    store.ack_batch(&behind, &applied(&behind, 1)).expect("ack");
    let resent = store.next_batch(2).expect("next").expect("some");
    assert_eq!(row_ids(&resent), [ids[3]], "the leftover, sent again");
}
