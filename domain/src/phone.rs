//! Phone numbers, stored in one canonical form whatever the country.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// Digits with an optional leading `+`; 6 to 15 digits (the E.164 maximum).
/// Separators people type (spaces, dashes, dots, parentheses) are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => ("+", rest),
            None => ("", trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(invalid()),
            }
        }
        if !(6..=15).contains(&digits.len()) {
            return Err(invalid());
        }
        Ok(Self(format!("{plus}{digits}")))
    }

    /// The number in E.164 form (`+` and the country code) for a clinic
    /// whose numbers without a country code belong to `calling_code` (its
    /// setting, e.g. `91`): a national trunk `0` is dropped and `00` read
    /// as the international prefix, so "09845012345", "98450 12345",
    /// "0091 98450 12345" and "+91 98450 12345" are one number. Without a
    /// calling code the number stays as typed (digits only).
    pub fn parse_in(raw: &str, calling_code: Option<&str>) -> Result<Self, ValidationError> {
        let number = Self::parse(raw)?;
        let Some(code) = calling_code.filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
        else {
            return Ok(number);
        };
        if number.0.starts_with('+') {
            return Ok(number);
        }
        let international = match number.0.strip_prefix("00") {
            Some(rest) => rest.to_owned(),
            None => format!("{code}{}", number.0.trim_start_matches('0')),
        };
        Self::parse(&format!("+{international}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn invalid() -> ValidationError {
    ValidationError::new("phone", "must be a phone number of 6 to 15 digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dropped() {
        assert_eq!(
            PhoneNumber::parse("+91 98765-43210").map(|p| p.0),
            Ok("+919876543210".into())
        );
        assert_eq!(
            PhoneNumber::parse("(080) 2345.6789").map(|p| p.0),
            Ok("08023456789".into())
        );
    }

    #[test]
    fn a_clinics_calling_code_makes_one_number_of_every_way_it_is_typed() {
        for typed in [
            "9845012345",
            "09845012345",
            "98450 12345",
            "0091 98450 12345",
            "+91 98450-12345",
        ] {
            assert_eq!(
                PhoneNumber::parse_in(typed, Some("91")).map(|p| p.0),
                Ok("+919845012345".into()),
                "{typed}"
            );
        }
        assert_eq!(
            PhoneNumber::parse_in("+44 20 7946 0958", Some("91")).map(|p| p.0),
            Ok("+442079460958".into()),
            "a foreign number keeps its own code"
        );
        assert_eq!(
            PhoneNumber::parse_in("9845012345", None).map(|p| p.0),
            Ok("9845012345".into()),
            "no clinic code: as typed"
        );
        assert!(
            PhoneNumber::parse_in("98450123456789", Some("91")).is_err(),
            "16 digits with the code are too many"
        );
    }

    #[test]
    fn letters_and_wrong_lengths_are_refused() {
        assert!(PhoneNumber::parse("98765abc10").is_err());
        assert!(PhoneNumber::parse("12345").is_err());
        assert!(PhoneNumber::parse("1234567890123456").is_err());
        assert!(PhoneNumber::parse("++91").is_err());
    }
}
