//! "Add walk-in" at the desk: a patient, a doctor and office, a reason;
//! the PC gives the next queue number for today.

use contract::app::{CommandError, PatientRow};
use contract::screens::DoctorOption;
use contract::screens::appointments::{AppointmentRow, WalkInForm};
use yew::prelude::*;

use crate::api;
use crate::components::doctor_select::{DoctorOffice, default_choice};
use crate::components::field::{Field, error_for, form_error};
use crate::components::patient_picker::PatientPicker;

#[derive(Properties, PartialEq)]
pub struct WalkInProps {
    pub doctors: Vec<DoctorOption>,
    pub on_added: Callback<AppointmentRow>,
    pub on_cancel: Callback<()>,
}

const FIELDS: [&str; 4] = ["patient_id", "doctor_id", "office_id", "reason"];

#[function_component(WalkInEditor)]
pub fn walk_in_editor(p: &WalkInProps) -> Html {
    let form = use_state(|| {
        let (doctor_id, office_id) = default_choice(&p.doctors);
        WalkInForm {
            doctor_id,
            office_id,
            ..WalkInForm::default()
        }
    });
    let patient = use_state(|| None::<PatientRow>);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let on_patient = {
        let (form, patient) = (form.clone(), patient.clone());
        Callback::from(move |row: Option<PatientRow>| {
            let mut next = (*form).clone();
            next.patient_id = row.as_ref().map(|r| r.id.clone()).unwrap_or_default();
            form.set(next);
            patient.set(row);
        })
    };
    let on_doctor = {
        let form = form.clone();
        Callback::from(move |(doctor_id, office_id): (String, String)| {
            form.set(WalkInForm {
                doctor_id,
                office_id,
                ..(*form).clone()
            });
        })
    };
    let on_reason = {
        let form = form.clone();
        Callback::from(move |reason: String| {
            form.set(WalkInForm {
                reason,
                ..(*form).clone()
            })
        })
    };
    let submit = {
        let (form, error, busy, done) = (form.clone(), error.clone(), busy.clone(), p.on_added.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(fields) = form.validate() {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (form, error, busy, done) = ((*form).clone(), error.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_walk_in(&form).await {
                    Ok(row) => done.emit(row),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card editor" onsubmit={submit} data-testid="walk-in-form">
            <h2>{ "Add walk-in" }</h2>
            <PatientPicker prefix="walk-in-patient" selected={(*patient).clone()} on_select={on_patient} autofocus=true
                error={error_for(&error, "patient_id")} />
            <DoctorOffice prefix="walk-in" doctors={p.doctors.clone()} doctor_id={form.doctor_id.clone()}
                office_id={form.office_id.clone()} on_change={on_doctor}
                doctor_error={error_for(&error, "doctor_id")} office_error={error_for(&error, "office_id")} />
            <Field id="walk-in-reason" label="Reason for the visit" value={form.reason.clone()}
                on_input={on_reason} error={error_for(&error, "reason")} />
            if let Some(message) = form_error(&error, &FIELDS) {
                <p class="error" role="alert" data-testid="walk-in-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="walk-in-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="walk-in-save" disabled={*busy}>{ "Add to queue" }</button>
            </div>
        </form>
    }
}
