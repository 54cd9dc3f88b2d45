//! The app updates itself from the clinic's server, against a real update
//! endpoint: a release signed with the key this build trusts is downloaded,
//! checked and offered ("restart to install"); the same bytes with one byte
//! flipped, or signed with another key, are refused with the reason and the
//! app carries on, on its own version.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::gui_steps::PASSWORD;
use clinic_tests::releases::{sign, stranger_key, test_key};
use serde_json::json;

const NEXT: &str = "9.9.0";

#[tokio::test]
async fn a_signed_update_is_offered_and_a_tampered_or_foreign_one_refused() {
    let app = TestApp::spawn().await;
    let bundle = b"a bundle of the next version ".repeat(4096);
    let signature = sign(&bundle, NEXT, &test_key());
    app.publish_release("stable", NEXT, &bundle, &signature).await;
    let mut flipped = bundle.clone();
    flipped[1000] ^= 0x01;
    app.publish_release("flipped", NEXT, &flipped, &signature).await;
    let foreign = sign(&bundle, NEXT, &stranger_key());
    app.publish_release("foreign", NEXT, &bundle, &foreign).await;

    let desk = Desktop::launch(&app.base).await;
    let email = desk.register("Update Clinic").await;
    let ready = desk.wait_text("update-ready", |t| t.contains(NEXT)).await;
    assert!(ready.contains("Restart to install"), "{ready}");
    desk.screenshot("update-ready").await;
    // Installing asks first and says what happens; going back changes nothing.
    desk.click("update-install").await;
    let confirm = desk.wait_text("confirm-dialog", |t| t.contains(NEXT)).await;
    assert!(confirm.contains("Save any open form first"), "{confirm}");
    desk.click("confirm-no").await;
    // An admin puts it off: the banner rests on this PC.
    desk.click("update-later").await;
    let mut shown = 1;
    for _ in 0..50 {
        shown = desk.count("update-ready").await;
        if shown == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(shown, 0, "deferred by the admin");
    desk.close().await;

    let code = app.latest_clinic_code().await;
    for channel in ["flipped", "foreign"] {
        let preset = json!({"server_url": app.base, "update_channel": channel}).to_string();
        let desk = Desktop::launch_with_preset(&preset).await;
        desk.sign_in(&code, &email, PASSWORD).await;
        let refused = desk.wait_text("update-refused", |t| !t.is_empty()).await;
        assert!(
            refused.contains(&format!("Update {NEXT} was refused")),
            "{channel}: {refused}"
        );
        assert_eq!(
            desk.count("update-ready").await,
            0,
            "{channel}: nothing to install"
        );
        desk.screenshot(&format!("update-refused-{channel}")).await;
        let view = desk
            .invoke("check_for_update", serde_json::Value::Null)
            .await
            .expect("the app still answers");
        assert_eq!(
            view["current_version"],
            env!("CARGO_PKG_VERSION"),
            "{channel}: still the old version"
        );
        assert_eq!(view["ready"], serde_json::Value::Null);
        desk.close().await;
    }
}
