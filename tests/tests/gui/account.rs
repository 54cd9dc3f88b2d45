//! The person's own session: "My account" changes their password, and the
//! window signs out when left untouched for its session's idle timeout. Here IT's preset sets one minute (clinics choose 5 to 240,
//! too long for a test); `tests/sync/session_settings.rs` shows the clinic's
//! setting reaching the same session field on every PC.

use std::time::{Duration, Instant};

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use clinic_tests::gui_steps::PASSWORD;
use serde_json::json;

const NEW_PASSWORD: &str = "Fresh-Window-Key-77";

#[tokio::test]
async fn an_untouched_window_signs_out_after_its_idle_timeout() {
    let app = TestApp::spawn().await;
    let preset = json!({"server_url": app.base, "idle_minutes": 1}).to_string();
    let desk = Desktop::launch_with_preset(&preset).await;
    desk.register("Idle Window Clinic").await;
    let signed_in = Instant::now();

    // Nobody touches the window: a minute later (checked every 5 s) it is
    // back at the sign-in screen. Up to 150 s: with several test windows on
    // one display WebKit may delay the timers of one that is not in front
    // (seen in CI: later than 90 s); a person coming back to such a window
    // is signed out by their first key press or pointer move instead.
    desk.wait_within("sign-in-form", Duration::from_secs(150)).await;
    let after = signed_in.elapsed();
    desk.screenshot("idle-signed-out").await;
    assert!(
        after >= Duration::from_secs(55),
        "signed out after {after:?}, before the minute IT chose"
    );
    desk.close().await;
}

/// "My account": anyone signed in changes their own password, not only
/// when a temporary one forces it, and signs in with it next time.
#[tokio::test]
async fn anyone_changes_their_own_password_from_my_account() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    let email = desk.register("Account Clinic").await;
    let code = app.latest_clinic_code().await;
    desk.click("nav-account").await;
    desk.fill("current-password", PASSWORD).await;
    desk.fill("new-password", NEW_PASSWORD).await;
    desk.fill("repeat-password", NEW_PASSWORD).await;
    desk.click("change-password-submit").await;
    desk.wait_text("flash", |t| t.contains("Password changed")).await;
    desk.screenshot("my-account-password-changed").await;
    desk.switch_user(&code, &email, PASSWORD).await;
    desk.wait_text("sign-in-error", |t| !t.is_empty()).await;
    desk.retype("password", NEW_PASSWORD).await;
    desk.click("sign-in-submit").await;
    desk.wait("nav-account").await;
    desk.close().await;
}
