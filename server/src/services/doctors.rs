//! Adding a doctor, changing a doctor's profile, and (de)activation, all
//! checked against the clinic's plan and logged for every PC.

use std::collections::BTreeSet;

use domain::api::{ValidDoctor, ValidDoctorUpdate};
use domain::doctor::{Office, WeeklyAvailability, within_hours};
use domain::ids::DoctorId;
use domain::plan::{PlanLimits, within_limit};
use domain::time_off::{self, TimeOff};
use domain::user::Role;

use super::Writes;
use super::accounts::{self, NewAccount};
use crate::auth::TenantTx;
use crate::db::doctors::{DoctorRow, UpcomingVisit};
use crate::db::{self, tenants::TenantRow};
use crate::error::{ApiError, ApiResult};

/// Creates the doctor's account (with a temporary password, already
/// hashed) and profile. Returns the doctor and the clinic.
pub async fn add(
    t: &mut TenantTx,
    doctor: &ValidDoctor,
    password_hash: &str,
) -> ApiResult<(DoctorRow, TenantRow)> {
    let tenant = super::clinic_open_for_new(t, "doctors").await?;
    let limits = tenant.limits();
    ensure_doctor_place(t, &limits, "upgrade your plan to add more").await?;
    check_office_limit(t, limits.max_offices, &doctor.offices, None).await?;
    let mut writes = Writes::default();
    let account = NewAccount {
        email: &doctor.email,
        full_name: &doctor.full_name,
        role: Role::Doctor,
        password_hash,
        must_change_password: true,
    };
    let user = accounts::create(&mut t.tx, &mut writes, &account, Some(t.auth.sub)).await?;
    let id = accounts::add_doctor_profile(&mut t.tx, &mut writes, user, &doctor.into(), t.auth.sub).await?;
    writes.log(&mut t.tx, t.auth.sub.as_uuid()).await?;
    let row = db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("new doctor vanished")))?;
    Ok((row, tenant))
}

/// Applies `update` to doctor `id`: a doctor edits their own profile; only
/// an admin changes whether a doctor is active.
pub async fn update(t: &mut TenantTx, id: DoctorId, update: &ValidDoctorUpdate) -> ApiResult<DoctorRow> {
    // Before any row lock, as a push takes them.
    t.lock_log().await?;
    let current = db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("doctor"))?;
    if current.user_id != t.auth.sub.as_uuid() || update.is_active.is_some() {
        t.require(&[Role::Admin])?;
    }
    // The row lock serialises changes against the plan's limits.
    let limits = db::tenants::current(&mut t.tx, true).await?.limits();
    let offices = update.offices.as_deref().unwrap_or(&current.offices.0);
    keep_offices_with_appointments(t, id, &current.offices.0, offices).await?;
    let hours = update.availability.as_ref().unwrap_or(&current.availability.0);
    domain::doctor::check_hours_offices(hours, offices)?;
    if update.availability.is_some() || update.offices.is_some() {
        keep_hours_covering_appointments(
            t,
            id,
            (&current.availability.0, &current.offices.0),
            (hours, offices),
        )
        .await?;
    }
    if let Some(time_off) = &update.time_off {
        keep_time_off_clear_of_appointments(t, id, &current.time_off.0, time_off).await?;
    }
    match update.is_active {
        Some(false) if current.is_active => deactivate(t, &current).await?,
        Some(true) if !current.is_active => reactivate(t, &limits, &current, offices).await?,
        _ if update.offices.is_some() && current.is_active => {
            check_office_limit(t, limits.max_offices, offices, Some(id)).await?;
        }
        _ => {}
    }
    db::doctors::update(&mut t.tx, id, update, t.auth.sub)
        .await
        .map_err(accounts::map_unique)?;
    let mut writes = Writes::default();
    writes.updated("doctors", id.as_uuid());
    writes.updated("users", current.user_id);
    writes.log(&mut t.tx, t.auth.sub.as_uuid()).await?;
    db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("doctor"))
}

/// Deactivation ends the doctor's sign-ins at once and blocks new ones.
async fn deactivate(t: &mut TenantTx, doctor: &DoctorRow) -> ApiResult<()> {
    if doctor.user_id == t.auth.sub.as_uuid() {
        return Err(ApiError::field(
            "is_active",
            "You cannot deactivate yourself; another admin can.",
        ));
    }
    db::users::set_active(&mut t.tx, doctor.user_id, false, t.auth.sub).await?;
    let ended = db::sessions::revoke_user(&mut t.tx, doctor.user_id).await?;
    tracing::info!(doctor = %doctor.id, sessions = ended, "doctor deactivated");
    Ok(())
}

