//! The booking form: patient search, doctor and office, date, duration,
//! the doctor's free times as buttons (a click fills the time), reason and
//! notes. A clash refused by the PC shows under the time.

use contract::app::{CommandError, PatientRow};
use contract::screens::DoctorOption;
use contract::screens::appointments::{AppointmentForm, AppointmentRow, SlotQuery};
use yew::prelude::*;

use crate::api;
use crate::components::date_field::DateField;
use crate::components::doctor_select::{DoctorOffice, default_choice};
use crate::components::field::{Field, TextArea, error_any, error_for, form_error};
use crate::components::free_times::slot_buttons;
use crate::components::patient_picker::PatientPicker;
use crate::components::states::Empty;
use crate::hooks::{today, use_load};

use super::booking::{Booking, BookingAction};

#[derive(Properties, PartialEq)]
pub struct BookProps {
    pub doctors: Vec<DoctorOption>,
    /// The day the form starts on (`YYYY-MM-DD`).
    pub date: String,
    /// Pre-chosen patient (from a chart).
    #[prop_or_default]
    pub patient_id: Option<String>,
    pub on_booked: Callback<AppointmentRow>,
    pub on_cancel: Callback<()>,
}

const FIELDS: [&str; 11] = [
    "patient_id",
    "doctor_id",
    "office_id",
    "date",
    "appointment_date",
    "time",
    "appointment_time",
    "duration_minutes",
    "reason",
    "notes",
    "status",
];

#[function_component(BookForm)]
pub fn book_form(p: &BookProps) -> Html {
    let state = {
        let (doctors, date, patient_id) = (p.doctors.clone(), p.date.clone(), p.patient_id.clone());
        use_reducer(move || Booking::start(&doctors, &date, patient_id, default_choice(&doctors)))
    };
    {
        // A patient chosen on their chart: show who it is.
        let state = state.dispatcher();
        use_effect_with(p.patient_id.clone(), move |id| {
            if let Some(id) = id.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(chart) = api::patient_chart(&id).await {
                        state.dispatch(BookingAction::Patient(Some(Box::new(chart.patient))));
                    }
                });
            }
        });
    }
    let form = &state.form;
    let slot_query = (
        form.doctor_id.clone(),
        form.date.clone(),
        form.duration_minutes.clone(),
        form.office_id.clone(),
    );
    // `None`: not enough to ask yet (no doctor, no full date, too short).
    let (slots, reload_slots) = use_load(slot_query, |(doctor_id, date, minutes, office_id)| async move {
        let duration_minutes = minutes.trim().parse::<u32>().unwrap_or(0);
        let day = domain::date::parse_iso(&date);
        if doctor_id.is_empty() || day.is_none() || duration_minutes < 10 {
            return Ok(None);
        }
        api::free_slots(&SlotQuery {
            doctor_id,
            date: date.trim().to_owned(),
            duration_minutes,
            office_id: (!office_id.is_empty()).then_some(office_id),
        })
        .await
        .map(Some)
    });
    if p.doctors.is_empty() {
        return html! {
            <Empty title="No doctors yet" text="Appointments need a doctor. The clinic's admin adds doctors under Admin.">
                <button class="secondary" onclick={p.on_cancel.reform(|_| ())}>{ "Close" }</button>
            </Empty>
        };
    }
    let edit = |apply: fn(&mut AppointmentForm, String)| {
        let state = state.dispatcher();
        Callback::from(move |text: String| state.dispatch(BookingAction::Edit(apply, text)))
    };
    let on_patient = {
        let state = state.dispatcher();
        Callback::from(move |row: Option<PatientRow>| {
            state.dispatch(BookingAction::Patient(row.map(Box::new)))
        })
    };
    let on_doctor = {
        let (state, doctors) = (state.dispatcher(), p.doctors.clone());
        Callback::from(move |(doctor_id, office_id): (String, String)| {
            let minutes = doctors
                .iter()
                .find(|d| d.id == doctor_id)
                .map(|d| d.consultation_minutes);
            state.dispatch(BookingAction::Doctor {
                doctor_id,
                office_id,
                minutes,
            });
        })
    };
    let submit = {
        let (state, done, reload_slots) = (state.clone(), p.on_booked.clone(), reload_slots.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(fields) = state.form.validate(today()) {
                state.dispatch(BookingAction::Invalid(CommandError::invalid(fields)));
                return;
            }
            let (form, state, done, reload_slots) = (
                state.form.clone(),
                state.dispatcher(),
                done.clone(),
                reload_slots.clone(),
            );
            state.dispatch(BookingAction::Sending);
            wasm_bindgen_futures::spawn_local(async move {
                match api::book_appointment(&form).await {
                    Ok(row) => done.emit(row),
                    Err(e) => {
                        // The time may have been taken meanwhile: refresh the free times.
                        reload_slots.emit(());
                        state.dispatch(BookingAction::Refused(e));
                    }
                }
            });
        })
    };
    let error = &state.error;
    html! {
        <form class="card editor" onsubmit={submit} data-testid="appt-form">
            <h2>{ "Book appointment" }</h2>
            <PatientPicker prefix="appt-patient" selected={state.patient.clone()} on_select={on_patient}
                autofocus={p.patient_id.is_none()} error={error_for(error, "patient_id")} />
            <DoctorOffice prefix="appt" doctors={p.doctors.clone()} doctor_id={form.doctor_id.clone()}
                office_id={form.office_id.clone()} on_change={on_doctor}
                doctor_error={error_for(error, "doctor_id")} office_error={error_for(error, "office_id")} />
            <div class="grid2">
                <DateField id="appt-date" label="Date" value={form.date.clone()}
                    on_input={edit(|f, v| { f.date = v; f.time.clear(); })} error={error_any(error, &["date", "appointment_date"])} />
                <Field id="appt-duration" label="Minutes" kind="number" value={form.duration_minutes.clone()}
                    on_input={edit(|f, v| f.duration_minutes = v)} error={error_for(error, "duration_minutes")} />
            </div>
            { slot_buttons(&slots, &form.time, edit(|f, v| f.time = v)) }
            <Field id="appt-time" label="Time" value={form.time.clone()} placeholder="HH:MM"
                hint="24-hour clock, e.g. 14:30. Pick a free time above or type one."
                on_input={edit(|f, v| f.time = v)} error={error_any(error, &["time", "appointment_time"])} />
            <Field id="appt-reason" label="Reason for the visit" value={form.reason.clone()}
                on_input={edit(|f, v| f.reason = v)} error={error_for(error, "reason")} />
            <TextArea id="appt-notes" label="Notes (optional)" value={form.notes.clone()}
                on_input={edit(|f, v| f.notes = v)} error={error_for(error, "notes")} />
            if let Some(message) = form_error(error, &FIELDS) {
                <p class="error" role="alert" data-testid="appt-error">{ message }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="appt-cancel" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" data-testid="appt-save" disabled={state.busy}>{ "Book" }</button>
            </div>
        </form>
    }
}
