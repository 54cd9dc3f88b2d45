//! Clinic registration.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{RegisterClinicRequest, RegisterClinicResponse};

use crate::app::AppState;
use crate::auth::password;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::services;
use crate::services::session;
use crate::throttle::Peer;

/// Register a clinic: creates the tenant on the trial plan and its owner
/// (an admin, optionally also a doctor), and signs the owner in.
#[utoipa::path(
    post, path = "/clinics", tag = "clinics",
    request_body = RegisterClinicRequest,
    responses(
        (status = 201, body = RegisterClinicResponse),
        (status = 400, body = domain::error::ErrorBody, description = "malformed_json"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
        (status = 429, body = domain::error::ErrorBody, description = "rate_limited (see Retry-After)"),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    peer: Peer,
    ApiJson(req): ApiJson<RegisterClinicRequest>,
) -> ApiResult<(StatusCode, axum::Json<RegisterClinicResponse>)> {
    let valid = req.validate()?;
    state.throttle.registration(peer)?;
    let password_hash = password::hash(req.password).await.map_err(ApiError::Internal)?;
    let done = services::clinics::register(&state, &valid, &password_hash).await?;
    tracing::info!(tenant = %done.tenant.id, code = %done.tenant.code, "clinic registered");
    send_welcome(
        &state,
        valid.email.as_str(),
        &done.tenant.name,
        &done.tenant.code,
        &valid.owner_name,
    );
    let response = RegisterClinicResponse {
        tenant: done.tenant.view().map_err(ApiError::Internal)?,
        user: session::user_view(&done.owner)?,
        device_id: valid.device_id,
        device_secret: done.device_secret,
        access_token: done.tokens.access_token,
        refresh_token: done.tokens.refresh_token,
        expires_in: done.tokens.expires_in,
        number_slot: done.number_slot.and_then(|s| u8::try_from(s).ok()),
        settings: done.tenant.settings(),
    };
    Ok((StatusCode::CREATED, axum::Json(response)))
}

/// Mails the owner the clinic code: registration does not wait for (or
/// fail with) the mail server.
fn send_welcome(state: &AppState, to: &str, clinic_name: &str, code: &str, owner_name: &str) {
    crate::mail::send_in_background(
        state.mailer.as_deref(),
        to.to_owned(),
        format!("Welcome to {clinic_name}: your clinic code"),
        crate::mail::clinic_welcome(clinic_name, code, owner_name),
    );
}
