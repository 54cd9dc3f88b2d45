//! Taking the server's answer to a batch: applied and merged entries leave
//! the outbox, losers become conflict records, refused entries move to the
//! refused list, and an entry the answer does not name goes back in line.

use std::collections::{HashMap, HashSet};

use domain::sync::{Op, OpStatus, PushResponse, Refusal};
use rusqlite::{Transaction, params};
use serde_json::Value;
use uuid::Uuid;

use super::batches::range;
use super::outbox::{Acked, Batch};
use super::{Store, key, now_text, set_state};
use crate::error::StoreError;

impl Store {
    /// Records `response`, the answer to `batch`, in one transaction.
    pub fn ack_batch(&mut self, batch: &Batch, response: &PushResponse) -> Result<Acked, StoreError> {
        let tx = self.transaction()?;
        let entries = range(&tx, batch.batch_seq)?;
        // Looked up per answer: a scan per answer was quadratic in the batch.
        let ops: HashMap<Uuid, &Op> = batch.ops.iter().map(|o| (o.op_id, o)).collect();
        let answered: HashSet<Uuid> = response.results.iter().map(|r| r.op_id).collect();
        let every_op_answered = batch.ops.iter().all(|op| answered.contains(&op.op_id));
        // The usual answer: every entry leaves with its range, none is
        // looked up alone.
        let plain = every_op_answered && !response.results.iter().any(|r| r.status == OpStatus::Refused);
        let places = match entries {
            Some(entries) if !plain => places(&tx, entries)?,
            _ => HashMap::new(),
        };
        let mut acked = Acked::default();
        let now = now_text();
        for result in &response.results {
            let Some(op) = ops.get(&result.op_id) else {
                continue;
            };
            match result.status {
                OpStatus::Applied => acked.applied += 1,
                OpStatus::Merged => {
                    acked.merged += 1;
                    for field in &result.lost_fields {
                        note_conflict(&tx, op, field, &now)?;
                    }
                }
                OpStatus::Refused => {
                    acked.refused += 1;
                    if let Some(place) = places.get(&op.op_id) {
                        note_refusal(&tx, *place, result, &now)?;
                    }
                }
            }
        }
        if let Some(entries) = entries {
            if !every_op_answered {
                requeue_unanswered(&tx, batch.batch_seq, entries, &answered, &places)?;
            }
            tx.prepare_cached("DELETE FROM outbox WHERE seq BETWEEN ?1 AND ?2")?
                .execute([entries.0, entries.1])?;
            tx.prepare_cached("DELETE FROM outbox_batches WHERE batch_seq = ?1")?
                .execute([batch.batch_seq])?;
        }
        set_state(&tx, key::NEXT_BATCH, &(batch.batch_seq + 1).to_string())?;
        tx.commit()?;
        Ok(acked)
    }
}

/// Each entry's number in the range `(first, last)`, by op.
fn places(tx: &Transaction<'_>, (first, last): (i64, i64)) -> Result<HashMap<Uuid, i64>, StoreError> {
    let mut stmt = tx.prepare_cached("SELECT op_id, seq FROM outbox WHERE seq BETWEEN ?1 AND ?2")?;
    let mut rows = stmt.query([first, last])?;
    let mut places = HashMap::new();
    while let Some(row) = rows.next()? {
        let op_id: String = row.get(0)?;
        places.insert(super::outbox::parse_uuid(&op_id)?, row.get(1)?);
    }
    Ok(places)
}

/// Entries of batch `seq` (numbered `first..=last`) its answer did not
/// name were not applied: they are sent again, which is safe because
/// applying an op twice changes nothing. A batch cut after this one keeps
/// its entries (it may be on its way or applied already, and a batch is
/// sent again only unchanged), so they go back in line at its end, copied
/// there before the caller deletes the range.
fn requeue_unanswered(
    tx: &Transaction<'_>,
    seq: i64,
    (first, last): (i64, i64),
    answered: &HashSet<Uuid>,
    places: &HashMap<Uuid, i64>,
) -> Result<(), StoreError> {
    for op_id in answered {
        if let Some(place) = places.get(op_id) {
            tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                .execute([place])?;
        }
    }
    let unanswered = tx
        .prepare_cached(
            "INSERT INTO outbox (op_id, table_name, row_id, kind, fields, hlc, created_at) \
             SELECT op_id, table_name, row_id, kind, fields, hlc, created_at FROM outbox \
              WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq",
        )?
        .execute([first, last])?;
    tracing::warn!(
        batch = seq,
        unanswered,
        "the server's answer did not name every op of the batch; they are sent again"
    );
    Ok(())
}

/// A field of `op` the server kept another write of.
fn note_conflict(tx: &Transaction<'_>, op: &Op, field: &str, now: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO conflicts (op_id, table_name, row_id, field, lost_value, detected_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        op.op_id.to_string(),
        op.table,
        op.row_id.to_string(),
        field,
        op.fields.get(field).map(Value::to_string),
        now
    ])?;
    Ok(())
}

/// The refused entry at `place` joins the refused list.
fn note_refusal(
    tx: &Transaction<'_>,
    place: i64,
    result: &domain::sync::OpResult,
    now: &str,
) -> Result<(), StoreError> {
    let refusal = result.refusal.unwrap_or(Refusal::ValidationFailed);
    tx.prepare_cached(
        "INSERT OR REPLACE INTO refused_ops (op_id, table_name, row_id, kind, fields, hlc, refusal, message, refused_at, current) \
         SELECT op_id, table_name, row_id, kind, fields, hlc, ?2, ?3, ?4, ?5 FROM outbox WHERE seq = ?1",
    )?
    .execute(params![
        place,
        serde_json::to_value(refusal).ok().and_then(|v| v.as_str().map(str::to_owned)),
        result.message.clone().unwrap_or_default(),
        now,
        result.current.as_ref().and_then(|c| serde_json::to_string(c).ok()),
    ])?;
    Ok(())
}
