//! The clinic's reports for a range of days, worked out on the PC from its
//! own store (so they work offline): visits per doctor, money received by
//! day, week or month (per doctor and per payment mode), new and returning
//! patients, the commonest diagnoses and medicines.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use domain::ValidationError;
use domain::date::{self, DateStyle};

mod tables;
pub use tables::ReportTables;

/// How money received is grouped over the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Day,
    Week,
    Month,
}

impl Period {
    pub const ALL: [Self; 3] = [Self::Day, Self::Week, Self::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Day => "By day",
            Self::Week => "By week",
            Self::Month => "By month",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// The name of the period starting at `start`: `2 Dec 2026`,
    /// `Week of 30 Nov 2026`, `December 2026`.
    pub fn label(self, start: NaiveDate, style: DateStyle) -> String {
        match self {
            Self::Day => date::format_long(start, style),
            Self::Week => format!("Week of {}", date::format_long(start, style)),
            Self::Month => start.format("%B %Y").to_string(),
        }
    }

    /// The first day of the period `day` falls in (weeks start on Monday).
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => day,
            Self::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Self::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the period after the one starting at `start`.
    fn after(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => start + Days::new(1),
            Self::Week => start + Days::new(7),
            Self::Month => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// The starts of every period that overlaps `from..=to`, in order.
    pub fn starts(self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut start = self.start_of(from);
        while start <= to {
            out.push(start);
            start = self.after(start);
        }
        out
    }
}

/// The longest range a report covers: three years.
pub const MAX_DAYS: i64 = 3 * 366;
/// At most this many bars in the money chart (three months of days).
pub const MAX_PERIODS: usize = 93;

/// The range and grouping chosen on the page (dates as ISO text).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub period: Period,
}

impl ReportQuery {
    /// The range as dates: both readable, in order, at most [`MAX_DAYS`]
    /// long, and no more than [`MAX_PERIODS`] periods of the grouping.
    pub fn validate(&self) -> Result<(NaiveDate, NaiveDate), Vec<ValidationError>> {
        let date = |field: &str, raw: &str| {
            NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
                .map_err(|_| ValidationError::new(field, "must be a date"))
        };
        let (from, to) = match (date("from", &self.from), date("to", &self.to)) {
            (Ok(from), Ok(to)) => (from, to),
            (from, to) => return Err([from.err(), to.err()].into_iter().flatten().collect()),
        };
        if to < from {
            return Err(vec![ValidationError::new(
                "to",
                "must not be before the first day",
            )]);
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(vec![ValidationError::new(
                "to",
                "a report covers at most three years",
            )]);
        }
        if self.period.starts(from, to).len() > MAX_PERIODS {
            return Err(vec![ValidationError::new(
                "period",
                "too many bars: group by week or month for a range this long",
            )]);
        }
        Ok((from, to))
    }
}

/// One doctor's visits over the range.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DoctorVisits {
    pub doctor_id: String,
    pub doctor_name: String,
    /// Booked appointments (not walk-ins), moved ones counted once.
    pub booked: u32,
    pub walk_ins: u32,
    pub completed: u32,
    pub no_shows: u32,
    pub cancelled: u32,
}

/// Money received in one period.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RevenuePeriod {
    /// The period's first day (ISO).
    pub start: String,
    pub total_minor: i64,
    /// Per doctor, in the order of [`Report::doctors`].
    pub by_doctor: Vec<i64>,
    /// Per payment mode, in the order of `PaymentMode::ALL`.
    pub by_mode: Vec<i64>,
}

/// A part of the money received: one doctor's, or one payment mode's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Share {
    pub label: String,
    pub amount_minor: i64,
    pub payments: u32,
}

/// A diagnosis or medicine and how many prescriptions named it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ranked {
    pub name: String,
    pub count: u32,
}

/// Everything the Reports page shows for one range.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Report {
    pub from: String,
    pub to: String,
    pub period: Period,
    pub visits: Vec<DoctorVisits>,
    /// Who money is counted for: the doctors of the bills paid in range
    /// ("No doctor" for a bill without one).
    pub doctors: Vec<String>,
    pub revenue: Vec<RevenuePeriod>,
    pub by_doctor: Vec<Share>,
    pub by_mode: Vec<Share>,
    pub received_minor: i64,
    /// Issued (not void) bills dated in the range, and their total.
    pub bills: u32,
    pub billed_minor: i64,
    /// Patients seen in the range for the first time, and those seen before.
    pub new_patients: u32,
    pub returning_patients: u32,
    pub top_diagnoses: Vec<Ranked>,
    pub top_medicines: Vec<Ranked>,
}

/// How many of each list a report ranks.
pub const TOP: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn periods_cover_the_range_from_their_first_day() {
        let (from, to) = (d("2026-11-25"), d("2026-12-02"));
        assert_eq!(Period::Day.starts(from, to).len(), 8);
        assert_eq!(
            Period::Week.starts(from, to),
            [d("2026-11-23"), d("2026-11-30")],
            "weeks start on Monday"
        );
        assert_eq!(Period::Month.starts(from, to), [d("2026-11-01"), d("2026-12-01")]);
        assert_eq!(
            Period::Month.starts(d("2026-01-31"), d("2026-03-01")),
            [d("2026-01-01"), d("2026-02-01"), d("2026-03-01")]
        );
    }

    #[test]
    fn a_range_is_read_checked_and_bounded() {
        let q = |from: &str, to: &str, period| ReportQuery {
            from: from.into(),
            to: to.into(),
            period,
        };
        assert_eq!(
            q("2026-12-01", "2026-12-31", Period::Day).validate(),
            Ok((d("2026-12-01"), d("2026-12-31")))
        );
        let fields = |r: Result<_, Vec<ValidationError>>| -> Vec<String> {
            r.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(
            fields(q("1/12/2026", "soon", Period::Day).validate()),
            ["from", "to"]
        );
        assert_eq!(
            fields(q("2026-12-02", "2026-12-01", Period::Day).validate()),
            ["to"]
        );
        assert_eq!(
            fields(q("2026-01-01", "2026-12-31", Period::Day).validate()),
            ["period"]
        );
        assert!(q("2026-01-01", "2026-12-31", Period::Week).validate().is_ok());
        assert_eq!(
            fields(q("2020-01-01", "2026-12-31", Period::Month).validate()),
            ["to"]
        );
    }
}
