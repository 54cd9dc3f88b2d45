//! What a PC follows of the clinic's settings. Its date style (from the
//! clinic's country) and idle timeout reach the screens with the session:
//! at once when an admin changes them, at the first sign-in on a PC that
//! never saw the clinic, and offline from what the PC keeps; IT's preset
//! idle timeout for a PC wins over the clinic's. Its calling code makes
//! one E.164 number of a mobile however it is typed. Needs a secret
//! service, like `desktop_core`.

use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration};
use contract::app::DEFAULT_IDLE_MINUTES;
use contract::app::PatientForm;
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

/// A mobile number typed with or without the country code is one number:
/// with the clinic's calling code set, the PC stores it in E.164 form, so
/// the family rules see one family.
#[tokio::test]
async fn a_mobile_typed_with_or_without_the_country_code_is_one_family() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = desk_core(dir.path(), &app.base);
    core.register_clinic(registration(
        "Family Clinic",
        "Dr Family",
        "family@example.org",
        PASSWORD,
        false,
    ))
    .await
    .expect("register");
    let mut settings = core.clinic_settings().await.expect("settings");
    settings.default_country_calling_code = Some("91".into());
    core.save_clinic_settings(settings).await.expect("save settings");
    let person = |first_name: &str, mobile: &str, relationship: &str| PatientForm {
        first_name: first_name.into(),
        mobile_number: mobile.into(),
        date_of_birth: "1985-03-03".into(),
        gender: "female".into(),
        relationship: relationship.into(),
        ..Default::default()
    };

    let main = core
        .save_patient(None, person("Lakshmi", "98450 12345", "self"))
        .await
        .expect("the main member");
    assert_eq!(main.mobile_number, "+919845012345");
    let spouse = core
        .save_patient(None, person("Ravi", "+91 98450-12345", "spouse"))
        .await
        .expect("joins the same family");
    assert_eq!(spouse.mobile_number, main.mobile_number);
    let refused = core
        .save_patient(None, person("Meena", "09845012345", "self"))
        .await
        .expect_err("a family has one main member");
    assert!(
        refused.fields.iter().any(|f| f.field == "relationship"),
        "{refused:?}"
    );
}
