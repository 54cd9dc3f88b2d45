//! The fast path of applying a batch: every op is planned in memory, in
//! order, and the writes of ops on distinct rows run together as one
//! statement per table, kind and set of fields (a "wave"), instead of one
//! round trip per op.
//!
//! Exactness: an op on a row the current wave already writes first sends
//! the wave, so each op is planned against the row as the ops before it
//! left it (defaults of an insert included, as the per-op path sees them).
//! Sequence numbers are given in op order while planning, so the log, its
//! hash chain and each row's `sync_seq` are those of the per-op path. In a
//! wave, inserts run before updates and deletes, parents before children
//! (the order of `TABLES`); if any statement fails, the caller rolls the
//! batch back and applies it op by op, which finds and refuses the culprit
//! alone.

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::sync::{Op, PushRequest, TableSpec, tables};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::apply::{Outcome, prefetch, record, refused};
use super::plan::{Action, Context, Planned, plan};
use super::refusal::classify;
use super::rows::RowState;
use super::set_rows::{self, RowWrite, Written};
use crate::db::Tx;
use crate::db::changes::Counter;
use crate::error::ApiResult;

type States = HashMap<(String, Uuid), RowState>;

/// Runs `req` in waves. `None` when a statement failed on a refusable
/// error (the caller rolls back and applies op by op).
pub async fn run(
    tx: &mut Tx,
    ctx: &Context,
    req: &PushRequest,
    counter: &Counter,
) -> ApiResult<Option<Outcome>> {
    let mut states = prefetch(tx, &req.ops).await?;
    let mut out = Outcome::default();
    let mut budget = ctx.budget.clone();
    let mut wave = Wave::default();
    for op in &req.ops {
        let key = (op.table.clone(), op.row_id);
        if wave.rows.contains(&key) && !wave.send(tx, ctx, &mut states, &mut out).await? {
            return Ok(None);
        }
        let planned = match plan(ctx, op, states.get(&key), &mut budget) {
            Ok(planned) => planned,
            Err((refusal, message)) => {
                out.results.push(refused(op, refusal, message, states.get(&key)));
                continue;
            }
        };
        let seq = counter.last_seq + out.entries.len() as i64 + 1;
        let at = states.get(&key).and_then(|s| s.location.clone());
        if let Some(write) = Write::planned(op, &planned, seq, out.entries.len(), at) {
            wave.add(write);
        }
        record(ctx, op, planned, &mut states, &mut out, req.batch_seq);
    }
    Ok(wave.send(tx, ctx, &mut states, &mut out).await?.then_some(out))
}

/// The kinds of statement, in the order a wave runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Insert,
    Update,
    Delete,
}

/// One planned write waiting for its wave.
#[derive(Debug)]
pub(super) struct Write {
    spec: &'static TableSpec,
    action: Kind,
    id: Uuid,
    fields: Map<String, Value>,
    hlc: String,
    seq: i64,
    /// Its change's index in the outcome's log entries.
    entry: usize,
    /// Where the row's current version is stored, when it exists.
    at: Option<String>,
    /// The version of the row it was planned against, when planned before
    /// the log lock (`early`).
    version: Option<String>,
}

impl Write {
    /// What `planned` writes for `op` as change `seq` (the `entry`th of
    /// the batch's log), to the row stored `at`; `None` when nothing is
    /// left to write.
    pub(super) fn planned(
        op: &Op,
        planned: &Planned,
        seq: i64,
        entry: usize,
        at: Option<String>,
    ) -> Option<Self> {
        let action = match planned.action {
            Action::Insert => Kind::Insert,
            Action::Update => Kind::Update,
            Action::Delete => Kind::Delete,
            Action::Nothing => return None,
        };
        Some(Self {
            spec: planned.spec,
            action,
            id: op.row_id,
            fields: planned.winners.clone(),
            hlc: planned.hlc.clone(),
            seq,
            entry,
            at,
            version: None,
        })
    }

    /// The same write, made only if the row is still `version`.
    pub(super) fn expecting(self, version: Option<String>) -> Self {
        Self { version, ..self }
    }

    /// Moves its change `base` numbers on: planned before the log lock,
    /// a write counts its change from 1.
    pub(super) fn after(&mut self, base: i64) {
        self.seq += base;
    }

    /// The fields its statement sets (none for a delete).
    fn columns(&self) -> Vec<String> {
        match self.action {
            Kind::Delete => Vec::new(),
            _ => self.fields.keys().cloned().collect(),
        }
    }

    /// Runs this write alone (the op-by-op path).
    pub(super) async fn run_alone(&self, tx: &mut Tx, user: Uuid) -> sqlx::Result<Written> {
        let written = write_rows(
            tx,
            self.action,
            self.spec,
            &self.columns(),
            &[row_write(self)],
            user,
        )
        .await?;
        written
            .into_iter()
            .next()
            .ok_or_else(|| sqlx::Error::Protocol("a write returned no row".into()))
    }
}

