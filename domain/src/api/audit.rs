//! The audit trail a PC sends: views, prints and exports.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// One thing a user looked at or printed on a PC (docs/DOMAIN.md: the audit
/// log). Changes are in the change log; these are the reads and outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: uuid::Uuid,
    pub action: AuditAction,
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^[a-z_]{1,63}$"#))]
    pub entity_table: String,
    pub entity_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub details: serde_json::Value,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    View,
    Print,
    Export,
    /// Records brought in from elsewhere (a referral's FHIR bundle).
    Import,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Print => "print",
            Self::Export => "export",
            Self::Import => "import",
        }
    }
}

/// `POST /sync/audit`: events recorded on a PC, at most 1,000 per call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditBatch {
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub events: Vec<AuditEvent>,
}

impl AuditBatch {
    pub const MAX_EVENTS: usize = 1000;
    /// Largest `details` of one event, as JSON text.
    pub const MAX_DETAILS_BYTES: usize = 2048;
    /// How far back a PC that was offline may date an event.
    pub const MAX_AGE_DAYS: i64 = 90;

    /// Bounds every event: a table name, small object details, and a time
    /// between [`Self::MAX_AGE_DAYS`] ago and five minutes after `now`
    /// (the server keeps its own receipt time next to it).
    pub fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.events.len() > Self::MAX_EVENTS {
            errors.push(ValidationError::new(
                "events",
                "must hold at most 1000 events per call",
            ));
        }
        let bad_table =
            |t: &str| t.is_empty() || t.len() > 63 || !t.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let earliest = now - chrono::Duration::days(Self::MAX_AGE_DAYS);
        let latest = now + chrono::Duration::minutes(5);
        for (i, event) in self.events.iter().enumerate() {
            if bad_table(&event.entity_table) {
                errors.push(ValidationError::new(
                    format!("events.{i}.entity_table"),
                    "must be a table name",
                ));
            }
            let details_ok = match &event.details {
                serde_json::Value::Null => true,
                serde_json::Value::Object(_) => event.details.to_string().len() <= Self::MAX_DETAILS_BYTES,
                _ => false,
            };
            if !details_ok {
                errors.push(ValidationError::new(
                    format!("events.{i}.details"),
                    "must be an object of at most 2048 bytes",
                ));
            }
            if event.action == AuditAction::Import {
                // Only the server brings records in, and it records that itself.
                errors.push(ValidationError::new(
                    format!("events.{i}.action"),
                    "must be view, print or export",
                ));
            }
            if event.occurred_at < earliest || event.occurred_at > latest {
                errors.push(ValidationError::new(
                    format!("events.{i}.occurred_at"),
                    "must lie between 90 days ago and now",
                ));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// How many events of a batch were new (the rest were sent before).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditAccepted {
    pub recorded: u64,
}
