//! The one path by which server-side writes reach the change log.

use uuid::Uuid;

use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::sync::server_writes;

/// Synced rows an operation inserted or changed, logged together. An
/// operation that changes rows that already exist takes the clinic's log
/// lock before its first row lock (`TenantTx::lock_log`), as a push does.
#[derive(Debug, Default)]
#[must_use = "rows written but never logged stay invisible to every PC"]
pub struct Writes {
    inserted: Vec<(&'static str, Uuid)>,
    updated: Vec<(&'static str, Uuid)>,
}

impl Writes {
    pub fn inserted(&mut self, table: &'static str, id: Uuid) {
        self.inserted.push((table, id));
    }

    pub fn inserted_all(&mut self, rows: impl IntoIterator<Item = (&'static str, Uuid)>) {
        self.inserted.extend(rows);
    }

    pub fn updated(&mut self, table: &'static str, id: Uuid) {
        self.updated.push((table, id));
    }

    /// Logs every row as it now stands, by `user`.
    pub async fn log(self, tx: &mut Tx, user: Uuid) -> ApiResult<()> {
        for (rows, op) in [(&self.inserted, "insert"), (&self.updated, "update")] {
            if !rows.is_empty() {
                server_writes::log_rows(tx, rows, op, user)
                    .await
                    .map_err(ApiError::Internal)?;
            }
        }
        Ok(())
    }
}
