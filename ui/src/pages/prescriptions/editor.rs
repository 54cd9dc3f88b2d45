//! The prescription editor: the patient with allergies up front, the visit
//! and diagnosis, the medicine box (catalog search and `/CODE` short keys),
//! the medicine lines with allergy/contraindication alerts, Save draft and
//! Issue. Issued prescriptions are read-only here and get the print and
//! status actions instead.

use contract::app::{CommandError, PatientRow};
use contract::screens::DoctorOption;
use contract::screens::prescriptions::{ItemForm, PrescriptionForm, PrescriptionView};
use domain::clinical::prescription::PrescriptionStatus;
use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use super::actions::RxActions;
use super::draft::{RxAction, RxDraft};
use super::items::Items;
use super::medicine_box::MedicineBox;
use super::patient_panel::patient_panel;
use crate::api;
use crate::app::Route;
use crate::components::confirm::Confirm;
use crate::components::date_field::{DateField, DateForm, MomentText, show_date, use_date_style};
use crate::components::field::{Field, Select, TextArea, describe, error_for, form_error};
use crate::components::states::{ErrorBox, Skeleton};
use crate::components::status::rx_chip;
use crate::hooks::{Load, send, send_with, today, use_latest, use_load};
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// `None` for a new prescription.
    #[prop_or_default]
    pub id: Option<String>,
}

/// `#/prescriptions/new?patient=…&appointment=…`
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
struct NewParams {
    #[serde(default)]
    patient: Option<String>,
    #[serde(default)]
    appointment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    Existing(Box<PrescriptionView>),
    New(Option<Box<PatientRow>>),
}

