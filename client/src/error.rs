//! Errors of the PC side, by layer.

use domain::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("no {table} with id {id}")]
    NotFound { table: String, id: String },
    #[error("the {table} record was deleted")]
    Deleted { table: String },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("this store belongs to another clinic")]
    WrongClinic,
    /// The database does not open with the key this PC holds for it (the
    /// keychain lost it, or it is not this PC's file).
    #[error("the clinic's data on this PC cannot be decrypted with this PC's key")]
    KeyMismatch,
    /// The platform suspended the clinic (as this PC last heard): nothing
    /// is written here, so nothing piles up that the server would refuse.
    #[error("{0}")]
    ClinicSuspended(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached: the PC is offline. Not an alarm.
    #[error("offline: {0}")]
    Offline(String),
    /// The server answered with an error body.
    #[error("{message}")]
    Server {
        status: u16,
        code: ErrorCode,
        message: String,
        fields: Vec<domain::ValidationError>,
    },
    /// The server is reachable but failing (5xx): retried with backoff.
    #[error("the server is having trouble ({status}); retrying")]
    ServerFault { status: u16 },
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ClientError {
    /// Whether waiting and trying again may help.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Offline(_) | Self::ServerFault { .. })
    }
}

impl From<rusqlite::Error> for ClientError {
    fn from(err: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(err))
    }
}
