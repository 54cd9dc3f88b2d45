//! Doctors: an admin adds them (with a temporary password sent by e-mail);
//! everyone in the clinic can list them.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use domain::api::{CreateDoctorRequest, CreateDoctorResponse, DoctorView, UpdateDoctorRequest};
use domain::doctor::Office;
use domain::ids::{DoctorId, UserId};
use domain::plan::within_limit;
use domain::user::Role;

use crate::app::AppState;
use crate::auth::password;
use crate::auth::{Caller, TenantTx};
use crate::db;
use crate::error::{ApiError, ApiResult, unique_violation};
use crate::json::ApiJson;
use crate::mail;
use crate::sync::server_writes;

fn parse_id(raw: &str) -> ApiResult<DoctorId> {
    DoctorId::parse(raw).map_err(|_| ApiError::NotFound("doctor"))
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

fn map_unique(err: sqlx::Error) -> ApiError {
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

/// Add a doctor (admin only): creates the doctor's account with a temporary
/// password, shown once here and e-mailed to the doctor.
#[utoipa::path(
    post, path = "/doctors", tag = "doctors",
    request_body = CreateDoctorRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, body = CreateDoctorResponse),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden or plan_limit_reached"),
        (status = 409, body = domain::error::ErrorBody, description = "conflict"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<CreateDoctorRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreateDoctorResponse>)> {
    caller.require(&[Role::Admin])?;
    let valid = req.validate()?;
    // Hashing is deliberately slow: done before any connection is held.
    let temporary_password = password::temporary();
    let password_hash = password::hash(temporary_password.clone())
        .await
        .map_err(ApiError::Internal)?;
    let mut t = caller.begin().await?;
    // The row lock serialises concurrent additions against the limit.
    let tenant = db::tenants::current(&mut t.tx, true).await?;
    let sub = tenant.subscription().map_err(ApiError::Internal)?;
    if !sub.can_create_records(Utc::now()) {
        return Err(ApiError::TenantInactive(
            "the clinic's subscription is not active; renew it to add doctors".into(),
        ));
    }
    let limits = tenant.limits();
    if !db::tenants::usage(&mut t.tx).await?.can_add_doctor(&limits) {
        return Err(ApiError::PlanLimitReached(format!(
            "your plan allows {} doctors; upgrade your plan to add more",
            limits.max_doctors
        )));
    }
    check_office_limit(&mut t, limits.max_offices, &valid.offices, None).await?;

    let (user_id, doctor_id) = (UserId::new(), DoctorId::new());
    db::users::insert(
        &mut t.tx,
        &db::users::NewUser {
            id: user_id,
            email: valid.email.as_str(),
            full_name: &valid.full_name,
            role: Role::Doctor.as_str(),
            password_hash: &password_hash,
            must_change_password: true,
            created_by: t.auth.sub,
        },
    )
    .await
    .map_err(map_unique)?;
    db::doctors::insert(
        &mut t.tx,
        &db::doctors::NewDoctor {
            id: doctor_id,
            user_id,
            licence_number: Some(&valid.licence_number),
            specialization: &valid.specialization,
            qualification: valid.qualification.as_deref(),
            experience_years: valid.experience_years,
            consultation_fee_minor: valid.consultation_fee_minor,
            consultation_minutes: valid.consultation_minutes,
            offices: &valid.offices,
            availability: &valid.availability,
            created_by: t.auth.sub,
        },
    )
    .await
    .map_err(map_unique)?;
    let mut logged = vec![("users", user_id.as_uuid()), ("doctors", doctor_id.as_uuid())];
    if db::short_keys::is_dental(&valid.specialization) {
        logged.extend(db::short_keys::seed_dental(&mut t.tx, t.auth.sub.as_uuid()).await?);
    }
    server_writes::log_rows(&mut t.tx, &logged, "insert", t.auth.sub.as_uuid())
        .await
        .map_err(ApiError::Internal)?;
    let doctor = db::doctors::get(&mut t.tx, doctor_id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("new doctor vanished")))?;
    t.commit().await?;

    // Mail goes out only after the doctor exists; a mail failure does not
    // undo the account (the admin still sees the password once).
    let email_sent = match &state.mailer {
        Some(mailer) => {
            let body = mail::doctor_welcome(
                &tenant.name,
                &tenant.code,
                &valid.full_name,
                valid.email.as_str(),
                &temporary_password,
            );
            match mailer
                .send(
                    valid.email.as_str(),
                    &format!("Your account at {}", tenant.name),
                    body,
                )
                .await
            {
                Ok(()) => true,
                Err(err) => {
                    tracing::warn!(error = %err, "could not e-mail the new doctor's credentials");
                    false
                }
            }
        }
        None => false,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(CreateDoctorResponse {
            doctor: doctor.view().map_err(ApiError::Internal)?,
            temporary_password,
            email_sent,
        }),
    ))
}

