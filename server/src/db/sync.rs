//! Sync bookkeeping: applied batches per device, conflict records, and
//! how far each device has pulled.

use serde_json::Value;
use uuid::Uuid;

use super::Tx;

/// The batches of a device the server remembers: the last one applied and
/// the one before it (a PC may send a batch while the one before is on its
/// way, so the answer to either may have been lost). Digests are absent
/// for batches applied before digests were kept.
#[derive(Debug)]
pub struct LastBatch {
    pub seq: i64,
    pub digest: Option<[u8; 32]>,
    pub prev: Option<(i64, Option<[u8; 32]>)>,
}

pub async fn last_batch(tx: &mut Tx, device: Uuid) -> sqlx::Result<Option<LastBatch>> {
    // Numbers and digests only: an answer is read when one is replayed.
    let row = sqlx::query_as::<_, (i64, Option<Vec<u8>>, Option<i64>, Option<Vec<u8>>)>(
        "SELECT last_batch_seq, last_digest, prev_batch_seq, prev_digest FROM applied_batches \
          WHERE device_id = $1",
    )
    .bind(device)
    .fetch_optional(&mut **tx)
    .await?;
    let digest = |d: Option<Vec<u8>>| d.and_then(|d| d.try_into().ok());
    Ok(row.map(|(seq, last, prev_seq, prev)| LastBatch {
        seq,
        digest: digest(last),
        prev: prev_seq.map(|s| (s, digest(prev))),
    }))
}

/// The stored answer to the device's batch `batch_seq`, if it is one of
/// the two remembered.
pub async fn batch_answer(tx: &mut Tx, device: Uuid, batch_seq: i64) -> sqlx::Result<Option<Value>> {
    let row = sqlx::query_scalar::<_, Option<sqlx::types::Json<Value>>>(
        "SELECT CASE $2 WHEN last_batch_seq THEN last_result WHEN prev_batch_seq THEN prev_result END \
           FROM applied_batches WHERE device_id = $1",
    )
    .bind(device)
    .bind(batch_seq)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.flatten().map(|json| json.0))
}

/// Records batch `batch_seq` as the device's last, with its digest and
/// stored answer; the last one before it becomes the previous.
pub async fn record_batch(
    tx: &mut Tx,
    device: Uuid,
    batch_seq: i64,
    digest: &[u8; 32],
    result: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO applied_batches (tenant_id, device_id, last_batch_seq, last_digest, last_result) \
         VALUES (app_tenant(), $1, $2, $3, $4::jsonb) \
         ON CONFLICT (tenant_id, device_id) DO UPDATE \
           SET prev_batch_seq = applied_batches.last_batch_seq, prev_digest = applied_batches.last_digest, \
               prev_result = applied_batches.last_result, \
               last_batch_seq = EXCLUDED.last_batch_seq, last_digest = EXCLUDED.last_digest, \
               last_result = EXCLUDED.last_result, applied_at = now()",
    )
    .bind(device)
    .bind(batch_seq)
    .bind(digest.as_slice())
    .bind(result)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A value that lost field-level last-writer-wins, kept for review.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub table: &'static str,
    pub row_id: Uuid,
    pub field: String,
    pub winning_value: Value,
    pub winning_hlc: String,
    pub losing_value: Value,
    pub losing_hlc: String,
    pub losing_user: Uuid,
    pub losing_device: Uuid,
}

