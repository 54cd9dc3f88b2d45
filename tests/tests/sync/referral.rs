//! A referral on the PCs: another clinic's export of a patient, taken in
//! from a desk, reaches that desk's chart as read-only history with its
//! source; and a PC whose older version skipped the new table's changes
//! takes one snapshot after the upgrade, keeping its unsent changes.

use std::time::Duration;

use base64::Engine;
use clinic_tests::TestApp;
use clinic_tests::pc::patient;
use clinic_tests::pcs::{desk_core, registration, settled, store_key};
use contract::app::PatientForm;
use contract::screens::import::ReferralFile;

const PASSWORD: &str = "Referral-Desk-2026";

#[tokio::test]
async fn a_referral_taken_in_at_a_desk_shows_on_its_chart_with_where_it_came_from() {
    let app = TestApp::spawn().await;
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let sender = desk_core(dir_a.path(), &app.base).with_downloads(dir_a.path());
    sender
        .register_clinic(registration(
            "Sending Clinic",
            "Dr Sender",
            "sender@example.org",
            PASSWORD,
            true,
        ))
        .await
        .expect("register");
    let meera = PatientForm {
        first_name: "Meera".into(),
        last_name: "Rao".into(),
        mobile_number: "+91 98450 00111".into(),
        gender: "female".into(),
        date_of_birth: "1990-04-01".into(),
        allergies: "Penicillin".into(),
        ..PatientForm::default()
    };
    let saved = sender.save_patient(None, meera).await.expect("patient");
    settled(&sender, Duration::from_secs(20)).await;
    let file = sender.export_fhir(Some(saved.id.clone())).await.expect("export");
    let bytes = std::fs::read(&file.path).expect("the export");

    let receiver = desk_core(dir_b.path(), &app.base);
    receiver
        .register_clinic(registration(
            "Receiving Clinic",
            "Dr Receiver",
            "receiver@example.org",
            PASSWORD,
            true,
        ))
        .await
        .expect("register");
    let done = receiver
        .import_referral(ReferralFile {
            name: "meera.fhir.json".into(),
            base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
        })
        .await
        .expect("the referral is taken in");
    assert_eq!(done.patient_name, "Meera Rao");
    assert_eq!(done.record_count(), 1, "{done:?}");
    assert_ne!(done.patient_id.to_string(), saved.id, "a new id in this clinic");

    let chart = receiver
        .patient_chart(&done.patient_id.to_string())
        .await
        .expect("the chart opens on this PC at once");
    assert_eq!(chart.patient.allergies, ["Penicillin"]);
    assert_eq!(chart.referral_history.len(), 1, "{:?}", chart.referral_history);
    let record = &chart.referral_history[0];
    assert_eq!(
        (record.kind.as_str(), record.title.as_str()),
        ("allergy", "Allergy: Penicillin")
    );
    assert!(record.source.starts_with("FHIR Bundle "), "{record:?}");

    let not_fhir = receiver
        .import_referral(ReferralFile {
            name: "notes.txt".into(),
            base64: base64::engine::general_purpose::STANDARD.encode(b"hello"),
        })
        .await
        .expect_err("not a FHIR file");
    assert!(not_fhir.message.contains("not a FHIR JSON file"), "{not_fhir:?}");
}

