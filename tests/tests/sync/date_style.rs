//! The clinic's date style reaches the screens with the session: from the
//! clinic's country, at once when an admin changes it, at the first
//! sign-in on a PC that never saw the clinic, and offline from what the PC
//! keeps. Needs a secret service, like `desktop_core`.

use client::app::{AppCore, Preset};
use clinic_tests::TestApp;
use domain::api::RegisterClinicRequest;
use domain::date::DateStyle;

fn preset(url: &str) -> Preset {
    Preset {
        server_url: Some(url.to_owned()),
        clinic_code: None,
        idle_minutes: None,
    }
}

const EMAIL: &str = "dates@example.org";
const PASSWORD: &str = "Calendar-Desk-2026";

#[tokio::test]
async fn dates_follow_the_clinic_country_online_and_offline() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = AppCore::new(dir.path(), preset(&app.base)).expect("core");
    let session = core
        .register_clinic(RegisterClinicRequest {
            clinic_name: "Dates Clinic".into(),
            owner_name: "Dr Dates".into(),
            email: EMAIL.into(),
            password: PASSWORD.into(),
            owner_is_doctor: false,
            device_id: None,
            licence_number: None,
            specialization: None,
        })
        .await
        .expect("register");
    assert_eq!(
        session.date_style,
        DateStyle::DayMonthYear,
        "no country set yet: day first"
    );
    let mut settings = core.clinic_settings().await.expect("settings");
    settings.default_country_calling_code = Some("1".into());
    core.save_clinic_settings(settings).await.expect("save settings");
    let now = core.session().await.expect("signed in");
    assert_eq!(
        now.date_style,
        DateStyle::MonthDayYear,
        "the new country shows without signing in again"
    );
    core.sign_out().await.expect("sign out");
    drop(core);

    // Another PC: its first sign-in brings the clinic's style along.
    let other = tempfile::tempdir().expect("tempdir");
    let second = AppCore::new(other.path(), preset(&app.base)).expect("core");
    let view = second
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("sign in");
    assert!(!view.offline);
    assert_eq!(view.date_style, DateStyle::MonthDayYear);
    second.sign_out().await.expect("sign out");
    drop(second);

    // That PC with the server unreachable: the style it kept.
    let offline = AppCore::new(other.path(), preset("http://127.0.0.1:9")).expect("core");
    let view = offline
        .sign_in(&session.clinic_code, EMAIL, PASSWORD)
        .await
        .expect("offline sign-in");
    assert!(view.offline);
    assert_eq!(view.date_style, DateStyle::MonthDayYear);
    offline.sign_out().await.expect("sign out");
}
