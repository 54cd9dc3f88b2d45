//! Clinic PCs: their secrets, revocation and number slots.
//!
//! A device id is only a claim (any PC can read another's id from the
//! clock of a pulled change). The secret issued at a device's first
//! sign-in, of which only the SHA-256 is kept here, turns it into proof.

use chrono::{DateTime, Utc};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::Tx;

/// Days without a sign-in after which a PC's number slot may go to another.
const SLOT_IDLE_DAYS: i32 = 90;

/// The outcome of a sign-in's device claim.
#[derive(Debug, PartialEq, Eq)]
pub enum DeviceCheck {
    /// The PC presented its secret.
    Verified,
    /// The device is new here (or predates secrets): this secret is now
    /// its own; the PC keeps it in its keychain.
    Issued(String),
    /// A known device without its secret: refused.
    Unverified,
    /// The clinic removed this PC.
    Revoked,
}

/// A device row's secret hash and revocation time.
type KnownDevice = (Option<Vec<u8>>, Option<DateTime<Utc>>);

pub(crate) fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

pub(crate) fn new_secret() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks (or, for a new device, issues) the device's secret and notes the
/// sign-in. Locks the device row for the rest of the transaction.
pub async fn check_in(
    tx: &mut Tx,
    device: Uuid,
    user: Uuid,
    presented: Option<&str>,
) -> sqlx::Result<DeviceCheck> {
    let known: Option<KnownDevice> =
        sqlx::query_as("SELECT secret_hash, revoked_at FROM devices WHERE id = $1 FOR UPDATE")
            .bind(device)
            .fetch_optional(&mut **tx)
            .await?;
    let check = match known {
        Some((_, Some(_revoked))) => return Ok(DeviceCheck::Revoked),
        Some((Some(stored), None)) => {
            let matches = presented.is_some_and(|p| bool::from(hash(p).ct_eq(&stored)));
            if !matches {
                return Ok(DeviceCheck::Unverified);
            }
            DeviceCheck::Verified
        }
        // New, or enrolled before devices had secrets: trust on this use.
        Some((None, None)) | None => DeviceCheck::Issued(new_secret()),
    };
    let secret_hash = match &check {
        DeviceCheck::Issued(secret) => Some(hash(secret)),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO devices (tenant_id, id, user_id, secret_hash) VALUES (app_tenant(), $1, $2, $3) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET user_id = EXCLUDED.user_id, last_seen_at = now(), \
             secret_hash = coalesce(EXCLUDED.secret_hash, devices.secret_hash)",
    )
    .bind(device)
    .bind(user)
    .bind(secret_hash)
    .execute(&mut **tx)
    .await?;
    Ok(check)
}

/// The PC's number slot (0-9). A PC keeps the slot it has; a new one is
/// given only when `may_take` (an admin signs in on the PC, which is what
/// enrols it), so made-up device ids cannot use the ten up. Slots of
/// revoked PCs and of PCs unseen for 90 days are free again. `None` when
/// none is free or the PC is not enrolled: the PC then numbers from a
/// digit of its id, and a clash is refused at sync as a duplicate.
pub async fn number_slot(tx: &mut Tx, device: Uuid, may_take: bool) -> sqlx::Result<Option<i16>> {
    let held: Option<i16> = sqlx::query_scalar("SELECT number_slot FROM devices WHERE id = $1")
        .bind(device)
        .fetch_optional(&mut **tx)
        .await?
        .flatten();
    if held.is_some() || !may_take {
        return Ok(held);
    }
    // One allocation at a time per clinic, so two PCs signing in together
    // cannot pick the same digit.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended(app_tenant()::text, 7))")
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE devices SET number_slot = NULL \
          WHERE number_slot IS NOT NULL \
            AND (revoked_at IS NOT NULL OR last_seen_at < now() - make_interval(days => $1))",
    )
    .bind(SLOT_IDLE_DAYS)
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar(
        "UPDATE devices SET number_slot = ( \
             SELECT min(s) FROM generate_series(0, 9) AS s \
              WHERE s NOT IN (SELECT number_slot FROM devices WHERE number_slot IS NOT NULL)) \
          WHERE id = $1 RETURNING number_slot",
    )
    .bind(device)
    .fetch_one(&mut **tx)
    .await
}

/// True when the device is unknown or was removed from the clinic.
pub async fn revoked(tx: &mut Tx, device: Uuid) -> sqlx::Result<bool> {
    let revoked: Option<Option<DateTime<Utc>>> =
        sqlx::query_scalar("SELECT revoked_at FROM devices WHERE id = $1")
            .bind(device)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(!matches!(revoked, Some(None)))
}

/// One PC as the admin's list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeviceRow {
    pub id: Uuid,
    pub name: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub app_version: Option<String>,
    pub last_pulled_seq: i64,
    pub clinic_seq: i64,
    pub pending_changes: Option<i32>,
    pub last_user_name: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The select of [`DeviceRow`], completed by a WHERE or ORDER clause.
macro_rules! select_devices {
    ($rest:literal) => {
        concat!(
            "SELECT d.id, d.name, d.first_seen_at, d.last_seen_at, d.app_version, d.last_pulled_seq, \
                    coalesce((SELECT last_seq FROM tenant_sync_state), 0) AS clinic_seq, d.pending_changes, \
                    u.full_name AS last_user_name, d.revoked_at \
               FROM devices d LEFT JOIN users u ON u.id = d.user_id ",
            $rest
        )
    };
}

/// The clinic's PCs: the ones in use first (most recently seen), then the
/// removed ones.
pub async fn list(tx: &mut Tx) -> sqlx::Result<Vec<DeviceRow>> {
    sqlx::query_as(select_devices!(
        "ORDER BY d.revoked_at IS NOT NULL, d.last_seen_at DESC, d.id"
    ))
    .fetch_all(&mut **tx)
    .await
}

/// Removes a PC from the clinic: it may not sign in or sync again, its
/// sign-ins end now and its number slot is free. `None` when the clinic
/// has no such PC; an already removed PC stays as it was removed.
pub async fn revoke(tx: &mut Tx, device: Uuid, by: Uuid) -> sqlx::Result<Option<DeviceRow>> {
    let found: Option<Uuid> = sqlx::query_scalar(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, now()), \
                revoked_by = coalesce(revoked_by, $2), number_slot = NULL \
          WHERE id = $1 RETURNING id",
    )
    .bind(device)
    .bind(by)
    .fetch_optional(&mut **tx)
    .await?;
    if found.is_none() {
        return Ok(None);
    }
    sqlx::query("UPDATE refresh_tokens SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL")
        .bind(device)
        .execute(&mut **tx)
        .await?;
    sqlx::query_as(select_devices!("WHERE d.id = $1"))
        .bind(device)
        .fetch_optional(&mut **tx)
        .await
}
