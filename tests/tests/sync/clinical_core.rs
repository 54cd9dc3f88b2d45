//! Clinical work on two PCs through the desktop core (no window): booking
//! offline with clashes found at sync, numbers that never collide, and a
//! prescription written with a short key, checked for allergies, issued
//! and exported to a PDF whose text is read back. Needs a secret service
//! (the test script runs everything in a keychain session).

use std::time::Duration;

use clinic_tests::two_pcs::{settle, two_pcs};
use contract::app::{CommandCode, PatientForm};
use contract::screens::appointments::AppointmentForm;
use contract::screens::catalog::{ShortKeyForm, ShortKeyLine};
use contract::screens::prescriptions::{AlertKind, PrescriptionForm};
use domain::clinical::prescription::PrescriptionStatus;
use domain::sync::Refusal;

fn patient(first: &str, mobile: &str, allergies: &str) -> PatientForm {
    PatientForm {
        first_name: first.into(),
        last_name: "Sharma".into(),
        mobile_number: mobile.into(),
        date_of_birth: "1988-06-15".into(),
        gender: "female".into(),
        allergies: allergies.into(),
        ..Default::default()
    }
}

/// A 1×1 PNG, as the clinic settings keep a logo.
const LOGO: &str = "data:image/png;base64,\
    iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

#[tokio::test]
async fn two_pcs_booking_the_same_slot_offline_one_is_refused_at_sync_and_shown() {
    let pcs = two_pcs("Twin Desk Dental", "twin@example.org").await;
    let patient = pcs
        .a
        .save_patient(None, patient("Anita", "+919845012345", ""))
        .await
        .expect("patient");
    settle(&pcs.a).await;
    settle(&pcs.b).await;
    let doctor = pcs.b.clinic_doctors().await.expect("doctors").remove(0);
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let form = AppointmentForm {
        patient_id: patient.id.clone(),
        doctor_id: doctor.id.clone(),
        office_id: "main".into(),
        date: tomorrow.clone(),
        time: "11:00".into(),
        duration_minutes: "30".into(),
        reason: "Root canal review".into(),
        notes: String::new(),
    };

    pcs.net_a.down().await;
    pcs.net_b.down().await;
    let on_a = pcs
        .a
        .book_appointment(form.clone())
        .await
        .expect("A books offline");
    let on_b = pcs
        .b
        .book_appointment(AppointmentForm {
            time: "11:15".into(),
            ..form.clone()
        })
        .await
        .expect("B books offline");
    assert!(on_a.pending && on_b.pending, "both wait on their PC");
    assert_ne!(on_a.number, on_b.number, "each PC numbers from its own slot");
    // The PC refuses a clash it can see itself, before anything is written.
    let local = pcs
        .a
        .book_appointment(AppointmentForm {
            time: "11:20".into(),
            ..form.clone()
        })
        .await;
    let err = local.expect_err("clash on the same PC");
    assert_eq!(err.code, CommandCode::ValidationFailed);
    assert!(
        err.field("time").is_some_and(|m| m.contains("already")),
        "{err:?}"
    );

    let refused = pcs.a_then_b_online().await;
    assert_eq!(refused.len(), 1, "B's booking comes back refused");
    assert_eq!(refused[0].refusal, Refusal::AppointmentClash);
    assert!(
        refused[0].message.contains("already has an appointment"),
        "{}",
        refused[0].message
    );
    assert_eq!(pcs.app.owner_count("SELECT count(*) FROM appointments").await, 1);

    // Both PCs end up showing A's booking for that day.
    settle(&pcs.b).await;
    let day = pcs
        .b
        .day_view(contract::screens::appointments::DayQuery {
            date: tomorrow,
            ..Default::default()
        })
        .await
        .expect("day");
    assert!(
        day.appointments
            .iter()
            .any(|r| r.number == on_a.number && !r.pending)
    );
}