/// The clinic's doctors.
#[utoipa::path(
    get, path = "/doctors", tag = "doctors",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DoctorView>), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn list(caller: Caller) -> ApiResult<axum::Json<Vec<DoctorView>>> {
    let mut t = caller.begin().await?;
    let rows = db::doctors::list(&mut t.tx).await?;
    t.commit().await?;
    let views = rows
        .into_iter()
        .map(|r| r.view())
        .collect::<anyhow::Result<Vec<_>>>();
    Ok(axum::Json(views.map_err(ApiError::Internal)?))
}

/// One doctor of the clinic.
#[utoipa::path(
    get, path = "/doctors/{id}", tag = "doctors",
    params(("id" = String, Path, description = "doctor id")),
    security(("bearer" = [])),
    responses((status = 200, body = DoctorView), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn get_one(caller: Caller, Path(id): Path<String>) -> ApiResult<axum::Json<DoctorView>> {
    let mut t = caller.begin().await?;
    let id = parse_id(&id)?;
    let row = db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("doctor"))?;
    t.commit().await?;
    Ok(axum::Json(row.view().map_err(ApiError::Internal)?))
}

/// Change a doctor's professional details, offices or availability (an
/// admin, or the doctor for their own record).
#[utoipa::path(
    patch, path = "/doctors/{id}", tag = "doctors",
    params(("id" = String, Path, description = "doctor id")),
    request_body = UpdateDoctorRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = DoctorView),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden or plan_limit_reached"),
        (status = 404, body = domain::error::ErrorBody),
        (status = 409, body = domain::error::ErrorBody, description = "conflict: another doctor has this licence number"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn update(
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<UpdateDoctorRequest>,
) -> ApiResult<axum::Json<DoctorView>> {
    let id = parse_id(&id)?;
    let valid = req.validate()?;
    let mut t = caller.begin().await?;
    let current = db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("doctor"))?;
    let is_self = current.user_id == t.auth.sub.as_uuid();
    // A doctor edits their own profile; only an admin changes whether a
    // doctor is active (a deactivated doctor must not undo it).
    if !is_self || valid.is_active.is_some() {
        t.require(&[Role::Admin])?;
    }
    // The row lock serialises changes against the plan's limits.
    let limits = db::tenants::current(&mut t.tx, true).await?.limits();
    let offices = valid.offices.as_deref().unwrap_or(&current.offices.0);
    match valid.is_active {
        Some(false) if current.is_active => deactivate(&mut t, &current).await?,
        Some(true) if !current.is_active => reactivate(&mut t, &limits, &current, offices).await?,
        _ if valid.offices.is_some() && current.is_active => {
            check_office_limit(&mut t, limits.max_offices, offices, Some(id)).await?;
        }
        _ => {}
    }
    db::doctors::update(&mut t.tx, id, &valid, t.auth.sub)
        .await
        .map_err(map_unique)?;
    // PCs learn the new profile (and activation) by pull, like any change.
    let changed = [("doctors", id.as_uuid()), ("users", current.user_id)];
    server_writes::log_rows(&mut t.tx, &changed, "update", t.auth.sub.as_uuid())
        .await
        .map_err(ApiError::Internal)?;
    let row = db::doctors::get(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("doctor"))?;
    t.commit().await?;
    Ok(axum::Json(row.view().map_err(ApiError::Internal)?))
}

/// Deactivation ends the doctor's sign-ins at once and blocks new ones.
async fn deactivate(t: &mut TenantTx, doctor: &db::doctors::DoctorRow) -> ApiResult<()> {
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
    limits: &domain::plan::PlanLimits,
    doctor: &db::doctors::DoctorRow,
    offices: &[Office],
) -> ApiResult<()> {
    if !db::tenants::usage(&mut t.tx).await?.can_add_doctor(limits) {
        return Err(ApiError::PlanLimitReached(format!(
            "your plan allows {} active doctors; upgrade your plan or deactivate another doctor first",
            limits.max_doctors
        )));
    }
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
