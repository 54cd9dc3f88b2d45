//! Benchmark programs. `sync` measures first sync, pushes and live
//! propagation end to end on this machine and prints one summary line;
//! `import` a spreadsheet of patients into a PC store.

mod app_start;
mod backup_bench;
mod generate;
mod import_bench;
mod load;
mod pc_bench;
mod pc_child;
mod push_floor;
mod raw;
mod reports_bench;
mod setup;
mod sync_bench;

fn usage() -> ! {
    eprintln!(
        "usage: bench sync [--rows N] | bench app-start [--runs N] | bench import [--rows N] | bench backup [--rows N] \
         | bench pc [--patients N] | bench reports [--appointments N] | bench load [--clinics N] [--clients N] [--rate PER_S] [--seconds S]"
    );
    std::process::exit(2)
}

/// `--flag N` after the command, else `default`.
fn count_arg<T: std::str::FromStr>(args: &[String], flag: &str, default: T) -> T {
    match args.get(1).map(String::as_str) {
        Some(f) if f == flag => args
            .get(2)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| usage()),
        None => default,
        Some(_) => usage(),
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("sync") => {
            let rows = count_arg(&args, "--rows", 1_000_000);
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(sync_bench::run(rows))
        }
        Some("import") => {
            let rows = count_arg(&args, "--rows", 10_000);
            import_bench::run(rows)
        }
        Some("backup") => {
            let rows = count_arg(&args, "--rows", 1_000_000);
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(backup_bench::run(rows))
        }
        Some("app-start") => {
            let runs = count_arg(&args, "--runs", 5);
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(app_start::run(runs))
        }
        Some("pc") => {
            let patients = count_arg(&args, "--patients", 100_000);
            pc_bench::run(patients)
        }
        Some("reports") => {
            let appointments = count_arg(&args, "--appointments", 100_000);
            reports_bench::run(appointments)
        }
        Some("load") => {
            let options = load::Options::parse(&args[1..]).unwrap_or_else(|| usage());
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
                .block_on(load::run(options))
        }
        // The server under `bench load`, in its own process.
        Some("load-server") => load::server::serve(),
        // The PC side of the first sync, in its own process so its peak
        // memory is its own: `bench pc-first-sync URL TOKEN TENANT DIR MODE`
        // (MODE `encrypted`, as the app, or `plain`, the baseline).
        Some("pc-first-sync") => {
            let [url, token, tenant, dir, mode] =
                [1, 2, 3, 4, 5].map(|i| args.get(i).cloned().unwrap_or_else(|| usage()));
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(pc_child::first_sync(&url, &token, &tenant, &dir, &mode))
        }
        _ => usage(),
    }
}
