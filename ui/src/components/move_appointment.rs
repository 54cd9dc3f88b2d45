//! Moving an appointment to another day or time: the day (not a past one)
//! and the doctor's free times that day for the same length; the old
//! appointment stays in the history as rescheduled. A clash refused by the
//! PC shows under the time.

use contract::app::CommandError;
use contract::screens::appointments::{AppointmentRow, RescheduleForm, SlotQuery};
use yew::prelude::*;

use crate::api;
use crate::components::date_field::{DateField, DateText};
use crate::components::field::{error_any, form_error};
use crate::components::free_times::slot_buttons;
use crate::hooks::{today, use_load};

#[derive(Properties, PartialEq)]
pub struct MoveProps {
    pub row: AppointmentRow,
    pub on_moved: Callback<AppointmentRow>,
    pub on_cancel: Callback<()>,
}

const FIELDS: [&str; 5] = ["date", "appointment_date", "time", "appointment_time", "id"];

#[function_component(MoveAppointment)]
pub fn move_appointment(p: &MoveProps) -> Html {
    let form = {
        let (id, date) = (p.row.id.clone(), p.row.date.clone().max(today().to_string()));
        use_state(move || RescheduleForm {
            id,
            date,
            time: String::new(),
        })
    };
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let query = (
        p.row.doctor_id.clone(),
        form.date.clone(),
        p.row.duration_minutes,
        p.row.office_id.clone(),
    );
    let (slots, _) = use_load(
        query,
        |(doctor_id, date, duration_minutes, office_id)| async move {
            if domain::date::parse_iso(&date).is_none() {
                return Ok(None);
            }
            api::free_slots(&SlotQuery {
                doctor_id,
                date,
                duration_minutes,
                office_id: Some(office_id),
            })
            .await
            .map(Some)
        },
    );
    let edit = |apply: fn(&mut RescheduleForm, String)| {
        let form = form.clone();
        Callback::from(move |text: String| {
            let mut next = (*form).clone();
            apply(&mut next, text);
            form.set(next);
        })
    };
    let submit = {
        let (form, error, busy, done) = (form.clone(), error.clone(), busy.clone(), p.on_moved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (form, error, busy, done) = ((*form).clone(), error.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::reschedule_appointment(&form).await {
                    Ok(row) => {
                        error.set(None);
                        done.emit(row);
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let row = &p.row;
    html! {
        <div class="modal-backdrop" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
        <form class="modal move-appointment" role="dialog" aria-modal="true" aria-labelledby="move-title" onsubmit={submit}
            data-testid="move-form">
            <h2 id="move-title">{ "Move appointment" }</h2>
            <p class="hint">{ format!("{} with {}, {} min, now on ", row.patient_name, row.doctor_name, row.duration_minutes) }
                <DateText date={row.date.clone()} />{ format!(" at {}. It stays in the history as rescheduled.", row.time) }</p>
            <DateField id="move-date" label="New date" value={form.date.clone()}
                on_input={edit(|f, v| { f.date = v; f.time.clear(); })} error={error_any(&error, &["date", "appointment_date"])} />
            { slot_buttons(&slots, &form.time, edit(|f, v| f.time = v)) }
            if let Some(message) = error_any(&error, &["time", "appointment_time"]) {
                <p class="error" role="alert" data-testid="move-time-error">{ message }</p>
            }
            if let Some(message) = form_error(&error, &FIELDS) {
                <p class="error" role="alert" data-testid="move-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="move-cancel"
                    onclick={p.on_cancel.reform(|_| ())}>{ "Keep it" }</button>
                <button type="submit" class="primary" disabled={*busy || form.time.is_empty()}
                    data-testid="move-submit">{ "Move appointment" }</button>
            </div>
        </form>
        </div>
    }
}
