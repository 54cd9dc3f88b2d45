//! Dates as the clinic's people read and type them.
//!
//! Records keep ISO `YYYY-MM-DD`; people see and type the clinic's style,
//! chosen from its country (an Indian clinic reads `01/12/2026` as the
//! first of December, an American one as the twelfth of January). One
//! module for screens and prints alike, so the app never shows two styles
//! side by side. Pure (chrono only): the wasm UI and the PC share it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};

/// The order of day, month and year in the clinic's country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// `01/12/2026`, `1 Dec 2026`: most of the world, India included.
    #[default]
    DayMonthYear,
    /// `12/01/2026`, `Dec 1, 2026`: the United States and the Philippines.
    MonthDayYear,
    /// `2026-12-01`: China, Japan, Korea, Hungary, Sweden, ...
    YearMonthDay,
}

/// Calling codes whose countries write the month first (+1 is the whole
/// North American numbering plan; Canada writes both, month first is the
/// common reading there).
const MONTH_FIRST: [&str; 2] = ["1", "63"];
/// Calling codes whose countries write the year first.
const YEAR_FIRST: [&str; 9] = ["86", "81", "82", "850", "886", "36", "46", "370", "976"];

impl DateStyle {
    /// The style of the clinic's country, from its default calling code
    /// (`TenantSettings::default_country_calling_code`, e.g. `91`); a
    /// clinic that has not set one gets day-month-year.
    pub fn for_calling_code(code: Option<&str>) -> Self {
        let code = code.map_or("", |c| c.trim().trim_start_matches('+'));
        if MONTH_FIRST.contains(&code) {
            Self::MonthDayYear
        } else if YEAR_FIRST.contains(&code) {
            Self::YearMonthDay
        } else {
            Self::DayMonthYear
        }
    }
}

/// Why typed text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("no date was entered")]
    Empty,
    #[error("the text is not a date in a form the app reads")]
    Unreadable,
    /// Read as a date, but the calendar has no such day (31/02, month 13).
    #[error("the calendar has no such day")]
    NoSuchDay,
    /// A weekday was typed that the date does not fall on.
    #[error("the date does not fall on that weekday")]
    WrongWeekday,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// `01/12/2026`, `12/01/2026` or `2026-12-01`: lists, tables and fields.
pub fn format_short(date: NaiveDate, style: DateStyle) -> String {
    let pattern = match style {
        DateStyle::DayMonthYear => "%d/%m/%Y",
        DateStyle::MonthDayYear => "%m/%d/%Y",
        DateStyle::YearMonthDay => "%Y-%m-%d",
    };
    date.format(pattern).to_string()
}

/// `1 Dec 2026`, `Dec 1, 2026` or `2026-12-01`: prints and sentences,
/// where a month name cannot be misread.
pub fn format_long(date: NaiveDate, style: DateStyle) -> String {
    let pattern = match style {
        DateStyle::DayMonthYear => "%-d %b %Y",
        DateStyle::MonthDayYear => "%b %-d, %Y",
        DateStyle::YearMonthDay => "%Y-%m-%d",
    };
    date.format(pattern).to_string()
}

/// `Tuesday 1 December 2026` or `Tuesday, December 1, 2026`: the heading
/// of a day's page.
pub fn format_day_heading(date: NaiveDate, style: DateStyle) -> String {
    let pattern = match style {
        DateStyle::DayMonthYear => "%A %-d %B %Y",
        DateStyle::MonthDayYear => "%A, %B %-d, %Y",
        DateStyle::YearMonthDay => "%Y-%m-%d %A",
    };
    date.format(pattern).to_string()
}

/// `1 Dec 2026, 15:56` (12-hour clock for month-first countries, as they
/// read it): a moment to the minute, e.g. "printed at".
pub fn format_date_time(at: NaiveDateTime, style: DateStyle) -> String {
    let time = match style {
        DateStyle::MonthDayYear => at.format("%-I:%M %p"),
        _ => at.format("%H:%M"),
    };
    format!("{}, {time}", format_long(at.date(), style))
}

/// Like [`format_date_time`] with the seconds: the exact moment, for a
/// hover text next to "2 minutes ago".
pub fn format_exact(at: NaiveDateTime, style: DateStyle) -> String {
    let time = match style {
        DateStyle::MonthDayYear => at.format("%-I:%M:%S %p"),
        _ => at.format("%H:%M:%S"),
    };
    format!("{}, {time}", format_long(at.date(), style))
}

/// The stored form of a date, `YYYY-MM-DD`.
pub fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A stored `YYYY-MM-DD` date, strictly (no other form is stored).
pub fn parse_iso(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// A stored `YYYY-MM-DD` shown with `format` (e.g. [`format_short`]);
/// anything else is shown as it is, so nothing is hidden from the reader.
pub fn reformat(raw: &str, style: DateStyle, format: fn(NaiveDate, DateStyle) -> String) -> String {
    parse_iso(raw).map_or_else(|| raw.to_owned(), |d| format(d, style))
}

/// What an empty date field shows: `DD/MM/YYYY`.
pub fn placeholder(style: DateStyle) -> &'static str {
    match style {
        DateStyle::DayMonthYear => "DD/MM/YYYY",
        DateStyle::MonthDayYear => "MM/DD/YYYY",
        DateStyle::YearMonthDay => "YYYY-MM-DD",
    }
}

