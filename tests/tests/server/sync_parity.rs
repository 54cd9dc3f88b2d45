//! A second client that folds the change log from 0 (and knows nothing of
//! defaults) holds exactly what a snapshot gives: the log carries inserts
//! as stored, server defaults included.

use std::collections::BTreeMap;

use clinic_tests::pc::{Device, patient};
use clinic_tests::{TestApp, uuid};
use domain::sync::OpKind;
use serde_json::{Map, Value, json};
use uuid::Uuid;

type Rows = BTreeMap<(String, String), Map<String, Value>>;

/// Every live row as the snapshot streams it, without the clocks.
async fn snapshot(app: &TestApp, token: &str) -> Rows {
    let text = app
        .http
        .get(format!("{}/api/v1/sync/snapshot", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("snapshot")
        .text()
        .await
        .expect("body");
    let mut rows = Rows::new();
    for line in text.lines().skip(1) {
        let line: Value = serde_json::from_str(line).expect("row line");
        if line["global"] == true {
            continue;
        }
        let mut row = line["row"].as_object().cloned().expect("row");
        row.remove("field_hlc");
        let id = row["id"].as_str().expect("id").to_owned();
        rows.insert((line["table"].as_str().expect("table").to_owned(), id), row);
    }
    rows
}

/// The log from 0 folded naively: inserts and updates set the fields they
/// carry, deletes remove the row.
async fn folded_log(app: &TestApp, token: &str) -> Rows {
    let mut rows = Rows::new();
    let mut since = 0;
    loop {
        let page = app
            .get(&format!("/sync/pull?since={since}&limit=5000"), Some(token))
            .await;
        for change in page.body["changes"].as_array().expect("changes") {
            let key = (
                change["table"].as_str().expect("table").to_owned(),
                change["row_id"].as_str().expect("row").to_owned(),
            );
            if change["kind"] == "delete" {
                rows.remove(&key);
                continue;
            }
            let row = rows
                .entry(key.clone())
                .or_insert_with(|| Map::from_iter([("id".to_owned(), Value::String(key.1.clone()))]));
            for (field, value) in change["fields"].as_object().expect("fields") {
                row.insert(field.clone(), value.clone());
            }
        }
        since = page.body["cursor"].as_i64().expect("cursor");
        if page.body["has_more"] != true {
            return rows;
        }
    }
}

#[tokio::test]
async fn the_log_folded_from_zero_equals_the_snapshot_field_by_field() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Parity Clinic", true).await;
    let doctor = uuid(&clinic.body["user"]["doctor_id"]);
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let (person, medicine, rx, gone) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    // Minimal rows: every field left out takes the server's default.
    let ops = [
        pc.op("patients", person, OpKind::Insert, patient("Parity", "+919800000301")),
        pc.op("patients", gone, OpKind::Insert, patient("Gone", "+919800000302")),
        pc.op("medicines", medicine, OpKind::Insert, json!({"name": "Plain", "composition": "Water"})),
        pc.op("appointments", Uuid::now_v7(), OpKind::Insert,
            json!({"appointment_number": "APT203001010001", "patient_id": person, "doctor_id": doctor,
                   "office_id": "main", "appointment_date": "2030-01-01", "appointment_time": "10:00",
                   "reason": "Check-up"})),
        pc.op("prescriptions", rx, OpKind::Insert,
            json!({"prescription_number": "RX203001010001", "patient_id": person, "doctor_id": doctor,
                   "visit_date": "2030-01-01", "diagnosis": "Caries", "valid_until": "2030-01-31"})),
        pc.op("prescription_items", Uuid::now_v7(), OpKind::Insert,
            json!({"prescription_id": rx, "medicine_id": medicine, "medicine_name": "Plain", "dosage": "1",
                   "frequency": "1-0-1", "duration": "3 days", "quantity": 6})),
        pc.op("dental_observations", Uuid::now_v7(), OpKind::Insert,
            json!({"patient_id": person, "doctor_id": doctor, "tooth_number": 36, "condition_type": "caries"})),
    ];
    let reply = pc.push(&app, &ops).await;
    assert!(
        reply.op_results().iter().all(|r| r == "applied"),
        "{:?}",
        reply.body
    );
    let later = [
        pc.op(
            "patients",
            person,
            OpKind::Update,
            json!({"notes": "second visit"}),
        ),
        pc.op("patients", gone, OpKind::Delete, json!({})),
    ];
    assert_eq!(pc.push(&app, &later).await.op_results(), ["applied", "applied"]);

    // The global medicine catalog (marked "global" in the snapshot) ships
    // with the server and is in no clinic's log.
    let own = snapshot(&app, &clinic.access_token).await;
    let log = folded_log(&app, &clinic.access_token).await;
    assert_eq!(
        own.keys().collect::<Vec<_>>(),
        log.keys().collect::<Vec<_>>(),
        "the same rows"
    );
    for (key, row) in &own {
        let logged = &log[key];
        for (field, value) in row {
            assert_eq!(
                logged.get(field),
                Some(value),
                "{key:?}.{field}: log {:?} vs snapshot {value}",
                logged.get(field)
            );
        }
    }
    assert_eq!(
        own[&("patients".to_owned(), person.to_string())]["relationship"],
        "self"
    );
}
