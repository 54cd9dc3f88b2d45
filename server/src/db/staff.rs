//! The clinic's people as an admin manages them: every role, active or not.

use chrono::{DateTime, Utc};
use domain::api::StaffView;
use domain::ids::{DoctorId, UserId};
use domain::user::{Email, Role};
use uuid::Uuid;

use super::Tx;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role: String,
    pub is_active: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub doctor_id: Option<Uuid>,
}

impl StaffRow {
    pub fn role(&self) -> anyhow::Result<Role> {
        Role::parse(&self.role).ok_or_else(|| anyhow::anyhow!("unknown role {}", self.role))
    }

    pub fn view(&self) -> anyhow::Result<StaffView> {
        Ok(StaffView {
            user_id: UserId::from_uuid(self.id),
            full_name: self.full_name.clone(),
            email: Email::parse(&self.email)?,
            role: self.role()?,
            is_active: self.is_active,
            must_change_password: self.must_change_password,
            last_login_at: self.last_login_at,
            doctor_id: self.doctor_id.map(DoctorId::from_uuid),
        })
    }
}

macro_rules! select_staff {
    () => {
        "SELECT u.id, u.email, u.full_name, u.role, u.is_active, u.must_change_password, \
                u.last_login_at, d.id AS doctor_id \
           FROM users u LEFT JOIN doctors d ON d.tenant_id = u.tenant_id AND d.user_id = u.id \
            AND d.deleted_at IS NULL \
          WHERE u.deleted_at IS NULL"
    };
}

/// Everyone, active first, then by name.
pub async fn list(tx: &mut Tx) -> sqlx::Result<Vec<StaffRow>> {
    sqlx::query_as(concat!(
        select_staff!(),
        " ORDER BY NOT u.is_active, u.full_name, u.id"
    ))
    .fetch_all(&mut **tx)
    .await
}

/// One person; `lock` holds their row until the transaction ends.
pub async fn get(tx: &mut Tx, id: Uuid, lock: bool) -> sqlx::Result<Option<StaffRow>> {
    let query = if lock {
        concat!(select_staff!(), " AND u.id = $1 FOR UPDATE OF u")
    } else {
        concat!(select_staff!(), " AND u.id = $1")
    };
    sqlx::query_as(query).bind(id).fetch_optional(&mut **tx).await
}

/// Active admins other than `except`: the clinic must always keep one.
pub async fn other_active_admins(tx: &mut Tx, except: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM users \
          WHERE role = 'admin' AND is_active AND deleted_at IS NULL AND id <> $1",
    )
    .bind(except)
    .fetch_one(&mut **tx)
    .await
}

pub async fn set_role(tx: &mut Tx, user: Uuid, role: Role, by: UserId) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET role = $2, updated_at = now(), updated_by = $3 WHERE id = $1")
        .bind(user)
        .bind(role.as_str())
        .bind(by.as_uuid())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
