//! Request extractors. The tenant of a request comes only from a verified
//! access token and is set with `set_config(..., true)` inside the request's
//! own transaction, so it can never leak to another request on the same
//! pooled connection.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use domain::user::Role;
use sqlx::{Postgres, Transaction};

use crate::app::AppState;
use crate::auth::jwt::Claims;
use crate::db;
use crate::error::{ApiError, ApiResult};

/// A verified caller with an open transaction scoped to the caller's clinic.
/// Handlers must `commit` it; dropping it rolls back.
#[derive(Debug)]
pub struct TenantTx {
    pub auth: Claims,
    pub tx: Transaction<'static, Postgres>,
}

/// Like [`TenantTx`] but also admits a user who still has to replace a
/// temporary password (only the password-change route takes this).
#[derive(Debug)]
pub struct PendingPasswordTx(pub TenantTx);

impl TenantTx {
    /// Refuses callers whose role is not in `allowed`.
    pub fn require(&self, allowed: &[Role]) -> ApiResult<()> {
        if allowed.contains(&self.auth.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden("your role does not allow this"))
        }
    }

    pub async fn commit(self) -> ApiResult<()> {
        Ok(self.tx.commit().await?)
    }
}

/// Verified claims alone, for routes that need no database.
#[derive(Debug, Clone)]
pub struct Auth(pub Claims);

fn bearer(parts: &Parts) -> ApiResult<&str> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("sign in first"))?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the access token is not valid"))?;
    value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized("use an Authorization: Bearer token"))
}

async fn open(parts: &Parts, state: &AppState, allow_pending_password: bool) -> ApiResult<TenantTx> {
    let claims = state.jwt.verify(bearer(parts)?)?;
    if claims.pwc && !allow_pending_password {
        return Err(ApiError::PasswordChangeRequired);
    }
    let mut tx = state.pool.begin().await?;
    db::set_tenant(&mut tx, claims.tid).await?;
    Ok(TenantTx { auth: claims, tx })
}

impl FromRequestParts<AppState> for TenantTx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        open(parts, state, false).await
    }
}

impl FromRequestParts<AppState> for PendingPasswordTx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        open(parts, state, true).await.map(Self)
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let claims = state.jwt.verify(bearer(parts)?)?;
        if claims.pwc {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(Self(claims))
    }
}
