//! Whether a pushed batch may be applied: protocol version, size, the
//! device's batch order, replays and the clocks it carries. Nothing here
//! writes; a refused batch leaves no trace.

use std::collections::HashMap;

use domain::sync::{
    MAX_DRIFT_MS, MAX_OPS_PER_BATCH, OLDEST_SUPPORTED_VERSION, OpResult, OpStatus, PROTOCOL_VERSION,
    PushRequest, PushResponse,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::auth::Claims;
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};

/// What to do with a batch that passed the checks.
#[derive(Debug)]
pub enum Admission {
    /// The next batch of the device: apply it, then record its digest.
    Apply,
    /// One of the device's last two batches again (its answer was lost):
    /// the stored answer.
    Replay(PushResponse),
    /// A batch older than the two remembered, already settled.
    Stale,
}

/// Checks that need no database.
pub fn check_request(auth: &Claims, req: &PushRequest, now_ms: u64) -> ApiResult<()> {
    if !(OLDEST_SUPPORTED_VERSION..=PROTOCOL_VERSION).contains(&req.protocol) {
        return Err(ApiError::UnsupportedProtocol(req.protocol));
    }
    if req.device_id != auth.did {
        return Err(ApiError::Forbidden("a PC pushes only its own changes"));
    }
    if req.ops.len() > MAX_OPS_PER_BATCH {
        return Err(ApiError::PayloadTooLarge);
    }
    check_clocks(auth, req, now_ms)
}

/// Every op's clock carries the pushing device and is not ahead of the
/// server's by more than the drift limit: one write stamped in the year
/// 2500 would otherwise win every later edit of its fields forever.
fn check_clocks(auth: &Claims, req: &PushRequest, now_ms: u64) -> ApiResult<()> {
    for (index, op) in req.ops.iter().enumerate() {
        if op.hlc.node != auth.did {
            return Err(ApiError::field(
                &format!("ops.{index}.hlc"),
                "must carry the id of the PC that pushes it",
            ));
        }
        if op.hlc.wall_ms > now_ms.saturating_add(MAX_DRIFT_MS) {
            let minutes = (op.hlc.wall_ms - now_ms).div_ceil(60_000);
            return Err(ApiError::ClockAhead(format!(
                "this PC's clock is about {minutes} minutes ahead of the server's; correct the PC's date and \
                 time (changes wait on the PC until then)"
            )));
        }
    }
    Ok(())
}

/// The batch's content digest: SHA-256 of its ops in canonical JSON (the
/// server re-serializes them, so key order and spacing do not matter).
pub fn digest(req: &PushRequest) -> ApiResult<[u8; 32]> {
    let canonical = serde_json::to_vec(&req.ops).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Sha256::digest(&canonical).into())
}

/// Decides by the device's last two applied batches (`digest` is the
/// batch's own). Call with the clinic's log lock held, so a second push of
/// the same device waits for this one.
pub async fn admit(
    tx: &mut Tx,
    auth: &Claims,
    req: &PushRequest,
    digest: &[u8; 32],
    cursor: i64,
) -> ApiResult<Admission> {
    let device = auth.did.as_uuid();
    let Some(last) = db::sync::last_batch(tx, device).await? else {
        // A device's first batch is 1: a PC whose batch 1 was lost must
        // not have batch 2 accepted as if nothing were missing.
        return if req.batch_seq == 1 {
            Ok(Admission::Apply)
        } else {
            Err(ApiError::BatchOutOfOrder {
                expected: 1,
                got: req.batch_seq,
            })
        };
    };
    let mut remembered = std::iter::once((last.seq, last.digest)).chain(last.prev);
    if let Some((_, stored)) = remembered.find(|(seq, _)| *seq == req.batch_seq) {
        if stored.is_some_and(|stored| stored != *digest) {
            tracing::warn!(device = %auth.did, batch = req.batch_seq, "batch replayed with other content");
            return Err(ApiError::BatchMismatch(req.batch_seq));
        }
        let stored = db::sync::batch_answer(tx, device, req.batch_seq)
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a remembered batch has no answer")))?;
        return Ok(Admission::Replay(replayed(stored, req, cursor)?));
    }
    if req.batch_seq < last.seq {
        return Ok(Admission::Stale);
    }
    if req.batch_seq != last.seq + 1 {
        return Err(ApiError::BatchOutOfOrder {
            expected: last.seq + 1,
            got: req.batch_seq,
        });
    }
    Ok(Admission::Apply)
}

/// The answer as stored: every result but those of ops applied exactly as
/// sent, which the batch itself implies (most of a batch, and 2,000 of
/// them cost more to write and store than the rest of the bookkeeping).
pub fn stored_answer(response: &PushResponse) -> ApiResult<String> {
    let stored = PushResponse {
        protocol: response.protocol,
        batch_seq: response.batch_seq,
        results: response
            .results
            .iter()
            .filter(|r| !is_plain(r))
            .cloned()
            .collect(),
        cursor: response.cursor,
    };
    serde_json::to_string(&stored).map_err(|e| ApiError::Internal(e.into()))
}

fn is_plain(result: &OpResult) -> bool {
    *result == applied_as_sent(result.op_id)
}

/// The result of an op applied exactly as sent: what a stored answer
/// leaves out and a replay puts back.
fn applied_as_sent(op_id: uuid::Uuid) -> OpResult {
    OpResult {
        op_id,
        status: OpStatus::Applied,
        refusal: None,
        message: None,
        lost_fields: Vec::new(),
        current: None,
    }
}

/// The stored answer to `req` as first given (with today's cursor): a
/// result per op, in op order, the stored one where there is one, else
/// applied as sent. Answers stored whole, before they were stored
/// compactly, name every op and come back unchanged.
fn replayed(stored: Value, req: &PushRequest, cursor: i64) -> ApiResult<PushResponse> {
    let stored: PushResponse = serde_json::from_value(stored).map_err(|e| ApiError::Internal(e.into()))?;
    let mut by_op: HashMap<_, OpResult> = stored.results.into_iter().map(|r| (r.op_id, r)).collect();
    let results = req
        .ops
        .iter()
        .map(|op| {
            by_op
                .remove(&op.op_id)
                .unwrap_or_else(|| applied_as_sent(op.op_id))
        })
        .collect();
    Ok(PushResponse {
        results,
        cursor,
        ..stored
    })
}
