//! An admin's download of the clinic's backup.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// `POST /tenant/backup`: the passphrase the file is encrypted with.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 200))]
    pub passphrase: String,
}

impl std::fmt::Debug for BackupRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupRequest { passphrase: .. }")
    }
}

/// A backup's passphrase: the only thing between the file and whoever
/// finds it, so long enough to resist guessing at a second a try.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupPassphrase(String);

impl std::fmt::Debug for BackupPassphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupPassphrase(..)")
    }
}

impl BackupPassphrase {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(ValidationError::new(
                "passphrase",
                format!(
                    "must be at least {} characters (a few words work well)",
                    Self::MIN_CHARS
                ),
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "passphrase",
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        if raw.trim().chars().count() != chars {
            return Err(ValidationError::new(
                "passphrase",
                "must not start or end with a space",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_are_long_enough_and_never_printed() {
        assert!(BackupPassphrase::parse("short").is_err());
        assert!(BackupPassphrase::parse(" twelve chars ok").is_err());
        assert!(BackupPassphrase::parse(&"x".repeat(201)).is_err());
        let ok = BackupPassphrase::parse("green kettle morning").expect("ok");
        assert_eq!(ok.expose(), "green kettle morning");
        assert!(!format!("{ok:?}").contains("kettle"));
        let request = BackupRequest {
            passphrase: "green kettle morning".into(),
        };
        assert!(!format!("{request:?}").contains("kettle"));
    }
}
