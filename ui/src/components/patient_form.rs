//! The patient form: new patient, edit, or a new family member on the same
//! mobile number (who must say how they are related).

use contract::app::{CommandError, PatientForm, PatientRow};
use domain::ValidationError;
use domain::patient::Relationship;
use yew::prelude::*;

use crate::api;
use crate::components::date_field::DateField;
use crate::components::field::{Field, Select, error_for, form_error, form_setter};
use crate::components::status::gender_label;
use crate::hooks::today;

#[derive(Properties, PartialEq)]
pub struct PatientEditorProps {
    /// Set when editing an existing patient.
    #[prop_or_default]
    pub id: Option<String>,
    #[prop_or_default]
    pub initial: PatientForm,
    /// Adding a family member of this person (the mobile is pre-filled).
    #[prop_or_default]
    pub family_of: Option<String>,
    pub on_saved: Callback<PatientRow>,
    pub on_cancel: Callback<()>,
}

const FIELDS: [&str; 11] = [
    "first_name",
    "last_name",
    "mobile_number",
    "date_of_birth",
    "gender",
    "blood_group",
    "allergies",
    "notes",
    "relationship",
    "emergency_contact_name",
    "emergency_contact_phone",
];

fn relationship_label(r: Relationship) -> &'static str {
    match r {
        Relationship::SelfMember => "Self (main member of this number)",
        Relationship::Spouse => "Spouse",
        Relationship::Child => "Child",
        Relationship::Parent => "Parent",
        Relationship::Sibling => "Sibling",
        Relationship::Other => "Other",
    }
}

#[function_component(PatientEditor)]
pub fn patient_editor(p: &PatientEditorProps) -> Html {
    let form = use_state(|| p.initial.clone());
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let edit = |apply: fn(&mut PatientForm, String)| form_setter(&form, apply);
    let family = p.family_of.is_some();
    let submit = {
        let (form, error, busy, saved, id) = (
            form.clone(),
            error.clone(),
            busy.clone(),
            p.on_saved.clone(),
            p.id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut fields = form.validate(today()).err().unwrap_or_default();
            let rel = form.relationship.trim();
            if family && (rel.is_empty() || rel == "self") {
                fields.push(ValidationError::new(
                    "relationship",
                    "Choose how this person is related to the main member.",
                ));
            }
            if !fields.is_empty() {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (form, error, busy, saved, id) = (
                (*form).clone(),
                error.clone(),
                busy.clone(),
                saved.clone(),
                id.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_patient(id.as_deref(), &form).await {
                    Ok(row) => saved.emit(row),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let genders: Vec<(AttrValue, AttrValue)> = std::iter::once(("".into(), "Choose…".into()))
        .chain(
            domain::patient::Gender::ALL
                .iter()
                .map(|g| (g.as_str().into(), gender_label(g.as_str()).into())),
        )
        .collect();
    let groups: Vec<(AttrValue, AttrValue)> =
        ["", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", "unknown"]
            .iter()
            .map(|g| {
                (
                    AttrValue::from(*g),
                    AttrValue::from(if g.is_empty() { "Not known" } else { g }),
                )
            })
            .collect();
    let mut relationships: Vec<(AttrValue, AttrValue)> = Vec::new();
    if family {
        relationships.push(("".into(), "Choose…".into()));
    }
    relationships.extend(
        Relationship::ALL
            .iter()
            .filter(|r| !family || **r != Relationship::SelfMember)
            .map(|r| {
                (
                    AttrValue::from(r.as_str()),
                    AttrValue::from(relationship_label(*r)),
                )
            }),
    );
    let relationship = if form.relationship.is_empty() && !family {
        "self".to_owned()
    } else {
        form.relationship.clone()
    };
    let title = match (&p.id, &p.family_of) {
        (Some(_), _) => "Edit patient".to_owned(),
        (None, Some(main)) => format!("Add a family member of {main}"),
        (None, None) => "New patient".to_owned(),
    };
    html! {
        <form class="card editor" onsubmit={submit} data-testid="patient-form">
            <h2>{ title }</h2>
            <div class="grid2">
                <Field id="patient-first-name" label="First name" value={form.first_name.clone()} autofocus=true
                    on_input={edit(|f, v| f.first_name = v)} error={error_for(&error, "first_name")} />
                <Field id="patient-last-name" label="Last name" value={form.last_name.clone()}
                    on_input={edit(|f, v| f.last_name = v)} error={error_for(&error, "last_name")} />
                <Field id="patient-mobile" label="Mobile number" kind="tel" value={form.mobile_number.clone()}
                    hint={family.then(|| AttrValue::from("The family's shared number."))}
                    on_input={edit(|f, v| f.mobile_number = v)} error={error_for(&error, "mobile_number")} />
                <Select id="patient-relationship" label="Relationship" value={relationship} options={relationships}
                    on_change={edit(|f, v| f.relationship = v)} error={error_for(&error, "relationship")} />
                <DateField id="patient-dob" label="Date of birth" value={form.date_of_birth.clone()}
                    on_input={edit(|f, v| f.date_of_birth = v)} error={error_for(&error, "date_of_birth")} />
                <Select id="patient-gender" label="Gender" value={form.gender.clone()} options={genders}
                    on_change={edit(|f, v| f.gender = v)} error={error_for(&error, "gender")} />
                <Select id="patient-blood-group" label="Blood group" value={form.blood_group.clone()} options={groups}
                    on_change={edit(|f, v| f.blood_group = v)} error={error_for(&error, "blood_group")} />
                <Field id="patient-allergies" label="Allergies" value={form.allergies.clone()} hint="Separate with commas."
                    on_input={edit(|f, v| f.allergies = v)} error={error_for(&error, "allergies")} />
                <Field id="patient-emergency-name" label="Emergency contact" value={form.emergency_contact_name.clone()}
                    hint="Whom to call, e.g. Ravi (husband)."
                    on_input={edit(|f, v| f.emergency_contact_name = v)} error={error_for(&error, "emergency_contact_name")} />
                <Field id="patient-emergency-phone" label="Emergency phone" kind="tel" value={form.emergency_contact_phone.clone()}
                    on_input={edit(|f, v| f.emergency_contact_phone = v)} error={error_for(&error, "emergency_contact_phone")} />
            </div>
            <Field id="patient-notes" label="Notes" value={form.notes.clone()}
                hint="Conditions the doctor should know, e.g. diabetes, pregnancy."
                on_input={edit(|f, v| f.notes = v)} error={error_for(&error, "notes")} />
            if let Some(message) = form_error(&error, &FIELDS) {
                <p class="error" role="alert" data-testid="patient-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="patient-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="patient-save" disabled={*busy}>{ "Save" }</button>
            </div>
        </form>
    }
}
