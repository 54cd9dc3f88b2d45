//! Doctors: licence numbers, offices and weekly availability.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::text;

/// A registration (licence) number, stored upper-case: 3-40 characters of
/// letters, digits, `/`, `-` and `.`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct LicenceNumber(String);

impl LicenceNumber {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_uppercase();
        let ok = (3..=40).contains(&value.len())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/-.".contains(c));
        if ok {
            Ok(Self(value))
        } else {
            Err(ValidationError::new(
                "licence_number",
                "must be 3 to 40 letters, digits, '/', '-' or '.'",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One place a doctor works. There is no offices table: the clinic's offices
/// are the union of its doctors' offices, keyed by `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// A short stable key such as `main` or `whitefield`.
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^[A-Za-z0-9_-]{1,40}$"#))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::text_or_null))]
    pub address: Option<String>,
    #[serde(default)]
    pub is_primary: bool,
}

/// The name of office `id` among `offices`; the id itself when the office
/// is unknown (e.g. removed since the record was written).
pub fn office_name(offices: &[Office], id: &str) -> String {
    offices
        .iter()
        .find(|o| o.id == id)
        .map_or_else(|| id.to_owned(), |o| o.name.clone())
}

/// Checks a doctor's offices: ids are 1-40 of `[a-z0-9_-]` and distinct,
/// names present, and exactly one primary when there are any.
pub fn validate_offices(offices: Vec<Office>) -> Result<Vec<Office>, ValidationError> {
    let field = "offices";
    if offices.len() > 50 {
        return Err(ValidationError::new(field, "must list at most 50 offices"));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(offices.len());
    for office in offices {
        let id = office.id.trim().to_lowercase();
        let id_ok = (1..=40).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !id_ok {
            return Err(ValidationError::new(
                field,
                "office id must be 1-40 letters, digits, '_' or '-'",
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(ValidationError::new(
                field,
                format!("office id '{id}' appears twice"),
            ));
        }
        out.push(Office {
            id,
            name: text::required("offices.name", &office.name, text::NAME_MAX)?,
            address: text::optional("offices.address", office.address.as_deref(), text::SHORT_TEXT_MAX)?,
            is_primary: office.is_primary,
        });
    }
    let primaries = out.iter().filter(|o| o.is_primary).count();
    if !out.is_empty() && primaries != 1 {
        return Err(ValidationError::new(
            field,
            "Exactly one office must be the primary one.",
        ));
    }
    Ok(out)
}

/// A working period inside one day, `start < end`, at one of the doctor's
/// offices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeSlot {
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, example = "09:00:00", pattern = r#"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"#)
    )]
    pub start: NaiveTime,
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, example = "13:00:00", pattern = r#"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"#)
    )]
    pub end: NaiveTime,
    /// The office worked at; absent means the primary office (hours typed
    /// before a doctor had several offices keep their meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^[A-Za-z0-9_-]{1,40}$"#))]
    pub office_id: Option<String>,
}

/// Weekly availability: weekday name (`monday`..`sunday`) to its slots.
pub type WeeklyAvailability = BTreeMap<String, Vec<TimeSlot>>;

pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Checks weekday names and that each day's slots are ordered and disjoint.
pub fn validate_availability(
    availability: WeeklyAvailability,
) -> Result<WeeklyAvailability, ValidationError> {
    let field = "availability";
    let mut out = WeeklyAvailability::new();
    for (day, mut slots) in availability {
        let day = day.trim().to_lowercase();
        if !WEEKDAYS.contains(&day.as_str()) {
            return Err(ValidationError::new(field, format!("'{day}' is not a weekday")));
        }
        slots.sort_by_key(|s| s.start);
        for slot in &slots {
            if slot.start >= slot.end {
                return Err(ValidationError::new(
                    field,
                    format!("{day}: a slot must end after it starts"),
                ));
            }
        }
        if slots.windows(2).any(|pair| pair[0].end > pair[1].start) {
            return Err(ValidationError::new(
                field,
                format!("{day}: periods overlap (a doctor is at one office at a time)"),
            ));
        }
        out.insert(day, slots);
    }
    Ok(out)
}

/// Checks that every period names one of `offices` (or none, meaning the
/// primary one): hours at an office the doctor does not work at would
/// offer times nobody can book.
pub fn check_hours_offices(
    availability: &WeeklyAvailability,
    offices: &[Office],
) -> Result<(), ValidationError> {
    let unknown = availability
        .iter()
        .flat_map(|(day, slots)| slots.iter().map(move |s| (day, s)))
        .find_map(|(day, s)| {
            s.office_id
                .as_deref()
                .filter(|id| !offices.iter().any(|o| o.id == *id))
                .map(|id| (day, id))
        });
    match unknown {
        Some((day, id)) => Err(ValidationError::new(
            "availability",
            format!("{day}: '{id}' is not one of the doctor's offices"),
        )),
        None => Ok(()),
    }
}

/// The periods of `day` (a weekday key) worked at office `office_id`.
pub fn periods_at(
    availability: &WeeklyAvailability,
    day: &str,
    office_id: &str,
    offices: &[Office],
) -> Vec<TimeSlot> {
    let primary = offices
        .iter()
        .find(|o| o.is_primary)
        .or_else(|| offices.first())
        .map(|o| o.id.as_str());
    let at_office = |slot: &&TimeSlot| match slot.office_id.as_deref() {
        Some(id) => id == office_id,
        None => primary.is_none_or(|p| p == office_id),
    };
    availability
        .get(day)
        .map(|slots| slots.iter().filter(at_office).cloned().collect())
        .unwrap_or_default()
}

/// Whether a visit of `minutes` from `start` on `date` at office
/// `office_id` lies within one of the doctor's periods there that weekday
/// (a visit running past midnight never does).
pub fn within_hours(
    availability: &WeeklyAvailability,
    offices: &[Office],
    office_id: &str,
    date: NaiveDate,
    start: NaiveTime,
    minutes: i64,
) -> bool {
    let day = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    let (end, wrapped) = start.overflowing_add_signed(TimeDelta::minutes(minutes));
    wrapped == 0
        && periods_at(availability, day, office_id, offices)
            .iter()
            .any(|p| p.start <= start && end <= p.end)
}

pub const EXPERIENCE_YEARS: std::ops::RangeInclusive<i32> = 0..=70;
pub const CONSULTATION_MINUTES: std::ops::RangeInclusive<i32> = 10..=240;

#[cfg(test)]
mod tests {
    use super::*;

