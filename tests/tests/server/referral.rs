//! Referral import: one clinic's FHIR `$everything` of a patient, taken in
//! by another clinic, becomes a new patient there with read-only history:
//! every record counted, new ids, provenance on each, synced to its PCs
//! and exported again; refusals leave nothing behind.

use std::collections::BTreeMap;

use clinic_tests::pc::Device;
use clinic_tests::{Clinic, Reply, TestApp, uuid};
use domain::sync::OpKind;
use serde_json::{Value, json};
use uuid::Uuid;

use super::fhir::{chart, fetch};

/// One patient's export from a clinic with a little of everything.
async fn exported(app: &TestApp) -> (Clinic, Uuid, Vec<u8>, BTreeMap<String, usize>) {
    let (clinic, meera) = chart(app).await;
    let (_, counts, bundle) = fetch(
        app,
        &format!("/fhir/Patient/{meera}/$everything"),
        &clinic.access_token,
    )
    .await;
    let bytes = serde_json::to_vec(&bundle.expect("a bundle")).expect("json");
    (clinic, meera, bytes, counts.expect("counts"))
}

async fn send(app: &TestApp, token: &str, body: Vec<u8>) -> Reply {
    let reply = app
        .http
        .post(format!("{}/api/v1/fhir/referrals", app.base))
        .bearer_auth(token)
        .header("content-type", "application/fhir+json")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = reply.status();
    let body = reply.json::<Value>().await.unwrap_or(Value::Null);
    Reply { status, body }
}

