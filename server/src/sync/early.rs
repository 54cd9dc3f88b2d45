//! Planning a large batch of edits before the clinic's log lock.
//!
//! Every writer of a clinic's synced rows queues on its log lock, and a
//! PC keeps two batches on their way, so the second one used to wait idle
//! while the first was read, planned, written and logged. Now the waiting
//! batch reads its rows and plans every op meanwhile, on the other core;
//! under the lock only its writes and its log entries run.
//!
//! Exactness: what an op of such a batch does depends only on its own row
//! (its clocks and values, whether it is deleted), which is read here
//! without the lock. Each write then carries the version of the row it
//! was planned against (`xmin`), and under the lock a row that is no
//! longer that version is not written: the batch is rolled back and
//! planned again from scratch, as if it had never been planned early.
//! So a batch planned early answers, logs and stamps rows exactly as one
//! planned under the lock. Decisions that depend on more than the row
//! (plan limits, family sizes, inserts, deletes, refusals, rows read with
//! their locks) keep the batch on the locked path from the start.

use std::collections::HashSet;

use domain::sync::{Limited, Op, OpKind, PushRequest, tables};

use super::apply::{Outcome, prefetch, record};
use super::plan::{Action, Context, plan};
use super::rows;
use super::wave::{self, Write};
use crate::auth::Claims;
use crate::db::Tx;
use crate::db::changes::Counter;
use crate::error::ApiResult;

/// Ops planned between two chances for other tasks to run.
const YIELD_EVERY: usize = 128;

/// A batch planned before the lock: its writes (changes numbered from 1),
/// its answers and its log entries.
#[derive(Debug)]
pub struct Early {
    writes: Vec<Write>,
    outcome: Outcome,
}

/// Plans `req` ahead of the log lock when it can be (see the module's
/// doc); otherwise at least reads the rows it changes (`rows::warm`), so
/// the locked path finds them in PostgreSQL's buffers.
pub async fn prepare(tx: &mut Tx, auth: &Claims, req: &PushRequest) -> ApiResult<Option<Early>> {
    if req.ops.len() < rows::WARM_FROM_OPS {
        return Ok(None);
    }
    if !req.ops.iter().all(plannable) {
        rows::warm(tx, &req.ops).await?;
        return Ok(None);
    }
    let context = Context::load(tx, auth, &req.ops).await?;
    let mut states = prefetch(tx, &req.ops).await?;
    let mut budget = context.budget.clone();
    let mut outcome = Outcome::default();
    let mut writes = Vec::with_capacity(req.ops.len());
    let mut seen = HashSet::with_capacity(req.ops.len());
    for (n, op) in req.ops.iter().enumerate() {
        if n % YIELD_EVERY == YIELD_EVERY - 1 {
            // Planning 2,000 ops takes 5-20 ms of a worker; the batch
            // ahead, which holds the lock, must not wait that long for
            // one when its statement's answer arrives.
            tokio::task::yield_now().await;
        }
        let key = (op.table.clone(), op.row_id);
        // A row changed twice is planned against its first write, which
        // only the locked path (waves) does.
        if !seen.insert(key.clone()) {
            return Ok(None);
        }
        let state = states.get(&key);
        let Ok(planned) = plan(&context, op, state, &mut budget) else {
            return Ok(None);
        };
        if planned.action != Action::Update || planned.family.is_some() || planned.consumes.is_some() {
            return Ok(None);
        }
        let version = state.and_then(|s| s.version.clone());
        let at = state.and_then(|s| s.location.clone());
        let seq = outcome.entries.len() as i64 + 1;
        let Some(write) = Write::planned(op, &planned, seq, outcome.entries.len(), at) else {
            return Ok(None);
        };
        writes.push(write.expecting(version));
        record(&context, op, planned, &mut states, &mut outcome, req.batch_seq);
    }
    Ok(Some(Early { writes, outcome }))
}

/// Whether `op` may be planned early by what it is, before its row is
/// read: an update of a table whose rows a push reads without their locks,
/// sending no field a plan limit or a family's size depends on.
fn plannable(op: &Op) -> bool {
    let Some(spec) = tables::table(&op.table) else {
        return false;
    };
    let sized = spec.limited == Some(Limited::Storage) && op.fields.contains_key("size_bytes");
    let family = spec.name == "patients" && op.fields.contains_key("mobile_number");
    op.kind == OpKind::Update && !rows::locks_reads(spec) && !sized && !family
}

impl Early {
    /// Writes the batch with the log lock held (`counter` as locked): its
    /// outcome, or `None`, with nothing written, when one of its rows
    /// changed since it was planned (or a write was refused: the locked
    /// path finds which) and the batch must be planned again.
    pub async fn apply(
        mut self,
        tx: &mut Tx,
        auth: &Claims,
        counter: &Counter,
    ) -> ApiResult<Option<Outcome>> {
        for write in &mut self.writes {
            write.after(counter.last_seq);
        }
        sqlx::query("SAVEPOINT early").execute(&mut **tx).await?;
        if wave::send_unchanged(tx, &self.writes, auth.sub.as_uuid()).await? {
            return Ok(Some(self.outcome));
        }
        sqlx::query("ROLLBACK TO SAVEPOINT early")
            .execute(&mut **tx)
            .await?;
        tracing::debug!(
            ops = self.writes.len(),
            "a batch planned before the log lock met changed rows: planned again"
        );
        Ok(None)
    }
}
