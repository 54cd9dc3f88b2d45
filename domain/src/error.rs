//! Stable error codes. Clients match on these, never on message text.

use serde::{Deserialize, Serialize};

/// Every error the API can answer with. The serialized form (snake_case) is
/// part of the public contract: never rename a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    MalformedJson,
    ValidationFailed,
    InvalidCredentials,
    /// No longer sent: a locked account answers `invalid_credentials`, so
    /// sign-in does not reveal which accounts exist. Kept so the name is
    /// never reused.
    AccountLocked,
    Unauthorized,
    TokenExpired,
    RefreshTokenReused,
    PasswordChangeRequired,
    Forbidden,
    NotFound,
    Conflict,
    PlanLimitReached,
    TenantInactive,
    PayloadTooLarge,
    UnsupportedProtocolVersion,
    /// Too many attempts from one address or at one clinic; the reply's
    /// `Retry-After` header says how many seconds to wait.
    RateLimited,
    /// The clinic's share of the server is taken by its own earlier
    /// requests; retry after `Retry-After` seconds.
    ServerBusy,
    /// The request (its body included) did not arrive in time.
    RequestTimeout,
    /// A batch number was already applied with other content: the batch
    /// was not applied, and no stored answer is given for it.
    BatchMismatch,
    /// A batch number other than the next one the device owes (the first
    /// batch of a device is 1).
    BatchOutOfOrder,
    /// A change's clock is more than five minutes ahead of the server's:
    /// the PC's clock is wrong. Nothing in the batch was applied.
    ClockAhead,
    /// This PC's identity could not be verified (its device secret is
    /// missing or wrong); IT re-enrols the PC.
    DeviceUnverified,
    /// An admin removed this PC from the clinic: every request from it is
    /// refused, and the PC wipes what it kept of the clinic.
    DeviceRevoked,
    /// The platform suspended the clinic: its records stay readable, but
    /// nothing can be written until it is reactivated (the message says why).
    ClinicSuspended,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedJson => "malformed_json",
            Self::ValidationFailed => "validation_failed",
            Self::InvalidCredentials => "invalid_credentials",
            Self::AccountLocked => "account_locked",
            Self::Unauthorized => "unauthorized",
            Self::TokenExpired => "token_expired",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::PasswordChangeRequired => "password_change_required",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::PlanLimitReached => "plan_limit_reached",
            Self::TenantInactive => "tenant_inactive",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedProtocolVersion => "unsupported_protocol_version",
            Self::RateLimited => "rate_limited",
            Self::ServerBusy => "server_busy",
            Self::RequestTimeout => "request_timeout",
            Self::BatchMismatch => "batch_mismatch",
            Self::BatchOutOfOrder => "batch_out_of_order",
            Self::ClockAhead => "clock_ahead",
            Self::DeviceUnverified => "device_unverified",
            Self::DeviceRevoked => "device_revoked",
            Self::ClinicSuspended => "clinic_suspended",
            Self::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected value: which field and why, in words a receptionist understands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    pub message: String,
}

impl ValidationError {
    /// `message` is either a whole sentence ("Choose how this person is
    /// related.") or the rest of one after the field's name ("is
    /// required"); the latter gets its subject here, so a message read on
    /// its own under a field, in a list or in an API reply always says
    /// what it is about ("Clinic name is required").
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        let message = if message.starts_with(|c: char| c.is_ascii_lowercase()) {
            format!("{} {message}", field_label(&field))
        } else {
            message
        };
        Self { field, message }
    }
}

/// The words a person reads for a field name: `clinic_name` becomes
/// "Clinic name", `items.2.dosage` becomes "Dosage".
pub fn field_label(field: &str) -> String {
    let name = field
        .rsplit('.')
        .find(|part| !part.is_empty() && !part.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(field);
    match name {
        "email" => "E-mail".into(),
        "hlc" => "The change's clock".into(),
        "dob" => "Date of birth".into(),
        "" => "This field".into(),
        _ => crate::text::words(name),
    }
}

/// The JSON body of every error response: `{"error": code, "message": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorCode,
    pub message: String,
    /// Per-field problems when `error` is `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ValidationError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_under_a_field_names_its_subject() {
        let e = ValidationError::new("clinic_name", "is required");
        assert_eq!(e.message, "Clinic name is required");
        assert_eq!(e.field, "clinic_name");
        let nested = ValidationError::new("items.2.dosage", "must be at most 100 characters");
        assert_eq!(nested.message, "Dosage must be at most 100 characters");
        assert_eq!(
            ValidationError::new("email", "is required").message,
            "E-mail is required"
        );
        let sentence = ValidationError::new("relationship", "Choose how this person is related.");
        assert_eq!(sentence.message, "Choose how this person is related.");
    }

    #[test]
    fn codes_serialize_as_their_stable_names() {
        for code in [
            ErrorCode::MalformedJson,
            ErrorCode::PlanLimitReached,
            ErrorCode::AccountLocked,
            ErrorCode::UnsupportedProtocolVersion,
            ErrorCode::RateLimited,
            ErrorCode::ServerBusy,
            ErrorCode::RequestTimeout,
            ErrorCode::BatchMismatch,
            ErrorCode::BatchOutOfOrder,
            ErrorCode::ClockAhead,
            ErrorCode::DeviceUnverified,
            ErrorCode::DeviceRevoked,
        ] {
            let json = serde_json::to_string(&code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
