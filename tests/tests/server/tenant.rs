//! The clinic overview, plans and settings.

use clinic_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn plans_and_settings() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Settings Clinic").await;
    let plans = app.get("/plans", Some(&clinic.access_token)).await;
    assert_eq!(plans.status, StatusCode::OK);
    let names: Vec<&str> = plans
        .body
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["plan"].as_str())
        .collect();
    assert_eq!(names, ["trial", "basic", "premium", "enterprise"]);
    assert_eq!(plans.body[2]["limits"]["max_patients"], -1, "-1 is unlimited");

    let patched = app
        .patch(
            "/tenant/settings",
            &json!({"address": "12 MG Road, Bengaluru", "currency": "inr", "phone": "+91 80 2345 6789"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(patched.body["settings"]["currency"], "INR");
    assert_eq!(patched.body["settings"]["phone"], "+918023456789");
    assert_eq!(
        patched.body["settings"]["clinic_name"], "Settings Clinic",
        "absent fields are kept"
    );

    // An empty address or phone clears it (an absent one is kept).
    let cleared = app
        .patch(
            "/tenant/settings",
            &json!({"address": "", "phone": "  "}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{:?}", cleared.body);
    assert_eq!(cleared.body["settings"]["address"], Value::Null);
    assert_eq!(cleared.body["settings"]["phone"], Value::Null);
    assert_eq!(cleared.body["settings"]["currency"], "INR", "kept");
    assert_eq!(cleared.body["settings"]["clinic_name"], "Settings Clinic");

    let bad = app
        .patch(
            "/tenant/settings",
            &json!({"currency": "rupees", "idle_timeout_minutes": 1}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(bad.code(), "validation_failed");
    let fields: Vec<&str> = bad.body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["currency", "idle_timeout_minutes"]);
    let unknown = app
        .patch(
            "/tenant/settings",
            &json!({"plan": "enterprise"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(
        unknown.code(),
        "validation_failed",
        "a clinic cannot set its own plan"
    );
    let overview = app.get("/tenant", Some(&clinic.access_token)).await;
    assert_eq!(overview.body["plan"], "trial");
    assert_eq!(overview.body["settings"]["currency"], "INR");
}

#[tokio::test]
async fn an_expired_trial_keeps_reading_but_cannot_add_doctors() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Expired Clinic").await;
    sqlx::query("UPDATE tenants SET trial_ends_at = now() - interval '1 day' WHERE id = $1")
        .bind(clinic.tenant_id)
        .execute(&app.owner_pool)
        .await
        .expect("expire trial");
    let overview = app.get("/tenant", Some(&clinic.access_token)).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert_eq!(overview.body["effective_status"], "expired");
    assert_eq!(overview.body["days_until_expiry"], 0);
    assert_eq!(overview.body["can_create_records"], false);
    let refused = app.add_doctor(&clinic, "late@example.org", "LIC-1").await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::PAYMENT_REQUIRED, "tenant_inactive")
    );
    assert_eq!(
        app.get("/doctors", Some(&clinic.access_token)).await.status,
        StatusCode::OK
    );
}

/// Found by the fuzz run: a logo with a NUL character reached PostgreSQL's
/// JSON and failed as 500; it is now refused as what it is.
#[tokio::test]
async fn a_logo_that_is_not_base64_is_refused_not_a_server_error() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Logo Clinic").await;
    let reply = app
        .patch(
            "/tenant/settings",
            &serde_json::json!({"logo": "data:image/jpeg;base64,R\u{0}X&a"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(
        reply.status,
        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    assert_eq!(reply.body["fields"][0]["field"], "logo");
}

/// A logo of up to 1 MB of PNG or JPEG is kept (its request is larger than
/// other routes take), more is refused under `logo`, a renamed GIF is not
/// a PNG, and an empty logo removes it.
#[tokio::test]
async fn a_logo_up_to_one_megabyte_is_kept_and_an_empty_one_removes_it() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Big Logo Clinic").await;
    let set = |logo: String| {
        let (app, token) = (&app, clinic.access_token.clone());
        async move {
            app.patch("/tenant/settings", &json!({"logo": logo}), Some(&token))
                .await
        }
    };
    let max = domain::tenant::LOGO_MAX_BYTES;
    // Valid base64 of a PNG signature followed by filler, 1 MB decoded.
    let png = |base64_len: usize| format!("data:image/png;base64,iVBORw0KGgo{}", "A".repeat(base64_len - 11));
    let kept = set(png(max / 3 * 4)).await;
    assert_eq!(kept.status, StatusCode::OK, "{:?}", kept.body["message"]);
    assert!(
        kept.body["settings"]["logo"]
            .as_str()
            .is_some_and(|l| l.len() > max)
    );
    // A PC's minute-by-minute refresh leaves the logo out; the fingerprint
    // says whether its copy is current.
    let fingerprint = kept.body["logo_fingerprint"].clone();
    assert!(fingerprint.is_string(), "{:?}", kept.body["logo_fingerprint"]);
    let light = app
        .get("/tenant?include_logo=false", Some(&clinic.access_token))
        .await;
    assert_eq!(light.status, StatusCode::OK);
    assert!(light.body["settings"]["logo"].is_null());
    assert_eq!(light.body["logo_fingerprint"], fingerprint);
    let full = app.get("/tenant", Some(&clinic.access_token)).await;
    assert_eq!(full.body["settings"]["logo"], kept.body["settings"]["logo"]);
    let other = set(png(max / 3 * 4 - 4)).await;
    assert_ne!(
        other.body["logo_fingerprint"], fingerprint,
        "another logo, another fingerprint"
    );

    let too_big = set(png(max / 3 * 4 + 8)).await;
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_big.body["fields"][0]["field"], "logo");
    assert!(
        too_big.body["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1 MB"))
    );
    let gif = set("data:image/png;base64,R0lGODlhAQABAAAAACw=".into()).await;
    assert_eq!(gif.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(gif.body["fields"][0]["field"], "logo");

    let removed = set(String::new()).await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert!(
        removed.body["settings"]["logo"].is_null(),
        "{:?}",
        removed.body["settings"]
    );
    assert!(removed.body.get("logo_fingerprint").is_none());
    let settings: Value = sqlx::query_scalar("SELECT settings FROM tenants WHERE code = $1")
        .bind(&clinic.code)
        .fetch_one(&app.owner_pool)
        .await
        .expect("settings");
    assert!(
        settings["logo"].is_null(),
        "the logo lives in its own column: {settings}"
    );
}
