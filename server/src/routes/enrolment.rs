//! Enrolling PCs (IT's presets): an admin makes a one-time code (shown
//! once, valid seven days); a PC that starts with it in its preset file
//! joins the clinic, named, with its device secret, before anyone signs in.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::api::{
    CreateEnrolmentRequest, ENROLMENT_DAYS, ENROLMENT_SECRET_LEN, EnrolRequest, EnrolResponse, EnrolmentCode,
};
use domain::user::Role;

use crate::app::AppState;
use crate::auth::Caller;
use crate::db;
use crate::db::enrolments::Enrolled;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::throttle::Peer;

/// Make a one-time code that enrols a new PC (admin only). The code is in
/// this answer only: the server keeps its hash.
#[utoipa::path(
    post, path = "/devices/enrolments", tag = "devices",
    request_body = CreateEnrolmentRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = EnrolmentCode),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden: admins only"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn create(
    caller: Caller,
    ApiJson(req): ApiJson<CreateEnrolmentRequest>,
) -> ApiResult<(StatusCode, axum::Json<EnrolmentCode>)> {
    caller.require(&[Role::Admin])?;
    // A suspended clinic still reads its records, on a new PC too.
    let caller = caller.even_when_suspended();
    let name = req.validate()?;
    let admin = caller.auth.sub;
    let mut t = caller.begin().await?;
    let clinic = db::tenants::current(&mut t.tx, false).await?;
    let secret = db::enrolments::new_code_secret(ENROLMENT_SECRET_LEN);
    let expires_at = Utc::now() + Duration::days(ENROLMENT_DAYS);
    db::enrolments::create(&mut t.tx, &secret, name.as_deref(), admin.as_uuid(), expires_at).await?;
    t.commit().await?;
    tracing::info!(by = %admin, "enrolment code made");
    Ok((
        StatusCode::CREATED,
        axum::Json(EnrolmentCode {
            code: format!("{}.{secret}", clinic.code),
            expires_at,
            name,
        }),
    ))
}

/// A PC joins the clinic with the code from its preset file. A code works
/// once and for seven days; every refusal says why.
#[utoipa::path(
    post, path = "/devices/enrol", tag = "devices",
    request_body = EnrolRequest,
    responses(
        (status = 201, body = EnrolResponse),
        (status = 403, body = domain::error::ErrorBody, description = "device_revoked: the clinic removed this PC"),
        (status = 404, body = domain::error::ErrorBody, description = "not_found: no such enrolment code"),
        (status = 409, body = domain::error::ErrorBody, description = "conflict: the code was used already, or has expired"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed: not an enrolment code, or a bad name"),
        (status = 429, body = domain::error::ErrorBody, description = "rate_limited (see Retry-After)"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(device = %req.device_id))]
pub async fn enrol(
    State(state): State<AppState>,
    peer: Peer,
    ApiJson(req): ApiJson<EnrolRequest>,
) -> ApiResult<(StatusCode, axum::Json<EnrolResponse>)> {
    state
        .throttle
        .sign_in(peer, req.code.split('.').next().unwrap_or_default())?;
    let (clinic_code, secret, name) = req.validate()?;
    let unknown = ApiError::NotFound("enrolment code");
    let tenant = {
        let mut lookup = state.pool.begin().await?;
        let tenant = db::tenants::id_for_code(&mut lookup, &clinic_code).await?;
        lookup.commit().await?;
        tenant.ok_or(unknown)?
    };
    let _share = state.gate.enter(tenant.as_uuid()).await?;
    let mut tx = state.pool.begin().await?;
    db::set_tenant(&mut tx, tenant).await?;
    let enrolment = db::enrolments::find_for_update(&mut tx, &secret)
        .await?
        .ok_or(ApiError::NotFound("enrolment code"))?;
    if let Some(used) = enrolment.used_at {
        return Err(ApiError::Conflict(format!(
            "this enrolment code was used on {}; ask the clinic's admin for a new one",
            used.format("%Y-%m-%d")
        )));
    }
    if enrolment.expires_at <= Utc::now() {
        return Err(ApiError::Conflict(format!(
            "this enrolment code expired on {}; ask the clinic's admin for a new one",
            enrolment.expires_at.format("%Y-%m-%d")
        )));
    }
    let device = req.device_id.as_uuid();
    let device_name = enrolment.name.clone().unwrap_or(name);
    let device_secret = match db::enrolments::enrol(&mut tx, enrolment.id, device, &device_name).await? {
        Enrolled::Secret(secret) => secret,
        Enrolled::Revoked => return Err(ApiError::DeviceRevoked),
    };
    db::devices::number_slot(&mut tx, device, true).await?;
    let clinic = db::tenants::current(&mut tx, false).await?;
    tx.commit().await?;
    tracing::info!(tenant = %tenant, "PC enrolled");
    Ok((
        StatusCode::CREATED,
        axum::Json(EnrolResponse {
            clinic_code: clinic.code,
            clinic_name: clinic.name,
            device_name,
            device_secret,
        }),
    ))
}
