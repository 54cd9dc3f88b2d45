//! The prescription editor's state and every change to it, as one reducer:
//! the form as typed, the saved view it started from, the patient chosen,
//! the error shown, the line that gets the focus and whether a save or the
//! issue confirm is under way. Pure, so it is tested without a window.

use std::rc::Rc;

use contract::app::{CommandError, PatientRow};
use contract::screens::prescriptions::{ItemForm, PrescriptionForm, PrescriptionView};
use domain::clinical::prescription::PrescriptionStatus;
use yew::Reducible;

use crate::components::patient_picker::full_name;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RxDraft {
    /// The saved prescription; `None` until a new one is first saved.
    pub view: Option<PrescriptionView>,
    /// The patient chosen for a new prescription.
    pub patient: Option<PatientRow>,
    pub form: PrescriptionForm,
    pub error: Option<CommandError>,
    /// The medicine line to focus and a counter that re-focuses it.
    pub focus: (usize, u32),
    /// The "Issue this prescription?" confirm is open.
    pub issuing: bool,
    pub busy: bool,
}

#[derive(Debug, Clone)]
pub enum RxAction {
    /// A field typed: how to apply the text to the form, and the text.
    Edit(fn(&mut PrescriptionForm, String), String),
    Items(Vec<ItemForm>),
    /// Lines from the medicine box; a single picked medicine gets the focus
    /// on its dosage.
    Append {
        lines: Vec<ItemForm>,
        focus_first: bool,
    },
    Patient(Option<Box<PatientRow>>),
    /// Issue pressed: the confirm opens only for a form that passes its checks.
    AskIssue,
    CancelIssue,
    /// The form's own check failed: nothing was sent.
    Invalid(CommandError),
    Sending,
    /// Saved, issued or changed by an action: the view is the form's new
    /// starting point.
    Saved(Box<PrescriptionView>),
    Failed(CommandError),
}

impl RxDraft {
    pub fn existing(view: PrescriptionView) -> Self {
        Self {
            form: view.form.clone(),
            view: Some(view),
            focus: (usize::MAX, 0),
            ..Self::default()
        }
    }

    /// A new prescription, for `patient` if one was named.
    pub fn new(patient: Option<PatientRow>, form: PrescriptionForm) -> Self {
        Self {
            form: PrescriptionForm {
                patient_id: patient.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
                ..form
            },
            patient,
            focus: (usize::MAX, 0),
            ..Self::default()
        }
    }

    pub fn status(&self) -> Option<PrescriptionStatus> {
        self.view.as_ref().map(|v| v.status)
    }

    /// New prescriptions and the writer's own drafts can be edited.
    pub fn editable(&self) -> bool {
        self.view
            .as_ref()
            .is_none_or(|v| v.editable && v.status == PrescriptionStatus::Draft)
    }

    /// The form differs from what was last saved.
    pub fn dirty(&self) -> bool {
        self.view.as_ref().is_none_or(|v| v.form != self.form)
    }

    /// The saved view when the form has not changed since: saving again
    /// would only repeat it.
    pub fn unchanged_view(&self) -> Option<PrescriptionView> {
        self.view.as_ref().filter(|v| v.form == self.form).cloned()
    }

    /// Who the prescription is for and what they are allergic to.
    pub fn patient_heading(&self) -> (String, Vec<String>) {
        match (&self.view, &self.patient) {
            (Some(v), _) => (v.patient_name.clone(), v.patient_allergies.clone()),
            (None, Some(row)) => (full_name(row), row.allergies.clone()),
            (None, None) => (String::new(), Vec::new()),
        }
    }
}

impl Reducible for RxDraft {
    type Action = RxAction;

    fn reduce(self: Rc<Self>, action: RxAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RxAction::Edit(apply, text) => apply(&mut next.form, text),
            RxAction::Items(items) => next.form.items = items,
            RxAction::Append { lines, focus_first } => {
                let at = next.form.items.len();
                next.form.items.extend(lines);
                if focus_first {
                    next.focus = (at, next.focus.1 + 1);
                }
            }
            RxAction::Patient(row) => {
                next.form.patient_id = row.as_ref().map(|r| r.id.clone()).unwrap_or_default();
                next.patient = row.map(|r| *r);
            }
            RxAction::AskIssue => match next.form.validate() {
                Err(fields) => next.error = Some(CommandError::invalid(fields)),
                Ok(_) => next.issuing = true,
            },
            RxAction::CancelIssue => next.issuing = false,
            RxAction::Invalid(error) => {
                next.error = Some(error);
                next.issuing = false;
            }
            RxAction::Sending => next.busy = true,
            RxAction::Saved(view) => {
                next.form = view.form.clone();
                next.view = Some(*view);
                next.error = None;
                next.busy = false;
                next.issuing = false;
            }
            RxAction::Failed(error) => {
                next.error = Some(error);
                next.busy = false;
                next.issuing = false;
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

    fn line(name: &str) -> ItemForm {
        ItemForm {
            medicine_name: name.into(),
            ..ItemForm::default()
        }
    }

    fn draft_view(form: PrescriptionForm) -> PrescriptionView {
        PrescriptionView {
            id: "rx1".into(),
            number: "RX-1".into(),
            status: PrescriptionStatus::Draft,
            editable: true,
            next: Vec::new(),
            form,
            patient_name: "Ana".into(),
            patient_allergies: Vec::new(),
            doctor_id: "d1".into(),
            doctor_name: "Dr Lee".into(),
            licence_number: None,
            valid_until: "2030-01-31".into(),
            printed_at: None,
            amends_number: None,
            alerts: Vec::new(),
        }
    }

    #[test]
    fn a_single_picked_medicine_gets_the_focus_on_its_line() {
        let state = replay(
            RxDraft::new(None, PrescriptionForm::default()),
            vec![
                RxAction::Append {
                    lines: vec![line("A"), line("B")],
                    focus_first: false,
                },
                RxAction::Append {
                    lines: vec![line("C")],
                    focus_first: true,
                },
            ],
        );
        assert_eq!(state.form.items.len(), 3);
        assert_eq!(state.focus, (2, 1));
    }

    #[test]
    fn issue_asks_only_for_a_form_that_passes_its_checks() {
        let state = replay(
            RxDraft::new(None, PrescriptionForm::default()),
            vec![RxAction::AskIssue],
        );
        assert!(!state.issuing);
        assert_eq!(state.error.map(|e| e.code), Some(CommandCode::ValidationFailed));
    }

    #[test]
    fn a_saved_view_becomes_the_starting_point_and_a_refusal_keeps_the_typing() {
        let saved = draft_view(PrescriptionForm {
            diagnosis: "Flu".into(),
            ..PrescriptionForm::default()
        });
        let state = replay(
            RxDraft::new(None, PrescriptionForm::default()),
            vec![RxAction::Sending, RxAction::Saved(Box::new(saved.clone()))],
        );
        assert!(!state.busy && !state.dirty() && state.editable());
        assert_eq!(state.unchanged_view(), Some(saved));
        let state = replay(
            state,
            vec![
                RxAction::Edit(|f, v| f.diagnosis = v, "Cold".into()),
                RxAction::Sending,
                RxAction::Failed(CommandError::new(CommandCode::Conflict, "changed elsewhere")),
            ],
        );
        assert!(state.dirty() && !state.busy);
        assert_eq!(state.form.diagnosis, "Cold");
        assert_eq!(state.unchanged_view(), None);
    }
}
