//! The PC side of a first sync, run as its own process by the benchmark so
//! its peak memory (VmHWM) is measured alone.

use std::time::Instant;

use client::{ServerClient, Store, SyncEngine};
use domain::ids::TenantId;

/// The key the benchmark's encrypted PCs use (the app keeps a random one
/// per clinic in the keychain).
pub fn bench_key() -> client::store::StoreKey {
    client::store::StoreKey::from_hex(&"b3".repeat(32)).expect("a key")
}

/// Opens a PC store as the app does (`encrypted`) or in plaintext, the
/// baseline that shows what encryption costs.
pub fn open_store(dir: &std::path::Path, tenant: TenantId, encrypted: bool) -> anyhow::Result<Store> {
    Ok(if encrypted {
        Store::open(dir, tenant, &bench_key())?
    } else {
        Store::open_plain(dir, tenant)?
    })
}

/// Patient searches a receptionist types, timed on `store`: ms per search.
pub fn search_ms(store: &Store) -> anyhow::Result<f64> {
    // Names and numbers of the generated clinic: a prefix, a name part, a
    // family name, digits of a mobile number.
    const QUERIES: [&str; 8] = [
        "Pa",
        "Patient12",
        "9000001",
        "Family42",
        "tient7",
        "Pat",
        "900002",
        "ily9",
    ];
    let started = Instant::now();
    let mut found = 0;
    for round in 0..25 {
        found += store.search_patients(QUERIES[round % QUERIES.len()], 50)?.len();
    }
    let runs = 25.0;
    anyhow::ensure!(found > 0, "the searches found nobody");
    Ok(started.elapsed().as_secs_f64() * 1000.0 / runs)
}

pub async fn first_sync(url: &str, token: &str, tenant: &str, dir: &str, mode: &str) -> anyhow::Result<()> {
    let tenant = TenantId::parse(tenant)?;
    let store = open_store(std::path::Path::new(dir), tenant, mode != "plain")?;
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
    let search = search_ms(&*engine.store()?)?;
    println!(
        "{}",
        serde_json::json!({"rows": rows, "seconds": seconds, "peak_rss_mb": peak_rss_mb(), "search_ms": search})
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
