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

/// What a PC reports of itself when it pulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceReport<'a> {
    pub app_version: Option<&'a str>,
    pub pending_changes: Option<i32>,
}

impl DeviceReport<'_> {
    /// Longest app version kept (longer ones are not a version).
    pub const MAX_VERSION_LEN: usize = 40;

    /// Only plausible values are kept: a version of printable characters
    /// within the length, a count of 0 or more.
    pub fn checked(self) -> Self {
        Self {
            app_version: self.app_version.filter(|v| {
                !v.is_empty()
                    && v.len() <= Self::MAX_VERSION_LEN
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
            }),
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
