//! A patient's chart: details with allergies up front, emergency contact,
//! the family on the same mobile number, appointments and prescriptions,
//! and the next steps (book, prescribe).

use contract::app::{PatientForm, PatientRow};
use contract::screens::PatientChart;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::date_field::DateText;
use crate::components::field::describe;
use crate::components::patient_form::PatientEditor;
use crate::components::patient_picker::full_name;
use crate::components::referral::ReferralHistory;
use crate::components::states::{ErrorBox, Skeleton};
use crate::components::status::{appt_chip, gender_label, rx_chip};
use crate::hooks::{Load, today, use_synced_load};
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub id: String,
}

#[derive(Clone, PartialEq)]
enum Editing {
    None,
    Patient,
    Family,
}

#[derive(Clone, PartialEq, serde::Serialize)]
struct BookQuery {
    book: u8,
    patient: String,
}

#[derive(Clone, PartialEq, serde::Serialize)]
struct RxQuery {
    patient: String,
}

/// "34 y", or "8 mo" under two years, from `YYYY-MM-DD`.
pub fn age(dob: &str) -> String {
    use chrono::Datelike;
    let Ok(born) = chrono::NaiveDate::parse_from_str(dob, "%Y-%m-%d") else {
        return String::new();
    };
    let now = today();
    match now.years_since(born) {
        Some(y) if y >= 2 => format!("{y} y"),
        _ => {
            let months = (now.year() - born.year()) * 12 + now.month() as i32
                - born.month() as i32
                - i32::from(now.day() < born.day());
            format!("{} mo", months.max(0))
        }
    }
}

#[function_component(PatientChartPage)]
pub fn patient_chart_page(p: &ChartProps) -> Html {
    let app = use_app();
    let editing = use_state(|| Editing::None);
    let (load, reload) = use_synced_load(p.id.clone(), |id| async move { api::patient_chart(&id).await });
    let chart = match &*load {
        Load::Loading => {
            return html! { <section data-testid="patient-chart-loading"><Skeleton rows={10} /></section> };
        }
        Load::Failed(e) => return html! { <ErrorBox message={describe(e)} on_retry={reload} /> },
        Load::Ready(chart) => chart.clone(),
    };
    let on_saved = {
        let (editing, reload, app) = (editing.clone(), reload.clone(), app.clone());
        Callback::from(move |row: PatientRow| {
            app.dispatch(Action::Flash(format!("{} is saved.", row.first_name)));
            editing.set(Editing::None);
            reload.emit(());
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(Editing::None))
    };
    let set = |to: Editing| {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(to.clone()))
    };
    let patient = &chart.patient;
    let main_member = chart
        .family
        .iter()
        .find(|m| m.relationship == "self")
        .unwrap_or(patient);
    html! {
        <section class="chart">
            { header(&chart, set(Editing::Patient), crate::components::role_gate::is_clinical(&app)) }
            { match &*editing {
                Editing::Patient => html! {
                    <PatientEditor id={Some(patient.id.clone())} initial={PatientForm::from_row(patient)}
                        on_saved={on_saved.clone()} on_cancel={cancel.clone()} />
                },
                Editing::Family => html! {
                    <PatientEditor family_of={Some(full_name(main_member))}
                        initial={PatientForm { mobile_number: patient.mobile_number.clone(), ..PatientForm::default() }}
                        on_saved={on_saved.clone()} on_cancel={cancel.clone()} />
                },
                Editing::None => html! {},
            } }
            <div class="chart-grid">
                { family(&chart, set(Editing::Family)) }
                { appointments(&chart, crate::pages::billing::may_bill(&app)) }
                { prescriptions(&chart) }
                <crate::pages::billing::patient_bills::PatientBills patient_id={patient.id.clone()} />
                <ReferralHistory records={chart.referral_history.clone()} />
            </div>
        </section>
    }
}

fn header(chart: &PatientChart, on_edit: Callback<MouseEvent>, clinical: bool) -> Html {
    let p = &chart.patient;
    html! {
        <div class="card chart-head" data-testid="patient-chart">
            <div class="chart-title">
                <h1 data-testid="chart-name">{ full_name(p) }</h1>
                <span class="muted">{ format!("{} · {} · born ", age(&p.date_of_birth), gender_label(&p.gender)) }
                    <DateText date={p.date_of_birth.clone()} />{ format!(" · {}", p.mobile_number) }</span>
            </div>
            <div class="chips">
                if p.allergies.is_empty() {
                    <span class="chip" data-testid="chart-allergies">{ "No known allergies" }</span>
                } else {
                    <span class="chip red strong" data-testid="chart-allergies">{ format!("Allergies: {}", p.allergies.join(", ")) }</span>
                }
                <span class="chip" data-testid="chart-blood-group">{ format!("Blood group: {}", p.blood_group.clone().unwrap_or_else(|| "not known".into())) }</span>
                if let Some(name) = &p.emergency_contact_name {
                    <span class="chip" data-testid="chart-emergency">
                        { format!("Emergency: {name}{}", p.emergency_contact_phone.as_ref().map(|ph| format!(", {ph}")).unwrap_or_default()) }
                    </span>
                }
            </div>
            if let Some(notes) = &p.notes { if !notes.trim().is_empty() { <p class="notes">{ notes }</p> } }
            <div class="actions left">
                <Link<Route, BookQuery> to={Route::Appointments} query={Some(BookQuery { book: 1, patient: p.id.clone() })}
                    classes="button primary">
                    <span data-testid="chart-book-appointment">{ "Book appointment" }</span>
                </Link<Route, BookQuery>>
                if clinical {
                    <Link<Route, RxQuery> to={Route::NewPrescription} query={Some(RxQuery { patient: p.id.clone() })}
                        classes="button primary">
                        <span data-testid="chart-new-prescription">{ "New prescription" }</span>
                    </Link<Route, RxQuery>>
                }
                <button class="secondary" data-testid="chart-edit" onclick={on_edit}>{ "Edit details" }</button>
                if clinical {
                    <crate::components::fhir_export::FhirExport patient={AttrValue::from(p.id.clone())} label="Export (FHIR)" />
                }
            </div>
        </div>
    }
}

