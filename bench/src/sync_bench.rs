//! `bench sync`: first sync of a fresh PC against a generated clinic (and
//! the raw COPY-to-SQLite limit), 10,000 offline edits pushed, and the
//! propagation latency of an edit to another online PC.

use std::sync::Arc;
use std::time::{Duration, Instant};

use client::{ServerClient, SyncEngine};
use domain::ids::{TenantId, UserId};
use serde_json::{Map, Value, json};

use crate::pc_child::open_store;
use crate::{raw, setup};

const EDITS: usize = 10_000;
const LATENCY_SAMPLES: usize = 200;
/// Further timed pushes of the same edits, for a median.
const PUSH_AGAIN: usize = 3;

pub async fn run(rows: i64) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    eprintln!("starting PostgreSQL and the server ...");
    let (env, clinic) = setup::generated_clinic(&work.path().join("pg"), rows).await?;

    // 1. First sync of a fresh PC, in its own process: encrypted as the
    // app does, then a plaintext one as the baseline encryption is measured
    // against (same rows, same run).
    let tenant = TenantId::from_uuid(clinic.tenant);
    let pc_a_dir = work.path().join("pc-a");
    let device_a = open_store(&pc_a_dir, tenant, true)?.device_id();
    let (token_a, user) = setup::login(&env.base, &clinic, device_a.as_uuid()).await?;
    eprintln!("first sync of a fresh PC (encrypted) ...");
    let first = child_first_sync(&env.base, &token_a, tenant, &pc_a_dir, "encrypted")?;
    let synced_rows = first["rows"].as_u64().unwrap_or_default();
    let first_sync_s = first["seconds"].as_f64().unwrap_or_default();
    let peak_rss_mb = first["peak_rss_mb"].as_f64().unwrap_or_default();
    let search_ms = first["search_ms"].as_f64().unwrap_or_default();
    let plain_dir = work.path().join("pc-plain");
    let device_plain = open_store(&plain_dir, tenant, false)?.device_id();
    let (token_plain, _) = setup::login(&env.base, &clinic, device_plain.as_uuid()).await?;
    eprintln!("first sync of a fresh PC (plaintext baseline) ...");
    let plain = child_first_sync(&env.base, &token_plain, tenant, &plain_dir, "plain")?;
    let plain_sync_s = plain["seconds"].as_f64().unwrap_or_default();
    let plain_search_ms = plain["search_ms"].as_f64().unwrap_or_default();
    let rows_per_s = synced_rows as f64 / first_sync_s;

    // 2. The raw limit on the same rows.
    eprintln!("raw limit: COPY out of PostgreSQL into an empty SQLite ...");
    let (raw_rows, raw_s) =
        raw::copy_into_sqlite(&env.owner, clinic.tenant, &work.path().join("raw")).await?;
    let raw_ratio = raw_s / first_sync_s;

    // 3. 10,000 offline edits on PC A, then pushed.
    let pc_a = pc(&env.base, &pc_a_dir, tenant, &token_a, user)?;
    pc_a.sync_once().await?;
    let ids: Vec<uuid::Uuid> = pc_a
        .store()?
        .list("patients", EDITS)?
        .iter()
        .filter_map(|r| r["id"].as_str().and_then(|s| uuid::Uuid::parse_str(s).ok()))
        .collect();
    eprintln!("{} offline edits ...", ids.len());
    edit_notes(&pc_a, &ids, "offline edit")?;
    let started = Instant::now();
    let pushed = pc_a.push_pending().await?;
    let push_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        pushed.applied as usize == ids.len(),
        "not every edit applied: {pushed:?}"
    );
    let parts = push_in_parts(&pc_a, &ids).await?;
    eprintln!("{parts}");
    let again_s = push_again(&pc_a, &ids).await?;
    let floor_s = crate::push_floor::seconds(&env.owner, clinic.tenant, &ids, PUSH_AGAIN).await?;

    // 4. Propagation to an online PC B.
    eprintln!("PC B: first sync, then {LATENCY_SAMPLES} edits from A to B ...");
    let pc_b_dir = work.path().join("pc-b");
    let device_b = open_store(&pc_b_dir, tenant, true)?.device_id();
    let (token_b, _) = setup::login(&env.base, &clinic, device_b.as_uuid()).await?;
    let pc_b = Arc::new(pc(&env.base, &pc_b_dir, tenant, &token_b, user)?);
    pc_b.sync_once().await?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(pc_b.clone().run(stop_rx));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut latencies = Vec::with_capacity(LATENCY_SAMPLES);
    let mut status = pc_b.status();
    for n in 0..LATENCY_SAMPLES {
        let id = ids[n % ids.len()];
        let value = format!("live edit {n}");
        pc_a.store()?
            .update("patients", id, fields(json!({ "notes": value })))?;
        let started = Instant::now();
        pc_a.push_pending().await?;
        loop {
            let seen = pc_b
                .store()?
                .get("patients", id)?
                .is_some_and(|r| r["notes"] == json!(value));
            if seen {
                break;
            }
            tokio::time::timeout(Duration::from_secs(10), status.changed()).await??;
        }
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    stop_tx.send(true)?;
    runner.await?;
    latencies.sort_by(f64::total_cmp);
    let p50 = latencies[latencies.len() / 2];
    let p99 = latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)];

    println!();
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!("| rows in the clinic | {synced_rows} | 1,000,000 |");
    println!(
        "| first sync of a fresh PC | {first_sync_s:.2} s ({rows_per_s:.0} rows/s) | <= 20 s, >= 50k rows/s |"
    );
    println!("| raw limit (COPY -> SQLite, {raw_rows} rows) | {raw_s:.2} s | |");
    println!(
        "| first sync / raw limit speed | {:.0}% | >= 25% |",
        raw_ratio * 100.0
    );
    println!(
        "| {} offline edits pushed and applied | {push_s:.2} s | <= 2 s |",
        ids.len()
    );
    println!(
        "| the same edits as two statements, owner, rolled back (floor) / again | {floor_s:.2} s / {again_s:.2} s ({:.2}x) | |",
        again_s / floor_s
    );
    println!(
        "| edit A -> online B, p50 / p99 ({LATENCY_SAMPLES} edits) | {p50:.1} / {p99:.1} ms | <= 100 / 500 ms |"
    );
    println!("| peak memory of the PC during first sync | {peak_rss_mb:.0} MiB | |");
    println!(
        "| first sync, encrypted / plaintext | {first_sync_s:.2} s / {plain_sync_s:.2} s ({:.2}x) | <= 1.15x |",
        first_sync_s / plain_sync_s
    );
    println!(
        "| patient search (50 rows), encrypted / plaintext | {search_ms:.2} / {plain_search_ms:.2} ms ({:.2}x) | <= 1.15x |",
        search_ms / plain_search_ms
    );
    println!(
        "sync-bench: rows={synced_rows} first_sync_s={first_sync_s:.2} rows_per_s={rows_per_s:.0} raw_ratio={raw_ratio:.2} \
         push10k_s={push_s:.2} push10k_again_s={again_s:.2} push10k_floor_s={floor_s:.2} p50_ms={p50:.1} p99_ms={p99:.1} \
         peak_rss_mb={peak_rss_mb:.0} encrypted_sync_ratio={:.2} encrypted_search_ratio={:.2}",
        first_sync_s / plain_sync_s,
        search_ms / plain_search_ms
    );
    drop(env);
    Ok(())
}

