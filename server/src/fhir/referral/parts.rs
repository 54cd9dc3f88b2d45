//! Reading the small FHIR pieces a referral is made of (names, codes,
//! dates, references) into plain values, whatever system wrote them.

use chrono::NaiveDate;
use fhir_model::r4b::types::{Annotation, CodeableConcept, HumanName};
use fhir_model::{Date, DateTime, Instant};

/// Words of a code: its text, else the first coding's display or code.
pub fn concept(c: &CodeableConcept) -> Option<String> {
    c.text.clone().filter(|t| !t.trim().is_empty()).or_else(|| {
        c.coding
            .iter()
            .flatten()
            .find_map(|coding| coding.display.clone().or_else(|| coding.code.clone()))
    })
}

/// A person's name as one line ("Meera Rao").
pub fn full_name(names: &[Option<HumanName>]) -> Option<String> {
    let name = names.iter().flatten().next()?;
    if let Some(text) = name.text.clone().filter(|t| !t.trim().is_empty()) {
        return Some(text);
    }
    let mut parts: Vec<String> = name.given.iter().flatten().cloned().collect();
    parts.extend(name.family.clone());
    let line = parts.join(" ");
    (!line.trim().is_empty()).then_some(line)
}

/// (given names, family name) of the first name, falling back to the
/// first word of its text for the given name.
pub fn given_and_family(names: &[Option<HumanName>]) -> Option<(String, Option<String>)> {
    let name = names.iter().flatten().next()?;
    let given = name
        .given
        .iter()
        .flatten()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let family = name.family.clone().filter(|f| !f.trim().is_empty());
    if !given.is_empty() {
        return Some((given, family));
    }
    let text = name.text.as_deref()?.trim();
    let mut words = text.split_whitespace();
    let first = words.next()?.to_owned();
    let rest = words.collect::<Vec<_>>().join(" ");
    Some((first, family.or((!rest.is_empty()).then_some(rest))))
}

pub fn date(d: &Date) -> Option<NaiveDate> {
    match d {
        Date::Date(day) => {
            NaiveDate::from_ymd_opt(day.year(), u32::from(u8::from(day.month())), u32::from(day.day()))
        }
        Date::YearMonth(year, month) => NaiveDate::from_ymd_opt(*year, u32::from(u8::from(*month)), 1),
        Date::Year(year) => NaiveDate::from_ymd_opt(*year, 1, 1),
    }
}

pub fn instant_date(at: &Instant) -> Option<NaiveDate> {
    date(&Date::Date(at.0.date()))
}

pub fn date_time(at: &DateTime) -> Option<NaiveDate> {
    match at {
        DateTime::Date(d) => date(d),
        DateTime::DateTime(at) => instant_date(at),
    }
}

/// The notes of a resource, one per line.
pub fn notes(notes: &[Option<Annotation>]) -> Option<String> {
    let lines: Vec<&str> = notes.iter().flatten().map(|n| n.text.as_str()).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// `text` cut to at most `max` characters (on a character boundary), so
/// a long value from elsewhere fits the column instead of failing it.
pub fn fit(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Joins the present parts with " · ".
pub fn joined(parts: &[Option<String>]) -> Option<String> {
    let present: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!present.is_empty()).then(|| present.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_long_text_on_a_character_boundary() {
        assert_eq!(fit("  short ", 10), "short");
        let cut = fit(&"é".repeat(20), 10);
        assert_eq!(cut.chars().count(), 10);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn joined_skips_missing_and_blank_parts() {
        assert_eq!(
            joined(&[Some("a".into()), None, Some(" ".into()), Some("b".into())]),
            Some("a · b".into())
        );
        assert_eq!(joined(&[None]), None);
    }
}
