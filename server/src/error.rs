//! The one error type of the HTTP layer. Every failure leaves as
//! `{"error": "<stable_code>", "message": "..."}` with the matching status;
//! internals (SQL, stack traces) are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::error::ErrorBody;
use domain::{ErrorCode, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    MalformedJson(String),
    #[error("some fields are not valid")]
    Validation(Vec<ValidationError>),
    #[error("wrong clinic code, e-mail or password")]
    InvalidCredentials,
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("the session has expired; sign in again")]
    TokenExpired,
    #[error("this sign-in was ended because an old refresh token was used again; sign in again")]
    RefreshTokenReused,
    #[error("choose a new password before continuing")]
    PasswordChangeRequired,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PlanLimitReached(String),
    #[error("{0}")]
    TenantInactive(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("protocol version {0} is not supported; update the app")]
    UnsupportedProtocol(u32),
    #[error("too many attempts; try again in {0} seconds")]
    RateLimited(u64),
    #[error("the server is busy with this clinic's earlier requests; try again shortly")]
    ServerBusy,
    #[error("the request did not arrive in time")]
    RequestTimeout,
    #[error("batch {0} was already applied with other content; it was not applied again")]
    BatchMismatch(i64),
    #[error("expected batch {expected}, got {got}")]
    BatchOutOfOrder { expected: i64, got: i64 },
    #[error("{0}")]
    ClockAhead(String),
    #[error("this PC could not be verified; sign in from the PC it belongs to, or ask IT to enrol it again")]
    DeviceUnverified,
    #[error("this PC was removed from the clinic by an administrator")]
    DeviceRevoked,
    /// The operator's reason, if any, is in the message.
    #[error("{}", domain::tenant::suspension_message(.0.as_deref()))]
    ClinicSuspended(Option<String>),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MalformedJson(_) => ErrorCode::MalformedJson,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::Unauthorized(_) => ErrorCode::Unauthorized,
            Self::TokenExpired => ErrorCode::TokenExpired,
            Self::RefreshTokenReused => ErrorCode::RefreshTokenReused,
            Self::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::PlanLimitReached(_) => ErrorCode::PlanLimitReached,
            Self::TenantInactive(_) => ErrorCode::TenantInactive,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnsupportedProtocol(_) => ErrorCode::UnsupportedProtocolVersion,
            Self::RateLimited(_) => ErrorCode::RateLimited,
            Self::ServerBusy => ErrorCode::ServerBusy,
            Self::RequestTimeout => ErrorCode::RequestTimeout,
            Self::BatchMismatch(_) => ErrorCode::BatchMismatch,
            Self::BatchOutOfOrder { .. } => ErrorCode::BatchOutOfOrder,
            Self::ClockAhead(_) => ErrorCode::ClockAhead,
            Self::DeviceUnverified => ErrorCode::DeviceUnverified,
            Self::DeviceRevoked => ErrorCode::DeviceRevoked,
            Self::ClinicSuspended(_) => ErrorCode::ClinicSuspended,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::MalformedJson(_) | Self::UnsupportedProtocol(_) => StatusCode::BAD_REQUEST,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::InvalidCredentials
            | Self::Unauthorized(_)
            | Self::TokenExpired
            | Self::RefreshTokenReused => StatusCode::UNAUTHORIZED,
            Self::PasswordChangeRequired
            | Self::Forbidden(_)
            | Self::PlanLimitReached(_)
            | Self::DeviceRevoked
            | Self::ClinicSuspended(_) => StatusCode::FORBIDDEN,
            Self::TenantInactive(_) => StatusCode::PAYMENT_REQUIRED,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_)
            | Self::BatchMismatch(_)
            | Self::BatchOutOfOrder { .. }
            | Self::ClockAhead(_) => StatusCode::CONFLICT,
            Self::DeviceUnverified => StatusCode::UNAUTHORIZED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::ServerBusy => StatusCode::SERVICE_UNAVAILABLE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds a client should wait before trying again, sent as `Retry-After`.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::RateLimited(seconds) => Some((*seconds).max(1)),
            Self::ServerBusy => Some(2),
            _ => None,
        }
    }

    pub fn field(field: &str, message: &str) -> Self {
        Self::Validation(vec![ValidationError::new(field, message)])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(err) = &self {
            tracing::error!(error = ?err, "request failed");
        }
        let fields = match &self {
            Self::Validation(fields) => fields.clone(),
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: self.code(),
            message: self.to_string(),
            fields,
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = self.retry_after() {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        // A value PostgreSQL cannot store (a NUL character in JSON text) is
        // the request's fault, wherever it slipped past validation.
        let unstorable = err
            .as_database_error()
            .and_then(|db| db.code())
            .is_some_and(|code| code == "22P05" || code == "22021");
        if unstorable {
            return Self::field("body", "contains a character that cannot be stored");
        }
        Self::Internal(err.into())
    }
}

impl From<Vec<ValidationError>> for ApiError {
    fn from(errors: Vec<ValidationError>) -> Self {
        Self::Validation(errors)
    }
}

impl From<ValidationError> for ApiError {
    fn from(error: ValidationError) -> Self {
        Self::Validation(vec![error])
    }
}

/// The unique constraint a failed statement violated, if that is why it failed.
pub fn unique_violation(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) if db.is_unique_violation() => db.constraint(),
        _ => None,
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
