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

/// The current sequence without taking the lock.
pub async fn current_seq(tx: &mut Tx) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT last_seq, purged_through_seq FROM tenant_sync_state WHERE tenant_id = app_tenant()",
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

/// The chain link: sha256(prev_hash || seq || table || row || op || hlc ||
/// user || device || changes). serde_json writes object keys sorted, so
/// the same change always hashes the same.
pub fn link_hash(prev: &[u8], seq: i64, e: &Entry) -> Vec<u8> {
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
    h.update(e.changes.to_string().as_bytes());
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
        let hash = link_hash(&counter.last_hash, seq, entry);
        seqs.push(seq);
        tables.push(entry.table.as_str());
        rows.push(entry.row_id);
        ops.push(entry.op.as_str());
        changes.push(entry.changes.clone());
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
         SELECT app_tenant(), * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::text[], $5::jsonb[], \
             $6::text[], $7::uuid[], $8::uuid[], $9::bigint[], $10::bytea[], $11::bytea[])",
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
}

/// Changes after `since`, oldest first, at most `limit`.
pub async fn since(tx: &mut Tx, since: i64, limit: i64) -> sqlx::Result<Vec<LoggedChange>> {
    sqlx::query_as::<_, LoggedChange>(
        "SELECT seq, table_name, row_id, op, changes, hlc FROM change_log \
          WHERE tenant_id = app_tenant() AND seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Re-computes the chain from the start; the first broken link, if any.
pub async fn verify_chain(tx: &mut Tx) -> anyhow::Result<Option<i64>> {
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
    let links = sqlx::query_as::<_, Link>(
        "SELECT seq, table_name, row_id, op, changes, hlc, user_id, device_id, prev_hash, hash \
           FROM change_log WHERE tenant_id = app_tenant() ORDER BY seq",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut prev: Vec<u8> = Vec::new();
    for link in links {
        let entry = Entry {
            table: link.table_name,
            row_id: link.row_id,
            op: link.op,
            changes: link.changes,
            hlc: link.hlc,
            user_id: link.user_id,
            device_id: link.device_id,
            batch_seq: None,
        };
        if link.prev_hash != prev || link_hash(&prev, link.seq, &entry) != link.hash {
            return Ok(Some(link.seq));
        }
        prev = link.hash;
    }
    Ok(None)
}
