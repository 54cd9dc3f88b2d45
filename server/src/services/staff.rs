//! The clinic's people of every role: an admin adds them, changes their
//! role and deactivates or reactivates them. A doctor's profile rules
//! (plan limits, offices) stay in [`super::doctors`]; this module only
//! routes doctors there.

use domain::api::{UpdateStaffRequest, ValidDoctorUpdate, ValidStaff};
use domain::ids::{DoctorId, UserId};
use domain::user::Role;
use uuid::Uuid;

use super::accounts::{self, NewAccount};
use super::{Writes, doctors};
use crate::auth::TenantTx;
use crate::db::{self, staff::StaffRow, tenants::TenantRow};
use crate::error::{ApiError, ApiResult};

/// Creates the person's account with a temporary password (already
/// hashed); a doctor also gets their profile. Returns them and the clinic.
pub async fn add(
    t: &mut TenantTx,
    staff: &ValidStaff,
    password_hash: &str,
) -> ApiResult<(StaffRow, TenantRow)> {
    t.require(&[Role::Admin])?;
    let (user, tenant) = match staff {
        ValidStaff::Doctor(doctor) => {
            let (row, tenant) = doctors::add(t, doctor, password_hash).await?;
            (row.user_id, tenant)
        }
        ValidStaff::Other {
            full_name,
            email,
            role,
        } => {
            let tenant = super::clinic_open_for_new(t, "staff").await?;
            let account = NewAccount {
                email,
                full_name,
                role: *role,
                password_hash,
                must_change_password: true,
            };
            let mut writes = Writes::default();
            let user = accounts::create(&mut t.tx, &mut writes, &account, Some(t.auth.sub)).await?;
            writes.log(&mut t.tx, t.auth.sub.as_uuid()).await?;
            (user.as_uuid(), tenant)
        }
    };
    Ok((get(t, user).await?, tenant))
}

/// Changes a person's role and/or whether they may sign in. Either ends
/// their sign-ins: a token carries the role it was issued with.
pub async fn update(t: &mut TenantTx, user: UserId, change: &UpdateStaffRequest) -> ApiResult<StaffRow> {
    t.require(&[Role::Admin])?;
    // Before any row lock, as a push takes them.
    t.lock_log().await?;
    // The clinic row lock puts staff changes in one line, so two admins
    // demoting each other at once cannot leave the clinic with none.
    db::tenants::current(&mut t.tx, true).await?;
    let person = db::staff::get(&mut t.tx, user.as_uuid(), true)
        .await?
        .ok_or(ApiError::NotFound("staff member"))?;
    let role = person.role().map_err(ApiError::Internal)?;
    let new_role = change.role.filter(|r| *r != role);
    let activation = change.is_active.filter(|a| *a != person.is_active);
    if activation == Some(false) && person.id == t.auth.sub.as_uuid() {
        return Err(ApiError::field(
            "is_active",
            "You cannot deactivate yourself; another admin can.",
        ));
    }
    if let Some(new_role) = new_role {
        check_role_change(&person, new_role)?;
    }
    let loses_admin =
        role == Role::Admin && person.is_active && (new_role.is_some() || activation == Some(false));
    if loses_admin && db::staff::other_active_admins(&mut t.tx, person.id).await? == 0 {
        let field = if new_role.is_some() { "role" } else { "is_active" };
        return Err(ApiError::field(
            field,
            "The clinic needs at least one active admin: make someone else an admin first.",
        ));
    }
    if let Some(active) = activation {
        set_active(t, &person, active).await?;
    }
    if let Some(new_role) = new_role {
        db::staff::set_role(&mut t.tx, person.id, new_role, t.auth.sub).await?;
        let ended = db::sessions::revoke_user(&mut t.tx, person.id).await?;
        tracing::info!(user = %person.id, role = new_role.as_str(), sessions = ended, "role changed");
        log_user(t, person.id).await?;
    }
    get(t, person.id).await
}

/// A doctor's profile stays with them, so a doctor may become an admin
/// (who is also a doctor) and back, but never front-desk staff; only
/// someone with a profile can be a doctor.
fn check_role_change(person: &StaffRow, new_role: Role) -> ApiResult<()> {
    match (person.doctor_id.is_some(), new_role) {
        (false, Role::Doctor) => Err(ApiError::field(
            "role",
            "Only someone added as a doctor, with a licence number, can be a doctor.",
        )),
        (true, Role::Nurse | Role::Receptionist) => Err(ApiError::field(
            "role",
            "A doctor can be a doctor or an admin; deactivate them instead.",
        )),
        _ => Ok(()),
    }
}

async fn set_active(t: &mut TenantTx, person: &StaffRow, active: bool) -> ApiResult<()> {
    if let Some(doctor) = person.doctor_id {
        // Counts against the plan and shows or hides them in booking.
        let change = ValidDoctorUpdate {
            is_active: Some(active),
            ..ValidDoctorUpdate::default()
        };
        doctors::update(t, DoctorId::from_uuid(doctor), &change).await?;
        return Ok(());
    }
    db::users::set_active(&mut t.tx, person.id, active, t.auth.sub).await?;
    if !active {
        let ended = db::sessions::revoke_user(&mut t.tx, person.id).await?;
        tracing::info!(user = %person.id, sessions = ended, "staff member deactivated");
    }
    log_user(t, person.id).await
}

async fn log_user(t: &mut TenantTx, user: Uuid) -> ApiResult<()> {
    let mut writes = Writes::default();
    writes.updated("users", user);
    writes.log(&mut t.tx, t.auth.sub.as_uuid()).await
}

async fn get(t: &mut TenantTx, user: Uuid) -> ApiResult<StaffRow> {
    db::staff::get(&mut t.tx, user, false)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("staff member {user} vanished")))
}
