//! Applying one pushed batch in one transaction under RLS.
//!
//! The batch first runs optimistically, without a savepoint per op. If any
//! statement fails, it is rolled back to the batch savepoint and run again
//! with a savepoint around each op, so a refused op is refused alone and
//! the rest still apply. Either way the batch is one transaction.

use std::collections::HashMap;

use chrono::Utc;
use domain::plan::within_limit;
use domain::sync::{
    Limited, MAX_OPS_PER_BATCH, OLDEST_SUPPORTED_VERSION, Op, OpKind, OpResult, OpStatus, PROTOCOL_VERSION,
    Push, PushRequest, PushResponse, Refusal, TableSpec, tables,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::refusal::classify;
use super::rows::{self, RowState};
use crate::auth::Claims;
use crate::db::changes::{self, Counter, Entry};
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};

/// Applies `req` for the caller. The transaction must be scoped to the
/// caller's clinic; the caller commits it.
pub async fn push(tx: &mut Tx, auth: &Claims, req: &PushRequest) -> ApiResult<PushResponse> {
    if !(OLDEST_SUPPORTED_VERSION..=PROTOCOL_VERSION).contains(&req.protocol) {
        return Err(ApiError::UnsupportedProtocol(req.protocol));
    }
    if req.device_id != auth.did {
        return Err(ApiError::Forbidden("a PC pushes only its own changes"));
    }
    if req.ops.len() > MAX_OPS_PER_BATCH {
        return Err(ApiError::field(
            "ops",
            &format!("at most {MAX_OPS_PER_BATCH} operations per batch"),
        ));
    }
    // Every writer of the clinic's log queues on this lock, including a
    // second push of the same device: batch bookkeeping is race-free below.
    let mut counter = changes::lock_counter(tx).await?;
    let device = auth.did.as_uuid();
    if let Some((last, stored)) = db::sync::last_batch(tx, device).await? {
        if req.batch_seq == last {
            let mut replay: PushResponse =
                serde_json::from_value(stored).map_err(|e| ApiError::Internal(e.into()))?;
            replay.cursor = counter.last_seq;
            return Ok(replay);
        }
        if req.batch_seq < last {
            return Ok(PushResponse {
                protocol: PROTOCOL_VERSION,
                batch_seq: req.batch_seq,
                results: Vec::new(),
                cursor: counter.last_seq,
            });
        }
        if req.batch_seq != last + 1 {
            return Err(ApiError::Conflict(format!(
                "expected batch {}, got {}",
                last + 1,
                req.batch_seq
            )));
        }
    } else if req.batch_seq < 1 {
        return Err(ApiError::field("batch_seq", "batches are numbered from 1"));
    }

    let context = Context::load(tx, auth, &req.ops).await?;
    sqlx::query("SAVEPOINT batch").execute(&mut **tx).await?;
    let start = counter.clone();
    let outcome = match run(tx, &context, req, &mut counter, false).await? {
        Some(outcome) => outcome,
        None => {
            sqlx::query("ROLLBACK TO SAVEPOINT batch")
                .execute(&mut **tx)
                .await?;
            counter = start;
            run(tx, &context, req, &mut counter, true)
                .await?
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("careful apply reported a failure")))?
        }
    };
    let cursor = changes::append(tx, &mut counter, &outcome.entries).await?;
    db::sync::insert_conflicts(tx, &outcome.conflicts).await?;
    let response = PushResponse {
        protocol: PROTOCOL_VERSION,
        batch_seq: req.batch_seq,
        results: outcome.results,
        cursor,
    };
    let stored = serde_json::to_value(&response).map_err(|e| ApiError::Internal(e.into()))?;
    db::sync::record_batch(tx, device, req.batch_seq, &stored).await?;
    Ok(response)
}

/// What the batch needs to know about the caller and the clinic.
struct Context {
    auth: Claims,
    can_create_records: bool,
    max_patients: i64,
    max_storage: i64,
    patients: i64,
    storage: i64,
}

