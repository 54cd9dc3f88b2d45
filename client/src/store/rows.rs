//! Rows of the synced tables: local writes (each with its outbox entry, in
//! one transaction); reads are in `reads.rs` and applying the server's
//! changes in `remote.rs`. Table and column names in the SQL come from
//! `domain::sync::TABLES` only.

use domain::sync::{OpKind, Push, TableSpec, tables};
use rusqlite::types::Value as Sql;
use rusqlite::{OptionalExtension, Transaction, params_from_iter};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::values::to_sql;
use super::{Store, key, now_text, set_state};
use crate::error::StoreError;

pub(super) fn spec(table: &str) -> Result<&'static TableSpec, StoreError> {
    tables::table(table).ok_or_else(|| StoreError::Invalid(format!("'{table}' is not a synced table")))
}

fn writable(table: &str) -> Result<&'static TableSpec, StoreError> {
    let spec = spec(table)?;
    if spec.push == Push::PullOnly {
        return Err(StoreError::Invalid(format!("{table} are managed on the server")));
    }
    Ok(spec)
}

/// Whether a local row is deleted, and its per-field clocks.
pub(super) type LocalRow = (bool, Map<String, Value>);

/// The live state of a row.
pub(super) fn local_row(
    tx: &Transaction<'_>,
    spec: &TableSpec,
    id: &str,
) -> Result<Option<LocalRow>, StoreError> {
    let sql = format!(
        "SELECT deleted_at IS NOT NULL, field_hlc FROM {} WHERE id = ?1",
        spec.name
    );
    let row: Option<(bool, String)> = tx
        .prepare_cached(&sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(deleted, hlc)| {
        let clocks =
            serde_json::from_str(&hlc).map_err(|e| StoreError::Corrupt(format!("field clocks: {e}")))?;
        Ok((deleted, clocks))
    })
    .transpose()
}

/// The same checks the server makes, before anything is written locally.
fn check(spec: &TableSpec, fields: &Map<String, Value>) -> Result<(), StoreError> {
    spec.check_fields(fields).map_err(StoreError::Invalid)?;
    let today = chrono::Local::now().date_naive();
    domain::sync::validate::fields(spec.name, fields, today).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub(super) fn clocks_for(fields: &Map<String, Value>, hlc: &str) -> Value {
    Value::Object(
        fields
            .keys()
            .map(|k| (k.clone(), Value::String(hlc.to_owned())))
            .collect(),
    )
}

pub(super) fn insert_row(
    tx: &Transaction<'_>,
    spec: &TableSpec,
    id: &str,
    fields: &Map<String, Value>,
    clocks: &Value,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    let mut names = vec![
        "id",
        "field_hlc",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ];
    let now = now_text();
    let mut values = vec![
        Sql::Text(id.to_owned()),
        Sql::Text(clocks.to_string()),
        Sql::Text(now.clone()),
        actor.map_or(Sql::Null, |a| Sql::Text(a.to_owned())),
        Sql::Text(now),
        actor.map_or(Sql::Null, |a| Sql::Text(a.to_owned())),
    ];
    for (name, value) in fields {
        let column = spec
            .column(name)
            .ok_or_else(|| StoreError::Invalid(format!("unknown field {name}")))?;
        names.push(column.name);
        values.push(to_sql(column.kind, value)?);
    }
    // What the server fills in by default, this PC fills in too: an insert
    // that leaves a defaulted field out must not leave it NULL here.
    for column in spec.columns.iter().filter(|c| !fields.contains_key(c.name)) {
        if let Some(default) = column.default_value() {
            names.push(column.name);
            values.push(to_sql(column.kind, &default)?);
        }
    }
    let marks = vec!["?"; names.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        spec.name,
        names.join(", ")
    );
    tx.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    Ok(())
}

pub(super) fn update_row(
    tx: &Transaction<'_>,
    spec: &TableSpec,
    id: &str,
    fields: &Map<String, Value>,
    clocks: &Value,
    actor: Option<&str>,
) -> Result<(), StoreError> {
    let mut sets = Vec::with_capacity(fields.len() + 3);
    let mut values = Vec::with_capacity(fields.len() + 4);
    for (name, value) in fields {
        let column = spec
            .column(name)
            .ok_or_else(|| StoreError::Invalid(format!("unknown field {name}")))?;
        sets.push(format!("{} = ?", column.name));
        values.push(to_sql(column.kind, value)?);
    }
    sets.push("field_hlc = json_patch(field_hlc, ?)".into());
    values.push(Sql::Text(clocks.to_string()));
    sets.push("updated_at = ?".into());
    values.push(Sql::Text(now_text()));
    if let Some(actor) = actor {
        sets.push("updated_by = ?".into());
        values.push(Sql::Text(actor.to_owned()));
    }
    values.push(Sql::Text(id.to_owned()));
    let sql = format!("UPDATE {} SET {} WHERE id = ?", spec.name, sets.join(", "));
    tx.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    Ok(())
}

pub(super) fn tombstone_row(
    tx: &Transaction<'_>,
    spec: &TableSpec,
    id: &str,
    hlc: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE {} SET deleted_at = ?1, field_hlc = json_set(field_hlc, '$.deleted_at', ?2) WHERE id = ?3",
        spec.name
    );
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params![now_text(), hlc, id])?;
    Ok(())
}

