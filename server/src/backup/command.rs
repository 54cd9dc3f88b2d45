//! `clinic-server backup` and `clinic-server restore`: what they print.

use std::path::Path;

use age::secrecy::SecretString;
use domain::tenant::TenantCode;

use super::crypt::{Key, Lock};
use super::restore::{self, Options};

pub async fn backup(owner_url: &str, clinic: &str, out: &Path, recipient: &str) -> anyhow::Result<()> {
    let code = TenantCode::parse(clinic).map_err(|e| anyhow::anyhow!(e.message))?;
    let lock = Lock::recipient(recipient)?;
    let pool = sqlx::PgPool::connect(owner_url).await?;
    let started = std::time::Instant::now();
    let manifest = super::take::to_file(&pool, &code, &lock, out).await?;
    let rows: u64 = manifest.tables.iter().map(|s| s.rows).sum();
    let bytes = std::fs::metadata(out)?.len();
    println!(
        "backed up {} ({}): {rows} rows in {} tables, change log to entry {}, {bytes} bytes in {:.1} s -> {}",
        manifest.clinic.code,
        manifest.clinic.name,
        manifest.tables.len(),
        manifest.chain.last_seq,
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// The identity file, or else the passphrase.
pub fn key(identity: Option<&Path>, passphrase: Option<String>) -> anyhow::Result<Key> {
    match (identity, passphrase) {
        (Some(path), _) => Ok(Key::identity_file(path)?),
        (None, Some(p)) if !p.is_empty() => Ok(Key::Passphrase(SecretString::from(p))),
        _ => anyhow::bail!(
            "say how to open the backup: --identity AGE_KEY_FILE, or the passphrase in CLINIC_BACKUP_PASSPHRASE"
        ),
    }
}

pub async fn restore(owner_url: &str, file: &Path, key: &Key, options: &Options) -> anyhow::Result<()> {
    let input = super::crypt::open(std::fs::File::open(file)?, key)?;
    let pool = sqlx::PgPool::connect(owner_url).await?;
    let started = std::time::Instant::now();
    let done = restore::restore(&pool, input, options).await?;
    println!(
        "restored {} ({}) as {}: {} rows in {} tables, {} change-log entries verified{}, in {:.1} s",
        done.clinic.name,
        done.clinic.id,
        done.clinic.code,
        done.rows,
        done.tables.len(),
        done.chain_entries,
        if done.relinked {
            " (re-linked: the copy's medicines have new ids)"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    if done.replaced {
        println!(
            "the clinic's PCs resync on their next sync and keep changes they had not sent; {} sign-ins carried over",
            done.kept_sessions
        );
    }
    Ok(())
}
