//! User accounts and doctor profiles, written the same way whether a clinic
//! registers its owner or an admin adds a doctor.

use domain::ids::{DoctorId, UserId};
use domain::user::{Email, Role};

use super::Writes;
use crate::db::doctors::DoctorProfile;
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult, unique_violation};

/// A new account; the password is already hashed (never in a transaction).
#[derive(Debug)]
pub struct NewAccount<'a> {
    pub email: &'a Email,
    pub full_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// Creates the account; a taken e-mail is `409 conflict`.
pub async fn create(
    tx: &mut Tx,
    writes: &mut Writes,
    account: &NewAccount<'_>,
    by: Option<UserId>,
) -> ApiResult<UserId> {
    let id = UserId::new();
    db::users::insert(
        tx,
        &db::users::NewUser {
            id,
            email: account.email.as_str(),
            full_name: account.full_name,
            role: account.role.as_str(),
            password_hash: account.password_hash,
            must_change_password: account.must_change_password,
            // The owner of a new clinic creates themselves.
            created_by: by.unwrap_or(id),
        },
    )
    .await
    .map_err(map_unique)?;
    writes.inserted("users", id.as_uuid());
    Ok(id)
}

/// Makes `user` a doctor with `profile`; a dental speciality also gets the
/// clinic's dental short keys.
pub async fn add_doctor_profile(
    tx: &mut Tx,
    writes: &mut Writes,
    user: UserId,
    profile: &DoctorProfile<'_>,
    by: UserId,
) -> ApiResult<DoctorId> {
    let id = DoctorId::new();
    db::doctors::insert(tx, id, user, profile, by)
        .await
        .map_err(map_unique)?;
    writes.inserted("doctors", id.as_uuid());
    if db::short_keys::is_dental(profile.specialization) {
        writes.inserted_all(db::short_keys::seed_dental(tx, by.as_uuid()).await?);
    }
    Ok(id)
}

pub fn map_unique(err: sqlx::Error) -> ApiError {
    match unique_violation(&err) {
        Some("users_tenant_id_email_key") => {
            ApiError::Conflict("a user with this e-mail already exists".into())
        }
        Some("doctors_licence_unique") => {
            ApiError::Conflict("a doctor with this licence number already exists".into())
        }
        _ => err.into(),
    }
}
