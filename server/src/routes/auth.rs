//! Sign-in, token refresh, sign-out and password change.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use domain::api::{
    ChangePasswordRequest, LoginRequest, LoginResponse, LogoutRequest, RefreshRequest, TokenPair,
};
use domain::ids::{DeviceId, TenantId, UserId};
use domain::tenant::TenantCode;
use domain::user::{Email, check_new_password};

use crate::app::AppState;
use crate::auth::extractor::PendingPasswordTx;
use crate::auth::password;
use crate::auth::refresh::RefreshToken;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::routes::session::{self, SessionFor};

/// Failed sign-ins that lock an account, the window they are counted in,
/// and how long the lock lasts.
const MAX_FAILURES: i64 = 5;
const FAILURE_WINDOW_MINUTES: i32 = 15;
const LOCK_MINUTES: i32 = 15;

/// Sign in to a clinic from a PC.
#[utoipa::path(
    post, path = "/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, body = domain::error::ErrorBody, description = "invalid_credentials"),
        (status = 423, body = domain::error::ErrorBody, description = "account_locked"),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<axum::Json<LoginResponse>> {
    // A code or e-mail that cannot exist is simply a failed sign-in.
    let (Ok(code), Ok(email)) = (TenantCode::parse(&req.clinic_code), Email::parse(&req.email)) else {
        password::burn_equal_time(req.password)
            .await
            .map_err(ApiError::Internal)?;
        return Err(ApiError::InvalidCredentials);
    };
    let mut tx = state.pool.begin().await?;
    let Some(tenant_id) = db::tenants::id_for_code(&mut tx, &code).await? else {
        password::burn_equal_time(req.password)
            .await
            .map_err(ApiError::Internal)?;
        return Err(ApiError::InvalidCredentials);
    };
    db::set_tenant(&mut tx, tenant_id).await?;
    let device = req.device_id.as_uuid();
    let Some(user) = db::users::by_email_for_update(&mut tx, email.as_str()).await? else {
        password::burn_equal_time(req.password)
            .await
            .map_err(ApiError::Internal)?;
        db::users::record_attempt(&mut tx, email.as_str(), None, Some(device), false).await?;
        tx.commit().await?;
        return Err(ApiError::InvalidCredentials);
    };
    if let Some(until) = user.locked_until.filter(|until| *until > Utc::now()) {
        db::users::record_attempt(&mut tx, email.as_str(), Some(user.id), Some(device), false).await?;
        tx.commit().await?;
        return Err(ApiError::AccountLocked(until));
    }
    let password_ok = password::verify(req.password, user.password_hash.clone())
        .await
        .map_err(ApiError::Internal)?;
    if !password_ok || !user.is_active {
        db::users::record_attempt(&mut tx, email.as_str(), Some(user.id), Some(device), false).await?;
        let failures = db::users::recent_failures(&mut tx, user.id, FAILURE_WINDOW_MINUTES).await?;
        if failures >= MAX_FAILURES {
            let until = db::users::lock_for(&mut tx, user.id, LOCK_MINUTES).await?;
            tracing::warn!(tenant = %tenant_id, user = %user.id, "account locked after failed sign-ins");
            tx.commit().await?;
            return Err(ApiError::AccountLocked(until));
        }
        tx.commit().await?;
        return Err(ApiError::InvalidCredentials);
    }
    db::users::record_attempt(&mut tx, email.as_str(), Some(user.id), Some(device), true).await?;
    db::users::mark_signed_in(&mut tx, user.id).await?;
    if !db::sessions::touch_device(&mut tx, device, user.id).await? {
        tx.commit().await?;
        return Err(ApiError::Forbidden("this PC has been removed from the clinic"));
    }
    let number_slot = db::sessions::number_slot(&mut tx, device).await?;
    let role = session::role_of(&user)?;
    let tokens = session::issue(
        &mut tx,
        &state,
        SessionFor {
            tenant: tenant_id,
            user: UserId::from_uuid(user.id),
            role,
            device: req.device_id,
            must_change_password: user.must_change_password,
            family: None,
        },
    )
    .await?;
    let tenant = db::tenants::current(&mut tx, false).await?;
    tx.commit().await?;
    Ok(axum::Json(LoginResponse {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        expires_in: tokens.expires_in,
        user: session::user_view(&user)?,
        tenant: tenant.view().map_err(ApiError::Internal)?,
        must_change_password: user.must_change_password,
        number_slot: number_slot.and_then(|s| u8::try_from(s).ok()),
        settings: tenant.settings(),
    }))
}

