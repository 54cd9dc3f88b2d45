//! Changes the server makes itself (accounts and doctors through the API)
//! enter the same change log as pushed ones, so every PC pulls them.

use std::sync::{Mutex, OnceLock};

use domain::ids::DeviceId;
use domain::sync::{Hlc, HlcClock, tables};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db::Tx;
use crate::db::changes::{self, Entry};

/// The server's own clock; its node id is fixed per process.
fn tick() -> Hlc {
    static CLOCK: OnceLock<Mutex<HlcClock>> = OnceLock::new();
    let clock = CLOCK.get_or_init(|| Mutex::new(HlcClock::new(DeviceId::new())));
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default();
    match clock.lock() {
        Ok(mut clock) => clock.tick(now),
        Err(poisoned) => poisoned.into_inner().tick(now),
    }
}

/// Logs the current state of rows the server wrote, as `op` ("insert" or
/// "update"), by `user`. One counter lock and one append for all of them.
pub async fn log_rows(tx: &mut Tx, rows: &[(&str, Uuid)], op: &str, user: Uuid) -> anyhow::Result<()> {
    log(tx, rows, op, user, None).await
}

/// Logs an update of only `fields` of each row (their current values): the
/// other fields keep their clocks, so a PC's newer edit of them still wins.
pub async fn log_fields(
    tx: &mut Tx,
    rows: &[(&str, Uuid)],
    fields: &[&str],
    user: Uuid,
) -> anyhow::Result<()> {
    log(tx, rows, "update", user, Some(fields)).await
}

async fn log(
    tx: &mut Tx,
    rows: &[(&str, Uuid)],
    op: &str,
    user: Uuid,
    only: Option<&[&str]>,
) -> anyhow::Result<()> {
    let mut entries = Vec::with_capacity(rows.len());
    for (table, id) in rows {
        let spec = tables::table(table).ok_or_else(|| anyhow::anyhow!("{table} is not synced"))?;
        let mut fields = current_fields(tx, spec, *id).await?;
        if let Some(only) = only {
            fields.retain(|name, _| only.contains(&name.as_str()));
        }
        let hlc = tick().to_string();
        let clocks: Map<String, Value> = fields
            .keys()
            .map(|k| (k.clone(), Value::String(hlc.clone())))
            .collect();
        let sql = format!(
            "UPDATE {} SET field_hlc = field_hlc || $2 WHERE id = $1",
            spec.name
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(sqlx::types::Json(&clocks))
            .execute(&mut **tx)
            .await?;
        entries.push(Entry {
            table: spec.name.to_owned(),
            row_id: *id,
            op: op.to_owned(),
            changes: Value::Object(fields),
            hlc,
            user_id: user,
            device_id: None,
            batch_seq: None,
        });
    }
    let mut counter = changes::lock_counter(tx).await?;
    let seq = changes::append(tx, &mut counter, &entries).await?;
    for (table, id) in rows {
        let sql = format!("UPDATE {table} SET sync_seq = $2 WHERE id = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(seq)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn current_fields(
    tx: &mut Tx,
    spec: &tables::TableSpec,
    id: Uuid,
) -> anyhow::Result<Map<String, Value>> {
    let sql = format!(
        "SELECT jsonb_build_object({}) FROM {} t WHERE id = $1",
        super::rows::field_pairs(spec),
        spec.name
    );
    let fields: sqlx::types::Json<Map<String, Value>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(fields.0)
}

/// Logs the current state of a global catalog row, which the platform
/// operator changed, into every clinic's log: one entry per clinic, chained
/// in that clinic's log and announced to its PCs at commit, so every PC
/// learns of it through the pull it already makes. Clinics are locked in
/// id order, so two such changes queue rather than deadlock. Runs as the
/// owner role (it writes across clinics). Returns how many clinics.
pub async fn log_global_row(tx: &mut Tx, table: &str, id: Uuid, op: &str) -> anyhow::Result<usize> {
    let spec = tables::table(table).ok_or_else(|| anyhow::anyhow!("{table} is not synced"))?;
    let entry = Entry {
        table: spec.name.to_owned(),
        row_id: id,
        op: op.to_owned(),
        changes: Value::Object(current_fields(tx, spec, id).await?),
        hlc: tick().to_string(),
        // The platform, not a person of the clinic.
        user_id: Uuid::nil(),
        device_id: None,
        batch_seq: None,
    };
    let clinics: Vec<Uuid> = sqlx::query_scalar("SELECT tenant_id FROM tenant_sync_state ORDER BY tenant_id")
        .fetch_all(&mut **tx)
        .await?;
    for clinic in &clinics {
        crate::db::set_tenant(tx, domain::ids::TenantId::from_uuid(*clinic)).await?;
        let mut counter = changes::lock_counter(tx).await?;
        changes::append(tx, &mut counter, std::slice::from_ref(&entry)).await?;
    }
    Ok(clinics.len())
}
