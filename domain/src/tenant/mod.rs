//! The clinic organisation: its code, subscription state and settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::plan::{Plan, PlanLimits};

/// A clinic's sign-in code: 3 to 32 characters of `[A-Z0-9_]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct TenantCode(String);

/// Symbols of the random part of a clinic code: no 0/O, 1/I/L or U/V.
const CODE_ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

impl TenantCode {
    pub const MAX_LEN: usize = 32;
    /// Random symbols in a new code: 29^9 > 2^43.
    pub const RANDOM_SYMBOLS: u32 = 9;

    /// Accepts any case, surrounding blanks, and spaces or dashes between
    /// groups, as people type codes read to them ("smileden 7kq-2mx-4dp").
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let code: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                other => other.to_ascii_uppercase(),
            })
            .collect();
        let valid_chars = code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if code.len() < 3 || code.len() > Self::MAX_LEN || !valid_chars {
            return Err(ValidationError::new(
                "clinic_code",
                "must be 3 to 32 letters, digits or underscores",
            ));
        }
        Ok(Self(code))
    }

    /// The first 8 letters or digits of the clinic name, then 9 symbols of
    /// `random` in three groups of three (`SMILEDEN_7KQ_2MX_4DP`). The 29
    /// symbols leave out look-alikes (0/O, 1/I/L, U/V), so a code read aloud
    /// or off a screen is typed right; 29^9 is over 2^43 codes per name, too
    /// many to guess. `random` comes from the caller so this stays pure.
    pub fn generate(clinic_name: &str, random: u64) -> Self {
        let stem: String = clinic_name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .take(8)
            .collect();
        let stem = if stem.is_empty() {
            "CLINIC".to_owned()
        } else {
            stem
        };
        let mut rest = random;
        let symbols: Vec<char> = (0..Self::RANDOM_SYMBOLS)
            .map(|_| {
                let symbol = CODE_ALPHABET[(rest % CODE_ALPHABET.len() as u64) as usize];
                rest /= CODE_ALPHABET.len() as u64;
                char::from(symbol)
            })
            .collect();
        let groups: Vec<String> = symbols.chunks(3).map(|g| g.iter().collect()).collect();
        Self(format!("{stem}_{}", groups.join("_")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TenantCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Active,
    Suspended,
    Cancelled,
    Expired,
}

impl TenantStatus {
    pub const ALL: [TenantStatus; 4] = [Self::Active, Self::Suspended, Self::Cancelled, Self::Expired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// The subscription facts the business rules need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub plan: Plan,
    pub status: TenantStatus,
    pub trial_ends_at: Option<DateTime<Utc>>,
    pub subscription_ends_at: Option<DateTime<Utc>>,
}

impl Subscription {
    pub fn is_trial_expired(&self, now: DateTime<Utc>) -> bool {
        self.plan == Plan::Trial && self.trial_ends_at.is_some_and(|end| end <= now)
    }

    pub fn is_subscription_expired(&self, now: DateTime<Utc>) -> bool {
        self.plan != Plan::Trial && self.subscription_ends_at.is_some_and(|end| end <= now)
    }

    /// When the clinic's right to create records ends, if it ends.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        if self.plan == Plan::Trial {
            self.trial_ends_at
        } else {
            self.subscription_ends_at
        }
    }

    /// Whole days left (rounded up, 0 once expired); `None` = no end date.
    pub fn days_until_expiry(&self, now: DateTime<Utc>) -> Option<i64> {
        self.expires_at().map(|end| {
            let seconds = (end - now).num_seconds();
            if seconds <= 0 {
                0
            } else {
                (seconds + 86_399) / 86_400
            }
        })
    }

    /// Clinical records stay readable always; creating new patients and
    /// prescriptions needs an active, unexpired subscription.
    pub fn can_create_records(&self, now: DateTime<Utc>) -> bool {
        self.status == TenantStatus::Active
            && !self.is_trial_expired(now)
            && !self.is_subscription_expired(now)
    }

    /// The status to show: an active clinic past its end date is expired.
    pub fn effective_status(&self, now: DateTime<Utc>) -> TenantStatus {
        if self.status == TenantStatus::Active
            && (self.is_trial_expired(now) || self.is_subscription_expired(now))
        {
            TenantStatus::Expired
        } else {
            self.status
        }
    }
}

/// Current consumption against the plan's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usage {
    pub offices: i64,
    pub doctors: i64,
    pub patients: i64,
    pub storage_bytes: i64,
}

