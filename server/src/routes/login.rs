//! Sign-in. The password is checked with no database connection held
//! (argon2 takes tens of milliseconds by design), and every refusal looks
//! the same: an unknown clinic, an unknown e-mail, a wrong password, a
//! locked or a deactivated account all answer `401 invalid_credentials`
//! after the same amount of work, so accounts cannot be enumerated.

use axum::extract::State;
use chrono::Utc;
use domain::api::{LoginRequest, LoginResponse};
use domain::ids::{DeviceId, TenantId, UserId};
use domain::tenant::TenantCode;
use domain::user::{Email, Role};

use crate::app::AppState;
use crate::auth::password;
use crate::db::devices::DeviceCheck;
use crate::db::{self, users::UserRow};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::services::session::{self, SessionFor};
use crate::throttle::Peer;

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
        (status = 401, body = domain::error::ErrorBody, description = "invalid_credentials: wrong code, e-mail or password, or the account is locked or deactivated"),
        (status = 401, body = domain::error::ErrorBody, description = "device_unverified: the PC is known here and did not present its device secret"),
        (status = 403, body = domain::error::ErrorBody, description = "device_revoked: an admin removed this PC from the clinic"),
        (status = 429, body = domain::error::ErrorBody, description = "rate_limited (see Retry-After)"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(device = %req.device_id))]
pub async fn login(
    State(state): State<AppState>,
    peer: Peer,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<axum::Json<LoginResponse>> {
    state.throttle.sign_in(peer, &req.clinic_code)?;
    let (Ok(code), Ok(email)) = (TenantCode::parse(&req.clinic_code), Email::parse(&req.email)) else {
        return refuse(req.password).await;
    };
    let Some((tenant, account)) = find_account(&state, &code, &email).await? else {
        return refuse(req.password).await;
    };
    let password_ok = match &account {
        Some(user) if is_open(user) => password::verify(req.password, user.password_hash.clone())
            .await
            .map_err(ApiError::Internal)?,
        _ => {
            password::burn_equal_time(req.password)
                .await
                .map_err(ApiError::Internal)?;
            false
        }
    };
    let _share = state.gate.enter(tenant.as_uuid()).await?;
    let mut tx = state.pool.begin().await?;
    db::set_tenant(&mut tx, tenant).await?;
    // Re-read under a row lock: a lock, deactivation or new password that
    // landed while the hash was being checked wins.
    let current = db::users::by_email(&mut tx, email.as_str(), true).await?;
    let user = match current {
        Some(user)
            if password_ok
                && is_open(&user)
                && account
                    .as_ref()
                    .is_some_and(|a| a.password_hash == user.password_hash) =>
        {
            user
        }
        other => {
            record_failure(&state, &mut tx, &email, other.as_ref(), req.device_id).await?;
            tx.commit().await?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let device = req.device_id.as_uuid();
    let device_secret =
        match db::devices::check_in(&mut tx, device, user.id, req.device_secret.as_deref()).await? {
            DeviceCheck::Verified => None,
            DeviceCheck::Issued(secret) => Some(secret),
            DeviceCheck::Revoked => return Err(ApiError::DeviceRevoked),
            DeviceCheck::Unverified => {
                tracing::warn!(user = %user.id, %device, "sign-in claimed a known PC without its secret");
                return Err(ApiError::DeviceUnverified);
            }
        };
    db::users::record_attempt(&mut tx, email.as_str(), Some(user.id), Some(device), true).await?;
    db::users::mark_signed_in(&mut tx, user.id).await?;
    let role = session::role_of(&user)?;
    let number_slot = db::devices::number_slot(&mut tx, device, role == Role::Admin).await?;
    let tokens = session::issue(
        &mut tx,
        &state,
        SessionFor {
            tenant,
            user: UserId::from_uuid(user.id),
            role,
            device: req.device_id,
            must_change_password: user.must_change_password,
            family: None,
        },
    )
    .await?;
    let clinic = db::tenants::current(&mut tx, false).await?;
    tx.commit().await?;
    Ok(axum::Json(LoginResponse {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        expires_in: tokens.expires_in,
        user: session::user_view(&user)?,
        tenant: clinic.view().map_err(ApiError::Internal)?,
        must_change_password: user.must_change_password,
        device_secret,
        number_slot: number_slot.and_then(|s| u8::try_from(s).ok()),
        settings: clinic.settings(),
    }))
}

/// Active and not locked: the only accounts whose password is checked.
fn is_open(user: &UserRow) -> bool {
    user.is_active && user.locked_until.is_none_or(|until| until <= Utc::now())
}

/// The clinic of `code` and its user with `email`, read in a short
/// transaction that is over before any hashing starts.
async fn find_account(
    state: &AppState,
    code: &TenantCode,
    email: &Email,
) -> ApiResult<Option<(TenantId, Option<UserRow>)>> {
    let mut tx = state.pool.begin().await?;
    let Some(tenant) = db::tenants::id_for_code(&mut tx, code).await? else {
        return Ok(None);
    };
    db::set_tenant(&mut tx, tenant).await?;
    let user = db::users::by_email(&mut tx, email.as_str(), false).await?;
    tx.commit().await?;
    Ok(Some((tenant, user)))
}

/// The answer to a sign-in that names no clinic: as slow as a real one.
async fn refuse(password: String) -> ApiResult<axum::Json<LoginResponse>> {
    password::burn_equal_time(password)
        .await
        .map_err(ApiError::Internal)?;
    Err(ApiError::InvalidCredentials)
}

/// Counts the failure; the fifth in the window locks the account and
/// tells its owner by e-mail (the answer to the caller stays the same).
async fn record_failure(
    state: &AppState,
    tx: &mut db::Tx,
    email: &Email,
    user: Option<&UserRow>,
    device: DeviceId,
) -> ApiResult<()> {
    let device = Some(device.as_uuid());
    db::users::record_attempt(tx, email.as_str(), user.map(|u| u.id), device, false).await?;
    let Some(user) = user.filter(|u| is_open(u)) else {
        return Ok(());
    };
    let failures = db::users::recent_failures(tx, user.id, FAILURE_WINDOW_MINUTES).await?;
    if failures >= MAX_FAILURES {
        let until = db::users::lock_for(tx, user.id, LOCK_MINUTES).await?;
        tracing::warn!(user = %user.id, "account locked after failed sign-ins");
        crate::mail::send_in_background(
            state.mailer.as_deref(),
            user.email.clone(),
            "Your clinic account is locked for 15 minutes".to_owned(),
            crate::mail::account_locked(&user.full_name, until),
        );
    }
    Ok(())
}
