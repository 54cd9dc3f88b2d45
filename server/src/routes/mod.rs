//! HTTP routes under `/api/v1`, each documented for `GET /openapi.json`.

mod auth;
mod backup;
pub mod clinic_code;
mod clinics;
mod conflicts;
mod devices;
mod doctors;
mod enrolment;
mod fhir;
mod login;
mod openapi;
mod staff;
mod sync;
mod tenant;
mod updates;

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

/// Every API route, plus the OpenAPI description of exactly those routes.
pub fn router(state: AppState) -> Router {
    let api =
        OpenApiRouter::new()
            .routes(routes!(clinics::register))
            .routes(routes!(login::login))
            .routes(routes!(auth::refresh))
            .routes(routes!(auth::logout))
            .routes(routes!(auth::change_password))
            .routes(routes!(clinic_code::remind))
            .routes(routes!(tenant::get_tenant))
            .routes(routes!(tenant::plans))
            // Settings carry the clinic's logo: up to 1 MB of image in base64.
            .merge(
                OpenApiRouter::new()
                    .routes(routes!(tenant::update_settings))
                    .layer(axum::extract::DefaultBodyLimit::max(
                        crate::app::SETTINGS_BODY_LIMIT_BYTES,
                    )),
            )
            .routes(routes!(backup::download))
            .routes(routes!(fhir::patient_everything))
            .routes(routes!(fhir::clinic_everything))
            // A referral is one patient's whole record: as large as a batch.
            .merge(OpenApiRouter::new().routes(routes!(fhir::import_referral)).layer(
                axum::extract::DefaultBodyLimit::max(crate::app::PUSH_BODY_LIMIT_BYTES),
            ))
            .routes(routes!(doctors::create, doctors::list))
            .routes(routes!(doctors::get_one, doctors::update))
            .routes(routes!(staff::create, staff::list))
            .routes(routes!(staff::update))
            .routes(routes!(devices::list))
            .routes(routes!(devices::revoke))
            .routes(routes!(enrolment::create))
            .routes(routes!(enrolment::enrol))
            .routes(routes!(updates::check))
            .routes(routes!(updates::download))
            // A batch may carry up to 2,000 ops with long texts: a larger body
            // than any other request (the PC cuts batches at 4 MiB).
            .merge(OpenApiRouter::new().routes(routes!(sync::push)).layer(
                axum::extract::DefaultBodyLimit::max(crate::app::PUSH_BODY_LIMIT_BYTES),
            ))
            .routes(routes!(sync::pull))
            .routes(routes!(sync::snapshot))
            .routes(routes!(sync::events))
            .routes(routes!(conflicts::conflicts))
            .routes(routes!(conflicts::review))
            .routes(routes!(sync::audit));
    let (router, mut spec) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .nest("/api/v1", api)
        .split_for_parts();
    openapi::add_standard_errors_everywhere(&mut spec);
    // Serialised once: each connection's copy of the router then shares
    // these bytes instead of deep-copying the whole description.
    let spec = Bytes::from(serde_json::to_vec(&spec).unwrap_or_default());
    router
        .route(
            "/openapi.json",
            get(move || std::future::ready(([(header::CONTENT_TYPE, "application/json")], spec.clone()))),
        )
        .with_state(state)
}
