//! The clinic's PCs as an admin manages them: the list with what each PC
//! last reported, and removing one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::DeviceId;

/// One PC of the clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceView {
    pub id: DeviceId,
    /// The name it was enrolled with (its host name by default).
    pub name: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The app version it last reported.
    pub app_version: Option<String>,
    /// How far it has pulled the clinic's changes.
    pub last_pulled_seq: i64,
    /// The clinic's latest change: with `last_pulled_seq`, how far behind it is.
    pub clinic_seq: i64,
    /// Changes made on it and not yet sent, as it last reported.
    pub pending_changes: Option<i32>,
    /// Who signed in on it last.
    pub last_user_name: Option<String>,
    /// When an admin removed it (`None`: still a clinic PC).
    pub revoked_at: Option<DateTime<Utc>>,
    /// The PC asking.
    pub this_pc: bool,
}

/// An update channel's name: 1 to 20 of `a-z`, `0-9` and `-`.
pub fn is_update_channel(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 20
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Text that can be an app version: 1 to 40 letters, digits, `.`, `+`, `-`.
pub fn is_version_text(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
}

/// What a PC reports of itself when it pulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceReport<'a> {
    pub app_version: Option<&'a str>,
    pub pending_changes: Option<i32>,
}

impl DeviceReport<'_> {
    /// Only plausible values are kept: a version of printable characters
    /// within the length, a count of 0 or more.
    pub fn checked(self) -> Self {
        Self {
            app_version: self.app_version.filter(|v| is_version_text(v)),
            pending_changes: self.pending_changes.filter(|n| *n >= 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_reports_are_kept() {
        let report = DeviceReport {
            app_version: Some("0.2.0-beta.1"),
            pending_changes: Some(3),
        };
        assert_eq!(report.checked(), report);
        let odd = DeviceReport {
            app_version: Some("0.2.0<script>"),
            pending_changes: Some(-1),
        };
        assert_eq!(odd.checked(), DeviceReport::default());
        let long = "1".repeat(41);
        assert_eq!(
            DeviceReport {
                app_version: Some(&long),
                pending_changes: None
            }
            .checked(),
            DeviceReport::default()
        );
    }
}

/// An admin's request for a one-time code that enrols a new PC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateEnrolmentRequest {
    /// The PC's name in the list (blank or null: the name the PC gives
    /// itself).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::line_or_null))]
    pub name: Option<String>,
}

impl CreateEnrolmentRequest {
    pub fn validate(&self) -> Result<Option<String>, Vec<crate::ValidationError>> {
        match self.name.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(name) => crate::text::line("name", name, crate::text::NAME_MAX)
                .map(Some)
                .map_err(|e| vec![e]),
        }
    }
}

/// A new enrolment code: shown once, valid for [`ENROLMENT_DAYS`] days and
/// one PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentCode {
    /// `CLINICCODE.SECRET`: goes into the PC's preset file.
    pub code: String,
    pub expires_at: DateTime<Utc>,
    pub name: Option<String>,
}

/// How long an enrolment code stays valid.
pub const ENROLMENT_DAYS: i64 = 7;

/// A PC enrolling itself with the code from its preset file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub code: String,
    pub device_id: DeviceId,
    /// The PC's own name (its host name by default).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub name: String,
}

impl EnrolRequest {
    /// The clinic's code, the secret and the PC's name, checked.
    pub fn validate(
        &self,
    ) -> Result<(crate::tenant::TenantCode, String, String), Vec<crate::ValidationError>> {
        let name = crate::text::line("name", &self.name, crate::text::NAME_MAX);
        match (split_enrolment_code(&self.code), name) {
            (Ok((clinic, secret)), Ok(name)) => Ok((clinic, secret, name)),
            (code, name) => Err(code.err().into_iter().chain(name.err()).collect()),
        }
    }
}

/// The clinic a PC just joined, and the secret that proves it is that PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    pub clinic_code: String,
    pub clinic_name: String,
    pub device_name: String,
    /// Kept in the PC's keychain; presented at every sign-in.
    pub device_secret: String,
}

/// The two parts of an enrolment code: the clinic's code and the secret.
pub fn split_enrolment_code(
    raw: &str,
) -> Result<(crate::tenant::TenantCode, String), crate::ValidationError> {
    let invalid = || crate::ValidationError::new("code", "is not an enrolment code (CLINICCODE.SECRET)");
    let (clinic, secret) = raw.trim().rsplit_once('.').ok_or_else(invalid)?;
    let clinic = crate::tenant::TenantCode::parse(clinic).map_err(|_| invalid())?;
    let secret = secret.trim().to_ascii_uppercase();
    if secret.len() != ENROLMENT_SECRET_LEN || !secret.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid());
    }
    Ok((clinic, secret))
}

/// Symbols in an enrolment code's secret (base32: 100 bits).
pub const ENROLMENT_SECRET_LEN: usize = 20;

#[cfg(test)]
mod enrolment_tests {
    use super::*;

    #[test]
    fn an_enrolment_code_splits_into_clinic_and_secret() {
        let (clinic, secret) =
            split_enrolment_code(" sunrise_7kq_2mx_4dp.abcdefghjk23456789mn ").expect("valid");
        assert_eq!(clinic.as_str(), "SUNRISE_7KQ_2MX_4DP");
        assert_eq!(secret, "ABCDEFGHJK23456789MN");
        for bad in [
            "",
            "SUNRISE_7KQ",
            "SUNRISE.short",
            "X.ABCDEFGHJK23456789MN",
            "SUNRISE_7KQ.ABCDEFGHJK23456789M!",
        ] {
            assert!(split_enrolment_code(bad).is_err(), "{bad}");
        }
    }
}
