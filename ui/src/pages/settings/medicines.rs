//! The medicine catalog: search by name, generic name or composition; the
//! global catalog (read-only) and the clinic's own medicines, with their
//! contraindications; "Add clinic medicine".

use contract::app::CommandError;
use contract::screens::catalog::{MedicineForm, MedicineRow};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, describe, error_for, form_error, form_setter};
use crate::components::medicine_search::medicine_title;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::{Load, use_load, use_search_shortcut};
use crate::state::{Action, use_app};

#[function_component(Medicines)]
pub fn medicines() -> Html {
    let app = use_app();
    let query = use_state(String::new);
    let adding = use_state(|| false);
    let search_ref = use_node_ref();
    use_search_shortcut(search_ref.clone());
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let (load, reload) = use_load(
        (*query).clone(),
        |q| async move { api::search_medicines(&q).await },
    );
    let on_saved = {
        let (adding, query, reload, app) = (adding.clone(), query.clone(), reload.clone(), app.clone());
        Callback::from(move |row: MedicineRow| {
            app.dispatch(Action::Flash(format!("{} is in the clinic's catalog.", row.name)));
            adding.set(false);
            query.set(row.name.clone());
            reload.emit(());
        })
    };
    let add = {
        let adding = adding.clone();
        Callback::from(move |_: MouseEvent| adding.set(true))
    };
    html! {
        <div class="medicines">
            <div class="toolbar">
                <input ref={search_ref} class="search" type="search" data-testid="med-search"
                    placeholder="Search by name, generic name or composition (press /)" value={(*query).clone()}
                    oninput={{ let query = query.clone(); Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} />
                <button class="primary" data-testid="med-new" onclick={add.clone()}>{ "Add clinic medicine" }</button>
            </div>
            if *adding {
                <MedicineEditor on_saved={on_saved}
                    on_cancel={{ let adding = adding.clone(); Callback::from(move |_| adding.set(false)) }} />
            }
            { match &*load {
                Load::Loading => html! { <Skeleton rows={8} /> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                Load::Ready(rows) if rows.is_empty() => html! {
                    <Empty title="No medicine found" text="Check the spelling, or add the medicine to the clinic's own catalog.">
                        <button class="primary" onclick={add}>{ "Add clinic medicine" }</button>
                    </Empty>
                },
                Load::Ready(rows) => html! {
                    <table class="dense grid cols-meds" data-testid="med-list">
                        <thead><tr><th>{ "Medicine" }</th><th>{ "Generic / composition" }</th><th>{ "Forms" }</th>
                            <th>{ "Category" }</th><th>{ "Not with" }</th><th class="num">{ "Price" }</th><th>{ "Catalog" }</th></tr></thead>
                        <tbody>
                            { for rows.iter().map(|m| html! {
                                <tr data-testid="med-row" key={m.id.clone()}>
                                    <td><strong>{ medicine_title(m) }</strong></td>
                                    <td>{ m.generic_name.clone().unwrap_or_default() }<span class="muted small">{ format!(" {}", m.composition) }</span></td>
                                    <td>{ m.dosage_forms.join(", ") }</td>
                                    <td>{ m.category.clone().unwrap_or_default() }</td>
                                    <td class={classes!((!m.contraindications.is_empty()).then_some("warn"))}>{ m.contraindications.join(", ") }</td>
                                    <td class="num" data-testid="med-price">{ m.price_minor.map(|p| money.format(p)).unwrap_or_default() }</td>
                                    <td>{ if m.global {
                                        html! { <span class="chip" data-testid="med-badge">{ "Global" }</span> }
                                    } else {
                                        html! { <span class="chip blue" data-testid="med-badge">{ "Clinic" }</span> }
                                    } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    on_saved: Callback<MedicineRow>,
    on_cancel: Callback<()>,
}

const FIELDS: [&str; 8] = [
    "price",
    "name",
    "generic_name",
    "composition",
    "strength",
    "dosage_forms",
    "category",
    "contraindications",
];

#[function_component(MedicineEditor)]
fn medicine_editor(p: &EditorProps) -> Html {
    let app = use_app();
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let form = use_state(MedicineForm::default);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let edit = |apply: fn(&mut MedicineForm, String)| form_setter(&form, apply);
    let submit = {
        let (form, error, busy, saved) = (form.clone(), error.clone(), busy.clone(), p.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(fields) = form.validate(money) {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (form, error, busy, saved) = ((*form).clone(), error.clone(), busy.clone(), saved.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_medicine(&form).await {
                    Ok(row) => saved.emit(row),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card editor" onsubmit={submit} data-testid="med-form">
            <h2>{ "Add clinic medicine" }</h2>
            <div class="grid2">
                <Field id="med-name" label="Name" value={form.name.clone()} autofocus=true
                    on_input={edit(|f, v| f.name = v)} error={error_for(&error, "name")} />
                <Field id="med-generic" label="Generic name" value={form.generic_name.clone()}
                    on_input={edit(|f, v| f.generic_name = v)} error={error_for(&error, "generic_name")} />
            </div>
            <Field id="med-composition" label="Composition" value={form.composition.clone()} placeholder="Chlorhexidine 0.2%"
                on_input={edit(|f, v| f.composition = v)} error={error_for(&error, "composition")} />
            <div class="grid2">
                <Field id="med-strength" label="Strength" value={form.strength.clone()} placeholder="500 mg"
                    on_input={edit(|f, v| f.strength = v)} error={error_for(&error, "strength")} />
                <Field id="med-category" label="Category" value={form.category.clone()} placeholder="Antiseptic"
                    on_input={edit(|f, v| f.category = v)} error={error_for(&error, "category")} />
            </div>
            <Field id="med-price" label={format!("Price of one unit ({}, optional)", money.currency.code())}
                value={form.price.clone()} placeholder="12.50" hint="Bills suggest it when the medicine is prescribed at a visit."
                on_input={edit(|f, v| f.price = v)} error={error_for(&error, "price")} />
            <Field id="med-forms" label="Dosage forms" value={form.dosage_forms.clone()} hint="Separate with commas, e.g. tablet, syrup."
                on_input={edit(|f, v| f.dosage_forms = v)} error={error_for(&error, "dosage_forms")} />
            <Field id="med-contraindications" label="Not to be given with" value={form.contraindications.clone()}
                hint="Allergies or conditions, separated with commas; prescriptions warn about them."
                on_input={edit(|f, v| f.contraindications = v)} error={error_for(&error, "contraindications")} />
            if let Some(message) = form_error(&error, &FIELDS) {
                <p class="error" role="alert" data-testid="med-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="med-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="med-save" disabled={*busy}>{ "Add medicine" }</button>
            </div>
        </form>
    }
}