pub async fn insert_conflicts(tx: &mut Tx, conflicts: &[Conflict]) -> sqlx::Result<()> {
    if conflicts.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = conflicts.iter().map(|_| Uuid::now_v7()).collect();
    let tables: Vec<&str> = conflicts.iter().map(|c| c.table).collect();
    let rows: Vec<Uuid> = conflicts.iter().map(|c| c.row_id).collect();
    let fields: Vec<&str> = conflicts.iter().map(|c| c.field.as_str()).collect();
    let win_values: Vec<Value> = conflicts.iter().map(|c| c.winning_value.clone()).collect();
    let win_hlcs: Vec<&str> = conflicts.iter().map(|c| c.winning_hlc.as_str()).collect();
    let lose_values: Vec<Value> = conflicts.iter().map(|c| c.losing_value.clone()).collect();
    let lose_hlcs: Vec<&str> = conflicts.iter().map(|c| c.losing_hlc.as_str()).collect();
    let users: Vec<Uuid> = conflicts.iter().map(|c| c.losing_user).collect();
    let devices: Vec<Uuid> = conflicts.iter().map(|c| c.losing_device).collect();
    sqlx::query(
        "INSERT INTO sync_conflicts (tenant_id, id, table_name, row_id, field, winning_value, winning_hlc, \
             losing_value, losing_hlc, losing_user_id, losing_device_id) \
         SELECT app_tenant(), * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::jsonb[], \
             $6::text[], $7::jsonb[], $8::text[], $9::uuid[], $10::uuid[])",
    )
    .bind(&ids)
    .bind(&tables)
    .bind(&rows)
    .bind(&fields)
    .bind(&win_values)
    .bind(&win_hlcs)
    .bind(&lose_values)
    .bind(&lose_hlcs)
    .bind(&users)
    .bind(&devices)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConflictRow {
    pub id: Uuid,
    pub table_name: String,
    pub row_id: Uuid,
    pub field: String,
    pub winning_value: Option<sqlx::types::Json<Value>>,
    pub losing_value: Option<sqlx::types::Json<Value>>,
    pub losing_user_id: Uuid,
    pub detected_at: chrono::DateTime<chrono::Utc>,
    pub lost_by_name: Option<String>,
    pub lost_device_id: Option<Uuid>,
    pub lost_device_name: Option<String>,
    /// Who wrote the value that was kept, on which PC, when (from the
    /// change log entry of the winning write).
    pub kept_by_name: Option<String>,
    pub kept_device_id: Option<Uuid>,
    pub kept_device_name: Option<String>,
    pub kept_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What [`open_conflicts`] runs. The write a conflict kept is found in the
/// change log by its HLC (indexed: the log has no index by row) and then
/// its row.
pub const OPEN_CONFLICTS: &str = "SELECT c.id, c.table_name, c.row_id, c.field, c.winning_value, c.losing_value, c.losing_user_id, \
                c.detected_at, lu.full_name AS lost_by_name, c.losing_device_id AS lost_device_id, \
                ld.name AS lost_device_name, wu.full_name AS kept_by_name, w.device_id AS kept_device_id, \
                wd.name AS kept_device_name, w.recorded_at AS kept_at \
           FROM sync_conflicts c \
           LEFT JOIN users lu ON lu.id = c.losing_user_id \
           LEFT JOIN devices ld ON ld.id = c.losing_device_id \
           LEFT JOIN LATERAL (SELECT l.user_id, l.device_id, l.recorded_at FROM change_log l \
                               WHERE l.table_name = c.table_name AND l.row_id = c.row_id AND l.hlc = c.winning_hlc \
                               ORDER BY l.seq DESC LIMIT 1) w ON true \
           LEFT JOIN users wu ON wu.id = w.user_id \
           LEFT JOIN devices wd ON wd.id = w.device_id \
          WHERE c.resolved_at IS NULL ORDER BY c.detected_at LIMIT 500";

/// Conflicts nobody has reviewed yet, oldest first, with who wrote each
/// value on which PC.
pub async fn open_conflicts(tx: &mut Tx) -> sqlx::Result<Vec<ConflictRow>> {
    sqlx::query_as::<_, ConflictRow>(OPEN_CONFLICTS)
        .fetch_all(&mut **tx)
        .await
}

/// Closes an open conflict; false when there is none with this id.
pub async fn resolve_conflict(tx: &mut Tx, id: Uuid, resolution: &str, by: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE sync_conflicts SET resolved_at = now(), resolved_by = $3, resolution = $2 \
          WHERE id = $1 AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(resolution)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Live patients on each of `numbers` (numbers with none are left out).
pub async fn family_sizes(tx: &mut Tx, numbers: &[String]) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT mobile_number, count(*) FROM patients \
          WHERE mobile_number = ANY($1) AND deleted_at IS NULL GROUP BY mobile_number",
    )
    .bind(numbers)
    .fetch_all(&mut **tx)
    .await
}
