//! Today (home): the day's appointments per doctor and office, and the
//! walk-in queue with its numbers and "Add walk-in".

use contract::screens::appointments::{AppointmentRow, DayQuery, DayView};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::appointment_actions::StatusActions;
use crate::components::date_field::{DateForm, show_date, use_date_style};
use crate::components::field::describe;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::components::status::{appt_chip, pending_marker};
use crate::hooks::{Load, today as today_date, use_interval, use_synced_load};
use crate::pages::appointments::walk_in::WalkInEditor;
use crate::state::{Action, use_app};

#[function_component(Today)]
pub fn today() -> Html {
    let app = use_app();
    let style = use_date_style();
    let adding = use_state(|| false);
    let date = today_date().to_string();
    let (doctors, _) = use_synced_load((), |_| api::clinic_doctors());
    let (day, reload) = use_synced_load(date.clone(), |date| async move {
        api::day_view(&DayQuery {
            date,
            ..DayQuery::default()
        })
        .await
    });
    // Other desks and PCs change the day too: refresh every half minute.
    use_interval(30_000, reload.clone());
    let name = app
        .session
        .as_ref()
        .map(|s| s.user.full_name.clone())
        .unwrap_or_default();
    let on_added = {
        let (adding, reload, app) = (adding.clone(), reload.clone(), app.clone());
        Callback::from(move |row: AppointmentRow| {
            let number = row
                .queue_number
                .map(|n| format!("number {n}"))
                .unwrap_or_default();
            app.dispatch(Action::Flash(format!(
                "{} joins the queue, {number}.",
                row.patient_name
            )));
            adding.set(false);
            reload.emit(());
        })
    };
    let add = {
        let adding = adding.clone();
        Callback::from(move |_: MouseEvent| adding.set(true))
    };
    html! {
        <section data-testid="today" class="today">
            <div class="toolbar">
                <h1>{ format!("Today — {}", show_date(&date, style, DateForm::Heading)) }</h1>
                <span class="muted">{ format!("Signed in as {name}") }</span>
                <button class="primary push" data-testid="walk-in-add" onclick={add.clone()}>{ "Add walk-in" }</button>
            </div>
            if *adding {
                { match &*doctors {
                    Load::Loading => html! { <Skeleton rows={4} /> },
                    Load::Failed(e) => html! { <ErrorBox message={describe(e)} /> },
                    Load::Ready(list) => html! {
                        <WalkInEditor doctors={list.clone()} on_added={on_added}
                            on_cancel={{ let adding = adding.clone(); Callback::from(move |_| adding.set(false)) }} />
                    },
                } }
            }
            { match &*day {
                Load::Loading => html! { <div class="today-grid"><Skeleton rows={6} /><Skeleton rows={6} /></div> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                Load::Ready(view) => html! {
                    <div class="today-grid">
                        { booked(view, &reload) }
                        { queue(view, &reload, add) }
                    </div>
                },
            } }
        </section>
    }
}

/// Booked appointments grouped by doctor and office, in time order.
fn booked(view: &DayView, reload: &Callback<()>) -> Html {
    let rows: Vec<&AppointmentRow> = view
        .appointments
        .iter()
        .filter(|a| !view.queue.iter().any(|q| q.id == a.id))
        .collect();
    let mut groups: Vec<((String, String), Vec<&AppointmentRow>)> = Vec::new();
    for row in rows {
        let key = (row.doctor_name.clone(), row.office_name.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(row),
            None => groups.push((key, vec![row])),
        }
    }
    let changed = reload.reform(|_: AppointmentRow| ());
    html! {
        <div class="today-booked">
            <h2>{ "Appointments" }</h2>
            if groups.is_empty() {
                <Empty title="No appointments today" text="Book appointments on the Appointments page; walk-ins join the queue.">
                    <Link<Route> to={Route::Appointments} classes="button primary">{ "Open appointments" }</Link<Route>>
                </Empty>
            }
            { for groups.iter().map(|((doctor, office), list)| html! {
                <div class="card group" data-testid="today-group">
                    <div class="card-head">
                        <h3>{ format!("{doctor} · {office}") }</h3>
                        <span class="muted">{ format!("{} booked", list.len()) }</span>
                    </div>
                    <table class="dense grid cols-today">
                        <tbody>
                            { for list.iter().map(|row| html! {
                                <tr key={row.id.clone()} data-testid="appt-row">
                                    <td class="num">{ &row.time }</td>
                                    <td><Link<Route> to={Route::PatientChart { id: row.patient_id.clone() }}>{ &row.patient_name }</Link<Route>></td>
                                    <td class="muted">{ &row.reason }</td>
                                    <td data-testid="appt-number" class="mono small">{ &row.number }</td>
                                    <td>{ appt_chip(row.status, "appt-status") }{ pending_marker(row.pending) }</td>
                                    <td><StatusActions row={(*row).clone()} on_changed={changed.clone()} /></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }) }
        </div>
    }
}

fn queue(view: &DayView, reload: &Callback<()>, add: Callback<MouseEvent>) -> Html {
    let changed = reload.reform(|_: AppointmentRow| ());
    let mut rows = view.queue.clone();
    rows.sort_by_key(|r| r.queue_number.unwrap_or(u32::MAX));
    html! {
        <div class="today-queue">
            <h2>{ "Walk-in queue" }</h2>
            if rows.is_empty() {
                <Empty title="Nobody waiting" text="When a patient walks in, add them to the queue; they get the next number.">
                    <button class="primary" onclick={add}>{ "Add walk-in" }</button>
                </Empty>
            } else {
                <ol class="queue" data-testid="walk-in-queue">
                    { for rows.iter().map(|row| html! {
                        <li key={row.id.clone()} data-testid="walk-in-row" class={classes!("card", row.status.is_final().then_some("done"))}>
                            <span class="queue-number" data-testid="walk-in-number">
                                { row.queue_number.map(|n| n.to_string()).unwrap_or_else(|| "—".into()) }
                            </span>
                            <div class="queue-main">
                                <Link<Route> to={Route::PatientChart { id: row.patient_id.clone() }}>{ &row.patient_name }</Link<Route>>
                                <span class="muted small">{ format!("{} · {} · {}", row.doctor_name, row.office_name, row.reason) }</span>
                            </div>
                            <div class="queue-side">
                                { appt_chip(row.status, "appt-status") }{ pending_marker(row.pending) }
                                <StatusActions row={row.clone()} on_changed={changed.clone()} />
                            </div>
                        </li>
                    }) }
                </ol>
            }
        </div>
    }
}
