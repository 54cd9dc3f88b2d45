//! The backup's change log, checked link by link as it is read (before
//! anything else trusts it), and re-linked for a copy whose ids changed.

use serde_json::Value;
use uuid::Uuid;

use super::super::{BackupError, hex, unhex};
use crate::db::changes::{Entry, link_hash};

#[derive(Debug)]
pub(super) struct ChainCheck {
    entries: u64,
    /// The last hash of the log as backed up.
    original: Vec<u8>,
    /// The last hash as restored (differs only when re-linked).
    restored: Vec<u8>,
    relinking: bool,
    changed: bool,
}

impl ChainCheck {
    /// `relinking`: every entry will be passed to [`Self::relink`] after
    /// [`Self::check`].
    pub(super) fn new(relinking: bool) -> Self {
        Self {
            entries: 0,
            original: Vec::new(),
            restored: Vec::new(),
            relinking,
            changed: false,
        }
    }

    /// Checks one entry, as backed up, against the ones before it.
    pub(super) fn check(&mut self, row: &Value) -> Result<(), BackupError> {
        let (seq, entry) = entry(row)?;
        let stored_prev = bytes(row, "prev_hash")?;
        let stored = bytes(row, "hash")?;
        let expected_seq = i64::try_from(self.entries + 1).unwrap_or(i64::MAX);
        if seq != expected_seq
            || stored_prev != self.original
            || link_hash(&self.original, seq, &entry) != stored
        {
            return Err(BackupError::Mismatch(format!(
                "the backup's change log breaks at entry {seq} ({} {} of {})",
                entry.op, entry.table, entry.row_id
            )));
        }
        self.entries += 1;
        self.original = stored;
        if !self.relinking {
            self.restored.clone_from(&self.original);
        }
        Ok(())
    }

    /// Re-computes the links of an entry whose ids were rewritten.
    /// Call right after [`Self::check`] of the same entry.
    pub(super) fn relink(&mut self, row: &mut Value) -> Result<(), BackupError> {
        let (seq, entry) = entry(row)?;
        let hash = link_hash(&self.restored, seq, &entry);
        self.changed |= hash != self.original;
        row["prev_hash"] = Value::String(format!("\\x{}", hex(&self.restored)));
        row["hash"] = Value::String(format!("\\x{}", hex(&hash)));
        self.restored = hash;
        Ok(())
    }

    pub(super) fn entries(&self) -> u64 {
        self.entries
    }

    /// Whether any link of the restored log differs from the backup's.
    pub(super) fn relinked(&self) -> bool {
        self.changed
    }

    /// The restored log's last hash.
    pub(super) fn head(&self) -> Vec<u8> {
        self.restored.clone()
    }

    /// The backed-up log's last hash, as hex.
    pub(super) fn original_head(&self) -> String {
        hex(&self.original)
    }
}

fn entry(row: &Value) -> Result<(i64, Entry), BackupError> {
    let text = |key: &str| {
        row.get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| BackupError::Corrupt(format!("a change-log entry without {key}")))
    };
    let id = |key: &str| -> Result<Option<Uuid>, BackupError> {
        match row.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Uuid::parse_str(s)
                .map(Some)
                .map_err(|_| BackupError::Corrupt(format!("a change-log entry with a bad {key}"))),
            Some(_) => Err(BackupError::Corrupt(format!(
                "a change-log entry with a bad {key}"
            ))),
        }
    };
    let required =
        |key: &str| id(key)?.ok_or_else(|| BackupError::Corrupt(format!("a change-log entry without {key}")));
    let seq = row
        .get("seq")
        .and_then(Value::as_i64)
        .ok_or_else(|| BackupError::Corrupt("a change-log entry without seq".into()))?;
    let entry = Entry {
        table: text("table_name")?,
        row_id: required("row_id")?,
        op: text("op")?,
        changes: row.get("changes").cloned().unwrap_or(Value::Null),
        hlc: text("hlc")?,
        user_id: required("user_id")?,
        device_id: id("device_id")?,
        batch_seq: None,
    };
    Ok((seq, entry))
}

fn bytes(row: &Value, key: &str) -> Result<Vec<u8>, BackupError> {
    row.get(key)
        .and_then(Value::as_str)
        .and_then(unhex)
        .ok_or_else(|| BackupError::Corrupt(format!("a change-log entry with a bad {key}")))
}
