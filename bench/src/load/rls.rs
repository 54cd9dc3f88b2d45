//! What Row-Level Security costs per transaction: the pull's statements
//! as the application role (tenant set, policies on) against the same
//! statements as the owner with an explicit `tenant_id`, alternating in
//! blocks on the same clinics. The median of the blocks' ratios is
//! reported: a checkpoint or autovacuum landing in one block moved a sum
//! of times by 30 points between runs.

use std::time::Instant;

use super::fleet::tenant_id;

const BLOCK: usize = 200;

/// Per cent more time per transaction under RLS (`iterations` each): the
/// median over blocks.
pub async fn overhead(
    app_url: &str,
    owner_url: &str,
    clinics: u32,
    iterations: usize,
) -> anyhow::Result<f64> {
    let app = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(app_url)
        .await?;
    let owner = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(owner_url)
        .await?;
    let mut ratios = Vec::new();
    for block in 0..iterations.div_ceil(BLOCK) {
        let started = Instant::now();
        for i in 0..BLOCK {
            under_rls(&app, clinic(block, i, clinics)).await?;
        }
        let with_rls = started.elapsed();
        let started = Instant::now();
        for i in 0..BLOCK {
            as_owner(&owner, clinic(block, i, clinics)).await?;
        }
        ratios.push(with_rls.as_secs_f64() / started.elapsed().as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    Ok((median - 1.0) * 100.0)
}

fn clinic(block: usize, i: usize, clinics: u32) -> u32 {
    1 + ((block * BLOCK + i) as u32 * 37) % clinics
}

fn mobile_prefix(clinic: u32) -> String {
    format!("+9198{:05}%", clinic)
}

/// The pull's reads and a mobile search, as the server runs them.
async fn under_rls(pool: &sqlx::PgPool, clinic: u32) -> anyhow::Result<()> {
    // As the server opens a clinic's transaction: BEGIN and the tenant in
    // one round trip.
    let tenant = domain::ids::TenantId::from_uuid(tenant_id(clinic));
    let mut tx = pool
        .begin_with(clinic_server::db::begin_scoped("BEGIN", tenant))
        .await?;
    sqlx::query(
        "SELECT last_seq, purged_through_seq, epoch FROM tenant_sync_state WHERE tenant_id = app_tenant()",
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "SELECT seq, table_name, row_id, op, changes, hlc FROM change_log \
          WHERE tenant_id = app_tenant() AND seq > 0 ORDER BY seq LIMIT 20",
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("SELECT id FROM patients WHERE tenant_id = app_tenant() AND mobile_number LIKE $1 LIMIT 20")
        .bind(mobile_prefix(clinic))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn as_owner(pool: &sqlx::PgPool, clinic: u32) -> anyhow::Result<()> {
    let tenant = tenant_id(clinic);
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT last_seq, purged_through_seq, epoch FROM tenant_sync_state WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "SELECT seq, table_name, row_id, op, changes, hlc FROM change_log \
          WHERE tenant_id = $1 AND seq > 0 ORDER BY seq LIMIT 20",
    )
    .bind(tenant)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("SELECT id FROM patients WHERE tenant_id = $1 AND mobile_number LIKE $2 LIMIT 20")
        .bind(tenant)
        .bind(mobile_prefix(clinic))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
