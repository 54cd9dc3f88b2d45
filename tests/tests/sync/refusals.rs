//! A change the server refuses for good leaves the PC's outbox for the
//! refused list; discarding it puts the server's values back on the PC.

use clinic_tests::pc::Device;
use clinic_tests::pcs::new_patient;
use clinic_tests::{OWNER_PASSWORD, TestApp, uuid};
use domain::sync::OpKind;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn discarding_a_refused_change_restores_the_servers_values() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Refusal Clinic", true).await;
    let doctor = uuid(&clinic.body["user"]["doctor_id"]);
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    let patient = pc.insert("patients", new_patient("Clash", "+919833330001"));
    let booking = |time: &str| {
        json!({"appointment_number": format!("APT20300101{}00", &time[..2]), "patient_id": patient,
               "doctor_id": doctor, "office_id": "main", "appointment_date": "2030-01-01",
               "appointment_time": time, "duration_minutes": 30, "reason": "Check-up"})
    };
    let visit = pc.insert("appointments", booking("10:00:00"));
    pc.sync().await;

    // Offline, this PC moves the visit to 11:00; meanwhile another PC books 11:00.
    pc.update("appointments", visit, json!({"appointment_time": "11:00:00"}));
    let device = Uuid::now_v7();
    let login = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, device)
        .await;
    let mut elsewhere = Device::new(device, login.body["access_token"].as_str().expect("token"));
    let mut taken = booking("11:00:00");
    taken["appointment_number"] = json!("APT203001019999");
    let op = elsewhere.op("appointments", Uuid::now_v7(), OpKind::Insert, taken);
    assert_eq!(elsewhere.push(&app, &[op]).await.op_results(), ["applied"]);

    pc.sync().await;
    let refused = pc.engine.store().expect("store").refused().expect("refused");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(pc.pending(), 0, "a refused change is not retried");
    let local_time = || {
        pc.rows("appointments")
            .into_iter()
            .find(|r| r["id"] == visit.to_string())
            .map(|r| r["appointment_time"].clone())
    };
    assert_eq!(
        local_time(),
        Some(json!("11:00:00")),
        "kept while the user decides"
    );

    pc.engine
        .store()
        .expect("store")
        .discard_refused(refused[0].op_id)
        .expect("discard");
    assert_eq!(
        local_time(),
        Some(json!("10:00:00")),
        "the server's value is back"
    );
    let server_time: String =
        sqlx::query_scalar("SELECT appointment_time::text FROM appointments WHERE id = $1")
            .bind(visit)
            .fetch_one(&app.owner_pool)
            .await
            .expect("row");
    assert_eq!(server_time, "10:00:00");
}
