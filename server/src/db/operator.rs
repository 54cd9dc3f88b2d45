//! The platform operator's SQL, run as the owner role across every clinic
//! (each query names its clinic; RLS does not scope the owner). Every
//! change writes its `operator_audit` row in the same transaction.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::Tx;

/// One clinic as the operator sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClinicLine {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub plan: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub trial_ends_at: Option<DateTime<Utc>>,
    pub subscription_ends_at: Option<DateTime<Utc>>,
    pub max_doctors: i64,
    pub max_patients: i64,
    pub max_storage_bytes: i64,
    pub doctors: i64,
    pub patients: i64,
    pub storage_bytes: i64,
    pub pcs: i64,
    /// The last time any of its PCs talked to the server.
    pub last_seen: Option<DateTime<Utc>>,
}

/// Every clinic with its usage, in one statement (aggregates per clinic,
/// not a query per clinic).
pub async fn clinics(tx: &mut Tx) -> sqlx::Result<Vec<ClinicLine>> {
    sqlx::query_as(
        "SELECT t.id, t.code, t.name, t.plan, t.status, t.status_reason, t.trial_ends_at, \
                t.subscription_ends_at, t.max_doctors, t.max_patients, t.max_storage_bytes, \
                coalesce(d.n, 0) AS doctors, coalesce(p.n, 0) AS patients, \
                coalesce(a.bytes, 0) AS storage_bytes, coalesce(v.pcs, 0) AS pcs, v.last_seen \
           FROM tenants t \
           LEFT JOIN (SELECT tenant_id, count(*) AS n FROM doctors \
                       WHERE deleted_at IS NULL AND is_active GROUP BY tenant_id) d ON d.tenant_id = t.id \
           LEFT JOIN (SELECT tenant_id, count(*) AS n FROM patients \
                       WHERE deleted_at IS NULL GROUP BY tenant_id) p ON p.tenant_id = t.id \
           LEFT JOIN (SELECT tenant_id, sum(size_bytes)::bigint AS bytes FROM dental_attachments \
                       WHERE deleted_at IS NULL GROUP BY tenant_id) a ON a.tenant_id = t.id \
           LEFT JOIN (SELECT tenant_id, count(*) FILTER (WHERE revoked_at IS NULL) AS pcs, \
                             max(last_seen_at) AS last_seen FROM devices GROUP BY tenant_id) v \
                  ON v.tenant_id = t.id \
          ORDER BY t.code",
    )
    .fetch_all(&mut **tx)
    .await
}

/// The subscription columns of one clinic, locked for a change.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Terms {
    pub id: Uuid,
    pub plan: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub trial_ends_at: Option<DateTime<Utc>>,
    pub subscription_ends_at: Option<DateTime<Utc>>,
    pub max_offices: i64,
    pub max_doctors: i64,
    pub max_patients: i64,
    pub max_storage_bytes: i64,
}

pub async fn terms_for_update(tx: &mut Tx, code: &str) -> sqlx::Result<Option<Terms>> {
    sqlx::query_as(
        "SELECT id, plan, status, status_reason, trial_ends_at, subscription_ends_at, \
                max_offices, max_doctors, max_patients, max_storage_bytes \
           FROM tenants WHERE code = $1 FOR UPDATE",
    )
    .bind(code)
    .fetch_optional(&mut **tx)
    .await
}

/// Writes every subscription column of `terms` back.
pub async fn save_terms(tx: &mut Tx, terms: &Terms) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE tenants SET plan = $2, status = $3, status_reason = $4, trial_ends_at = $5, \
                subscription_ends_at = $6, max_offices = $7, max_doctors = $8, max_patients = $9, \
                max_storage_bytes = $10, updated_at = now() \
          WHERE id = $1",
    )
    .bind(terms.id)
    .bind(&terms.plan)
    .bind(&terms.status)
    .bind(&terms.status_reason)
    .bind(terms.trial_ends_at)
    .bind(terms.subscription_ends_at)
    .bind(terms.max_offices)
    .bind(terms.max_doctors)
    .bind(terms.max_patients)
    .bind(terms.max_storage_bytes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn audit(
    tx: &mut Tx,
    operator: &str,
    action: &str,
    tenant: Option<Uuid>,
    details: &Value,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO operator_audit (operator, action, clinic_id, details) VALUES ($1, $2, $3, $4)")
        .bind(operator)
        .bind(action)
        .bind(tenant)
        .bind(sqlx::types::Json(details))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Wakes the clinic's streaming PCs at commit, so they pull now and learn
/// the new standing (the same channel a change-log append uses).
pub async fn wake_clinic(tx: &mut Tx, tenant: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "SELECT pg_notify('clinic_sync', tenant_id::text || ':' || last_seq::text) \
           FROM tenant_sync_state WHERE tenant_id = $1",
    )
    .bind(tenant)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
