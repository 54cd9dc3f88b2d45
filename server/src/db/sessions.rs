//! Refresh-token families.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Tx;

#[derive(Debug)]
pub struct NewRefresh {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub token_hash: Vec<u8>,
    pub ttl_days: i32,
}

pub async fn insert_refresh(tx: &mut Tx, token: &NewRefresh) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, device_id, token_hash, expires_at) \
         VALUES (app_tenant(), $1, $2, $3, $4, $5, now() + make_interval(days => $6))",
    )
    .bind(token.id)
    .bind(token.family_id)
    .bind(token.user_id)
    .bind(token.device_id)
    .bind(&token.token_hash)
    .bind(token.ttl_days)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshRow {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: Uuid,
    pub device_id: Uuid,
    pub token_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn refresh_for_update(tx: &mut Tx, id: Uuid) -> sqlx::Result<Option<RefreshRow>> {
    sqlx::query_as::<_, RefreshRow>(
        "SELECT id, family_id, user_id, device_id, token_hash, expires_at, used_at, revoked_at \
           FROM refresh_tokens WHERE id = $1 FOR UPDATE",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn mark_used(tx: &mut Tx, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn revoke_family(tx: &mut Tx, family: Uuid) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
    )
    .bind(family)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Ends every sign-in of a user (after a password change).
pub async fn revoke_user(tx: &mut Tx, user: Uuid) -> sqlx::Result<u64> {
    let done =
        sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(user)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected())
}

/// Whether a sign-in may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Live,
    /// Signed out, password changed or the user deactivated.
    Ended,
    /// An admin removed the PC: it is told so, to wipe the clinic's data.
    DeviceRevoked,
}

impl Liveness {
    /// From the two columns of [`liveness_columns`]: a removed PC is told
    /// so whatever else holds.
    pub fn of(live: bool, device_revoked: bool) -> Self {
        match (device_revoked, live) {
            (true, _) => Self::DeviceRevoked,
            (false, true) => Self::Live,
            (false, false) => Self::Ended,
        }
    }
}

/// What every request checks about its sign-in and its clinic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCheck {
    pub liveness: Liveness,
    /// Set while the platform has the clinic suspended: the operator's reason.
    pub suspension: Option<Suspension>,
}

impl SessionCheck {
    /// From the columns of [`liveness_columns`] and the clinic's `status`
    /// and `status_reason`.
    pub fn of(live: bool, device_revoked: bool, status: Option<&str>, reason: Option<String>) -> Self {
        Self {
            liveness: Liveness::of(live, device_revoked),
            suspension: (status == Some("suspended")).then_some(Suspension { reason }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub reason: Option<String>,
}

/// Two columns, `live` and `device_revoked`: whether sign-in family
/// `family` has a token not revoked and its user is active, and whether PC
/// `device` was removed (the arguments name the statement's parameters).
/// Shared by [`check`] and the pull page, which asks it in its own
/// statement.
pub fn liveness_columns(family: &str, device: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM refresh_tokens r JOIN users u ON u.id = r.user_id \
                  WHERE r.family_id = {family} AND r.revoked_at IS NULL \
                    AND u.is_active AND u.deleted_at IS NULL) AS live, \
         EXISTS (SELECT 1 FROM devices WHERE id = {device} AND revoked_at IS NOT NULL) AS device_revoked"
    )
}

static CHECK_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, t.status, t.status_reason \
           FROM (SELECT 1) AS one LEFT JOIN tenants t ON t.id = app_tenant()",
        liveness_columns("$1", "$2")
    )
});

/// A sign-in is live while its family has a token not revoked, its user is
/// active and its PC not removed; its clinic may write unless suspended.
pub async fn check(tx: &mut Tx, family: Uuid, device: Uuid) -> sqlx::Result<SessionCheck> {
    let (live, device_revoked, status, reason): (bool, bool, Option<String>, Option<String>) =
        sqlx::query_as(CHECK_SQL.as_str())
            .bind(family)
            .bind(device)
            .fetch_one(&mut **tx)
            .await?;
    Ok(SessionCheck::of(live, device_revoked, status.as_deref(), reason))
}
