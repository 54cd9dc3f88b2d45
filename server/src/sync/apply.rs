//! Applying one pushed batch in one transaction under RLS.
//!
//! The batch first runs optimistically, its writes grouped into a few
//! set-based statements (`wave`). If any statement fails, it is rolled
//! back to the batch savepoint and run again op by op with a savepoint
//! around each, so a refused op is refused alone and the rest still apply.
//! Either way the batch is one transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use domain::sync::{
    CurrentFields, Limited, Op, OpKind, OpResult, OpStatus, PROTOCOL_VERSION, PushRequest, PushResponse,
    Refusal,
};
use serde_json::Value;
use uuid::Uuid;

use super::batch::{self, Admission};
use super::early;
use super::plan::{Action, Context, Planned, plan};
use super::refusal::classify;
use super::rows::{self, RowState};
use super::wave::Write;
use crate::auth::Claims;
use crate::db::changes::{self, Counter, Entry};
use crate::db::{self, Tx};
use crate::error::ApiResult;

/// Applies `req` for the caller. The transaction must be scoped to the
/// caller's clinic; the caller commits it.
pub async fn push(tx: &mut Tx, auth: &Claims, req: &PushRequest) -> ApiResult<PushResponse> {
    batch::check_request(auth, req, now_ms())?;
    // Before the lock: a PC's next batch waits there while this one's
    // predecessor is applied, so its digest, its rows' reads and, for a
    // large batch of edits, its whole plan (`early`) use the time and the
    // other core.
    let digest = batch::digest(req)?;
    let early = early::prepare(tx, auth, req).await?;
    // Every writer of the clinic's log queues on this lock, including a
    // second push of the same device: batch bookkeeping is race-free below.
    let mut counter = changes::lock_counter(tx).await?;
    let device = auth.did.as_uuid();
    match batch::admit(tx, auth, req, &digest, counter.last_seq).await? {
        Admission::Apply => {}
        Admission::Replay(answer) => return Ok(answer),
        Admission::Stale => {
            return Ok(PushResponse {
                protocol: PROTOCOL_VERSION,
                batch_seq: req.batch_seq,
                results: Vec::new(),
                cursor: counter.last_seq,
            });
        }
    };
    let applied = match early {
        Some(early) => early.apply(tx, auth, &counter).await?,
        None => None,
    };
    let outcome = match applied {
        Some(outcome) => outcome,
        None => apply_locked(tx, auth, req, &counter).await?,
    };
    let cursor = changes::append(tx, &mut counter, &outcome.entries).await?;
    db::sync::insert_conflicts(tx, &outcome.conflicts).await?;
    let response = PushResponse {
        protocol: PROTOCOL_VERSION,
        batch_seq: req.batch_seq,
        results: outcome.results,
        cursor,
    };
    let stored = batch::stored_answer(&response)?;
    db::sync::record_batch(tx, device, req.batch_seq, &digest, &stored).await?;
    Ok(response)
}

/// Plans and writes the batch with the log lock held: in waves, or op by
/// op when a wave's statement fails.
async fn apply_locked(
    tx: &mut Tx,
    auth: &Claims,
    req: &PushRequest,
    counter: &Counter,
) -> ApiResult<Outcome> {
    // Loaded under the lock even when `early` loaded one before it: the
    // clinic's status, usage and budgets read then may have changed since
    // (another writer's inserts count against the same plan limits).
    let context = Context::load(tx, auth, &req.ops).await?;
    sqlx::query("SAVEPOINT batch").execute(&mut **tx).await?;
    if let Some(outcome) = super::wave::run(tx, &context, req, counter).await? {
        return Ok(outcome);
    }
    sqlx::query("ROLLBACK TO SAVEPOINT batch")
        .execute(&mut **tx)
        .await?;
    run_op_by_op(tx, &context, req, counter).await
}

fn now_ms() -> u64 {
    u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0)
}

/// What a batch did: each op's answer, the log entries and the conflicts
/// it records.
#[derive(Debug, Default)]
pub struct Outcome {
    pub results: Vec<OpResult>,
    pub entries: Vec<Entry>,
    pub conflicts: Vec<db::sync::Conflict>,
}

