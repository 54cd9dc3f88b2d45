//! Who may write which clinical record, checked at the database for every
//! push: the author is the signed-in doctor, statuses start where the
//! machine starts, front-desk roles archive instead of deleting, medicines
//! of other clinics are invisible, and storage is counted on updates too.

use clinic_tests::pc::{Device, patient};
use clinic_tests::staff::Staff;
use clinic_tests::{Clinic, TestApp, uuid};
use domain::sync::OpKind;
use serde_json::{Value, json};
use uuid::Uuid;

fn prescription(number: &str, patient_id: Uuid, doctor: Uuid, status: &str) -> Value {
    json!({"prescription_number": number, "patient_id": patient_id, "doctor_id": doctor,
           "visit_date": "2030-01-01", "diagnosis": "Caries", "valid_until": "2030-01-31", "status": status})
}

/// A clinic whose owner is a doctor, a second doctor, and one patient.
async fn two_doctors(app: &TestApp) -> (Clinic, Device, Uuid, Staff, Uuid) {
    let clinic = app.register_clinic_as("Two Doctors Clinic", true).await;
    let owner_doctor = uuid(&clinic.body["user"]["doctor_id"]);
    let colleague = app.doctor(&clinic, "dr.colleague@example.org", "KA-77777").await;
    let mut owner = Device::new(clinic.device_id, &clinic.access_token);
    let patient_id = Uuid::now_v7();
    let op = owner.op(
        "patients",
        patient_id,
        OpKind::Insert,
        patient("Rani", "+919800000201"),
    );
    assert_eq!(owner.push(app, &[op]).await.op_results(), ["applied"]);
    (clinic, owner, owner_doctor, colleague, patient_id)
}

#[tokio::test]
async fn prescriptions_are_written_only_in_the_signed_in_doctors_name() {
    let app = TestApp::spawn().await;
    let (_clinic, mut owner, owner_doctor, colleague, patient_id) = two_doctors(&app).await;
    let mut other = colleague.device();

    let forged = other.op(
        "prescriptions",
        Uuid::now_v7(),
        OpKind::Insert,
        prescription("RX203001010001", patient_id, owner_doctor, "active"),
    );
    let reply = other.push(&app, &[forged]).await;
    assert_eq!(reply.op_results(), ["forbidden"], "{:?}", reply.body);

    let rx = Uuid::now_v7();
    let mine = owner.op(
        "prescriptions",
        rx,
        OpKind::Insert,
        prescription("RX203001010002", patient_id, owner_doctor, "active"),
    );
    assert_eq!(owner.push(&app, &[mine]).await.op_results(), ["applied"]);

    let cancel = other.op(
        "prescriptions",
        rx,
        OpKind::Update,
        json!({"status": "cancelled"}),
    );
    let take_over = other.op(
        "prescriptions",
        rx,
        OpKind::Update,
        json!({"doctor_id": colleague.doctor_id()}),
    );
    let delete = other.op("prescriptions", rx, OpKind::Delete, json!({}));
    let add_item = other.op(
        "prescription_items",
        Uuid::now_v7(),
        OpKind::Insert,
        json!({"prescription_id": rx, "medicine_name": "Ibuprofen", "dosage": "400 mg",
               "frequency": "1-0-1", "duration": "3 days", "quantity": 6}),
    );
    let mut amend = prescription("RX203001010003", patient_id, colleague.doctor_id(), "active");
    amend["amends_prescription_id"] = json!(rx);
    let amend = other.op("prescriptions", Uuid::now_v7(), OpKind::Insert, amend);
    let refused = other
        .push(&app, &[cancel, take_over, delete, add_item, amend])
        .await;
    assert_eq!(refused.op_results(), ["forbidden"; 5], "{:?}", refused.body);
    let message = refused.body["results"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("only the doctor who wrote"), "{message}");

    let status: String = sqlx::query_scalar("SELECT status FROM prescriptions WHERE id = $1")
        .bind(rx)
        .fetch_one(&app.owner_pool)
        .await
        .expect("row");
    assert_eq!(status, "active", "nothing of the colleague's changes landed");

    let own = other.op(
        "prescriptions",
        Uuid::now_v7(),
        OpKind::Insert,
        prescription("RX203001010004", patient_id, colleague.doctor_id(), "draft"),
    );
    assert_eq!(other.push(&app, &[own]).await.op_results(), ["applied"]);
}

