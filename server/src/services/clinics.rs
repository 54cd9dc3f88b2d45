//! Registering a clinic: the tenant on the trial plan with a free code, its
//! owner (an admin, optionally also a doctor with the clinic's first
//! office), the registering PC and the owner's first sign-in.

use chrono::{Duration, Utc};
use domain::api::{TokenPair, ValidRegistration};
use domain::doctor::Office;
use domain::ids::{TenantId, UserId};
use domain::plan::TRIAL_DAYS;
use domain::tenant::{TenantCode, TenantSettings};
use domain::user::Role;
use rand::Rng;

use super::Writes;
use super::accounts::{self, NewAccount};
use crate::app::AppState;
use crate::db::doctors::DoctorProfile;
use crate::db::{self, devices::DeviceCheck, tenants::TenantRow, users::UserRow};
use crate::error::{ApiError, ApiResult};
use crate::services::session::{self, SessionFor};

/// Attempts at a free clinic code before giving up (2^43 suffixes per stem:
/// a second attempt is already rare).
const CODE_ATTEMPTS: usize = 20;

/// A registered clinic with its owner signed in on the registering PC.
#[derive(Debug)]
pub struct Registered {
    pub tenant: TenantRow,
    pub owner: UserRow,
    pub tokens: TokenPair,
    pub device_secret: Option<String>,
    pub number_slot: Option<i16>,
}

/// Registers in one transaction; the password is already hashed.
pub async fn register(
    state: &AppState,
    valid: &ValidRegistration,
    password_hash: &str,
) -> ApiResult<Registered> {
    let tenant_id = TenantId::new();
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
    let mut writes = Writes::default();
    let account = NewAccount {
        email: &valid.email,
        full_name: &valid.owner_name,
        role: Role::Admin,
        password_hash,
        must_change_password: false,
    };
    let owner_id = accounts::create(&mut tx, &mut writes, &account, None).await?;
    if valid.owner_is_doctor {
        // Appointments and prescriptions name an office; the owner's
        // practice is the clinic's first one.
        let offices = [Office {
            id: "main".into(),
            name: valid.clinic_name.clone(),
            address: None,
            is_primary: true,
        }];
        let profile = DoctorProfile {
            licence_number: valid.licence_number.as_ref(),
            specialization: &valid.specialization,
            qualification: None,
            experience_years: None,
            consultation_fee_minor: None,
            consultation_minutes: 15,
            offices: &offices,
            availability: &Default::default(),
        };
        accounts::add_doctor_profile(&mut tx, &mut writes, owner_id, &profile, owner_id).await?;
    }
    writes.log(&mut tx, owner_id.as_uuid()).await?;
    let (device_secret, number_slot) = enrol_first_pc(&mut tx, valid, owner_id).await?;
    let tokens = session::issue(
        &mut tx,
        state,
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
    Ok(Registered {
        tenant,
        owner,
        tokens,
        device_secret,
        number_slot,
    })
}

/// A new clinic knows no PC yet: the registering one is issued its secret
/// and, the owner being an admin, a number slot.
async fn enrol_first_pc(
    tx: &mut db::Tx,
    valid: &ValidRegistration,
    owner: UserId,
) -> ApiResult<(Option<String>, Option<i16>)> {
    let device = valid.device_id.as_uuid();
    let secret = match db::devices::check_in(tx, device, owner.as_uuid(), None).await? {
        DeviceCheck::Issued(secret) => Some(secret),
        other => {
            return Err(ApiError::Internal(anyhow::anyhow!(
                "a new clinic's PC was {other:?}"
            )));
        }
    };
    let slot = db::devices::number_slot(tx, device, true).await?;
    Ok((secret, slot))
}

async fn insert_with_free_code(
    tx: &mut db::Tx,
    id: TenantId,
    name: &str,
    email: &str,
    settings: &TenantSettings,
) -> ApiResult<TenantRow> {
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
