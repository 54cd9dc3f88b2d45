//! Property-based fuzzing of every route against the server's own OpenAPI
//! description, with schemathesis (installed by scripts/test.sh): no
//! server errors, and no answer the description does not allow. The few
//! rules a JSON Schema cannot state are listed in tests/fuzz/schemathesis.toml.
//!
//! CI runs a small, fixed-seed run; `CLINIC_FUZZ_EXAMPLES` and
//! `CLINIC_FUZZ_SEED` make it larger or different.

use std::time::Duration;

use clinic_tests::TestApp;

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/schemathesis.toml");

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::test]
async fn every_route_keeps_to_its_openapi_description_under_fuzzing() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Fuzz Clinic", true).await;
    let run = tokio::process::Command::new("st")
        .args([
            "--config-file",
            CONFIG,
            "run",
            &format!("{}/openapi.json", app.base),
        ])
        .args([
            "--header",
            &format!("Authorization: Bearer {}", clinic.access_token),
        ])
        .args([
            "--checks",
            "all",
            "--max-examples",
            &setting("CLINIC_FUZZ_EXAMPLES", "25"),
        ])
        .args([
            "--seed",
            &setting("CLINIC_FUZZ_SEED", "20261201"),
            "--request-timeout",
            "10",
        ])
        // The live event stream never ends by design; tests/tests/server/sessions.rs covers it.
        .args(["--exclude-path", "/api/v1/sync/events", "--no-color"])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(600), run)
        .await
        .expect("the fuzz run ends within 10 minutes")
        .unwrap_or_else(|e| panic!("schemathesis (`st`) could not run ({e}); scripts/test.sh installs it"));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains(" passed"), "no test cases ran:\n{report}");
}
