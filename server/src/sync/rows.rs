//! Generic row SQL built from the table descriptions. Table and column
//! names only ever come from `domain::sync::TABLES` (checked before use),
//! never from a request, which is what makes the formatted SQL safe.

use std::collections::HashMap;

use domain::sync::TableSpec;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db::Tx;

/// What the apply step knows about a row it is about to change.
#[derive(Debug, Clone, Default)]
pub struct RowState {
    pub deleted: bool,
    /// Per-field HLC strings of the last accepted writes.
    pub field_hlc: Map<String, Value>,
    /// Current values as JSON, for conflict records.
    pub values: Map<String, Value>,
    /// Where the row's current version is stored (its `ctid`), valid in
    /// this transaction: every other writer of the row waits for the
    /// clinic's log lock (or the row's lock, see `LOCKED_READS`), so only
    /// the batch's own writes move it, and each returns the new place.
    pub location: Option<String>,
    /// Which version of the row was read (its `xmin`, as text): a batch
    /// planned before the log lock writes a row only if it is still this
    /// version (see `early`).
    pub version: Option<String>,
}

type JsonMap = sqlx::types::Json<Map<String, Value>>;

/// Tables whose rows a push must lock itself. Every other writer of a
/// synced row holds the clinic's log lock, which the push holds too, so
/// the push's reads are as current as its writes without row locks (each
/// cost a tuple write and a WAL record, 2,000 per batch). The exceptions:
/// sign-in changes `users` rows without the log lock, and a row of the
/// global catalog must stay out of a clinic's reach as the update policy
/// decides it, which only a locking read applies.
const LOCKED_READS: &[&str] = &["users", "medicines"];

/// Whether a push reads `table`'s rows with their locks (`LOCKED_READS`).
pub fn locks_reads(table: &TableSpec) -> bool {
    LOCKED_READS.contains(&table.name)
}

/// Loads the rows `ids` of `table` in one round trip (locking them where
/// `LOCKED_READS` says), with the values and the clocks of `columns`
/// (names from the table's description only). Only those clocks: a row's
/// clocks name every field (about 1.5 kB for a patient), and sending and
/// parsing them all cost more than the lookup. Call with the clinic's log
/// lock held.
pub async fn load_rows(
    tx: &mut Tx,
    table: &TableSpec,
    ids: &[Uuid],
    columns: &[&str],
) -> sqlx::Result<HashMap<Uuid, RowState>> {
    let rows: Vec<(Uuid, bool, JsonMap, JsonMap, String, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(load_sql(table, columns)))
            .bind(ids)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, deleted, hlc, values, at, version)| {
            (
                id,
                RowState {
                    deleted,
                    field_hlc: hlc.0,
                    values: values.0,
                    location: Some(at),
                    version: Some(version),
                },
            )
        })
        .collect())
}

/// Batches smaller than this are not warmed: a PC's interactive edits come
/// one or a few at a time, and an extra round trip would only add to them.
pub const WARM_FROM_OPS: usize = 64;

/// Reads the existing rows `ops` change, and drops what it read: run
/// before the clinic's log lock, it brings their pages into PostgreSQL's
/// buffers while the batch ahead holds the lock, so the locked reads and
/// writes find them there instead of waiting on reads of a large clinic's
/// table (measured at 1,000,000 rows: 1,550-1,850 of a 2,000-op batch's
/// 8,000 page reads missed the buffers). It decides nothing: what the batch
/// applies is read again under the lock.
pub async fn warm(tx: &mut Tx, ops: &[domain::sync::Op]) -> sqlx::Result<()> {
    if ops.len() < WARM_FROM_OPS {
        return Ok(());
    }
    let changed = ops.iter().filter(|op| op.kind != domain::sync::OpKind::Insert);
    for (table, (_, ids)) in by_table(changed, |ids: &mut Vec<Uuid>, op| ids.push(op.row_id)) {
        // Each looked up by key, as `load_sql` does; the row's place makes
        // the look-up visit the table, not only its index.
        let sql = format!(
            "SELECT count(*) FROM unnest($1::uuid[]) AS k(id) CROSS JOIN LATERAL \
               (SELECT t.ctid FROM {table} t WHERE t.id = k.id OFFSET 0) r"
        );
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .bind(&ids)
            .fetch_one(&mut **tx)
            .await?;
    }
    Ok(())
}

/// `ops` on synced tables, folded per table by `add`, each with its
/// table's description (unknown tables are left out: they are refused
/// elsewhere).
pub fn by_table<'o, V: Default>(
    ops: impl Iterator<Item = &'o domain::sync::Op>,
    mut add: impl FnMut(&mut V, &'o domain::sync::Op),
) -> HashMap<&'static str, (&'static TableSpec, V)> {
    let mut grouped: HashMap<&'static str, (&'static TableSpec, V)> = HashMap::new();
    for op in ops {
        if let Some(spec) = domain::sync::tables::table(&op.table) {
            let (_, folded) = grouped.entry(spec.name).or_insert_with(|| (spec, V::default()));
            add(folded, op);
        }
    }
    grouped
}

