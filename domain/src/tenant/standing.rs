//! Whether the platform lets a clinic write. A suspended clinic keeps
//! reading everything (clinical records must stay available) but writes
//! nothing until the operator reactivates it; its PCs learn this with
//! every pull, so they say why before anyone types.

use serde::{Deserialize, Serialize};

use super::TenantStatus;

/// Longest reason an operator may give for a suspension.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standing {
    pub status: TenantStatus,
    /// Why the operator suspended the clinic, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Standing {
    pub fn writable(&self) -> bool {
        self.status != TenantStatus::Suspended
    }

    /// What a person reads when a write is refused, or on the banner.
    pub fn explanation(&self) -> String {
        suspension_message(self.reason.as_deref())
    }
}

/// "This clinic is suspended ...", with the operator's reason when given.
pub fn suspension_message(reason: Option<&str>) -> String {
    let why = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    format!(
        "This clinic is suspended by the platform{why}. Records can still be read; \
         nothing can be added or changed until it is reactivated."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_suspension_stops_writes() {
        for status in TenantStatus::ALL {
            let standing = Standing { status, reason: None };
            assert_eq!(
                standing.writable(),
                status != TenantStatus::Suspended,
                "{status:?}"
            );
        }
    }

    #[test]
    fn the_explanation_carries_the_reason_when_there_is_one() {
        let standing = Standing {
            status: TenantStatus::Suspended,
            reason: Some(" invoice 2026-11 unpaid ".into()),
        };
        assert!(
            standing
                .explanation()
                .contains("suspended by the platform (invoice 2026-11 unpaid)."),
            "{}",
            standing.explanation()
        );
        assert!(suspension_message(Some("  ")).contains("platform. Records"));
    }
}
