//! FHIR R4 export: `Patient/{id}/$everything` (one patient) and
//! `Patient/$everything` (the whole clinic); and import of a referral (one
//! patient's `$everything` from another clinic). Doctors and admins, each
//! recorded in the clinic's audit trail.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use domain::api::{AuditAction, AuditEvent, ReferralImported};
use domain::user::Role;
use fhir_model::r4b::resources::Bundle;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::fhir::referral;
use crate::services;

/// FHIR's JSON media type.
const FHIR_JSON: &str = "application/fhir+json";

/// Everything the clinic holds about one patient, as a FHIR R4 Bundle
/// (searchset): the patient, their family as RelatedPerson, practitioners,
/// appointments, medication requests with medications, allergies,
/// observations (dental, with FDI tooth sites; blood group), procedures
/// and attachments' DocumentReferences. Doctors and admins; audited.
#[utoipa::path(
    get, path = "/fhir/Patient/{id}/$everything", tag = "fhir",
    params(("id" = String, Path, description = "the patient's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, content_type = "application/fhir+json", body = Object, description = "a FHIR Bundle"),
        (status = 403, body = domain::error::ErrorBody, description = "not a doctor or admin"),
        (status = 404, body = domain::error::ErrorBody, description = "no such patient"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, user = %caller.auth.sub))]
pub async fn patient_everything(caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    caller.require(&[Role::Doctor, Role::Admin])?;
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound("patient"))?;
    export(caller, Some(id)).await
}

/// Every patient's record in one FHIR R4 Bundle, as for one patient.
/// Doctors and admins; audited.
#[utoipa::path(
    get, path = "/fhir/Patient/$everything", tag = "fhir",
    security(("bearer" = [])),
    responses(
        (status = 200, content_type = "application/fhir+json", body = Object, description = "a FHIR Bundle"),
        (status = 403, body = domain::error::ErrorBody, description = "not a doctor or admin"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, user = %caller.auth.sub))]
pub async fn clinic_everything(caller: Caller) -> ApiResult<Response> {
    caller.require(&[Role::Doctor, Role::Admin])?;
    export(caller, None).await
}

async fn export(caller: Caller, patient: Option<Uuid>) -> ApiResult<Response> {
    let mut t = caller.begin_snapshot().await?;
    let bundle = crate::fhir::everything(&mut t.tx, patient)
        .await
        .map_err(ApiError::Internal)?
        .ok_or(ApiError::NotFound("patient"))?;
    let body = serde_json::to_vec(&bundle).map_err(|e| ApiError::Internal(e.into()))?;
    let event = AuditEvent {
        id: Uuid::now_v7(),
        action: AuditAction::Export,
        entity_table: "patients".into(),
        entity_id: patient,
        details: serde_json::json!({"what": "fhir", "resources": bundle.total}),
        occurred_at: chrono::Utc::now(),
    };
    db::audit::record(&mut t.tx, t.auth.sub.as_uuid(), t.auth.did.as_uuid(), &[event]).await?;
    t.commit().await?;
    Ok(([(CONTENT_TYPE, FHIR_JSON)], body).into_response())
}

/// Takes in a referral: another clinic's FHIR R4 `$everything` of one
/// patient (a Bundle holding exactly one Patient) becomes a new patient of
/// this clinic with read-only history (appointments, medications,
/// allergies, observations, procedures, documents, family). Every id is
/// new; each record notes the bundle and resource it came from. Allergies
/// and blood group also fill the new patient's own fields. Doctors and
/// admins; audited as an import.
#[utoipa::path(
    post, path = "/fhir/referrals", tag = "fhir",
    request_body(content = Object, content_type = "application/fhir+json",
                 description = "a FHIR R4 Bundle with one Patient"),
    security(("bearer" = [])),
    responses(
        (status = 201, body = ReferralImported, description = "the new patient and their history"),
        (status = 400, body = domain::error::ErrorBody, description = "not JSON"),
        (status = 403, body = domain::error::ErrorBody, description = "not a doctor or admin"),
        (status = 409, body = domain::error::ErrorBody, description = "the patient is already in this clinic"),
        (status = 422, body = domain::error::ErrorBody, description = "not a FHIR Bundle of exactly one usable patient"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, user = %caller.auth.sub))]
pub async fn import_referral(
    caller: Caller,
    body: Bytes,
) -> ApiResult<(StatusCode, axum::Json<ReferralImported>)> {
    caller.require(&[Role::Doctor, Role::Admin])?;
    let today = chrono::Utc::now().date_naive();
    // Parsing megabytes of JSON is CPU work: off the async threads.
    let referral = tokio::task::spawn_blocking(move || {
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
        let bundle: Bundle = serde_json::from_value(json)
            .map_err(|e| ApiError::field("bundle", &format!("is not a FHIR R4 Bundle: {e}")))?;
        referral::read(&bundle, today).map_err(|e| ApiError::Validation(vec![e]))
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))??;
    let mut t = caller.begin().await?;
    let imported = services::referrals::import(&mut t, &referral).await?;
    t.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(imported)))
}
