//! Appointments: one day at a time (previous/next day, the date typed in
//! the clinic's style, Today), filtered by doctor and office, as a dense
//! table with status buttons; "Book appointment" opens the booking form
//! above the table.

pub mod book;
mod booking;
pub mod walk_in;

use chrono::Days;
use contract::screens::DoctorOption;
use contract::screens::appointments::{AppointmentRow, DayQuery, DayView};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::appointment_actions::StatusActions;
use crate::components::date_field::{DateField, DateForm, show_date, use_date_style};
use crate::components::doctor_select::doctor_label;
use crate::components::field::{Select, describe};
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::components::status::{appt_chip, appt_type_label, pending_marker};
use crate::hooks::{Load, in_control, list_keys, today, use_load};
use crate::state::{Action, use_app};

/// `#/appointments?date=…&book=1&patient=…`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DayParams {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub book: Option<u8>,
    #[serde(default)]
    pub patient: Option<String>,
}

/// Booked appointments and walk-ins of a day in one list, by time.
pub fn day_rows(day: &DayView) -> Vec<AppointmentRow> {
    let mut rows = day.appointments.clone();
    for q in &day.queue {
        if !rows.iter().any(|r| r.id == q.id) {
            rows.push(q.clone());
        }
    }
    rows.sort_by(|a, b| (&a.time, a.queue_number).cmp(&(&b.time, b.queue_number)));
    rows
}

fn shift(date: &str, forward: bool) -> String {
    let day = domain::date::parse_iso(date).unwrap_or_else(today);
    let moved = if forward {
        day.checked_add_days(Days::new(1))
    } else {
        day.checked_sub_days(Days::new(1))
    };
    moved.unwrap_or(day).to_string()
}

#[function_component(Appointments)]
pub fn appointments() -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let params = use_location()
        .and_then(|l| l.query::<DayParams>().ok())
        .unwrap_or_default();
    let style = use_date_style();
    let date = use_state(|| params.date.clone().unwrap_or_else(|| today().to_string()));
    // The day field's text as the form sees it (ISO once it reads as a
    // date); `date` moves only to days that read.
    let day_input = use_state(|| (*date).clone());
    let doctor = use_state(String::new);
    let office = use_state(String::new);
    let booking = use_state(|| params.book == Some(1));
    let book_patient = use_state(|| params.patient.clone());
    let selected = use_state(|| 0usize);
    let (doctors, _) = use_load((), |_| api::clinic_doctors());
    let (day, reload) = use_load(
        ((*date).clone(), (*doctor).clone(), (*office).clone()),
        |(date, d, o)| async move {
            let query = DayQuery {
                date,
                doctor_id: (!d.is_empty()).then_some(d),
                office_id: (!o.is_empty()).then_some(o),
            };
            api::day_view(&query).await
        },
    );
    let doctor_list: Vec<DoctorOption> = doctors.ready().cloned().unwrap_or_default();
    let rows = day.ready().map(day_rows).unwrap_or_default();
    let open = {
        let navigator = navigator.clone();
        Callback::from(move |row: AppointmentRow| {
            if let Some(n) = &navigator {
                n.push(&Route::PatientChart { id: row.patient_id });
            }
        })
    };
    let on_key = {
        let (selected, rows, open) = (selected.clone(), rows.clone(), open.clone());
        Callback::from(move |e: KeyboardEvent| {
            if !in_control(&e)
                && list_keys(&e, rows.len(), &selected)
                && let Some(row) = rows.get(*selected)
            {
                open.emit(row.clone());
            }
        })
    };
    let set_day = {
        let (date, day_input) = (date.clone(), day_input.clone());
        Callback::from(move |day: String| {
            day_input.set(day.clone());
            date.set(day);
        })
    };
    let go = |forward: Option<bool>| {
        let (date, set_day) = (date.clone(), set_day.clone());
        Callback::from(move |_: MouseEvent| {
            set_day.emit(match forward {
                Some(f) => shift(&date, f),
                None => today().to_string(),
            })
        })
    };
    let on_day = {
        let (day_input, set_day) = (day_input.clone(), set_day.clone());
        Callback::from(move |typed: String| match domain::date::parse_iso(&typed) {
            Some(_) => set_day.emit(typed),
            None => day_input.set(typed),
        })
    };
    let on_booked = {
        let (booking, set_day, reload, app, book_patient) = (
            booking.clone(),
            set_day.clone(),
            reload.clone(),
            app.clone(),
            book_patient.clone(),
        );
        Callback::from(move |row: AppointmentRow| {
            app.dispatch(Action::Flash(format!(
                "Booked {} for {} on {} at {}.",
                row.number,
                row.patient_name,
                show_date(&row.date, style, DateForm::Long),
                row.time
            )));
            booking.set(false);
            book_patient.set(None);
            set_day.emit(row.date.clone());
            reload.emit(());
        })
    };
    let open_booking = {
        let booking = booking.clone();
        Callback::from(move |_: MouseEvent| booking.set(true))
    };
    let book_date = if *date < today().to_string() {
        today().to_string()
    } else {
        (*date).clone()
    };
    html! {
        <section class="appointments" onkeydown={on_key}>
            <div class="toolbar wrap">
                <h1>{ "Appointments" }</h1>
                <div class="day-nav">
                    <button class="secondary small" data-testid="appt-prev-day" onclick={go(Some(false))} aria-label="Previous day">{ "‹" }</button>
                    <DateField id="appt-day" label="Day" inline=true value={(*day_input).clone()} on_input={on_day} />
                    <button class="secondary small" data-testid="appt-next-day" onclick={go(Some(true))} aria-label="Next day">{ "›" }</button>
                    <button class="secondary small" data-testid="appt-today" onclick={go(None)}>{ "Today" }</button>
                </div>
                { filters(&doctor_list, &doctor, &office) }
                <button class="primary" data-testid="book-appointment" onclick={open_booking.clone()}>{ "Book appointment" }</button>
            </div>
            <p class="muted day-title" data-testid="appt-day-title">{ show_date(&date, style, DateForm::Heading) }</p>
            if *booking {
                { match &*doctors {
                    Load::Loading => html! { <Skeleton rows={4} /> },
                    Load::Failed(e) => html! { <ErrorBox message={describe(e)} /> },
                    Load::Ready(list) => html! {
                        <book::BookForm doctors={list.clone()} date={book_date} patient_id={(*book_patient).clone()}
                            on_booked={on_booked}
                            on_cancel={{ let booking = booking.clone(); Callback::from(move |_| booking.set(false)) }} />
                    },
                } }
            }
            { match &*day {
                Load::Loading => html! { <Skeleton rows={8} /> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                Load::Ready(_) if rows.is_empty() => html! {
                    <Empty title="No appointments on this day" text="Book one for a patient, or pick another day.">
                        <button class="primary" onclick={open_booking}>{ "Book appointment" }</button>
                    </Empty>
                },
                Load::Ready(_) => day_table(&rows, *selected, &open, &reload),
            } }
        </section>
    }
}

