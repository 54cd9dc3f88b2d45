//! HTTP routes under `/api/v1`, each documented for `GET /openapi.json`.

mod auth;
pub mod clinic_code;
mod clinics;
mod conflicts;
mod doctors;
mod login;
mod session;
mod sync;
mod tenant;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Clinic sync server", description = "Accounts, clinics and sync for the clinic desktop app."),
    modifiers(&BearerAuth),
    tags((name = "clinics"), (name = "auth"), (name = "tenant"), (name = "doctors"), (name = "sync"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Every API route, plus the OpenAPI description of exactly those routes.
pub fn router(state: AppState) -> Router {
    let api = OpenApiRouter::new()
        .routes(routes!(clinics::register))
        .routes(routes!(login::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::change_password))
        .routes(routes!(clinic_code::remind))
        .routes(routes!(tenant::get_tenant))
        .routes(routes!(tenant::plans))
        .routes(routes!(tenant::update_settings))
        .routes(routes!(doctors::create, doctors::list))
        .routes(routes!(doctors::get_one, doctors::update))
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull))
        .routes(routes!(sync::snapshot))
        .routes(routes!(sync::events))
        .routes(routes!(conflicts::conflicts))
        .routes(routes!(conflicts::review))
        .routes(routes!(sync::audit));
    let (router, spec) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api)
        .split_for_parts();
    router
        .route(
            "/openapi.json",
            get(move || std::future::ready(Json(spec.clone()))),
        )
        .with_state(state)
}
