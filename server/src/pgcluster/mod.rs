//! A private PostgreSQL cluster inside a directory, made from the machine's
//! Postgres binaries. `clinic-server dev` runs on one, and the test harness
//! starts one per test run.
//!
//! Layout of DIR: `pg/data` (the cluster), `pg/socket` (its Unix socket),
//! `pg/postgres.log`, and `credentials` (0600: role passwords, the JWT
//! secret of dev mode, the Postgres port). The superuser is reachable only
//! through the socket (trust, mode 0700); TCP needs SCRAM passwords.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::Rng;
use rand::distributions::Alphanumeric;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

mod process;

use process::{chown, cluster_user, prepare, wait_for_previous_postmaster};

/// Prepares `cmd` to end (SIGINT) when the calling thread ends, and to run
/// as the cluster's user when this process is root (pgbouncer refuses to
/// run as root). For the helper processes tests start beside a cluster.
pub fn tie_child(cmd: &mut Command, as_cluster_user: bool) -> anyhow::Result<()> {
    let user = if as_cluster_user { cluster_user()? } else { None };
    prepare(cmd, user, true);
    Ok(())
}

/// Gives `path` to the cluster's user when this process is root, so a
/// helper started with [`tie_child`] can read it.
pub fn give_to_cluster_user(path: &Path) -> anyhow::Result<()> {
    chown(path, cluster_user()?)
}

pub const OWNER_ROLE: &str = "clinic_owner";
pub const APP_ROLE: &str = "clinic_app";

/// A running private cluster; dropping it stops Postgres.
#[derive(Debug)]
pub struct PrivateCluster {
    pub addr: ClusterAddr,
    child: Option<Child>,
}

/// Where a private cluster listens and how to log in; cheap to clone and
/// usable from any thread or runtime.
#[derive(Debug, Clone)]
pub struct ClusterAddr {
    root: PathBuf,
    pub port: u16,
    credentials: BTreeMap<String, String>,
}

/// The machine's Postgres binaries: `$CLINIC_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin` (Debian), else whatever is on PATH.
pub fn bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("CLINIC_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).find(|d| d.join("postgres").exists()))
        .context("no PostgreSQL server binaries found: install postgresql or set CLINIC_PG_BIN")
}

