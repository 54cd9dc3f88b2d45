//! Tombstone garbage collection. A deleted row is kept as a tombstone until
//! every active PC of the clinic has pulled past its deletion; then it is
//! removed. A PC inactive longer than the window, or revoked, does not hold
//! tombstones back: when it returns, its cursor is older than
//! `purged_through_seq` and it resyncs from a snapshot.
//!
//! Runs as the owner role (the application role may not delete rows).

use domain::sync::TABLES;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GcReport {
    pub clinics: u64,
    pub purged: u64,
    /// Tombstones kept because live rows still point at them.
    pub still_referenced: u64,
}

pub async fn purge_tombstones(owner: &PgPool, inactive_after_days: i32) -> anyhow::Result<GcReport> {
    let tenants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM tenants ORDER BY id")
        .fetch_all(owner)
        .await?;
    let mut report = GcReport::default();
    for tenant in tenants {
        let (purged, kept) = purge_clinic(owner, tenant, inactive_after_days).await?;
        report.clinics += 1;
        report.purged += purged;
        report.still_referenced += kept;
    }
    Ok(report)
}

async fn purge_clinic(owner: &PgPool, tenant: Uuid, inactive_after_days: i32) -> anyhow::Result<(u64, u64)> {
    let mut tx = owner.begin().await?;
    // The counter lock keeps pushes of this clinic out while we decide.
    let last_seq: i64 =
        sqlx::query_scalar("SELECT last_seq FROM tenant_sync_state WHERE tenant_id = $1 FOR UPDATE")
            .bind(tenant)
            .fetch_one(&mut *tx)
            .await?;
    let horizon: Option<i64> = sqlx::query_scalar(
        "SELECT min(last_pulled_seq) FROM devices WHERE tenant_id = $1 AND revoked_at IS NULL \
           AND last_seen_at > now() - make_interval(days => $2)",
    )
    .bind(tenant)
    .bind(inactive_after_days)
    .fetch_one(&mut *tx)
    .await?;
    let horizon = horizon.unwrap_or(last_seq);
    let (mut purged, mut kept) = (0, 0);
    // Children before parents, so a parent's tombstone is free to go once
    // its children's are.
    for table in TABLES.iter().rev() {
        let select = format!(
            "SELECT id FROM {} WHERE tenant_id = $1 AND deleted_at IS NOT NULL AND sync_seq <= $2",
            table.name
        );
        let ids: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(select))
            .bind(tenant)
            .bind(horizon)
            .fetch_all(&mut *tx)
            .await?;
        let delete = format!("DELETE FROM {} WHERE tenant_id = $1 AND id = $2", table.name);
        for id in ids {
            sqlx::query("SAVEPOINT gc_row").execute(&mut *tx).await?;
            match sqlx::query(sqlx::AssertSqlSafe(delete.clone()))
                .bind(tenant)
                .bind(id)
                .execute(&mut *tx)
                .await
            {
                Ok(_) => {
                    sqlx::query("RELEASE SAVEPOINT gc_row").execute(&mut *tx).await?;
                    purged += 1;
                }
                Err(err) if err.as_database_error().and_then(|e| e.code()).as_deref() == Some("23503") => {
                    sqlx::query("ROLLBACK TO SAVEPOINT gc_row")
                        .execute(&mut *tx)
                        .await?;
                    kept += 1;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    sqlx::query(
        "UPDATE tenant_sync_state SET purged_through_seq = greatest(purged_through_seq, $2), updated_at = now() \
         WHERE tenant_id = $1",
    )
    .bind(tenant)
    .bind(horizon)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((purged, kept))
}