fn filters(
    doctors: &[DoctorOption],
    doctor: &UseStateHandle<String>,
    office: &UseStateHandle<String>,
) -> Html {
    let mut doctor_options: Vec<(AttrValue, AttrValue)> = vec![("".into(), "All doctors".into())];
    doctor_options.extend(
        doctors
            .iter()
            .map(|d| (d.id.clone().into(), doctor_label(d).into())),
    );
    let mut office_options: Vec<(AttrValue, AttrValue)> = vec![("".into(), "All offices".into())];
    for d in doctors.iter().filter(|d| doctor.is_empty() || d.id == **doctor) {
        for o in &d.offices {
            if !office_options.iter().any(|(id, _)| id.as_str() == o.id) {
                office_options.push((o.id.clone().into(), o.name.clone().into()));
            }
        }
    }
    let on_doctor = {
        let (doctor, office) = (doctor.clone(), office.clone());
        Callback::from(move |v: String| {
            doctor.set(v);
            office.set(String::new());
        })
    };
    let on_office = {
        let office = office.clone();
        Callback::from(move |v: String| office.set(v))
    };
    html! {
        <div class="filters">
            <Select id="appt-filter-doctor" label="Doctor" value={(**doctor).clone()} options={doctor_options} on_change={on_doctor} />
            <Select id="appt-filter-office" label="Office" value={(**office).clone()} options={office_options} on_change={on_office} />
        </div>
    }
}

fn day_table(
    rows: &[AppointmentRow],
    selected: usize,
    open: &Callback<AppointmentRow>,
    reload: &Callback<()>,
) -> Html {
    let changed = reload.reform(|_: AppointmentRow| ());
    html! {
        <table class="dense grid cols-appts" data-testid="appt-list">
            <thead><tr>
                <th>{ "Time" }</th><th>{ "Number" }</th><th>{ "Patient" }</th><th>{ "Doctor" }</th><th>{ "Office" }</th>
                <th>{ "Type" }</th><th>{ "Reason" }</th><th>{ "Status" }</th><th>{ "" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().enumerate().map(|(i, row)| {
                    let r = row.clone();
                    html! {
                        <tr key={row.id.clone()} data-testid="appt-row" class={classes!((i == selected).then_some("selected"))}
                            onclick={open.reform(move |_| r.clone())}>
                            <td class="num">{ if row.time.is_empty() { "—".to_owned() } else { row.time.clone() } }</td>
                            <td data-testid="appt-number" class="mono">{ &row.number }</td>
                            <td>{ &row.patient_name }<span class="muted small">{ format!(" {}", row.patient_mobile) }</span></td>
                            <td>{ &row.doctor_name }</td>
                            <td>{ &row.office_name }</td>
                            <td>{ appt_type_label(row.appointment_type) }
                                if let Some(n) = row.queue_number { <span class="muted">{ format!(" #{n}") }</span> }</td>
                            <td>{ &row.reason }</td>
                            <td>{ appt_chip(row.status, "appt-status") }{ pending_marker(row.pending) }</td>
                            <td><StatusActions row={row.clone()} on_changed={changed.clone()} /></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