#[tokio::test]
async fn an_admin_who_is_not_a_doctor_writes_no_clinical_record() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Admin Only Clinic").await;
    let colleague = app.doctor(&clinic, "dr.only@example.org", "KA-88888").await;
    let mut admin = Device::new(clinic.device_id, &clinic.access_token);
    let patient_id = Uuid::now_v7();
    let ops = [
        admin.op(
            "patients",
            patient_id,
            OpKind::Insert,
            patient("Mohan", "+919800000202"),
        ),
        admin.op(
            "prescriptions",
            Uuid::now_v7(),
            OpKind::Insert,
            prescription("RX203001010005", patient_id, colleague.doctor_id(), "active"),
        ),
        admin.op(
            "dental_observations",
            Uuid::now_v7(),
            OpKind::Insert,
            json!({"patient_id": patient_id, "doctor_id": colleague.doctor_id(), "tooth_number": 36,
                   "condition_type": "caries"}),
        ),
    ];
    let reply = admin.push(&app, &ops).await;
    assert_eq!(
        reply.op_results(),
        ["applied", "forbidden", "forbidden"],
        "{:?}",
        reply.body
    );
    assert!(
        reply.body["results"][1]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("only an active doctor")
    );
}

#[tokio::test]
async fn dental_records_belong_to_their_doctor() {
    let app = TestApp::spawn().await;
    let (_clinic, mut owner, owner_doctor, colleague, patient_id) = two_doctors(&app).await;
    let mut other = colleague.device();
    let observation = Uuid::now_v7();
    let op = owner.op("dental_observations", observation, OpKind::Insert,
        json!({"patient_id": patient_id, "doctor_id": owner_doctor, "tooth_number": 36, "condition_type": "caries"}));
    assert_eq!(owner.push(&app, &[op]).await.op_results(), ["applied"]);
    let edit = other.op(
        "dental_observations",
        observation,
        OpKind::Update,
        json!({"severity": "severe"}),
    );
    let attach = other.op(
        "dental_attachments",
        Uuid::now_v7(),
        OpKind::Insert,
        json!({"patient_id": patient_id, "observation_id": observation, "kind": "xray", "file_name": "36.png",
               "mime_type": "image/png", "size_bytes": 1000, "sha256": "a".repeat(64)}),
    );
    assert_eq!(
        other.push(&app, &[edit, attach]).await.op_results(),
        ["forbidden", "forbidden"]
    );
}

#[tokio::test]
async fn a_prescription_starts_as_a_draft_or_active() {
    let app = TestApp::spawn().await;
    let (_clinic, mut owner, owner_doctor, _colleague, patient_id) = two_doctors(&app).await;
    let ops: Vec<_> = [
        "dispensed",
        "completed",
        "cancelled",
        "expired",
        "draft",
        "active",
    ]
    .iter()
    .enumerate()
    .map(|(i, status)| {
        owner.op(
            "prescriptions",
            Uuid::now_v7(),
            OpKind::Insert,
            prescription(
                &format!("RX20300101{:04}", 10 + i),
                patient_id,
                owner_doctor,
                status,
            ),
        )
    })
    .collect();
    let reply = owner.push(&app, &ops).await;
    assert_eq!(
        reply.op_results(),
        [
            "validation_failed",
            "validation_failed",
            "validation_failed",
            "validation_failed",
            "applied",
            "applied"
        ],
        "{:?}",
        reply.body
    );
}

