//! The status buttons of one appointment, from the status machine's
//! `next`; cancelling asks once, with a reason; rescheduling opens the move
//! form (a new day and free time).

use contract::screens::appointments::{AppointmentRow, StatusChange};
use domain::clinical::appointment::AppointmentStatus;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::components::move_appointment::MoveAppointment;
use crate::components::status::appt_action;

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub row: AppointmentRow,
    pub on_changed: Callback<AppointmentRow>,
}

/// `#/prescriptions/new?patient=…&appointment=…`
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct PrescribeQuery {
    patient: String,
    appointment: String,
}

#[function_component(StatusActions)]
pub fn status_actions(p: &ActionsProps) -> Html {
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let cancelling = use_state(|| false);
    let moving = use_state(|| false);
    let change = {
        let (busy, error, cancelling, done, id) = (
            busy.clone(),
            error.clone(),
            cancelling.clone(),
            p.on_changed.clone(),
            p.row.id.clone(),
        );
        Callback::from(move |(to, reason): (AppointmentStatus, Option<String>)| {
            let change = StatusChange {
                id: id.clone(),
                to,
                reason,
            };
            if let Err(e) = change.validate() {
                error.set(Some(e.message));
                return;
            }
            let (busy, error, cancelling, done) =
                (busy.clone(), error.clone(), cancelling.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::set_appointment_status(&change).await {
                    Ok(row) => {
                        error.set(None);
                        cancelling.set(false);
                        done.emit(row);
                    }
                    Err(e) => error.set(Some(describe(&e))),
                }
                busy.set(false);
            });
        })
    };
    let row = &p.row;
    html! {
        <div class="row-actions" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
            { for row.next.iter().map(|to| {
                let to = *to;
                let onclick = if to == AppointmentStatus::Cancelled {
                    let cancelling = cancelling.clone();
                    Callback::from(move |_: MouseEvent| cancelling.set(true))
                } else if to == AppointmentStatus::Rescheduled {
                    let moving = moving.clone();
                    Callback::from(move |_: MouseEvent| moving.set(true))
                } else {
                    change.reform(move |_: MouseEvent| (to, None))
                };
                let class = match to {
                    AppointmentStatus::Cancelled | AppointmentStatus::NoShow => "small quiet",
                    _ => "small",
                };
                html! {
                    <button type="button" class={class} disabled={*busy}
                        data-testid={format!("appt-action-{}", to.as_str())} onclick={onclick}>{ appt_action(to) }</button>
                }
            }) }
            if matches!(row.status, AppointmentStatus::InProgress | AppointmentStatus::Completed) {
                <Link<Route, PrescribeQuery> to={Route::NewPrescription} classes="button small"
                    query={Some(PrescribeQuery { patient: row.patient_id.clone(), appointment: row.id.clone() })}>
                    <span data-testid="appt-prescribe">{ "Prescribe" }</span>
                </Link<Route, PrescribeQuery>>
            }
            if let Some(e) = &*error { if !*cancelling { <span class="error small" role="alert">{ e }</span> } }
            if *moving {
                <MoveAppointment row={row.clone()}
                    on_moved={{ let (m, done) = (moving.clone(), p.on_changed.clone()); Callback::from(move |r| { m.set(false); done.emit(r); }) }}
                    on_cancel={{ let m = moving.clone(); Callback::from(move |_| m.set(false)) }} />
            }
            if *cancelling {
                <Confirm title="Cancel this appointment?"
                    message={format!("{} at {} with {} will be cancelled and the time given free. This cannot be undone; book again if needed.",
                        row.patient_name, if row.time.is_empty() { "the queue".to_owned() } else { row.time.clone() }, row.doctor_name)}
                    confirm_label="Cancel appointment" cancel_label="Keep it" danger=true busy={*busy}
                    reason_label={Some(AttrValue::from("Reason for cancelling"))}
                    error={(*error).clone().map(AttrValue::from)}
                    on_confirm={change.reform(|reason| (AppointmentStatus::Cancelled, reason))}
                    on_cancel={{ let (c, e) = (cancelling.clone(), error.clone()); Callback::from(move |_| { e.set(None); c.set(false); }) }} />
            }
        </div>
    }
}