fn enqueue(
    tx: &Transaction<'_>,
    table: &str,
    id: &str,
    kind: OpKind,
    fields: &Map<String, Value>,
    hlc: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO outbox (op_id, table_name, row_id, kind, fields, hlc, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        Uuid::now_v7().to_string(),
        table,
        id,
        kind.as_str(),
        Value::Object(fields.clone()).to_string(),
        hlc,
        now_text()
    ])?;
    Ok(())
}

/// Several local writes in one transaction: a prescription with its items
/// commits or vanishes as a whole. Each write goes into its table and the
/// outbox with a fresh clock; the clock is saved once, at commit.
#[derive(Debug)]
pub struct LocalWrites<'a> {
    tx: Transaction<'a>,
    clock: &'a mut domain::sync::HlcClock,
    actor: Option<String>,
    last_hlc: Option<String>,
}

impl LocalWrites<'_> {
    fn tick(&mut self) -> String {
        let hlc = self.clock.tick(crate::now_ms()).to_string();
        self.last_hlc = Some(hlc.clone());
        hlc
    }

    /// Reads inside the batch see its own writes.
    pub fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    /// Creates a row (id made here, UUIDv7) and queues it for the server.
    pub fn insert(&mut self, table: &str, fields: Map<String, Value>) -> Result<Uuid, StoreError> {
        let spec = writable(table)?;
        check(spec, &fields)?;
        let id = Uuid::now_v7();
        let hlc = self.tick();
        let row_id = id.to_string();
        insert_row(
            &self.tx,
            spec,
            &row_id,
            &fields,
            &clocks_for(&fields, &hlc),
            self.actor.as_deref(),
        )?;
        enqueue(&self.tx, spec.name, &row_id, OpKind::Insert, &fields, &hlc)?;
        Ok(id)
    }

    /// Changes the given fields of a live row and queues only those.
    pub fn update(&mut self, table: &str, id: Uuid, fields: Map<String, Value>) -> Result<(), StoreError> {
        let spec = writable(table)?;
        check(spec, &fields)?;
        if fields.is_empty() {
            return Ok(());
        }
        let row_id = id.to_string();
        live(&self.tx, spec, &row_id)?;
        let hlc = self.tick();
        update_row(
            &self.tx,
            spec,
            &row_id,
            &fields,
            &clocks_for(&fields, &hlc),
            self.actor.as_deref(),
        )?;
        enqueue(&self.tx, spec.name, &row_id, OpKind::Update, &fields, &hlc)?;
        Ok(())
    }

    /// Tombstones a row; deleting twice is harmless.
    pub fn delete(&mut self, table: &str, id: Uuid) -> Result<(), StoreError> {
        let spec = writable(table)?;
        let row_id = id.to_string();
        match live(&self.tx, spec, &row_id) {
            Err(StoreError::Deleted { .. }) => return Ok(()),
            other => other?,
        }
        let hlc = self.tick();
        tombstone_row(&self.tx, spec, &row_id, &hlc)?;
        enqueue(&self.tx, spec.name, &row_id, OpKind::Delete, &Map::new(), &hlc)?;
        Ok(())
    }

    pub fn commit(self) -> Result<(), StoreError> {
        if let Some(hlc) = &self.last_hlc {
            set_state(&self.tx, key::HLC, hlc)?;
        }
        self.tx.commit()?;
        Ok(())
    }
}