/// A date to copy, in the clinic's style: `25/04/1990`.
pub fn example(style: DateStyle) -> String {
    NaiveDate::from_ymd_opt(1990, 4, 25).map_or_else(String::new, |d| format_short(d, style))
}

/// The message under a date field that could not be read.
pub fn entry_message(style: DateStyle) -> String {
    format!("Enter a date like {}.", example(style))
}

/// Reads a typed date: the style's short form (`1/12/2026`, `01-12-2026`,
/// `01.12.2026`), a year-first form such as ISO `2026-12-01` (always: a
/// four-digit year first is unambiguous), or words (`1 Dec 2026`,
/// `December 1, 2026`, `Tuesday 1 December 2026`, any case).
pub fn parse_date(input: &str, style: DateStyle) -> Result<NaiveDate, DateError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    if parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return numeric(&parts, style);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    worded(&words)
}

/// `d/m/y`, `m/d/y` or `y/m/d` by style; a four-digit first part is
/// always the year.
fn numeric(parts: &[&str], style: DateStyle) -> Result<NaiveDate, DateError> {
    let [a, b, c] = parts else {
        return Err(DateError::Unreadable);
    };
    let (year, month, day) = if a.len() == 4 {
        (*a, *b, *c)
    } else {
        match style {
            DateStyle::DayMonthYear => (*c, *b, *a),
            DateStyle::MonthDayYear => (*c, *a, *b),
            // A year-first clinic has no day-first or month-first reading.
            DateStyle::YearMonthDay => return Err(DateError::Unreadable),
        }
    };
    if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return Err(DateError::Unreadable);
    }
    build(year, month_number(month), day)
}

/// Day, month name and year in any order, after an optional weekday.
fn worded(words: &[&str]) -> Result<NaiveDate, DateError> {
    let (weekday, rest) = match words.split_first() {
        Some((first, rest)) if weekday_of(first).is_some() => (weekday_of(first), rest),
        _ => (None, words),
    };
    if rest.len() != 3 {
        return Err(DateError::Unreadable);
    }
    let month = single(rest.iter().filter_map(|w| month_of(w)))?;
    let year = single(rest.iter().copied().filter(|w| w.len() == 4 && digits(w)))?;
    let day = single(rest.iter().filter_map(|w| day_of(w)))?;
    let date = build(year, Some(month), day)?;
    match weekday {
        Some(w) if w != date.weekday() => Err(DateError::WrongWeekday),
        _ => Ok(date),
    }
}

/// Exactly one match, or the text is not a date.
fn single<T>(mut found: impl Iterator<Item = T>) -> Result<T, DateError> {
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        _ => Err(DateError::Unreadable),
    }
}

fn build(year: &str, month: Option<u32>, day: &str) -> Result<NaiveDate, DateError> {
    let year: i32 = year.parse().map_err(|_| DateError::Unreadable)?;
    let day: u32 = day.parse().map_err(|_| DateError::Unreadable)?;
    let month = month.ok_or(DateError::Unreadable)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay)
}

fn digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

fn month_number(part: &str) -> Option<u32> {
    part.parse().ok()
}

/// `December`, `dec` or `Sept` -> 12 / 9.
fn month_of(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let n = MONTHS.iter().position(|m| {
        *m == word || (word.len() == 3 && m.starts_with(&word)) || (word == "sept" && *m == "september")
    })?;
    u32::try_from(n + 1).ok()
}

/// `Tuesday` or `tue`.
fn weekday_of(word: &str) -> Option<Weekday> {
    let word = word.to_lowercase();
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == word || (word.len() == 3 && name.starts_with(&word)))
        .map(|(_, day)| *day)
}

/// A day of one or two digits, with an optional `st`/`nd`/`rd`/`th`.
fn day_of(word: &str) -> Option<&str> {
    let lower = word.to_ascii_lowercase();
    let number = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| lower.strip_suffix(s))
        .map_or(word, |n| &word[..n.len()]);
    ((1..=2).contains(&number.len()) && digits(number)).then_some(number)
}

/// "just now", "2 minutes ago", "3 hours ago", "yesterday", else the
/// date: how long ago `then` was, both on the same (local) clock.
pub fn relative_time(now: NaiveDateTime, then: NaiveDateTime, style: DateStyle) -> String {
    let seconds = (now - then).num_seconds();
    if seconds < -60 {
        // This PC's clock is behind: say when rather than "in the future".
        return format_date_time(then, style);
    }
    if seconds < 60 {
        return "just now".to_owned();
    }
    let minutes = seconds / 60;
    if minutes < 60 {
        return ago(minutes, "minute");
    }
    let hours = minutes / 60;
    // A few hours across midnight read better as hours than "yesterday".
    if hours < 12 || then.date() == now.date() {
        return ago(hours, "hour");
    }
    if then.date().succ_opt() == Some(now.date()) {
        return "yesterday".to_owned();
    }
    format_short(then.date(), style)
}

fn ago(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

#[cfg(test)]
mod tests;
