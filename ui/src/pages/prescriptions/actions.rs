//! What can be done with a saved prescription: amend (a new draft copying
//! an issued one), status changes from the status machine, print preview,
//! print (records the printing, then the window's print dialog) and PDF
//! export (shows where the file was saved). The bar's state and its changes
//! are the reducer in `action_bar`.

use std::future::Future;

use contract::screens::prescriptions::PrescriptionView;
use domain::clinical::prescription::PrescriptionStatus;
use gloo_timers::callback::Timeout;
use yew::prelude::*;
use yew_router::prelude::*;

use super::action_bar::{Bar, BarAction, Doc};
use super::preview::{Preview, PrintCopy};

use crate::api;
use crate::api::ApiResult;
use crate::app::Route;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::components::states::{ErrorBox, Skeleton};
use crate::components::status::rx_action;
use crate::hooks::send;
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub view: PrescriptionView,
    /// The editor has unsaved changes (the preview shows the saved state).
    pub dirty: bool,
    pub on_changed: Callback<PrescriptionView>,
}

fn bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", n.div_ceil(1024))
    }
}

/// Runs one action of the bar: busy while it runs, its error shown, the
/// answer turned into the bar's next action by `done`.
fn run<T: 'static>(
    bar: &UseReducerHandle<Bar>,
    call: impl Future<Output = ApiResult<T>> + 'static,
    done: impl FnOnce(T) -> BarAction + 'static,
) {
    let bar = bar.dispatcher();
    bar.dispatch(BarAction::Working);
    wasm_bindgen_futures::spawn_local(async move {
        bar.dispatch(match call.await {
            Ok(answer) => done(answer),
            Err(e) => BarAction::Failed(describe(&e)),
        });
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
    let bar = use_reducer(Bar::default);
    let id = p.view.id.clone();
    {
        // Each preview request loads the saved prescription's pages.
        let (dispatch, id) = (bar.dispatcher(), id.clone());
        use_effect_with(bar.preview_request, move |request| {
            if *request > 0 {
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = api::print_preview(&id).await.map_err(|e| describe(&e));
                    dispatch.dispatch(BarAction::PreviewLoaded(answer));
                });
            }
        });
    }
    {
        // Print once the preview is on the page.
        let dispatch = bar.dispatcher();
        use_effect_with(bar.ready_to_print(), move |ready| {
            if *ready {
                dispatch.dispatch(BarAction::PrintShown);
                Timeout::new(50, || {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                })
                .forget();
            }
        });
    }
    let print = {
        let (bar, changed, id) = (bar.clone(), p.on_changed.clone(), id.clone());
        Callback::from(move |_: MouseEvent| {
            let (changed, id) = (changed.clone(), id.clone());
            run(
                &bar,
                async move { api::print_prescription(&id).await },
                move |v| {
                    changed.emit(v);
                    BarAction::Printed
                },
            );
        })
    };
    let export = {
        let (bar, id, app) = (bar.clone(), id.clone(), app.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, app) = (id.clone(), app.clone());
            run(
                &bar,
                async move { api::export_prescription_pdf(&id).await },
                move |file| {
                    app.dispatch(Action::Flash("PDF saved.".into()));
                    BarAction::Exported(file)
                },
            );
        })
    };
    let amend = {
        let (bar, id, app, navigator) = (bar.clone(), id.clone(), app.clone(), navigator.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, app, navigator) = (id.clone(), app.clone(), navigator.clone());
            run(
                &bar,
                async move { api::amend_prescription(&id).await },
                move |v| {
                    app.dispatch(Action::Flash(format!(
                        "{} is a new draft; change it and issue it.",
                        v.number
                    )));
                    if let Some(n) = &navigator {
                        n.push(&Route::Prescription { id: v.id });
                    }
                    BarAction::Done
                },
            );
        })
    };
    let set_status = {
        let (bar, changed, id) = (bar.clone(), p.on_changed.clone(), id.clone());
        Callback::from(move |to: PrescriptionStatus| {
            let (changed, id) = (changed.clone(), id.clone());
            run(
                &bar,
                async move { api::set_prescription_status(&id, to).await },
                move |v| {
                    changed.emit(v);
                    BarAction::StatusChanged
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
                send(&bar, BarAction::Ask(to))
            } else {
                set_status.reform(move |_: MouseEvent| to)
            };
            html! {
                <button type="button" class={if to == PrescriptionStatus::Cancelled { "secondary danger-text" } else { "secondary" }}
                    data-testid={format!("rx-status-{}", to.as_str())} disabled={bar.busy} onclick={onclick}>{ rx_action(to) }</button>
            }
        });
    html! {
        <div class="card rx-actions" data-testid="rx-actions">
            <div class="actions left">
                if issued {
                    <button type="button" class="secondary" data-testid="rx-amend" disabled={bar.busy} onclick={amend}>{ "Amend" }</button>
                }
                { for status_buttons }
                <span class="push" />
                <button type="button" class="secondary" data-testid="rx-preview-open" onclick={send(&bar, BarAction::TogglePreview)}
                    aria-expanded={bar.preview_open().to_string()}>
                    { if bar.preview_open() { "Close preview" } else { "Print preview" } }
                </button>
                if issued {
                    <button type="button" class="secondary" data-testid="rx-export-pdf" disabled={bar.busy} onclick={export}>{ "Export PDF" }</button>
                    <button type="button" class="primary" data-testid="rx-print" disabled={bar.busy} onclick={print}>{ "Print" }</button>
                }
            </div>
            if let Some(e) = &bar.error { <p class="error" role="alert" data-testid="rx-action-error">{ e }</p> }
            if let Some(file) = &bar.exported {
                <p class="notice-line">{ "PDF saved: " }<code data-testid="rx-exported-path">{ &file.path }</code>
                    <span class="muted">{ format!(" ({})", bytes(file.bytes)) }</span></p>
            }
            if p.dirty && bar.preview_open() {
                <p class="hint">{ "The preview shows the last saved version. Save the draft to see your changes." }</p>
            }
            { match &bar.doc {
                Doc::Closed => html! {},
                Doc::Loading => html! { <Skeleton rows={6} /> },
                Doc::Failed(message) => html! { <ErrorBox message={message.clone()} on_retry={send(&bar, BarAction::RetryPreview)} /> },
                Doc::Ready(d) => html! { <><Preview doc={d.clone()} /><PrintCopy doc={d.clone()} /></> },
            } }
            if let Some(to) = bar.asking {
                <Confirm title={format!("{}?", rx_action(to))} message={consequence(to).unwrap_or_default()}
                    confirm_label={rx_action(to)} danger={to == PrescriptionStatus::Cancelled} busy={bar.busy}
                    error={bar.error.clone().map(AttrValue::from)}
                    on_confirm={set_status.reform(move |_| to)}
                    on_cancel={send(&bar, BarAction::CancelAsk)} />
            }
        </div>
    }
}
