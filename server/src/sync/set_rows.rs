//! Row SQL for many rows at once: one statement per table, kind and set of
//! sent fields, the rows passed as parallel arrays through `unnest`. Like
//! `rows`, table and column names come only from `domain::sync::TABLES`.

use domain::sync::{Kind, TableSpec};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::rows::field_pairs;
use crate::db::Tx;

type JsonMap = sqlx::types::Json<Map<String, Value>>;

/// One row's write: its id, the fields to write, the clock of the op
/// (stamped on every field it writes), the log sequence number the row
/// records as its last change, and where an existing row's current version
/// is stored, when known (its `ctid`, as the batch's lock or last write of
/// it returned).
#[derive(Debug)]
pub struct RowWrite<'a> {
    pub id: Uuid,
    pub fields: &'a Map<String, Value>,
    pub hlc: &'a str,
    pub seq: i64,
    pub at: Option<&'a str>,
}

/// A row as written: its id, where its new version is stored, and for an
/// insert its data fields as stored (defaults included).
#[derive(Debug)]
pub struct Written {
    pub id: Uuid,
    pub at: String,
    pub stored: Option<Map<String, Value>>,
}

type JsonRef<'a> = sqlx::types::Json<&'a Map<String, Value>>;

/// The arrays `unnest` reads: ids, clocks, sequence numbers, fields. A
/// clock travels as text and each field's stamp is built in SQL: parsing a
/// JSON object of clocks per row was a third of the statement's bind.
struct Arrays<'a> {
    ids: Vec<Uuid>,
    clocks: Vec<&'a str>,
    seqs: Vec<i64>,
    fields: Vec<JsonRef<'a>>,
}

fn arrays<'a>(rows: &'a [RowWrite<'a>]) -> Arrays<'a> {
    Arrays {
        ids: rows.iter().map(|r| r.id).collect(),
        clocks: rows.iter().map(|r| r.hlc).collect(),
        seqs: rows.iter().map(|r| r.seq).collect(),
        fields: rows.iter().map(|r| sqlx::types::Json(r.fields)).collect(),
    }
}

/// `jsonb_build_object('a', x.hlc, 'b', x.hlc, ...)`: the op's clock on
/// each of `names` (column names from the table's description only).
fn stamps<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let pairs: Vec<String> = names.map(|n| format!("'{n}', x.hlc")).collect();
    format!("jsonb_build_object({})", pairs.join(", "))
}

const SOURCE: &str = "unnest($2::uuid[], $3::text[], $4::bigint[], $5::jsonb[]) AS x(id, hlc, seq, fields)";

/// The rows to change, each with where it is stored (`row_ctid`). A row
/// whose place is known is fetched there (and must still carry its id);
/// otherwise it is found by its key. Either way one by one: joined on the
/// id instead, the planner hashes the clinic's whole table for a few
/// hundred rows (measured: 15 ms against 7 for 500 of 25,000 patients),
/// and `OFFSET 0` keeps the per-row fetch from being flattened into such a
/// join. The batch holds the clinic's log lock, which every other writer
/// of these rows waits for (or their row lock, see `rows::LOCKED_READS`),
/// so where each is stored moves only with the batch's own writes, which
/// return the new place. Fetching by place skips a second index descent
/// per row.
fn found_rows(table: &TableSpec, located: bool) -> String {
    let (source, fetch) = if located {
        (
            "unnest($2::uuid[], $3::text[], $4::bigint[], $5::jsonb[], $6::tid[]) AS x(id, hlc, seq, fields, at)",
            "f.ctid = x.at AND f.id = x.id",
        )
    } else {
        (SOURCE, "f.id = x.id")
    };
    format!(
        "(SELECT x.*, f.ctid AS row_ctid FROM {source} \
           CROSS JOIN LATERAL (SELECT ctid FROM {} f WHERE {fetch} OFFSET 0) f) x",
        table.name
    )
}

