//! What Row-Level Security costs per transaction: the pull's statements
//! as the application role (tenant set, policies on) against the same
//! statements as the owner with an explicit `tenant_id`, on the same
//! clinics. The two run in pairs, one transaction each, the first of a
//! pair alternating, and the medians of the two sides are compared, so a
//! stretch of CPU steal or a checkpoint lands on both sides more nearly
//! alike than it did on blocks of 200 transactions per side.
//!
//! The pairs run in rounds, each on new connections, and the figure is the
//! median of the rounds' figures. With one connection per side for the
//! whole run, the same code measured anywhere from 4 to 12 % between runs:
//! each side's server process stays wherever the scheduler first put it
//! relative to the bench on two cores, which favours one side for the whole
//! run. New connections per round deal the placement again, and both
//! sides' server processes are pinned to the same core (`taskset`, where
//! the bench may), so neither side is favoured by where it runs; the
//! spread of the rounds is printed with the figure.

use std::time::{Duration, Instant};

use super::fleet::tenant_id;

/// Rounds of pairs, each on its own connections.
const ROUNDS: usize = 8;

/// Per cent more time per transaction under RLS (`iterations` pairs in
/// all): the median over rounds of the median transaction with RLS against
/// the median without.
pub async fn overhead(
    app_url: &str,
    owner_url: &str,
    clinics: u32,
    iterations: usize,
) -> anyhow::Result<f64> {
    let per_round = iterations.div_ceil(ROUNDS);
    let mut rounds = Vec::with_capacity(ROUNDS);
    let (mut rls_us, mut owner_us) = (Vec::with_capacity(ROUNDS), Vec::with_capacity(ROUNDS));
    let mut pinned = true;
    for round in 0..ROUNDS {
        let (with_rls, without, round_pinned) =
            one_round(app_url, owner_url, clinics, round * per_round, per_round).await?;
        pinned &= round_pinned;
        rls_us.push(with_rls * 1000.0);
        owner_us.push(without * 1000.0);
        rounds.push((with_rls / without - 1.0) * 100.0);
    }
    rounds.sort_by(f64::total_cmp);
    rls_us.sort_by(f64::total_cmp);
    owner_us.sort_by(f64::total_cmp);
    let overhead = (rounds[(ROUNDS - 1) / 2] + rounds[ROUNDS / 2]) / 2.0;
    eprintln!(
        "load-bench: RLS: median transaction {:.0} us under RLS, {:.0} us as the owner \
         ({ROUNDS} rounds of {per_round} pairs on new connections, {}); rounds' overhead {:.1} to {:.1} %",
        rls_us[ROUNDS / 2],
        owner_us[ROUNDS / 2],
        if pinned { "both on one core" } else { "not pinned" },
        rounds[0],
        rounds[ROUNDS - 1],
    );
    Ok(overhead)
}

/// One round of `pairs` pairs on new connections, from pair `first` on:
/// the median transaction in ms with RLS and as the owner, and whether
/// the two sides' server processes were pinned to one core.
async fn one_round(
    app_url: &str,
    owner_url: &str,
    clinics: u32,
    first: usize,
    pairs: usize,
) -> anyhow::Result<(f64, f64, bool)> {
    let (app, owner) = (one_connection(app_url).await?, one_connection(owner_url).await?);
    let pinned = pin_together(&[&app, &owner]).await?;
    let (mut with_rls, mut without) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
    for i in first..first + pairs {
        let clinic = clinic(i, clinics);
        if i % 2 == 0 {
            with_rls.push(timed(under_rls(&app, clinic)).await?);
            without.push(timed(as_owner(&owner, clinic)).await?);
        } else {
            without.push(timed(as_owner(&owner, clinic)).await?);
            with_rls.push(timed(under_rls(&app, clinic)).await?);
        }
    }
    app.close().await;
    owner.close().await;
    Ok((
        super::percentile(&mut with_rls, 50.0),
        super::percentile(&mut without, 50.0),
        pinned,
    ))
}

/// Pins the server processes behind `pools` (one connection each) to the
/// machine's last core; false when that is not allowed here.
async fn pin_together(pools: &[&sqlx::PgPool]) -> anyhow::Result<bool> {
    let core = std::thread::available_parallelism().map_or(0, |n| n.get() - 1);
    let mut pinned = true;
    for pool in pools {
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(*pool)
            .await?;
        let status = std::process::Command::new("taskset")
            .args(["-pc", &core.to_string(), &pid.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        pinned &= status.is_ok_and(|s| s.success());
    }
    Ok(pinned)
}

async fn one_connection(url: &str) -> sqlx::Result<sqlx::PgPool> {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
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

/// The pull's reads and a mobile search as the server runs them: the
/// transaction scoped to the clinic (BEGIN and the tenant in one round
/// trip), the statements naming the clinic from the same verified token
/// (`db::pull::page` does), under the row policies.
async fn under_rls(pool: &sqlx::PgPool, clinic: u32) -> anyhow::Result<()> {
    let tenant = domain::ids::TenantId::from_uuid(tenant_id(clinic));
    let mut tx = pool
        .begin_with(clinic_server::db::begin_scoped("BEGIN", tenant))
        .await?;
    pull_reads(&mut tx, tenant.as_uuid(), clinic).await?;
    tx.commit().await?;
    Ok(())
}

/// The same statements as the owner, no scope, no policies.
async fn as_owner(pool: &sqlx::PgPool, clinic: u32) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    pull_reads(&mut tx, tenant_id(clinic), clinic).await?;
    tx.commit().await?;
    Ok(())
}

async fn pull_reads(tx: &mut sqlx::PgConnection, tenant: uuid::Uuid, clinic: u32) -> anyhow::Result<()> {
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
    Ok(())
}
