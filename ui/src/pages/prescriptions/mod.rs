//! Prescriptions: search (number, patient, diagnosis), the recent ones by
//! default, keyboard navigation; the editor and print preview live in the
//! sub-modules.

pub mod action_bar;
pub mod actions;
pub mod draft;
pub mod editor;
pub mod items;
pub mod medicine_box;
pub mod patient_panel;
pub mod preview;

use contract::screens::prescriptions::PrescriptionRow;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::date_field::{DateText, MomentText};
use crate::components::field::describe;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::components::status::rx_chip;
use crate::hooks::{Load, list_keys, use_search_shortcut, use_synced_load};

#[function_component(Prescriptions)]
pub fn prescriptions() -> Html {
    let navigator = use_navigator();
    let query = use_state(String::new);
    let selected = use_state(|| 0usize);
    let search_ref = use_node_ref();
    use_search_shortcut(search_ref.clone());
    let (load, reload) = use_synced_load((*query).clone(), |q| async move { api::prescriptions(&q).await });
    let rows = load.ready().cloned().unwrap_or_default();
    let open = {
        let navigator = navigator.clone();
        Callback::from(move |row: PrescriptionRow| {
            if let Some(n) = &navigator {
                n.push(&Route::Prescription { id: row.id });
            }
        })
    };
    let on_key = {
        let (selected, rows, open) = (selected.clone(), rows.clone(), open.clone());
        Callback::from(move |e: KeyboardEvent| {
            if list_keys(&e, rows.len(), &selected)
                && let Some(row) = rows.get(*selected)
            {
                open.emit(row.clone());
            }
        })
    };
    let on_search = {
        let (query, selected) = (query.clone(), selected.clone());
        Callback::from(move |e: InputEvent| {
            selected.set(0);
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let new = html! {
        <Link<Route> to={Route::NewPrescription} classes="button primary">
            <span data-testid="rx-new">{ "New prescription" }</span>
        </Link<Route>>
    };
    html! {
        <section class="prescriptions">
            <div class="toolbar">
                <h1>{ "Prescriptions" }</h1>
                <input ref={search_ref} class="search" type="search" data-testid="rx-search"
                    placeholder="Search by number, patient or diagnosis (press /)"
                    value={(*query).clone()} oninput={on_search} onkeydown={on_key.clone()} />
                { new.clone() }
            </div>
            <div class="list" onkeydown={on_key} tabindex="0">
                { match &*load {
                    Load::Loading => html! { <Skeleton rows={8} /> },
                    Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                    Load::Ready(rows) if rows.is_empty() && query.is_empty() => html! {
                        <Empty title="No prescriptions yet" text="Write one from a patient's chart, or start here and choose the patient.">
                            { new }
                        </Empty>
                    },
                    Load::Ready(rows) if rows.is_empty() => html! {
                        <Empty title="No match" text="No prescription has that number, patient or diagnosis." />
                    },
                    Load::Ready(rows) => table(rows, *selected, &open),
                } }
            </div>
        </section>
    }
}

fn table(rows: &[PrescriptionRow], selected: usize, open: &Callback<PrescriptionRow>) -> Html {
    html! {
        <table class="dense grid cols-rx" data-testid="rx-list">
            <thead><tr>
                <th>{ "Number" }</th><th>{ "Patient" }</th><th>{ "Doctor" }</th><th>{ "Date" }</th>
                <th>{ "Diagnosis" }</th><th>{ "Medicines" }</th><th>{ "Status" }</th><th>{ "Printed" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().enumerate().map(|(i, row)| {
                    let r = row.clone();
                    html! {
                        <tr data-testid="rx-row" class={classes!((i == selected).then_some("selected"))}
                            onclick={open.reform(move |_| r.clone())}>
                            <td class="mono" data-testid="rx-row-number">{ &row.number }</td>
                            <td>{ &row.patient_name }</td>
                            <td>{ &row.doctor_name }</td>
                            <td class="num"><DateText date={row.visit_date.clone()} /></td>
                            <td>{ &row.diagnosis }</td>
                            <td class="num">{ row.items }</td>
                            <td>{ rx_chip(row.status, "rx-row-status") }</td>
                            <td class="muted">if let Some(at) = &row.printed_at { { "✓ " }<MomentText at={at.clone()} /> }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