impl Context {
    async fn load(tx: &mut Tx, auth: &Claims, ops: &[Op]) -> ApiResult<Self> {
        let tenant = db::tenants::current(tx, false).await?;
        let sub = tenant.subscription().map_err(ApiError::Internal)?;
        // Counting a clinic's patients costs a scan: only when this batch
        // creates rows that consume a limit.
        let consumes = ops.iter().any(|op| {
            op.kind == OpKind::Insert && tables::table(&op.table).is_some_and(|t| t.limited.is_some())
        });
        let usage = if consumes {
            db::tenants::usage(tx).await?
        } else {
            domain::tenant::Usage {
                offices: 0,
                doctors: 0,
                patients: 0,
                storage_bytes: 0,
            }
        };
        let limits = tenant.limits();
        Ok(Self {
            auth: auth.clone(),
            can_create_records: sub.can_create_records(Utc::now()),
            max_patients: limits.max_patients,
            max_storage: limits.max_storage_bytes,
            patients: usage.patients,
            storage: usage.storage_bytes,
        })
    }
}

#[derive(Debug, Default)]
struct Outcome {
    results: Vec<OpResult>,
    entries: Vec<Entry>,
    conflicts: Vec<db::sync::Conflict>,
}

/// Runs every op. Returns `None` when a statement failed in optimistic mode
/// (the caller rolls back and runs carefully).
async fn run(
    tx: &mut Tx,
    ctx: &Context,
    req: &PushRequest,
    counter: &mut Counter,
    careful: bool,
) -> ApiResult<Option<Outcome>> {
    let mut states = prefetch(tx, &req.ops).await?;
    let mut out = Outcome::default();
    let (mut patients, mut storage) = (ctx.patients, ctx.storage);
    for op in &req.ops {
        let planned = match plan(
            ctx,
            op,
            states.get(&(op.table.clone(), op.row_id)),
            &mut patients,
            &mut storage,
        ) {
            Ok(planned) => planned,
            Err((refusal, message)) => {
                out.results.push(refused(op, refusal, message));
                continue;
            }
        };
        let seq = counter.last_seq + out.entries.len() as i64 + 1;
        if careful {
            sqlx::query("SAVEPOINT op").execute(&mut **tx).await?;
        }
        match execute(tx, ctx, op, &planned, seq).await {
            Ok(()) => {
                if careful {
                    sqlx::query("RELEASE SAVEPOINT op").execute(&mut **tx).await?;
                }
            }
            Err(err) => match (careful, classify(&err)) {
                (true, Some((refusal, message))) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT op").execute(&mut **tx).await?;
                    undo_usage(&planned, &mut patients, &mut storage);
                    out.results.push(refused(op, refusal, message));
                    continue;
                }
                (false, Some(_)) => return Ok(None),
                (_, None) => return Err(err.into()),
            },
        }
        record(ctx, op, planned, &mut states, &mut out, req.batch_seq);
    }
    Ok(Some(out))
}

async fn prefetch(tx: &mut Tx, ops: &[Op]) -> ApiResult<HashMap<(String, Uuid), RowState>> {
    let mut by_table: HashMap<&'static str, Vec<Uuid>> = HashMap::new();
    for op in ops {
        if let Some(spec) = tables::table(&op.table) {
            by_table.entry(spec.name).or_default().push(op.row_id);
        }
    }
    let mut states = HashMap::new();
    for (name, ids) in by_table {
        let spec =
            tables::table(name).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("table vanished")))?;
        for (id, state) in rows::lock_rows(tx, spec, &ids).await? {
            states.insert((name.to_owned(), id), state);
        }
    }
    Ok(states)
}

/// What an op will do once checked: which fields win, which lose.
#[derive(Debug)]
struct Planned {
    spec: &'static TableSpec,
    action: Action,
    winners: Map<String, Value>,
    losers: Vec<String>,
    consumes: Option<(Limited, i64)>,
}