fn family(chart: &PatientChart, on_add: Callback<MouseEvent>) -> Html {
    let full = chart.family.len() >= domain::patient::MAX_FAMILY_MEMBERS;
    html! {
        <div class="card">
            <div class="card-head">
                <h2>{ format!("Family on {}", chart.patient.mobile_number) }</h2>
                <button class="secondary small" data-testid="chart-add-family" onclick={on_add} disabled={full}
                    title={full.then_some("At most 10 people can share one mobile number.")}>{ "Add family member" }</button>
            </div>
            if chart.family.iter().all(|m| m.id == chart.patient.id) {
                <p class="muted" data-testid="family-alone">{ format!(
                    "Only {} is registered on this number. Add the family members who share it.",
                    full_name(&chart.patient)
                ) }</p>
            } else {
            <table class="dense grid cols-family">
                <tbody>
                    { for chart.family.iter().map(|m| {
                        let this = m.id == chart.patient.id;
                        html! {
                            <tr data-testid="family-row" class={classes!(this.then_some("current"))}>
                                <td>
                                    if this { <strong>{ full_name(m) }</strong> }
                                    else { <Link<Route> to={Route::PatientChart { id: m.id.clone() }}>{ full_name(m) }</Link<Route>> }
                                </td>
                                <td data-testid="family-relationship">{ relationship(&m.relationship) }</td>
                                <td>{ age(&m.date_of_birth) }</td>
                                <td class={classes!((!m.allergies.is_empty()).then_some("warn"))}>{ m.allergies.join(", ") }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            }
        </div>
    }
}

fn relationship(raw: &str) -> &'static str {
    match raw {
        "spouse" => "Spouse",
        "child" => "Child",
        "parent" => "Parent",
        "sibling" => "Sibling",
        "other" => "Other",
        _ => "Main member",
    }
}

/// A visit that happened (or is happening) can be billed from its row.
fn billable(status: domain::clinical::appointment::AppointmentStatus) -> bool {
    use domain::clinical::appointment::AppointmentStatus::*;
    matches!(status, InProgress | Completed)
}

fn appointments(chart: &PatientChart, may_bill: bool) -> Html {
    html! {
        <div class="card">
            <h2>{ "Appointments" }</h2>
            if chart.appointments.is_empty() {
                <p class="muted">{ "No appointments yet. Use “Book appointment” above." }</p>
            } else {
                <table class="dense grid cols-chart-appts">
                    <thead><tr><th>{ "Date" }</th><th>{ "Time" }</th><th>{ "Doctor" }</th><th>{ "Reason" }</th><th>{ "Status" }</th></tr></thead>
                    <tbody>
                        { for chart.appointments.iter().map(|a| html! {
                            <tr data-testid="chart-appt-row">
                                <td><DateText date={a.date.clone()} /></td><td>{ &a.time }</td><td>{ &a.doctor_name }</td><td>{ &a.reason }</td>
                                <td>{ appt_chip(a.status, "chart-appt-status") }
                                    if let Some(from) = &a.rescheduled_from {
                                        <span class="muted small" data-testid="chart-appt-moved">{ format!(" moved from {from}") }</span>
                                    }
                                    if may_bill && billable(a.status) {
                                        { " " }<Link<Route, crate::pages::billing::BillQuery> to={Route::NewBill} classes="small"
                                            query={Some(crate::pages::billing::BillQuery { patient: a.patient_id.clone(), appointment: Some(a.id.clone()) })}>
                                            <span data-testid="chart-bill-visit">{ "Bill visit" }</span>
                                        </Link<Route, crate::pages::billing::BillQuery>>
                                    }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}

fn prescriptions(chart: &PatientChart) -> Html {
    html! {
        <div class="card">
            <h2>{ "Prescriptions" }</h2>
            if chart.prescriptions.is_empty() {
                <p class="muted">{ "No prescriptions yet. Use “New prescription” above." }</p>
            } else {
                <table class="dense grid cols-chart-rx">
                    <thead><tr><th>{ "Number" }</th><th>{ "Date" }</th><th>{ "Diagnosis" }</th><th>{ "Doctor" }</th><th>{ "Status" }</th></tr></thead>
                    <tbody>
                        { for chart.prescriptions.iter().map(|r| html! {
                            <tr data-testid="chart-rx-row">
                                <td><Link<Route> to={Route::Prescription { id: r.id.clone() }}>{ &r.number }</Link<Route>></td>
                                <td><DateText date={r.visit_date.clone()} /></td><td>{ &r.diagnosis }</td><td>{ &r.doctor_name }</td>
                                <td>{ rx_chip(r.status, "chart-rx-status") }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
