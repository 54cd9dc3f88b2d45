//! What one idle pull's transaction costs the database, run the way the
//! server runs it (`db::begin_scoped`, `db::pull::page`, commit) on one
//! connection: with PostgreSQL's default plan caching, and with generic
//! plans forced (no re-planning of the pull statement per execution);
//! and how many of them the database answers a second on the server's
//! pool size, with no HTTP in between: the ceiling of the pull route.

use std::time::{Duration, Instant};

use clinic_server::db;
use domain::api::DeviceReport;
use domain::ids::TenantId;

use super::fleet::{device_id, tenant_id};

/// Microseconds per pull transaction: (default plans, generic plans).
pub async fn pull_cost(app_url: &str, clinics: u32, iterations: u32) -> anyhow::Result<(f64, f64)> {
    let mut out = [0.0; 2];
    for (i, mode) in ["auto", "force_generic_plan"].iter().enumerate() {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(app_url)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("SET plan_cache_mode = {mode}")))
            .execute(&pool)
            .await?;
        let started = Instant::now();
        for n in 0..iterations {
            idle_pull(&pool, 1 + (n * 37) % clinics).await?;
        }
        out[i] = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    }
    Ok((out[0], out[1]))
}

/// Idle pull transactions per second over `connections` connections, each
/// asking again as soon as it has its answer, for `seconds`.
pub async fn pull_floor(app_url: &str, clinics: u32, connections: u32, seconds: f64) -> anyhow::Result<f64> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(connections)
        .connect(app_url)
        .await?;
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < until {
                idle_pull(&pool, 1 + (worker + done as u32 * 37) % clinics).await?;
                done += 1;
            }
            anyhow::Ok(done)
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    Ok(total as f64 / seconds)
}

/// One idle pull of `clinic`'s first PC, as the server runs it.
async fn idle_pull(pool: &sqlx::PgPool, clinic: u32) -> anyhow::Result<()> {
    let tenant = TenantId::from_uuid(tenant_id(clinic));
    let mut tx = pool.begin_with(db::begin_scoped("BEGIN", tenant)).await?;
    let ask = db::pull::Ask {
        since: 0,
        limit: 100,
        epoch: None,
        report: DeviceReport {
            app_version: None,
            pending_changes: None,
        },
    };
    // The page checks a sign-in too; none has this family, which costs the
    // check's look-ups as much as a live one.
    db::pull::page(
        &mut tx,
        ask,
        device_id(clinic, 1),
        uuid::Uuid::nil(),
        tenant.as_uuid(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
