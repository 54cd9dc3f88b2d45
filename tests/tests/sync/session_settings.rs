//! What a session follows of the clinic's settings, its date style (from
//! the clinic's country) and its idle timeout, reaches the screens with
//! the session: at once when an admin changes them, at the first sign-in
//! on a PC that never saw the clinic, and offline from what the PC keeps.
//! IT's preset idle timeout for a PC wins over the clinic's. Needs a
//! secret service, like `desktop_core`.

use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration};
use contract::app::DEFAULT_IDLE_MINUTES;
use domain::date::DateStyle;

const EMAIL: &str = "dates@example.org";
const PASSWORD: &str = "Calendar-Desk-2026";

#[tokio::test]
async fn date_style_and_idle_timeout_follow_the_clinic_online_and_offline() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = desk_core(dir.path(), &app.base);
    let session = core
        .register_clinic(registration("Dates Clinic", "Dr Dates", EMAIL, PASSWORD, false))
        .await
        .expect("register");
    assert_eq!(
        session.date_style,
        DateStyle::DayMonthYear,
        "no country set yet: day first"
    );
    assert_eq!(
        session.idle_minutes, DEFAULT_IDLE_MINUTES,
        "no timeout chosen yet"
    );
    let mut settings = core.clinic_settings().await.expect("settings");
    settings.default_country_calling_code = Some("1".into());
    settings.idle_timeout_minutes = Some(7);
    core.save_clinic_settings(settings).await.expect("save settings");
    let now = core.session().await.expect("signed in");
    assert_eq!(
        now.date_style,
        DateStyle::MonthDayYear,
        "the new country shows without signing in again"
    );
    assert_eq!(
        now.idle_minutes, 7,
        "the new timeout applies without signing in again"
    );
    core.sign_out().await.expect("sign out");
    drop(core);

    // Another PC: its first sign-in brings the clinic's style along.
    let other = tempfile::tempdir().expect("tempdir");
    let second = desk_core(other.path(), &app.base);
    let view = second
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("sign in");
    assert!(!view.offline);
    assert_eq!((view.date_style, view.idle_minutes), (DateStyle::MonthDayYear, 7));
    second.sign_out().await.expect("sign out");
    drop(second);

    // That PC with the server unreachable: the style it kept.
    let offline = desk_core(other.path(), "http://127.0.0.1:9");
    let view = offline
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("offline sign-in");
    assert!(view.offline);
    assert_eq!((view.date_style, view.idle_minutes), (DateStyle::MonthDayYear, 7));
    offline.sign_out().await.expect("sign out");
    drop(offline);

    // IT fixed 3 minutes for that PC (a reception desk, say): that wins.
    let preset = client::app::Preset {
        server_url: Some(app.base.clone()),
        idle_minutes: Some(3),
        ..client::app::Preset::default()
    };
    let locked = client::app::AppCore::new(other.path(), preset).expect("desktop core");
    let view = locked
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("sign in");
    assert_eq!(view.idle_minutes, 3);
    locked.sign_out().await.expect("sign out");
}
