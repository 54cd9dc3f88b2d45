//! Taking a backup: one REPEATABLE READ transaction reads the manifest's
//! counts, the chain head and every row at the same instant, while the
//! clinic goes on working (nothing is locked).

use std::io::Write;
use std::path::Path;

use chrono::Utc;
use domain::tenant::TenantCode;
use futures_util::TryStreamExt;
use sqlx::PgPool;

use super::crypt::{Lock, Sealed};
use super::{BackupError, ChainHead, ClinicRef, End, FORMAT, FORMAT_VERSION, Manifest, Section, TABLES, hex};
use crate::db::{self, Tx};

/// The rows of `table` that belong to the transaction's clinic.
pub(super) fn clinic_rows(table: &str) -> &'static str {
    if table == "tenants" {
        "id = app_tenant()"
    } else {
        "tenant_id = app_tenant()"
    }
}

/// Writes the backup of `code` to `out` through a temporary file, renamed
/// into place once complete (readable by its owner only). Runs as the
/// owner role; returns the manifest.
pub async fn to_file(
    pool: &PgPool,
    code: &TenantCode,
    lock: &Lock,
    out: &Path,
) -> Result<Manifest, BackupError> {
    let mut tx = begin_snapshot(pool).await?;
    let tenant = db::tenants::id_for_code(&mut tx, code)
        .await?
        .ok_or_else(|| BackupError::UnknownClinic(code.to_string()))?;
    db::set_tenant(&mut tx, tenant).await?;

    let partial = out.with_extension("partial");
    let file = create_private(&partial)?;
    let mut sealed = Sealed::new(std::io::BufWriter::new(file), lock)?;
    let manifest = write_rows(&mut tx, &mut sealed).await?;
    let file = sealed.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&partial, out)?;
    tx.commit().await?;
    Ok(manifest)
}

/// A transaction that sees one instant of the whole database.
pub async fn begin_snapshot(pool: &PgPool) -> sqlx::Result<Tx> {
    pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ").await
}

fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

/// Writes the clinic of `tx` (its tenant set, in a REPEATABLE READ
/// transaction) as NDJSON lines: manifest, sections with their rows, end.
pub async fn write_rows(tx: &mut Tx, out: &mut (dyn Write + Send)) -> Result<Manifest, BackupError> {
    let manifest = read_manifest(tx).await?;
    write_line(out, &manifest)?;
    let mut total = 0u64;
    for (&table, section) in TABLES.iter().zip(&manifest.tables) {
        write_line(out, section)?;
        let order = if table == "change_log" {
            " ORDER BY seq"
        } else {
            ""
        };
        // Names from TABLES only.
        let sql = format!(
            "SELECT to_jsonb(t)::text FROM {table} t WHERE {}{order}",
            clinic_rows(table)
        );
        let mut rows = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).fetch(&mut **tx);
        let mut written = 0u64;
        while let Some(row) = rows.try_next().await? {
            out.write_all(row.as_bytes())?;
            out.write_all(b"\n")?;
            written += 1;
        }
        if written != section.rows {
            // Cannot happen in one snapshot; if it does, no file is better
            // than a file whose manifest is wrong.
            return Err(BackupError::Mismatch(format!(
                "{} had {} rows counted and {written} read",
                section.table, section.rows
            )));
        }
        total += written;
    }
    write_line(
        out,
        &End {
            end: true,
            rows: total,
        },
    )?;
    Ok(manifest)
}

async fn read_manifest(tx: &mut Tx) -> Result<Manifest, BackupError> {
    let (id, code, name): (uuid::Uuid, String, String) =
        sqlx::query_as("SELECT id, code, name FROM tenants WHERE id = app_tenant()")
            .fetch_one(&mut **tx)
            .await?;
    let counts = count_rows(tx).await?;
    let (last_seq, last_hash): (i64, Vec<u8>) =
        sqlx::query_as("SELECT last_seq, last_hash FROM tenant_sync_state WHERE tenant_id = app_tenant()")
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or_default();
    Ok(Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema: super::schema_version(),
        server_version: env!("CARGO_PKG_VERSION").into(),
        taken_at: Utc::now(),
        clinic: ClinicRef { id, code, name },
        tables: counts,
        chain: ChainHead {
            last_seq,
            last_hash: hex(&last_hash),
        },
    })
}

/// Each table's count of the clinic's rows, in [`TABLES`] order.
pub(super) async fn count_rows(tx: &mut Tx) -> sqlx::Result<Vec<Section>> {
    let parts: Vec<String> = TABLES
        .iter()
        .map(|t| format!("(SELECT count(*) FROM {t} WHERE {})", clinic_rows(t)))
        .collect();
    let sql = format!("SELECT ARRAY[{}]::bigint[]", parts.join(", "));
    let counts: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut **tx)
        .await?;
    Ok(TABLES
        .iter()
        .zip(counts)
        .map(|(table, rows)| Section {
            table: (*table).to_string(),
            rows: u64::try_from(rows).unwrap_or_default(),
        })
        .collect())
}

fn write_line(out: &mut (dyn Write + Send), value: &impl serde::Serialize) -> Result<(), BackupError> {
    serde_json::to_writer(&mut *out, value).map_err(|e| BackupError::Io(e.into()))?;
    out.write_all(b"\n")?;
    Ok(())
}
