//! Desktop releases: the owner publishes a bundle directory; a signed-in PC
//! is offered the newest newer release (or IT's pinned one) in the Tauri
//! updater's form, and downloads its bytes with the same sign-in.

use clinic_server::releases;
use clinic_tests::TestApp;
use reqwest::StatusCode;

/// Publishes a fake bundle of `version` on `channel`; returns its bytes.
async fn publish(app: &TestApp, channel: &str, version: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("dir");
    let bytes = format!("bundle {version}").into_bytes();
    let deb = dir.path().join(format!("clinic-desktop_{version}_amd64.deb"));
    std::fs::write(&deb, &bytes).expect("deb");
    std::fs::write(
        dir.path().join(format!("clinic-desktop_{version}_amd64.deb.sig")),
        "c2lnbmF0dXJl",
    )
    .expect("sig");
    std::fs::write(dir.path().join("notes.md"), format!("Notes of {version}")).expect("notes");
    let files = releases::read_dir(dir.path(), None).expect("release files");
    releases::publish(&app.owner_pool, &files, channel)
        .await
        .expect("publish");
    bytes
}

#[tokio::test]
async fn a_pc_is_offered_the_newest_newer_release_and_downloads_it() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Update Clinic").await;
    publish(&app, "stable", "0.2.0").await;
    let newest = publish(&app, "stable", "0.3.0").await;
    publish(&app, "beta", "0.4.0-beta.1").await;
    let token = Some(clinic.access_token.as_str());

    let offer = app.get("/updates/linux/x86_64/0.1.0", token).await;
    assert_eq!(offer.status, StatusCode::OK, "{:?}", offer.body);
    assert_eq!(offer.body["version"], "0.3.0");
    assert_eq!(offer.body["notes"], "Notes of 0.3.0");
    assert_eq!(offer.body["signature"], "c2lnbmF0dXJl");
    let url = offer.body["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with(&app.base), "{url}");
    let bytes = app
        .http
        .get(&url)
        .bearer_auth(&clinic.access_token)
        .send()
        .await
        .expect("download");
    assert_eq!(bytes.status(), StatusCode::OK);
    assert_eq!(bytes.bytes().await.expect("body").to_vec(), newest);
    let anonymous = app.http.get(&url).send().await.expect("download");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    assert_eq!(
        app.get("/updates/linux/x86_64/0.3.0", token).await.status,
        StatusCode::NO_CONTENT
    );
    let beta = app.get("/updates/linux/x86_64/0.3.0?channel=beta", token).await;
    assert_eq!(beta.body["version"], "0.4.0-beta.1");
    let pinned = app.get("/updates/linux/x86_64/0.1.0?pinned=0.2.0", token).await;
    assert_eq!(pinned.body["version"], "0.2.0", "IT's pin wins over the newest");
    let other_arch = app.get("/updates/linux/aarch64/0.1.0", token).await;
    assert_eq!(other_arch.status, StatusCode::NO_CONTENT);
    let bad = app.get("/updates/linux/x86_64/latest", token).await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
    );
    assert_eq!(
        app.get("/updates/linux/x86_64/0.1.0", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Releases are immutable: the same version again is refused.
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("clinic-desktop_0.3.0_amd64.deb"), b"other").expect("deb");
    std::fs::write(dir.path().join("clinic-desktop_0.3.0_amd64.deb.sig"), "c2ln").expect("sig");
    let files = releases::read_dir(dir.path(), None).expect("files");
    assert!(
        releases::publish(&app.owner_pool, &files, "stable")
            .await
            .is_err()
    );
}
