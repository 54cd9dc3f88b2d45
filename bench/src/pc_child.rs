//! The PC side of a first sync, run as its own process by the benchmark so
//! its peak memory (VmHWM) is measured alone.

use std::time::Instant;

use client::{ServerClient, Store, SyncEngine};
use domain::ids::TenantId;

pub async fn first_sync(url: &str, token: &str, tenant: &str, dir: &str) -> anyhow::Result<()> {
    let tenant = TenantId::parse(tenant)?;
    let store = Store::open(std::path::Path::new(dir), tenant)?;
    let server = ServerClient::new(url)?;
    server.set_token(Some(token.to_owned()));
    let engine = SyncEngine::new(store, server);
    let started = Instant::now();
    let mut last_shown = 0;
    let rows = engine
        .first_sync(|done, total| {
            if done >= last_shown + total / 10 {
                last_shown = done;
                eprintln!("  first sync: {done} of {total} records");
            }
        })
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"rows": rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb()})
    );
    Ok(())
}

/// This process's peak resident memory in MiB (Linux `VmHWM`).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
