//! Issuing a sign-in: an access token and a refresh token of a family.

use domain::api::{TokenPair, UserView};
use domain::ids::{DeviceId, DoctorId, TenantId, UserId};
use domain::user::{Email, Role};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::jwt::Grant;
use crate::auth::refresh::RefreshToken;
use crate::db::{self, Tx, users::UserRow};
use crate::error::{ApiError, ApiResult};

#[derive(Debug)]
pub struct SessionFor {
    pub tenant: TenantId,
    pub user: UserId,
    pub role: Role,
    pub device: DeviceId,
    pub must_change_password: bool,
    /// Continue this family (rotation) or start a new one (sign-in).
    pub family: Option<Uuid>,
}

pub async fn issue(tx: &mut Tx, state: &AppState, s: SessionFor) -> ApiResult<TokenPair> {
    let refresh = RefreshToken::generate(s.tenant);
    let family = s.family.unwrap_or_else(Uuid::now_v7);
    db::sessions::insert_refresh(
        tx,
        &db::sessions::NewRefresh {
            id: refresh.id,
            family_id: family,
            user_id: s.user.as_uuid(),
            device_id: s.device.as_uuid(),
            token_hash: refresh.hash(),
            ttl_days: state.refresh_ttl_days,
        },
    )
    .await?;
    let access_token = state
        .jwt
        .issue(&Grant {
            tenant: s.tenant,
            user: s.user,
            role: s.role,
            device: s.device,
            session: family,
            must_change_password: s.must_change_password,
        })
        .map_err(ApiError::Internal)?;
    Ok(TokenPair {
        access_token,
        refresh_token: refresh.encode(),
        expires_in: state.jwt.access_ttl_seconds,
    })
}

pub fn role_of(user: &UserRow) -> ApiResult<Role> {
    Role::parse(&user.role).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unknown role {}", user.role)))
}

pub fn user_view(user: &UserRow) -> ApiResult<UserView> {
    Ok(UserView {
        id: UserId::from_uuid(user.id),
        email: Email::parse(&user.email)?,
        full_name: user.full_name.clone(),
        role: role_of(user)?,
        doctor_id: user.doctor_id.map(DoctorId::from_uuid),
    })
}
