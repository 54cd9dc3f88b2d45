//! The booking form's state and every change to it, as one reducer: what
//! the form holds, who the patient is, the error shown and whether a
//! booking is on its way. Pure, so it is tested without a window.

use std::rc::Rc;

use contract::app::{CommandError, PatientRow};
use contract::screens::DoctorOption;
use contract::screens::appointments::AppointmentForm;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Booking {
    pub form: AppointmentForm,
    pub patient: Option<PatientRow>,
    pub error: Option<CommandError>,
    pub busy: bool,
}

#[derive(Debug, Clone)]
pub enum BookingAction {
    /// A field typed: how to apply the text to the form, and the text.
    Edit(fn(&mut AppointmentForm, String), String),
    Patient(Option<Box<PatientRow>>),
    /// A doctor (and office) chosen; a new doctor brings their
    /// consultation length and clears a time picked for the other one.
    Doctor {
        doctor_id: String,
        office_id: String,
        minutes: Option<u32>,
    },
    /// The form's own check failed: nothing was sent.
    Invalid(CommandError),
    Sending,
    /// The PC refused the booking (a clash, say): the form stays as typed.
    Refused(CommandError),
}

impl Booking {
    /// A new booking on `date`, with the first doctor and their length.
    pub fn start(
        doctors: &[DoctorOption],
        date: &str,
        patient_id: Option<String>,
        choice: (String, String),
    ) -> Self {
        let (doctor_id, office_id) = choice;
        let minutes = doctors
            .iter()
            .find(|d| d.id == doctor_id)
            .map_or(30, |d| d.consultation_minutes);
        Self {
            form: AppointmentForm {
                patient_id: patient_id.unwrap_or_default(),
                doctor_id,
                office_id,
                date: date.to_owned(),
                duration_minutes: minutes.to_string(),
                ..AppointmentForm::default()
            },
            ..Self::default()
        }
    }
}

impl Reducible for Booking {
    type Action = BookingAction;

    fn reduce(self: Rc<Self>, action: BookingAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BookingAction::Edit(apply, text) => apply(&mut next.form, text),
            BookingAction::Patient(row) => {
                next.form.patient_id = row.as_ref().map(|r| r.id.clone()).unwrap_or_default();
                next.patient = row.map(|r| *r);
            }
            BookingAction::Doctor {
                doctor_id,
                office_id,
                minutes,
            } => {
                if next.form.doctor_id != doctor_id
                    && let Some(minutes) = minutes
                {
                    next.form.duration_minutes = minutes.to_string();
                    next.form.time.clear();
                }
                next.form.doctor_id = doctor_id;
                next.form.office_id = office_id;
            }
            BookingAction::Invalid(error) => next.error = Some(error),
            BookingAction::Sending => next.busy = true,
            BookingAction::Refused(error) => {
                next.busy = false;
                next.error = Some(error);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hooks::replay;
    use contract::app::CommandCode;

    fn doctor(id: &str, minutes: u32) -> DoctorOption {
        DoctorOption {
            id: id.into(),
            consultation_minutes: minutes,
            ..DoctorOption::default()
        }
    }

    #[test]
    fn another_doctor_brings_their_length_and_clears_the_time() {
        let doctors = [doctor("a", 15), doctor("b", 40)];
        let start = Booking::start(&doctors, "2030-01-01", None, ("a".into(), "main".into()));
        assert_eq!(start.form.duration_minutes, "15");
        let state = replay(
            start,
            vec![
                BookingAction::Edit(|f, v| f.time = v, "10:00".into()),
                BookingAction::Doctor {
                    doctor_id: "b".into(),
                    office_id: "main".into(),
                    minutes: Some(40),
                },
            ],
        );
        assert_eq!(
            (state.form.duration_minutes.as_str(), state.form.time.as_str()),
            ("40", "")
        );
        let same = replay(
            state,
            vec![
                BookingAction::Edit(|f, v| f.time = v, "11:00".into()),
                BookingAction::Doctor {
                    doctor_id: "b".into(),
                    office_id: "north".into(),
                    minutes: Some(40),
                },
            ],
        );
        assert_eq!(
            (same.form.time.as_str(), same.form.office_id.as_str()),
            ("11:00", "north")
        );
    }

    #[test]
    fn a_refusal_keeps_what_was_typed_and_ends_the_wait() {
        let state = replay(
            Booking::default(),
            vec![
                BookingAction::Edit(|f, v| f.reason = v, "Check-up".into()),
                BookingAction::Sending,
                BookingAction::Refused(CommandError::new(CommandCode::Conflict, "taken")),
            ],
        );
        assert!(!state.busy);
        assert_eq!(state.form.reason, "Check-up");
        assert_eq!(state.error.map(|e| e.code), Some(CommandCode::Conflict));
    }
}