fn random_secret(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl PrivateCluster {
    /// Creates the cluster on first use, then starts it and waits until it
    /// accepts connections. `durable = false` turns fsync off (tests).
    pub fn start(root: &Path, durable: bool) -> anyhow::Result<Self> {
        let bin = bin_dir()?;
        let user = cluster_user()?;
        fs::create_dir_all(root)?;
        // The cluster user must be able to reach its directories.
        fs::set_permissions(root, fs::Permissions::from_mode(0o755))?;
        let credentials = load_or_create_credentials(root)?;
        let pg = root.join("pg");
        let data = pg.join("data");
        let socket = pg.join("socket");
        if !data.join("PG_VERSION").exists() {
            for dir in [&pg, &socket] {
                fs::create_dir_all(dir)?;
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
                chown(dir, user)?;
            }
            let mut initdb = Command::new(bin.join("initdb"));
            initdb
                .arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
                .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            prepare(&mut initdb, user, false);
            let out = initdb.output().context("running initdb")?;
            if !out.status.success() {
                bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
        let port: u16 = credentials["pg_port"].parse()?;
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(pg.join("postgres.log"))?;
        chown(&pg.join("postgres.log"), user)?;
        let mut server = Command::new(bin.join("postgres"));
        server
            .arg("-D")
            .arg(&data)
            .arg("-k")
            .arg(&socket)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "unix_socket_permissions=0700", "-c", "max_connections=200"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        if !durable {
            server.args([
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]);
        }
        prepare(&mut server, user, true);
        wait_for_previous_postmaster(&data)?;
        let child = server.spawn().context("starting postgres")?;
        let mut cluster = Self {
            addr: ClusterAddr {
                root: root.to_owned(),
                port,
                credentials,
            },
            child: Some(child),
        };
        cluster.wait_ready()?;
        Ok(cluster)
    }

    fn wait_ready(&mut self) -> anyhow::Result<()> {
        let root = &self.addr.root;
        let pid_file = root.join("pg/data/postmaster.pid");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait()?
            {
                bail!(
                    "postgres exited with {status}; see {}",
                    root.join("pg/postgres.log").display()
                );
            }
            let ready = fs::read_to_string(&pid_file)
                .map(|s| s.lines().nth(7).is_some_and(|l| l.trim() == "ready"))
                .unwrap_or(false);
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("postgres did not become ready within 60 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Asks Postgres to shut down and returns at once, as when the process
    /// that started it is killed (the kernel sends it SIGINT then); a
    /// background thread reaps it.
    #[allow(unsafe_code)]
    pub fn abandon(mut self) -> Option<u32> {
        let mut child = self.child.take()?;
        let pid = child.id();
        // SAFETY: plain kill(2) on our own child's pid.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGINT);
        }
        std::thread::spawn(move || child.wait());
        Some(pid)
    }

    /// Fast shutdown: ends sessions, checkpoints, exits.
    #[allow(unsafe_code)]
    pub fn stop(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            // SAFETY: plain kill(2) on our own child's pid.
            unsafe {
                libc::kill(child.id() as libc::pid_t, libc::SIGINT);
            }
            child.wait()?;
        }
        Ok(())
    }
}

impl ClusterAddr {
    fn superuser_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(self.root.join("pg/socket"))
            .port(self.port)
            .username("postgres")
            .database(database)
    }

    /// A connection as the cluster's superuser (for set-up only).
    pub async fn superuser(&self, database: &str) -> anyhow::Result<PgConnection> {
        Ok(PgConnection::connect_with(&self.superuser_options(database)).await?)
    }

    /// Creates the owner and application roles if missing.
    pub async fn create_roles(&self) -> anyhow::Result<()> {
        let mut conn = self.superuser("postgres").await?;
        for (role, attributes, password) in [
            (
                OWNER_ROLE,
                "LOGIN NOSUPERUSER BYPASSRLS NOCREATEROLE",
                &self.credentials["owner_password"],
            ),
            (
                APP_ROLE,
                "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
                &self.credentials["app_password"],
            ),
        ] {
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                    .bind(role)
                    .fetch_one(&mut conn)
                    .await?;
            let verb = if exists { "ALTER" } else { "CREATE" };
            // Audited: role names and attributes are constants and the
            // passwords generated alphanumerics, safe inside a literal.
            let sql = format!("{verb} ROLE {role} {attributes} PASSWORD '{password}'");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await?;
        }
        Ok(())
    }

    /// Creates `database` owned by the owner role (from `template` if given),
    /// reachable by the app role and nobody else.
    pub async fn create_database(&self, database: &str, template: Option<&str>) -> anyhow::Result<()> {
        let mut conn = self.superuser("postgres").await?;
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(database)
            .fetch_one(&mut conn)
            .await?;
        if exists {
            return Ok(());
        }
        for name in std::iter::once(database).chain(template) {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                bail!("database names are letters, digits and '_': {name:?}");
            }
        }
        let template = template.map(|t| format!(" TEMPLATE \"{t}\"")).unwrap_or_default();
        // Audited: names were checked above; roles are constants. One
        // statement each: CREATE DATABASE cannot run in a transaction block.
        for sql in [
            format!("CREATE DATABASE \"{database}\" OWNER {OWNER_ROLE}{template}"),
            format!("REVOKE ALL ON DATABASE \"{database}\" FROM PUBLIC"),
            format!("GRANT CONNECT, TEMPORARY ON DATABASE \"{database}\" TO {APP_ROLE}"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await?;
        }
        Ok(())
    }

    pub fn owner_url(&self, database: &str) -> String {
        self.url(OWNER_ROLE, "owner_password", database)
    }

    pub fn app_url(&self, database: &str) -> String {
        self.url(APP_ROLE, "app_password", database)
    }

    /// The application role's address through a pooler on `port` that
    /// forwards to this cluster.
    pub fn app_url_via(&self, port: u16, database: &str) -> String {
        self.url_at(APP_ROLE, "app_password", port, database)
    }

    fn url(&self, role: &str, key: &str, database: &str) -> String {
        self.url_at(role, key, self.port, database)
    }

    fn url_at(&self, role: &str, key: &str, port: u16, database: &str) -> String {
        format!(
            "postgres://{role}:{}@127.0.0.1:{port}/{database}",
            self.credentials[key]
        )
    }

    /// A secret kept with the cluster (dev mode's JWT key).
    pub fn secret(&self, key: &str) -> Option<&str> {
        self.credentials.get(key).map(String::as_str)
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if let Err(err) = self.stop() {
            eprintln!("stopping postgres: {err}");
        }
    }
}

fn load_or_create_credentials(root: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let path = root.join("credentials");
    let mut values: BTreeMap<String, String> = fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    let before = values.len();
    values
        .entry("owner_password".into())
        .or_insert_with(|| random_secret(32));
    values
        .entry("app_password".into())
        .or_insert_with(|| random_secret(32));
    values
        .entry("jwt_secret".into())
        .or_insert_with(|| random_secret(64));
    if !values.contains_key("pg_port") {
        values.insert("pg_port".into(), free_port()?.to_string());
    }
    if values.len() != before {
        let text: String = values.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        fs::write(&path, text)?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
    }
    Ok(values)
}
