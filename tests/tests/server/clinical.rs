//! Clinical rules the server enforces on what arrives through sync: the
//! status machines, clash detection (walk-ins excepted), per-PC number
//! slots and the audit trail of views and exports.

use clinic_tests::pc::{Device, clinic_with_patient};
use clinic_tests::{Clinic, OWNER_PASSWORD, TestApp};
use domain::clinical::appointment::AppointmentStatus;
use domain::clinical::prescription::PrescriptionStatus;
use domain::sync::OpKind;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

fn results(reply: &clinic_tests::Reply) -> Vec<String> {
    reply.op_results()
}

async fn doctor_clinic(app: &TestApp, name: &str) -> (Clinic, Device, Uuid, Uuid) {
    let (clinic, pc, patient_id) = clinic_with_patient(app, name, "+919800000071").await;
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);
    (clinic, pc, doctor, patient_id)
}

fn appointment(
    n: usize,
    patient: Uuid,
    doctor: Uuid,
    date: &str,
    time: &str,
    kind: &str,
    status: &str,
) -> Value {
    json!({"appointment_number": format!("APT20300101{n:04}"), "patient_id": patient, "doctor_id": doctor,
           "office_id": "main", "appointment_date": date, "appointment_time": time, "duration_minutes": 30,
           "appointment_type": kind, "reason": "Check-up", "status": status})
}

/// The legal steps from a new (draft) prescription to `status`.
fn walk_to(status: &str) -> &'static [&'static str] {
    match status {
        "active" => &["active"],
        "dispensed" => &["active", "dispensed"],
        "completed" => &["active", "completed"],
        "expired" => &["active", "expired"],
        "cancelled" => &["cancelled"],
        _ => &[],
    }
}

