//! FHIR R4 export: a patient's `$everything` and the clinic's parse with
//! the FHIR model crate (R4B) and hold each record once, with its family
//! as RelatedPerson and teeth as FDI body sites; other clinics' patients
//! are not found; each export is audited.

use std::collections::BTreeMap;

use clinic_tests::pc::{Device, patient};
use clinic_tests::{Clinic, TestApp, uuid};
use domain::sync::OpKind;
use fhir_model::r4b::resources::{Bundle, Resource};
use serde_json::json;
use uuid::Uuid;

/// A patient with a little of everything, and her husband on her number.
pub(crate) async fn chart(app: &TestApp) -> (Clinic, Uuid) {
    let clinic = app.register_clinic_as("Fhir Clinic", true).await;
    let doctor = uuid(&clinic.body["user"]["doctor_id"]);
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let (meera, rx, observation) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let mut her = patient("Meera", "+919800000501");
    her["allergies"] = json!(["Penicillin", "Latex"]);
    her["blood_group"] = json!("B+");
    her["emergency_contact"] = json!({"name": "Ravi", "phone": "+919800000502"});
    let mut him = patient("Ravi", "+919800000501");
    him["relationship"] = json!("spouse");
    let ops = vec![
        pc.op("patients", meera, OpKind::Insert, her),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, him),
        pc.op("appointments", Uuid::now_v7(), OpKind::Insert,
            json!({"appointment_number": "APT203001010001", "patient_id": meera, "doctor_id": doctor,
                   "office_id": "main", "appointment_date": "2030-01-01", "appointment_time": "10:00:00",
                   "duration_minutes": 30, "appointment_type": "scheduled", "reason": "Tooth pain", "status": "scheduled"})),
        pc.op("prescriptions", rx, OpKind::Insert,
            json!({"prescription_number": "RX203001010001", "patient_id": meera, "doctor_id": doctor,
                   "visit_date": "2030-01-01", "diagnosis": "Pulpitis", "valid_until": "2030-01-31", "status": "active"})),
        pc.op("prescription_items", Uuid::now_v7(), OpKind::Insert,
            json!({"prescription_id": rx, "medicine_name": "Ibuprofen 400 mg", "dosage": "1 tablet",
                   "frequency": "1-0-1", "duration": "3 days", "quantity": 6})),
        pc.op("dental_observations", observation, OpKind::Insert,
            json!({"patient_id": meera, "doctor_id": doctor, "tooth_number": 36, "condition_type": "caries",
                   "severity": "severe"})),
        pc.op("dental_procedures", Uuid::now_v7(), OpKind::Insert,
            json!({"patient_id": meera, "doctor_id": doctor, "observation_id": observation, "procedure_code": "D3330",
                   "procedure_name": "Root canal, molar", "tooth_numbers": [36], "status": "planned"})),
        pc.op("dental_attachments", Uuid::now_v7(), OpKind::Insert,
            json!({"patient_id": meera, "observation_id": observation, "kind": "xray", "file_name": "36.png",
                   "mime_type": "image/png", "size_bytes": 1000, "sha256": "a".repeat(64)})),
    ];
    let reply = pc.push(app, &ops).await;
    assert!(
        reply.op_results().iter().all(|r| r == "applied"),
        "{:?}",
        reply.body
    );
    (clinic, meera)
}