/// Errors unless the row exists and is not deleted.
fn live(tx: &Transaction<'_>, spec: &TableSpec, id: &str) -> Result<(), StoreError> {
    match local_row(tx, spec, id)? {
        None => Err(StoreError::NotFound {
            table: spec.name.into(),
            id: id.to_owned(),
        }),
        Some((true, _)) => Err(StoreError::Deleted {
            table: spec.name.into(),
        }),
        Some((false, _)) => Ok(()),
    }
}

impl Store {
    /// Starts a batch of local writes (see [`LocalWrites`]).
    pub fn writes(&mut self) -> Result<LocalWrites<'_>, StoreError> {
        super::standing::refuse_if_suspended(self.conn())?;
        let actor = self.actor.map(|a| a.to_string());
        let (conn, clock) = self.conn_and_clock();
        Ok(LocalWrites {
            tx: conn.transaction()?,
            clock,
            actor,
            last_hlc: None,
        })
    }

    /// Creates one row (see [`LocalWrites::insert`]).
    pub fn insert(&mut self, table: &str, fields: Map<String, Value>) -> Result<Uuid, StoreError> {
        let mut writes = self.writes()?;
        let id = writes.insert(table, fields)?;
        writes.commit()?;
        Ok(id)
    }

    /// Changes one row (see [`LocalWrites::update`]).
    pub fn update(&mut self, table: &str, id: Uuid, fields: Map<String, Value>) -> Result<(), StoreError> {
        let mut writes = self.writes()?;
        writes.update(table, id, fields)?;
        writes.commit()
    }

    /// Tombstones one row (see [`LocalWrites::delete`]).
    pub fn delete(&mut self, table: &str, id: Uuid) -> Result<(), StoreError> {
        let mut writes = self.writes()?;
        writes.delete(table, id)?;
        writes.commit()
    }

    /// Sends a refused write again with `corrected` fields (the user fixed
    /// what the server objected to): a new op of the same kind with the
    /// original fields overlaid by the corrections, and the local row
    /// updated to match. The refused record goes.
    pub fn resubmit_refused(&mut self, op_id: Uuid, corrected: Map<String, Value>) -> Result<(), StoreError> {
        let refused = self
            .refused()?
            .into_iter()
            .find(|r| r.op_id == op_id)
            .ok_or_else(|| StoreError::NotFound {
                table: "refused_ops".into(),
                id: op_id.to_string(),
            })?;
        super::standing::refuse_if_suspended(self.conn())?;
        let spec = writable(&refused.table)?;
        let kind = match OpKind::parse(&refused.kind) {
            Some(kind @ (OpKind::Insert | OpKind::Update)) => kind,
            _ => {
                return Err(StoreError::Invalid(
                    "a refused delete has nothing to correct; discard it".into(),
                ));
            }
        };
        let mut fields = refused.fields.clone();
        fields.extend(corrected.clone());
        check(spec, &fields)?;
        let hlc = self.tick().to_string();
        let actor = self.actor.map(|a| a.to_string());
        let id = refused.row_id.to_string();
        let tx = self.transaction()?;
        if local_row(&tx, spec, &id)?.is_some_and(|(deleted, _)| !deleted) && !corrected.is_empty() {
            update_row(
                &tx,
                spec,
                &id,
                &corrected,
                &clocks_for(&corrected, &hlc),
                actor.as_deref(),
            )?;
        }
        enqueue(&tx, spec.name, &id, kind, &fields, &hlc)?;
        tx.prepare_cached("DELETE FROM refused_ops WHERE op_id = ?1")?
            .execute([op_id.to_string()])?;
        set_state(&tx, key::HLC, &hlc)?;
        tx.commit()?;
        Ok(())
    }
}
