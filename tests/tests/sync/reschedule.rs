//! Moving an appointment: the PC clash-checks the new slot (the old one's
//! own time is free to reuse), keeps the old appointment in the patient's
//! history as rescheduled beside the new one, and the server takes both.
//! Two PCs moving and booking into the same slot offline: the server
//! refuses the later one and the PC shows it. Needs a secret service.

use clinic_tests::pcs::patient_form;
use clinic_tests::two_pcs::{settle, two_pcs};
use contract::app::CommandCode;
use contract::screens::appointments::{AppointmentForm, RescheduleForm, StatusChange};
use domain::clinical::appointment::AppointmentStatus;
use domain::sync::Refusal;

#[tokio::test]
async fn a_moved_appointment_keeps_its_history_and_a_clash_is_refused_on_the_pc_and_the_server() {
    let pcs = two_pcs("Moving Dental", "moving@example.org").await;
    let patient = pcs
        .a
        .save_patient(None, patient_form("Anita", "Rao", "+919845012345"))
        .await
        .expect("patient");
    let doctor = pcs.a.clinic_doctors().await.expect("doctors").remove(0);
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let book = |time: &str| AppointmentForm {
        patient_id: patient.id.clone(),
        doctor_id: doctor.id.clone(),
        office_id: "main".into(),
        date: tomorrow.clone(),
        time: time.into(),
        duration_minutes: "30".into(),
        reason: "Filling".into(),
        notes: String::new(),
    };
    let first = pcs.a.book_appointment(book("10:00")).await.expect("10:00");
    pcs.a.book_appointment(book("11:00")).await.expect("11:00");
    assert!(first.next.contains(&AppointmentStatus::Rescheduled));
    let to = |id: &str, time: &str| RescheduleForm {
        id: id.to_owned(),
        date: tomorrow.clone(),
        time: time.into(),
    };

    // Into another booking: refused on the PC, nothing written.
    let clash = pcs
        .a
        .reschedule_appointment(to(&first.id, "11:15"))
        .await
        .expect_err("clash");
    assert_eq!(clash.code, CommandCode::ValidationFailed);
    assert!(
        clash.field("time").is_some_and(|m| m.contains("already")),
        "{clash:?}"
    );
    // A bare status change cannot strand an appointment without a new slot.
    let bare = StatusChange {
        id: first.id.clone(),
        to: AppointmentStatus::Rescheduled,
        reason: None,
    };
    assert_eq!(
        pcs.a.set_appointment_status(bare).await.expect_err("bare").code,
        CommandCode::ValidationFailed
    );

    // Into part of its own old slot: allowed.
    let moved = pcs
        .a
        .reschedule_appointment(to(&first.id, "10:15"))
        .await
        .expect("moved");
    assert_eq!(moved.status, AppointmentStatus::Scheduled);
    assert_eq!(moved.time, "10:15");
    assert_eq!(
        moved.rescheduled_from.as_deref(),
        Some(format!("{tomorrow} 10:00").as_str())
    );
    assert_ne!(moved.number, first.number);
    let chart = pcs.a.patient_chart(&patient.id).await.expect("chart");
    let mut history: Vec<(String, AppointmentStatus)> = chart
        .appointments
        .iter()
        .map(|a| (a.time.clone(), a.status))
        .collect();
    history.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        history,
        [
            ("10:00".to_owned(), AppointmentStatus::Rescheduled),
            ("10:15".to_owned(), AppointmentStatus::Scheduled),
            ("11:00".to_owned(), AppointmentStatus::Scheduled),
        ]
    );
    let old = chart
        .appointments
        .iter()
        .find(|a| a.id == first.id)
        .expect("the old one");
    assert!(old.next.is_empty(), "history only: {:?}", old.next);
    settle(&pcs.a).await;
    assert!(
        pcs.a.refused().await.expect("refused").is_empty(),
        "the server took the move"
    );
    assert_eq!(
        pcs.app
            .owner_count("SELECT count(*) FROM appointments WHERE status = 'rescheduled'")
            .await,
        1
    );
    assert_eq!(
        pcs.app
            .owner_count(
                "SELECT count(*) FROM appointments n JOIN appointments o ON o.id = n.rescheduled_from_id \
                  WHERE n.appointment_time = '10:15' AND o.appointment_time = '10:00'"
            )
            .await,
        1
    );

    // Offline on both PCs: A moves into 12:00, B books 12:00. A syncs first.
    settle(&pcs.b).await;
    pcs.net_a.down().await;
    pcs.net_b.down().await;
    pcs.a
        .reschedule_appointment(to(&moved.id, "12:00"))
        .await
        .expect("A moves offline");
    pcs.b
        .book_appointment(book("12:00"))
        .await
        .expect("B books offline");
    let refused = pcs.a_then_b_online().await;
    assert_eq!(refused.len(), 1, "B's booking comes back refused");
    assert_eq!(refused[0].refusal, Refusal::AppointmentClash);
}
