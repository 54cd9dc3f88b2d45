//! `ApiJson<T>`: axum's JSON extractor with our error codes, so a bad body
//! is a typed 4xx (`malformed_json`, `validation_failed`, `payload_too_large`).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(map_rejection(rejection)),
        }
    }
}

fn map_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        // Well-formed JSON of the wrong shape: say which field, as serde does.
        JsonRejection::JsonDataError(err) => ApiError::field("body", &err.body_text()),
        JsonRejection::JsonSyntaxError(_) => ApiError::MalformedJson("the body is not valid JSON".into()),
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::MalformedJson("send the body with Content-Type: application/json".into())
        }
        JsonRejection::BytesRejection(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge
        }
        other => ApiError::MalformedJson(other.body_text()),
    }
}
