//! The clinic's change log: a gapless sequence per tenant taken under the
//! counter row's lock, and a SHA-256 hash chain over the entries.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Tx;

/// The counter row, locked until the transaction ends: every writer of a
/// clinic's log queues here, so sequence order is commit order.
#[derive(Debug, Clone)]
pub struct Counter {
    pub last_seq: i64,
    pub last_hash: Vec<u8>,
    pub purged_through_seq: i64,
}

pub async fn lock_counter(tx: &mut Tx) -> sqlx::Result<Counter> {
    let (last_seq, last_hash, purged_through_seq): (i64, Vec<u8>, i64) = sqlx::query_as(
        "SELECT last_seq, last_hash, purged_through_seq FROM tenant_sync_state \
          WHERE tenant_id = app_tenant() FOR UPDATE",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(Counter {
        last_seq,
        last_hash,
        purged_through_seq,
    })
}

/// Where the clinic's log stands, read without taking the lock.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Position {
    pub last_seq: i64,
    pub purged_through_seq: i64,
    /// Changes when the clinic is restored from a backup.
    pub epoch: Uuid,
}

pub async fn position(tx: &mut Tx) -> sqlx::Result<Position> {
    sqlx::query_as(
        "SELECT last_seq, purged_through_seq, epoch FROM tenant_sync_state WHERE tenant_id = app_tenant()",
    )
    .fetch_one(&mut **tx)
    .await
}

/// One change, before it has its sequence number.
#[derive(Debug, Clone)]
pub struct Entry {
    pub table: String,
    pub row_id: Uuid,
    pub op: String,
    pub changes: serde_json::Value,
    pub hlc: String,
    pub user_id: Uuid,
    pub device_id: Option<Uuid>,
    pub batch_seq: Option<i64>,
}

/// The chain link, exactly: SHA-256 over, in this order,
/// `prev_hash` (the previous entry's hash; empty before the first entry),
/// `seq` as 8 bytes big-endian, then `table`, `op` and `hlc` each as a
/// 4-byte big-endian length and its UTF-8 bytes, then the 16 bytes each of
/// `row_id`, `user_id` and `device_id` (all zero when the server wrote the
/// change), and last `changes` as compact JSON with object keys sorted
/// (serde_json's default), so the same change always hashes the same.
pub fn link_hash(prev: &[u8], seq: i64, e: &Entry) -> Vec<u8> {
    link_hash_of(prev, seq, e, &e.changes.to_string())
}

