//! Clinic registration.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::api::{RegisterClinicRequest, RegisterClinicResponse};
use domain::ids::{DoctorId, TenantId, UserId};
use domain::plan::TRIAL_DAYS;
use domain::tenant::{TenantCode, TenantSettings};
use domain::user::Role;
use rand::Rng;

use crate::app::AppState;
use crate::auth::password;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::routes::session::{self, SessionFor};
use crate::sync::server_writes;
use crate::throttle::Peer;

/// Attempts at a free clinic code before giving up (2^43 suffixes per stem:
/// a second attempt is already rare).
const CODE_ATTEMPTS: usize = 20;

/// Register a clinic: creates the tenant on the trial plan and its owner
/// (an admin, optionally also a doctor), and signs the owner in.
#[utoipa::path(
    post, path = "/clinics", tag = "clinics",
    request_body = RegisterClinicRequest,
    responses(
        (status = 201, body = RegisterClinicResponse),
        (status = 400, body = domain::error::ErrorBody, description = "malformed_json"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
        (status = 429, body = domain::error::ErrorBody, description = "rate_limited (see Retry-After)"),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    peer: Peer,
    ApiJson(req): ApiJson<RegisterClinicRequest>,
) -> ApiResult<(StatusCode, axum::Json<RegisterClinicResponse>)> {
    let valid = req.validate()?;
    state.throttle.registration(peer)?;
    let password_hash = password::hash(req.password).await.map_err(ApiError::Internal)?;
    let tenant_id = TenantId::new();
    let owner_id = UserId::new();

    let mut tx = state.pool.begin().await?;
    // The new clinic's own id is the context its rows are written under.
    db::set_tenant(&mut tx, tenant_id).await?;
    let settings = TenantSettings {
        clinic_name: Some(valid.clinic_name.clone()),
        currency: Some("INR".to_owned()),
        ..Default::default()
    };
    let tenant = insert_with_free_code(
        &mut tx,
        tenant_id,
        &valid.clinic_name,
        valid.email.as_str(),
        &settings,
    )
    .await?;
    db::users::insert(
        &mut tx,
        &db::users::NewUser {
            id: owner_id,
            email: valid.email.as_str(),
            full_name: &valid.owner_name,
            role: Role::Admin.as_str(),
            password_hash: &password_hash,
            must_change_password: false,
            created_by: owner_id,
        },
    )
    .await?;
    let mut logged = vec![("users", owner_id.as_uuid())];
    if valid.owner_is_doctor {
        let doctor_id = DoctorId::new();
        logged.push(("doctors", doctor_id.as_uuid()));
        db::doctors::insert(
            &mut tx,
            &db::doctors::NewDoctor {
                id: doctor_id,
                user_id: owner_id,
                licence_number: valid.licence_number.as_ref(),
                specialization: &valid.specialization,
                qualification: None,
                experience_years: None,
                consultation_fee_minor: None,
                consultation_minutes: 15,
                // Appointments and prescriptions name an office; the owner's
                // practice is the clinic's first one.
                offices: &[domain::doctor::Office {
                    id: "main".into(),
                    name: valid.clinic_name.clone(),
                    address: None,
                    is_primary: true,
                }],
                availability: &Default::default(),
                created_by: owner_id,
            },
        )
        .await?;
    }
    if valid.owner_is_doctor && db::short_keys::is_dental(&valid.specialization) {
        logged.extend(db::short_keys::seed_dental(&mut tx, owner_id.as_uuid()).await?);
    }
    server_writes::log_rows(&mut tx, &logged, "insert", owner_id.as_uuid())
        .await
        .map_err(ApiError::Internal)?;
    let device = valid.device_id.as_uuid();
    // A new clinic knows no PC yet: this one is issued its secret.
    let device_secret = match db::devices::check_in(&mut tx, device, owner_id.as_uuid(), None).await? {
        db::devices::DeviceCheck::Issued(secret) => Some(secret),
        other => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "a new clinic's PC was {other:?}"
            )));
        }
    };
    let number_slot = db::devices::number_slot(&mut tx, device, true).await?;
    let tokens = session::issue(
        &mut tx,
        &state,
        SessionFor {
            tenant: tenant_id,
            user: owner_id,
            role: Role::Admin,
            device: valid.device_id,
            must_change_password: false,
            family: None,
        },
    )
    .await?;
    let owner = db::users::by_id(&mut tx, owner_id, false)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("owner row vanished")))?;
    tx.commit().await?;
    tracing::info!(tenant = %tenant_id, code = %tenant.code, "clinic registered");
    send_welcome(
        &state,
        valid.email.as_str(),
        &tenant.name,
        &tenant.code,
        &valid.owner_name,
    );

    let response = RegisterClinicResponse {
        tenant: tenant.view().map_err(ApiError::Internal)?,
        user: session::user_view(&owner)?,
        device_id: valid.device_id,
        device_secret,
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        expires_in: tokens.expires_in,
        number_slot: number_slot.and_then(|s| u8::try_from(s).ok()),
        settings: tenant.settings(),
    };
    Ok((StatusCode::CREATED, axum::Json(response)))
}

/// Mails the owner the clinic code: registration does not wait for (or
/// fail with) the mail server.
fn send_welcome(state: &AppState, to: &str, clinic_name: &str, code: &str, owner_name: &str) {
    crate::mail::send_in_background(
        state.mailer.as_ref(),
        to.to_owned(),
        format!("Welcome to {clinic_name}: your clinic code"),
        crate::mail::clinic_welcome(clinic_name, code, owner_name),
    );
}

async fn insert_with_free_code(
    tx: &mut db::Tx,
    id: TenantId,
    name: &str,
    email: &str,
    settings: &TenantSettings,
) -> ApiResult<db::tenants::TenantRow> {
    let settings = serde_json::to_value(settings).map_err(|e| ApiError::Internal(e.into()))?;
    for _ in 0..CODE_ATTEMPTS {
        let code = TenantCode::generate(name, rand::thread_rng().r#gen());
        let new = db::tenants::NewTenant {
            id,
            code: &code,
            name,
            contact_email: email,
            trial_ends_at: Utc::now() + Duration::days(TRIAL_DAYS),
            settings: settings.clone(),
        };
        if let Some(row) = db::tenants::insert_trial(tx, &new).await? {
            return Ok(row);
        }
    }
    Err(ApiError::Conflict(
        "could not find a free clinic code for this name; try a longer name".into(),
    ))
}