/// The SQL of `load_rows` (ids in `$1`). Each row is looked up by its key,
/// one by one, so a batch's cost follows the batch, not the clinic's
/// table: `WHERE id = ANY($1)`, or this join without `OFFSET 0`, lets the
/// planner hash the clinic's whole table once a batch holds more than
/// about one row in seventy of it, computing the clocks and values of
/// every row on the way (measured: 30-44 ms instead of a few for 2,000 of
/// 25,000 patients).
pub fn load_sql(table: &TableSpec, columns: &[&str]) -> String {
    let values: Vec<String> = columns.iter().map(|c| format!("'{c}', t.{c}")).collect();
    // A field never written has no clock: strip the nulls, so it is
    // missing here as it is in the row.
    let clocks: Vec<String> = columns
        .iter()
        .map(|c| format!("'{c}', t.field_hlc -> '{c}'"))
        .collect();
    format!(
        "SELECT r.* FROM unnest($1::uuid[]) AS k(id) CROSS JOIN LATERAL \
           (SELECT t.id, t.deleted_at IS NOT NULL, jsonb_strip_nulls(jsonb_build_object({})), \
                   jsonb_build_object({}), t.ctid::text, t.xmin::text FROM {} t \
             WHERE t.id = k.id OFFSET 0{}) r",
        clocks.join(", "),
        values.join(", "),
        table.name,
        if locks_reads(table) { " FOR UPDATE" } else { "" }
    )
}

fn column_lists(fields: &Map<String, Value>) -> (String, String) {
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    let targets = names.join(", ");
    let sources = names
        .iter()
        .map(|n| format!("r.{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    (targets, sources)
}

/// Values reach their columns through `jsonb_populate_record`, so Postgres
/// converts and checks types (a bad date is a typed refusal, not a crash).
/// Returns the row's data fields as stored: the sent values as Postgres
/// converted them, and the defaults of the fields not sent.
pub async fn insert(
    tx: &mut Tx,
    table: &TableSpec,
    id: Uuid,
    fields: &Map<String, Value>,
    field_hlc: &Map<String, Value>,
    user: Uuid,
    seq: i64,
) -> sqlx::Result<Map<String, Value>> {
    let (targets, sources) = column_lists(fields);
    let (targets, sources) = if fields.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(", {targets}"), format!(", {sources}"))
    };
    let sql = format!(
        "INSERT INTO {t} AS t (tenant_id, id, created_by, updated_by, field_hlc, sync_seq{targets}) \
         SELECT app_tenant(), $1, $2, $2, $3, $4{sources} FROM jsonb_populate_record(NULL::{t}, $5) r \
         RETURNING jsonb_build_object({pairs})",
        t = table.name,
        pairs = field_pairs(table)
    );
    let stored: JsonMap = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(user)
        .bind(sqlx::types::Json(field_hlc))
        .bind(seq)
        .bind(sqlx::types::Json(fields))
        .fetch_one(&mut **tx)
        .await?;
    Ok(stored.0)
}

/// Tables that also hold global rows (`tenant_id` NULL) every clinic reads.
const GLOBAL_ROWS: &[&str] = &["medicines"];

/// A snapshot's rows of `table`: the row as JSON text (the object a PC
/// receives: id, data fields, clocks), and whether it is a global
/// (platform) row. `json_build_object` (not jsonb) writes the text
/// directly, which is what a snapshot of a million rows spends its time on.
pub fn snapshot_select(table: &TableSpec) -> String {
    // json_build_object takes at most 100 arguments.
    debug_assert!(
        table.columns.len() * 2 + 4 <= 100,
        "{} has too many columns",
        table.name
    );
    // Rows without a clinic are the platform's global catalog.
    let global = if GLOBAL_ROWS.contains(&table.name) {
        "t.tenant_id IS NULL"
    } else {
        "false"
    };
    format!(
        "SELECT json_build_object('id', t.id, 'field_hlc', t.field_hlc, {})::text, {global} FROM {} t \
         WHERE t.deleted_at IS NULL ORDER BY t.id",
        field_pairs(table),
        table.name
    )
}

/// `'name', t.name, ...` for every data column: the arguments of a
/// json(b)_build_object that gives a row as PCs receive it.
pub fn field_pairs(table: &TableSpec) -> String {
    let pairs: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("'{0}', t.{0}", c.name))
        .collect();
    pairs.join(", ")
}
