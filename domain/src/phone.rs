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
    fn letters_and_wrong_lengths_are_refused() {
        assert!(PhoneNumber::parse("98765abc10").is_err());
        assert!(PhoneNumber::parse("12345").is_err());
        assert!(PhoneNumber::parse("1234567890123456").is_err());
        assert!(PhoneNumber::parse("++91").is_err());
    }
}
