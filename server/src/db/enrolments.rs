//! One-time codes that enrol a PC into a clinic, and the enrolment itself.
//! Only the SHA-256 of a code's secret is stored.

use chrono::{DateTime, Utc};
use rand::Rng;
use rand::rngs::OsRng;
use uuid::Uuid;

use super::Tx;
use super::devices::{hash, new_secret};

/// The symbols of a code's secret: no 0/O, 1/I/L or U/V to misread.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// A new random secret of `len` symbols.
pub fn new_code_secret(len: usize) -> String {
    let mut rng = OsRng;
    (0..len)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

pub async fn create(
    tx: &mut Tx,
    secret: &str,
    name: Option<&str>,
    created_by: Uuid,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO device_enrolments (tenant_id, id, secret_hash, name, created_by, expires_at) \
         VALUES (app_tenant(), $1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(hash(secret))
    .bind(name)
    .bind(created_by)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The enrolment of a code, locked for the rest of the transaction.
#[derive(Debug, sqlx::FromRow)]
pub struct Enrolment {
    pub id: Uuid,
    pub name: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub async fn find_for_update(tx: &mut Tx, secret: &str) -> sqlx::Result<Option<Enrolment>> {
    sqlx::query_as(
        "SELECT id, name, expires_at, used_at FROM device_enrolments WHERE secret_hash = $1 FOR UPDATE",
    )
    .bind(hash(secret))
    .fetch_optional(&mut **tx)
    .await
}

/// How enrolling a device ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Enrolled {
    /// The device's new secret (a PC enrolled again gets a new one).
    Secret(String),
    /// The clinic removed this device earlier: it stays removed.
    Revoked,
}

/// Uses the code for `device`: the device joins (or rejoins) the clinic
/// under `name` with a new secret, and gets a number slot.
pub async fn enrol(tx: &mut Tx, enrolment: Uuid, device: Uuid, name: &str) -> sqlx::Result<Enrolled> {
    let revoked: Option<bool> =
        sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM devices WHERE id = $1 FOR UPDATE")
            .bind(device)
            .fetch_optional(&mut **tx)
            .await?;
    if revoked == Some(true) {
        return Ok(Enrolled::Revoked);
    }
    let secret = new_secret();
    sqlx::query(
        "INSERT INTO devices (tenant_id, id, name, secret_hash, enrolled_at) \
         VALUES (app_tenant(), $1, $2, $3, now()) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, secret_hash = EXCLUDED.secret_hash, \
             enrolled_at = now(), last_seen_at = now()",
    )
    .bind(device)
    .bind(name)
    .bind(hash(&secret))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE device_enrolments SET used_at = now(), used_by_device = $2 WHERE id = $1")
        .bind(enrolment)
        .bind(device)
        .execute(&mut **tx)
        .await?;
    Ok(Enrolled::Secret(secret))
}
