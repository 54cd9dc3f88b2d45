//! A doctor's hours per office and days off, set from PC A, reach PC B by
//! the log; B's booking then offers only that office's hours, says the
//! doctor is off on their leave, and books nothing then, offline too.
//! Needs a secret service.

use clinic_tests::pcs::patient_form;
use clinic_tests::two_pcs::{settle, two_pcs};
use contract::app::CommandCode;
use contract::args::DoctorChangeArgs;
use contract::screens::appointments::{AppointmentForm, SlotQuery};
use domain::api::UpdateDoctorRequest;
use domain::doctor::{Office, TimeSlot, WeeklyAvailability};
use domain::time_off::TimeOff;

fn office(id: &str, name: &str, primary: bool) -> Office {
    Office {
        id: id.into(),
        name: name.into(),
        address: None,
        is_primary: primary,
    }
}

fn period(start: u32, end: u32, office: Option<&str>) -> TimeSlot {
    TimeSlot {
        start: chrono::NaiveTime::from_hms_opt(start, 0, 0).expect("time"),
        end: chrono::NaiveTime::from_hms_opt(end, 0, 0).expect("time"),
        office_id: office.map(str::to_owned),
    }
}

#[tokio::test]
async fn hours_per_office_and_leave_set_on_one_pc_shape_booking_on_another() {
    let pcs = two_pcs("Two Branch Dental", "branches@example.org").await;
    pcs.app.set_plan(&pcs.clinic_code, "basic").await;
    let doctor = pcs.a.clinic_doctors().await.expect("doctors").remove(0);
    let today = chrono::Local::now().date_naive();
    let (leave_day, working_day) = (today + chrono::Days::new(7), today + chrono::Days::new(8));
    // Every day: mornings at the main clinic, afternoons at the annex.
    let week: WeeklyAvailability = domain::doctor::WEEKDAYS
        .iter()
        .map(|day| {
            (
                (*day).to_owned(),
                vec![period(9, 11, None), period(14, 16, Some("annex"))],
            )
        })
        .collect();
    let change = UpdateDoctorRequest {
        offices: Some(vec![
            office("main", "Main clinic", true),
            office("annex", "Annex", false),
        ]),
        availability: Some(week),
        time_off: Some(vec![TimeOff {
            from: leave_day,
            to: leave_day,
            reason: Some("Conference".into()),
        }]),
        ..UpdateDoctorRequest::default()
    };
    let saved = pcs
        .a
        .update_doctor(DoctorChangeArgs {
            doctor_id: doctor.id.clone(),
            change,
        })
        .await
        .expect("the profile is saved");
    assert_eq!(saved.time_off.len(), 1);
    settle(&pcs.b).await;
    let mut seen = None;
    for _ in 0..100 {
        let doctors = pcs.b.clinic_doctors().await.expect("B's doctors");
        seen = doctors.into_iter().find(|d| d.id == doctor.id);
        if seen.as_ref().is_some_and(|d| d.time_off.len() == 1) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let seen = seen.expect("B knows the doctor");
    assert_eq!(seen.time_off, saved.time_off, "B learned the leave");
    assert_eq!(seen.offices.len(), 2, "and the offices");

    // B learned it through the log and works offline from here.
    pcs.net_b.down().await;
    let slots = |date: chrono::NaiveDate, office: &str| SlotQuery {
        doctor_id: doctor.id.clone(),
        date: date.to_string(),
        duration_minutes: 30,
        office_id: Some(office.to_owned()),
    };
    let annex = pcs
        .b
        .free_slots(slots(working_day, "annex"))
        .await
        .expect("annex times");
    assert_eq!(
        annex.times,
        ["14:00", "14:30", "15:00", "15:30"],
        "afternoons only"
    );
    let main = pcs
        .b
        .free_slots(slots(working_day, "main"))
        .await
        .expect("main times");
    assert_eq!(main.times, ["09:00", "09:30", "10:00", "10:30"], "mornings only");
    let off = pcs
        .b
        .free_slots(slots(leave_day, "main"))
        .await
        .expect("leave day");
    assert!(off.times.is_empty());
    assert!(
        off.off.as_deref().is_some_and(|o| o.contains("Conference")),
        "{off:?}"
    );

    let patient = pcs
        .b
        .save_patient(None, patient_form("Latha", "Menon", "+919845099001"))
        .await
        .expect("patient");
    let book = |date: chrono::NaiveDate| AppointmentForm {
        patient_id: patient.id.clone(),
        doctor_id: doctor.id.clone(),
        office_id: "annex".into(),
        date: date.to_string(),
        time: "14:00".into(),
        duration_minutes: "30".into(),
        reason: "Cleaning".into(),
        notes: String::new(),
    };
    let refused = pcs
        .b
        .book_appointment(book(leave_day))
        .await
        .expect_err("on leave");
    assert_eq!(refused.code, CommandCode::ValidationFailed);
    assert!(
        refused.field("date").is_some_and(|m| m.contains("off")),
        "{refused:?}"
    );
    pcs.b
        .book_appointment(book(working_day))
        .await
        .expect("the next day books");
}
