//! Clinic users and sign-in attempts.

use chrono::{DateTime, Utc};
use domain::ids::UserId;
use uuid::Uuid;

use super::Tx;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub is_active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    /// The user's doctor record, when the user is also a doctor.
    pub doctor_id: Option<Uuid>,
}

macro_rules! select_user {
    () => {
        "SELECT u.id, u.email, u.full_name, u.role, u.password_hash, \
     u.must_change_password, u.is_active, u.locked_until, d.id AS doctor_id \
     FROM users u LEFT JOIN doctors d ON d.tenant_id = u.tenant_id AND d.user_id = u.id \
     AND d.deleted_at IS NULL"
    };
}

/// Not `Debug`-derived: the hash stays out of any log line.
pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub created_by: UserId,
}

impl std::fmt::Debug for NewUser<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

pub async fn insert(tx: &mut Tx, user: &NewUser<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (tenant_id, id, email, full_name, role, password_hash, must_change_password, \
             created_by, updated_by) \
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(user.id.as_uuid())
    .bind(user.email)
    .bind(user.full_name)
    .bind(user.role)
    .bind(user.password_hash)
    .bind(user.must_change_password)
    .bind(user.created_by.as_uuid())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The live user with this e-mail; `lock` holds the row for the sign-in
/// that writes its outcome.
pub async fn by_email(tx: &mut Tx, email: &str, lock: bool) -> sqlx::Result<Option<UserRow>> {
    let sql = if lock {
        concat!(
            select_user!(),
            " WHERE u.email = $1 AND u.deleted_at IS NULL FOR UPDATE OF u"
        )
    } else {
        concat!(select_user!(), " WHERE u.email = $1 AND u.deleted_at IS NULL")
    };
    sqlx::query_as::<_, UserRow>(sql)
        .bind(email)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn by_id(tx: &mut Tx, id: UserId, lock: bool) -> sqlx::Result<Option<UserRow>> {
    let sql = if lock {
        concat!(
            select_user!(),
            " WHERE u.id = $1 AND u.deleted_at IS NULL FOR UPDATE OF u"
        )
    } else {
        concat!(select_user!(), " WHERE u.id = $1 AND u.deleted_at IS NULL")
    };
    sqlx::query_as::<_, UserRow>(sql)
        .bind(id.as_uuid())
        .fetch_optional(&mut **tx)
        .await
}

pub async fn record_attempt(
    tx: &mut Tx,
    email: &str,
    user: Option<Uuid>,
    device: Option<Uuid>,
    succeeded: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO login_attempts (tenant_id, id, email, user_id, device_id, succeeded) \
         VALUES (app_tenant(), $1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(email)
    .bind(user)
    .bind(device)
    .bind(succeeded)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Failed attempts in the window, counting only those after the last success.
pub async fn recent_failures(tx: &mut Tx, user: Uuid, window_minutes: i32) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM login_attempts \
          WHERE user_id = $1 AND NOT succeeded \
            AND attempted_at > now() - make_interval(mins => $2) \
            AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts \
                                          WHERE user_id = $1 AND succeeded), '-infinity')",
    )
    .bind(user)
    .bind(window_minutes)
    .fetch_one(&mut **tx)
    .await
}

pub async fn lock_for(tx: &mut Tx, user: Uuid, minutes: i32) -> sqlx::Result<DateTime<Utc>> {
    sqlx::query_scalar(
        "UPDATE users SET locked_until = now() + make_interval(mins => $2) WHERE id = $1 RETURNING locked_until",
    )
    .bind(user)
    .bind(minutes)
    .fetch_one(&mut **tx)
    .await
}

pub async fn mark_signed_in(tx: &mut Tx, user: Uuid) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET last_login_at = now(), locked_until = NULL WHERE id = $1")
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, user: Uuid, password_hash: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $2, must_change_password = false, password_changed_at = now(), \
             updated_at = now(), updated_by = $1 WHERE id = $1",
    )
    .bind(user)
    .bind(password_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Opens or closes an account's sign-ins (doctor activation follows it).
pub async fn set_active(tx: &mut Tx, user: Uuid, active: bool, by: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET is_active = $2, updated_at = now(), updated_by = $3 WHERE id = $1")
        .bind(user)
        .bind(active)
        .bind(by.as_uuid())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