#[tokio::test]
async fn a_prescription_with_a_short_key_and_an_allergy_alert_is_issued_and_exported_to_pdf() {
    let pcs = two_pcs("Short Key Dental", "keys@example.org").await;
    let core = &pcs.a;
    let patient = core
        .save_patient(None, patient("अनिता", "+919845099999", "Penicillin"))
        .await
        .expect("patient");
    let ibuprofen = core
        .search_medicines("ibuprofen")
        .await
        .expect("search")
        .remove(0);
    let amoxicillin = core
        .search_medicines("Amoxicillin 500")
        .await
        .expect("search")
        .remove(0);
    assert!(ibuprofen.global && amoxicillin.global, "from the global catalog");
    // The admin's logo, kept on this PC for printing offline.
    core.save_clinic_settings(domain::tenant::TenantSettings {
        logo: Some(LOGO.into()),
        ..Default::default()
    })
    .await
    .expect("the logo is saved");

    pcs.net_a.down().await;
    let key = core
        .save_short_key(ShortKeyForm {
            id: None,
            code: "rcp".into(),
            name: "Root canal pain".into(),
            description: String::new(),
            private: false,
            lines: vec![
                ShortKeyLine {
                    medicine_id: ibuprofen.id.clone(),
                    dosage: "400 mg".into(),
                    frequency: "1-0-1".into(),
                    duration: "3 days".into(),
                    instructions: "After food".into(),
                    ..Default::default()
                },
                ShortKeyLine {
                    medicine_id: amoxicillin.id.clone(),
                    dosage: "500 mg".into(),
                    frequency: "1-1-1".into(),
                    duration: "5 days".into(),
                    ..Default::default()
                },
            ],
        })
        .await
        .expect("short key");
    assert_eq!((key.code.as_str(), key.lines.len()), ("RCP", 2));
    let items = core.expand_short_key("/rcp").await.expect("expand");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].medicine_name, ibuprofen.name);
    let form = PrescriptionForm {
        patient_id: patient.id.clone(),
        office_id: "main".into(),
        visit_date: chrono::Local::now().date_naive().to_string(),
        diagnosis: "Irreversible pulpitis 36".into(),
        items,
        ..Default::default()
    };
    let alerts = core.prescription_alerts(form.clone()).await.expect("alerts");
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!((alerts[0].item_index, alerts[0].kind), (1, AlertKind::Allergy));

    let draft = core.save_prescription(form).await.expect("draft");
    assert_eq!(draft.status, PrescriptionStatus::Draft);
    assert!(draft.number.starts_with("RX"), "{}", draft.number);
    let issued = core
        .set_prescription_status(&draft.id, PrescriptionStatus::Active)
        .await
        .expect("issue");
    assert_eq!(issued.status, PrescriptionStatus::Active);
    let dispensed = core
        .set_prescription_status(&draft.id, PrescriptionStatus::Dispensed)
        .await
        .expect("dispense");
    let again = core
        .save_prescription(PrescriptionForm {
            id: Some(draft.id.clone()),
            ..dispensed.form.clone()
        })
        .await;
    assert_eq!(again.expect_err("dispensed is final").code, CommandCode::Conflict);
    let illegal = core
        .set_prescription_status(&draft.id, PrescriptionStatus::Draft)
        .await;
    assert_eq!(
        illegal.expect_err("no way back").code,
        CommandCode::ValidationFailed
    );

    let exported = core
        .export_prescription_pdf(&draft.id)
        .await
        .expect("pdf offline");
    let text = clinic_tests::pdf_text(&exported.path);
    for expected in [
        "अनिता",
        &ibuprofen.name,
        &amoxicillin.name,
        "KDC-4471",
        &draft.number,
        "Penicillin",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF text:\n{text}"
        );
    }
    assert_eq!(
        clinic_tests::printed_images(&exported.path),
        1,
        "the logo is printed"
    );
    let printed = core.prescription(&draft.id).await.expect("view");
    assert!(printed.printed_at.is_some(), "printed-at recorded");

    pcs.net_a.up().await;
    settle(core).await;
    assert_eq!(
        pcs.app
            .owner_count("SELECT count(*) FROM prescription_items")
            .await,
        2
    );
    assert_eq!(
        pcs.app
            .owner_count("SELECT count(*) FROM short_key_medicines l JOIN short_keys k ON k.id = l.short_key_id WHERE k.code = 'RCP'")
            .await,
        2
    );
    assert_eq!(
        pcs.app
            .owner_count(
                "SELECT count(*) FROM prescriptions WHERE status = 'dispensed' AND printed_at IS NOT NULL"
            )
            .await,
        1
    );
    for _ in 0..50 {
        if pcs
            .app
            .owner_count("SELECT count(*) FROM audit_events WHERE action = 'export'")
            .await
            == 1
        {
            break;
        }
        core.sync_now().await.expect("sync");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        pcs.app
            .owner_count("SELECT count(*) FROM audit_events WHERE action = 'export'")
            .await,
        1
    );

    // The other PC sees the key and the prescription after its sync.
    settle(&pcs.b).await;
    assert!(
        pcs.b
            .short_keys()
            .await
            .expect("keys")
            .iter()
            .any(|k| k.code == "RCP")
    );
    let on_b = pcs.b.prescriptions("").await.expect("list");
    assert_eq!(on_b.len(), 1);
    assert_eq!(on_b[0].status, PrescriptionStatus::Dispensed);
}

/// A doctor's profile changed through the API (hours, offices, active flag)
/// reaches every PC by pull, like any change.
#[tokio::test]
async fn a_doctor_changed_through_the_api_is_seen_by_every_pc() {
    let app = clinic_tests::TestApp::spawn().await;
    let clinic = app.register_clinic("Profile Clinic").await;
    let added = app.add_doctor(&clinic, "dr.hours@example.org", "KA-12121").await;
    let doctor = clinic_tests::uuid(&added.body["doctor"]["id"]);
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    let changed = app
        .patch(
            &format!("/doctors/{doctor}"),
            &serde_json::json!({"availability": {"monday": [{"start": "09:00:00", "end": "13:00:00"}]},
                                "consultation_minutes": 20}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(changed.status, reqwest::StatusCode::OK, "{:?}", changed.body);
    pc.sync().await;
    let row = pc
        .rows("doctors")
        .into_iter()
        .find(|r| r["id"] == doctor.to_string())
        .expect("the doctor is on the PC");
    assert_eq!(row["consultation_minutes"], 20);
    assert_eq!(row["availability"]["monday"][0]["start"], "09:00:00");
}