#[function_component(PrescriptionEditor)]
pub fn prescription_editor(p: &EditorProps) -> Html {
    let params = use_location()
        .and_then(|l| l.query::<NewParams>().ok())
        .unwrap_or_default();
    let (doctors, _) = use_load((), |_| api::clinic_doctors());
    let (start, reload) = use_load(
        (p.id.clone(), params.patient.clone()),
        |(id, patient)| async move {
            match (id, patient) {
                (Some(id), _) => api::prescription(&id).await.map(|v| Start::Existing(Box::new(v))),
                (None, Some(patient)) => api::patient_chart(&patient)
                    .await
                    .map(|c| Start::New(Some(Box::new(c.patient)))),
                (None, None) => Ok(Start::New(None)),
            }
        },
    );
    match (&*start, &*doctors) {
        (Load::Failed(e), _) => html! { <ErrorBox message={describe(e)} on_retry={reload} /> },
        (Load::Loading, _) | (_, Load::Loading) => {
            html! { <section data-testid="rx-loading"><Skeleton rows={12} /></section> }
        }
        (Load::Ready(start), doctors) => html! {
            <RxEditor start={start.clone()} doctors={doctors.ready().cloned().unwrap_or_default()}
                appointment={params.appointment.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct RxProps {
    start: Start,
    doctors: Vec<DoctorOption>,
    appointment: Option<String>,
}

const FIELDS: [&str; 11] = [
    "patient_id",
    "appointment_id",
    "office_id",
    "visit_date",
    "chief_complaint",
    "diagnosis",
    "symptoms",
    "clinical_notes",
    "general_instructions",
    "follow_up_date",
    "items",
];

/// The offices a prescription may name: the writing doctor's, else all.
fn office_options(doctors: &[DoctorOption], doctor_id: Option<&str>) -> Vec<(AttrValue, AttrValue)> {
    let own = doctors
        .iter()
        .find(|d| doctor_id.map_or(d.is_me, |id| d.id == id));
    let mut out: Vec<(AttrValue, AttrValue)> = Vec::new();
    for d in own.into_iter().chain(doctors.iter().filter(|_| own.is_none())) {
        for o in &d.offices {
            if !out.iter().any(|(id, _)| id.as_str() == o.id) {
                out.push((o.id.clone().into(), o.name.clone().into()));
            }
        }
    }
    out
}

/// The signed-in doctor's primary office, else the first office known.
fn default_office(doctors: &[DoctorOption]) -> String {
    doctors
        .iter()
        .find(|d| d.is_me)
        .and_then(|d| d.primary_office())
        .map(|o| o.id.clone())
        .or_else(|| {
            office_options(doctors, None)
                .first()
                .map(|(id, _)| id.to_string())
        })
        .unwrap_or_default()
}

#[function_component(RxEditor)]
fn rx_editor(p: &RxProps) -> Html {
    let app = use_app();
    let style = use_date_style();
    let navigator = use_navigator();
    let draft = use_reducer(|| match &p.start {
        Start::Existing(v) => RxDraft::existing((**v).clone()),
        Start::New(row) => RxDraft::new(
            row.as_deref().cloned(),
            PrescriptionForm {
                appointment_id: p.appointment.clone().filter(|a| !a.is_empty()),
                office_id: default_office(&p.doctors),
                visit_date: today().to_string(),
                ..PrescriptionForm::default()
            },
        ),
    });
    let form = &draft.form;
    let error = &draft.error;
    // Alerts follow the medicine lines (debounced while typing).
    let opening_alerts = match &p.start {
        Start::Existing(v) => v.alerts.clone(),
        Start::New(_) => Vec::new(),
    };
    let checked = {
        let form_now = form.clone();
        use_latest(
            (form.items.clone(), form.patient_id.clone()),
            350,
            move |(items, patient)| {
                (!items.is_empty() && !patient.is_empty())
                    .then_some(async move { api::prescription_alerts(&form_now).await })
            },
        )
    };
    let alerts = if form.items.is_empty() || form.patient_id.is_empty() {
        Vec::new()
    } else {
        checked
            .as_ref()
            .map_or(opening_alerts, |(_, found)| found.clone())
    };
    let editable = draft.editable();
    let dirty = draft.dirty();
    let (name, allergies) = draft.patient_heading();
    let edit = |apply: fn(&mut PrescriptionForm, String)| {
        let draft = draft.dispatcher();
        Callback::from(move |text: String| draft.dispatch(RxAction::Edit(apply, text)))
    };
    let on_patient = send_with(&draft, |row: Option<PatientRow>| {
        RxAction::Patient(row.map(Box::new))
    });
    let append = send_with(&draft, |(lines, focus_first): (Vec<ItemForm>, bool)| {
        RxAction::Append { lines, focus_first }
    });
    let run = save_callback(&draft, &app, navigator);
    let view = &draft.view;
    let offices = office_options(&p.doctors, view.as_ref().map(|v| v.doctor_id.as_str()));
    html! {
        <section class="rx-editor">
            <div class="toolbar">
                <h1 data-testid="rx-number">{ view.as_ref().map_or_else(|| "New prescription".to_owned(), |v| v.number.clone()) }</h1>
                if let Some(s) = draft.status() { { rx_chip(s, "rx-status") } }
                if let Some(v) = view {
                    <span class="muted">{ format!("{} · valid until {}", v.doctor_name, show_date(&v.valid_until, style, DateForm::Long)) }</span>
                    if let Some(a) = &v.amends_number { <span class="chip">{ format!("Amends {a}") }</span> }
                    if let Some(at) = &v.printed_at { <span class="chip green">{ "Printed " }<MomentText at={at.clone()} /></span> }
                }
            </div>
            { patient_panel(&name, &allergies, view.is_none(), draft.patient.clone(), on_patient, error) }
            if !alerts.is_empty() {
                <div class="alert-banner" role="alert" data-testid="rx-alert">
                    <strong>{ "Check before issuing:" }</strong>
                    <ul>{ for alerts.iter().map(|a| html! { <li>{ format!("Line {}: {}", a.item_index + 1, a.message) }</li> }) }</ul>
                </div>
            }
            <form class="card rx-form" data-testid="rx-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="grid3">
                    <DateField id="rx-visit-date" label="Visit date" value={form.visit_date.clone()} disabled={!editable}
                        on_input={edit(|f, v| f.visit_date = v)} error={error_for(error, "visit_date")} />
                    <DateField id="rx-follow-up" label="Follow-up (optional)" value={form.follow_up_date.clone()} disabled={!editable}
                        on_input={edit(|f, v| f.follow_up_date = v)} error={error_for(error, "follow_up_date")} />
                    <Select id="rx-office" label="Office" value={form.office_id.clone()} options={offices} disabled={!editable}
                        on_change={edit(|f, v| f.office_id = v)} error={error_for(error, "office_id")} />
                </div>
                <Field id="rx-complaint" label="Chief complaint" value={form.chief_complaint.clone()} disabled={!editable}
                    on_input={edit(|f, v| f.chief_complaint = v)} error={error_for(error, "chief_complaint")} />
                <Field id="rx-diagnosis" label="Diagnosis" value={form.diagnosis.clone()} disabled={!editable}
                    on_input={edit(|f, v| f.diagnosis = v)} error={error_for(error, "diagnosis")} />
                <TextArea id="rx-symptoms" label="Symptoms" value={form.symptoms.clone()} disabled={!editable}
                    on_input={edit(|f, v| f.symptoms = v)} error={error_for(error, "symptoms")} />
                <h2 class="section">{ "Medicines" }</h2>
                if editable { <MedicineBox on_add={append} /> }
                <Items items={form.items.clone()} on_change={send_with(&draft, RxAction::Items)} error={draft.error.clone()}
                    alerts={alerts.clone()} readonly={!editable} focus={draft.focus} />
                if let Some(e) = error_for(error, "items") { <p class="error" role="alert" data-testid="rx-items-error">{ e }</p> }
                <TextArea id="rx-instructions" label="Instructions for the patient" value={form.general_instructions.clone()}
                    disabled={!editable} on_input={edit(|f, v| f.general_instructions = v)} error={error_for(error, "general_instructions")} />
                <TextArea id="rx-notes" label="Clinical notes (not printed)" value={form.clinical_notes.clone()}
                    disabled={!editable} on_input={edit(|f, v| f.clinical_notes = v)} error={error_for(error, "clinical_notes")} />
                if let Some(message) = form_error(error, &FIELDS) {
                    <p class="error" role="alert" data-testid="rx-error">{ message }</p>
                }
                if editable {
                    <div class="actions">
                        if dirty && view.is_some() { <span class="muted">{ "Unsaved changes" }</span> }
                        <button type="button" class="secondary" data-testid="rx-save" disabled={draft.busy}
                            onclick={run.reform(|_| false)}>{ "Save draft" }</button>
                        <button type="button" class="primary" data-testid="rx-issue" disabled={draft.busy}
                            onclick={send(&draft, RxAction::AskIssue)}>{ "Issue" }</button>
                    </div>
                }
            </form>
            if let Some(v) = view {
                <RxActions view={v.clone()} dirty={dirty && editable}
                    on_changed={send_with(&draft, |v: PrescriptionView| RxAction::Saved(Box::new(v)))} />
            }
            if draft.issuing {
                <Confirm title="Issue this prescription?"
                    message="Issued prescriptions cannot be changed, only amended by a new one. It becomes valid for 30 days and can be printed."
                    confirm_label="Issue" busy={draft.busy}
                    on_confirm={run.reform(|_| true)}
                    on_cancel={send(&draft, RxAction::CancelIssue)} />
            }
        </section>
    }
}

/// Save (and optionally issue). A new prescription moves to its own page.
fn save_callback(
    draft: &UseReducerHandle<RxDraft>,
    app: &UseReducerHandle<crate::state::AppState>,
    navigator: Option<Navigator>,
) -> Callback<bool> {
    let (draft, app) = (draft.clone(), app.clone());
    Callback::from(move |issue: bool| {
        if let Err(fields) = draft.form.validate() {
            draft.dispatch(RxAction::Invalid(CommandError::invalid(fields)));
            return;
        }
        let was_new = draft.view.is_none();
        let saved = draft.unchanged_view();
        let form = draft.form.clone();
        let (dispatch, app, navigator) = (draft.dispatcher(), app.clone(), navigator.clone());
        dispatch.dispatch(RxAction::Sending);
        wasm_bindgen_futures::spawn_local(async move {
            let result = match saved {
                Some(v) => Ok(v),
                None => api::save_prescription(&form).await,
            };
            let result = match result {
                Ok(v) if issue => api::set_prescription_status(&v.id, PrescriptionStatus::Active).await,
                other => other,
            };
            match result {
                Ok(v) => {
                    let what = if issue { "Issued" } else { "Draft saved:" };
                    app.dispatch(Action::Flash(format!("{what} {}.", v.number)));
                    if was_new && let Some(n) = &navigator {
                        n.replace(&Route::Prescription { id: v.id.clone() });
                    }
                    dispatch.dispatch(RxAction::Saved(Box::new(v)));
                }
                Err(e) => dispatch.dispatch(RxAction::Failed(e)),
            }
        });
    })
}
