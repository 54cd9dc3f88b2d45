//! Lower-layer errors as the UI's `CommandError`, with words for people.

use domain::ErrorCode;
use domain::app::{CommandCode, CommandError};

use crate::error::{ClientError, StoreError};

/// A record this PC does not hold (or an id that names none).
pub fn not_found(what: &str) -> CommandError {
    CommandError::new(CommandCode::NotFound, format!("That {what} is not on this PC."))
}

/// The id of a `what` as the UI sent it.
pub fn id_of(raw: &str, what: &str) -> Result<uuid::Uuid, CommandError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| not_found(what))
}

impl From<StoreError> for CommandError {
    fn from(err: StoreError) -> Self {
        store(err)
    }
}

pub fn store(err: StoreError) -> CommandError {
    match err {
        StoreError::Invalid(message) => CommandError::new(CommandCode::ValidationFailed, message),
        StoreError::NotFound { .. } => CommandError::new(CommandCode::NotFound, err.to_string()),
        other => {
            tracing::error!(error = %other, "local database error");
            CommandError::new(
                CommandCode::Internal,
                "The local database reported a problem. Please restart the app.",
            )
        }
    }
}

pub fn client(err: ClientError) -> CommandError {
    match err {
        ClientError::Offline(_) => CommandError::new(
            CommandCode::Offline,
            "The clinic server cannot be reached. Work continues on this PC.",
        ),
        ClientError::ServerFault { .. } => CommandError::new(
            CommandCode::Offline,
            "The clinic server is having trouble. Try again shortly.",
        ),
        ClientError::Server {
            code,
            message,
            fields,
            ..
        } => {
            let code = match code {
                ErrorCode::ValidationFailed | ErrorCode::MalformedJson => CommandCode::ValidationFailed,
                ErrorCode::InvalidCredentials => CommandCode::InvalidCredentials,
                ErrorCode::AccountLocked => CommandCode::AccountLocked,
                ErrorCode::PasswordChangeRequired => CommandCode::PasswordChangeRequired,
                ErrorCode::Forbidden => CommandCode::Forbidden,
                ErrorCode::PlanLimitReached => CommandCode::PlanLimitReached,
                ErrorCode::TenantInactive => CommandCode::TenantInactive,
                ErrorCode::Conflict => CommandCode::Conflict,
                ErrorCode::NotFound => CommandCode::NotFound,
                ErrorCode::Unauthorized | ErrorCode::TokenExpired | ErrorCode::RefreshTokenReused => {
                    CommandCode::NotSignedIn
                }
                _ => CommandCode::Internal,
            };
            CommandError {
                code,
                message,
                fields,
            }
        }
        ClientError::Store(err) => store(err),
        ClientError::Protocol(message) => CommandError::new(CommandCode::Internal, message),
    }
}
