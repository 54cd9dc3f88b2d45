//! The sync side of the store: the batch type (batches are cut in
//! `batches`, their answers taken in `acks`), pulled pages and snapshots,
//! refused writes and conflicts.

use domain::ids::DeviceId;
use domain::sync::{Change, CurrentFields, Op, PROTOCOL_VERSION, PushRequest, SnapshotRow};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

pub use super::batches::MAX_BATCH_BYTES;
use super::remote::{apply_change, apply_snapshot_row, restore_fields};
use super::{Store, key, now_text, set_state};
use crate::error::StoreError;

/// A batch of outbox entries as sent (and resent unchanged on retry).
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub batch_seq: i64,
    pub ops: Vec<Op>,
}

impl Batch {
    /// The push that sends this batch from `device`.
    pub fn request(&self, device: DeviceId) -> PushRequest {
        PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: device,
            batch_seq: self.batch_seq,
            ops: self.ops.clone(),
        }
    }
}

pub use contract::app::RefusedOp;

/// What one acknowledged batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Acked {
    pub applied: usize,
    pub merged: usize,
    pub refused: usize,
}

pub(super) fn parse_uuid(raw: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|e| StoreError::Corrupt(format!("bad id in outbox: {e}")))
}

impl Store {
    /// Local writes not yet acknowledged by the server.
    pub fn pending_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT count(*) FROM outbox")?
            .query_row([], |r| r.get(0))?)
    }

    /// Applies one pulled page atomically and moves the cursor with it.
    pub fn apply_page(&mut self, changes: &[Change], cursor: i64) -> Result<(), StoreError> {
        for change in changes {
            self.observe(&change.hlc);
        }
        let hlc = self.clock_value();
        let fault_after = self.apply_fault_after;
        let tx = self.transaction()?;
        for (applied, change) in changes.iter().enumerate() {
            if fault_after == Some(applied) {
                // Dropping the transaction rolls the whole page back.
                return Err(StoreError::Invalid(
                    "injected fault while applying a pulled page".into(),
                ));
            }
            apply_change(&tx, change)?;
        }
        set_state(&tx, key::CURSOR, &cursor.to_string())?;
        set_state(&tx, key::HLC, &hlc)?;
        tx.commit()?;
        Ok(())
    }

    /// Applies snapshot rows in one transaction (the caller sizes chunks).
    pub fn apply_snapshot_rows(&mut self, rows: &[SnapshotRow]) -> Result<(), StoreError> {
        let resyncing = self.resyncing;
        let tx = self.transaction()?;
        for row in rows {
            apply_snapshot_row(&tx, row)?;
            if resyncing && let Some(id) = row.row.get("id").and_then(Value::as_str) {
                tx.prepare_cached("INSERT OR IGNORE INTO temp.resync_seen (tbl, id) VALUES (?1, ?2)")?
                    .execute(params![row.table, id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Starts a resync of a store that already holds data: the snapshot's
    /// rows are noted, so rows purged on the server can be swept after.
    pub fn begin_resync(&mut self) -> Result<(), StoreError> {
        self.conn().execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS resync_seen (tbl TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;
             DELETE FROM temp.resync_seen;",
        )?;
        self.resyncing = true;
        Ok(())
    }

    /// Removes local rows the snapshot did not have (purged on the server),
    /// except those with writes still waiting in the outbox.
    pub fn finish_resync(&mut self) -> Result<u64, StoreError> {
        let tx = self.transaction()?;
        let mut removed = 0;
        for spec in domain::sync::TABLES {
            let sql = format!(
                "DELETE FROM {0} WHERE id NOT IN (SELECT id FROM temp.resync_seen WHERE tbl = ?1) \
                   AND id NOT IN (SELECT row_id FROM outbox WHERE table_name = ?1)",
                spec.name
            );
            removed += tx.execute(&sql, [spec.name])? as u64;
        }
        tx.execute_batch("DROP TABLE temp.resync_seen")?;
        tx.commit()?;
        self.resyncing = false;
        Ok(removed)
    }

    /// The clinic's epoch this store's cursor belongs to, once known.
    pub fn epoch(&self) -> Result<Option<Uuid>, StoreError> {
        Ok(self.state(key::EPOCH)?.and_then(|v| Uuid::parse_str(&v).ok()))
    }

    pub fn set_epoch(&mut self, epoch: Uuid) -> Result<(), StoreError> {
        self.set_state(key::EPOCH, &epoch.to_string())
    }

    /// After the clinic was restored from a backup the server knows this
    /// PC's batches only up to `server_last`: a batch sent and not
    /// acknowledged goes back in line, and numbering goes on from there.
    /// Nothing waiting in the outbox is lost.
    pub fn rebase_batches(&mut self, server_last: i64) -> Result<(), StoreError> {
        let tx = self.transaction()?;
        tx.execute("DELETE FROM outbox_batches", [])?;
        set_state(&tx, key::NEXT_BATCH, &(server_last + 1).to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// Whether an upgrade asked for one snapshot (a table this PC's older
    /// version skipped is now known).
    pub fn resync_needed(&self) -> Result<bool, StoreError> {
        Ok(self.state(key::RESYNC_NEEDED)?.is_some())
    }

    /// A snapshot was taken from `cursor` on: the log continues there.
    pub fn finish_snapshot(&mut self, cursor: i64) -> Result<(), StoreError> {
        let tx = self.transaction()?;
        set_state(&tx, key::CURSOR, &cursor.to_string())?;
        tx.execute("DELETE FROM sync_state WHERE key = ?1", [key::RESYNC_NEEDED])?;
        tx.commit()?;
        Ok(())
    }

    fn clock_value(&self) -> String {
        self.clock.last().to_string()
    }

    pub fn refused(&self) -> Result<Vec<RefusedOp>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT op_id, table_name, row_id, kind, fields, refusal, message, refused_at FROM refused_ops ORDER BY refused_at",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let fields: String = row.get(4)?;
            let refusal: String = row.get(5)?;
            out.push(RefusedOp {
                op_id: parse_uuid(&row.get::<_, String>(0)?)?,
                table: row.get(1)?,
                row_id: parse_uuid(&row.get::<_, String>(2)?)?,
                kind: row.get(3)?,
                fields: serde_json::from_str(&fields).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                refusal: serde_json::from_value(Value::String(refusal))
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                message: row.get(6)?,
                refused_at: row.get(7)?,
            });
        }
        Ok(out)
    }

    /// Drops a refused write. A refused create also removes the local row,
    /// which the server never had; a refused change of a row the server has
    /// puts back the server's values of its fields (unless a later local
    /// edit of a field has replaced the refused value since).
    pub fn discard_refused(&mut self, op_id: Uuid) -> Result<(), StoreError> {
        let tx = self.transaction()?;
        let found: Option<(String, String, String, String, Option<String>)> = tx
            .prepare_cached(
                "SELECT table_name, row_id, kind, hlc, current FROM refused_ops WHERE op_id = ?1",
            )?
            .query_row([op_id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let Some((table, row_id, kind, hlc, current)) = found else {
            return Ok(());
        };
        if let Some(spec) = domain::sync::tables::table(&table) {
            let current: Option<CurrentFields> = current.and_then(|c| serde_json::from_str(&c).ok());
            match current {
                Some(current) => restore_fields(&tx, spec, &row_id, &current, &hlc)?,
                None if kind == "insert" => {
                    tx.execute(&format!("DELETE FROM {} WHERE id = ?1", spec.name), [row_id])?;
                }
                None => {}
            }
        }
        tx.prepare_cached("DELETE FROM refused_ops WHERE op_id = ?1")?
            .execute([op_id.to_string()])?;
        tx.commit()?;
        Ok(())
    }

    /// Conflicts not yet reviewed.
    pub fn open_conflicts(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT count(*) FROM conflicts WHERE reviewed_at IS NULL")?
            .query_row([], |r| r.get(0))?)
    }

    pub fn note_sync(&self, error: Option<&str>) -> Result<(), StoreError> {
        match error {
            None => {
                self.set_state(key::LAST_SYNC, &now_text())?;
                self.set_state(key::LAST_ERROR, "")
            }
            Some(message) => self.set_state(key::LAST_ERROR, message),
        }
    }
}
