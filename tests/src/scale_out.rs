//! More than one server, as a clinic network scaled out runs it, all on
//! 127.0.0.1: several `clinic-server serve` processes behind haproxy, each
//! reaching PostgreSQL through pgbouncer in transaction mode and listening
//! for live events on a direct connection of its own. In tests they serve
//! the database and signing key of a [`TestApp`], so its helpers (clinics,
//! sign-ins, PCs) work through any of them; `bench load` starts them on
//! its own database.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clinic_server::pgcluster::{APP_ROLE, ClusterAddr, give_to_cluster_user, tie_child};

use crate::TestApp;
use crate::binaries::built_binary;
use crate::gui::free_port;

/// What the servers serve, and how they are started.
#[derive(Debug, Clone)]
pub struct Backing<'a> {
    pub cluster: &'a ClusterAddr,
    pub database: &'a str,
    pub jwt_secret: &'a [u8],
    /// A program and its arguments that serve with the `CLINIC_*`
    /// configuration (`clinic-server serve`).
    pub serve: (PathBuf, Vec<String>),
    /// Each server's pool, and pgbouncer's pool to PostgreSQL: PostgreSQL
    /// sees the same number of connections however many servers run.
    pub pool: u32,
}

/// The running topology; dropping it stops every process.
#[derive(Debug)]
pub struct ScaledOut {
    /// `http://127.0.0.1:PORT` of haproxy, which PCs are given.
    pub proxy: String,
    /// Each server process, in haproxy's order.
    pub servers: Vec<ServerProcess>,
    pgbouncer: Child,
    haproxy: Child,
    dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct ServerProcess {
    /// `http://127.0.0.1:PORT`, to reach this server without the proxy.
    pub base: String,
    child: Option<Child>,
}

impl ServerProcess {
    /// Kills the process at once (SIGKILL), as a crashed machine would
    /// stop it: nothing is finished or closed cleanly.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl Drop for ScaledOut {
    fn drop(&mut self) {
        for server in &mut self.servers {
            server.kill();
        }
        for child in [&mut self.haproxy, &mut self.pgbouncer] {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl ScaledOut {
    /// `count` servers of `app`'s database (see [`ScaledOut::start_on`]).
    pub async fn start(app: &TestApp, count: usize) -> Self {
        let backing = Backing {
            cluster: &crate::cluster::shared().addr,
            database: &app.database,
            jwt_secret: &app.jwt_secret,
            serve: (built_binary("clinic-server"), vec!["serve".to_owned()]),
            pool: 6,
        };
        Self::start_on(&backing, count).await
    }

    /// Starts pgbouncer, `count` servers and haproxy in front of them, and
    /// waits until each answers through the proxy's address.
    pub async fn start_on(backing: &Backing<'_>, count: usize) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        give_to_cluster_user(dir.path()).expect("chown topology dir");
        let bouncer_port = free_port();
        let pgbouncer = start_pgbouncer(dir.path(), bouncer_port, backing).await;
        let servers: Vec<ServerProcess> = (0..count)
            .map(|i| {
                let port = free_port();
                let child = start_server(dir.path(), i, port, bouncer_port, backing);
                ServerProcess {
                    base: format!("http://127.0.0.1:{port}"),
                    child: Some(child),
                }
            })
            .collect();
        let proxy_port = free_port();
        let haproxy = start_haproxy(dir.path(), proxy_port, &servers);
        let topology = Self {
            proxy: format!("http://127.0.0.1:{proxy_port}"),
            servers,
            pgbouncer,
            haproxy,
            dir,
        };
        for server in &topology.servers {
            topology.wait_until_answering(&server.base).await;
        }
        topology.wait_until_answering(&topology.proxy).await;
        topology
    }

    /// What the processes logged (for a failing test's message).
    pub fn logs(&self) -> String {
        let mut out = String::new();
        let servers = (0..self.servers.len()).map(|i| format!("server-{i}.log"));
        let names = ["pgbouncer.log", "haproxy.err"].map(String::from);
        for name in names.into_iter().chain(servers) {
            if let Ok(text) = std::fs::read_to_string(self.dir.path().join(&name)) {
                let tail: Vec<&str> = text.lines().rev().take(30).collect();
                out.push_str(&format!("--- {name}\n"));
                for line in tail.into_iter().rev() {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// Waits (up to 30 s) until `base` answers. (Each server reached the
    /// database through pgbouncer before it started listening.)
    async fn wait_until_answering(&self, base: &str) {
        let started = Instant::now();
        let http = reqwest::Client::new();
        loop {
            let answer = http.get(format!("{base}/openapi.json")).send().await;
            if answer.as_ref().is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{base} does not answer: {answer:?}\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn log_file(dir: &Path, name: &str) -> Stdio {
    std::fs::File::create(dir.join(name)).expect("log file").into()
}

/// pgbouncer in transaction mode. Clients log in with SCRAM against the
/// application role's own secret (read from the catalog), which pgbouncer
/// also uses to log in to PostgreSQL. Every server connection is reset
/// after each transaction, so no prepared statement outlives one.
async fn start_pgbouncer(dir: &Path, port: u16, backing: &Backing<'_>) -> Child {
    let secret = app_role_secret(backing).await;
    let (pg_port, pool) = (backing.cluster.port, backing.pool);
    write(dir, "userlist.txt", &format!("\"{APP_ROLE}\" \"{secret}\"\n"));
    let ini = format!(
        "[databases]\n\
         * = host=127.0.0.1 port={pg_port}\n\
         [pgbouncer]\n\
         listen_addr = 127.0.0.1\n\
         listen_port = {port}\n\
         unix_socket_dir =\n\
         auth_type = scram-sha-256\n\
         auth_file = {dir}/userlist.txt\n\
         pool_mode = transaction\n\
         server_reset_query = DEALLOCATE ALL\n\
         server_reset_query_always = 1\n\
         ignore_startup_parameters = extra_float_digits\n\
         max_client_conn = 1000\n\
         default_pool_size = {pool}\n\
         log_connections = 0\n\
         log_disconnections = 0\n\
         logfile = {dir}/pgbouncer.log\n",
        dir = dir.display()
    );
    write(dir, "pgbouncer.ini", &ini);
    let mut cmd = Command::new(program("pgbouncer"));
    cmd.arg(dir.join("pgbouncer.ini"))
        .stdout(Stdio::null())
        .stderr(log_file(dir, "pgbouncer.err"));
    tie_child(&mut cmd, true).expect("pgbouncer's user");
    let child = cmd.spawn().expect("start pgbouncer (apt-get install pgbouncer)");
    wait_for_port(port, "pgbouncer");
    child
}

/// The application role's SCRAM secret, as `pg_authid` keeps it.
async fn app_role_secret(backing: &Backing<'_>) -> String {
    let mut conn = backing
        .cluster
        .superuser(backing.database)
        .await
        .expect("superuser connection");
    sqlx::query_scalar("SELECT rolpassword FROM pg_authid WHERE rolname = $1")
        .bind(APP_ROLE)
        .fetch_one(&mut conn)
        .await
        .expect("the application role's secret")
}

fn start_server(dir: &Path, index: usize, port: u16, bouncer_port: u16, backing: &Backing<'_>) -> Child {
    let (cluster, database) = (backing.cluster, backing.database);
    let mut cmd = Command::new(&backing.serve.0);
    cmd.args(&backing.serve.1)
        .env("CLINIC_DATABASE_URL", cluster.app_url_via(bouncer_port, database))
        .env("CLINIC_DB_TRANSACTION_POOLER", "1")
        .env("CLINIC_LISTEN_DATABASE_URL", cluster.app_url(database))
        .env("CLINIC_DB_MAX_CONNECTIONS", backing.pool.to_string())
        .env(
            "CLINIC_JWT_SECRET",
            String::from_utf8_lossy(backing.jwt_secret).as_ref(),
        )
        .env("CLINIC_BIND", format!("127.0.0.1:{port}"))
        .env("CLINIC_TRUSTED_PROXY", "127.0.0.1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log_file(dir, &format!("server-{index}.log")));
    tie_child(&mut cmd, false).expect("tie server");
    cmd.spawn().expect("start the server (cargo build --workspace)")
}

/// haproxy over the servers, each PC kept on one server by a hash of its
/// token (consistent, so a server's death moves only its own PCs), so each
/// server's memory of its PCs' idle pulls and live sign-ins is of use;
/// requests without a token go round robin. A server that stops accepting
/// connections is taken out within a few hundred milliseconds, and a
/// request whose connection is refused is sent to another one.
fn start_haproxy(dir: &Path, port: u16, servers: &[ServerProcess]) -> Child {
    let mut cfg = format!(
        "global\n  maxconn 4000\n\
         defaults\n  mode http\n  option redispatch\n  retries 3\n  option forwardfor\n  \
         timeout connect 1s\n  timeout client 5m\n  timeout server 5m\n  timeout tunnel 1h\n\
         frontend clinic\n  bind 127.0.0.1:{port}\n  default_backend servers\n\
         backend servers\n  balance hdr(Authorization)\n  hash-type consistent\n"
    );
    for (i, server) in servers.iter().enumerate() {
        let address = server.base.trim_start_matches("http://");
        cfg.push_str(&format!(
            "  server s{i} {address} check inter 200ms fall 1 rise 1\n"
        ));
    }
    write(dir, "haproxy.cfg", &cfg);
    let mut cmd = Command::new(program("haproxy"));
    cmd.args(["-db", "-f"])
        .arg(dir.join("haproxy.cfg"))
        .stdout(log_file(dir, "haproxy.log"))
        .stderr(log_file(dir, "haproxy.err"));
    tie_child(&mut cmd, false).expect("tie haproxy");
    let child = cmd.spawn().expect("start haproxy (apt-get install haproxy)");
    wait_for_port(port, "haproxy");
    child
}

/// Debian installs pgbouncer and haproxy in /usr/sbin, which a non-root
/// PATH may lack.
fn program(name: &str) -> std::path::PathBuf {
    let sbin = Path::new("/usr/sbin").join(name);
    if sbin.exists() { sbin } else { name.into() }
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write config");
    give_to_cluster_user(&path).expect("chown config");
}

fn wait_for_port(port: u16, what: &str) {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what} does not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
