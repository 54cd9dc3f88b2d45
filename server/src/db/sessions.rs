//! Devices and refresh-token families.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Tx;

/// Registers the PC (or notes it was seen again) for this user. Returns
/// false when the device was revoked by the clinic.
pub async fn touch_device(tx: &mut Tx, device: Uuid, user: Uuid) -> sqlx::Result<bool> {
    let revoked: Option<DateTime<Utc>> = sqlx::query_scalar(
        "INSERT INTO devices (tenant_id, id, user_id) VALUES (app_tenant(), $1, $2) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET user_id = EXCLUDED.user_id, last_seen_at = now() \
         RETURNING revoked_at",
    )
    .bind(device)
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    Ok(revoked.is_none())
}

/// The PC's number slot (0-9), allocated on first sign-in: the smallest
/// digit no other PC of the clinic holds. `None` when ten PCs hold them
/// all; that PC then numbers from a digit of its id and a clash is refused
/// at sync as a duplicate (rare: an eleventh PC of one clinic).
pub async fn number_slot(tx: &mut Tx, device: Uuid) -> sqlx::Result<Option<i16>> {
    // One allocation at a time per clinic, so two PCs signing in together
    // cannot pick the same digit.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended(app_tenant()::text, 7))")
        .execute(&mut **tx)
        .await?;
    sqlx::query_scalar(
        "UPDATE devices SET number_slot = coalesce(number_slot, ( \
             SELECT min(s) FROM generate_series(0, 9) AS s \
              WHERE s NOT IN (SELECT number_slot FROM devices \
                               WHERE tenant_id = app_tenant() AND number_slot IS NOT NULL))) \
          WHERE tenant_id = app_tenant() AND id = $1 RETURNING number_slot",
    )
    .bind(device)
    .fetch_one(&mut **tx)
    .await
}

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

pub async fn device_revoked(tx: &mut Tx, device: Uuid) -> sqlx::Result<bool> {
    let revoked: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("SELECT revoked_at FROM devices WHERE id = $1")
            .bind(device)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(!matches!(revoked, Some(None)))
}
