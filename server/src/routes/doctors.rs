//! Doctors: an admin adds them (with a temporary password sent by e-mail);
//! everyone in the clinic can list them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::api::{CreateDoctorRequest, CreateDoctorResponse, DoctorView, UpdateDoctorRequest};
use domain::ids::DoctorId;
use domain::user::Role;

use crate::app::AppState;
use crate::auth::Caller;
use crate::auth::password;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::mail;
use crate::services;

fn parse_id(raw: &str) -> ApiResult<DoctorId> {
    DoctorId::parse(raw).map_err(|_| ApiError::NotFound("doctor"))
}

/// Add a doctor (admin only): creates the doctor's account with a temporary
/// password, shown once here and e-mailed to the doctor.
#[utoipa::path(
    post, path = "/doctors", tag = "doctors",
    request_body = CreateDoctorRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreateDoctorResponse),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden or plan_limit_reached"),
        (status = 409, body = domain::error::ErrorBody, description = "conflict"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<CreateDoctorRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreateDoctorResponse>)> {
    caller.require(&[Role::Admin])?;
    let valid = req.validate()?;
    let (temporary_password, password_hash) =
        password::temporary_hashed().await.map_err(ApiError::Internal)?;
    let mut t = caller.begin().await?;
    let (doctor, tenant) = services::doctors::add(&mut t, &valid, &password_hash).await?;
    t.commit().await?;

    let welcome = mail::Welcome {
        clinic_name: &tenant.name,
        clinic_code: &tenant.code,
        full_name: &valid.full_name,
        email: valid.email.as_str(),
    };
    let email_sent = mail::send_account_welcome(state.mailer.as_deref(), &welcome, &temporary_password).await;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreateDoctorResponse {
            doctor: doctor.view().map_err(ApiError::Internal)?,
            temporary_password,
            email_sent,
        }),
    ))
}

/// The clinic's doctors.
#[utoipa::path(
    get, path = "/doctors", tag = "doctors",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DoctorView>), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn list(caller: Caller) -> ApiResult<axum::Json<Vec<DoctorView>>> {
    let mut t = caller.begin().await?;
    let rows = db::doctors::list(&mut t.tx).await?;
    t.commit().await?;
    let views = rows
        .into_iter()
        .map(|r| r.view())
        .collect::<anyhow::Result<Vec<_>>>();
    Ok(axum::Json(views.map_err(ApiError::Internal)?))
}

/// One doctor of the clinic.
#[utoipa::path(
    get, path = "/doctors/{id}", tag = "doctors",
    params(("id" = String, Path, description = "doctor id")),
    security(("bearer" = [])),
    responses((status = 200, body = DoctorView), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn get_one(caller: Caller, Path(id): Path<String>) -> ApiResult<axum::Json<DoctorView>> {
    let mut t = caller.begin().await?;
    let id = parse_id(&id)?;
    let row = db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("doctor"))?;
    t.commit().await?;
    Ok(axum::Json(row.view().map_err(ApiError::Internal)?))
}

/// Change a doctor's professional details, offices or availability (an
/// admin, or the doctor for their own record).
#[utoipa::path(
    patch, path = "/doctors/{id}", tag = "doctors",
    params(("id" = String, Path, description = "doctor id")),
    request_body = UpdateDoctorRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = DoctorView),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden or plan_limit_reached"),
        (status = 404, body = domain::error::ErrorBody),
        (status = 409, body = domain::error::ErrorBody, description = "conflict: another doctor has this licence number"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn update(
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateDoctorRequest>,
) -> ApiResult<axum::Json<DoctorView>> {
    let id = parse_id(&id)?;
    let valid = req.validate()?;
    let mut t = caller.begin().await?;
    let row = services::doctors::update(&mut t, id, &valid).await?;
    t.commit().await?;
    Ok(axum::Json(row.view().map_err(ApiError::Internal)?))
}
