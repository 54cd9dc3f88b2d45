//! What one idle pull's transaction costs the database, run the way the
//! server runs it (`db::begin_scoped`, `db::pull::page`, commit) on one
//! connection: with PostgreSQL's default plan caching, and with generic
//! plans forced (no re-planning of the pull statement per execution).

use std::time::Instant;

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
            let clinic = 1 + (n * 37) % clinics;
            let tenant = TenantId::from_uuid(tenant_id(clinic));
            let mut tx = pool.begin_with(db::begin_scoped("BEGIN", tenant)).await?;
            let ask = db::pull::Ask {
                since: 0,
                limit: 100,
                epoch: None,
                device: device_id(clinic, 1),
                report: DeviceReport {
                    app_version: None,
                    pending_changes: None,
                },
            };
            db::pull::page(&mut tx, ask).await?;
            tx.commit().await?;
        }
        out[i] = started.elapsed().as_secs_f64() * 1e6 / f64::from(iterations);
    }
    Ok((out[0], out[1]))
}
