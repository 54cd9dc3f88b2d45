//! The audit trail of reads and outputs (views, prints, exports) sent by PCs.

use domain::api::AuditEvent;
use uuid::Uuid;

use super::Tx;

/// Records a PC's events in one statement; events sent before (same id)
/// are skipped. Returns how many were new.
pub async fn record(tx: &mut Tx, user: Uuid, device: Uuid, events: &[AuditEvent]) -> sqlx::Result<u64> {
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    let tables: Vec<&str> = events.iter().map(|e| e.entity_table.as_str()).collect();
    let entities: Vec<Option<Uuid>> = events.iter().map(|e| e.entity_id).collect();
    let details: Vec<serde_json::Value> = events.iter().map(|e| e.details.clone()).collect();
    let times: Vec<chrono::DateTime<chrono::Utc>> = events.iter().map(|e| e.occurred_at).collect();
    let done = sqlx::query(
        "INSERT INTO audit_events (tenant_id, id, user_id, device_id, action, entity_table, entity_id, details, occurred_at) \
         SELECT app_tenant(), e.id, $1, $2, e.action, e.entity_table, e.entity_id, coalesce(e.details, '{}'::jsonb), e.occurred_at \
           FROM unnest($3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::jsonb[], $8::timestamptz[]) \
                AS e(id, action, entity_table, entity_id, details, occurred_at) \
         ON CONFLICT (tenant_id, id) DO NOTHING",
    )
    .bind(user)
    .bind(device)
    .bind(&ids)
    .bind(&actions)
    .bind(&tables)
    .bind(&entities)
    .bind(&details)
    .bind(&times)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
