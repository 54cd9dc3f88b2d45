//! A replaced clinic's sign-ins, attempts, enrolment codes and removed
//! PCs: kept aside before its rows go, and brought back where their user
//! and PC exist in the backup, so PCs carry on (and resync) instead of
//! everyone signing in again, and a PC removed since the backup stays
//! removed. Its terms with the platform (plan, limits, trial and
//! subscription ends, a suspension) are the operator's, not the clinic's
//! records: they stay as they are now, not as the backup has them.

use crate::db::Tx;

pub(super) async fn stash(tx: &mut Tx) -> sqlx::Result<()> {
    sqlx::raw_sql(
        "CREATE TEMP TABLE restore_refresh ON COMMIT DROP AS \
             SELECT * FROM refresh_tokens WHERE tenant_id = app_tenant(); \
         CREATE TEMP TABLE restore_attempts ON COMMIT DROP AS \
             SELECT * FROM login_attempts WHERE tenant_id = app_tenant(); \
         CREATE TEMP TABLE restore_enrolments ON COMMIT DROP AS \
             SELECT * FROM device_enrolments WHERE tenant_id = app_tenant(); \
         CREATE TEMP TABLE restore_removed ON COMMIT DROP AS \
             SELECT id, revoked_at FROM devices WHERE tenant_id = app_tenant() AND revoked_at IS NOT NULL; \
         CREATE TEMP TABLE restore_terms ON COMMIT DROP AS \
             SELECT plan, status, status_reason, trial_ends_at, subscription_ends_at, max_offices, max_doctors, \
                    max_patients, max_storage_bytes FROM tenants WHERE id = app_tenant();",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Returns how many sign-ins carried over.
pub(super) async fn bring_back(tx: &mut Tx) -> sqlx::Result<u64> {
    sqlx::raw_sql(
        "UPDATE devices d SET revoked_at = r.revoked_at FROM restore_removed r \
          WHERE d.tenant_id = app_tenant() AND d.id = r.id AND d.revoked_at IS NULL; \
         INSERT INTO login_attempts SELECT a.* FROM restore_attempts a \
          WHERE a.user_id IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = a.tenant_id AND u.id = a.user_id); \
         INSERT INTO device_enrolments SELECT e.* FROM restore_enrolments e \
          WHERE EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id AND u.id = e.created_by); \
         UPDATE tenants t SET plan = r.plan, status = r.status, status_reason = r.status_reason, \
                trial_ends_at = r.trial_ends_at, subscription_ends_at = r.subscription_ends_at, \
                max_offices = r.max_offices, max_doctors = r.max_doctors, max_patients = r.max_patients, \
                max_storage_bytes = r.max_storage_bytes \
           FROM restore_terms r WHERE t.id = app_tenant();",
    )
    .execute(&mut **tx)
    .await?;
    let kept = sqlx::query(
        "INSERT INTO refresh_tokens SELECT r.* FROM restore_refresh r \
          WHERE EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = r.tenant_id AND u.id = r.user_id) \
            AND EXISTS (SELECT 1 FROM devices d WHERE d.tenant_id = r.tenant_id AND d.id = r.device_id)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(kept.rows_affected())
}
