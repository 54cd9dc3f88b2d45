//! The server's data arriving on the PC: pulled changes (field-level
//! last-writer-wins through `domain::sync::merge`), snapshot rows, and the
//! server's values put back when a refused change is discarded. Table and
//! column names in the SQL come from `domain::sync::TABLES` only.

use domain::sync::{Change, OpKind, SnapshotRow, TableSpec, tables};
use rusqlite::types::Value as Sql;
use rusqlite::{Transaction, params_from_iter};
use serde_json::{Map, Value};

use super::rows::{clocks_for, insert_row, local_row, tombstone_row, update_row};
use super::values::to_sql;
use crate::error::StoreError;

/// Puts the server's values back into fields whose local value is still
/// the one written at `refused_hlc` (a refused change the user discards),
/// with the server's clocks. Writes no outbox entry.
pub(crate) fn restore_fields(
    tx: &Transaction<'_>,
    spec: &TableSpec,
    id: &str,
    current: &domain::sync::CurrentFields,
    refused_hlc: &str,
) -> Result<(), StoreError> {
    let Some((false, clocks)) = local_row(tx, spec, id)? else {
        return Ok(());
    };
    let still_refused: Map<String, Value> = current
        .values
        .iter()
        .filter(|(name, _)| clocks.get(*name).and_then(Value::as_str) == Some(refused_hlc))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    if still_refused.is_empty() {
        return Ok(());
    }
    let server_clocks: Map<String, Value> = still_refused
        .keys()
        .map(|name| {
            (
                name.clone(),
                current
                    .hlc
                    .get(name)
                    .cloned()
                    .unwrap_or(Value::String(String::new())),
            )
        })
        .collect();
    update_row(tx, spec, id, &still_refused, &Value::Object(server_clocks), None)
}

/// Applies one change from the server inside the caller's transaction.
/// Per field, the newer clock wins; a tombstone always wins. Local writes
/// still in the outbox carry newer clocks than what they replaced, so they
/// stay on top of pulled state.
pub(crate) fn apply_change(tx: &Transaction<'_>, change: &Change) -> Result<(), StoreError> {
    let Some(spec) = tables::table(&change.table) else {
        // A table this app version does not know yet: skip, do not stop.
        return Ok(());
    };
    let id = change.row_id.to_string();
    if change.global {
        return apply_global(tx, spec, &id, change);
    }
    let hlc = change.hlc.to_string();
    match (change.kind, local_row(tx, spec, &id)?) {
        (_, Some((true, _))) => Ok(()),
        (OpKind::Delete, None) => Ok(()),
        (OpKind::Delete, Some(_)) => tombstone_row(tx, spec, &id, &hlc),
        (_, None) => insert_row(
            tx,
            spec,
            &id,
            &change.fields,
            &clocks_for(&change.fields, &hlc),
            None,
        ),
        (_, Some((false, clocks))) => {
            // Local values only matter for conflicts, which the server keeps.
            let winners = domain::sync::merge::merge(&clocks, &Map::new(), &change.fields, &hlc).winners;
            if winners.is_empty() {
                return Ok(());
            }
            update_row(tx, spec, &id, &winners, &clocks_for(&winners, &hlc), None)
        }
    }
}

/// The platform operator's change to a global catalog row: its only
/// writer, so it is taken whole. The row keeps no clocks ('{}'), which is
/// how the catalog tells it from the clinic's own medicines; the operator
/// retires a medicine (inactive) rather than deleting it, since old
/// prescriptions still name it.
fn apply_global(tx: &Transaction<'_>, spec: &TableSpec, id: &str, change: &Change) -> Result<(), StoreError> {
    let no_clocks = Value::Object(Map::new());
    match (change.kind, local_row(tx, spec, id)?) {
        (OpKind::Delete, None) => Ok(()),
        (OpKind::Delete, Some(_)) => tombstone_row(tx, spec, id, &change.hlc.to_string()),
        (_, None) => insert_row(tx, spec, id, &change.fields, &no_clocks, None),
        (_, Some(_)) => update_row(tx, spec, id, &change.fields, &no_clocks, None),
    }
}

/// The upsert of one snapshot row of `spec`, built once per table.
fn snapshot_sql(spec: &'static TableSpec) -> &'static str {
    static CACHE: std::sync::OnceLock<std::collections::HashMap<&'static str, String>> =
        std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        tables::TABLES
            .iter()
            .map(|t| {
                let mut names = vec!["id", "field_hlc"];
                names.extend(t.columns.iter().map(|c| c.name));
                let marks = vec!["?"; names.len()].join(", ");
                let updates: Vec<String> = names[1..].iter().map(|n| format!("{n} = excluded.{n}")).collect();
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {}",
                    t.name,
                    names.join(", "),
                    updates.join(", ")
                );
                (t.name, sql)
            })
            .collect()
    });
    cache.get(spec.name).map_or("", String::as_str)
}

/// Writes one snapshot row (first sync) inside the caller's transaction.
pub(crate) fn apply_snapshot_row(tx: &Transaction<'_>, row: &SnapshotRow) -> Result<(), StoreError> {
    let Some(spec) = tables::table(&row.table) else {
        return Ok(());
    };
    let id = row
        .row
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| StoreError::Invalid("snapshot row without id".into()))?;
    let clocks = row
        .row
        .get("field_hlc")
        .map_or_else(|| "{}".to_owned(), Value::to_string);
    let mut values = Vec::with_capacity(spec.columns.len() + 2);
    values.push(Sql::Text(id.to_owned()));
    values.push(Sql::Text(clocks));
    for column in spec.columns {
        values.push(to_sql(
            column.kind,
            row.row.get(column.name).unwrap_or(&Value::Null),
        )?);
    }
    tx.prepare_cached(snapshot_sql(spec))?
        .execute(params_from_iter(values))?;
    Ok(())
}