/// Reactivation counts against the plan like adding the doctor again.
async fn reactivate(
    t: &mut TenantTx,
    limits: &PlanLimits,
    doctor: &DoctorRow,
    offices: &[Office],
) -> ApiResult<()> {
    ensure_doctor_place(t, limits, "upgrade your plan or deactivate another doctor first").await?;
    check_office_limit(
        t,
        limits.max_offices,
        offices,
        Some(DoctorId::from_uuid(doctor.id)),
    )
    .await?;
    db::users::set_active(&mut t.tx, doctor.user_id, true, t.auth.sub).await?;
    Ok(())
}

async fn ensure_doctor_place(t: &mut TenantTx, limits: &PlanLimits, advice: &str) -> ApiResult<()> {
    if db::tenants::usage(&mut t.tx).await?.can_add_doctor(limits) {
        Ok(())
    } else {
        Err(ApiError::PlanLimitReached(format!(
            "your plan allows {} active doctors; {advice}",
            limits.max_doctors
        )))
    }
}

/// Refuses new days off on which the doctor already has appointments to
/// come: the patients expect them. Stretches kept as they were are not
/// checked again, so an appointment a PC booked offline into known leave
/// does not block every later change of the profile.
async fn keep_time_off_clear_of_appointments(
    t: &mut TenantTx,
    id: DoctorId,
    before: &[TimeOff],
    after: &[TimeOff],
) -> ApiResult<()> {
    for stretch in time_off::added(before, after) {
        let count = db::doctors::upcoming_between(&mut t.tx, id, stretch.from, stretch.to).await?;
        if count > 0 {
            return Err(ApiError::field(
                "time_off",
                &format!(
                    "{}: the doctor has {count} appointment(s) booked then; move or cancel them first",
                    stretch.describe()
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses hours that would leave a patient booked to come outside every
/// period at their office: they were told a time the doctor no longer
/// works. A visit that was outside the hours before (booked offline, say)
/// is not checked, so it does not block every later change.
async fn keep_hours_covering_appointments(
    t: &mut TenantTx,
    id: DoctorId,
    before: (&WeeklyAvailability, &[Office]),
    after: (&WeeklyAvailability, &[Office]),
) -> ApiResult<()> {
    let covered = |(hours, offices): (&WeeklyAvailability, &[Office]), v: &UpcomingVisit| {
        let minutes = i64::from(v.duration_minutes);
        within_hours(
            hours,
            offices,
            &v.office_id,
            v.appointment_date,
            v.appointment_time,
            minutes,
        )
    };
    let left_out: Vec<UpcomingVisit> = db::doctors::upcoming_visits(&mut t.tx, id)
        .await?
        .into_iter()
        .filter(|v| covered(before, v) && !covered(after, v))
        .collect();
    let Some(first) = left_out.first() else {
        return Ok(());
    };
    Err(ApiError::field(
        "availability",
        &format!(
            "{} appointment(s) to come would fall outside these hours (the first: {} at {}): move or \
             cancel them first, or keep hours that cover them",
            left_out.len(),
            first.appointment_date.format("%a %-d %b %Y"),
            first.appointment_time.format("%H:%M"),
        ),
    ))
}

/// Refuses to remove an office where the doctor still has appointments to
/// come: they would name an office the doctor no longer works at. Renaming
/// keeps the office's id, so it is always allowed.
async fn keep_offices_with_appointments(
    t: &mut TenantTx,
    id: DoctorId,
    before: &[Office],
    after: &[Office],
) -> ApiResult<()> {
    let removed: Vec<String> = before
        .iter()
        .filter(|o| !after.iter().any(|a| a.id == o.id))
        .map(|o| o.id.clone())
        .collect();
    if removed.is_empty() {
        return Ok(());
    }
    let busy = db::doctors::upcoming_at_offices(&mut t.tx, id, &removed).await?;
    let Some((office, count)) = busy.first() else {
        return Ok(());
    };
    let name = domain::doctor::office_name(before, office);
    Err(ApiError::field(
        "offices",
        &format!(
            "{name} still has {count} upcoming appointment(s) with this doctor: move or cancel them before \
             removing it"
        ),
    ))
}

/// Refuses offices that would take the clinic over its plan's office limit.
async fn check_office_limit(
    t: &mut TenantTx,
    limit: i64,
    offices: &[Office],
    except: Option<DoctorId>,
) -> ApiResult<()> {
    let mut ids: BTreeSet<String> = db::tenants::office_ids_except(&mut t.tx, except.map(|d| d.as_uuid()))
        .await?
        .into_iter()
        .collect();
    ids.extend(offices.iter().map(|o| o.id.clone()));
    if within_limit(limit, ids.len() as i64, 0) {
        Ok(())
    } else {
        Err(ApiError::PlanLimitReached(format!(
            "your plan allows {limit} office(s); upgrade your plan to add more"
        )))
    }
}
