//! The OpenAPI description second clients are built from: every route,
//! every answer it can give (the errors included, all with the
//! `{"error", "message", "fields"}` body), and the bearer scheme.

use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Response, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Clinic sync server", description = "Accounts, clinics and sync for the clinic desktop app. \
        Every error answer has the body `ErrorBody`; its `error` code is stable, its `message` is for people."),
    modifiers(&BearerAuth),
    tags((name = "clinics"), (name = "auth"), (name = "tenant"), (name = "doctors"), (name = "staff"), (name = "devices"), (name = "updates"), (name = "sync"))
)]
pub struct ApiDoc;

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

/// Adds to every operation the errors the server's shared layers can give
/// it, unless the route documents that status itself with its own words.
/// Runs on the finished description (routes are merged in after `ApiDoc`).
pub fn add_standard_errors_everywhere(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.patch,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            add_standard_errors(operation);
        }
    }
}

fn add_standard_errors(operation: &mut Operation) {
    let has_body = operation.request_body.is_some();
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let params = operation.parameters.as_deref().unwrap_or_default();
    let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
    let mut add = |status: &str, codes: &str, retry: bool| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(codes, retry));
    };
    if has_body {
        add(
            "400",
            "malformed_json: the body is not JSON, or not sent as application/json",
            false,
        );
        add("413", "payload_too_large: the body is over 1 MiB", false);
    }
    if has_body || has_query {
        add(
            "422",
            "validation_failed: `fields` names each field that is wrong and why",
            false,
        );
    }
    if secured {
        add(
            "401",
            "unauthorized or token_expired: no valid access token, or its sign-in has ended",
            false,
        );
        add(
            "403",
            "forbidden (the role may not do this) or password_change_required",
            false,
        );
    }
    if has_path {
        add("404", "not_found: no such record in the caller's clinic", false);
    }
    add(
        "408",
        "request_timeout: the request did not arrive and finish within 30 s",
        false,
    );
    add(
        "429",
        "rate_limited: too many attempts; wait Retry-After seconds",
        true,
    );
    add("500", "internal: the server failed; retry later", false);
    add(
        "503",
        "server_busy: the clinic's share of the server is taken; wait Retry-After seconds",
        true,
    );
}

fn error_response(description: &str, retry_after: bool) -> RefOr<Response> {
    let mut response = ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build(),
    );
    if retry_after {
        let seconds = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .build();
        let mut header = Header::new(seconds);
        header.description = Some("Seconds to wait before trying again".to_owned());
        response = response.header("Retry-After", header);
    }
    RefOr::T(response.build())
}
