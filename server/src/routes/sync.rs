//! Sync endpoints: push a batch, pull the log, first-sync snapshot, live
//! events and the conflicts waiting for review.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::sync::{
    Change, Hlc, MAX_PULL_LIMIT, OpKind, PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse,
    SequenceMoved,
};
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::auth::Caller;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, ApiQuery};
use crate::sync::idle::{IdleAnswer, IdleAsk};
use crate::sync::{apply, snapshot};

/// Apply a batch of a PC's outbox. Idempotent per (device, batch_seq).
#[utoipa::path(
    post, path = "/sync/push", tag = "sync",
    request_body = PushRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = PushResponse, description = "one result per op: applied, merged or refused"),
        (status = 400, body = domain::error::ErrorBody, description = "unsupported_protocol_version"),
        (status = 409, body = domain::error::ErrorBody, description = "a batch was skipped"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"),
    fields(tenant = %caller.auth.tid, device = %caller.auth.did, batch_seq = req.batch_seq, ops = req.ops.len()))]
pub async fn push(caller: Caller, ApiJson(req): ApiJson<PushRequest>) -> ApiResult<axum::Json<PushResponse>> {
    let mut t = caller.begin().await?;
    let response = apply::push(&mut t.tx, &t.auth, &req).await?;
    t.commit().await?;
    Ok(axum::Json(response))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullParams {
    /// The cursor of the last pull: the `seq` of the last change applied
    /// (0 for everything; sequences start at 1).
    #[param(minimum = 0)]
    pub since: i64,
    /// Page size, 1 to 5000 (default 1000); outside that it is refused.
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    /// The PC's app version, for the admin's list of PCs. A report, not a
    /// request: anything but 1 to 40 letters, digits, `.`, `+` or `-` is
    /// ignored rather than refused, so a PC's sync never fails on it.
    pub app_version: Option<String>,
    /// Changes made on the PC and not yet sent, for the admin's list
    /// (ignored when negative, for the same reason).
    pub pending: Option<i32>,
    /// The clinic's epoch the PC's cursor belongs to (from its last pull or
    /// snapshot). Another epoch means the clinic was restored from a
    /// backup since: the answer is `snapshot_required`.
    pub epoch: Option<uuid::Uuid>,
}

/// The clinic's changes after `since`, oldest first.
#[utoipa::path(
    get, path = "/sync/pull", tag = "sync",
    params(PullParams),
    security(("bearer" = [])),
    responses((status = 200, body = PullResponse))
)]
#[tracing::instrument(skip_all, err(level = "info"),
    fields(tenant = %caller.auth.tid, device = %caller.auth.did, since = params.since))]
pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<PullParams>,
) -> ApiResult<Response> {
    if params.since < 0 {
        return Err(ApiError::field("since", "must be 0 or more"));
    }
    let limit = params.limit.unwrap_or(1000);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            &format!("must be between 1 and {MAX_PULL_LIMIT}"),
        ));
    }
    let report = domain::api::DeviceReport {
        app_version: params.app_version.as_deref(),
        pending_changes: params.pending,
    }
    .checked();
    let tenant = caller.auth.tid.as_uuid();
    let idle_ask = IdleAsk {
        tenant,
        device: caller.auth.did.as_uuid(),
        since: params.since,
        epoch: params.epoch,
        app_version: report.app_version.map(str::to_owned),
        pending: report.pending_changes,
    };
    let idle = state.notifier.idle().clone();
    if caller.known_live()
        && let Some(body) = idle.answer(&idle_ask)
    {
        sweep_if_due(&state, caller);
        return Ok(([(CONTENT_TYPE, "application/json")], body).into_response());
    }
    let stamp = idle.stamp(tenant);
    let sweeper = caller.clone();
    let (t, page) = caller
        .begin_pull()
        .await?
        .page(db::pull::Ask {
            since: params.since,
            limit,
            epoch: params.epoch,
            report,
        })
        .await?;
    // Only for a caller known to be live, so a refused one cannot use up
    // the clinic's hourly sweep.
    sweep_if_due(&state, sweeper);
    let position = page.position;
    // A cursor from before a purge, from the future or from another epoch
    // (the clinic was restored since) cannot continue: take a snapshot.
    if !page.continues {
        return Ok(axum::Json(PullResponse {
            protocol: PROTOCOL_VERSION,
            changes: Vec::new(),
            cursor: params.since,
            has_more: false,
            snapshot_required: true,
            open_conflicts: None,
            epoch: Some(position.epoch),
            standing: Some(page.standing),
        })
        .into_response());
    }
    let (logged, standing) = (page.changes, page.standing);
    let cursor = logged.last().map_or(params.since, |c| c.seq);
    let has_more = cursor < position.last_seq;
    // The last page says how many clinical values wait for review.
    let open_conflicts = page.open_conflicts.map(|fields| {
        fields
            .iter()
            .filter(|(table, field)| domain::clinical::review::needs_review(table, field))
            .count() as i64
    });
    t.commit().await?;
    if let Some(stamp) = stamp
        && logged.is_empty()
        && params.since == position.last_seq
    {
        let answer = IdleAnswer {
            epoch: position.epoch,
            open_conflicts,
            standing: standing.clone(),
        };
        idle.remember(idle_ask, answer, stamp);
    }
    let changes = logged
        .into_iter()
        .map(|c| {
            Ok(Change {
                seq: c.seq,
                kind: OpKind::parse(&c.op).unwrap_or(OpKind::Update),
                table: c.table_name,
                row_id: c.row_id,
                global: c.global,
                fields: c.changes.0,
                hlc: Hlc::parse(&c.hlc)
                    .map_err(|e| ApiError::Internal(anyhow::anyhow!("bad hlc in log: {e}")))?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(axum::Json(PullResponse {
        protocol: PROTOCOL_VERSION,
        has_more,
        changes,
        cursor,
        snapshot_required: false,
        open_conflicts,
        epoch: Some(position.epoch),
        standing: Some(standing),
    })
    .into_response())
}

/// Starts the clinic's hourly sweep of expired holds when it is due.
fn sweep_if_due(state: &AppState, caller: Caller) {
    if state.expiry.take_due(caller.auth.tid.as_uuid()) {
        tokio::spawn(crate::sync::expiry::sweep_clinic(caller));
    }
}

/// Every current row of the clinic as NDJSON: a `SnapshotHeader` line
/// (cursor, total rows), then one `SnapshotRow` per line. Pull from the
/// header's cursor afterwards.
#[utoipa::path(
    get, path = "/sync/snapshot", tag = "sync",
    security(("bearer" = [])),
    responses((status = 200, content_type = "application/x-ndjson", body = String))
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, device = %caller.auth.did))]
pub async fn snapshot(caller: Caller) -> ApiResult<Response> {
    caller.still_live().await?;
    let share = caller.enter().await?;
    let body = snapshot::stream(caller.pool(), &caller.auth, share).await?;
    Ok(([(CONTENT_TYPE, "application/x-ndjson")], body).into_response())
}

