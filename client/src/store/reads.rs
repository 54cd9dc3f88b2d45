//! Reads of the synced tables' live rows as JSON maps (`id` plus the data
//! fields), for the screens and for tests. Table and column names in the
//! SQL come from `domain::sync::TABLES` only.

use domain::sync::TableSpec;
use rusqlite::OptionalExtension;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::Store;
use super::rows::spec;
use super::values::from_sql;
use crate::error::StoreError;

impl Store {
    /// A live row as JSON (`id` plus data fields); `None` if absent or deleted.
    pub fn get(&self, table: &str, id: Uuid) -> Result<Option<Map<String, Value>>, StoreError> {
        let spec = spec(table)?;
        let sql = format!("{} WHERE id = ?1 AND deleted_at IS NULL", select_sql(spec));
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query([id.to_string()])?;
        match rows.next()? {
            Some(row) => Ok(Some(read_row(spec, row)?)),
            None => Ok(None),
        }
    }

    /// The user as the clinic last synced them here: `None` when they are
    /// not on this PC yet; `active` is false when deactivated or deleted.
    pub fn synced_user(&self, id: Uuid) -> Result<Option<SyncedUser>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT is_active AND deleted_at IS NULL, role FROM users WHERE id = ?1")?
            .query_row([id.to_string()], |r| {
                Ok(SyncedUser {
                    active: r.get::<_, Option<bool>>(0)?.unwrap_or(true),
                    role: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// Live rows of a table in id (creation) order.
    pub fn list(&self, table: &str, limit: usize) -> Result<Vec<Map<String, Value>>, StoreError> {
        let spec = spec(table)?;
        let sql = format!(
            "{} WHERE deleted_at IS NULL ORDER BY id LIMIT ?1",
            select_sql(spec)
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query([limit as i64])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read_row(spec, row)?);
        }
        Ok(out)
    }

    /// Live rows of a table.
    pub fn count(&self, table: &str) -> Result<i64, StoreError> {
        let spec = spec(table)?;
        let sql = format!("SELECT count(*) FROM {} WHERE deleted_at IS NULL", spec.name);
        Ok(self.conn().prepare_cached(&sql)?.query_row([], |r| r.get(0))?)
    }
}

fn select_sql(spec: &TableSpec) -> String {
    let cols: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    format!("SELECT id, {} FROM {}", cols.join(", "), spec.name)
}

fn read_row(spec: &TableSpec, row: &rusqlite::Row<'_>) -> Result<Map<String, Value>, StoreError> {
    let mut out = Map::new();
    out.insert("id".into(), Value::String(row.get(0)?));
    for (i, column) in spec.columns.iter().enumerate() {
        out.insert(
            column.name.to_owned(),
            from_sql(column.kind, row.get_ref(i + 1)?)?,
        );
    }
    Ok(out)
}

/// What offline sign-in needs to know of a user from the synced copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedUser {
    pub active: bool,
    pub role: Option<String>,
}