impl Usage {
    pub fn can_add_doctor(&self, limits: &PlanLimits) -> bool {
        crate::plan::within_limit(limits.max_doctors, self.doctors, 1)
    }

    pub fn can_add_patient(&self, limits: &PlanLimits) -> bool {
        crate::plan::within_limit(limits.max_patients, self.patients, 1)
    }
}

mod settings;
mod standing;

pub use settings::*;
pub use standing::*;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn code_generation_follows_the_domain_rule() {
        assert_eq!(
            TenantCode::generate("Smile Dental Care", 0).as_str(),
            "SMILEDEN_222_222_222"
        );
        assert_eq!(TenantCode::generate("  ", 1).as_str(), "CLINIC_322_222_222");
        let code = TenantCode::generate("Dr. Rao's", u64::MAX);
        assert!(code.as_str().starts_with("DRRAOS_"), "{code}");
        assert_eq!(code.as_str().len(), "DRRAOS_".len() + 11);
        assert!(
            !code.as_str()[7..].contains(['0', '1', 'I', 'L', 'O', 'U', 'V']),
            "{code}"
        );
        let generated = TenantCode::generate("क्लिनिक 42", 7);
        assert_eq!(TenantCode::parse(generated.as_str()), Ok(generated));
    }

    #[test]
    fn codes_carry_more_than_40_random_bits() {
        let space = (CODE_ALPHABET.len() as f64).powi(TenantCode::RANDOM_SYMBOLS as i32);
        assert!(space.log2() >= 40.0, "{}", space.log2());
        let distinct: std::collections::BTreeSet<_> = (0..1000u64)
            .map(|n| TenantCode::generate("X", n.wrapping_mul(0x9E37_79B9_7F4A_7C15)).0)
            .collect();
        assert_eq!(distinct.len(), 1000);
    }

    #[test]
    fn code_parse_normalises_case_and_refuses_bad_codes() {
        assert_eq!(
            TenantCode::parse(" smile_01 ").map(|c| c.0),
            Ok("SMILE_01".into())
        );
        assert!(TenantCode::parse("ab").is_err());
        assert_eq!(
            TenantCode::parse("smileden 7kq-2mx-4dp").map(|c| c.0),
            Ok("SMILEDEN_7KQ_2MX_4DP".into()),
            "spaces and dashes between groups are how people type it"
        );
        assert!(TenantCode::parse("AB.CD").is_err());
        assert!(TenantCode::parse(&"A".repeat(33)).is_err());
    }

    fn trial(ends_in: Duration) -> (Subscription, DateTime<Utc>) {
        let now = Utc::now();
        let sub = Subscription {
            plan: Plan::Trial,
            status: TenantStatus::Active,
            trial_ends_at: Some(now + ends_in),
            subscription_ends_at: None,
        };
        (sub, now)
    }

    #[test]
    fn trial_expiry_and_days_left() {
        let (sub, now) = trial(Duration::days(30));
        assert_eq!(sub.days_until_expiry(now), Some(30));
        assert!(sub.can_create_records(now));
        let (sub, now) = trial(Duration::hours(1));
        assert_eq!(sub.days_until_expiry(now), Some(1));
        let (sub, now) = trial(Duration::seconds(-1));
        assert!(sub.is_trial_expired(now));
        assert_eq!(sub.days_until_expiry(now), Some(0));
        assert!(!sub.can_create_records(now));
        assert_eq!(sub.effective_status(now), TenantStatus::Expired);
    }

    #[test]
    fn suspended_clinic_cannot_create_records() {
        let (mut sub, now) = trial(Duration::days(10));
        sub.status = TenantStatus::Suspended;
        assert!(!sub.can_create_records(now));
    }
}
