//! `bench backup --rows N`: one clinic's backup and its restore into an
//! empty database, against PostgreSQL's own tools on the same rows in the
//! same run (`pg_dump --format=custom` of the database and `pg_restore`
//! into another): the raw limit a per-clinic backup is measured by.
//! Prints one summary line.

use std::process::Command;
use std::time::Instant;

use clinic_server::backup::crypt::{Key, Lock, open};
use clinic_server::backup::restore::{Options, restore};
use clinic_server::pgcluster::bin_dir;
use domain::tenant::TenantCode;

use crate::setup;

fn timed(command: &mut Command) -> anyhow::Result<f64> {
    let started = Instant::now();
    let out = command.output()?;
    anyhow::ensure!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(started.elapsed().as_secs_f64())
}

pub async fn run(rows: i64) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    eprintln!("starting PostgreSQL and the server ...");
    let (env, clinic) = setup::generated_clinic(&work.path().join("pg"), rows).await?;
    sqlx::query("VACUUM ANALYZE").execute(&env.owner).await?;

    let identity = age::x25519::Identity::generate();
    let key_file = work.path().join("operator.key");
    std::fs::write(
        &key_file,
        age::secrecy::ExposeSecret::expose_secret(&identity.to_string()),
    )?;
    let lock = Lock::recipient(&identity.to_public().to_string())?;
    let file = work.path().join("clinic.backup");
    eprintln!("clinic backup ...");
    let started = Instant::now();
    let manifest =
        clinic_server::backup::take::to_file(&env.owner, &TenantCode::parse(&clinic.code)?, &lock, &file)
            .await?;
    let backup_s = started.elapsed().as_secs_f64();
    let backup_rows: u64 = manifest.tables.iter().map(|s| s.rows).sum();
    let backup_bytes = std::fs::metadata(&file)?.len();

    let addr = env._cluster.addr.clone();
    addr.create_database("restored", None).await?;
    clinic_server::migrate::up(&addr.owner_url("restored")).await?;
    let target = sqlx::PgPool::connect(&addr.owner_url("restored")).await?;
    eprintln!("clinic restore into an empty database ...");
    let started = Instant::now();
    let input = open(std::fs::File::open(&file)?, &Key::identity_file(&key_file)?)?;
    let restored = restore(&target, input, &Options::default()).await?;
    let restore_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        restored.rows == backup_rows,
        "restored {} of {backup_rows} rows",
        restored.rows
    );

    eprintln!("raw limit: pg_dump and pg_restore of the same database ...");
    let bin = bin_dir()?;
    let dump = work.path().join("clinic.dump");
    let pg_dump_s = timed(
        Command::new(bin.join("pg_dump"))
            .args(["--format=custom", "--file"])
            .arg(&dump)
            .args(["--dbname", &addr.owner_url(setup::DATABASE)]),
    )?;
    addr.create_database("pgrestored", None).await?;
    let pg_restore_s = timed(
        Command::new(bin.join("pg_restore"))
            .args(["--single-transaction", "--dbname", &addr.owner_url("pgrestored")])
            .arg(&dump),
    )?;
    println!(
        "{}",
        serde_json::json!({
            "bench": "backup", "rows": backup_rows, "backup_s": backup_s, "backup_mb": backup_bytes as f64 / 1e6,
            "restore_s": restore_s, "pg_dump_s": pg_dump_s, "pg_restore_s": pg_restore_s,
            "backup_to_pg_dump": backup_s / pg_dump_s, "restore_to_pg_restore": restore_s / pg_restore_s,
        })
    );
    Ok(())
}
