//! `GET /openapi.json` describes exactly the routes that answer.

use clinic_tests::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn every_documented_route_exists_and_every_route_is_documented() {
    let app = TestApp::spawn().await;
    let spec: Value = app
        .http
        .get(format!("{}/openapi.json", app.base))
        .send()
        .await
        .expect("spec")
        .json()
        .await
        .expect("json");
    assert!(spec["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let paths = spec["paths"].as_object().expect("paths");
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().expect("item").keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
            let url = format!(
                "{}{}",
                app.base,
                path.replace("{id}", "01932c07-2a4e-7c58-9f1a-4c1a2b3c4d5e")
            );
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let status = app
                .http
                .request(method.clone(), &url)
                .send()
                .await
                .expect("send")
                .status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but answers {status}"
            );
        }
    }
    documented.sort();
    let expected = [
        "GET /api/v1/devices",
        "GET /api/v1/doctors",
        "GET /api/v1/doctors/{id}",
        "GET /api/v1/fhir/Patient/$everything",
        "GET /api/v1/fhir/Patient/{id}/$everything",
        "GET /api/v1/plans",
        "GET /api/v1/staff",
        "GET /api/v1/sync/conflicts",
        "GET /api/v1/sync/events",
        "GET /api/v1/sync/pull",
        "GET /api/v1/sync/snapshot",
        "GET /api/v1/tenant",
        "GET /api/v1/updates/download/{id}",
        "GET /api/v1/updates/{target}/{arch}/{current_version}",
        "PATCH /api/v1/doctors/{id}",
        "PATCH /api/v1/staff/{user_id}",
        "PATCH /api/v1/tenant/settings",
        "POST /api/v1/auth/clinic-code-reminder",
        "POST /api/v1/auth/login",
        "POST /api/v1/auth/logout",
        "POST /api/v1/auth/password",
        "POST /api/v1/auth/refresh",
        "POST /api/v1/clinics",
        "POST /api/v1/devices/enrol",
        "POST /api/v1/devices/enrolments",
        "POST /api/v1/devices/{id}/revoke",
        "POST /api/v1/doctors",
        "POST /api/v1/fhir/referrals",
        "POST /api/v1/staff",
        "POST /api/v1/sync/audit",
        "POST /api/v1/sync/conflicts/{id}/review",
        "POST /api/v1/sync/push",
        "POST /api/v1/tenant/backup",
    ];
    assert_eq!(documented, expected);
    // An undocumented path really is absent.
    let missing = app
        .http
        .get(format!("{}/api/v1/nope", app.base))
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(spec["components"]["schemas"]["ErrorBody"].is_object());

    // Every error answer is documented with the one error body; secured
    // routes document 401, routes with a body 400/413/422, all 429/500/503.
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("item") {
            let responses = operation["responses"].as_object().expect("responses");
            for (status, response) in responses.iter().filter(|(s, _)| !s.starts_with('2')) {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
            let has = |status: &str| responses.contains_key(status);
            assert!(has("429") && has("500") && has("503"), "{method} {path}");
            if operation["security"].is_array() {
                assert!(has("401") && has("403"), "{method} {path}");
            }
            if operation["requestBody"].is_object() {
                assert!(has("400") && has("413") && has("422"), "{method} {path}");
            }
        }
    }
    let pull = &paths["/api/v1/sync/pull"]["get"]["parameters"];
    assert_eq!(pull[0]["name"], "since");
    assert_eq!(
        (&pull[0]["in"], &pull[0]["required"]),
        (&serde_json::json!("query"), &serde_json::json!(true))
    );
}
