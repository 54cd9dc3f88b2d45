//! `bench app-start`: cold start to first paint of the desktop app (a real
//! WebKit window under Xvfb, timed from launch until the sign-in screen is
//! in the page) and its idle memory (the app plus its WebKit processes).

use std::time::{Duration, Instant};

use clinic_tests::gui::Desktop;

/// Proportional set size (MiB) of `pid` and all its descendants.
fn tree_rss_mb(pid: u32) -> f64 {
    let mut total_kb = 0u64;
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        // PSS: shared libraries are split between the processes that map
        // them instead of being counted once per process.
        let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
        total_kb += rollup
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        let children = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
        stack.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
    }
    total_kb as f64 / 1024.0
}

/// The newest `clinic-app` process (the one the driver just started).
fn app_pid() -> Option<u32> {
    let mut found: Vec<(u64, u32)> = std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
            if comm.trim() != "clinic-app" {
                return None;
            }
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let start: u64 = stat
                .rsplit(')')
                .next()?
                .split_whitespace()
                .nth(19)?
                .parse()
                .ok()?;
            Some((start, pid))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, pid)| pid)
}

pub async fn run(runs: usize) -> anyhow::Result<()> {
    let mut starts = Vec::with_capacity(runs);
    let mut idle = Vec::with_capacity(runs);
    for run in 0..runs {
        let started = Instant::now();
        // No server answers here: the app opens at sign-in, as a PC whose
        // IT preset points at a server that is not reachable yet.
        let desk = Desktop::launch("http://127.0.0.1:9").await;
        desk.wait("sign-in-form").await;
        let first_paint = started.elapsed().as_secs_f64() * 1000.0;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let rss = app_pid().map(tree_rss_mb).unwrap_or(0.0);
        eprintln!(
            "  run {}: first paint {first_paint:.0} ms, idle memory {rss:.0} MiB",
            run + 1
        );
        starts.push(first_paint);
        idle.push(rss);
        desk.close().await;
    }
    let first = starts[0];
    starts.sort_by(f64::total_cmp);
    idle.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    println!("| measure | value |");
    println!("|---|---|");
    println!("| cold start to first paint (first run) | {first:.0} ms |");
    println!(
        "| start to first paint (median of {runs}) | {:.0} ms |",
        median(&starts)
    );
    println!(
        "| idle memory (PSS), app + WebKit processes (median) | {:.0} MiB |",
        median(&idle)
    );
    println!(
        "app-bench: runs={runs} first_paint_cold_ms={first:.0} first_paint_median_ms={:.0} idle_pss_mb={:.0}",
        median(&starts),
        median(&idle)
    );
    Ok(())
}
