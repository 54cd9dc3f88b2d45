//! A doctor's days off and leave: date ranges on which booking offers no
//! free time and a PC books nothing, whatever the weekly hours say.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::text;

const FIELD: &str = "time_off";
/// Enough for years of leave; a list this long is a mistake or an attack.
pub const MAX_ENTRIES: usize = 200;
/// The longest single stretch: a sabbatical, not "until further notice".
pub const MAX_DAYS: i64 = 366;
pub const REASON_MAX: usize = 120;

/// One stretch of days off, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeOff {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-12-24"))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-12-26"))]
    pub to: NaiveDate,
    /// Shown to the receptionist who tries to book ("Conference", "Leave").
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 120))]
    pub reason: Option<String>,
}

impl TimeOff {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// "24 Dec 2026" or "24 Dec 2026 – 26 Dec 2026", with the reason.
    pub fn describe(&self) -> String {
        let date = |d: NaiveDate| d.format("%-d %b %Y").to_string();
        let span = if self.from == self.to {
            date(self.from)
        } else {
            format!("{} – {}", date(self.from), date(self.to))
        };
        match &self.reason {
            Some(reason) => format!("{span} ({reason})"),
            None => span,
        }
    }
}

/// Checks and orders a doctor's time off: each stretch ends on or after it
/// starts and lasts at most a year, reasons are short single lines, and no
/// two stretches share a day (one would hide the other's reason).
pub fn validate(list: Vec<TimeOff>) -> Result<Vec<TimeOff>, ValidationError> {
    if list.len() > MAX_ENTRIES {
        return Err(ValidationError::new(
            FIELD,
            format!("at most {MAX_ENTRIES} periods; remove old ones"),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for entry in list {
        if entry.to < entry.from {
            return Err(ValidationError::new(
                FIELD,
                format!(
                    "{}: the last day is before the first",
                    entry.from.format("%-d %b %Y")
                ),
            ));
        }
        if (entry.to - entry.from).num_days() >= MAX_DAYS {
            return Err(ValidationError::new(
                FIELD,
                format!("{}: a period lasts at most {MAX_DAYS} days", entry.describe()),
            ));
        }
        let reason = match entry.reason.as_deref() {
            Some(raw) => text::optional(FIELD, Some(raw), REASON_MAX)?,
            None => None,
        };
        if reason.as_deref().is_some_and(|r| r.contains(['\n', '\t'])) {
            return Err(ValidationError::new(FIELD, "a reason must be on one line"));
        }
        out.push(TimeOff { reason, ..entry });
    }
    out.sort_by_key(|e| (e.from, e.to));
    if let Some(pair) = out.windows(2).find(|pair| pair[1].from <= pair[0].to) {
        return Err(ValidationError::new(
            FIELD,
            format!("{} overlaps {}", pair[1].describe(), pair[0].describe()),
        ));
    }
    Ok(out)
}

/// The stretch of time off covering `day`, if any.
pub fn on(list: &[TimeOff], day: NaiveDate) -> Option<&TimeOff> {
    list.iter().find(|e| e.covers(day))
}

/// The stretches in `after` that are not in `before`: the ones to check
/// against appointments already booked.
pub fn added<'a>(before: &[TimeOff], after: &'a [TimeOff]) -> Vec<&'a TimeOff> {
    after
        .iter()
        .filter(|e| !before.iter().any(|b| b.from == e.from && b.to == e.to))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    fn off(from: u32, to: u32, reason: Option<&str>) -> TimeOff {
        TimeOff {
            from: day(from),
            to: day(to),
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn stretches_are_ordered_trimmed_and_cover_both_ends() {
        let list = validate(vec![off(24, 26, Some("  Christmas ")), off(3, 3, Some(""))]).unwrap_or_default();
        assert_eq!(list, vec![off(3, 3, None), off(24, 26, Some("Christmas"))]);
        assert_eq!(on(&list, day(24)), Some(&list[1]));
        assert_eq!(on(&list, day(26)), Some(&list[1]));
        assert_eq!(on(&list, day(27)), None);
        assert_eq!(on(&list, day(3)), Some(&list[0]));
        assert_eq!(list[1].describe(), "24 Dec 2026 – 26 Dec 2026 (Christmas)");
        assert_eq!(list[0].describe(), "3 Dec 2026");
    }

    #[test]
    fn backwards_overlapping_long_or_multi_line_stretches_are_refused() {
        let field_of = |list| validate(list).err().map(|e| e.field);
        assert_eq!(field_of(vec![off(5, 4, None)]), Some(FIELD.to_owned()));
        assert!(validate(vec![off(1, 5, None), off(5, 8, None)]).is_err());
        assert!(validate(vec![off(1, 5, Some("a\nb"))]).is_err());
        assert!(validate(vec![off(1, 5, Some(&"x".repeat(REASON_MAX + 1)))]).is_err());
        let long = TimeOff {
            from: day(1),
            to: day(1) + chrono::Duration::days(MAX_DAYS),
            reason: None,
        };
        assert!(validate(vec![long]).is_err());
        assert!(validate(vec![off(1, 1, None); MAX_ENTRIES + 1]).is_err());
    }

    #[test]
    fn only_new_or_changed_stretches_count_as_added() {
        let before = vec![off(1, 2, Some("Leave"))];
        let after = vec![off(1, 2, Some("Sick")), off(10, 12, None), off(20, 20, None)];
        let added: Vec<_> = added(&before, &after).into_iter().cloned().collect();
        assert_eq!(added, vec![off(10, 12, None), off(20, 20, None)]);
    }
}
