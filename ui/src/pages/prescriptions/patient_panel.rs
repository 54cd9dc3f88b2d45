//! Who the prescription is for, with allergies up front; a new one first
//! asks for the patient.

use contract::app::{CommandError, PatientRow};
use yew::prelude::*;

use crate::components::field::error_for;
use crate::components::patient_picker::PatientPicker;

pub fn patient_panel(
    name: &str,
    allergies: &[String],
    is_new: bool,
    selected: Option<PatientRow>,
    on_patient: Callback<Option<PatientRow>>,
    error: &Option<CommandError>,
) -> Html {
    if is_new && selected.is_none() {
        return html! {
            <div class="card patient-panel">
                <PatientPicker prefix="rx-patient" label="Patient" selected={None::<PatientRow>} on_select={on_patient}
                    autofocus=true error={error_for(error, "patient_id")} />
            </div>
        };
    }
    html! {
        <div class="card patient-panel" data-testid="rx-patient">
            <span class="muted">{ "Patient" }</span>
            <strong data-testid="rx-patient-name">{ name }</strong>
            if allergies.is_empty() {
                <span class="chip" data-testid="rx-allergies">{ "No known allergies" }</span>
            } else {
                <span class="chip red strong" data-testid="rx-allergies">{ format!("Allergies: {}", allergies.join(", ")) }</span>
            }
            if is_new {
                <button type="button" class="link" data-testid="rx-patient-change" onclick={on_patient.reform(|_| None)}>{ "Change" }</button>
            }
            if let Some(e) = error_for(error, "patient_id") { <p class="error" role="alert">{ e }</p> }
        </div>
    }
}