#[derive(Debug, PartialEq, Eq)]
enum Action {
    Insert,
    Update,
    Delete,
    /// Nothing left to write (all fields lost, or already deleted).
    Nothing,
}

type Refused = (Refusal, String);

fn plan(
    ctx: &Context,
    op: &Op,
    state: Option<&RowState>,
    patients: &mut i64,
    storage: &mut i64,
) -> Result<Planned, Refused> {
    let spec =
        tables::table(&op.table).ok_or((Refusal::UnknownTable, format!("'{}' is not synced", op.table)))?;
    if !spec.may_push(ctx.auth.role) {
        return Err((
            Refusal::Forbidden,
            format!("your role cannot change {}", spec.name),
        ));
    }
    if matches!(spec.push, Push::AppendOnly(_)) && (op.kind != OpKind::Insert || state.is_some()) {
        return Err((
            Refusal::Forbidden,
            format!("{} rows cannot be changed once written", spec.name),
        ));
    }
    spec.check_fields(&op.fields)
        .map_err(|m| (Refusal::ValidationFailed, m))?;
    domain::sync::validate::fields(spec.name, &op.fields, Utc::now().date_naive())
        .map_err(|e| (Refusal::ValidationFailed, e.to_string()))?;
    let hlc = op.hlc.to_string();
    let mut planned = Planned {
        spec,
        action: Action::Nothing,
        winners: Map::new(),
        losers: Vec::new(),
        consumes: None,
    };
    match (op.kind, state) {
        (OpKind::Delete, None) => return Err((Refusal::NotFound, "no such record".into())),
        (OpKind::Delete, Some(s)) if !s.deleted => planned.action = Action::Delete,
        (OpKind::Delete, Some(_)) => {}
        (_, Some(s)) if s.deleted => return Err((Refusal::Deleted, "the record was deleted".into())),
        (OpKind::Update, None) => return Err((Refusal::NotFound, "no such record".into())),
        (OpKind::Insert, None) => {
            if spec.needs_active_subscription && !ctx.can_create_records {
                return Err((
                    Refusal::TenantInactive,
                    "the clinic's subscription is not active".into(),
                ));
            }
            planned.consumes = consume(ctx, spec, &op.fields, patients, storage)?;
            planned.winners = op.fields.clone();
            planned.action = Action::Insert;
        }
        // An update, or an insert of a row that exists (a retried create):
        // field-level last-writer-wins by HLC.
        (_, Some(s)) => {
            for (name, value) in &op.fields {
                let current = s.field_hlc.get(name).and_then(Value::as_str).unwrap_or("");
                if hlc.as_str() > current {
                    planned.winners.insert(name.clone(), value.clone());
                } else if hlc.as_str() < current && s.values.get(name) != Some(value) {
                    planned.losers.push(name.clone());
                }
            }
            if !planned.winners.is_empty() {
                planned.action = Action::Update;
            }
        }
    }
    Ok(planned)
}

fn consume(
    ctx: &Context,
    spec: &TableSpec,
    fields: &Map<String, Value>,
    patients: &mut i64,
    storage: &mut i64,
) -> Result<Option<(Limited, i64)>, Refused> {
    match spec.limited {
        Some(Limited::Patients) => {
            if !within_limit(ctx.max_patients, *patients, 1) {
                return Err((
                    Refusal::PlanLimitReached,
                    format!("the plan allows {} patients", ctx.max_patients),
                ));
            }
            *patients += 1;
            Ok(Some((Limited::Patients, 1)))
        }
        Some(Limited::Storage) => {
            let size = fields.get("size_bytes").and_then(Value::as_i64).unwrap_or(0);
            if !within_limit(ctx.max_storage, *storage, size) {
                return Err((Refusal::PlanLimitReached, "the plan's storage is full".into()));
            }
            *storage += size;
            Ok(Some((Limited::Storage, size)))
        }
        None => Ok(None),
    }
}

