//! A pull page in one statement: the clinic's position, whether the PC's
//! cursor continues it, the changes after the cursor, the note of how far
//! the PC has pulled (written only when something moved) and, on the last
//! page, the fields of open conflicts, whether the clinic may write, and
//! whether the caller's sign-in is still live. One round trip instead of
//! five, for the request every idle PC makes.

use std::sync::LazyLock;

use domain::api::DeviceReport;
use domain::tenant::{Standing, TenantStatus};
use serde_json::{Map, Value};
use sqlx::types::Json;
use uuid::Uuid;

use super::Tx;
use super::changes::{LoggedChange, Position};
use super::sessions::{SessionCheck, liveness_columns};

/// What the PC asks.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    pub since: i64,
    pub limit: i64,
    pub epoch: Option<Uuid>,
    pub report: DeviceReport<'a>,
}

#[derive(Debug)]
pub struct Page {
    pub position: Position,
    /// The cursor belongs to this clinic's log as it stands (not purged
    /// past, not from the future, the same epoch); else a snapshot is due.
    pub continues: bool,
    pub changes: Vec<LoggedChange>,
    /// (table, field) of each open conflict, when this page is the last.
    pub open_conflicts: Option<Vec<(String, String)>>,
    /// Whether the clinic may write, sent with every page.
    pub standing: Standing,
    /// The caller's sign-in as the page's statement found it. Nothing of
    /// the page may be answered before this is applied.
    pub session: SessionCheck,
}

#[derive(sqlx::FromRow)]
struct Row {
    last_seq: Option<i64>,
    purged_through_seq: Option<i64>,
    epoch: Option<Uuid>,
    continues: Option<bool>,
    conflicts: Option<Json<Vec<(String, String)>>>,
    status: Option<String>,
    status_reason: Option<String>,
    live: Option<bool>,
    device_revoked: Option<bool>,
    seq: Option<i64>,
    table_name: Option<String>,
    row_id: Option<Uuid>,
    op: Option<String>,
    changes: Option<Json<Map<String, Value>>>,
    hlc: Option<String>,
    global: Option<bool>,
}

static SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "\
WITH pos AS (
    SELECT last_seq, purged_through_seq, epoch,
           ($1 >= purged_through_seq AND $1 <= last_seq AND ($3::uuid IS NULL OR $3 = epoch)) AS continues
      FROM tenant_sync_state WHERE tenant_id = $8
), page AS (
    SELECT seq, table_name, row_id, op, changes, hlc,
           -- The operator's changes to the global catalog sit in every
           -- clinic's log; the row itself says it is the platform's.
           (table_name = 'medicines' AND EXISTS
               (SELECT 1 FROM medicines m WHERE m.id = change_log.row_id AND m.tenant_id IS NULL)) AS global
      FROM change_log
     WHERE tenant_id = $8 AND seq > $1 AND (SELECT continues FROM pos)
     ORDER BY seq LIMIT $2
), reached AS (
    SELECT coalesce(max(seq), $1) AS cursor FROM page
), noted AS (
    UPDATE devices d SET last_pulled_seq = greatest(d.last_pulled_seq, r.cursor), last_seen_at = now(),
           app_version = coalesce($5, d.app_version), pending_changes = coalesce($6, d.pending_changes)
      FROM reached r
     WHERE d.id = $4 AND (SELECT continues FROM pos)
       AND (d.last_pulled_seq < r.cursor OR d.app_version IS DISTINCT FROM coalesce($5, d.app_version)
            OR d.pending_changes IS DISTINCT FROM coalesce($6, d.pending_changes)
            OR d.last_seen_at < now() - interval '1 minute')
    RETURNING 1
)
SELECT 0 AS part, p.last_seq, p.purged_through_seq, p.epoch, p.continues,
       CASE WHEN p.continues AND (SELECT cursor FROM reached) >= p.last_seq THEN
            (SELECT coalesce(jsonb_agg(jsonb_build_array(c.table_name, c.field)), '[]'::jsonb)
               FROM (SELECT table_name, field FROM sync_conflicts WHERE resolved_at IS NULL LIMIT 5000) c)
       END AS conflicts,
       t.status, t.status_reason, {},
       NULL::bigint AS seq, NULL::text AS table_name, NULL::uuid AS row_id, NULL::text AS op,
       NULL::jsonb AS changes, NULL::text AS hlc, NULL::boolean AS global
  FROM pos p CROSS JOIN (SELECT status, status_reason FROM tenants WHERE id = $8) t
UNION ALL
SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, seq, table_name, row_id, op, changes, hlc, global FROM page
ORDER BY part, seq",
        liveness_columns("$7", "$4")
    )
});

/// The page for PC `device` of sign-in family `family`, with that
/// sign-in's check. `tenant` is the clinic the transaction is scoped to
/// (from the verified token, as the scope is): named in the statement as
/// well, the look-ups key on it directly instead of calling `app_tenant()`
/// per scan (about 10 µs of a 400 µs pull measured in pgbench); the row
/// policies still hold the statement to that clinic.
pub async fn page(tx: &mut Tx, ask: Ask<'_>, device: Uuid, family: Uuid, tenant: Uuid) -> sqlx::Result<Page> {
    let rows: Vec<Row> = sqlx::query_as(SQL.as_str())
        .bind(ask.since)
        .bind(ask.limit)
        .bind(ask.epoch)
        .bind(device)
        .bind(ask.report.app_version)
        .bind(ask.report.pending_changes)
        .bind(family)
        .bind(tenant)
        .fetch_all(&mut **tx)
        .await?;
    let mut rows = rows.into_iter();
    let head = rows.next().ok_or(sqlx::Error::RowNotFound)?;
    let (Some(last_seq), Some(purged_through_seq), Some(epoch)) =
        (head.last_seq, head.purged_through_seq, head.epoch)
    else {
        return Err(sqlx::Error::RowNotFound);
    };
    let session = SessionCheck::of(
        head.live.unwrap_or(false),
        head.device_revoked.unwrap_or(false),
        head.status.as_deref(),
        head.status_reason.clone(),
    );
    let standing = Standing {
        status: head
            .status
            .as_deref()
            .and_then(TenantStatus::parse)
            .ok_or(sqlx::Error::RowNotFound)?,
        reason: head.status_reason,
    };
    let changes = rows
        .filter_map(|r| {
            Some(LoggedChange {
                seq: r.seq?,
                table_name: r.table_name?,
                row_id: r.row_id?,
                op: r.op?,
                changes: r.changes?,
                hlc: r.hlc?,
                global: r.global.unwrap_or(false),
            })
        })
        .collect();
    Ok(Page {
        position: Position {
            last_seq,
            purged_through_seq,
            epoch,
        },
        continues: head.continues.unwrap_or(false),
        changes,
        open_conflicts: head.conflicts.map(|c| c.0),
        standing,
        session,
    })
}
