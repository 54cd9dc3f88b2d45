//! Patients: search as you type by name or mobile, a dense list with
//! keyboard navigation (arrows, Enter opens the chart, `/` searches) and the
//! new-patient form. Works offline.

use contract::app::PatientRow;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::date_field::DateText;
use crate::components::field::describe;
use crate::components::patient_form::PatientEditor;
use crate::components::patient_picker::SEARCH_PAUSE_MS;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::components::status::gender_label;
use crate::hooks::{Load, list_keys, use_debounced, use_search_shortcut, use_synced_load};
use crate::state::{Action, use_app};

/// Rows the list shows; more matches ask for a longer search.
const LIST_ROWS: u32 = 100;

#[function_component(Patients)]
pub fn patients() -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let query = use_state(String::new);
    let adding = use_state(|| false);
    let selected = use_state(|| 0usize);
    let search_ref = use_node_ref();
    use_search_shortcut(search_ref.clone());
    let searched = use_debounced((*query).clone(), SEARCH_PAUSE_MS);
    let (load, reload) = use_synced_load(
        searched,
        |q| async move { api::search_patients(&q, LIST_ROWS).await },
    );
    let rows = load.ready().cloned().unwrap_or_default();
    let open = {
        let navigator = navigator.clone();
        Callback::from(move |row: PatientRow| {
            if let Some(n) = &navigator {
                n.push(&Route::PatientChart { id: row.id });
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
    let on_saved = {
        let (adding, reload, app) = (adding.clone(), reload.clone(), app.clone());
        Callback::from(move |row: PatientRow| {
            app.dispatch(Action::Flash(format!("{} is registered.", row.first_name)));
            adding.set(false);
            reload.emit(());
        })
    };
    let on_search = {
        let (query, selected) = (query.clone(), selected.clone());
        Callback::from(move |e: InputEvent| {
            selected.set(0);
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let open_import = {
        let navigator = yew_router::prelude::use_navigator();
        Callback::from(move |_| {
            if let Some(navigator) = &navigator {
                navigator.push(&crate::app::Route::ImportPatients);
            }
        })
    };
    let new_patient = {
        let adding = adding.clone();
        Callback::from(move |_| adding.set(true))
    };
    html! {
        <section class="patients">
            <div class="toolbar">
                <h1>{ "Patients" }</h1>
                <input ref={search_ref} class="search" type="search" placeholder="Search by name or mobile (press /)"
                    data-testid="patient-search" value={(*query).clone()} oninput={on_search} onkeydown={on_key.clone()} />
                <button data-testid="import-patients" onclick={open_import}>{ "Import…" }</button>
                <button class="primary" data-testid="new-patient" onclick={new_patient.clone()}>{ "New patient" }</button>
            </div>
            if *adding {
                <PatientEditor on_saved={on_saved}
                    on_cancel={{ let adding = adding.clone(); Callback::from(move |_| adding.set(false)) }} />
            }
            <div class="list" onkeydown={on_key} tabindex="0">
                { match &*load {
                    Load::Loading => html! { <Skeleton rows={8} /> },
                    Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                    Load::Ready(rows) if rows.is_empty() && query.is_empty() => html! {
                        <Empty title="No patients yet" text="Register the first patient of the clinic. It is saved on this PC and synced.">
                            <button class="primary" onclick={new_patient}>{ "New patient" }</button>
                        </Empty>
                    },
                    Load::Ready(rows) if rows.is_empty() => html! {
                        <Empty title="No match" text="No patient has that name or mobile number. Check the spelling, or register them.">
                            <button class="primary" onclick={new_patient}>{ "New patient" }</button>
                        </Empty>
                    },
                    Load::Ready(rows) => patient_table(rows, *selected, &open),
                } }
            </div>
        </section>
    }
}

fn patient_table(rows: &[PatientRow], selected: usize, open: &Callback<PatientRow>) -> Html {
    html! {
        <table class="dense grid cols-patients" data-testid="patient-list">
            <thead><tr><th>{ "Name" }</th><th>{ "Mobile" }</th><th>{ "Born" }</th><th>{ "Gender" }</th><th>{ "Allergies" }</th></tr></thead>
            <tbody>
                { for rows.iter().enumerate().map(|(i, row)| {
                    let r = row.clone();
                    let name = row.full_name();
                    html! {
                        <tr class={classes!((i == selected).then_some("selected"))} data-testid="patient-row"
                            onclick={open.reform(move |_| r.clone())}>
                            <td>{ name.trim().to_owned() }</td><td>{ &row.mobile_number }</td>
                            <td><DateText date={row.date_of_birth.clone()} /></td><td>{ gender_label(&row.gender) }</td>
                            <td class={classes!((!row.allergies.is_empty()).then_some("warn"))}>{ row.allergies.join(", ") }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
