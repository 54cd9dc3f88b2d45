//! Short keys: `/RCA` in the medicine box expands to its medicines.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// Codes nobody may use.
pub const RESERVED: [&str; 5] = ["ALL", "NONE", "NULL", "ADMIN", "TEST"];

/// A short key code: 2-20 letters or digits, stored upper-case, unique in
/// the clinic (not across clinics: two clinics may both have `RCA`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShortKeyCode(String);

impl ShortKeyCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let code = raw.trim().trim_start_matches('/').to_uppercase();
        if !(2..=20).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ValidationError::new("code", "must be 2 to 20 letters or digits"));
        }
        if RESERVED.contains(&code.as_str()) {
            return Err(ValidationError::new(
                "code",
                format!("{code} is reserved; choose another code"),
            ));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The code typed in the medicine box, if the text is a `/CODE` command.
pub fn typed_code(input: &str) -> Option<ShortKeyCode> {
    let rest = input.trim().strip_prefix('/')?;
    ShortKeyCode::parse(rest).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(ShortKeyCode::parse(" rca ").map(|c| c.0), Ok("RCA".into()));
        for bad in ["R", "A".repeat(21).as_str(), "R-CA", "null", "Test"] {
            assert!(ShortKeyCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(typed_code("/pain").map(|c| c.0), Some("PAIN".into()));
        assert_eq!(typed_code("paracetamol"), None);
        assert_eq!(typed_code("/"), None);
    }
}
