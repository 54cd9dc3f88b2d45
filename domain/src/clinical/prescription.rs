//! Prescriptions: the status machine, what may be edited, validity.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrescriptionStatus {
    Draft,
    Active,
    Dispensed,
    Completed,
    Cancelled,
    Expired,
}

/// A prescription is valid for this many days from its issue (or renewal).
pub const VALID_DAYS: u64 = 30;

impl PrescriptionStatus {
    pub const ALL: [Self; 6] = [
        Self::Draft,
        Self::Active,
        Self::Dispensed,
        Self::Completed,
        Self::Cancelled,
        Self::Expired,
    ];

    /// The stored and synced name (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Dispensed => "dispensed",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn next(self) -> &'static [PrescriptionStatus] {
        use PrescriptionStatus::*;
        match self {
            Draft => &[Active, Cancelled],
            Active => &[Dispensed, Completed, Cancelled, Expired],
            Dispensed => &[Completed],
            Expired => &[Active],
            Completed | Cancelled => &[],
        }
    }

    /// Only draft and active prescriptions can be edited; an issued one is
    /// amended by a new prescription, never changed or deleted.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Active)
    }

    pub fn transition(self, to: PrescriptionStatus) -> Result<PrescriptionStatus, ValidationError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(ValidationError::new(
                "status",
                format!("a prescription that is {self:?} cannot become {to:?}").to_lowercase(),
            ))
        }
    }
}

/// The last day a prescription issued (or renewed) on `day` is valid.
pub fn valid_until(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(VALID_DAYS)).unwrap_or(day)
}

/// The status a prescription has on `today`. Expiry follows the date: an
/// issued prescription past its last valid day is expired, and one renewed
/// (valid again) is active. The stored `active`/`expired` is the server's
/// record of this rule, written by it alone (see the server's expiry
/// sweep), so PCs never race each other to write it; every PC applies the
/// rule itself when it reads, offline too.
pub fn effective_status(
    stored: PrescriptionStatus,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> PrescriptionStatus {
    use PrescriptionStatus::*;
    match stored {
        Active | Expired if valid_until < today => Expired,
        Active | Expired => Active,
        other => other,
    }
}

/// Quantity of one item: 1 to 1000.
pub fn check_quantity(quantity: i64) -> Result<u32, ValidationError> {
    u32::try_from(quantity)
        .ok()
        .filter(|q| (1..=1000).contains(q))
        .ok_or_else(|| ValidationError::new("quantity", "must be between 1 and 1000"))
}

#[cfg(test)]
mod tests {
    use super::PrescriptionStatus::*;
    use super::*;

    #[test]
    fn names_are_the_serde_names() {
        for s in PrescriptionStatus::ALL {
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(s.as_str()))
            );
            assert_eq!(PrescriptionStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(PrescriptionStatus::parse("Draft"), None);
    }

    #[test]
    fn every_transition_of_the_table() {
        let legal = [
            (Draft, Active),
            (Draft, Cancelled),
            (Active, Dispensed),
            (Active, Completed),
            (Active, Cancelled),
            (Active, Expired),
            (Dispensed, Completed),
            (Expired, Active),
        ];
        for from in PrescriptionStatus::ALL {
            for to in PrescriptionStatus::ALL {
                assert_eq!(
                    from.transition(to).is_ok(),
                    legal.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        let editable: Vec<_> = PrescriptionStatus::ALL
            .into_iter()
            .filter(|s| s.editable())
            .collect();
        assert_eq!(editable, [Draft, Active]);
    }

    #[test]
    fn expiry_follows_the_last_valid_day_both_ways() {
        let last = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap_or_default();
        let (on, after) = (last, last.succ_opt().unwrap_or_default());
        assert_eq!(
            effective_status(Active, last, on),
            Active,
            "valid through its last day"
        );
        assert_eq!(effective_status(Active, last, after), Expired);
        assert_eq!(effective_status(Expired, last, on), Active, "renewed");
        assert_eq!(effective_status(Expired, last, after), Expired);
        for other in [Draft, Dispensed, Completed, Cancelled] {
            assert_eq!(
                effective_status(other, last, after),
                other,
                "{other:?} keeps its status"
            );
        }
    }

    #[test]
    fn validity_and_quantity() {
        let visit = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        assert_eq!(
            valid_until(visit),
            NaiveDate::from_ymd_opt(2026, 12, 27).unwrap_or_default()
        );
        assert_eq!(check_quantity(10), Ok(10));
        assert!(check_quantity(0).is_err() && check_quantity(1001).is_err() && check_quantity(-3).is_err());
    }
}
