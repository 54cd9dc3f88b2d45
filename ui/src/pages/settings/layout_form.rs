//! The print layout editor: name and scope (doctor, office), a preset that
//! resets the look, paper, orientation, margins, what to show, the patient
//! fields and the medicine table's columns.

use contract::app::CommandError;
use contract::print::{ItemColumn, Orientation, Paper, PatientField, Preset, PrintLayout};
use contract::screens::DoctorOption;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Check, Field, Select, error_for, form_error};

use super::layout_draft::{LayoutAction, LayoutDraft};

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub layout: PrintLayout,
    pub doctors: Vec<DoctorOption>,
    pub on_saved: Callback<PrintLayout>,
    pub on_cancel: Callback<()>,
}

const FIELDS: [&str; 7] = [
    "name",
    "doctor_id",
    "office_id",
    "margins",
    "columns",
    "paper",
    "orientation",
];

#[function_component(LayoutEditor)]
pub fn layout_editor(p: &LayoutProps) -> Html {
    let draft = {
        let layout = p.layout.clone();
        use_reducer(move || LayoutDraft::new(layout))
    };
    let update = |apply: fn(&mut PrintLayout, String)| {
        let draft = draft.dispatcher();
        Callback::from(move |text: String| draft.dispatch(LayoutAction::Edit(apply, text)))
    };
    let flag = |apply: fn(&mut PrintLayout, bool)| {
        let draft = draft.dispatcher();
        Callback::from(move |on: bool| draft.dispatch(LayoutAction::Flag(apply, on)))
    };
    let preset = |preset: Preset| {
        let draft = draft.dispatcher();
        Callback::from(move |_: MouseEvent| draft.dispatch(LayoutAction::Preset(preset)))
    };
    let margin = |i: usize| {
        let draft = draft.dispatcher();
        Callback::from(move |text: String| draft.dispatch(LayoutAction::Margin(i, text)))
    };
    let submit = {
        let (draft, saved) = (draft.clone(), p.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let valid = match draft.checked() {
                Ok(valid) => valid,
                Err(fields) => return draft.dispatch(LayoutAction::Invalid(CommandError::invalid(fields))),
            };
            let (draft, saved) = (draft.dispatcher(), saved.clone());
            draft.dispatch(LayoutAction::Sending);
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_print_layout(&valid).await {
                    Ok(l) => saved.emit(l),
                    Err(e) => draft.dispatch(LayoutAction::Refused(e)),
                }
            });
        })
    };
    let (error, margins) = (&draft.error, &draft.margins);
    let l = &draft.layout;
    let mut doctor_options: Vec<(AttrValue, AttrValue)> =
        vec![("".into(), "Every doctor (clinic default)".into())];
    doctor_options.extend(
        p.doctors
            .iter()
            .map(|d| (d.id.clone().into(), d.name.clone().into())),
    );
    let mut office_options: Vec<(AttrValue, AttrValue)> = vec![("".into(), "Every office".into())];
    if let Some(d) = p.doctors.iter().find(|d| Some(&d.id) == l.doctor_id.as_ref()) {
        office_options.extend(
            d.offices
                .iter()
                .map(|o| (o.id.clone().into(), o.name.clone().into())),
        );
    }
    let papers: Vec<(AttrValue, AttrValue)> = Paper::ALL
        .iter()
        .map(|p| (p.as_str().into(), p.as_str().to_uppercase().into()))
        .collect();
    let orientations: Vec<(AttrValue, AttrValue)> = vec![
        ("portrait".into(), "Portrait".into()),
        ("landscape".into(), "Landscape".into()),
    ];
    let margin_labels = ["Top", "Right", "Bottom", "Left"];
    let margin_keys = ["top", "right", "bottom", "left"];
    html! {
        <form class="card editor wide" onsubmit={submit} data-testid="layout-form">
            <h2>{ if l.id.is_some() { "Edit print layout" } else { "New print layout" } }</h2>
            <Field id="layout-name" label="Name" value={l.name.clone()} on_input={update(|l, v| l.name = v)}
                error={error_for(error, "name")} />
            <div class="grid2">
                <Select id="layout-doctor" label="For doctor" value={l.doctor_id.clone().unwrap_or_default()} options={doctor_options}
                    on_change={update(|l, v| { l.office_id = None; l.doctor_id = (!v.is_empty()).then_some(v); })}
                    error={error_for(error, "doctor_id")} />
                <Select id="layout-office" label="At office" value={l.office_id.clone().unwrap_or_default()} options={office_options}
                    disabled={l.doctor_id.is_none()} on_change={update(|l, v| l.office_id = (!v.is_empty()).then_some(v))}
                    error={error_for(error, "office_id")} />
            </div>
            <div class="field">
                <span class="label">{ "Look" }</span>
                <div class="segmented" role="group" aria-label="Preset">
                    { for Preset::ALL.iter().map(|p| html! {
                        <button type="button" data-testid={format!("layout-preset-{}", p.as_str())}
                            class={classes!((l.preset == *p).then_some("chosen"))} aria-pressed={(l.preset == *p).to_string()}
                            onclick={preset(*p)}>{ p.as_str() }</button>
                    }) }
                </div>
                <p class="hint">{ "Choosing a look resets paper, margins and what is shown to its defaults." }</p>
            </div>
            <div class="grid2">
                <Select id="layout-paper" label="Paper" value={l.paper.as_str()} options={papers}
                    on_change={update(|l, v| if let Some(p) = Paper::parse(&v) { l.paper = p })} />
                <Select id="layout-orientation" label="Orientation" value={l.orientation.as_str()} options={orientations}
                    on_change={update(|l, v| if let Some(o) = Orientation::parse(&v) { l.orientation = o })} />
            </div>
            <div class="grid4">
                { for (0..4).map(|i| html! {
                    <Field id={format!("layout-margin-{}", margin_keys[i])} label={format!("{} margin (mm)", margin_labels[i])}
                        kind="number" value={margins[i].clone()} on_input={margin(i)}
                        error={error_for(error, &format!("margins.{}", margin_keys[i]))} />
                }) }
            </div>
            if let Some(e) = error_for(error, "margins") { <p class="error" role="alert" data-testid="layout-margins-error">{ e }</p> }
            <div class="checks">
                <Check id="layout-show-logo" label="Logo" checked={l.options.show_logo} on_toggle={flag(|l, on| l.options.show_logo = on)} />
                <Check id="layout-show-header" label="Clinic header" checked={l.options.show_header} on_toggle={flag(|l, on| l.options.show_header = on)} />
                <Check id="layout-show-licence" label="Licence number" checked={l.options.show_licence} on_toggle={flag(|l, on| l.options.show_licence = on)} />
                <Check id="layout-show-signature" label="Signature line" checked={l.options.show_signature} on_toggle={flag(|l, on| l.options.show_signature = on)} />
            </div>
            <fieldset class="checks">
                <legend>{ "Patient details" }</legend>
                { for PatientField::ALL.iter().map(|f| {
                    let (draft, f) = (draft.dispatcher(), *f);
                    html! {
                        <Check id={format!("layout-field-{}", f.as_str())} label={f.label()} checked={l.options.patient_fields.contains(&f)}
                            on_toggle={Callback::from(move |on: bool| draft.dispatch(LayoutAction::PatientField(f, on)))} />
                    }
                }) }
            </fieldset>
            <fieldset class="checks">
                <legend>{ "Medicine table columns" }</legend>
                { for ItemColumn::ALL.iter().map(|c| {
                    let (draft, c) = (draft.dispatcher(), *c);
                    html! {
                        <Check id={format!("layout-column-{}", c.as_str())} label={c.label()} checked={l.options.columns.contains(&c)}
                            disabled={c == ItemColumn::Medicine}
                            on_toggle={Callback::from(move |on: bool| draft.dispatch(LayoutAction::Column(c, on)))} />
                    }
                }) }
            </fieldset>
            if let Some(e) = error_for(error, "columns") { <p class="error" role="alert">{ e }</p> }
            if let Some(message) = form_error(error, &FIELDS) {
                <p class="error" role="alert" data-testid="layout-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="layout-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="layout-save" disabled={draft.busy}>{ "Save layout" }</button>
            </div>
        </form>
    }
}