/// Runs every op with a savepoint around it: an op whose statement fails
/// on a refusable error is refused alone.
async fn run_op_by_op(
    tx: &mut Tx,
    ctx: &Context,
    req: &PushRequest,
    counter: &Counter,
) -> ApiResult<Outcome> {
    let mut states = prefetch(tx, &req.ops).await?;
    let mut out = Outcome::default();
    let mut budget = ctx.budget.clone();
    for op in &req.ops {
        let key = (op.table.clone(), op.row_id);
        let mut planned = match plan(ctx, op, states.get(&key), &mut budget) {
            Ok(planned) => planned,
            Err((refusal, message)) => {
                out.results.push(refused(op, refusal, message, states.get(&key)));
                continue;
            }
        };
        let seq = counter.last_seq + out.entries.len() as i64 + 1;
        let at = states.get(&key).and_then(|s| s.location.clone());
        let Some(write) = Write::planned(op, &planned, seq, out.entries.len(), at) else {
            record(ctx, op, planned, &mut states, &mut out, req.batch_seq);
            continue;
        };
        sqlx::query("SAVEPOINT op").execute(&mut **tx).await?;
        let written = match write.run_alone(tx, ctx.auth.sub.as_uuid()).await {
            Ok(written) => {
                sqlx::query("RELEASE SAVEPOINT op").execute(&mut **tx).await?;
                written
            }
            Err(err) => match classify(&err) {
                Some((refusal, message)) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT op").execute(&mut **tx).await?;
                    budget.undo(planned.consumes, planned.family.as_ref());
                    out.results.push(refused(op, refusal, message, states.get(&key)));
                    continue;
                }
                None => return Err(err.into()),
            },
        };
        if let Some(stored) = written.stored {
            // An insert is logged as stored, server defaults included, so a
            // PC that learns the row by pull holds what a snapshot gives.
            planned.winners = stored;
        }
        record(ctx, op, planned, &mut states, &mut out, req.batch_seq);
        if let Some(state) = states.get_mut(&key) {
            // Where the row now is, for the batch's later writes of it.
            state.location = Some(written.at);
        }
    }
    Ok(out)
}

/// Loads the rows the batch touches (see `rows::load_rows` for which it
/// locks) with their clocks, and the stored values of only the fields the
/// batch sends (what merging, conflicts and refusals compare): turning
/// whole rows into JSON cost more than the lookups.
pub(super) async fn prefetch(tx: &mut Tx, ops: &[Op]) -> ApiResult<HashMap<(String, Uuid), RowState>> {
    let grouped = rows::by_table(ops.iter(), |(ids, sent): &mut (Vec<Uuid>, BTreeSet<&str>), op| {
        ids.push(op.row_id);
        sent.extend(op.fields.keys().map(String::as_str));
    });
    let mut states = HashMap::new();
    for (name, (spec, (ids, sent))) in grouped {
        // Only the table's own column names reach the SQL; a file's size is
        // what an update's growth is checked against.
        let columns: Vec<&str> = spec
            .columns
            .iter()
            .map(|c| c.name)
            .filter(|c| sent.contains(c) || (*c == "size_bytes" && spec.limited == Some(Limited::Storage)))
            .collect();
        for (id, state) in rows::load_rows(tx, spec, &ids, &columns).await? {
            states.insert((name.to_owned(), id), state);
        }
    }
    Ok(states)
}

/// Notes the effects of an executed op: result, log entry, conflicts and
/// the in-memory row state later ops of the batch see.
pub(super) fn record(
    ctx: &Context,
    op: &Op,
    planned: Planned,
    states: &mut HashMap<(String, Uuid), RowState>,
    out: &mut Outcome,
    batch_seq: i64,
) {
    let hlc = planned.hlc;
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
            changes: Value::Object(planned.winners),
            hlc,
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
        current: None,
    });
}

/// A refusal, carrying what the server holds for the op's fields when the
/// row exists, so the PC can restore them.
pub(super) fn refused(op: &Op, refusal: Refusal, message: String, state: Option<&RowState>) -> OpResult {
    // The reason, never the values.
    tracing::info!(table = %op.table, kind = ?op.kind, ?refusal, "op refused");
    let current = state.filter(|s| !s.deleted).map(|s| CurrentFields {
        values: op
            .fields
            .keys()
            .map(|k| (k.clone(), s.values.get(k).cloned().unwrap_or(Value::Null)))
            .collect(),
        hlc: op
            .fields
            .keys()
            .filter_map(|k| s.field_hlc.get(k).map(|h| (k.clone(), h.clone())))
            .collect(),
    });
    OpResult {
        op_id: op.op_id,
        status: OpStatus::Refused,
        refusal: Some(refusal),
        message: Some(message),
        lost_fields: Vec::new(),
        current,
    }
}
