//! Changing a clinic's terms: plan and limits, trial days, suspension.
//! Each is a read-modify-write of the locked tenant row, audited with the
//! terms before and after.

use chrono::{Duration, NaiveDate, Utc};
use domain::plan::{Plan, PlanLimits, TRIAL_DAYS};
use domain::tenant::{MAX_REASON_CHARS, TenantCode, TenantStatus};
use serde_json::json;
use sqlx::PgPool;

use super::OperatorError;
use crate::db::operator::{self as db, Terms};

/// Limits to set instead of the plan's.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitChanges {
    #[arg(long, allow_negative_numbers = true)]
    pub max_offices: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub max_doctors: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub max_patients: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub max_storage_bytes: Option<i64>,
}

/// A checked plan change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    pub plan: Plan,
    pub limits: PlanLimits,
    pub until: Option<NaiveDate>,
}

impl PlanChange {
    pub fn parse(plan: &str, limits: &LimitChanges, until: Option<NaiveDate>) -> Result<Self, OperatorError> {
        let plan = Plan::parse(plan.trim()).ok_or_else(|| OperatorError::UnknownPlan(plan.to_owned()))?;
        let base = plan.limits();
        let pick = |name: &'static str, given: Option<i64>, default: i64| match given {
            Some(value) if value < -1 => Err(OperatorError::BadLimit { name, value }),
            Some(value) => Ok(value),
            None => Ok(default),
        };
        let limits = PlanLimits::new(
            pick("max-offices", limits.max_offices, base.max_offices)?,
            pick("max-doctors", limits.max_doctors, base.max_doctors)?,
            pick("max-patients", limits.max_patients, base.max_patients)?,
            pick(
                "max-storage-bytes",
                limits.max_storage_bytes,
                base.max_storage_bytes,
            )?,
        );
        if let Some(day) = until.filter(|d| *d <= Utc::now().date_naive()) {
            return Err(OperatorError::PastDate(day));
        }
        Ok(Self { plan, limits, until })
    }
}

pub async fn change_plan(
    owner: &PgPool,
    operator: &str,
    clinic: &str,
    change: &PlanChange,
) -> Result<String, OperatorError> {
    change_terms(owner, operator, clinic, "change_plan", |terms| {
        terms.plan = change.plan.as_str().to_owned();
        let limits = change.limits;
        (terms.max_offices, terms.max_doctors) = (limits.max_offices, limits.max_doctors);
        (terms.max_patients, terms.max_storage_bytes) = (limits.max_patients, limits.max_storage_bytes);
        if change.plan == Plan::Trial {
            terms.trial_ends_at = terms
                .trial_ends_at
                .or_else(|| Some(Utc::now() + Duration::days(TRIAL_DAYS)));
        }
        if let Some(day) = change.until {
            terms.subscription_ends_at = day.and_hms_opt(23, 59, 59).map(|t| t.and_utc());
        }
        if terms.status == TenantStatus::Expired.as_str() {
            terms.status = TenantStatus::Active.as_str().to_owned();
        }
        Ok(format!("now on the {} plan", change.plan.as_str()))
    })
    .await
}

pub async fn extend_trial(
    owner: &PgPool,
    operator: &str,
    clinic: &str,
    days: u32,
) -> Result<String, OperatorError> {
    if !(1..=365).contains(&days) {
        return Err(OperatorError::BadDays(days));
    }
    change_terms(owner, operator, clinic, "extend_trial", |terms| {
        if terms.plan != Plan::Trial.as_str() {
            return Err(OperatorError::NotOnTrial(clinic.to_owned()));
        }
        // An ended trial restarts from today, not from its old end.
        let from = terms.trial_ends_at.map_or(Utc::now(), |end| end.max(Utc::now()));
        let end = from + Duration::days(i64::from(days));
        terms.trial_ends_at = Some(end);
        if terms.status == TenantStatus::Expired.as_str() {
            terms.status = TenantStatus::Active.as_str().to_owned();
        }
        Ok(format!("trial runs until {}", end.format("%Y-%m-%d %H:%M UTC")))
    })
    .await
}

pub async fn suspend(
    owner: &PgPool,
    operator: &str,
    clinic: &str,
    reason: &str,
) -> Result<String, OperatorError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(OperatorError::BadReason);
    }
    change_terms(owner, operator, clinic, "suspend", |terms| {
        terms.status = TenantStatus::Suspended.as_str().to_owned();
        terms.status_reason = Some(reason.to_owned());
        Ok("suspended: it reads but cannot write; its PCs show why".to_owned())
    })
    .await
}

pub async fn reactivate(owner: &PgPool, operator: &str, clinic: &str) -> Result<String, OperatorError> {
    change_terms(owner, operator, clinic, "reactivate", |terms| {
        if terms.status != TenantStatus::Suspended.as_str() {
            return Err(OperatorError::NotSuspended(clinic.to_owned()));
        }
        terms.status = TenantStatus::Active.as_str().to_owned();
        terms.status_reason = None;
        Ok("active again: its PCs send what they kept".to_owned())
    })
    .await
}

/// Locks the clinic's row, lets `change` edit its terms, saves them with an
/// audit row (before and after) and wakes its PCs, all in one transaction.
async fn change_terms(
    owner: &PgPool,
    operator: &str,
    clinic: &str,
    action: &'static str,
    change: impl FnOnce(&mut Terms) -> Result<String, OperatorError>,
) -> Result<String, OperatorError> {
    let code = TenantCode::parse(clinic).map_err(|_| OperatorError::UnknownClinic(clinic.to_owned()))?;
    let mut tx = owner.begin().await?;
    let mut terms = db::terms_for_update(&mut tx, code.as_str())
        .await?
        .ok_or_else(|| OperatorError::UnknownClinic(code.to_string()))?;
    let before = json!(terms);
    let outcome = change(&mut terms)?;
    db::save_terms(&mut tx, &terms).await?;
    db::audit(
        &mut tx,
        operator,
        action,
        Some(terms.id),
        &json!({ "clinic": code.as_str(), "before": before, "after": json!(terms) }),
    )
    .await?;
    db::wake_clinic(&mut tx, terms.id).await?;
    tx.commit().await?;
    Ok(format!("{code}: {outcome}"))
}
