//! Patients: search as you type by name or mobile, a dense list with
//! keyboard navigation, and the create/edit form. Works offline.

use domain::app::{CommandError, PatientForm, PatientRow};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, Select, error_for};
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::today;

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Vec<PatientRow>),
    Failed(String),
}

#[derive(Clone, PartialEq)]
enum Editing {
    None,
    New,
    Existing(Box<PatientRow>),
}

#[function_component(Patients)]
pub fn patients() -> Html {
    let query = use_state(String::new);
    let load = use_state(|| Load::Loading);
    let editing = use_state(|| Editing::None);
    let selected = use_state(|| 0usize);
    let reload = use_state(|| 0u32);
    let search_ref = use_node_ref();
    {
        let load = load.clone();
        use_effect_with(((*query).clone(), *reload), move |(q, _)| {
            let q = q.clone();
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::search_patients(&q).await {
                    Ok(rows) => Load::Ready(rows),
                    Err(e) => Load::Failed(e.message),
                });
            });
        });
    }
    let rows = match &*load {
        Load::Ready(rows) => rows.clone(),
        _ => Vec::new(),
    };
    let on_key = {
        let (selected, editing, rows, search_ref) = (
            selected.clone(),
            editing.clone(),
            rows.clone(),
            search_ref.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .is_some();
            match e.key().as_str() {
                "/" if !typing => {
                    e.prevent_default();
                    if let Some(input) = search_ref.cast::<HtmlInputElement>() {
                        let _ = input.focus();
                    }
                }
                "ArrowDown" => selected.set((*selected + 1).min(rows.len().saturating_sub(1))),
                "ArrowUp" => selected.set(selected.saturating_sub(1)),
                "Enter" if !rows.is_empty() && *editing == Editing::None => {
                    if let Some(row) = rows.get(*selected) {
                        editing.set(Editing::Existing(Box::new(row.clone())));
                    }
                }
                _ => {}
            }
        })
    };
    let on_saved = {
        let (editing, reload) = (editing.clone(), reload.clone());
        Callback::from(move |_| {
            editing.set(Editing::None);
            reload.set(*reload + 1);
        })
    };
    let on_search = {
        let (query, selected) = (query.clone(), selected.clone());
        Callback::from(move |e: InputEvent| {
            selected.set(0);
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let open = {
        let editing = editing.clone();
        Callback::from(move |row: PatientRow| editing.set(Editing::Existing(Box::new(row))))
    };
    html! {
        <section class="patients" onkeydown={on_key} tabindex="0">
            <div class="toolbar">
                <h1>{ "Patients" }</h1>
                <input ref={search_ref} class="search" type="search" placeholder="Search by name or mobile (press /)"
                    data-testid="patient-search" value={(*query).clone()} oninput={on_search} />
                <button class="primary" data-testid="new-patient"
                    onclick={{ let editing = editing.clone(); Callback::from(move |_| editing.set(Editing::New)) }}>
                    { "New patient" }
                </button>
            </div>
            if *editing != Editing::None {
                <PatientEditor editing={(*editing).clone()} on_saved={on_saved}
                    on_cancel={{ let editing = editing.clone(); Callback::from(move |_| editing.set(Editing::None)) }} />
            }
            { match &*load {
                Load::Loading => html! { <Skeleton rows={8} /> },
                Load::Failed(message) => html! {
                    <ErrorBox message={message.clone()}
                        on_retry={{ let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1)) }} />
                },
                Load::Ready(rows) if rows.is_empty() && query.is_empty() => html! {
                    <Empty title="No patients yet" text="Register the first patient of the clinic. It is saved on this PC and synced." />
                },
                Load::Ready(rows) if rows.is_empty() => html! {
                    <Empty title="No match" text="No patient has that name or mobile number." />
                },
                Load::Ready(rows) => patient_table(rows, *selected, &open),
            } }
        </section>
    }
}