/// Trade a refresh token for a new pair. Each refresh token works once; a
/// second use ends the whole sign-in (the token was copied).
#[utoipa::path(
    post, path = "/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, body = domain::error::ErrorBody, description = "unauthorized, token_expired or refresh_token_reused"),
    )
)]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<axum::Json<TokenPair>> {
    let invalid = ApiError::Unauthorized("the refresh token is not valid");
    let token = RefreshToken::parse(&req.refresh_token)
        .ok_or(ApiError::Unauthorized("the refresh token is not valid"))?;
    let mut tx = state.pool.begin().await?;
    db::set_tenant(&mut tx, token.tenant).await?;
    let Some(row) = db::sessions::refresh_for_update(&mut tx, token.id).await? else {
        return Err(invalid);
    };
    if !token.matches(&row.token_hash) || row.revoked_at.is_some() {
        return Err(invalid);
    }
    if row.used_at.is_some() {
        let revoked = db::sessions::revoke_family(&mut tx, row.family_id).await?;
        tx.commit().await?;
        tracing::warn!(tenant = %token.tenant, family = %row.family_id, revoked, "refresh token reuse: sign-in revoked");
        return Err(ApiError::RefreshTokenReused);
    }
    if row.expires_at <= Utc::now() {
        return Err(ApiError::TokenExpired);
    }
    if db::sessions::device_revoked(&mut tx, row.device_id).await? {
        return Err(ApiError::Forbidden("this PC has been removed from the clinic"));
    }
    let user = db::users::by_id(&mut tx, UserId::from_uuid(row.user_id), false)
        .await?
        .filter(|u| u.is_active)
        .ok_or(invalid)?;
    db::sessions::mark_used(&mut tx, row.id).await?;
    let pair = session::issue(
        &mut tx,
        &state,
        SessionFor {
            tenant: token.tenant,
            user: UserId::from_uuid(user.id),
            role: session::role_of(&user)?,
            device: DeviceId::from_uuid(row.device_id),
            must_change_password: user.must_change_password,
            family: Some(row.family_id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(pair))
}

/// Sign out: ends the sign-in the refresh token belongs to.
#[utoipa::path(
    post, path = "/auth/logout", tag = "auth",
    request_body = LogoutRequest,
    responses((status = 204), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn logout(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LogoutRequest>,
) -> ApiResult<StatusCode> {
    let token = RefreshToken::parse(&req.refresh_token)
        .ok_or(ApiError::Unauthorized("the refresh token is not valid"))?;
    let mut tx = state.pool.begin().await?;
    db::set_tenant(&mut tx, token.tenant).await?;
    let row = db::sessions::refresh_for_update(&mut tx, token.id)
        .await?
        .filter(|row| token.matches(&row.token_hash))
        .ok_or(ApiError::Unauthorized("the refresh token is not valid"))?;
    db::sessions::revoke_family(&mut tx, row.family_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change the signed-in user's password. Required first after signing in
/// with a temporary password. Ends every other sign-in of the user and
/// returns a fresh token pair for this PC.
#[utoipa::path(
    post, path = "/auth/password", tag = "auth",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TokenPair),
        (status = 401, body = domain::error::ErrorBody, description = "invalid_credentials"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    PendingPasswordTx(mut t): PendingPasswordTx,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<axum::Json<TokenPair>> {
    let user = db::users::by_id(&mut t.tx, t.auth.sub, true)
        .await?
        .ok_or(ApiError::Unauthorized("the account no longer exists"))?;
    let email = Email::parse(&user.email)?;
    check_new_password(&req.new_password, Some(&email))?;
    if req.new_password == req.current_password {
        return Err(ApiError::field(
            "new_password",
            "must differ from the current password",
        ));
    }
    let current_ok = password::verify(req.current_password, user.password_hash.clone())
        .await
        .map_err(ApiError::Internal)?;
    if !current_ok {
        return Err(ApiError::InvalidCredentials);
    }
    let new_hash = password::hash(req.new_password)
        .await
        .map_err(ApiError::Internal)?;
    db::users::set_password(&mut t.tx, user.id, &new_hash).await?;
    db::sessions::revoke_user(&mut t.tx, user.id).await?;
    let pair = session::issue(
        &mut t.tx,
        &state,
        SessionFor {
            tenant: TenantId::from_uuid(t.auth.tid.as_uuid()),
            user: t.auth.sub,
            role: t.auth.role,
            device: t.auth.did,
            must_change_password: false,
            family: None,
        },
    )
    .await?;
    t.commit().await?;
    Ok(axum::Json(pair))
}
