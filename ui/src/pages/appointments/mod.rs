//! Appointments: one day at a time (previous/next day, the date typed in
//! the clinic's style, Today), filtered by doctor and office, as a dense
//! table with status buttons; "Book appointment" opens the booking form
//! above the table.

pub mod book;
mod booking;
mod day;
pub mod walk_in;

use contract::screens::DoctorOption;
use contract::screens::appointments::{AppointmentRow, DayQuery, DayView};
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use self::day::{DayAction, DayPage};
use crate::api;
use crate::app::Route;
use crate::components::appointment_actions::StatusActions;
use crate::components::date_field::{DateField, DateForm, show_date, use_date_style};
use crate::components::doctor_select::doctor_label;
use crate::components::field::{Select, describe};
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::components::status::{appt_chip, appt_type_label, pending_marker};
use crate::hooks::{Load, in_control, list_keys, send, send_with, today, use_synced_load};
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

#[function_component(Appointments)]
pub fn appointments() -> Html {
    let app = use_app();
    let navigator = use_navigator();
    let params = use_location()
        .and_then(|l| l.query::<DayParams>().ok())
        .unwrap_or_default();
    let style = use_date_style();
    let page = use_reducer(|| {
        DayPage::new(
            params.date.clone().unwrap_or_else(|| today().to_string()),
            params.book == Some(1),
            params.patient.clone(),
        )
    });
    let selected = use_state(|| 0usize);
    let (doctors, _) = use_synced_load((), |_| api::clinic_doctors());
    let (day, reload) = use_synced_load(
        (page.date.clone(), page.doctor.clone(), page.office.clone()),
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
    let on_day = send_with(&page, DayAction::Typed);
    let on_booked = {
        let (page, reload, app) = (page.dispatcher(), reload.clone(), app.clone());
        Callback::from(move |row: AppointmentRow| {
            app.dispatch(Action::Flash(format!(
                "Booked {} for {} on {} at {}.",
                row.number,
                row.patient_name,
                show_date(&row.date, style, DateForm::Long),
                row.time
            )));
            page.dispatch(DayAction::Booked(row.date.clone()));
            reload.emit(());
        })
    };
    html! {
        <section class="appointments" onkeydown={on_key}>
            <div class="toolbar wrap">
                <h1>{ "Appointments" }</h1>
                <div class="day-nav">
                    <button class="secondary small" data-testid="appt-prev-day" onclick={send(&page, DayAction::Shift(false))} aria-label="Previous day">{ "‹" }</button>
                    <DateField id="appt-day" label="Day" inline=true value={page.day_input.clone()} on_input={on_day} />
                    <button class="secondary small" data-testid="appt-next-day" onclick={send(&page, DayAction::Shift(true))} aria-label="Next day">{ "›" }</button>
                    <button class="secondary small" data-testid="appt-today" onclick={send(&page, DayAction::Go(today()))}>{ "Today" }</button>
                </div>
                { filters(&doctor_list, &page) }
                <button class="primary" data-testid="book-appointment" onclick={send(&page, DayAction::OpenBooking)}>{ "Book appointment" }</button>
            </div>
            <p class="muted day-title" data-testid="appt-day-title">{ show_date(&page.date, style, DateForm::Heading) }</p>
            if page.booking {
                { match &*doctors {
                    Load::Loading => html! { <Skeleton rows={4} /> },
                    Load::Failed(e) => html! { <ErrorBox message={describe(e)} /> },
                    Load::Ready(list) => html! {
                        <book::BookForm doctors={list.clone()} date={page.book_date(today())} patient_id={page.book_patient.clone()}
                            on_booked={on_booked}
                            on_cancel={send(&page, DayAction::CancelBooking)} />
                    },
                } }
            }
            { match &*day {
                Load::Loading => html! { <Skeleton rows={8} /> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                Load::Ready(_) if rows.is_empty() => html! {
                    <Empty title="No appointments on this day" text="Book one for a patient, or pick another day.">
                        <button class="primary" onclick={send(&page, DayAction::OpenBooking)}>{ "Book appointment" }</button>
                    </Empty>
                },
                Load::Ready(_) => day_table(&rows, *selected, &open, &reload),
            } }
        </section>
    }
}

fn filters(doctors: &[DoctorOption], page: &UseReducerHandle<DayPage>) -> Html {
    let mut doctor_options: Vec<(AttrValue, AttrValue)> = vec![("".into(), "All doctors".into())];
    doctor_options.extend(
        doctors
            .iter()
            .map(|d| (d.id.clone().into(), doctor_label(d).into())),
    );
    let mut office_options: Vec<(AttrValue, AttrValue)> = vec![("".into(), "All offices".into())];
    for d in doctors
        .iter()
        .filter(|d| page.doctor.is_empty() || d.id == page.doctor)
    {
        for o in &d.offices {
            if !office_options.iter().any(|(id, _)| id.as_str() == o.id) {
                office_options.push((o.id.clone().into(), o.name.clone().into()));
            }
        }
    }
    let on_doctor = send_with(page, DayAction::Doctor);
    let on_office = send_with(page, DayAction::Office);
    html! {
        <div class="filters">
            <Select id="appt-filter-doctor" label="Doctor" value={page.doctor.clone()} options={doctor_options} on_change={on_doctor} />
            <Select id="appt-filter-office" label="Office" value={page.office.clone()} options={office_options} on_change={on_office} />
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
