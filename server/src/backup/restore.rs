//! Restoring a backup, as the owner role, in one transaction: the rows go
//! in, then every table's count and the change log's hash chain are
//! checked against the manifest, and only then does it commit. A file
//! that was changed does not decrypt; one that decrypts but does not add
//! up changes nothing.
//!
//! Three cases: a clinic this server does not have (a new server after a
//! loss) is created as it was; a clinic it has is replaced only with
//! `replace` (its sessions and removed PCs carry over); `as_new_clinic`
//! loads a copy under a new id and code next to anything else.

use std::collections::HashMap;
use std::io::BufRead;

use domain::ids::TenantId;
use domain::tenant::TenantCode;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use super::take::{clinic_rows, count_rows};
use super::{BackupError, ClinicRef, End, FORMAT, FORMAT_VERSION, LIVE_TABLES, Manifest, Section, TABLES};
use crate::db::{self, Tx};

mod chain;
mod live;

use chain::ChainCheck;

/// How to restore.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Load as a new clinic (new id, new code, new ids for its own
    /// medicines) instead of as the clinic it was.
    pub as_new_clinic: bool,
    /// The new clinic's code; a generated one when absent.
    pub new_code: Option<TenantCode>,
    /// Replace the clinic's current data when this server has it.
    pub replace: bool,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub clinic: ClinicRef,
    pub tables: Vec<Section>,
    pub rows: u64,
    pub chain_entries: u64,
    /// The change log was re-linked (a copy whose medicines got new ids).
    pub relinked: bool,
    /// Sign-ins of the replaced clinic that carried over.
    pub kept_sessions: u64,
    pub replaced: bool,
}

/// Rows sent to PostgreSQL per statement.
const ROWS_PER_INSERT: usize = 1000;

pub async fn restore(
    pool: &PgPool,
    mut input: Box<dyn BufRead>,
    options: &Options,
) -> Result<Restored, BackupError> {
    let manifest: Manifest = read_line(&mut input)?;
    check_manifest(pool, &manifest).await?;

    let mut tx = pool.begin().await?;
    sqlx::query("SELECT set_config('app.restoring', 'on', true)")
        .execute(&mut *tx)
        .await?;
    let target = choose_target(&mut tx, &manifest, options).await?;
    db::set_tenant(&mut tx, TenantId::from_uuid(target.id)).await?;
    let replaced = target.replaces;
    if replaced {
        // A writer of the clinic's log like any other: it queues behind a
        // push in progress (whose reads rely on that lock) before it
        // deletes a row, instead of deadlocking with it.
        db::changes::lock_counter(&mut tx).await?;
        live::stash(&mut tx).await?;
        delete_clinic(&mut tx).await?;
    }

    let mut remap = HashMap::new();
    if options.as_new_clinic {
        remap.insert(manifest.clinic.id.to_string(), target.id.to_string());
    }
    let mut chain = ChainCheck::new(options.as_new_clinic);
    let mut total = 0u64;
    // Table names in SQL come from TABLES, never from the file (whose
    // list was checked equal to it).
    for (&table, expected) in TABLES.iter().zip(&manifest.tables) {
        let section: Section = read_line(&mut input)?;
        if &section != expected {
            return Err(BackupError::corrupt(format!(
                "expected {} rows of {}, found a section of {} rows of {}",
                expected.rows, expected.table, section.rows, section.table
            )));
        }
        let rows = Rows {
            table,
            count: section.rows,
        };
        total += load_section(
            &mut tx, &mut input, rows, &mut remap, &mut chain, &target, options,
        )
        .await?;
    }
    let end: End = read_line(&mut input)?;
    if !end.end || end.rows != total {
        return Err(BackupError::corrupt("the file ends before its last table"));
    }

    let relinked = chain.relinked();
    sqlx::query(
        "UPDATE tenant_sync_state SET epoch = gen_random_uuid(), updated_at = now(), \
                last_hash = CASE WHEN $1 THEN $2 ELSE last_hash END \
          WHERE tenant_id = app_tenant()",
    )
    .bind(relinked)
    .bind(chain.head())
    .execute(&mut *tx)
    .await?;
    // At commit, the clinic's PCs hear of it, and every server process
    // forgets the idle pulls it answered for the old epoch.
    crate::db::operator::wake_clinic(&mut tx, target.id).await?;
    let kept_sessions = if replaced {
        live::bring_back(&mut tx).await?
    } else {
        0
    };

    verify(&mut tx, &manifest, &chain).await?;
    tx.commit().await?;
    Ok(Restored {
        clinic: ClinicRef {
            id: target.id,
            code: target.code,
            name: manifest.clinic.name.clone(),
        },
        tables: manifest.tables.clone(),
        rows: total,
        chain_entries: chain.entries(),
        relinked,
        kept_sessions,
        replaced,
    })
}