fn undo_usage(planned: &Planned, patients: &mut i64, storage: &mut i64) {
    match planned.consumes {
        Some((Limited::Patients, n)) => *patients -= n,
        Some((Limited::Storage, n)) => *storage -= n,
        None => {}
    }
}

async fn execute(tx: &mut Tx, ctx: &Context, op: &Op, planned: &Planned, seq: i64) -> sqlx::Result<()> {
    let user = ctx.auth.sub.as_uuid();
    let hlc = op.hlc.to_string();
    let clocks = || -> Map<String, Value> {
        planned
            .winners
            .keys()
            .map(|k| (k.clone(), Value::String(hlc.clone())))
            .collect()
    };
    match planned.action {
        Action::Insert => {
            rows::insert(
                tx,
                planned.spec,
                op.row_id,
                &planned.winners,
                &clocks(),
                user,
                seq,
            )
            .await
        }
        Action::Update => {
            rows::update(
                tx,
                planned.spec,
                op.row_id,
                &planned.winners,
                &clocks(),
                user,
                seq,
            )
            .await
        }
        Action::Delete => rows::tombstone(tx, planned.spec, op.row_id, &hlc, user, seq).await,
        Action::Nothing => Ok(()),
    }
}

/// Notes the effects of an executed op: result, log entry, conflicts and
/// the in-memory row state later ops of the batch see.
fn record(
    ctx: &Context,
    op: &Op,
    planned: Planned,
    states: &mut HashMap<(String, Uuid), RowState>,
    out: &mut Outcome,
    batch_seq: i64,
) {
    let hlc = op.hlc.to_string();
    let state = states.entry((op.table.clone(), op.row_id)).or_default();
    for loser in &planned.losers {
        out.conflicts.push(db::sync::Conflict {
            table: planned.spec.name,
            row_id: op.row_id,
            field: loser.clone(),
            winning_value: state.values.get(loser).cloned().unwrap_or(Value::Null),
            winning_hlc: state
                .field_hlc
                .get(loser)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            losing_value: op.fields.get(loser).cloned().unwrap_or(Value::Null),
            losing_hlc: hlc.clone(),
            losing_user: ctx.auth.sub.as_uuid(),
            losing_device: ctx.auth.did.as_uuid(),
        });
    }
    let op_name = match planned.action {
        Action::Insert => Some(OpKind::Insert.as_str()),
        Action::Update => Some(OpKind::Update.as_str()),
        Action::Delete => Some(OpKind::Delete.as_str()),
        Action::Nothing => None,
    };
    if let Some(op_name) = op_name {
        if planned.action == Action::Delete {
            state.deleted = true;
            state
                .field_hlc
                .insert("deleted_at".into(), Value::String(hlc.clone()));
        }
        for (name, value) in &planned.winners {
            state.values.insert(name.clone(), value.clone());
            state.field_hlc.insert(name.clone(), Value::String(hlc.clone()));
        }
        out.entries.push(Entry {
            table: planned.spec.name.to_owned(),
            row_id: op.row_id,
            op: op_name.to_owned(),
            changes: Value::Object(planned.winners.clone()),
            hlc: hlc.clone(),
            user_id: ctx.auth.sub.as_uuid(),
            device_id: Some(ctx.auth.did.as_uuid()),
            batch_seq: Some(batch_seq),
        });
    }
    out.results.push(OpResult {
        op_id: op.op_id,
        status: if planned.losers.is_empty() {
            OpStatus::Applied
        } else {
            OpStatus::Merged
        },
        refusal: None,
        message: None,
        lost_fields: planned.losers,
    });
}

fn refused(op: &Op, refusal: Refusal, message: String) -> OpResult {
    OpResult {
        op_id: op.op_id,
        status: OpStatus::Refused,
        refusal: Some(refusal),
        message: Some(message),
        lost_fields: Vec::new(),
    }
}
