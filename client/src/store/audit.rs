//! Views, prints and exports recorded on this PC until the server's audit
//! trail has them (docs/DOMAIN.md: who viewed, printed or exported what, when).

use domain::api::{AuditAction, AuditEvent};
use serde_json::Value;
use uuid::Uuid;

use super::Store;
use crate::error::StoreError;

impl Store {
    /// Records one event; it leaves with the next sync.
    pub fn record_audit(
        &self,
        action: AuditAction,
        table: &str,
        entity: Option<&str>,
        details: &Value,
    ) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT INTO audit_outbox (id, action, entity_table, entity_id, details, occurred_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(rusqlite::params![
                Uuid::now_v7().to_string(),
                action.as_str(),
                table,
                entity,
                details.to_string(),
                super::now_text()
            ])?;
        Ok(())
    }

    /// The oldest `limit` events not yet accepted by the server.
    pub fn pending_audit(&self, limit: usize) -> Result<Vec<AuditEvent>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, action, entity_table, entity_id, details, occurred_at FROM audit_outbox \
             ORDER BY occurred_at, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let corrupt = |what: &str| StoreError::Corrupt(format!("audit event {what}"));
        let mut out = Vec::new();
        for found in rows {
            let (id, action, table, entity, details, at) = found?;
            out.push(AuditEvent {
                id: Uuid::parse_str(&id).map_err(|_| corrupt("id"))?,
                action: serde_json::from_value(Value::from(action)).map_err(|_| corrupt("action"))?,
                entity_table: table,
                entity_id: entity.and_then(|e| Uuid::parse_str(&e).ok()),
                details: serde_json::from_str(&details).unwrap_or(Value::Null),
                occurred_at: chrono::DateTime::parse_from_rfc3339(&at)
                    .map_err(|_| corrupt("time"))?
                    .with_timezone(&chrono::Utc),
            });
        }
        Ok(out)
    }

    /// Forgets events the server has recorded.
    pub fn audit_sent(&mut self, ids: &[Uuid]) -> Result<(), StoreError> {
        let tx = self.transaction()?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM audit_outbox WHERE id = ?1")?;
            for id in ids {
                stmt.execute([id.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn pending_audit_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT count(*) FROM audit_outbox")?
            .query_row([], |r| r.get(0))?)
    }
}
