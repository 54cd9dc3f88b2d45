//! Create or edit a short key: code, name, description, private or shared,
//! and its ordered medicines (picked from the catalog) with default dosage,
//! frequency, duration and instructions.

use contract::app::CommandError;
use contract::screens::catalog::{MedicineRow, ShortKeyForm, ShortKeyLine, ShortKeyRow};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Check, Field, error_for, form_error, form_setter};
use crate::components::medicine_search::{MedicineSearch, medicine_title};

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    #[prop_or_default]
    pub existing: Option<ShortKeyRow>,
    pub on_saved: Callback<ShortKeyRow>,
    pub on_cancel: Callback<()>,
}

const FIELDS: [&str; 4] = ["code", "name", "description", "lines"];

#[function_component(ShortKeyEditor)]
pub fn short_key_editor(p: &EditorProps) -> Html {
    let form = use_state(|| match &p.existing {
        Some(row) => ShortKeyForm {
            id: Some(row.id.clone()),
            code: row.code.clone(),
            name: row.name.clone(),
            description: row.description.clone().unwrap_or_default(),
            private: row.private,
            lines: row.lines.clone(),
        },
        None => ShortKeyForm::default(),
    });
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let edit = |apply: fn(&mut ShortKeyForm, String)| form_setter(&form, apply);
    let set_lines = {
        let form = form.clone();
        Callback::from(move |lines: Vec<ShortKeyLine>| {
            form.set(ShortKeyForm {
                lines,
                ..(*form).clone()
            })
        })
    };
    let on_pick = {
        let (form, set_lines) = (form.clone(), set_lines.clone());
        Callback::from(move |m: MedicineRow| {
            let mut lines = form.lines.clone();
            lines.push(ShortKeyLine {
                medicine_id: m.id.clone(),
                medicine_name: medicine_title(&m),
                ..ShortKeyLine::default()
            });
            set_lines.emit(lines);
        })
    };
    let on_private = {
        let form = form.clone();
        Callback::from(move |private: bool| {
            form.set(ShortKeyForm {
                private,
                ..(*form).clone()
            })
        })
    };
    let submit = {
        let (form, error, busy, saved) = (form.clone(), error.clone(), busy.clone(), p.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(fields) = form.validate() {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (form, error, busy, saved) = ((*form).clone(), error.clone(), busy.clone(), saved.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_short_key(&form).await {
                    Ok(row) => saved.emit(row),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card editor wide" onsubmit={submit} data-testid="sk-form">
            <h2>{ if p.existing.is_some() { "Edit short key" } else { "New short key" } }</h2>
            <div class="grid2">
                <Field id="sk-code" label="Code" value={form.code.clone()} autofocus=true placeholder="RCA"
                    hint="2 to 20 letters or digits; typed as /RCA." on_input={edit(|f, v| f.code = v)} error={error_for(&error, "code")} />
                <Field id="sk-name" label="Name" value={form.name.clone()} placeholder="Root canal"
                    on_input={edit(|f, v| f.name = v)} error={error_for(&error, "name")} />
            </div>
            <Field id="sk-description" label="Description (optional)" value={form.description.clone()}
                on_input={edit(|f, v| f.description = v)} error={error_for(&error, "description")} />
            <Check id="sk-private" label="Only for me (other doctors do not see it)" checked={form.private} on_toggle={on_private} />
            <h3>{ "Medicines" }</h3>
            { lines(&form.lines, &set_lines, &error) }
            <MedicineSearch id="sk-medicine-input" option_testid="sk-medicine-option" label="Add a medicine"
                on_pick={on_pick} hint="Pick medicines from the catalog, in the order they should appear." />
            if let Some(e) = error_for(&error, "lines") { <p class="error" role="alert" data-testid="sk-lines-error">{ e }</p> }
            if let Some(message) = form_error(&error, &FIELDS) {
                <p class="error" role="alert" data-testid="sk-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="sk-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="sk-save" disabled={*busy}>{ "Save short key" }</button>
            </div>
        </form>
    }
}

fn lines(list: &[ShortKeyLine], set: &Callback<Vec<ShortKeyLine>>, error: &Option<CommandError>) -> Html {
    if list.is_empty() {
        return html! { <p class="muted">{ "No medicines yet. Add them with the box below." }</p> };
    }
    let update = |i: usize, apply: fn(&mut ShortKeyLine, String)| {
        let (list, set) = (list.to_vec(), set.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = list.clone();
            if let Some(line) = next.get_mut(i) {
                apply(line, e.target_unchecked_into::<HtmlInputElement>().value());
            }
            set.emit(next);
        })
    };
    let shift = |i: usize, up: bool| {
        let (list, set) = (list.to_vec(), set.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = list.clone();
            let j = if up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j.filter(|j| *j < next.len()) {
                next.swap(i, j);
                set.emit(next);
            }
        })
    };
    let remove = |i: usize| {
        let (list, set) = (list.to_vec(), set.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = list.clone();
            next.remove(i);
            set.emit(next);
        })
    };
    html! {
        <div class="sk-lines">
            <div class="sk-line head" aria-hidden="true">
                <span>{ "#" }</span><span>{ "Medicine" }</span><span>{ "Dosage" }</span><span>{ "Frequency" }</span>
                <span>{ "Duration" }</span><span>{ "Instructions" }</span><span />
            </div>
            { for list.iter().enumerate().map(|(i, line)| {
                let n = i + 1;
                let err = error_for(error, &format!("lines.{i}"));
                html! {
                    <div class={classes!("sk-line-block", err.is_some().then_some("has-error"))} data-testid="sk-line">
                        <div class="sk-line">
                            <span class="line-no">{ n }</span>
                            <span class="medicine">{ &line.medicine_name }</span>
                            <input data-testid="sk-line-dosage" aria-label={format!("Dosage of line {n}")} placeholder="500 mg"
                                value={line.dosage.clone()} oninput={update(i, |l, v| l.dosage = v)} />
                            <input data-testid="sk-line-frequency" aria-label={format!("Frequency of line {n}")} placeholder="1-0-1"
                                value={line.frequency.clone()} oninput={update(i, |l, v| l.frequency = v)} />
                            <input data-testid="sk-line-duration" aria-label={format!("Duration of line {n}")} placeholder="5 days"
                                value={line.duration.clone()} oninput={update(i, |l, v| l.duration = v)} />
                            <input data-testid="sk-line-instructions" aria-label={format!("Instructions of line {n}")} placeholder="After food"
                                value={line.instructions.clone()} oninput={update(i, |l, v| l.instructions = v)} />
                            <span class="line-tools">
                                <button type="button" class="icon" aria-label={format!("Move line {n} up")} disabled={i == 0}
                                    onclick={shift(i, true)}>{ "↑" }</button>
                                <button type="button" class="icon" aria-label={format!("Move line {n} down")} disabled={n == list.len()}
                                    onclick={shift(i, false)}>{ "↓" }</button>
                                <button type="button" class="icon danger-text" data-testid="sk-line-remove" aria-label={format!("Remove line {n}")}
                                    onclick={remove(i)}>{ "✕" }</button>
                            </span>
                        </div>
                        if let Some(e) = err { <p class="error" role="alert" data-testid="sk-line-error">{ e }</p> }
                    </div>
                }
            }) }
        </div>
    }
}
