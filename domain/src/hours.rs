//! A doctor's weekly hours as a receptionist types them: one line per
//! weekday such as "09:00-13:00, 14:00-18:00", the gap being the break.

use chrono::NaiveTime;

use crate::ValidationError;
use crate::doctor::{TimeSlot, WEEKDAYS, WeeklyAvailability, validate_availability};

/// The hours a newly added doctor starts with, for the admin to change:
/// Monday to Saturday, mornings and afternoons with a lunch break.
pub fn usual_week() -> WeeklyAvailability {
    let slot = |start: u32, end: u32| TimeSlot {
        start: NaiveTime::from_hms_opt(start, 0, 0).unwrap_or_default(),
        end: NaiveTime::from_hms_opt(end, 0, 0).unwrap_or_default(),
    };
    WEEKDAYS[..6]
        .iter()
        .map(|day| ((*day).to_owned(), vec![slot(9, 13), slot(14, 18)]))
        .collect()
}

/// One day's periods as typed: empty for a day off.
pub fn parse_day(day: &str, text: &str) -> Result<Vec<TimeSlot>, ValidationError> {
    let bad = |part: &str| {
        ValidationError::new(
            "availability",
            format!(
                "{}: '{part}' is not a period such as 09:00-13:00",
                capitalised(day)
            ),
        )
    };
    text.split([',', ';'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (start, end) = part.split_once(['-', '–']).ok_or_else(|| bad(part))?;
            let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad(part));
            Ok(TimeSlot {
                start: time(start)?,
                end: time(end)?,
            })
        })
        .collect()
}

/// The week from one line per weekday (missing or empty lines are days
/// off), checked like any availability: periods end after they start and
/// do not overlap.
pub fn parse_week(lines: &[(String, String)]) -> Result<WeeklyAvailability, ValidationError> {
    let mut week = WeeklyAvailability::new();
    for (day, text) in lines {
        let periods = parse_day(day, text)?;
        if !periods.is_empty() {
            week.insert(day.clone(), periods);
        }
    }
    validate_availability(week)
}

/// One day's periods as the form shows them.
pub fn format_day(periods: &[TimeSlot]) -> String {
    periods
        .iter()
        .map(|p| format!("{}-{}", p.start.format("%H:%M"), p.end.format("%H:%M")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn capitalised(day: &str) -> String {
    let mut chars = day.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(d, t)| ((*d).to_owned(), (*t).to_owned()))
            .collect()
    }

    #[test]
    fn a_typed_week_round_trips_with_breaks_and_days_off() {
        let week = parse_week(&lines(&[
            ("monday", "09:00-13:00, 14:00 - 18:00"),
            ("tuesday", ""),
            ("saturday", "10:00–12:30"),
        ]))
        .expect("valid");
        assert_eq!(week.len(), 2, "Tuesday is a day off");
        assert_eq!(format_day(&week["monday"]), "09:00-13:00, 14:00-18:00");
        assert_eq!(format_day(&week["saturday"]), "10:00-12:30");
    }

    #[test]
    fn bad_periods_name_the_day() {
        let err = parse_week(&lines(&[("monday", "9 to 1")])).expect_err("bad");
        assert!(err.message.starts_with("Monday:"), "{}", err.message);
        let overlap = parse_week(&lines(&[("friday", "09:00-13:00, 12:00-15:00")])).expect_err("overlap");
        assert!(overlap.message.contains("overlap"), "{}", overlap.message);
        let backwards = parse_week(&lines(&[("friday", "13:00-09:00")])).expect_err("backwards");
        assert!(backwards.message.contains("end after"), "{}", backwards.message);
    }

    #[test]
    fn the_usual_week_is_valid_and_leaves_sunday_off() {
        let week = validate_availability(usual_week()).expect("valid");
        assert_eq!(week.len(), 6);
        assert!(!week.contains_key("sunday"));
    }
}
