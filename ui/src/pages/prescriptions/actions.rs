//! What can be done with a saved prescription: amend (a new draft copying
//! an issued one), status changes from the status machine, print preview,
//! print (records the printing, then the window's print dialog) and PDF
//! export (shows where the file was saved).

use std::future::Future;

use contract::print::PageDoc;
use contract::screens::ExportedFile;
use contract::screens::prescriptions::PrescriptionView;
use domain::clinical::prescription::PrescriptionStatus;
use gloo_timers::callback::Timeout;
use yew::prelude::*;
use yew_router::prelude::*;

use super::preview::{Preview, PrintCopy};

use crate::api;
use crate::api::ApiResult;
use crate::app::Route;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::components::states::{ErrorBox, Skeleton};
use crate::components::status::rx_action;
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub view: PrescriptionView,
    /// The editor has unsaved changes (the preview shows the saved state).
    pub dirty: bool,
    pub on_changed: Callback<PrescriptionView>,
}

#[derive(Clone, PartialEq)]
enum Doc {
    Closed,
    Loading,
    Ready(PageDoc),
    Failed(String),
}

fn bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", n.div_ceil(1024))
    }
}

/// Runs one action of the bar: busy while it runs, its error shown (and
/// cleared on success), `done` with the answer.
fn run<T: 'static>(
    busy: &UseStateHandle<bool>,
    error: &UseStateHandle<Option<String>>,
    call: impl Future<Output = ApiResult<T>> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    let (busy, error) = (busy.clone(), error.clone());
    busy.set(true);
    wasm_bindgen_futures::spawn_local(async move {
        match call.await {
            Ok(answer) => {
                error.set(None);
                done(answer);
            }
            Err(e) => error.set(Some(describe(&e))),
        }
        busy.set(false);
    });
}

/// Why a status change needs a confirmation, if it does.
fn consequence(to: PrescriptionStatus) -> Option<&'static str> {
    match to {
        PrescriptionStatus::Cancelled => Some(
            "A cancelled prescription stays on record but can no longer be dispensed or printed as valid. This cannot be undone.",
        ),
        PrescriptionStatus::Completed => Some("The course is recorded as finished. This cannot be undone."),
        _ => None,
    }
}