fn patient_table(rows: &[PatientRow], selected: usize, open: &Callback<PatientRow>) -> Html {
    html! {
        <table class="dense" data-testid="patient-list">
            <thead><tr><th>{ "Name" }</th><th>{ "Mobile" }</th><th>{ "Born" }</th><th>{ "Gender" }</th><th>{ "Allergies" }</th></tr></thead>
            <tbody>
                { for rows.iter().enumerate().map(|(i, row)| {
                    let r = row.clone();
                    let name = format!("{} {}", row.first_name, row.last_name.clone().unwrap_or_default());
                    html! {
                        <tr class={classes!((i == selected).then_some("selected"))} data-testid="patient-row"
                            onclick={open.reform(move |_| r.clone())}>
                            <td>{ name.trim().to_owned() }</td><td>{ &row.mobile_number }</td>
                            <td>{ &row.date_of_birth }</td><td>{ &row.gender }</td>
                            <td class={classes!((!row.allergies.is_empty()).then_some("warn"))}>{ row.allergies.join(", ") }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    editing: Editing,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
}

#[function_component(PatientEditor)]
fn patient_editor(p: &EditorProps) -> Html {
    let initial = match &p.editing {
        Editing::Existing(row) => PatientForm::from_row(row),
        _ => PatientForm::default(),
    };
    let id = match &p.editing {
        Editing::Existing(row) => Some(row.id.clone()),
        _ => None,
    };
    let form = use_state(|| initial);
    let error = use_state(|| None::<CommandError>);
    let edit = |apply: fn(&mut PatientForm, String)| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut next = (*form).clone();
            apply(&mut next, v);
            form.set(next);
        })
    };
    let submit = {
        let (form, error, saved, id) = (form.clone(), error.clone(), p.on_saved.clone(), id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(fields) = form.validate(today()) {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (form, error, saved, id) = ((*form).clone(), error.clone(), saved.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_patient(id.as_deref(), &form).await {
                    Ok(_) => saved.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let genders = vec![
        ("".into(), "Choose…".into()),
        ("female".into(), "Female".into()),
        ("male".into(), "Male".into()),
        ("other".into(), "Other".into()),
        ("undisclosed".into(), "Prefer not to say".into()),
    ];
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
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    html! {
        <form class="card editor" onsubmit={submit} data-testid="patient-form">
            <h2>{ if id.is_some() { "Edit patient" } else { "New patient" } }</h2>
            <div class="grid2">
                <Field id="patient-first-name" label="First name" value={form.first_name.clone()} autofocus=true
                    on_input={edit(|f, v| f.first_name = v)} error={error_for(&error, "first_name")} />
                <Field id="patient-last-name" label="Last name" value={form.last_name.clone()}
                    on_input={edit(|f, v| f.last_name = v)} error={error_for(&error, "last_name")} />
                <Field id="patient-mobile" label="Mobile number" kind="tel" value={form.mobile_number.clone()}
                    on_input={edit(|f, v| f.mobile_number = v)} error={error_for(&error, "mobile_number")} />
                <Field id="patient-dob" label="Date of birth" hint="Year-month-day, e.g. 1990-04-21" value={form.date_of_birth.clone()}
                    on_input={edit(|f, v| f.date_of_birth = v)} error={error_for(&error, "date_of_birth")} />
                <Select id="patient-gender" label="Gender" value={form.gender.clone()} options={genders}
                    on_change={edit(|f, v| f.gender = v)} error={error_for(&error, "gender")} />
                <Select id="patient-blood-group" label="Blood group" value={form.blood_group.clone()} options={groups}
                    on_change={edit(|f, v| f.blood_group = v)} error={error_for(&error, "blood_group")} />
            </div>
            <Field id="patient-allergies" label="Allergies" value={form.allergies.clone()} hint="Separate with commas."
                on_input={edit(|f, v| f.allergies = v)} error={error_for(&error, "allergies")} />
            <Field id="patient-notes" label="Notes" value={form.notes.clone()}
                on_input={edit(|f, v| f.notes = v)} error={error_for(&error, "notes")} />
            if let Some(message) = general { <p class="error" role="alert">{ message }</p> }
            <div class="actions">
                <button type="button" class="secondary" data-testid="patient-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="patient-save">{ "Save" }</button>
            </div>
        </form>
    }
}
