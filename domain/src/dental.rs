//! Dental value types.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// A tooth in FDI two-digit notation: quadrants 1-4 hold permanent teeth
/// 1-8, quadrants 5-8 hold primary teeth 1-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct ToothNumber(u8);

impl ToothNumber {
    pub fn new(value: u8) -> Result<Self, ValidationError> {
        let (quadrant, tooth) = (value / 10, value % 10);
        let valid = match quadrant {
            1..=4 => (1..=8).contains(&tooth),
            5..=8 => (1..=5).contains(&tooth),
            _ => false,
        };
        if valid {
            Ok(Self(value))
        } else {
            Err(ValidationError::new(
                "tooth_number",
                "must be an FDI tooth number such as 11 or 85",
            ))
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        raw.trim()
            .parse::<u8>()
            .map_err(|_| ValidationError::new("tooth_number", "must be an FDI tooth number such as 11 or 85"))
            .and_then(Self::new)
    }

    pub fn is_primary(self) -> bool {
        self.0 >= 50
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for ToothNumber {
    type Error = ValidationError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<ToothNumber> for u8 {
    fn from(tooth: ToothNumber) -> Self {
        tooth.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_fdi_numbers_are_valid() {
        let valid: Vec<u8> = (0..=99).filter(|n| ToothNumber::new(*n).is_ok()).collect();
        let mut expected = Vec::new();
        for q in 1..=4 {
            expected.extend((1..=8).map(|t| q * 10 + t));
        }
        for q in 5..=8 {
            expected.extend((1..=5).map(|t| q * 10 + t));
        }
        assert_eq!(valid, expected);
        assert_eq!(valid.len(), 52);
    }

    #[test]
    fn parse_and_primary() {
        assert!(ToothNumber::parse("85").is_ok_and(|t| t.is_primary()));
        assert!(ToothNumber::parse(" 11 ").is_ok_and(|t| !t.is_primary()));
        assert!(ToothNumber::parse("19").is_err());
        assert!(ToothNumber::parse("x").is_err());
        assert!(serde_json::from_str::<ToothNumber>("56").is_err());
    }
}