/// Server-sent events: `moved` with `{"cursor": N}` whenever the clinic's
/// change sequence moves. Clients then pull. The stream ends when its
/// access token expires or its sign-in ends; the client reconnects with a
/// fresh token.
#[utoipa::path(
    get, path = "/sync/events", tag = "sync",
    security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", body = SequenceMoved))
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, device = %caller.auth.did))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    caller.still_live().await?;
    let watch = Watch {
        receiver: state.notifier.subscribe(caller.auth.tid.as_uuid()),
        check: tokio::time::interval_at(tokio::time::Instant::now() + LIVE_CHECK, LIVE_CHECK),
        caller,
    };
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        watch.next().await.map(|event| (Ok(event), watch))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// How often an open event stream checks its token and sign-in.
const LIVE_CHECK: Duration = Duration::from_secs(5);

/// One event stream: the clinic's moves, until the caller's token or
/// sign-in ends.
struct Watch {
    receiver: tokio::sync::broadcast::Receiver<crate::sync::events::Moved>,
    check: tokio::time::Interval,
    caller: Caller,
}

impl Watch {
    async fn next(&mut self) -> Option<Event> {
        loop {
            tokio::select! {
                // The receiver is the caller's clinic's own channel.
                received = self.receiver.recv() => match received {
                    Ok(moved) => {
                        let data = serde_json::to_string(&SequenceMoved { cursor: moved.cursor })
                            .unwrap_or_default();
                        return Some(Event::default().event("moved").data(data));
                    }
                    // Fell behind: any later event tells the PC to pull anyway.
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                },
                _ = self.check.tick() => {
                    if chrono::Utc::now().timestamp() >= self.caller.auth.exp
                        || self.caller.still_live().await.is_err()
                    {
                        return None;
                    }
                }
            }
        }
    }
}

/// Record views, prints and exports made on a PC in the clinic's audit
/// trail. Idempotent per event id; who and which PC come from the token.
#[utoipa::path(
    post, path = "/sync/audit", tag = "sync",
    request_body = domain::api::AuditBatch,
    security(("bearer" = [])),
    responses(
        (status = 200, body = domain::api::AuditAccepted),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn audit(
    caller: Caller,
    ApiJson(batch): ApiJson<domain::api::AuditBatch>,
) -> ApiResult<axum::Json<domain::api::AuditAccepted>> {
    batch.validate(chrono::Utc::now()).map_err(ApiError::Validation)?;
    // Who read what is recorded whatever the clinic's standing.
    let mut t = caller.even_when_suspended().begin().await?;
    let (user, device) = (t.auth.sub.as_uuid(), t.auth.did.as_uuid());
    let recorded = db::audit::record(&mut t.tx, user, device, &batch.events).await?;
    t.commit().await?;
    Ok(axum::Json(domain::api::AuditAccepted { recorded }))
}