#[tokio::test]
async fn a_referral_becomes_a_new_patient_with_read_only_history_and_exports_again() {
    let app = TestApp::spawn().await;
    let (sender, meera, bundle, sent) = exported(&app).await;
    let sender_patients = app
        .owner_count_in(
            "SELECT count(*) FROM patients WHERE tenant_id = $1",
            sender.tenant_id,
        )
        .await;
    let receiver = app.register_clinic_as("Referral Clinic", true).await;

    let reply = send(&app, &receiver.access_token, bundle.clone()).await;
    assert_eq!(reply.status, reqwest::StatusCode::CREATED, "{:?}", reply.body);
    let new_id = uuid(&reply.body["patient_id"]);
    assert_ne!(new_id, meera, "the patient gets a new id");
    assert_eq!(reply.body["patient_name"], "Meera");
    // One record per clinical resource sent; the blood group observation
    // fills the patient's own field instead.
    let expected = json!({
        "allergy": sent["AllergyIntolerance"], "appointment": sent["Appointment"],
        "document": sent["DocumentReference"], "family": sent["RelatedPerson"],
        "medication": sent["MedicationRequest"], "observation": sent["Observation"] - 1,
        "procedure": sent["Procedure"],
    });
    assert_eq!(reply.body["records"], expected);
    assert_eq!(reply.body["skipped"], json!({}));

    // The receiving clinic's PC pulls the patient and the history.
    let pc = Device::new(receiver.device_id, &receiver.access_token);
    let pulled = pc.pull(&app, 0).await;
    let changes = pulled.body["changes"].as_array().expect("changes").clone();
    let person = changes
        .iter()
        .find(|c| c["table"] == "patients" && uuid(&c["row_id"]) == new_id)
        .expect("the new patient is pulled");
    assert_eq!(person["fields"]["allergies"], json!(["Penicillin", "Latex"]));
    assert_eq!(person["fields"]["blood_group"], "B+");
    assert_eq!(person["fields"]["mobile_number"], "+919800000501");
    let records: Vec<&Value> = changes
        .iter()
        .filter(|c| c["table"] == "referral_records")
        .collect();
    assert_eq!(records.len(), 8, "{records:?}");
    let bundle_text = String::from_utf8(bundle).expect("utf8");
    for r in &records {
        let id = r["row_id"].as_str().expect("id");
        assert!(
            !bundle_text.contains(id),
            "record {id} has a new id, not the sender's"
        );
        assert_eq!(r["fields"]["patient_id"], json!(new_id));
        assert!(
            r["fields"]["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("FHIR Bundle "))
        );
        let source_ref = r["fields"]["source_ref"].as_str().expect("provenance");
        let sender_id = source_ref.split('/').nth(1).expect("Type/id");
        assert!(
            bundle_text.contains(sender_id),
            "{source_ref} names the sender's resource"
        );
    }
    let medicine = records
        .iter()
        .find(|r| r["fields"]["kind"] == "medication")
        .expect("a medication");
    assert_eq!(medicine["fields"]["title"], "Ibuprofen 400 mg");
    assert!(
        medicine["fields"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("1-0-1") && d.contains("Pulpitis")),
        "{medicine:?}"
    );
    let procedure = records
        .iter()
        .find(|r| r["fields"]["kind"] == "procedure")
        .expect("a procedure");
    assert!(
        procedure["fields"]["title"]
            .as_str()
            .is_some_and(|t| t.contains("D3330") && t.contains("36")),
        "{procedure:?}"
    );

    // The history is read-only: a PC cannot write it.
    let mut writer = Device::new(receiver.device_id, &receiver.access_token);
    let record_id = uuid(&records[0]["row_id"]);
    let edit = writer.op(
        "referral_records",
        record_id,
        OpKind::Update,
        json!({"title": "changed"}),
    );
    let refused = writer.push(&app, &[edit]).await;
    assert_eq!(refused.op_results(), ["forbidden"], "{:?}", refused.body);

    // Exported again from the receiving clinic, the record keeps what
    // the patient's own fields hold.
    let (status, again, _) = fetch(
        &app,
        &format!("/fhir/Patient/{new_id}/$everything"),
        &receiver.access_token,
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let again = again.expect("counts");
    assert_eq!(
        (again["Patient"], again["AllergyIntolerance"]),
        (1, 2),
        "{again:?}"
    );

    let audited: Vec<(String, Option<Uuid>)> = sqlx::query_as(
        "SELECT action, entity_id FROM audit_events WHERE tenant_id = $1 AND action = 'import'",
    )
    .bind(receiver.tenant_id)
    .fetch_all(&app.owner_pool)
    .await
    .expect("audit");
    assert_eq!(audited, [("import".to_owned(), Some(new_id))]);
    assert_eq!(
        app.owner_count_in(
            "SELECT count(*) FROM patients WHERE tenant_id = $1",
            sender.tenant_id
        )
        .await,
        sender_patients,
        "the sending clinic is untouched"
    );
}

#[tokio::test]
async fn refused_referrals_leave_nothing_behind() {
    let app = TestApp::spawn().await;
    let (sender, _, bundle, _) = exported(&app).await;
    let receiver = app.register_clinic_as("Careful Clinic", true).await;
    let written = |app: &TestApp| {
        let tenant = receiver.tenant_id;
        let pool = app.owner_pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT (SELECT count(*) FROM patients WHERE tenant_id = $1) \
                      + (SELECT count(*) FROM referral_records WHERE tenant_id = $1)",
            )
            .bind(tenant)
            .fetch_one(&pool)
            .await
            .expect("count")
        }
    };

    let not_json = send(&app, &receiver.access_token, b"not json".to_vec()).await;
    assert_eq!(
        (not_json.status.as_u16(), not_json.code()),
        (400, "malformed_json")
    );

    let (_, _, whole) = fetch(&app, "/fhir/Patient/$everything", &sender.access_token).await;
    let whole = serde_json::to_vec(&whole.expect("bundle")).expect("json");
    let two = send(&app, &receiver.access_token, whole).await;
    assert_eq!(
        (two.status.as_u16(), two.code()),
        (422, "validation_failed"),
        "{:?}",
        two.body
    );
    assert!(two.body.to_string().contains("2 patients"), "{:?}", two.body);

    let mut no_phone: Value = serde_json::from_slice(&bundle).expect("json");
    for entry in no_phone["entry"].as_array_mut().expect("entries") {
        if entry["resource"]["resourceType"] == "Patient" {
            entry["resource"]["telecom"] = json!([]);
        }
    }
    let refused = send(
        &app,
        &receiver.access_token,
        serde_json::to_vec(&no_phone).expect("json"),
    )
    .await;
    assert_eq!(refused.status.as_u16(), 422, "{:?}", refused.body);
    assert!(
        refused.body.to_string().contains("no phone number"),
        "{:?}",
        refused.body
    );
    assert_eq!(written(&app).await, 0, "nothing is written by a refused referral");

    let first = send(&app, &receiver.access_token, bundle.clone()).await;
    assert_eq!(first.status, reqwest::StatusCode::CREATED, "{:?}", first.body);
    let after_first = written(&app).await;
    let again = send(&app, &receiver.access_token, bundle.clone()).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, "conflict"),
        "{:?}",
        again.body
    );
    assert_eq!(
        written(&app).await,
        after_first,
        "the same patient is not taken in twice"
    );

    // Only doctors and admins take in records.
    let desk = app
        .staff_member(&receiver, "receptionist", "desk@example.org")
        .await;
    let forbidden = send(&app, &desk.access_token, bundle).await;
    assert_eq!((forbidden.status.as_u16(), forbidden.code()), (403, "forbidden"));

    // A PC cannot forge an import in the audit trail either.
    let forged = app
        .post(
            "/sync/audit",
            &json!({"events": [{"id": Uuid::now_v7(), "action": "import", "entity_table": "patients",
                                "entity_id": null, "details": {}, "occurred_at": chrono::Utc::now()}]}),
            Some(&receiver.access_token),
        )
        .await;
    assert_eq!(forged.status.as_u16(), 422, "{:?}", forged.body);
}
