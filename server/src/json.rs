//! `ApiJson<T>`: axum's JSON extractor with our error codes, so a bad body
//! is a typed 4xx (`malformed_json`, `validation_failed`, `payload_too_large`),
//! and `ApiQuery<T>`, the same for query parameters.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

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
        let axum::Json(mut value) = axum::Json::<Value>::from_request(req, state)
            .await
            .map_err(map_rejection)?;
        integral_floats_as_integers(&mut value);
        serde_json::from_value(value)
            .map(Self)
            .map_err(|err| ApiError::field("body", &format!("the body does not fit: {err}")))
    }
}

/// JSON has one number type: `27383.0` is the integer 27383 to JSON Schema
/// and to many senders, so it is read as one (serde would refuse it for an
/// integer field). Only values that fit 64 bits exactly are converted.
fn integral_floats_as_integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.007_199_254_740_992e15
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_as_integers),
        _ => {}
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

/// axum's query extractor with our error body: a missing or malformed query
/// parameter is `422 validation_failed` naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| ApiError::field("query", &rejection.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_floats_become_integers_and_others_stay() {
        let mut value = serde_json::json!({"a": 27383.0, "b": [1.5, 2.0], "c": 1e300, "d": "3.0"});
        integral_floats_as_integers(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"a": 27383, "b": [1.5, 2], "c": 1e300, "d": "3.0"})
        );
    }
}