/// Resources of each type in the bundle, after parsing it with the model.
pub(crate) async fn fetch(
    app: &TestApp,
    path: &str,
    token: &str,
) -> (
    reqwest::StatusCode,
    Option<BTreeMap<String, usize>>,
    Option<Bundle>,
) {
    let reply = app
        .http
        .get(format!("{}/api/v1{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("send");
    let status = reply.status();
    if status != reqwest::StatusCode::OK {
        return (status, None, None);
    }
    assert_eq!(reply.headers()["content-type"], "application/fhir+json");
    let bundle: Bundle =
        serde_json::from_slice(&reply.bytes().await.expect("body")).expect("a FHIR R4B Bundle");
    let mut counts = BTreeMap::new();
    for entry in bundle.entry.iter().flatten() {
        let kind = entry
            .resource
            .as_ref()
            .map_or("none".to_owned(), |r| r.resource_type().to_string());
        *counts.entry(kind).or_default() += 1;
    }
    (status, Some(counts), Some(bundle))
}

fn text_of(bundle: &Bundle) -> String {
    serde_json::to_string(bundle).expect("json")
}

fn expected(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

#[tokio::test]
async fn a_patients_everything_parses_with_the_fhir_model_and_holds_each_record_once() {
    let app = TestApp::spawn().await;
    let (clinic, meera) = chart(&app).await;
    let (status, counts, bundle) = fetch(
        &app,
        &format!("/fhir/Patient/{meera}/$everything"),
        &clinic.access_token,
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(
        counts.expect("counts"),
        expected(&[
            ("AllergyIntolerance", 2),
            ("Appointment", 1),
            ("DocumentReference", 1),
            ("Medication", 1),
            ("MedicationRequest", 1),
            ("Observation", 2),
            ("Patient", 1),
            ("Practitioner", 1),
            ("Procedure", 1),
            ("RelatedPerson", 1),
        ])
    );
    let bundle = bundle.expect("bundle");
    let procedure = bundle
        .entry
        .iter()
        .flatten()
        .find_map(|e| match e.resource.as_ref() {
            Some(Resource::Procedure(p)) => Some(p.clone()),
            _ => None,
        })
        .expect("a procedure");
    let site = procedure.body_site[0].as_ref().expect("a body site");
    let coding = site.coding[0].as_ref().expect("a coding");
    assert_eq!(
        (coding.system.as_deref(), coding.code.as_deref()),
        (Some("http://terminology.hl7.org/CodeSystem/ex-tooth"), Some("36")),
        "teeth are FDI body sites"
    );
    assert!(!text_of(&bundle).contains("\"\""), "FHIR strings are never empty");
    // Every reference resolves inside the bundle.
    let urls: Vec<String> = bundle
        .entry
        .iter()
        .flatten()
        .filter_map(|e| e.full_url.clone())
        .collect();
    let text = text_of(&bundle);
    for reference in text.split("\"reference\":\"").skip(1) {
        let target = reference.split('"').next().unwrap_or_default();
        assert!(
            urls.iter().any(|u| u == target),
            "{target} resolves in the bundle"
        );
    }
}

#[tokio::test]
async fn the_clinics_everything_holds_every_patient_and_other_clinics_find_nothing() {
    let app = TestApp::spawn().await;
    let (clinic, meera) = chart(&app).await;
    let (status, counts, _) = fetch(&app, "/fhir/Patient/$everything", &clinic.access_token).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let counts = counts.expect("counts");
    assert_eq!((counts["Patient"], counts["RelatedPerson"]), (2, 2), "{counts:?}");

    let other = app.register_clinic_as("Other Fhir Clinic", true).await;
    let (status, ..) = fetch(
        &app,
        &format!("/fhir/Patient/{meera}/$everything"),
        &other.access_token,
    )
    .await;
    assert_eq!(
        status,
        reqwest::StatusCode::NOT_FOUND,
        "another clinic's patient is not found"
    );
    let (status, ..) = fetch(&app, "/fhir/Patient/not-an-id/$everything", &clinic.access_token).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);

    let audited: Vec<(Option<Uuid>, serde_json::Value)> = sqlx::query_as(
        "SELECT entity_id, details FROM audit_events WHERE tenant_id = $1 AND action = 'export' ORDER BY recorded_at",
    )
    .bind(clinic.tenant_id)
    .fetch_all(&app.owner_pool)
    .await
    .expect("audit");
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!((audited[0].0, &audited[0].1["what"]), (None, &json!("fhir")));
}