#[function_component(RxActions)]
pub fn rx_actions(p: &ActionsProps) -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let doc = use_state(|| Doc::Closed);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let asking = use_state(|| None::<PrescriptionStatus>);
    let exported = use_state(|| None::<ExportedFile>);
    let print_now = use_state(|| false);
    let id = p.view.id.clone();
    let load_doc = {
        let (doc, id) = (doc.clone(), id.clone());
        Callback::from(move |_: ()| {
            doc.set(Doc::Loading);
            let (doc, id) = (doc.clone(), id.clone());
            wasm_bindgen_futures::spawn_local(async move {
                doc.set(match api::print_preview(&id).await {
                    Ok(d) => Doc::Ready(d),
                    Err(e) => Doc::Failed(describe(&e)),
                });
            });
        })
    };
    {
        // Print once the preview is on the page.
        let (print_now, ready) = (print_now.clone(), matches!(*doc, Doc::Ready(_)));
        use_effect_with((*print_now, ready), move |(now, ready)| {
            if *now && *ready {
                print_now.set(false);
                Timeout::new(50, || {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                })
                .forget();
            }
        });
    }
    let toggle_preview = {
        let (doc, load_doc) = (doc.clone(), load_doc.clone());
        Callback::from(move |_: MouseEvent| match *doc {
            Doc::Closed | Doc::Failed(_) => load_doc.emit(()),
            _ => doc.set(Doc::Closed),
        })
    };
    let print = {
        let (busy, error, doc, load_doc, print_now, changed, id) = (
            busy.clone(),
            error.clone(),
            doc.clone(),
            load_doc.clone(),
            print_now.clone(),
            p.on_changed.clone(),
            id.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (doc, load_doc, print_now, changed, id) = (
                doc.clone(),
                load_doc.clone(),
                print_now.clone(),
                changed.clone(),
                id.clone(),
            );
            run(
                &busy,
                &error,
                async move { api::print_prescription(&id).await },
                move |v| {
                    changed.emit(v);
                    if !matches!(*doc, Doc::Ready(_)) {
                        load_doc.emit(());
                    }
                    print_now.set(true);
                },
            );
        })
    };
    let export = {
        let (busy, error, exported, id, app) = (
            busy.clone(),
            error.clone(),
            exported.clone(),
            id.clone(),
            app.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (exported, id, app) = (exported.clone(), id.clone(), app.clone());
            run(
                &busy,
                &error,
                async move { api::export_prescription_pdf(&id).await },
                move |file| {
                    app.dispatch(Action::Flash("PDF saved.".into()));
                    exported.set(Some(file));
                },
            );
        })
    };
    let amend = {
        let (busy, error, id, app, navigator) = (
            busy.clone(),
            error.clone(),
            id.clone(),
            app.clone(),
            navigator.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (id, app, navigator) = (id.clone(), app.clone(), navigator.clone());
            run(
                &busy,
                &error,
                async move { api::amend_prescription(&id).await },
                move |v| {
                    app.dispatch(Action::Flash(format!(
                        "{} is a new draft; change it and issue it.",
                        v.number
                    )));
                    if let Some(n) = &navigator {
                        n.push(&Route::Prescription { id: v.id });
                    }
                },
            );
        })
    };
    let set_status = {
        let (busy, error, asking, changed, id, doc) = (
            busy.clone(),
            error.clone(),
            asking.clone(),
            p.on_changed.clone(),
            id.clone(),
            doc.clone(),
        );
        Callback::from(move |to: PrescriptionStatus| {
            let (asking, changed, id, doc) = (asking.clone(), changed.clone(), id.clone(), doc.clone());
            run(
                &busy,
                &error,
                async move { api::set_prescription_status(&id, to).await },
                move |v| {
                    asking.set(None);
                    doc.set(Doc::Closed);
                    changed.emit(v);
                },
            );
        })
    };
    let v = &p.view;
    let issued = v.status != PrescriptionStatus::Draft;
    let status_buttons = v
        .next
        .iter()
        .copied()
        .filter(|to| !(v.status == PrescriptionStatus::Draft && *to == PrescriptionStatus::Active))
        .map(|to| {
            let onclick = if consequence(to).is_some() {
                let asking = asking.clone();
                Callback::from(move |_: MouseEvent| asking.set(Some(to)))
            } else {
                set_status.reform(move |_: MouseEvent| to)
            };
            html! {
                <button type="button" class={if to == PrescriptionStatus::Cancelled { "secondary danger-text" } else { "secondary" }}
                    data-testid={format!("rx-status-{}", to.as_str())} disabled={*busy} onclick={onclick}>{ rx_action(to) }</button>
            }
        });
    html! {
        <div class="card rx-actions" data-testid="rx-actions">
            <div class="actions left">
                if issued {
                    <button type="button" class="secondary" data-testid="rx-amend" disabled={*busy} onclick={amend}>{ "Amend" }</button>
                }
                { for status_buttons }
                <span class="push" />
                <button type="button" class="secondary" data-testid="rx-preview-open" onclick={toggle_preview}
                    aria-expanded={(!matches!(*doc, Doc::Closed)).to_string()}>
                    { if matches!(*doc, Doc::Closed) { "Print preview" } else { "Close preview" } }
                </button>
                if issued {
                    <button type="button" class="secondary" data-testid="rx-export-pdf" disabled={*busy} onclick={export}>{ "Export PDF" }</button>
                    <button type="button" class="primary" data-testid="rx-print" disabled={*busy} onclick={print}>{ "Print" }</button>
                }
            </div>
            if let Some(e) = &*error { <p class="error" role="alert" data-testid="rx-action-error">{ e }</p> }
            if let Some(file) = &*exported {
                <p class="notice-line">{ "PDF saved: " }<code data-testid="rx-exported-path">{ &file.path }</code>
                    <span class="muted">{ format!(" ({})", bytes(file.bytes)) }</span></p>
            }
            if p.dirty && !matches!(*doc, Doc::Closed) {
                <p class="hint">{ "The preview shows the last saved version. Save the draft to see your changes." }</p>
            }
            { match &*doc {
                Doc::Closed => html! {},
                Doc::Loading => html! { <Skeleton rows={6} /> },
                Doc::Failed(message) => html! { <ErrorBox message={message.clone()} on_retry={load_doc.clone()} /> },
                Doc::Ready(d) => html! { <><Preview doc={d.clone()} /><PrintCopy doc={d.clone()} /></> },
            } }
            if let Some(to) = *asking {
                <Confirm title={format!("{}?", rx_action(to))} message={consequence(to).unwrap_or_default()}
                    confirm_label={rx_action(to)} danger={to == PrescriptionStatus::Cancelled} busy={*busy}
                    error={(*error).clone().map(AttrValue::from)}
                    on_confirm={set_status.reform(move |_| to)}
                    on_cancel={{ let asking = asking.clone(); Callback::from(move |_| asking.set(None)) }} />
            }
        </div>
    }
}
