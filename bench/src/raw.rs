//! The raw limit: the same rows read out of PostgreSQL with COPY and
//! written into an empty SQLite store in one transaction, with none of the
//! protocol in between. First sync is judged against this.

use std::time::Instant;

use client::Store;
use domain::ids::TenantId;
use domain::sync::{Kind, TABLES, TableSpec};
use futures_util::StreamExt;
use rusqlite::types::Value as Sql;
use uuid::Uuid;

pub async fn copy_into_sqlite(
    owner: &sqlx::PgPool,
    tenant: Uuid,
    dir: &std::path::Path,
) -> anyhow::Result<(u64, f64)> {
    let mut store = Store::open_plain(dir, TenantId::from_uuid(tenant))?;
    let mut sqlite = rusqlite::Connection::open(store.path())?;
    sqlite.pragma_update(None, "journal_mode", "WAL")?;
    sqlite.pragma_update(None, "synchronous", "NORMAL")?;
    let mut pg = owner.acquire().await?;
    let started = Instant::now();
    // The limit loads as a fresh PC does: secondary indexes built once at
    // the end, so the ratio measures the protocol and encryption only.
    store.defer_indexes()?;
    let tx = sqlite.transaction()?;
    let mut rows = 0u64;
    for table in TABLES {
        let select: Vec<String> = table
            .columns
            .iter()
            .map(|c| {
                if c.kind == Kind::Json {
                    format!("to_jsonb({0}) AS {0}", c.name)
                } else {
                    c.name.to_owned()
                }
            })
            .collect();
        // The tenant is a Uuid we made; table and columns are constants.
        let copy = format!(
            "COPY (SELECT id, field_hlc, {} FROM {} WHERE tenant_id = '{tenant}' AND deleted_at IS NULL) TO STDOUT",
            select.join(", "),
            table.name
        );
        let marks = vec!["?"; table.columns.len() + 2].join(", ");
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let insert = format!(
            "INSERT INTO {} (id, field_hlc, {}) VALUES ({marks})",
            table.name,
            names.join(", ")
        );
        let mut stmt = tx.prepare(&insert)?;
        let mut stream = pg.copy_out_raw(&copy).await?;
        let mut pending: Vec<u8> = Vec::new();
        while let Some(chunk) = stream.next().await {
            pending.extend_from_slice(&chunk?);
            while let Some(pos) = pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = pending.drain(..=pos).collect();
                stmt.execute(rusqlite::params_from_iter(parse_line(
                    table,
                    &line[..line.len() - 1],
                )))?;
                rows += 1;
            }
        }
    }
    tx.commit()?;
    store.restore_indexes()?;
    Ok((rows, started.elapsed().as_secs_f64()))
}

/// One line of COPY's text format, converted like the PC stores values.
fn parse_line(table: &TableSpec, line: &[u8]) -> Vec<Sql> {
    let kinds = [Kind::Uuid, Kind::Json]
        .into_iter()
        .chain(table.columns.iter().map(|c| c.kind));
    line.split(|b| *b == b'\t')
        .zip(kinds)
        .map(|(raw, kind)| {
            if raw == b"\\N" {
                return Sql::Null;
            }
            let text = unescape(raw);
            match kind {
                Kind::Int => text.parse().map(Sql::Integer).unwrap_or(Sql::Text(text)),
                Kind::Bool => Sql::Integer(i64::from(text == "t")),
                _ => Sql::Text(text),
            }
        })
        .collect()
}

fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b't') => out.push(b'\t'),
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(&other) => out.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
