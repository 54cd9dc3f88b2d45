//! Staff of every role: an admin adds them (a temporary password, shown
//! once and e-mailed), lists them, and changes a role or deactivates.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::api::{CreateStaffRequest, CreateStaffResponse, StaffView, UpdateStaffRequest};
use domain::ids::UserId;
use domain::user::Role;

use crate::app::AppState;
use crate::auth::Caller;
use crate::auth::password;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::mail;
use crate::services;

/// Add a person of any role (admin only). A doctor also sends `doctor`,
/// the professional details (offices: exactly one primary, unique ids),
/// and counts against the plan's doctors; the other roles must not send
/// it (422).
#[utoipa::path(
    post, path = "/staff", tag = "staff",
    request_body = CreateStaffRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreateStaffResponse),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden, plan_limit_reached or tenant_inactive"),
        (status = 409, body = domain::error::ErrorBody, description = "conflict: the e-mail or licence number is taken"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<CreateStaffRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreateStaffResponse>)> {
    caller.require(&[Role::Admin])?;
    let valid = req.validate()?;
    let (temporary_password, password_hash) =
        password::temporary_hashed().await.map_err(ApiError::Internal)?;
    let mut t = caller.begin().await?;
    let (person, tenant) = services::staff::add(&mut t, &valid, &password_hash).await?;
    t.commit().await?;
    let welcome = mail::Welcome {
        clinic_name: &tenant.name,
        clinic_code: &tenant.code,
        full_name: valid.full_name(),
        email: valid.email().as_str(),
    };
    let email_sent = mail::send_account_welcome(state.mailer.as_deref(), &welcome, &temporary_password).await;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreateStaffResponse {
            staff: person.view().map_err(ApiError::Internal)?,
            temporary_password,
            email_sent,
        }),
    ))
}

/// Everyone in the clinic, active first (admin only: it lists e-mails and
/// sign-in activity).
#[utoipa::path(
    get, path = "/staff", tag = "staff",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<StaffView>),
        (status = 401, body = domain::error::ErrorBody),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden"),
    )
)]
pub async fn list(caller: Caller) -> ApiResult<axum::Json<Vec<StaffView>>> {
    caller.require(&[Role::Admin])?;
    let mut t = caller.begin().await?;
    let rows = db::staff::list(&mut t.tx).await?;
    t.commit().await?;
    let views = rows.iter().map(|r| r.view()).collect::<anyhow::Result<Vec<_>>>();
    Ok(axum::Json(views.map_err(ApiError::Internal)?))
}

/// Change a person's role and/or deactivate or reactivate them (admin
/// only). Their sign-ins end at once. Refused with 422: a change naming
/// neither, leaving the clinic without an active admin, deactivating
/// yourself, a doctor becoming front-desk staff or someone without a
/// doctor profile becoming a doctor.
#[utoipa::path(
    patch, path = "/staff/{user_id}", tag = "staff",
    params(("user_id" = String, Path, description = "the person's user id")),
    request_body = UpdateStaffRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = StaffView),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden or plan_limit_reached"),
        (status = 404, body = domain::error::ErrorBody),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed, e.g. the last admin"),
    )
)]
pub async fn update(
    caller: Caller,
    Path(user_id): Path<String>,
    ApiJson(req): ApiJson<UpdateStaffRequest>,
) -> ApiResult<axum::Json<StaffView>> {
    caller.require(&[Role::Admin])?;
    let user = UserId::parse(&user_id).map_err(|_| ApiError::NotFound("staff member"))?;
    req.validate()?;
    let mut t = caller.begin().await?;
    let person = services::staff::update(&mut t, user, &req).await?;
    t.commit().await?;
    Ok(axum::Json(person.view().map_err(ApiError::Internal)?))
}
