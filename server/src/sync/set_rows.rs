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
/// it returned), and which version of the row the write was planned
/// against, when planned before the log lock (see `early`).
#[derive(Debug)]
pub struct RowWrite<'a> {
    pub id: Uuid,
    pub fields: &'a Map<String, Value>,
    pub hlc: &'a str,
    pub seq: i64,
    pub at: Option<&'a str>,
    pub version: Option<&'a str>,
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

/// The arrays `unnest` reads: ids, clocks, sequence numbers, values. A
/// clock travels as text and each field's stamp is built in SQL: parsing a
/// JSON object of clocks per row was a third of the statement's bind.
struct Arrays<'a> {
    ids: Vec<Uuid>,
    clocks: Vec<&'a str>,
    seqs: Vec<i64>,
    values: Values<'a>,
}

/// How the sent values travel.
enum Values<'a> {
    /// One JSON object per row (`x.fields`), which `jsonb_populate_record`
    /// or `->>` reads.
    Json(Vec<JsonRef<'a>>),
    /// One text array per field (`x.v0`, `x.v1`, … in the statement's
    /// field order), when every field is a text column and every value a
    /// string or null: what `->>` would make of them, without PostgreSQL
    /// parsing a JSON object per row first (for 2,000 notes, the jsonb
    /// array was most of the statement's bind).
    Text(Vec<Vec<Option<&'a str>>>),
}

fn arrays<'a>(rows: &'a [RowWrite<'a>], text: Option<&[String]>) -> Arrays<'a> {
    let values = text.and_then(|columns| text_values(columns, rows)).map_or_else(
        || Values::Json(rows.iter().map(|r| sqlx::types::Json(r.fields)).collect()),
        Values::Text,
    );
    Arrays {
        ids: rows.iter().map(|r| r.id).collect(),
        clocks: rows.iter().map(|r| r.hlc).collect(),
        seqs: rows.iter().map(|r| r.seq).collect(),
        values,
    }
}

/// Each of `columns` as a text array over `rows`; `None` when a value is
/// neither a string nor null (the JSON form then carries it).
fn text_values<'a>(columns: &[String], rows: &'a [RowWrite<'a>]) -> Option<Vec<Vec<Option<&'a str>>>> {
    columns
        .iter()
        .map(|column| {
            rows.iter()
                .map(|row| match row.fields.get(column) {
                    Some(Value::String(text)) => Some(Some(text.as_str())),
                    Some(Value::Null) | None => Some(None),
                    Some(_) => None,
                })
                .collect()
        })
        .collect()
}

impl Values<'_> {
    /// The `unnest` arguments from `$5` on and their names, and the next
    /// free parameter number.
    fn unnest_parts(&self) -> (String, String, usize) {
        match self {
            Values::Json(_) => ("$5::jsonb[]".into(), "fields".into(), 6),
            Values::Text(columns) => {
                let args: Vec<String> = (0..columns.len())
                    .map(|i| format!("${}::text[]", i + 5))
                    .collect();
                let names: Vec<String> = (0..columns.len()).map(|i| format!("v{i}")).collect();
                (args.join(", "), names.join(", "), columns.len() + 5)
            }
        }
    }
}

type RowsQuery<'q, O> = sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>;

/// Binds `a` as `$2` and on, in the order `unnest` reads them.
fn bind_arrays<'q, O>(query: RowsQuery<'q, O>, a: Arrays<'q>) -> RowsQuery<'q, O> {
    let query = query.bind(a.ids).bind(a.clocks).bind(a.seqs);
    match a.values {
        Values::Json(fields) => query.bind(fields),
        Values::Text(columns) => columns
            .into_iter()
            .fold(query, |query, column| query.bind(column)),
    }
}

/// `jsonb_build_object('a', x.hlc, 'b', x.hlc, ...)`: the op's clock on
/// each of `names` (column names from the table's description only).
fn stamps<'n>(names: impl Iterator<Item = &'n str>) -> String {
    let pairs: Vec<String> = names.map(|n| format!("'{n}', x.hlc")).collect();
    format!("jsonb_build_object({})", pairs.join(", "))
}

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
fn found_rows(table: &TableSpec, values: &Values<'_>, form: Form) -> String {
    let fetch = match form {
        Form::ByKey => "f.id = x.id",
        Form::ByPlace => "f.ctid = x.at AND f.id = x.id",
        // The version is the row's `xmin`: the transaction that wrote what
        // the plan read. Any later write of the row gives it another.
        Form::Unchanged => "f.ctid = x.at AND f.id = x.id AND f.xmin::text = x.version",
    };
    format!(
        "(SELECT x.*, f.ctid AS row_ctid FROM {} \
           CROSS JOIN LATERAL (SELECT ctid FROM {} f WHERE {fetch} OFFSET 0) f) x",
        source(values, form),
        table.name
    )
}

/// The rows a statement reads, as `x`: `unnest` of the arrays from `$2` on
/// (ids, clocks, sequence numbers, values), and the rows' places and
/// versions where `form` reads them.
fn source(values: &Values<'_>, form: Form) -> String {
    let (args, names, next) = values.unnest_parts();
    let (more_args, more_names) = match form {
        Form::ByKey => (String::new(), String::new()),
        Form::ByPlace => (format!(", ${next}::tid[]"), ", at".to_owned()),
        Form::Unchanged => (
            format!(", ${next}::tid[], ${}::text[]", next + 1),
            ", at, version".to_owned(),
        ),
    };
    format!(
        "unnest($2::uuid[], $3::text[], $4::bigint[], {args}{more_args}) AS x(id, hlc, seq, {names}{more_names})"
    )
}

/// How a statement finds its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// By key (some row's place is not known).
    ByKey,
    /// Where each is stored.
    ByPlace,
    /// Where each is stored, and only if still the version the write was
    /// planned against.
    Unchanged,
}

