//! Updates for the desktop app, in the form the Tauri updater reads: the
//! release a PC should move to (204 when it should stay), and its bundle.
//! Any signed-in PC may ask; releases are the same for every clinic. The
//! PC verifies the signature with the key it was built with.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::SecondsFormat;
use semver::Version;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::Caller;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::releases;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpdateParams {
    /// The channel the PC follows (default `stable`); 1-20 of a-z, 0-9, '-'.
    #[param(pattern = r"^[a-z0-9-]{1,20}$")]
    pub channel: Option<String>,
    /// IT pinned the PC to this version: it is offered only that one.
    #[param(pattern = r"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    pub pinned: Option<String>,
}

/// What the Tauri updater reads.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateManifest {
    pub version: String,
    pub notes: String,
    /// RFC 3339.
    pub pub_date: String,
    /// Where the bundle is (this server; the same sign-in is needed).
    pub url: String,
    /// The minisign signature (base64) the PC checks before installing.
    pub signature: String,
}

fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    state.public_url.as_deref().map(str::to_owned).unwrap_or_else(|| {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        format!("http://{host}")
    })
}

/// The release a PC at `current_version` should move to, or 204.
#[utoipa::path(
    get, path = "/updates/{target}/{arch}/{current_version}", tag = "updates",
    params(
        ("target" = String, Path, description = "the updater's OS name, e.g. linux"),
        ("arch" = String, Path, description = "the updater's arch, e.g. x86_64"),
        ("current_version" = String, Path, description = "the running app's version (semver)",
            pattern = r"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"),
        UpdateParams,
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, body = UpdateManifest),
        (status = 204, description = "no update: stay on this version"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed: not a version or channel"),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((target, arch, current)): Path<(String, String, String)>,
    ApiQuery(params): ApiQuery<UpdateParams>,
) -> ApiResult<Response> {
    let current = Version::parse(current.trim_start_matches('v'))
        .map_err(|_| ApiError::field("current_version", "must be a version such as 0.2.0"))?;
    let channel = params.channel.unwrap_or_else(|| "stable".into());
    releases::check_channel(&channel).map_err(|e| ApiError::field("channel", &e.to_string()))?;
    let pinned = params
        .pinned
        .map(|p| Version::parse(p.trim_start_matches('v')))
        .transpose()
        .map_err(|_| ApiError::field("pinned", "must be a version such as 0.2.0"))?;
    let mut t = caller.begin().await?;
    let published = db::releases::versions(&mut t.tx, &channel, &target, &arch).await?;
    let parsed: Vec<(Uuid, Version)> = published
        .into_iter()
        .filter_map(|(id, v)| Version::parse(&v).ok().map(|v| (id, v)))
        .collect();
    let versions: Vec<Version> = parsed.iter().map(|(_, v)| v.clone()).collect();
    let Some(chosen) = releases::choose(&versions, &current, pinned.as_ref()) else {
        t.commit().await?;
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let id = parsed
        .iter()
        .find_map(|(id, v)| (v == chosen).then_some(*id))
        .ok_or(ApiError::NotFound("release"))?;
    let row = db::releases::one(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("release"))?;
    t.commit().await?;
    Ok(axum::Json(UpdateManifest {
        version: row.version,
        notes: row.notes,
        pub_date: row.published_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        url: format!("{}/api/v1/updates/download/{id}", base_url(&state, &headers)),
        signature: row.signature,
    })
    .into_response())
}

/// A release's bundle.
#[utoipa::path(
    get, path = "/updates/download/{id}", tag = "updates",
    params(("id" = String, Path, description = "release id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "the bundle", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = domain::error::ErrorBody, description = "not_found"),
    )
)]
pub async fn download(caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("release"))?;
    let mut t = caller.begin().await?;
    let (file_name, bytes) = db::releases::bundle(&mut t.tx, id)
        .await?
        .ok_or(ApiError::NotFound("release"))?;
    t.commit().await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        Body::from(bytes),
    )
        .into_response())
}
