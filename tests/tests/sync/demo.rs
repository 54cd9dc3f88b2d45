//! The demo clinic `scripts/run.sh` creates on first start, made through
//! the public API and sync, is what a PC then sees.

use clinic_tests::TestApp;

#[tokio::test]
async fn the_demo_clinic_is_made_through_the_api_and_a_pc_sees_it() {
    let app = TestApp::spawn().await;
    let demo = demo::run(&app.base).await.expect("the demo is created");
    assert_eq!((demo.patients, demo.appointments), (200, 18));
    assert!(demo.prescriptions >= 10);
    assert_eq!(demo.sign_ins.len(), 3);
    assert!(
        demo.env_file()
            .starts_with(&format!("CLINIC_CODE={}", demo.clinic_code))
    );

    // A PC of the clinic (the owner signing in) learns all of it by sync.
    let login = app
        .login(
            &demo.clinic_code,
            &demo.sign_ins[0].1,
            demo::PASSWORD,
            uuid::Uuid::now_v7(),
        )
        .await;
    assert_eq!(login.status, reqwest::StatusCode::OK, "{:?}", login.body);
    let pulled = app
        .get(
            "/sync/pull?since=0&limit=5000",
            login.body["access_token"].as_str(),
        )
        .await;
    let changes = pulled.body["changes"].as_array().expect("changes");
    let count = |table: &str| changes.iter().filter(|c| c["table"] == table).count();
    assert_eq!(count("patients"), 200);
    assert_eq!(count("appointments"), 18);
    assert_eq!(
        count("doctors"),
        3 + 1,
        "three doctors added, then the owner's hours set"
    );
    let families = changes
        .iter()
        .filter(|c| c["table"] == "patients" && c["fields"]["relationship"] != "self")
        .count();
    assert!(families > 50, "patients come in families: {families}");
}