fn form(rows: &[RowWrite<'_>]) -> Form {
    if !rows.iter().all(|r| r.at.is_some()) {
        Form::ByKey
    } else if rows.iter().all(|r| r.version.is_some()) {
        Form::Unchanged
    } else {
        Form::ByPlace
    }
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
    let a = arrays(rows, None);
    let sql = format!(
        "INSERT INTO {t} AS t (tenant_id, id, created_by, updated_by, field_hlc, sync_seq{targets}) \
         SELECT (SELECT app_tenant()), x.id, $1, $1, {clocks}, x.seq{sources} \
           FROM {source} CROSS JOIN LATERAL jsonb_populate_record(NULL::{t}, x.fields) r \
         RETURNING t.id, t.ctid::text, jsonb_build_object({pairs})",
        t = table.name,
        // An insert stamps every field of the new row, defaults included,
        // as PCs stamp the logged row.
        clocks = stamps(table.columns.iter().map(|c| c.name)),
        pairs = field_pairs(table),
        source = source(&a.values, Form::ByKey)
    );
    let query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user);
    let stored: Vec<(Uuid, String, JsonMap)> = bind_arrays(query, a).fetch_all(&mut **tx).await?;
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
    let (sql, a) = update_statement(table, columns, rows);
    every_row(rows, execute(tx, sql, rows, a, user).await?)
}