/// `link_hash` with the entry's `changes` already written as compact JSON
/// (what the log stores, so it is written once).
fn link_hash_of(prev: &[u8], seq: i64, e: &Entry, changes: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_be_bytes());
    for part in [e.table.as_str(), e.op.as_str(), e.hlc.as_str()] {
        h.update((part.len() as u32).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.update(e.row_id.as_bytes());
    h.update(e.user_id.as_bytes());
    h.update(e.device_id.unwrap_or_default().as_bytes());
    h.update(changes.as_bytes());
    h.finalize().to_vec()
}

/// Appends `entries` after `counter` in one statement, advances the
/// counter and wakes the clinic's listeners (delivered at commit).
/// Returns the new last sequence number.
pub async fn append(tx: &mut Tx, counter: &mut Counter, entries: &[Entry]) -> sqlx::Result<i64> {
    if entries.is_empty() {
        return Ok(counter.last_seq);
    }
    let n = entries.len();
    let (mut seqs, mut tables, mut rows, mut ops, mut changes, mut hlcs) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut users, mut devices, mut batches, mut prevs, mut hashes) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for entry in entries {
        let seq = counter.last_seq + 1;
        // Written once: hashed here and stored as this text.
        let text = entry.changes.to_string();
        let hash = link_hash_of(&counter.last_hash, seq, entry, &text);
        seqs.push(seq);
        tables.push(entry.table.as_str());
        rows.push(entry.row_id);
        ops.push(entry.op.as_str());
        changes.push(text);
        hlcs.push(entry.hlc.as_str());
        users.push(entry.user_id);
        devices.push(entry.device_id);
        batches.push(entry.batch_seq);
        prevs.push(std::mem::replace(&mut counter.last_hash, hash.clone()));
        hashes.push(hash);
        counter.last_seq = seq;
    }
    sqlx::query(
        "INSERT INTO change_log (tenant_id, seq, table_name, row_id, op, changes, hlc, user_id, device_id, \
             batch_seq, prev_hash, hash) \
         SELECT (SELECT app_tenant()), seq, table_name, row_id, op, changes::jsonb, hlc, user_id, device_id, \
                batch_seq, prev_hash, hash \
           FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], \
                       $8::uuid[], $9::bigint[], $10::bytea[], $11::bytea[]) \
             AS x(seq, table_name, row_id, op, changes, hlc, user_id, device_id, batch_seq, prev_hash, hash)",
    )
    .bind(&seqs)
    .bind(&tables)
    .bind(&rows)
    .bind(&ops)
    .bind(&changes)
    .bind(&hlcs)
    .bind(&users)
    .bind(&devices)
    .bind(&batches)
    .bind(&prevs)
    .bind(&hashes)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE tenant_sync_state SET last_seq = $1, last_hash = $2, updated_at = now() \
          WHERE tenant_id = app_tenant()",
    )
    .bind(counter.last_seq)
    .bind(&counter.last_hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("SELECT pg_notify('clinic_sync', app_tenant()::text || ':' || $1::text)")
        .bind(counter.last_seq)
        .execute(&mut **tx)
        .await?;
    Ok(counter.last_seq)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoggedChange {
    pub seq: i64,
    pub table_name: String,
    pub row_id: Uuid,
    pub op: String,
    pub changes: sqlx::types::Json<serde_json::Map<String, serde_json::Value>>,
    pub hlc: String,
    /// The row is one of the platform's global catalog.
    pub global: bool,
}

/// The outcome of re-computing a clinic's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Entries whose links were checked.
    pub checked: i64,
    /// The first entry whose stored hash (or link to the one before) does
    /// not match: it or an earlier one was changed, or one was removed.
    pub first_bad: Option<BadLink>,
    /// The log's last hash differs from the clinic's recorded head: entries
    /// were removed from the end.
    pub head_mismatch: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLink {
    pub seq: i64,
    pub table: String,
    pub row_id: Uuid,
    pub op: String,
}

/// Re-computes the chain from the start, streaming the log (a clinic's log
/// may hold millions of entries), and compares its end with the head the
/// clinic's counter row records.
pub async fn verify_chain(tx: &mut Tx) -> anyhow::Result<ChainReport> {
    use futures_util::TryStreamExt;
    #[derive(sqlx::FromRow)]
    struct Link {
        seq: i64,
        table_name: String,
        row_id: Uuid,
        op: String,
        changes: serde_json::Value,
        hlc: String,
        user_id: Uuid,
        device_id: Option<Uuid>,
        prev_hash: Vec<u8>,
        hash: Vec<u8>,
    }
    // Read, not locked: run this in a REPEATABLE READ transaction so the
    // head and the log are of one instant while pushes go on.
    let head: Vec<u8> =
        sqlx::query_scalar("SELECT last_hash FROM tenant_sync_state WHERE tenant_id = app_tenant()")
            .fetch_one(&mut **tx)
            .await?;
    let mut report = ChainReport {
        checked: 0,
        first_bad: None,
        head_mismatch: false,
    };
    let mut prev: Vec<u8> = Vec::new();
    let mut links = sqlx::query_as::<_, Link>(
        "SELECT seq, table_name, row_id, op, changes, hlc, user_id, device_id, prev_hash, hash \
           FROM change_log WHERE tenant_id = app_tenant() ORDER BY seq",
    )
    .fetch(&mut **tx);
    let mut expected_seq = 1;
    while let Some(link) = links.try_next().await? {
        let entry = Entry {
            table: link.table_name.clone(),
            row_id: link.row_id,
            op: link.op.clone(),
            changes: link.changes,
            hlc: link.hlc,
            user_id: link.user_id,
            device_id: link.device_id,
            batch_seq: None,
        };
        let intact = link.seq == expected_seq
            && link.prev_hash == prev
            && link_hash(&prev, link.seq, &entry) == link.hash;
        if !intact {
            report.first_bad = Some(BadLink {
                seq: link.seq,
                table: link.table_name,
                row_id: link.row_id,
                op: link.op,
            });
            return Ok(report);
        }
        report.checked += 1;
        expected_seq += 1;
        prev = link.hash;
    }
    report.head_mismatch = prev != head;
    Ok(report)
}
