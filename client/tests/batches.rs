//! Batches noted as ranges of the outbox (schema version 12): a store that
//! had batches cut when it was upgraded sends each again exactly as cut.

mod common;

use client::Store;
use client::store::MIGRATIONS;
use client::store::outbox::Batch;
use common::{applied, key};
use domain::ids::{DeviceId, TenantId};
use domain::sync::HlcClock;
use uuid::Uuid;

/// Under version 11 each entry carried its batch's number, and a batch
/// could hold entries that are not neighbours (a leftover of an answer
/// went back in line among them). Batch 3 was sent and not answered, and
/// batch 4 cut behind it, when the PC was upgraded.
#[test]
fn batches_cut_before_the_upgrade_are_sent_again_exactly_as_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tenant = TenantId::new();
    let path = Store::path_for(dir.path(), tenant);
    let op_ids: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        for (version, sql) in &MIGRATIONS[..11] {
            conn.execute_batch(sql).expect("migration");
            conn.pragma_update(None, "user_version", version)
                .expect("version");
        }
        conn.execute(
            "INSERT INTO sync_state VALUES ('tenant_id', ?1), ('next_batch_seq', '3')",
            [tenant.to_string()],
        )
        .expect("state");
        let mut clock = HlcClock::new(DeviceId::new());
        // Entry n (numbered 1 to 5) in batch 3, 4 or in line.
        for (n, batch) in [(1, Some(3)), (2, None), (3, Some(3)), (4, Some(4)), (5, None)] {
            conn.execute(
                "INSERT INTO outbox (seq, op_id, table_name, row_id, kind, fields, hlc, created_at, batch_seq, attempts) \
                 VALUES (?1, ?2, 'patients', ?3, 'update', ?4, ?5, '2026-12-01T00:00:00Z', ?6, ?7)",
                rusqlite::params![
                    n,
                    op_ids[n as usize - 1].to_string(),
                    Uuid::now_v7().to_string(),
                    format!("{{\"notes\":\"edit {n}\"}}"),
                    clock.tick(n as u64).to_string(),
                    batch,
                    i64::from(batch.is_some()),
                ],
            )
            .expect("entry");
        }
    }
    let mut store = Store::open(dir.path(), tenant, &key()).expect("upgrade");
    let ids = |batch: &Batch| batch.ops.iter().map(|op| op.op_id).collect::<Vec<_>>();

    let sent = store.next_batch(10).expect("batch").expect("batch 3 again");
    assert_eq!(sent.batch_seq, 3);
    assert_eq!(ids(&sent), [op_ids[0], op_ids[2]], "batch 3 as it was cut");
    assert_eq!(sent.ops[1].fields["notes"], "edit 3");
    let behind = store
        .prepare_batch_after(3, 10)
        .expect("cut")
        .expect("batch 4 again");
    assert_eq!((behind.batch_seq, ids(&behind)), (4, vec![op_ids[3]]));

    store.ack_batch(&sent, &applied(&sent, 2)).expect("ack 3");
    assert!(store.batch_stands(&behind).expect("stands"));
    store.ack_batch(&behind, &applied(&behind, 1)).expect("ack 4");
    let in_line = store.next_batch(10).expect("batch").expect("the rest");
    assert_eq!(in_line.batch_seq, 5);
    assert_eq!(
        ids(&in_line),
        [op_ids[1], op_ids[4]],
        "the entries in line, in order"
    );
    store.ack_batch(&in_line, &applied(&in_line, 2)).expect("ack 5");
    assert_eq!(store.pending_count().expect("count"), 0);
    assert_eq!(store.next_batch(10).expect("batch"), None);
}
