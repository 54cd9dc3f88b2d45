//! A doctor's weekly hours are not cut from under booked patients: hours
//! that would leave an appointment to come outside every period at its
//! office are refused, naming it; hours that keep it are saved; a booking
//! that was already outside the hours (made offline, say) blocks nothing.

use chrono::{Datelike, Days, Utc, Weekday};
use clinic_tests::TestApp;
use clinic_tests::pc::{Device, patient};
use domain::sync::OpKind;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// The next Monday after today (a day with hours in the test).
fn next_monday() -> chrono::NaiveDate {
    let today = Utc::now().date_naive();
    let ahead = 7 - u64::from(today.weekday().num_days_from_monday());
    let day = today + Days::new(ahead);
    debug_assert_eq!(day.weekday(), Weekday::Mon);
    day
}

#[tokio::test]
async fn hours_that_would_leave_a_booked_patient_outside_them_are_refused() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Hours Dental", true).await;
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);
    let path = format!("/doctors/{doctor}");
    let patch = |body: Value| {
        let (app, path, token) = (&app, path.clone(), clinic.access_token.clone());
        async move { app.patch(&path, &body, Some(&token)).await }
    };
    let week = |monday: Value| json!({"availability": {"monday": monday}});
    let usual =
        week(json!([{"start": "09:00:00", "end": "13:00:00"}, {"start": "14:00:00", "end": "18:00:00"}]));
    assert_eq!(patch(usual).await.status, StatusCode::OK);

    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let someone = Uuid::now_v7();
    let booking = |number: &str, time: &str| {
        json!({"appointment_number": number, "patient_id": someone, "doctor_id": doctor,
               "office_id": "main", "appointment_date": next_monday().to_string(), "appointment_time": time,
               "duration_minutes": 30, "appointment_type": "scheduled", "reason": "Check-up"})
    };
    let ops = [
        pc.op(
            "patients",
            someone,
            OpKind::Insert,
            patient("Ganesh", "+919800000091"),
        ),
        pc.op(
            "appointments",
            Uuid::now_v7(),
            OpKind::Insert,
            booking("APT203001010091", "17:00"),
        ),
        // Booked outside the hours already (another PC, offline).
        pc.op(
            "appointments",
            Uuid::now_v7(),
            OpKind::Insert,
            booking("APT203001010092", "19:00"),
        ),
    ];
    assert_eq!(
        pc.push(&app, &ops).await.op_results(),
        ["applied", "applied", "applied"]
    );

    // Mornings only would leave the 17:00 patient outside the hours.
    let refused = patch(week(json!([{"start": "09:00:00", "end": "13:00:00"}]))).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.body["fields"][0]["field"], "availability");
    let said = refused.body["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(said.contains("1 appointment") && said.contains("17:00"), "{said}");
    let kept: Value = sqlx::query_scalar("SELECT availability->'monday' FROM doctors WHERE id = $1")
        .bind(doctor)
        .fetch_one(&app.owner_pool)
        .await
        .expect("hours");
    assert_eq!(kept.as_array().map(Vec::len), Some(2), "nothing changed: {kept}");

    // Ending at 17:30 still covers 17:00 for 30 minutes; 19:00 never blocked.
    let shorter =
        week(json!([{"start": "09:00:00", "end": "13:00:00"}, {"start": "14:00:00", "end": "17:30:00"}]));
    let saved = patch(shorter).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
}
