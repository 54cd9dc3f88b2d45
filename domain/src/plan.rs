//! Subscription plans and their limits (docs/DOMAIN.md, "Tenant").

use serde::{Deserialize, Serialize};

/// A numeric allowance where `-1` means unlimited (the stored form).
pub const UNLIMITED: i64 = -1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Trial,
    Basic,
    Premium,
    Enterprise,
}

impl Plan {
    pub const ALL: [Plan; 4] = [Plan::Trial, Plan::Basic, Plan::Premium, Plan::Enterprise];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trial => "trial",
            Self::Basic => "basic",
            Self::Premium => "premium",
            Self::Enterprise => "enterprise",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// The allowances a clinic gets on this plan.
    pub fn limits(self) -> PlanLimits {
        const GB: i64 = 1024 * 1024 * 1024;
        match self {
            Self::Trial => PlanLimits::new(1, 5, 1_000, GB),
            Self::Basic => PlanLimits::new(3, 20, 10_000, 10 * GB),
            Self::Premium => PlanLimits::new(10, 100, UNLIMITED, 100 * GB),
            Self::Enterprise => PlanLimits::new(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED),
        }
    }

    /// Monthly price in minor units of INR; `None` = by contract or free.
    pub fn monthly_price_inr(self) -> Option<i64> {
        match self {
            Self::Trial | Self::Enterprise => None,
            Self::Basic => Some(2_999),
            Self::Premium => Some(9_999),
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Self::Trial => "Trial (30 days)",
            Self::Basic => "Basic",
            Self::Premium => "Premium",
            Self::Enterprise => "Enterprise",
        }
    }
}

/// Length of a new clinic's free trial.
pub const TRIAL_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanLimits {
    /// -1 = unlimited.
    pub max_offices: i64,
    pub max_doctors: i64,
    pub max_patients: i64,
    pub max_storage_bytes: i64,
}

impl PlanLimits {
    pub const fn new(offices: i64, doctors: i64, patients: i64, storage: i64) -> Self {
        Self {
            max_offices: offices,
            max_doctors: doctors,
            max_patients: patients,
            max_storage_bytes: storage,
        }
    }
}

/// Whether `current + adding` stays within `limit` (-1 = unlimited).
pub fn within_limit(limit: i64, current: i64, adding: i64) -> bool {
    limit == UNLIMITED || current.saturating_add(adding) <= limit
}

/// One row of `GET /plans`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanInfo {
    pub plan: Plan,
    pub name: String,
    /// Whole rupees per month; absent for free trial and contract pricing.
    pub monthly_price_inr: Option<i64>,
    pub limits: PlanLimits,
}

pub fn plan_table() -> Vec<PlanInfo> {
    Plan::ALL
        .into_iter()
        .map(|plan| PlanInfo {
            plan,
            name: plan.display_name().to_owned(),
            monthly_price_inr: plan.monthly_price_inr(),
            limits: plan.limits(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_table_matches_domain() {
        let trial = Plan::Trial.limits();
        assert_eq!(
            (trial.max_offices, trial.max_doctors, trial.max_patients),
            (1, 5, 1_000)
        );
        assert_eq!(Plan::Premium.limits().max_patients, UNLIMITED);
        assert_eq!(Plan::Enterprise.limits().max_storage_bytes, UNLIMITED);
        assert_eq!(plan_table().len(), 4);
    }

    #[test]
    fn limits_treat_minus_one_as_unlimited() {
        assert!(within_limit(5, 4, 1));
        assert!(!within_limit(5, 5, 1));
        assert!(within_limit(UNLIMITED, i64::MAX, 1));
    }

    #[test]
    fn plan_names_round_trip() {
        for plan in Plan::ALL {
            assert_eq!(Plan::parse(plan.as_str()), Some(plan));
        }
        assert_eq!(Plan::parse("gold"), None);
    }
}
