//! Billing a visit: the new-bill form (lines suggested from the visit, each
//! editable, the total as typed) and one bill with its payments.

pub mod invoice;
pub mod lines;
pub mod patient_bills;

use contract::app::CommandError;
use contract::screens::billing::{BillFor, InvoiceForm, LineForm};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{TextArea, describe, error_for};
use crate::components::states::{ErrorBox, Skeleton};
use crate::hooks::{Load, use_load};
use crate::state::{Action, use_app};

/// Query of the new-bill page: the patient, and the visit when billing one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BillQuery {
    pub patient: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<String>,
}

/// Whoever takes money at the desk (not nurses), as the PC and server enforce.
pub fn may_bill(app: &crate::state::AppState) -> bool {
    use domain::user::Role;
    app.session
        .as_ref()
        .is_some_and(|s| matches!(s.user.role, Role::Admin | Role::Doctor | Role::Receptionist))
}

#[function_component(NewBill)]
pub fn new_bill() -> Html {
    let query = use_location()
        .and_then(|l| l.query::<BillQuery>().ok())
        .unwrap_or_default();
    let (draft, reload) = use_load(query, |q| async move {
        api::bill_draft(&BillFor {
            patient_id: q.patient,
            appointment_id: q.appointment,
        })
        .await
    });
    match &*draft {
        Load::Loading => html! { <section data-testid="bill-loading"><Skeleton rows={6} /></section> },
        Load::Failed(e) => html! {
            <section class="bill">
                <h1>{ "New bill" }</h1>
                <ErrorBox message={describe(e)} on_retry={reload} />
            </section>
        },
        Load::Ready(form) => html! { <BillEditor initial={form.clone()} /> },
    }
}

/// A refusal no field of the form shows in place (the bill as a whole,
/// the visit already billed, a total too large, a failure to save).
fn unplaced(error: &Option<CommandError>) -> Option<String> {
    let e = error.as_ref()?;
    if e.fields.is_empty() {
        return Some(describe(e));
    }
    e.fields
        .iter()
        .find(|f| f.field != "notes" && !f.field.starts_with("lines."))
        .map(|f| f.message.clone())
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    initial: InvoiceForm,
}

#[function_component(BillEditor)]
fn bill_editor(p: &EditorProps) -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let form = use_state(|| p.initial.clone());
    let error = use_state(|| None::<CommandError>);
    let saving = use_state(|| false);
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let on_lines = {
        let form = form.clone();
        Callback::from(move |lines: Vec<LineForm>| {
            form.set(InvoiceForm {
                lines,
                ..(*form).clone()
            })
        })
    };
    let on_notes = {
        let form = form.clone();
        Callback::from(move |notes: String| {
            form.set(InvoiceForm {
                notes,
                ..(*form).clone()
            })
        })
    };
    let issue = {
        let (form, error, saving, app, navigator) = (
            form.clone(),
            error.clone(),
            saving.clone(),
            app.clone(),
            navigator.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Checked here first, with the same rules the PC applies.
            if let Err(fields) = form.validate(money) {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            saving.set(true);
            let (form, error, saving, app, navigator) = (
                form.clone(),
                error.clone(),
                saving.clone(),
                app.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::issue_invoice(&form).await {
                    Ok(bill) => {
                        app.dispatch(Action::Flash(format!("Bill {} is issued.", bill.row.number)));
                        if let Some(n) = &navigator {
                            n.replace(&Route::Invoice {
                                id: bill.row.id.clone(),
                            });
                        }
                    }
                    Err(e) => {
                        saving.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let cancel = {
        let (navigator, patient) = (navigator.clone(), form.patient_id.clone());
        Callback::from(move |_| {
            if let Some(n) = &navigator {
                n.push(&Route::PatientChart { id: patient.clone() });
            }
        })
    };
    let top_error = unplaced(&error);
    html! {
        <section class="bill">
            <h1>{ "New bill" }</h1>
            <form class="card" onsubmit={issue} novalidate=true data-testid="bill-form">
                <lines::LineTable lines={form.lines.clone()} {money} on_change={on_lines} error={(*error).clone()} />
                <TextArea id="bill-notes" label="Notes (printed on the bill)" value={form.notes.clone()}
                    on_input={on_notes} error={error_for(&error, "notes")} />
                if let Some(message) = top_error {
                    <p class="error" role="alert" data-testid="bill-error">{ message }</p>
                }
                <div class="actions">
                    <button type="button" class="secondary" onclick={cancel}>{ "Cancel" }</button>
                    <button type="submit" class="primary" data-testid="bill-issue" disabled={*saving}>
                        { if *saving { "Issuing…" } else { "Issue bill" } }
                    </button>
                </div>
            </form>
        </section>
    }
}
