//! The caller's clinic, its settings and the plan table.

use axum::extract::State;
use chrono::Utc;
use domain::api::TenantOverview;
use domain::plan::{PlanInfo, plan_table};
use domain::tenant::{TenantSettings, TenantStatus};
use domain::user::Role;

use crate::app::AppState;
use crate::auth::{Caller, TenantTx};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, ApiQuery};

/// `include_logo` false leaves the logo out (the fingerprint says whether
/// a copy is still current).
async fn overview(
    t: &mut TenantTx,
    row: db::tenants::TenantRow,
    include_logo: bool,
) -> ApiResult<TenantOverview> {
    let usage = db::tenants::usage(&mut t.tx).await?;
    let logo = match (include_logo, &row.logo_fingerprint) {
        (true, Some(_)) => db::tenants::logo(&mut t.tx).await?,
        _ => None,
    };
    let sub = row.subscription().map_err(ApiError::Internal)?;
    let now = Utc::now();
    Ok(TenantOverview {
        tenant: row.view().map_err(ApiError::Internal)?,
        effective_status: sub.effective_status(now),
        usage,
        days_until_expiry: sub.days_until_expiry(now),
        can_create_records: sub.can_create_records(now),
        settings: TenantSettings {
            logo,
            ..row.settings()
        },
        logo_fingerprint: row.logo_fingerprint.clone(),
        status_reason: (sub.status == TenantStatus::Suspended)
            .then(|| row.status_reason.clone())
            .flatten(),
    })
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantParams {
    /// `false` leaves the settings' logo out (up to 1.4 MB): a PC that
    /// refreshes its plan every minute asks so, and fetches the logo only
    /// when `logo_fingerprint` changes. Default `true`.
    pub include_logo: Option<bool>,
}

/// The caller's clinic: plan, status, limits, usage, days until expiry
/// and settings.
#[utoipa::path(
    get, path = "/tenant", tag = "tenant",
    params(TenantParams),
    security(("bearer" = [])),
    responses((status = 200, body = TenantOverview), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn get_tenant(
    caller: Caller,
    ApiQuery(params): ApiQuery<TenantParams>,
) -> ApiResult<axum::Json<TenantOverview>> {
    let mut t = caller.begin().await?;
    let row = db::tenants::current(&mut t.tx, false).await?;
    let view = overview(&mut t, row, params.include_logo.unwrap_or(true)).await?;
    t.commit().await?;
    Ok(axum::Json(view))
}

/// The subscription plans and their limits (-1 = unlimited).
#[utoipa::path(
    get, path = "/plans", tag = "tenant",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<PlanInfo>), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn plans(caller: Caller) -> ApiResult<axum::Json<Vec<PlanInfo>>> {
    // No data of the clinic is read, but a removed PC or an ended sign-in
    // is refused here like everywhere.
    caller.begin().await?.commit().await?;
    Ok(axum::Json(plan_table()))
}

/// A changed field: `""` clears it, absent keeps what is set.
fn cleared_or(patch: Option<String>, current: Option<String>) -> Option<String> {
    match patch {
        Some(value) if value.is_empty() => None,
        Some(value) => Some(value),
        None => current,
    }
}

/// Change clinic settings (admin only). Fields present replace the stored
/// ones; absent fields keep their values.
#[utoipa::path(
    patch, path = "/tenant/settings", tag = "tenant",
    request_body = TenantSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, body = TenantOverview),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
    )
)]
pub async fn update_settings(
    State(_state): State<AppState>,
    caller: Caller,
    ApiJson(patch): ApiJson<TenantSettings>,
) -> ApiResult<axum::Json<TenantOverview>> {
    caller.require(&[Role::Admin])?;
    let patch = patch.validate()?;
    let mut t = caller.begin().await?;
    let current = db::tenants::current(&mut t.tx, true).await?.settings();
    let logo = patch.logo.as_deref().map(|l| Some(l).filter(|l| !l.is_empty()));
    let merged = TenantSettings {
        clinic_name: patch.clinic_name.or(current.clinic_name),
        address: cleared_or(patch.address, current.address),
        phone: cleared_or(patch.phone, current.phone),
        logo: None,
        currency: patch.currency.or(current.currency),
        default_country_calling_code: patch
            .default_country_calling_code
            .or(current.default_country_calling_code),
        tooth_notation: patch.tooth_notation.or(current.tooth_notation),
        idle_timeout_minutes: patch.idle_timeout_minutes.or(current.idle_timeout_minutes),
    };
    let row = db::tenants::update_settings(&mut t.tx, &merged, logo).await?;
    let view = overview(&mut t, row, true).await?;
    t.commit().await?;
    Ok(axum::Json(view))
}