/// One statement for `rows`, which share kind, table and fields.
async fn write_rows(
    tx: &mut Tx,
    action: Kind,
    spec: &TableSpec,
    columns: &[String],
    rows: &[RowWrite<'_>],
    user: Uuid,
) -> sqlx::Result<Vec<Written>> {
    match action {
        Kind::Insert => set_rows::insert(tx, spec, columns, rows, user).await,
        Kind::Update => set_rows::update(tx, spec, columns, rows, user).await,
        Kind::Delete => set_rows::tombstone(tx, spec, rows, user).await,
    }
}

#[derive(Default)]
struct Wave {
    writes: Vec<Write>,
    rows: HashSet<(String, Uuid)>,
}

/// Statements run in (kind, table's place in `TABLES`, fields) order.
type GroupKey = (Kind, usize, Vec<String>);

impl Wave {
    fn add(&mut self, write: Write) {
        self.rows.insert((write.spec.name.to_owned(), write.id));
        self.writes.push(write);
    }

    /// Runs the waiting writes; false when a statement failed refusably.
    async fn send(
        &mut self,
        tx: &mut Tx,
        ctx: &Context,
        states: &mut States,
        out: &mut Outcome,
    ) -> ApiResult<bool> {
        let writes = std::mem::take(&mut self.writes);
        self.rows.clear();
        let user = ctx.auth.sub.as_uuid();
        for ((action, _, columns), group) in groups(&writes) {
            let spec = group[0].spec;
            let rows: Vec<RowWrite<'_>> = group.iter().map(|w| row_write(w)).collect();
            match write_rows(tx, action, spec, &columns, &rows, user).await {
                Ok(written) => note_written(spec, &group, written, states, out),
                Err(err) if classify(&err).is_some() => return Ok(false),
                Err(err) => return Err(err.into()),
            }
        }
        Ok(true)
    }
}

/// Runs `writes` (updates planned before the log lock, each on a distinct
/// row and carrying the version it was planned against) as one statement
/// per group. False when a row is no longer that version, or a statement
/// failed refusably: the caller rolls back and plans the batch again.
pub(super) async fn send_unchanged(tx: &mut Tx, writes: &[Write], user: Uuid) -> ApiResult<bool> {
    for ((action, _, columns), group) in groups(writes) {
        debug_assert_eq!(action, Kind::Update, "only updates are planned early");
        let rows: Vec<RowWrite<'_>> = group.iter().map(|w| row_write(w)).collect();
        match set_rows::update_unchanged(tx, group[0].spec, &columns, &rows, user).await {
            Ok(true) => {}
            Ok(false) => return Ok(false),
            Err(err) if classify(&err).is_some() => return Ok(false),
            Err(err) => return Err(err.into()),
        }
    }
    Ok(true)
}

fn groups(writes: &[Write]) -> BTreeMap<GroupKey, Vec<&Write>> {
    let mut groups: BTreeMap<GroupKey, Vec<&Write>> = BTreeMap::new();
    for write in writes {
        let place = tables::TABLES
            .iter()
            .position(|t| t.name == write.spec.name)
            .unwrap_or(usize::MAX);
        groups
            .entry((write.action, place, write.columns()))
            .or_default()
            .push(write);
    }
    groups
}

/// The row a write sends to its statement, which stamps the op's clock on
/// what it writes: every field of a new row (defaults included, as PCs
/// stamp the logged row), the fields an update wins, a delete's
/// `deleted_at`.
fn row_write(write: &Write) -> RowWrite<'_> {
    RowWrite {
        id: write.id,
        fields: &write.fields,
        hlc: &write.hlc,
        seq: write.seq,
        at: write.at.as_deref(),
        version: write.version.as_deref(),
    }
}

/// Notes where each written row now is, for the batch's later writes of
/// it. An insert is logged as stored, server defaults included, so a PC
/// that learns the row by pull holds what a snapshot gives; later ops of
/// the batch see the stored row too.
fn note_written(
    spec: &TableSpec,
    group: &[&Write],
    written: Vec<Written>,
    states: &mut States,
    out: &mut Outcome,
) {
    let by_id: HashMap<Uuid, &Write> = group.iter().map(|w| (w.id, *w)).collect();
    for Written { id, at, stored } in written {
        let Some(write) = by_id.get(&id) else { continue };
        let state = states.get_mut(&(spec.name.to_owned(), id));
        if let Some(state) = state {
            state.location = Some(at);
            for (name, value) in stored.iter().flatten() {
                state.values.insert(name.clone(), value.clone());
                state
                    .field_hlc
                    .insert(name.clone(), Value::String(write.hlc.clone()));
            }
        }
        if let (Some(row), Some(entry)) = (stored, out.entries.get_mut(write.entry)) {
            entry.changes = Value::Object(row);
        }
    }
}
