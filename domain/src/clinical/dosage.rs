//! Dosage frequency, including the morning-noon-night notation (1-0-1).

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// Doses in the morning, at noon and at night (`1-0-1`, `½-0-½`), or
/// four times (`1-1-1-1`, adding the evening).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DailyPattern {
    pub doses: [f32; 4],
    pub parts: usize,
}

impl DailyPattern {
    /// Parses `1-0-1` style text; `None` if the text is free-form (such as
    /// "every 8 hours"), which is allowed and kept as typed.
    pub fn parse(raw: &str) -> Option<Self> {
        let parts: Vec<&str> = raw.trim().split('-').map(str::trim).collect();
        if !(3..=4).contains(&parts.len()) {
            return None;
        }
        let mut doses = [0.0; 4];
        for (slot, part) in doses.iter_mut().zip(&parts) {
            *slot = match *part {
                "½" | "1/2" => 0.5,
                "¼" | "1/4" => 0.25,
                other => other.parse::<f32>().ok().filter(|d| (0.0..=10.0).contains(d))?,
            };
        }
        Some(Self {
            doses,
            parts: parts.len(),
        })
    }

    pub fn per_day(&self) -> f32 {
        self.doses.iter().sum()
    }

    /// Words for the printed prescription.
    pub fn describe(&self) -> String {
        let names = ["morning", "noon", "night", "evening"];
        let names: &[&str] = if self.parts == 4 {
            &["morning", "noon", "evening", "night"]
        } else {
            &names[..3]
        };
        let said: Vec<String> = self
            .doses
            .iter()
            .zip(names)
            .filter(|(d, _)| **d > 0.0)
            .map(|(d, n)| {
                if (*d - 1.0).abs() < f32::EPSILON {
                    (*n).to_owned()
                } else {
                    format!("{d} at {n}")
                }
            })
            .collect();
        if said.is_empty() {
            "as directed".to_owned()
        } else {
            said.join(", ")
        }
    }
}

/// Checks a frequency as typed: any non-empty text up to 100 characters;
/// a pattern that looks like `x-y-z` must be a valid one.
pub fn check_frequency(raw: &str) -> Result<String, ValidationError> {
    let text = crate::text::required("frequency", raw, 100)?;
    let looks_like_pattern =
        text.contains('-') && text.chars().all(|c| c.is_ascii_digit() || "-½¼/. ".contains(c));
    if looks_like_pattern && DailyPattern::parse(&text).is_none() {
        return Err(ValidationError::new(
            "frequency",
            "write doses as morning-noon-night, e.g. 1-0-1",
        ));
    }
    Ok(text)
}

/// Tablets needed for `days` at this pattern, rounded up.
pub fn quantity_for(pattern: &DailyPattern, days: u32) -> u32 {
    (pattern.per_day() * days as f32).ceil() as u32
}

/// Days in a typed duration: "5 days", "1 week", "2 months" (30 days),
/// "10" (days). `None` for "until review" and the like.
pub fn duration_days(raw: &str) -> Option<u32> {
    let text = raw.trim().to_lowercase();
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().ok()?;
    let unit = text[digits.len()..].trim();
    let per = match unit {
        "" | "d" | "day" | "days" => 1,
        "w" | "wk" | "week" | "weeks" => 7,
        "month" | "months" => 30,
        _ => return None,
    };
    n.checked_mul(per).filter(|d| (1..=365).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morning_noon_night() {
        let p = DailyPattern::parse("1-0-1").expect("pattern");
        assert_eq!(p.per_day(), 2.0);
        assert_eq!(p.describe(), "morning, night");
        assert_eq!(quantity_for(&p, 5), 10);
        assert_eq!(duration_days("5 days"), Some(5));
        assert_eq!(duration_days(" 2 Weeks"), Some(14));
        assert_eq!(duration_days("10"), Some(10));
        assert_eq!(duration_days("until review"), None);
        assert_eq!(duration_days("0 days"), None);
        let half = DailyPattern::parse("½-0-½").expect("pattern");
        assert_eq!(quantity_for(&half, 5), 5);
        assert_eq!(DailyPattern::parse("1-1-1-1").map(|p| p.per_day()), Some(4.0));
        assert_eq!(DailyPattern::parse("every 8 hours"), None);
        assert_eq!(
            DailyPattern::parse("0-0-0").map(|p| p.describe()),
            Some("as directed".into())
        );
    }

    #[test]
    fn frequency_text() {
        assert!(check_frequency("1-0-1").is_ok());
        assert!(check_frequency("twice a day after food").is_ok());
        assert!(check_frequency("1-0").is_err());
        assert!(check_frequency("1-0-1-1-1").is_err());
        assert!(check_frequency("  ").is_err());
    }
}
