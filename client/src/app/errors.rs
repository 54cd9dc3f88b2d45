//! Lower-layer errors as the UI's `CommandError`, with words for people.

use contract::app::{CommandCode, CommandError};
use domain::ErrorCode;

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

impl From<ClientError> for CommandError {
    fn from(err: ClientError) -> Self {
        client(err)
    }
}

/// Says what failed and what the person can do about it; the cause goes
/// to the log. Never "restart the app" for something a restart cannot fix.
fn store(err: StoreError) -> CommandError {
    match err {
        StoreError::Invalid(message) => CommandError::new(CommandCode::ValidationFailed, message),
        StoreError::NotFound { .. } => CommandError::new(CommandCode::NotFound, err.to_string()),
        StoreError::ClinicSuspended(message) => CommandError::new(CommandCode::ClinicSuspended, message),
        StoreError::Sqlite(e) => sqlite(e),
        other => {
            tracing::error!(error = %other, "the clinic's data on this PC could not be used");
            CommandError::new(
                CommandCode::LocalStorageFailed,
                "The clinic's data on this PC could not be used. Your synced work is safe on the server. \
                 Ask IT to check this PC; the details are in the app's log.",
            )
        }
    }
}

fn sqlite(err: rusqlite::Error) -> CommandError {
    use rusqlite::Error as E;
    use rusqlite::ErrorCode as Code;
    let code = match &err {
        E::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    match (code, &err) {
        (Some(Code::DatabaseBusy | Code::DatabaseLocked), _) => {
            tracing::warn!(error = %err, "the local database was busy");
            CommandError::new(
                CommandCode::LocalBusy,
                "This PC is still saving synced records. Try again in a moment.",
            )
        }
        (Some(Code::DiskFull), _) => {
            tracing::error!(error = %err, "the disk is full");
            CommandError::new(
                CommandCode::LocalDiskFull,
                "This PC's disk is full, so nothing more can be saved. Free some space (or ask IT), then try again.",
            )
        }
        (
            None,
            E::InvalidColumnType(..)
            | E::FromSqlConversionFailure(..)
            | E::IntegralValueOutOfRange(..)
            | E::InvalidColumnIndex(..)
            | E::InvalidColumnName(..),
        ) => {
            tracing::error!(error = %err, "a stored record does not fit the screen that reads it");
            CommandError::new(
                CommandCode::LocalDataUnreadable,
                "Some records on this PC could not be shown here. Nothing is lost and other screens keep \
                 working. Please tell your IT contact or support; the details are in the app's log.",
            )
        }
        _ => {
            tracing::error!(error = %err, "the local database failed");
            CommandError::new(
                CommandCode::LocalStorageFailed,
                "The clinic's data on this PC could not be read or saved. Your synced work is safe on the \
                 server. Ask IT to check this PC; the details are in the app's log.",
            )
        }
    }
}

fn client(err: ClientError) -> CommandError {
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
                // Servers answer a locked account like a wrong password.
                ErrorCode::AccountLocked => CommandCode::InvalidCredentials,
                ErrorCode::RateLimited => CommandCode::RateLimited,
                ErrorCode::DeviceUnverified => CommandCode::DeviceUnverified,
                ErrorCode::DeviceRevoked => CommandCode::DeviceRevoked,
                ErrorCode::ClockAhead => CommandCode::ClockAhead,
                ErrorCode::ServerBusy | ErrorCode::RequestTimeout => CommandCode::Offline,
                ErrorCode::PasswordChangeRequired => CommandCode::PasswordChangeRequired,
                ErrorCode::Forbidden => CommandCode::Forbidden,
                ErrorCode::PlanLimitReached => CommandCode::PlanLimitReached,
                ErrorCode::TenantInactive => CommandCode::TenantInactive,
                ErrorCode::ClinicSuspended => CommandCode::ClinicSuspended,
                ErrorCode::Conflict => CommandCode::Conflict,
                ErrorCode::NotFound => CommandCode::NotFound,
                ErrorCode::Unauthorized | ErrorCode::TokenExpired | ErrorCode::RefreshTokenReused => {
                    CommandCode::NotSignedIn
                }
                _ => CommandCode::Internal,
            };
            CommandError {
                code,
                message: sentence(&message),
                fields,
            }
        }
        ClientError::Store(err) => store(err),
        ClientError::Protocol(message) => CommandError::new(CommandCode::Internal, message),
    }
}

/// The server's message as a sentence a person reads: capitalised, with
/// a full stop ("too many attempts; try again in 40 seconds" becomes
/// "Too many attempts; try again in 40 seconds.").
fn sentence(message: &str) -> String {
    let message = message.trim();
    let mut chars = message.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn server_messages_read_as_sentences() {
        assert_eq!(
            super::sentence("too many attempts; try again in 40 seconds"),
            "Too many attempts; try again in 40 seconds."
        );
        assert_eq!(super::sentence("Already one."), "Already one.");
        assert_eq!(super::sentence(""), "");
    }

    use super::*;

    #[test]
    fn an_unreadable_record_is_not_sent_to_restart_the_app() {
        let err = StoreError::Sqlite(rusqlite::Error::InvalidColumnType(
            3,
            "licence_number".into(),
            rusqlite::types::Type::Null,
        ));
        let shown = store(err);
        assert_eq!(shown.code, CommandCode::LocalDataUnreadable);
        assert!(
            !shown.message.to_lowercase().contains("restart"),
            "{}",
            shown.message
        );
        assert!(shown.message.contains("log"), "says where the cause is");
    }

    #[test]
    fn a_full_disk_says_so() {
        let err = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        let shown = store(StoreError::Sqlite(err));
        assert_eq!(shown.code, CommandCode::LocalDiskFull);
        assert!(shown.message.contains("disk is full"));
    }
}