/// `update` for writes that each carry the version of the row they were
/// planned against: false when a row is no longer that version (the
/// statement has then written the others, which the caller rolls back).
/// Answers only how many rows it wrote: nothing of a row is needed after.
pub async fn update_unchanged(
    tx: &mut Tx,
    table: &TableSpec,
    columns: &[String],
    rows: &[RowWrite<'_>],
    user: Uuid,
) -> sqlx::Result<bool> {
    debug_assert_eq!(
        form(rows),
        Form::Unchanged,
        "every write carries its row's version"
    );
    let (sql, a) = update_statement(table, columns, rows);
    let sql = format!("WITH written AS ({sql} RETURNING 1) SELECT count(*) FROM written");
    let (written,): (i64,) = bound(sql, rows, a, user).fetch_one(&mut **tx).await?;
    Ok(usize::try_from(written).is_ok_and(|n| n == rows.len()))
}

fn update_statement<'a>(
    table: &TableSpec,
    columns: &[String],
    rows: &'a [RowWrite<'a>],
) -> (String, Arrays<'a>) {
    let all_text = columns.iter().all(|c| is_text(table, c));
    let a = arrays(rows, all_text.then_some(columns));
    let sets: String = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {}, ", new_value(table, c, i, &a.values)))
        .collect();
    // The record is built only when a field needs it: it looks up every
    // column of the table in each row's fields (7 of the 32 ms of a
    // 2,000-row edit of notes, measured with EXPLAIN ANALYZE).
    let record = if all_text {
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
        found = found_rows(table, &a.values, form(rows))
    );
    (sql, a)
}

/// The SQL of the new value of `column`, the `index`th field sent. A text
/// column reads its own text array, or its field as text (`->>`), which is
/// what `jsonb_populate_record` makes of any JSON value for a text column
/// (a string's content, other values' JSON text, SQL NULL for null); other
/// types go through the record, which converts them.
fn new_value(table: &TableSpec, column: &str, index: usize, values: &Values<'_>) -> String {
    match values {
        Values::Text(_) => format!("x.v{index}"),
        Values::Json(_) if is_text(table, column) => format!("x.fields ->> '{column}'"),
        Values::Json(_) => format!("r.{column}"),
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
    let a = arrays(rows, None);
    let sql = format!(
        "UPDATE {t} AS t SET deleted_at = now(), \
             field_hlc = t.field_hlc || {clocks}, updated_at = now(), \
             updated_by = $1, sync_seq = x.seq \
           FROM {found} WHERE t.ctid = x.row_ctid",
        t = table.name,
        clocks = stamps(std::iter::once("deleted_at")),
        found = found_rows(table, &a.values, form(rows))
    );
    every_row(rows, execute(tx, sql, rows, a, user).await?)
}

/// Runs an update of `rows`, returning where each row's new version is.
async fn execute(
    tx: &mut Tx,
    sql: String,
    rows: &[RowWrite<'_>],
    a: Arrays<'_>,
    user: Uuid,
) -> sqlx::Result<Vec<Written>> {
    let sql = format!("{sql} RETURNING t.id, t.ctid::text");
    let written: Vec<(Uuid, String)> = bound(sql, rows, a, user).fetch_all(&mut **tx).await?;
    Ok(written
        .into_iter()
        .map(|(id, at)| Written { id, at, stored: None })
        .collect())
}

/// `sql` with its parameters: the user, the arrays, and the rows' places
/// and versions where its form reads them.
fn bound<'q, O>(sql: String, rows: &'q [RowWrite<'q>], a: Arrays<'q>, user: Uuid) -> RowsQuery<'q, O>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let mut query = bind_arrays(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user), a);
    let form = form(rows);
    if form != Form::ByKey {
        let places: Vec<&str> = rows.iter().filter_map(|r| r.at).collect();
        query = query.bind(places);
    }
    if form == Form::Unchanged {
        let versions: Vec<&str> = rows.iter().filter_map(|r| r.version).collect();
        query = query.bind(versions);
    }
    query
}

/// `written`, when it holds every row of `rows`. Every row was found by
/// the batch's prefetch under the log lock: one missing means the
/// statement and the plan disagree (or a place was stale), which must not
/// pass silently.
fn every_row(rows: &[RowWrite<'_>], written: Vec<Written>) -> sqlx::Result<Vec<Written>> {
    if written.len() != rows.len() {
        return Err(sqlx::Error::Protocol(format!(
            "{} rows changed of {} planned",
            written.len(),
            rows.len()
        )));
    }
    Ok(written)
}
