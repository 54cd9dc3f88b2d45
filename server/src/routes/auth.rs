//! Token refresh, sign-out and password change (sign-in is in `login`).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use domain::api::{ChangePasswordRequest, LogoutRequest, RefreshRequest, TokenPair};
use domain::ids::{DeviceId, TenantId, UserId};
use domain::user::{Email, check_new_password};

use crate::app::AppState;
use crate::auth::PendingPasswordCaller;
use crate::auth::password;
use crate::auth::refresh::RefreshToken;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::services::session::{self, SessionFor};
use crate::throttle::Peer;

/// Trade a refresh token for a new pair. Each refresh token works once; a
/// second use ends the whole sign-in (the token was copied).
#[utoipa::path(
    post, path = "/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, body = domain::error::ErrorBody, description = "unauthorized, token_expired or refresh_token_reused"),
        (status = 403, body = domain::error::ErrorBody, description = "device_revoked: an admin removed this PC"),
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
    if !token.matches(&row.token_hash) {
        return Err(invalid);
    }
    // A removed PC hears so (its tokens were revoked with it), to erase
    // the clinic's data it keeps.
    if db::devices::revoked(&mut tx, row.device_id).await? {
        return Err(ApiError::DeviceRevoked);
    }
    if row.revoked_at.is_some() {
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
        (status = 429, body = domain::error::ErrorBody, description = "rate_limited (see Retry-After)"),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    peer: Peer,
    PendingPasswordCaller(caller): PendingPasswordCaller,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<axum::Json<TokenPair>> {
    let caller = caller.even_when_suspended();
    state.throttle.address(peer)?;
    // Read, then hash with no connection held, then write.
    let mut t = caller.clone().begin().await?;
    let user = db::users::by_id(&mut t.tx, t.auth.sub, false)
        .await?
        .ok_or(ApiError::Unauthorized("the account no longer exists"))?;
    t.commit().await?;
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
    let mut t = caller.begin().await?;
    // The password checked above must still be the current one.
    db::users::by_id(&mut t.tx, t.auth.sub, true)
        .await?
        .filter(|now| now.password_hash == user.password_hash)
        .ok_or(ApiError::InvalidCredentials)?;
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
