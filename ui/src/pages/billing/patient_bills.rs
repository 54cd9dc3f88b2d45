//! A patient's bills on their chart: number, date, total, what is still
//! owed and whether it is paid; a new bill from here for billing roles.

use contract::screens::billing::InvoiceRow;
use yew::prelude::*;
use yew_router::prelude::*;

use super::BillQuery;
use crate::api;
use crate::app::Route;
use crate::components::date_field::DateText;
use crate::components::field::describe;
use crate::components::states::{ErrorBox, Skeleton};
use crate::components::status::bill_chip;
use crate::hooks::{Load, use_synced_load};
use crate::state::use_app;

#[derive(Properties, PartialEq)]
pub struct PatientBillsProps {
    pub patient_id: String,
}

#[function_component(PatientBills)]
pub fn patient_bills(p: &PatientBillsProps) -> Html {
    let app = use_app();
    let (load, reload) = use_synced_load(p.patient_id.clone(), |id| async move {
        api::patient_invoices(&id).await
    });
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let body = match &*load {
        Load::Loading => html! { <Skeleton rows={2} /> },
        Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload} /> },
        Load::Ready(rows) if rows.is_empty() => html! {
            <p class="muted" data-testid="no-bills">{ "No bills yet. Bill a visit from its appointment above." }</p>
        },
        Load::Ready(rows) => html! {
            <table class="dense grid" data-testid="bill-list">
                <thead><tr><th>{ "Number" }</th><th>{ "Date" }</th><th class="num">{ "Total" }</th><th class="num">{ "Owed" }</th><th>{ "State" }</th></tr></thead>
                <tbody>{ for rows.iter().map(|r: &InvoiceRow| html! {
                    <tr data-testid="bill-row">
                        <td><Link<Route> to={Route::Invoice { id: r.id.clone() }}>{ &r.number }</Link<Route>></td>
                        <td><DateText date={r.issued_on.clone()} /></td>
                        <td class="num">{ money.format(r.total_minor) }</td>
                        <td class="num">{ money.format(r.outstanding_minor()) }</td>
                        <td>{ bill_chip(r.state, "bill-state") }</td>
                    </tr>
                }) }</tbody>
            </table>
        },
    };
    html! {
        <div class="card">
            <div class="card-head">
                <h2>{ "Bills" }</h2>
                if super::may_bill(&app) {
                    <Link<Route, BillQuery> to={Route::NewBill} classes="button secondary small"
                        query={Some(BillQuery { patient: p.patient_id.clone(), appointment: None })}>
                        <span data-testid="chart-new-bill">{ "New bill" }</span>
                    </Link<Route, BillQuery>>
                }
            </div>
            { body }
        </div>
    }
}