    fn office(id: &str, primary: bool) -> Office {
        Office {
            id: id.into(),
            name: "Main".into(),
            address: None,
            is_primary: primary,
        }
    }

    #[test]
    fn licence_is_upper_cased() {
        assert_eq!(
            LicenceNumber::parse(" ka/12345 ").map(|l| l.0),
            Ok("KA/12345".into())
        );
        assert!(LicenceNumber::parse("x").is_err());
        assert!(LicenceNumber::parse("KA 123").is_err());
    }

    #[test]
    fn offices_need_one_primary_and_distinct_ids() {
        assert!(validate_offices(vec![]).is_ok());
        assert!(validate_offices(vec![office("main", true), office("east", false)]).is_ok());
        assert!(validate_offices(vec![office("main", false)]).is_err());
        assert!(validate_offices(vec![office("main", true), office("MAIN", false)]).is_err());
        assert!(validate_offices(vec![office("bad id", true)]).is_err());
    }

    fn slot(start: &str, end: &str) -> TimeSlot {
        TimeSlot {
            start: start.parse().expect("time"),
            end: end.parse().expect("time"),
            office_id: None,
        }
    }

    fn at(office: &str, start: &str, end: &str) -> TimeSlot {
        TimeSlot {
            office_id: Some(office.into()),
            ..slot(start, end)
        }
    }

    #[test]
    fn periods_belong_to_their_office_and_unnamed_ones_to_the_primary() {
        let offices = vec![office("main", true), office("east", false)];
        let mut week = WeeklyAvailability::new();
        week.insert(
            "monday".into(),
            vec![slot("09:00:00", "12:00:00"), at("east", "14:00:00", "18:00:00")],
        );
        assert_eq!(
            periods_at(&week, "monday", "main", &offices),
            vec![slot("09:00:00", "12:00:00")]
        );
        assert_eq!(
            periods_at(&week, "monday", "east", &offices),
            vec![at("east", "14:00:00", "18:00:00")]
        );
        assert!(periods_at(&week, "tuesday", "main", &offices).is_empty());
        assert!(check_hours_offices(&week, &offices).is_ok());
        let error = check_hours_offices(&week, &offices[..1]).err();
        assert_eq!(error.map(|e| e.field), Some("availability".to_owned()));
        // Being at two offices at once is an overlap like any other.
        week.insert(
            "tuesday".into(),
            vec![slot("09:00:00", "12:00:00"), at("east", "11:00:00", "13:00:00")],
        );
        assert!(validate_availability(week).is_err());
    }

    #[test]
    fn availability_slots_must_not_overlap() {
        let mut ok = WeeklyAvailability::new();
        ok.insert(
            "Monday".into(),
            vec![slot("14:00:00", "18:00:00"), slot("09:00:00", "13:00:00")],
        );
        let cleaned = validate_availability(ok).expect("valid");
        assert_eq!(cleaned["monday"][0].start, slot("09:00:00", "10:00:00").start);

        let mut overlap = WeeklyAvailability::new();
        overlap.insert(
            "monday".into(),
            vec![slot("09:00:00", "13:00:00"), slot("12:00:00", "14:00:00")],
        );
        assert!(validate_availability(overlap).is_err());

        let mut bad_day = WeeklyAvailability::new();
        bad_day.insert("funday".into(), vec![]);
        assert!(validate_availability(bad_day).is_err());
    }

    #[test]
    fn a_visit_is_within_hours_only_when_one_period_at_its_office_holds_all_of_it() {
        let at = |h: u32, m: u32| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        let offices = [office("main", true), office("annex", false)];
        let mut week = WeeklyAvailability::new();
        week.insert(
            "monday".into(),
            vec![
                TimeSlot {
                    start: at(14, 0),
                    end: at(18, 0),
                    office_id: None,
                },
                TimeSlot {
                    start: at(19, 0),
                    end: at(23, 59),
                    office_id: Some("annex".into()),
                },
            ],
        );
        let monday = NaiveDate::from_ymd_opt(2030, 1, 7).expect("a Monday");
        let fits = |office: &str, day: NaiveDate, start: NaiveTime, minutes: i64| {
            within_hours(&week, &offices, office, day, start, minutes)
        };
        assert!(fits("main", monday, at(17, 30), 30));
        assert!(!fits("main", monday, at(17, 45), 30), "runs past 18:00");
        assert!(
            !fits("main", monday, at(19, 0), 30),
            "the evening is at the annex"
        );
        assert!(fits("annex", monday, at(19, 0), 30));
        assert!(!fits("annex", monday, at(23, 50), 30), "past midnight");
        assert!(!fits("main", monday.succ_opt().expect("Tuesday"), at(15, 0), 30));
    }
}
