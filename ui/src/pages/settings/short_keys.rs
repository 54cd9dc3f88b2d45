//! Short keys: the list (code, name, shared or private, uses, medicines),
//! create and edit, delete after one confirmation.

use contract::screens::catalog::ShortKeyRow;
use yew::prelude::*;

use super::short_key_form::ShortKeyEditor;
use crate::api;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::{Load, use_load};
use crate::state::{Action, use_app};

#[derive(Clone, PartialEq)]
enum Editing {
    None,
    New,
    Existing(Box<ShortKeyRow>),
}

#[function_component(ShortKeys)]
pub fn short_keys() -> Html {
    let app = use_app();
    let (load, reload) = use_load((), |_| api::short_keys());
    let editing = use_state(|| Editing::None);
    let deleting = use_state(|| None::<ShortKeyRow>);
    let delete_error = use_state(|| None::<String>);
    let on_saved = {
        let (editing, reload, app) = (editing.clone(), reload.clone(), app.clone());
        Callback::from(move |row: ShortKeyRow| {
            app.dispatch(Action::Flash(format!("Short key /{} is saved.", row.code)));
            editing.set(Editing::None);
            reload.emit(());
        })
    };
    let delete = {
        let (deleting, delete_error, reload, app) = (
            deleting.clone(),
            delete_error.clone(),
            reload.clone(),
            app.clone(),
        );
        Callback::from(move |_| {
            let Some(row) = (*deleting).clone() else { return };
            let (deleting, delete_error, reload, app) = (
                deleting.clone(),
                delete_error.clone(),
                reload.clone(),
                app.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::delete_short_key(&row.id).await {
                    Ok(()) => {
                        app.dispatch(Action::Flash(format!("Short key /{} is deleted.", row.code)));
                        deleting.set(None);
                        delete_error.set(None);
                        reload.emit(());
                    }
                    Err(e) => delete_error.set(Some(describe(&e))),
                }
            });
        })
    };
    let new = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(Editing::New))
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(Editing::None))
    };
    html! {
        <div class="short-keys">
            <div class="toolbar">
                <p class="muted grow">{ "Type /CODE in a prescription's medicine box to add every medicine of the key at once." }</p>
                <button class="primary" data-testid="sk-new" onclick={new.clone()}>{ "New short key" }</button>
            </div>
            { match &*editing {
                Editing::None => html! {},
                Editing::New => html! { <ShortKeyEditor on_saved={on_saved.clone()} on_cancel={cancel.clone()} /> },
                Editing::Existing(row) => html! {
                    <ShortKeyEditor key={row.id.clone()} existing={Some((**row).clone())} on_saved={on_saved.clone()} on_cancel={cancel.clone()} />
                },
            } }
            { match &*load {
                Load::Loading => html! { <Skeleton rows={5} /> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                Load::Ready(rows) if rows.is_empty() => html! {
                    <Empty title="No short keys yet" text="Make one for the medicines you prescribe together, e.g. /RCA after a root canal.">
                        <button class="primary" onclick={new}>{ "New short key" }</button>
                    </Empty>
                },
                Load::Ready(rows) => html! {
                    <table class="dense grid cols-keys" data-testid="sk-list">
                        <thead><tr><th>{ "Code" }</th><th>{ "Name" }</th><th>{ "For" }</th><th>{ "Uses" }</th><th>{ "Medicines" }</th><th /></tr></thead>
                        <tbody>
                            { for rows.iter().map(|row| {
                                let (edit_row, delete_row) = (row.clone(), row.clone());
                                let (editing, deleting) = (editing.clone(), deleting.clone());
                                html! {
                                    <tr data-testid="sk-row" key={row.id.clone()}>
                                        <td class="mono" data-testid="sk-row-code">{ format!("/{}", row.code) }</td>
                                        <td>{ &row.name }
                                            if let Some(d) = &row.description { <span class="muted small">{ format!(" — {d}") }</span> }</td>
                                        <td>{ if row.private { html! { <span class="chip">{ "Only me" }</span> } } else { html! { <span class="chip blue">{ "Whole clinic" }</span> } } }</td>
                                        <td class="num">{ row.usage_count }</td>
                                        <td>{ row.lines.iter().map(|l| l.medicine_name.clone()).collect::<Vec<_>>().join(", ") }</td>
                                        <td class="row-actions">
                                            if row.editable {
                                                <button class="small" data-testid="sk-edit"
                                                    onclick={Callback::from(move |_| editing.set(Editing::Existing(Box::new(edit_row.clone()))))}>{ "Edit" }</button>
                                                <button class="small quiet" data-testid="sk-delete"
                                                    onclick={Callback::from(move |_| deleting.set(Some(delete_row.clone())))}>{ "Delete" }</button>
                                            }
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                },
            } }
            if let Some(row) = &*deleting {
                <Confirm title={format!("Delete short key /{}?", row.code)}
                    message="Doctors will no longer be able to type it. Prescriptions already written keep their medicines."
                    confirm_label="Delete" danger=true error={(*delete_error).clone().map(AttrValue::from)}
                    on_confirm={delete.reform(|_| ())}
                    on_cancel={{ let (d, e) = (deleting.clone(), delete_error.clone()); Callback::from(move |_| { e.set(None); d.set(None); }) }} />
            }
        </div>
    }
}
