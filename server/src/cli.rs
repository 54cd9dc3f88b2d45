//! The command line: `migrate`, `serve`, `gc`, `verify-chain`, `backup`,
//! `restore`, `release`, `admin` and `dev`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::app::{self, AppState};
use crate::config::Config;
use crate::migrate;
use crate::pgcluster::PrivateCluster;

#[derive(Debug, Parser)]
#[command(name = "clinic-server", about = "Clinic sync server", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply (or revert) the schema migrations as the owner role.
    Migrate {
        /// Owner role's connection string.
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        /// Revert down to this version instead (0 = everything).
        #[arg(long)]
        down_to: Option<i64>,
    },
    /// Serve the API as the application role (configured by CLINIC_* variables).
    Serve,
    /// Remove tombstones every active PC has pulled past (as the owner role).
    Gc {
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        /// PCs not seen for this many days no longer hold tombstones back.
        #[arg(long, default_value_t = 90)]
        inactive_days: i32,
    },
    /// Re-compute a clinic's change-log hash chain (as the owner role) and
    /// name the first entry that does not match. Exits 1 when it breaks.
    VerifyChain {
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        /// The clinic's code.
        #[arg(long)]
        clinic: String,
    },
    /// Write one clinic's backup (as the owner role), encrypted to an age
    /// public key: every row, the change log and its chain, at one instant.
    Backup {
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        /// The clinic's code.
        #[arg(long)]
        clinic: String,
        #[arg(long)]
        out: PathBuf,
        /// The age public key (`age1...`) that can open it.
        #[arg(long)]
        recipient: String,
    },
    /// Restore a clinic from a backup (as the owner role), checking every
    /// table's row count and the change log's chain before committing.
    Restore {
        file: PathBuf,
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        /// The age identity file whose public key the backup was written to.
        #[arg(long, conflicts_with = "passphrase")]
        identity: Option<PathBuf>,
        /// The passphrase of a backup an admin downloaded from the desktop.
        #[arg(long, env = "CLINIC_BACKUP_PASSPHRASE", hide_env_values = true)]
        passphrase: Option<String>,
        /// Load it as a new clinic beside any other, with a new code.
        #[arg(long)]
        as_new_clinic: bool,
        /// The new clinic's code (with --as-new-clinic).
        #[arg(long, requires = "as_new_clinic")]
        code: Option<String>,
        /// Roll the clinic back to the backup when this server has it.
        #[arg(long, conflicts_with = "as_new_clinic")]
        replace: bool,
    },
    /// Desktop releases offered to the clinics' PCs (as the owner role).
    Release {
        #[command(subcommand)]
        action: ReleaseAction,
    },
    /// The platform operator's controls over clinics (as the owner role;
    /// every change is recorded in operator_audit).
    Admin {
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        /// Who is acting, for the audit (defaults to the login name).
        #[arg(long, env = "USER", default_value = "operator")]
        operator: String,
        #[command(subcommand)]
        action: crate::operator::AdminAction,
    },
    /// Start a private PostgreSQL in DIR, migrate, and serve on 127.0.0.1:PORT.
    Dev {
        #[arg(long, default_value = ".dev-data")]
        data_dir: PathBuf,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// SMTP server for doctors' welcome mail, e.g. smtp://127.0.0.1:2525.
        #[arg(long, env = "CLINIC_SMTP_URL")]
        smtp_url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReleaseAction {
    /// Publish the bundle in DIR (one .deb, its updater signature
    /// `<bundle>.sig`, optional `notes.md`), as `scripts/bundle.sh` leaves it.
    Publish {
        dir: PathBuf,
        #[arg(long, env = "CLINIC_OWNER_DATABASE_URL")]
        owner_url: String,
        #[arg(long, default_value = "stable")]
        channel: String,
        /// The version, when the bundle's name does not say it.
        #[arg(long)]
        version: Option<String>,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate { owner_url, down_to } => match down_to {
            Some(target) => migrate::down_to(&owner_url, target).await,
            None => migrate::up(&owner_url).await,
        },
        Command::Serve => {
            let config = Config::from_env()?;
            let listener = TcpListener::bind(config.bind).await?;
            tracing::info!(addr = %listener.local_addr()?, "serving");
            let state = AppState::connect(&config).await?;
            app::serve(listener, state, shutdown_signal()).await
        }
        Command::Gc {
            owner_url,
            inactive_days,
        } => {
            let pool = sqlx::PgPool::connect(&owner_url).await?;
            let report = crate::sync::gc::purge_tombstones(&pool, inactive_days).await?;
            println!(
                "purged {} tombstones in {} clinics ({} kept: still referenced)",
                report.purged, report.clinics, report.still_referenced
            );
            Ok(())
        }
        Command::VerifyChain { owner_url, clinic } => verify_chain(&owner_url, &clinic).await,
        Command::Backup {
            owner_url,
            clinic,
            out,
            recipient,
        } => crate::backup::command::backup(&owner_url, &clinic, &out, &recipient).await,
        Command::Restore {
            file,
            owner_url,
            identity,
            passphrase,
            as_new_clinic,
            code,
            replace,
        } => {
            let key = crate::backup::command::key(identity.as_deref(), passphrase)?;
            let code = code
                .map(|c| domain::tenant::TenantCode::parse(&c).map_err(|e| anyhow::anyhow!(e.message)))
                .transpose()?;
            let options = crate::backup::restore::Options {
                as_new_clinic,
                new_code: code,
                replace,
            };
            crate::backup::command::restore(&owner_url, &file, &key, &options).await
        }
        Command::Release {
            action:
                ReleaseAction::Publish {
                    dir,
                    owner_url,
                    channel,
                    version,
                },
        } => {
            let files = crate::releases::read_dir(&dir, version.as_deref())?;
            let pool = sqlx::PgPool::connect(&owner_url).await?;
            crate::releases::publish(&pool, &files, &channel).await?;
            println!(
                "published {} {} ({}-{}) on the {channel} channel",
                files.bundle.display(),
                files.version,
                files.target,
                files.arch
            );
            Ok(())
        }
        Command::Admin {
            owner_url,
            operator,
            action,
        } => {
            let pool = sqlx::PgPool::connect(&owner_url).await?;
            println!("{}", crate::operator::execute(&pool, &operator, &action).await?);
            Ok(())
        }
        Command::Dev {
            data_dir,
            port,
            smtp_url,
        } => dev(data_dir, port, smtp_url).await,
    }
}

async fn verify_chain(owner_url: &str, clinic: &str) -> anyhow::Result<()> {
    let code = domain::tenant::TenantCode::parse(clinic).map_err(|e| anyhow::anyhow!(e.message))?;
    let pool = sqlx::PgPool::connect(owner_url).await?;
    let report = crate::sync::chain::verify_clinic(&pool, &code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no clinic has the code {code}"))?;
    let (words, intact) = crate::sync::chain::describe(&code, &report);
    println!("{words}");
    anyhow::ensure!(intact, "the change log of {code} was altered");
    Ok(())
}

const DEV_DATABASE: &str = "clinic";

async fn dev(data_dir: PathBuf, port: u16, smtp_url: Option<String>) -> anyhow::Result<()> {
    let data_dir = std::path::absolute(data_dir)?;
    let mut cluster = PrivateCluster::start(&data_dir, true)?;
    let db = cluster.addr.clone();
    let result = async {
        db.create_roles().await?;
        db.create_database(DEV_DATABASE, None).await?;
        migrate::up(&db.owner_url(DEV_DATABASE)).await?;
        let secret = db.secret("jwt_secret").unwrap_or_default().as_bytes().to_vec();
        let mut config = Config::new(db.app_url(DEV_DATABASE), secret);
        config.smtp_url = smtp_url;
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let state = AppState::connect(&config).await?;
        println!("clinic-server dev");
        println!("  api:          http://{}/api/v1", listener.local_addr()?);
        println!("  openapi:      http://{}/openapi.json", listener.local_addr()?);
        println!("  owner db url: {}", db.owner_url(DEV_DATABASE));
        println!("  app db url:   {}", db.app_url(DEV_DATABASE));
        println!("  data dir:     {}", data_dir.display());
        println!("Press Ctrl-C to stop the server and the database.");
        app::serve(listener, state, shutdown_signal()).await
    }
    .await;
    cluster.stop()?;
    println!("stopped");
    result
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(_) => return ctrl_c.await.unwrap_or(()),
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