#[tokio::test]
async fn front_desk_roles_archive_patients_and_appointments_and_only_an_admin_deletes() {
    let app = TestApp::spawn().await;
    let (clinic, mut owner, _owner_doctor, _colleague, patient_id) = two_doctors(&app).await;
    let mut desk = app
        .staff_member(&clinic, "receptionist", "desk@example.org")
        .await
        .device();

    let delete = desk.op("patients", patient_id, OpKind::Delete, json!({}));
    let refused = desk.push(&app, &[delete]).await;
    assert_eq!(refused.op_results(), ["forbidden"], "{:?}", refused.body);
    assert!(
        refused.body["results"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("archive")
    );

    let archive = desk.op(
        "patients",
        patient_id,
        OpKind::Update,
        json!({"archived_at": "2030-01-02T10:00:00Z"}),
    );
    let restore = desk.op(
        "patients",
        patient_id,
        OpKind::Update,
        json!({"archived_at": null}),
    );
    assert_eq!(desk.push(&app, &[archive]).await.op_results(), ["applied"]);
    assert_eq!(
        desk.push(&app, &[restore]).await.op_results(),
        ["applied"],
        "archiving is reversible"
    );

    let by_admin = owner.op("patients", patient_id, OpKind::Delete, json!({}));
    assert_eq!(owner.push(&app, &[by_admin]).await.op_results(), ["applied"]);
}

#[tokio::test]
async fn another_clinics_private_medicine_is_refused_like_one_that_does_not_exist() {
    let app = TestApp::spawn().await;
    let other_clinic = app.register_clinic_as("Medicine Owner Clinic", true).await;
    let mut other = Device::new(other_clinic.device_id, &other_clinic.access_token);
    let private = Uuid::now_v7();
    let op = other.op(
        "medicines",
        private,
        OpKind::Insert,
        json!({"name": "House Mix", "composition": "Secret", "category": "analgesic"}),
    );
    assert_eq!(other.push(&app, &[op]).await.op_results(), ["applied"]);

    let (_clinic, mut owner, owner_doctor, _colleague, patient_id) = two_doctors(&app).await;
    let rx = Uuid::now_v7();
    let key = Uuid::now_v7();
    let mut ops = vec![
        owner.op(
            "prescriptions",
            rx,
            OpKind::Insert,
            prescription("RX203001010020", patient_id, owner_doctor, "draft"),
        ),
        owner.op(
            "short_keys",
            key,
            OpKind::Insert,
            json!({"code": "MIX", "name": "Mix"}),
        ),
    ];
    for medicine in [private, Uuid::now_v7()] {
        ops.push(owner.op(
            "prescription_items",
            Uuid::now_v7(),
            OpKind::Insert,
            json!({"prescription_id": rx, "medicine_id": medicine, "medicine_name": "Mix", "dosage": "1",
                   "frequency": "1-0-1", "duration": "3 days", "quantity": 6}),
        ));
        ops.push(owner.op(
            "short_key_medicines",
            Uuid::now_v7(),
            OpKind::Insert,
            json!({"short_key_id": key, "medicine_id": medicine, "default_dosage": "1",
                   "default_frequency": "1-0-1", "default_duration": "3 days"}),
        ));
    }
    let reply = owner.push(&app, &ops).await;
    let results = reply.body["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        reply.op_results()[2..],
        ["missing_reference"; 4],
        "{:?}",
        reply.body
    );
    // Exists elsewhere or nowhere: the same words.
    assert_eq!(results[2]["message"], results[4]["message"]);
    assert_eq!(results[3]["message"], results[5]["message"]);
}

#[tokio::test]
async fn a_file_grown_by_an_update_counts_against_the_plans_storage() {
    let app = TestApp::spawn().await;
    let (clinic, mut owner, owner_doctor, _colleague, patient_id) = two_doctors(&app).await;
    let observation = Uuid::now_v7();
    let op = owner.op("dental_observations", observation, OpKind::Insert,
        json!({"patient_id": patient_id, "doctor_id": owner_doctor, "tooth_number": 11, "condition_type": "fracture"}));
    assert_eq!(owner.push(&app, &[op]).await.op_results(), ["applied"]);
    // 102 files of 10 MiB already: 1,069,547,520 of the trial's 1 GiB.
    sqlx::query(
        "INSERT INTO dental_attachments (tenant_id, id, patient_id, observation_id, kind, file_name, mime_type, \
             size_bytes, sha256, created_by, updated_by) \
         SELECT $1, gen_random_uuid(), $2, $3, 'xray', 'old.png', 'image/png', 10485760, repeat('a', 64), $4, $4 \
           FROM generate_series(1, 102)",
    )
    .bind(clinic.tenant_id)
    .bind(patient_id)
    .bind(observation)
    .bind(clinic.owner_id)
    .execute(&app.owner_pool)
    .await
    .expect("fill the storage");
    let file = Uuid::now_v7();
    let small = owner.op("dental_attachments", file, OpKind::Insert,
        json!({"patient_id": patient_id, "observation_id": observation, "kind": "xray", "file_name": "new.png",
               "mime_type": "image/png", "size_bytes": 1_048_576, "sha256": "b".repeat(64)}));
    assert_eq!(
        owner.push(&app, &[small]).await.op_results(),
        ["applied"],
        "1 MiB still fits"
    );
    let grow = owner.op(
        "dental_attachments",
        file,
        OpKind::Update,
        json!({"size_bytes": 10_485_760}),
    );
    let reply = owner.push(&app, &[grow]).await;
    assert_eq!(reply.op_results(), ["plan_limit_reached"], "{:?}", reply.body);
    let size: i64 = sqlx::query_scalar("SELECT size_bytes FROM dental_attachments WHERE id = $1")
        .bind(file)
        .fetch_one(&app.owner_pool)
        .await
        .expect("row");
    assert_eq!(size, 1_048_576);
}
