//! Values that lost field-level last-writer-wins, waiting for a person:
//! listed for review and marked reviewed.

use axum::extract::Path;
use axum::http::StatusCode;
use domain::clinical::review::needs_review;
use domain::user::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;

#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictView {
    pub id: Uuid,
    pub table: String,
    pub row_id: Uuid,
    pub field: String,
    /// The value the field holds (any JSON value, `null` included).
    pub kept_value: serde_json::Value,
    /// The value that lost (any JSON value, `null` included).
    pub lost_value: serde_json::Value,
    pub lost_by: Uuid,
    pub lost_by_name: Option<String>,
    /// The PC the lost value was written on.
    pub lost_on_device: Option<Uuid>,
    pub lost_on_device_name: Option<String>,
    /// When the server found it had lost.
    pub detected_at: chrono::DateTime<chrono::Utc>,
    /// Who wrote the kept value, on which PC, when it reached the server.
    pub kept_by_name: Option<String>,
    pub kept_on_device: Option<Uuid>,
    pub kept_on_device_name: Option<String>,
    pub kept_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Values of clinical fields (allergies, diagnoses, notes, doses, chart
/// observations) that lost to a newer write and wait for a person to
/// review, with who wrote each value on which PC and when.
#[utoipa::path(
    get, path = "/sync/conflicts", tag = "sync",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<ConflictView>))
)]
pub async fn conflicts(caller: Caller) -> ApiResult<axum::Json<Vec<ConflictView>>> {
    let mut t = caller.begin().await?;
    let rows = db::sync::open_conflicts(&mut t.tx).await?;
    t.commit().await?;
    Ok(axum::Json(
        rows.into_iter()
            .filter(|r| needs_review(&r.table_name, &r.field))
            .map(|r| ConflictView {
                id: r.id,
                table: r.table_name,
                row_id: r.row_id,
                field: r.field,
                kept_value: r.winning_value.map(|v| v.0).unwrap_or_default(),
                lost_value: r.losing_value.map(|v| v.0).unwrap_or_default(),
                lost_by: r.losing_user_id,
                lost_by_name: r.lost_by_name,
                lost_on_device: r.lost_device_id,
                lost_on_device_name: r.lost_device_name,
                detected_at: r.detected_at,
                kept_by_name: r.kept_by_name,
                kept_on_device: r.kept_device_id,
                kept_on_device_name: r.kept_device_name,
                kept_at: r.kept_at,
            })
            .collect(),
    ))
}

/// What the reviewer decided: keep the value that won, or restore the
/// losing one (the PC then writes it again as a new change).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    KeptWinner,
    RestoredLoser,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub resolution: Resolution,
}

/// Mark a conflict reviewed. It leaves the open list; the log of who
/// reviewed it and how stays.
#[utoipa::path(
    post, path = "/sync/conflicts/{id}/review", tag = "sync",
    params(("id" = String, Path, format = Uuid, description = "The conflict's id")),
    request_body = ReviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "reviewed"),
        (status = 404, body = domain::error::ErrorBody, description = "not_found: no open conflict with this id"),
    )
)]
pub async fn review(
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> ApiResult<StatusCode> {
    caller.require(&[Role::Admin, Role::Doctor])?;
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("open conflict"))?;
    let mut t = caller.begin().await?;
    let resolution = match req.resolution {
        Resolution::KeptWinner => "kept_winner",
        Resolution::RestoredLoser => "restored_loser",
    };
    if !db::sync::resolve_conflict(&mut t.tx, id, resolution, t.auth.sub.as_uuid()).await? {
        return Err(ApiError::NotFound("open conflict"));
    }
    // Every server process forgets the clinic's idle pulls, whose count of
    // conflicts waiting for review just fell.
    db::operator::wake_clinic(&mut t.tx, t.auth.tid.as_uuid()).await?;
    t.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