/// Runs the first sync of a PC in its own process; its JSON report.
fn child_first_sync(
    base: &str,
    token: &str,
    tenant: TenantId,
    dir: &std::path::Path,
    mode: &str,
) -> anyhow::Result<Value> {
    let child = std::process::Command::new(std::env::current_exe()?)
        .args(["pc-first-sync", base, token, &tenant.to_string()])
        .arg(dir)
        .arg(mode)
        .output()?;
    anyhow::ensure!(
        child.status.success(),
        "first sync failed: {}",
        String::from_utf8_lossy(&child.stderr)
    );
    Ok(serde_json::from_slice(&child.stdout)?)
}

/// Edits the notes of every patient in `ids` on `pc`, offline.
fn edit_notes(pc: &SyncEngine, ids: &[uuid::Uuid], text: &str) -> anyhow::Result<()> {
    let mut store = pc.store()?;
    for (n, id) in ids.iter().enumerate() {
        store.update("patients", *id, fields(json!({"notes": format!("{text} {n}")})))?;
    }
    Ok(())
}

/// Another 10,000 edits pushed batch by batch as the engine does, each
/// part timed: reading the outbox, the push's round trip (the server's
/// apply), recording the answers.
async fn push_in_parts(pc: &SyncEngine, ids: &[uuid::Uuid]) -> anyhow::Result<String> {
    edit_notes(pc, ids, "second edit")?;
    let (mut read, mut round_trip, mut ack, mut batches) = (0.0, 0.0, 0.0, 0);
    loop {
        let started = Instant::now();
        let (batch, device) = {
            let mut store = pc.store()?;
            (store.next_batch(client::engine::BATCH_OPS)?, store.device_id())
        };
        let Some(batch) = batch else { break };
        read += started.elapsed().as_secs_f64();
        let request = batch.request(device);
        let started = Instant::now();
        let response = pc.server().push(&request).await?;
        round_trip += started.elapsed().as_secs_f64();
        let started = Instant::now();
        pc.store()?.ack_batch(&batch, &response)?;
        ack += started.elapsed().as_secs_f64();
        batches += 1;
    }
    Ok(format!(
        "push10k parts: {batches} batches; outbox read {:.0} ms, push round trips {:.0} ms, acks {:.0} ms",
        read * 1e3,
        round_trip * 1e3,
        ack * 1e3
    ))
}

/// The same 10,000 edits made and pushed again, `PUSH_AGAIN` times: the
/// median push. `push10k_s` is the first push, with the server's cache
/// cold for those rows; on a noisy machine one sample says little.
async fn push_again(pc: &SyncEngine, ids: &[uuid::Uuid]) -> anyhow::Result<f64> {
    let mut seconds = Vec::with_capacity(PUSH_AGAIN);
    for round in 0..PUSH_AGAIN {
        edit_notes(pc, ids, &format!("edit round {round}"))?;
        let started = Instant::now();
        let pushed = pc.push_pending().await?;
        seconds.push(started.elapsed().as_secs_f64());
        anyhow::ensure!(
            pushed.applied as usize == ids.len(),
            "not every edit applied: {pushed:?}"
        );
    }
    seconds.sort_by(f64::total_cmp);
    eprintln!("push10k again: {seconds:.2?} s");
    Ok(seconds[seconds.len() / 2])
}

fn fields(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn pc(
    base: &str,
    dir: &std::path::Path,
    tenant: TenantId,
    token: &str,
    user: uuid::Uuid,
) -> anyhow::Result<SyncEngine> {
    let mut store = open_store(dir, tenant, true)?;
    store.set_actor(UserId::from_uuid(user));
    let server = ServerClient::new(base)?;
    server.set_token(Some(token.to_owned()));
    Ok(SyncEngine::new(store, server))
}
