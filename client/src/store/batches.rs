//! Cutting the outbox into batches. A batch is the range of entries it
//! took from the line, noted under its number (`outbox_batches`), sent,
//! and acknowledged (`acks`); until then a retry sends it again
//! unchanged. The next batch may be cut and sent while one is on its way
//! (`engine::push`); answers are recorded in batch order, and the server
//! never holds a batch more than one past the PC's last recorded answer.

use domain::sync::{Hlc, Op, OpKind};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::outbox::{Batch, parse_uuid};
use super::{Store, key, now_text};
use crate::error::StoreError;

/// Bytes of fields (plus a per-op allowance for ids and clocks) a batch
/// carries at most: half the server's push limit.
pub const MAX_BATCH_BYTES: i64 = 4 * 1024 * 1024;

impl Store {
    pub(super) fn next_batch_seq(&self) -> Result<i64, StoreError> {
        Ok(self
            .state(key::NEXT_BATCH)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1))
    }

    /// The batch to send: the one already sent and not acknowledged, if any
    /// (a retry must be identical), else the next `max_ops` entries.
    pub fn next_batch(&mut self, max_ops: usize) -> Result<Option<Batch>, StoreError> {
        let next = self.next_batch_seq()?;
        self.cut_or_again(next, max_ops)
    }

    /// Cuts the batch after `sent` (the batch on its way, not acknowledged
    /// yet), to be sent while `sent` is on its way; if it is cut already
    /// (sent before, not acknowledged) it comes back unchanged. `None` when
    /// nothing else waits, or `sent` is not the oldest batch unanswered.
    pub fn prepare_batch_after(&mut self, sent: i64, max_ops: usize) -> Result<Option<Batch>, StoreError> {
        if self.next_batch_seq()? != sent {
            return Ok(None);
        }
        self.cut_or_again(sent + 1, max_ops)
    }

    /// Batch `seq`: cut from the next `max_ops` entries in line, or, when
    /// it was cut and sent before without an answer, as it was cut (another
    /// attempt). `None` when it holds nothing.
    fn cut_or_again(&mut self, seq: i64, max_ops: usize) -> Result<Option<Batch>, StoreError> {
        let tx = self.transaction()?;
        if !tag(&tx, seq, max_ops)? {
            count_attempt(&tx, seq)?;
        }
        let ops = read(&tx, seq)?;
        tx.commit()?;
        Ok((!ops.is_empty()).then_some(Batch { batch_seq: seq, ops }))
    }

    /// Whether `batch`, cut ahead, is the next to send exactly as cut: the
    /// batch before it acknowledged and every entry of it in place. When
    /// not, `next_batch` cuts afresh.
    pub fn batch_stands(&self, batch: &Batch) -> Result<bool, StoreError> {
        if self.next_batch_seq()? != batch.batch_seq {
            return Ok(false);
        }
        Ok(usize::try_from(tagged(self.conn(), batch.batch_seq)?).ok() == Some(batch.ops.len()))
    }
}

/// Cuts batch `seq` from the next entries in line, counting its first
/// attempt, unless it has entries already (then false): at most `max_ops`
/// entries and about MAX_BATCH_BYTES of fields (the server takes 8 MiB),
/// but always at least one. The batch is noted as the range of its
/// entries' numbers; its entries are not written to.
fn tag(tx: &Transaction<'_>, seq: i64, max_ops: usize) -> Result<bool, StoreError> {
    if tagged(tx, seq)? > 0 {
        return Ok(false);
    }
    // A batch whose every entry is gone (none should be) is cut afresh.
    tx.prepare_cached("DELETE FROM outbox_batches WHERE batch_seq = ?1")?
        .execute([seq])?;
    // In line: every entry after the open batches' (cut in order, and new
    // entries are numbered after every entry there ever was).
    let (first, last): (Option<i64>, Option<i64>) = tx
        .prepare_cached(
            "SELECT min(seq), max(seq) FILTER (WHERE running <= ?2) FROM ( \
                 SELECT seq, sum(length(fields) + 300) OVER (ORDER BY seq) AS running FROM ( \
                     SELECT seq, fields FROM outbox \
                      WHERE seq > (SELECT coalesce(max(last_seq), 0) FROM outbox_batches) \
                      ORDER BY seq LIMIT ?1))",
        )?
        .query_row(params![max_ops as i64, MAX_BATCH_BYTES], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if let Some(first) = first {
        // `last` is None when the first entry alone is over the byte budget.
        tx.prepare_cached(
            "INSERT INTO outbox_batches (batch_seq, first_seq, last_seq, attempts, last_attempt_at) \
             VALUES (?1, ?2, ?3, 1, ?4)",
        )?
        .execute(params![seq, first, last.unwrap_or(first), now_text()])?;
    }
    Ok(true)
}

/// The first and last entry numbers of batch `seq`, when it is cut.
pub(super) fn range(conn: &Connection, seq: i64) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT first_seq, last_seq FROM outbox_batches WHERE batch_seq = ?1")?
        .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// How many entries batch `seq` holds.
fn tagged(conn: &Connection, seq: i64) -> Result<i64, StoreError> {
    let Some((first, last)) = range(conn, seq)? else {
        return Ok(0);
    };
    Ok(conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE seq BETWEEN ?1 AND ?2")?
        .query_row([first, last], |r| r.get(0))?)
}

fn count_attempt(tx: &Transaction<'_>, seq: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE outbox_batches SET attempts = attempts + 1, last_attempt_at = ?2 WHERE batch_seq = ?1",
    )?
    .execute(params![seq, now_text()])?;
    Ok(())
}

/// The entries of batch `seq`, in the order they were written.
fn read(tx: &Transaction<'_>, seq: i64) -> Result<Vec<Op>, StoreError> {
    let Some((first, last)) = range(tx, seq)? else {
        return Ok(Vec::new());
    };
    let mut stmt = tx.prepare_cached(
        "SELECT op_id, table_name, row_id, kind, fields, hlc FROM outbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq",
    )?;
    let mut rows = stmt.query([first, last])?;
    let mut ops = Vec::new();
    while let Some(row) = rows.next()? {
        let fields: String = row.get(4)?;
        let hlc: String = row.get(5)?;
        ops.push(Op {
            op_id: parse_uuid(&row.get::<_, String>(0)?)?,
            table: row.get(1)?,
            row_id: parse_uuid(&row.get::<_, String>(2)?)?,
            kind: parse_kind(&row.get::<_, String>(3)?)?,
            fields: serde_json::from_str(&fields).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            hlc: Hlc::parse(&hlc).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        });
    }
    Ok(ops)
}

fn parse_kind(raw: &str) -> Result<OpKind, StoreError> {
    OpKind::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("bad op kind {raw}")))
}
