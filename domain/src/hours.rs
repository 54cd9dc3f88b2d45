//! A doctor's weekly hours as a receptionist types them: one line per
//! weekday such as "09:00-13:00, 14:00-18:00", the gap being the break.

use chrono::NaiveTime;

use crate::ValidationError;
use crate::doctor::{Office, TimeSlot, WEEKDAYS, WeeklyAvailability, periods_at, validate_availability};

/// Each weekday with its periods as typed.
pub type WeekLines = Vec<(String, String)>;

/// A doctor's hours as the profile form edits them: one week of lines per
/// office (office id first; one block, keyed by the primary office or ""
/// when the doctor has a single office or none).
pub type OfficeHours = Vec<(String, WeekLines)>;

/// The hours a newly added doctor starts with, for the admin to change:
/// Monday to Saturday, mornings and afternoons with a lunch break.
pub fn usual_week() -> WeeklyAvailability {
    let slot = |start: u32, end: u32| TimeSlot {
        start: NaiveTime::from_hms_opt(start, 0, 0).unwrap_or_default(),
        end: NaiveTime::from_hms_opt(end, 0, 0).unwrap_or_default(),
        office_id: None,
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
                office_id: None,
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

/// Every weekday with `periods_of(day)` as the form shows it.
pub fn week_lines(periods_of: impl Fn(&str) -> Vec<TimeSlot>) -> WeekLines {
    WEEKDAYS
        .iter()
        .map(|day| ((*day).to_owned(), format_day(&periods_of(day))))
        .collect()
}

/// The form's blocks for `week`: one per office when there are several,
/// else a single block holding every period.
pub fn office_blocks(week: &WeeklyAvailability, offices: &[Office]) -> OfficeHours {
    if offices.len() <= 1 {
        let key = offices.first().map(|o| o.id.clone()).unwrap_or_default();
        let lines = week_lines(|day| week.get(day).cloned().unwrap_or_default());
        return vec![(key, lines)];
    }
    offices
        .iter()
        .map(|o| {
            (
                o.id.clone(),
                week_lines(|day| periods_at(week, day, &o.id, offices)),
            )
        })
        .collect()
}

/// Keeps the blocks in step with the offices being edited: a new office
/// starts with no hours, a removed one takes its hours with it, and going
/// from several offices to one keeps the remaining office's hours.
pub fn follow_offices(blocks: &OfficeHours, offices: &[Office]) -> OfficeHours {
    let lines_for = |id: &str| {
        blocks
            .iter()
            .find(|(key, _)| key == id)
            .map(|(_, lines)| lines.clone())
    };
    if offices.len() <= 1 {
        let key = offices.first().map(|o| o.id.clone()).unwrap_or_default();
        let lines = lines_for(&key)
            .or_else(|| (blocks.len() == 1).then(|| blocks[0].1.clone()))
            .unwrap_or_else(|| week_lines(|_| Vec::new()));
        return vec![(key, lines)];
    }
    offices
        .iter()
        .map(|o| {
            let lines = lines_for(&o.id)
                .or_else(|| (blocks.len() == 1 && blocks[0].0.is_empty()).then(|| blocks[0].1.clone()))
                .unwrap_or_else(|| week_lines(|_| Vec::new()));
            (o.id.clone(), lines)
        })
        .collect()
}

/// The week from the form's blocks: with several offices each period is
/// marked with its office, and being at two offices at once is refused as
/// an overlap.
pub fn parse_blocks(blocks: &OfficeHours) -> Result<WeeklyAvailability, ValidationError> {
    let mut week = WeeklyAvailability::new();
    for (office, lines) in blocks {
        for (day, periods) in parse_week(lines)? {
            let marked = periods.into_iter().map(|p| TimeSlot {
                office_id: (blocks.len() > 1).then(|| office.clone()),
                ..p
            });
            week.entry(day).or_default().extend(marked);
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

    fn office(id: &str, primary: bool) -> Office {
        Office {
            id: id.into(),
            name: id.to_uppercase(),
            address: None,
            is_primary: primary,
        }
    }

    #[test]
    fn hours_per_office_round_trip_and_follow_the_offices() {
        let one = [office("main", true)];
        let blocks = office_blocks(&usual_week(), &one);
        assert_eq!(blocks.len(), 1);
        assert_eq!(
            parse_blocks(&blocks),
            Ok(usual_week()),
            "one office: periods stay unmarked"
        );

        // A second office starts empty; the first keeps its hours.
        let two = [office("main", true), office("east", false)];
        let mut blocks = follow_offices(&blocks, &two);
        assert_eq!(blocks[0], office_blocks(&usual_week(), &one)[0]);
        assert!(blocks[1].1.iter().all(|(_, text)| text.is_empty()));
        blocks[0].1[0].1 = "09:00-13:00".into();
        blocks[1].1[0].1 = "14:00-18:00".into();
        let week = parse_blocks(&blocks).expect("valid");
        assert_eq!(week["monday"].len(), 2);
        assert_eq!(week["monday"][1].office_id.as_deref(), Some("east"));
        assert_eq!(office_blocks(&week, &two), blocks, "read back per office");

        // At both offices at once: an overlap.
        blocks[1].1[0].1 = "12:00-15:00".into();
        assert!(parse_blocks(&blocks).is_err());

        // Back to one office: its hours stay, the other's go.
        let kept = follow_offices(&blocks, &two[1..]);
        assert_eq!(kept, vec![("east".to_owned(), blocks[1].1.clone())]);
    }

    #[test]
    fn the_usual_week_is_valid_and_leaves_sunday_off() {
        let week = validate_availability(usual_week()).expect("valid");
        assert_eq!(week.len(), 6);
        assert!(!week.contains_key("sunday"));
    }
}
