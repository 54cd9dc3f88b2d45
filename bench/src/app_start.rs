//! `bench app-start`: cold start to first paint of the desktop app (a real
//! WebKit window under Xvfb, timed from launch until the sign-in screen is
//! in the page) and its idle memory (the app plus its WebKit processes)
//! against an empty Tauri window of the same build, both started the same
//! way in the same run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clinic_tests::gui::{Desktop, app_binary, display};

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

/// How long a window sits untouched before its memory is read.
const IDLE: Duration = Duration::from_secs(5);

/// Idle PSS (MiB) of `binary` started directly under the test display (no
/// WebDriver), read `IDLE` after its WebKit web process appeared.
fn idle_pss_started_alone(binary: &Path, env: &[(&str, &str)]) -> anyhow::Result<f64> {
    let data = tempfile::tempdir()?;
    let mut child = Command::new(binary)
        .envs(env.iter().copied())
        .env("DISPLAY", display())
        .env("CLINIC_DATA_DIR", data.path())
        .env("CLINIC_SERVER_URL", "http://127.0.0.1:9")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !has_web_process(child.id()) {
        anyhow::ensure!(
            Instant::now() < deadline,
            "{} showed no web page within 60 s",
            binary.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(IDLE);
    let pss = tree_rss_mb(child.id());
    child.kill()?;
    child.wait()?;
    Ok(pss)
}

/// Whether a WebKit web process runs under `pid`.
fn has_web_process(pid: u32) -> bool {
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        let comm = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
        if comm.starts_with("WebKitWebProces") {
            return true;
        }
        let children = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
        stack.extend(children.split_whitespace().filter_map(|c| c.parse::<u32>().ok()));
    }
    false
}

pub async fn run(runs: usize) -> anyhow::Result<()> {
    let mut starts = Vec::with_capacity(runs);
    let mut idle = Vec::with_capacity(runs);
    let empty_window = app_binary().with_file_name("empty-window");
    let (mut app_alone, mut empty_alone) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let mut empty_drawn_alike = Vec::with_capacity(runs);
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
        // Side by side, started the same way: the app and the empty window.
        let app = idle_pss_started_alone(&app_binary(), &[])?;
        let empty = idle_pss_started_alone(&empty_window, &[])?;
        // The app turns WebKit's accelerated compositing off for its view;
        // the same empty window drawn that way too tells what the app's
        // own pages and code cost.
        let alike = idle_pss_started_alone(&empty_window, &[("WEBKIT_DISABLE_COMPOSITING_MODE", "1")])?;
        eprintln!(
            "  run {}: started alone, app {app:.0} MiB, empty Tauri window {empty:.0} MiB \
             ({alike:.0} MiB without compositing, as the app draws)",
            run + 1
        );
        app_alone.push(app);
        empty_alone.push(empty);
        empty_drawn_alike.push(alike);
    }
    let first = starts[0];
    starts.sort_by(f64::total_cmp);
    idle.sort_by(f64::total_cmp);
    app_alone.sort_by(f64::total_cmp);
    empty_alone.sort_by(f64::total_cmp);
    empty_drawn_alike.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v[v.len() / 2];
    println!("| measure | value |");
    println!("|---|---|");
    println!("| cold start to first paint (first run) | {first:.0} ms |");
    println!(
        "| start to first paint (median of {runs}) | {:.0} ms |",
        median(&starts)
    );
    println!(
        "| idle memory (PSS), app + WebKit processes, under WebDriver (median) | {:.0} MiB |",
        median(&idle)
    );
    let (app, empty, alike) = (
        median(&app_alone),
        median(&empty_alone),
        median(&empty_drawn_alike),
    );
    println!(
        "| idle memory started alone: app / empty Tauri window (medians) | {app:.0} / {empty:.0} MiB ({:.2}x) |",
        app / empty
    );
    println!(
        "| the same, against the empty window also drawn without compositing | {app:.0} / {alike:.0} MiB ({:.2}x) |",
        app / alike
    );
    println!(
        "app-bench: runs={runs} first_paint_cold_ms={first:.0} first_paint_median_ms={:.0} idle_pss_mb={:.0} \
         alone_pss_mb={app:.0} empty_window_pss_mb={empty:.0} pss_ratio={:.2} \
         empty_window_drawn_alike_pss_mb={alike:.0} pss_ratio_drawn_alike={:.2}",
        median(&starts),
        median(&idle),
        app / empty,
        app / alike
    );
    Ok(())
}