/// Whether every row's place is known.
fn located(rows: &[RowWrite<'_>]) -> bool {
    rows.iter().all(|r| r.at.is_some())
}

/// Inserts `rows`, which all send the fields `columns`. Values reach their
/// columns through `jsonb_populate_record`, so Postgres converts and checks
/// types. Returns each row with its data fields as stored.
pub async fn insert(
    tx: &mut Tx,
    table: &TableSpec,
    columns: &[String],
    rows: &[RowWrite<'_>],
    user: Uuid,
) -> sqlx::Result<Vec<Written>> {
    let targets: String = columns.iter().map(|c| format!(", {c}")).collect();
    let sources: String = columns.iter().map(|c| format!(", r.{c}")).collect();
    let sql = format!(
        "INSERT INTO {t} AS t (tenant_id, id, created_by, updated_by, field_hlc, sync_seq{targets}) \
         SELECT (SELECT app_tenant()), x.id, $1, $1, {clocks}, x.seq{sources} \
           FROM {SOURCE} CROSS JOIN LATERAL jsonb_populate_record(NULL::{t}, x.fields) r \
         RETURNING t.id, t.ctid::text, jsonb_build_object({pairs})",
        t = table.name,
        // An insert stamps every field of the new row, defaults included,
        // as PCs stamp the logged row.
        clocks = stamps(table.columns.iter().map(|c| c.name)),
        pairs = field_pairs(table)
    );
    let a = arrays(rows);
    let stored: Vec<(Uuid, String, JsonMap)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user)
        .bind(a.ids)
        .bind(a.clocks)
        .bind(a.seqs)
        .bind(a.fields)
        .fetch_all(&mut **tx)
        .await?;
    Ok(stored
        .into_iter()
        .map(|(id, at, row)| Written {
            id,
            at,
            stored: Some(row.0),
        })
        .collect())
}

/// Updates `rows`, which all change the fields `columns` (never empty).
pub async fn update(
    tx: &mut Tx,
    table: &TableSpec,
    columns: &[String],
    rows: &[RowWrite<'_>],
    user: Uuid,
) -> sqlx::Result<Vec<Written>> {
    let sets: String = columns
        .iter()
        .map(|c| format!("{c} = {}, ", new_value(table, c)))
        .collect();
    // The record is built only when a field needs it: it looks up every
    // column of the table in each row's fields (7 of the 32 ms of a
    // 2,000-row edit of notes, measured with EXPLAIN ANALYZE).
    let record = if columns.iter().all(|c| is_text(table, c)) {
        String::new()
    } else {
        format!(
            " CROSS JOIN LATERAL jsonb_populate_record(NULL::{}, x.fields) r",
            table.name
        )
    };
    let sql = format!(
        "UPDATE {t} AS t SET {sets}field_hlc = t.field_hlc || {clocks}, updated_at = now(), updated_by = $1, \
             sync_seq = x.seq \
           FROM {found}{record} \
          WHERE t.ctid = x.row_ctid",
        t = table.name,
        clocks = stamps(columns.iter().map(String::as_str)),
        found = found_rows(table, located(rows))
    );
    execute(tx, sql, rows, user).await
}

/// The SQL of `column`'s new value. A text column reads its field as text
/// (`->>`), which is what `jsonb_populate_record` makes of any JSON value
/// for a text column (a string's content, other values' JSON text, SQL
/// NULL for null); other types go through the record, which converts them.
fn new_value(table: &TableSpec, column: &str) -> String {
    if is_text(table, column) {
        format!("x.fields ->> '{column}'")
    } else {
        format!("r.{column}")
    }
}

fn is_text(table: &TableSpec, column: &str) -> bool {
    table.column(column).is_some_and(|c| c.kind == Kind::Text)
}

/// Marks `rows` deleted, stamping `deleted_at` with each row's clock.
pub async fn tombstone(
    tx: &mut Tx,
    table: &TableSpec,
    rows: &[RowWrite<'_>],
    user: Uuid,
) -> sqlx::Result<Vec<Written>> {
    let sql = format!(
        "UPDATE {t} AS t SET deleted_at = now(), \
             field_hlc = t.field_hlc || {clocks}, updated_at = now(), \
             updated_by = $1, sync_seq = x.seq \
           FROM {found} WHERE t.ctid = x.row_ctid",
        t = table.name,
        clocks = stamps(std::iter::once("deleted_at")),
        found = found_rows(table, located(rows))
    );
    execute(tx, sql, rows, user).await
}

/// Runs an update of `rows`, returning where each row's new version is.
async fn execute(tx: &mut Tx, sql: String, rows: &[RowWrite<'_>], user: Uuid) -> sqlx::Result<Vec<Written>> {
    let a = arrays(rows);
    let sql = format!("{sql} RETURNING t.id, t.ctid::text");
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user)
        .bind(a.ids)
        .bind(a.clocks)
        .bind(a.seqs)
        .bind(a.fields);
    if located(rows) {
        let places: Vec<&str> = rows.iter().filter_map(|r| r.at).collect();
        query = query.bind(places);
    }
    let written: Vec<(Uuid, String)> = query.fetch_all(&mut **tx).await?;
    // Every row was found by the batch's prefetch under the log lock: one
    // missing means the statement and the plan disagree (or a place was
    // stale), which must not pass silently.
    if written.len() != rows.len() {
        return Err(sqlx::Error::Protocol(format!(
            "{} rows changed of {} planned",
            written.len(),
            rows.len()
        )));
    }
    Ok(written
        .into_iter()
        .map(|(id, at)| Written { id, at, stored: None })
        .collect())
}
