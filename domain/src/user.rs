//! Clinic users: roles, e-mail addresses and the password policy.

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::patient::string_enum;

string_enum!(
    /// What a signed-in clinic user may do. The platform operator is not a
    /// clinic user and has no role here: platform actions run through the
    /// server's command line as the database owner.
    Role {
        Admin => "admin", Doctor => "doctor", Nurse => "nurse", Receptionist => "receptionist",
    }
);

/// An e-mail address, trimmed and lower-cased so it compares as people expect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(ValidationError::new("email", "is required"));
        }
        let invalid = || ValidationError::new("email", "must be an e-mail address such as name@clinic.in");
        if email.len() > Self::MAX_LEN {
            return Err(ValidationError::new("email", "must be at most 254 characters"));
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self(email))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Password rules for passwords a person chooses.
pub const PASSWORD_MIN_LEN: usize = 10;
pub const PASSWORD_MAX_LEN: usize = 128;

/// Checks a chosen password: 10-128 characters, at least three of lower
/// case, upper case, digits and symbols, and not built on the e-mail name.
pub fn check_new_password(password: &str, email: Option<&Email>) -> Result<(), ValidationError> {
    let weak = |msg: &str| Err(ValidationError::new("password", msg));
    let len = password.chars().count();
    if len < PASSWORD_MIN_LEN {
        return weak("must be at least 10 characters");
    }
    if len > PASSWORD_MAX_LEN {
        return weak("must be at most 128 characters");
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|present| **present).count() < 3 {
        return weak("must mix at least three of: lower case, upper case, digits, symbols");
    }
    if let Some(email) = email {
        let name = email.as_str().split('@').next().unwrap_or_default();
        if name.len() >= 4 && password.to_lowercase().contains(name) {
            return weak("must not contain your e-mail name");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Asha.Rao@Clinic.IN ").map(|e| e.0),
            Ok("asha.rao@clinic.in".into())
        );
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "asha",
            "asha@",
            "@clinic.in",
            "asha@clinic",
            "a b@clinic.in",
            "asha@-x.in",
            ".a@x.in",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Email::parse(&format!("{}@x.in", "a".repeat(250))).is_err());
    }

    #[test]
    fn password_policy() {
        let email = Email::parse("asha@clinic.in").ok();
        assert!(check_new_password("Short1!", None).is_err());
        assert!(check_new_password("alllowercaseletters", None).is_err());
        assert!(check_new_password("Asha-2026-secure", email.as_ref()).is_err());
        assert!(check_new_password("Correct-Horse-42", email.as_ref()).is_ok());
        assert!(check_new_password(&"Aa1!".repeat(40), None).is_err());
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("receptionist"), Some(Role::Receptionist));
        assert_eq!(Role::parse("super_admin"), None);
    }
}