#[tokio::test]
async fn a_pc_upgraded_past_a_table_it_skipped_takes_one_snapshot_and_keeps_its_changes() {
    let app = TestApp::spawn().await;
    let export = app.referral_bundle("Ravi", "+919800000777", &["Sulfa"]).await;

    let clinic = app.register_clinic_as("Upgrade Receiver", true).await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    let reply = app
        .http
        .post(format!("{}/api/v1/fhir/referrals", app.base))
        .bearer_auth(&clinic.access_token)
        .body(export)
        .send()
        .await
        .expect("referral");
    assert_eq!(reply.status(), reqwest::StatusCode::CREATED);
    pc.sync().await;
    assert_eq!(pc.rows("referral_records").len(), 1);

    // The app as it was before it knew the table: it pulled past the
    // record and skipped it. One unsent change waits in its outbox.
    let unsent = pc.insert("patients", patient("Asha", "+919800000778"));
    let pc = app
        .restart_with(pc, &clinic, |path| {
            let conn = client::store::cipher::open(path, &store_key()).expect("open the file");
            // Everything migrations 6 to 12 added goes (12 noted batches
            // as ranges: the outbox is as version 11 had it).
            conn.execute_batch(
                "DROP TRIGGER patient_search_insert; DROP TRIGGER patient_search_update; \
                 DROP TRIGGER patient_search_delete; DROP TABLE patient_search; \
                 DROP TABLE referral_records; DROP TABLE deferred_indexes; \
                 ALTER TABLE doctors DROP COLUMN time_off; DROP TABLE invoices; DROP TABLE payments; \
                 DROP INDEX prescriptions_visit_idx; DROP TABLE report_days; \
                 DROP TABLE report_day_visits; DROP TABLE report_day_takings; DROP TABLE report_day_bills; \
                 DROP TABLE report_day_diagnoses; DROP TABLE report_day_medicines; \
                 DROP TABLE report_day_patients; DROP TABLE report_first_visits; \
                 DROP TRIGGER report_appointments_insert; DROP TRIGGER report_appointments_update; \
                 DROP TRIGGER report_appointments_delete; DROP TRIGGER report_prescriptions_insert; \
                 DROP TRIGGER report_prescriptions_update; DROP TRIGGER report_prescriptions_delete; \
                 DROP TRIGGER report_items_insert; DROP TRIGGER report_items_update; \
                 DROP TRIGGER report_items_delete; \
                 CREATE TABLE outbox_v11 (seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE, \
                   table_name TEXT NOT NULL, row_id TEXT NOT NULL, kind TEXT NOT NULL, fields TEXT NOT NULL, \
                   hlc TEXT NOT NULL, created_at TEXT NOT NULL, batch_seq INTEGER, \
                   attempts INTEGER NOT NULL DEFAULT 0, last_attempt_at TEXT) STRICT; \
                 INSERT INTO outbox_v11 (seq, op_id, table_name, row_id, kind, fields, hlc, created_at) \
                   SELECT seq, op_id, table_name, row_id, kind, fields, hlc, created_at FROM outbox; \
                 DROP TABLE outbox; ALTER TABLE outbox_v11 RENAME TO outbox; \
                 CREATE INDEX outbox_batch_idx ON outbox (batch_seq); CREATE INDEX outbox_row_idx ON outbox (row_id); \
                 DROP TABLE outbox_batches; \
                 PRAGMA user_version = 5;",
            )
            .expect("back to version 5");
        })
        .await;
    {
        let store = pc.engine.store().expect("store");
        assert!(store.schema_version().expect("version") >= 6, "upgraded on open");
        assert!(
            store.state("resync_needed").expect("state").is_some(),
            "the upgrade asks for a snapshot"
        );
    }
    assert!(
        pc.rows("referral_records").is_empty(),
        "the old version had skipped it"
    );
    let report = pc.sync().await;
    assert!(
        report.snapshot_rows > 0,
        "the upgraded PC took a snapshot: {report:?}"
    );
    assert_eq!(
        pc.rows("referral_records").len(),
        1,
        "what the old version skipped is here now"
    );
    assert_eq!(pc.pending(), 0);
    let on_server: i64 = sqlx::query_scalar("SELECT count(*) FROM patients WHERE id = $1")
        .bind(unsent)
        .fetch_one(&app.owner_pool)
        .await
        .expect("count");
    assert_eq!(on_server, 1, "the change waiting before the upgrade was sent");
    let again = pc.sync().await;
    assert_eq!(again.snapshot_rows, 0, "one snapshot, not one per sync");
}
