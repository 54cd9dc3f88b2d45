//! The server under load runs as its own process (`bench load-server`,
//! the same library call as `clinic-server serve`), so its memory is its
//! own and the load generator does not share its threads.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct ServerProcess {
    child: Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts a server on a free port of 127.0.0.1 with a pool of `pool`
    /// connections to `database_url`, and waits until it answers.
    pub async fn start(database_url: &str, pool: u32) -> anyhow::Result<Self> {
        let port = clinic_tests::gui::free_port();
        let child = Command::new(std::env::current_exe()?)
            .arg("load-server")
            .env("CLINIC_DATABASE_URL", database_url)
            .env(
                "CLINIC_JWT_SECRET",
                String::from_utf8_lossy(super::fleet::SECRET).as_ref(),
            )
            .env("CLINIC_BIND", format!("127.0.0.1:{port}"))
            .env("CLINIC_DB_MAX_CONNECTIONS", pool.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        let http = reqwest::Client::new();
        loop {
            if let Ok(reply) = http.get(format!("{}/openapi.json", server.base)).send().await
                && reply.status().is_success()
            {
                return Ok(server);
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(30),
                "the server did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The server's resident memory now, in MiB.
    pub fn rss_mb(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no VmRSS"))?;
        Ok(kib / 1024.0)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `bench load-server`: serve with the CLINIC_* configuration.
pub fn serve() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(async {
            let config = clinic_server::Config::from_env()?;
            let state = clinic_server::AppState::connect(&config).await?;
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            clinic_server::serve(listener, state, std::future::pending()).await
        })
}

/// CPU seconds used so far by the server, by PostgreSQL's processes and by
/// this process (the load generator), from `/proc`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuUse {
    pub server: f64,
    pub postgres: f64,
    pub generator: f64,
}

impl CpuUse {
    pub fn now(server: &ServerProcess) -> Self {
        let mut postgres = 0.0;
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for entry in entries.flatten() {
                let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
                if stat.contains("(postgres)") {
                    postgres += cpu_seconds(&stat);
                }
            }
        }
        let read = |path: String| cpu_seconds(&std::fs::read_to_string(path).unwrap_or_default());
        Self {
            server: read(format!("/proc/{}/stat", server.child.id())),
            postgres,
            generator: read("/proc/self/stat".to_owned()),
        }
    }

    /// Adds what each used between `earlier` and `later`.
    pub fn add_between(&mut self, earlier: &Self, later: &Self) {
        self.server += later.server - earlier.server;
        self.postgres += later.postgres - earlier.postgres;
        self.generator += later.generator - earlier.generator;
    }

    /// These CPU seconds as cores used over `seconds`.
    pub fn cores_over(&self, seconds: f64) -> String {
        format!(
            "server {:.2}, postgres {:.2}, generator {:.2} cores",
            self.server / seconds,
            self.postgres / seconds,
            self.generator / seconds
        )
    }
}

/// utime + stime of a `/proc/PID/stat` line, in seconds (100 ticks/s).
fn cpu_seconds(stat: &str) -> f64 {
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of the line; 11 and 12 after the name and state.
    (ticks(11) + ticks(12)) / 100.0
}