#[tokio::test]
async fn status_changes_through_sync_follow_the_domain_machines_exactly() {
    let app = TestApp::spawn().await;
    let (_clinic, mut pc, doctor, patient_id) = doctor_clinic(&app, "Status Clinic").await;

    // Every (from, to) pair: a row in `from`, then a push moving it to `to`.
    let mut pairs = Vec::new();
    for from in AppointmentStatus::ALL {
        for to in AppointmentStatus::ALL.into_iter().filter(|t| *t != from) {
            pairs.push((
                "appointments",
                from.as_str(),
                to.as_str(),
                from.next().contains(&to),
            ));
        }
    }
    for from in PrescriptionStatus::ALL {
        for to in PrescriptionStatus::ALL.into_iter().filter(|t| *t != from) {
            pairs.push((
                "prescriptions",
                from.as_str(),
                to.as_str(),
                from.next().contains(&to),
            ));
        }
    }
    let mut inserts = Vec::new();
    let mut ids = Vec::new();
    let mut walks: [Vec<(Uuid, &str)>; 2] = Default::default();
    for (i, (table, from, _, _)) in pairs.iter().enumerate() {
        let id = Uuid::now_v7();
        let fields = if *table == "appointments" {
            let day =
                chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap_or_default() + chrono::Days::new(i as u64);
            appointment(
                i,
                patient_id,
                doctor,
                &day.to_string(),
                "10:00",
                "scheduled",
                from,
            )
        } else {
            // A prescription starts as a draft and walks the machine to `from`.
            for (step, status) in walk_to(from).iter().enumerate() {
                walks[step].push((id, *status));
            }
            json!({"prescription_number": format!("RX20300101{i:04}"), "patient_id": patient_id, "doctor_id": doctor,
                   "visit_date": "2030-01-01", "diagnosis": "Caries", "valid_until": "2030-01-31", "status": "draft"})
        };
        inserts.push(pc.op(table, id, OpKind::Insert, fields));
        ids.push(id);
    }
    let created = pc.push(&app, &inserts).await;
    assert!(
        results(&created).iter().all(|r| r == "applied"),
        "{:?}",
        created.body
    );
    for step in walks.iter().filter(|s| !s.is_empty()) {
        let ops: Vec<_> = step
            .iter()
            .map(|(id, status)| pc.op("prescriptions", *id, OpKind::Update, json!({"status": status})))
            .collect();
        let walked = pc.push(&app, &ops).await;
        assert!(
            results(&walked).iter().all(|r| r == "applied"),
            "{:?}",
            walked.body
        );
    }
    let updates: Vec<_> = pairs
        .iter()
        .zip(&ids)
        .map(|((table, _, to, _), id)| pc.op(table, *id, OpKind::Update, json!({"status": to})))
        .collect();
    let moved = pc.push(&app, &updates).await;
    let got = results(&moved);
    assert_eq!(got.len(), pairs.len());
    for ((table, from, to, legal), result) in pairs.iter().zip(&got) {
        let expected = if *legal { "applied" } else { "validation_failed" };
        assert_eq!(result, expected, "{table}: {from} -> {to}");
    }
    // The refusal says what was wrong in words.
    let refused = moved.body["results"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["refusal"] == "validation_failed"))
        .and_then(|x| x["message"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(refused.contains("cannot become"), "{refused}");
}

#[tokio::test]
async fn walk_ins_queue_without_clashing_but_bookings_never_overlap() {
    let app = TestApp::spawn().await;
    let (_clinic, mut pc, doctor, patient_id) = doctor_clinic(&app, "Queue Clinic").await;
    let booked = pc.op(
        "appointments",
        Uuid::now_v7(),
        OpKind::Insert,
        appointment(
            1,
            patient_id,
            doctor,
            "2030-02-01",
            "10:00",
            "scheduled",
            "scheduled",
        ),
    );
    let mut walk_in = appointment(
        2,
        patient_id,
        doctor,
        "2030-02-01",
        "10:05",
        "walk_in",
        "scheduled",
    );
    walk_in["queue_number"] = json!(1);
    let walk_in = pc.op("appointments", Uuid::now_v7(), OpKind::Insert, walk_in);
    let overlapping = pc.op(
        "appointments",
        Uuid::now_v7(),
        OpKind::Insert,
        appointment(
            3,
            patient_id,
            doctor,
            "2030-02-01",
            "10:15",
            "scheduled",
            "scheduled",
        ),
    );
    let after = pc.op(
        "appointments",
        Uuid::now_v7(),
        OpKind::Insert,
        appointment(
            4,
            patient_id,
            doctor,
            "2030-02-01",
            "10:30",
            "scheduled",
            "scheduled",
        ),
    );
    let reply = pc.push(&app, &[booked, walk_in, overlapping, after]).await;
    assert_eq!(
        results(&reply),
        ["applied", "applied", "appointment_clash", "applied"]
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM appointments").await, 3);
}

#[tokio::test]
async fn every_pc_of_a_clinic_gets_its_own_number_slot() {
    let app = TestApp::spawn().await;
    let clinic = app
        .register_clinic(&format!("Slots {}", Uuid::now_v7().simple()))
        .await;
    assert_eq!(clinic.body["number_slot"], 0, "the registering PC");
    let mut slots = vec![0];
    let pcs: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
    for pc in &pcs {
        let reply = app
            .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, *pc)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
        slots.push(reply.body["number_slot"].as_i64().unwrap_or(-1));
    }
    assert_eq!(slots, [0, 1, 2, 3]);
    let again = app
        .login(&clinic.code, &clinic.owner_email, OWNER_PASSWORD, pcs[1])
        .await;
    assert_eq!(again.body["number_slot"], 2, "a PC keeps its slot");
    let other = app.register_clinic("Other Slots Clinic").await;
    assert_eq!(other.body["number_slot"], 0, "slots are per clinic");
}

#[tokio::test]
async fn audit_events_are_recorded_once_with_who_and_which_pc() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Audit Clinic", true).await;
    let other = app.register_clinic("Audit Other Clinic").await;
    let patient_id = Uuid::now_v7();
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let events = json!({"events": [
        {"id": Uuid::now_v7(), "action": "view", "entity_table": "patients", "entity_id": patient_id,
         "details": {}, "occurred_at": an_hour_ago},
        {"id": Uuid::now_v7(), "action": "export", "entity_table": "prescriptions", "entity_id": Uuid::now_v7(),
         "details": {"layout": "classic"}, "occurred_at": an_hour_ago},
    ]});
    let first = app.post("/sync/audit", &events, Some(&clinic.access_token)).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["recorded"], 2);
    let again = app.post("/sync/audit", &events, Some(&clinic.access_token)).await;
    assert_eq!(again.body["recorded"], 0, "a resent batch is not recorded twice");
    // Bounded: a table name, small object details, a time the server
    // can believe (not in the future, not older than 90 days).
    let event = |table: &str, details: Value, at: chrono::DateTime<chrono::Utc>| json!({"id": Uuid::now_v7(), "action": "view", "entity_table": table, "details": details, "occurred_at": at});
    let now = chrono::Utc::now();
    let bad = json!({"events": [
        event("Patients; DROP", json!({}), now),
        event("patients", json!({"blob": "x".repeat(5000)}), now),
        event("patients", json!(["not", "an", "object"]), now),
        event("patients", json!({}), now + chrono::Duration::days(365 * 400)),
        event("patients", json!({}), now - chrono::Duration::days(91)),
    ]});
    let refused = app.post("/sync/audit", &bad, Some(&clinic.access_token)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = refused.body["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        fields,
        [
            "events.0.entity_table",
            "events.1.details",
            "events.2.details",
            "events.3.occurred_at",
            "events.4.occurred_at"
        ]
    );
    assert_eq!(
        app.post("/sync/audit", &events, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    let received: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT received_at FROM audit_events WHERE entity_id = $1")
            .bind(patient_id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("received");
    assert!(
        (chrono::Utc::now() - received).num_seconds().abs() < 60,
        "the server's own time"
    );
    let row: (Uuid, Uuid, Option<Uuid>, String) =
        sqlx::query_as("SELECT tenant_id, user_id, device_id, action FROM audit_events WHERE entity_id = $1")
            .bind(patient_id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("recorded");
    assert_eq!(
        row,
        (
            clinic.tenant_id,
            clinic.owner_id,
            Some(clinic.device_id),
            "view".to_owned()
        )
    );
    let mut tx = app.app_tx(Some(other.tenant_id)).await;
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(seen, 0, "another clinic sees none of it");
}

#[tokio::test]
async fn dental_clinics_start_with_the_four_dental_short_keys_once() {
    let app = TestApp::spawn().await;
    let general = app.register_clinic_as("General Practice", true).await;
    let keys = "SELECT count(*) FROM short_keys";
    assert_eq!(app.owner_count(keys).await, 0, "not for a general practice");
    // Adding an endodontist makes it a dental clinic: the keys appear once.
    for (email, licence) in [("endo1@example.org", "KDC-1"), ("endo2@example.org", "KDC-2")] {
        assert_eq!(
            app.add_doctor(&general, email, licence).await.status,
            StatusCode::CREATED
        );
    }
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM short_keys ORDER BY code")
        .fetch_all(&app.owner_pool)
        .await
        .expect("codes");
    assert_eq!(codes, ["EXT", "GUM", "PAIN", "RCT"]);
    assert_eq!(
        app.owner_count("SELECT count(*) FROM short_key_medicines").await,
        10
    );
    assert_eq!(
        app.owner_count("SELECT count(*) FROM short_key_medicines l JOIN medicines m ON m.id = l.medicine_id WHERE m.tenant_id IS NULL").await,
        10,
        "every line names a global catalog medicine"
    );
    // PCs pull them like any record.
    let pulled = Device::new(general.device_id, &general.access_token)
        .pull(&app, 0)
        .await;
    let tables: Vec<&str> = pulled.body["changes"]
        .as_array()
        .map(|c| c.iter().filter_map(|x| x["table"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(tables.iter().filter(|t| **t == "short_keys").count(), 4);
    assert_eq!(tables.iter().filter(|t| **t == "short_key_medicines").count(), 10);
}