fn read_line<T: serde::de::DeserializeOwned>(input: &mut Box<dyn BufRead>) -> Result<T, BackupError> {
    serde_json::from_str(&read_text(input)?).map_err(BackupError::corrupt)
}

/// The next line as it is in the file.
fn read_text(input: &mut Box<dyn BufRead>) -> Result<String, BackupError> {
    let mut line = String::new();
    let read = input.read_line(&mut line).map_err(|e| {
        BackupError::Decrypt(format!(
            "reading failed part-way ({e}): the file was changed or cut short"
        ))
    })?;
    if read == 0 {
        return Err(BackupError::corrupt("the file ends early"));
    }
    line.truncate(line.trim_end().len());
    Ok(line)
}

async fn check_manifest(pool: &PgPool, manifest: &Manifest) -> Result<(), BackupError> {
    if manifest.format != FORMAT || manifest.format_version != FORMAT_VERSION {
        return Err(BackupError::corrupt(format!(
            "format {} version {} (this server reads {FORMAT} version {FORMAT_VERSION})",
            manifest.format, manifest.format_version
        )));
    }
    let names: Vec<&str> = manifest.tables.iter().map(|s| s.table.as_str()).collect();
    let database: i64 =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?;
    let here = super::schema_version();
    if manifest.schema != here || database != here {
        return Err(BackupError::SchemaMismatch {
            backup: manifest.schema,
            database,
        });
    }
    if names != TABLES {
        return Err(BackupError::corrupt("its tables are not this schema's"));
    }
    Ok(())
}

/// The clinic the rows go to.
#[derive(Debug)]
struct Target {
    id: Uuid,
    code: String,
    replaces: bool,
}

async fn choose_target(tx: &mut Tx, manifest: &Manifest, options: &Options) -> Result<Target, BackupError> {
    if options.as_new_clinic {
        let code = match &options.new_code {
            Some(code) => code.clone(),
            None => TenantCode::generate(&manifest.clinic.name, rand::random()),
        };
        if db::tenants::id_for_code(tx, &code).await?.is_some() {
            return Err(BackupError::Conflict(format!(
                "a clinic with the code {code} exists here: choose another with --code"
            )));
        }
        return Ok(Target {
            id: Uuid::now_v7(),
            code: code.to_string(),
            replaces: false,
        });
    }
    let code = TenantCode::parse(&manifest.clinic.code).map_err(|e| BackupError::corrupt(e.message))?;
    let existing = db::tenants::id_for_code(tx, &code).await?.map(|t| t.as_uuid());
    match existing {
        Some(id) if id != manifest.clinic.id => Err(BackupError::Conflict(format!(
            "another clinic has the code {code} on this server: restore with --as-new-clinic"
        ))),
        Some(_) if !options.replace => Err(BackupError::Conflict(format!(
            "{code} exists on this server: add --replace to roll it back to this backup (its current records are \
             replaced; PCs resync and keep their unsynced changes), or --as-new-clinic for a copy beside it"
        ))),
        found => Ok(Target {
            id: manifest.clinic.id,
            code: code.to_string(),
            replaces: found.is_some(),
        }),
    }
}

/// Removes every row of the clinic, children first (the live tables too:
/// they were stashed).
async fn delete_clinic(tx: &mut Tx) -> sqlx::Result<()> {
    for table in LIVE_TABLES.iter().chain(TABLES.iter().rev()) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE {}",
            clinic_rows(table)
        )))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A section about to be read.
#[derive(Debug, Clone, Copy)]
struct Rows {
    table: &'static str,
    count: u64,
}

