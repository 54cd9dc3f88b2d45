//! What Row-Level Security costs per transaction: the pull's statements
//! as the application role (tenant set, policies on) against the same
//! statements as the owner with an explicit `tenant_id`, on the same
//! clinics. The two run in pairs, one transaction each, the first of a
//! pair alternating, and the medians of the two sides are compared, so a
//! stretch of CPU steal or a checkpoint lands on both sides more nearly
//! alike than it did on blocks of 200 transactions per side. On a noisy
//! machine the figure still moves between runs (5 to 27 % on one night):
//! read it over several runs.

use std::time::{Duration, Instant};

use super::fleet::tenant_id;

/// Per cent more time per transaction under RLS (`iterations` pairs): the
/// median transaction with RLS against the median without.
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
    let (mut with_rls, mut without) = (Vec::with_capacity(iterations), Vec::with_capacity(iterations));
    for i in 0..iterations {
        let clinic = clinic(i, clinics);
        if i % 2 == 0 {
            with_rls.push(timed(under_rls(&app, clinic)).await?);
            without.push(timed(as_owner(&owner, clinic)).await?);
        } else {
            without.push(timed(as_owner(&owner, clinic)).await?);
            with_rls.push(timed(under_rls(&app, clinic)).await?);
        }
    }
    let (rls_ms, owner_ms) = (
        super::percentile(&mut with_rls, 50.0),
        super::percentile(&mut without, 50.0),
    );
    eprintln!(
        "load-bench: RLS: median transaction {:.0} us under RLS, {:.0} us as the owner ({iterations} pairs)",
        rls_ms * 1000.0,
        owner_ms * 1000.0
    );
    Ok((rls_ms / owner_ms - 1.0) * 100.0)
}

async fn timed(work: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<Duration> {
    let started = Instant::now();
    work.await?;
    Ok(started.elapsed())
}

fn clinic(i: usize, clinics: u32) -> u32 {
    1 + (i as u32 * 37) % clinics
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