async fn load_section(
    tx: &mut Tx,
    input: &mut Box<dyn BufRead>,
    section: Rows,
    remap: &mut HashMap<String, String>,
    chain: &mut ChainCheck,
    target: &Target,
    options: &Options,
) -> Result<u64, BackupError> {
    // Rows nothing needs to look at go to PostgreSQL as they are in the
    // file (it parses them anyway); the change log is checked, and a copy
    // rewrites ids, so those rows are parsed here.
    let inspect = section.table == "change_log" || section.table == "tenants" || options.as_new_clinic;
    let mut batch = Vec::with_capacity(ROWS_PER_INSERT);
    for _ in 0..section.count {
        let text = read_text(input)?;
        if !inspect {
            batch.push(text);
        } else {
            let mut row: Value = serde_json::from_str(&text).map_err(BackupError::corrupt)?;
            match section.table {
                "change_log" => chain.check(&row)?,
                "medicines" if options.as_new_clinic => give_new_id(&row, remap),
                _ => {}
            }
            rewrite(&mut row, remap);
            if section.table == "tenants" {
                row["code"] = Value::String(target.code.clone());
            }
            if section.table == "change_log" && options.as_new_clinic {
                chain.relink(&mut row)?;
            }
            batch.push(row.to_string());
        }
        if batch.len() == ROWS_PER_INSERT {
            insert(tx, section.table, std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        insert(tx, section.table, batch).await?;
    }
    Ok(section.count)
}

/// A copy's own medicines need new ids: medicine ids are unique across
/// the server, and the original clinic may still have them.
fn give_new_id(row: &Value, remap: &mut HashMap<String, String>) {
    if let Some(id) = row.get("id").and_then(Value::as_str) {
        remap.insert(id.to_string(), Uuid::now_v7().to_string());
    }
}

/// Replaces every string that is a remapped id, wherever it appears
/// (columns, and field values inside the change log's JSON).
fn rewrite(value: &mut Value, remap: &HashMap<String, String>) {
    if remap.is_empty() {
        return;
    }
    match value {
        Value::String(s) => {
            if let Some(new) = remap.get(s.as_str()) {
                *s = new.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, remap)),
        Value::Object(map) => map.values_mut().for_each(|v| rewrite(v, remap)),
        _ => {}
    }
}

/// Inserts rows given as JSON objects, each forced into the clinic being
/// restored: whoever holds the operator's public key can write a backup
/// file, and the owner role may bypass Row-Level Security, so a row naming
/// another clinic must not land there.
async fn insert(tx: &mut Tx, table: &'static str, rows: Vec<String>) -> sqlx::Result<()> {
    let array = format!("[{}]", rows.join(","));
    let key = if table == "tenants" { "id" } else { "tenant_id" };
    let sql = format!(
        "INSERT INTO {table} SELECT * FROM jsonb_populate_recordset(NULL::{table}, \
           (SELECT jsonb_agg(e || jsonb_build_object('{key}', app_tenant())) \
              FROM jsonb_array_elements($1::text::jsonb) e))"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(array)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The restored clinic adds up: each table's rows as the manifest counts
/// them, and the chain intact up to the manifest's head.
async fn verify(tx: &mut Tx, manifest: &Manifest, chain: &ChainCheck) -> Result<(), BackupError> {
    let counts = count_rows(tx).await?;
    for (found, expected) in counts.iter().zip(&manifest.tables) {
        if found != expected {
            return Err(BackupError::Mismatch(format!(
                "{} has {} rows, the backup {}",
                expected.table, found.rows, expected.rows
            )));
        }
    }
    let report = db::changes::verify_chain(tx)
        .await
        .map_err(|e| BackupError::Mismatch(e.to_string()))?;
    if report.first_bad.is_some() || report.head_mismatch {
        return Err(BackupError::Mismatch(
            "the change log's hash chain does not verify".into(),
        ));
    }
    let entries = i64::try_from(chain.entries()).unwrap_or(i64::MAX);
    if chain.original_head() != manifest.chain.last_hash || entries != manifest.chain.last_seq {
        return Err(BackupError::Mismatch(
            "the change log does not end at the backup's head".into(),
        ));
    }
    Ok(())
}
