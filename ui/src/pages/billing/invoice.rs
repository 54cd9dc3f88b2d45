//! One bill: its lines and total, what has been paid and what is owed,
//! each payment with its receipt number; taking a payment and voiding a
//! bill nobody has paid on.

use contract::app::CommandError;
use contract::screens::billing::{InvoiceView, PaymentForm, VoidInvoice};
use domain::billing::{PaymentMode, PaymentState};
use domain::money::MoneyFormat;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::confirm::Confirm;
use crate::components::date_field::{DateText, MomentText};
use crate::components::field::{Field, Select, describe, error_for};
use crate::components::states::{ErrorBox, Skeleton};
use crate::components::status::bill_chip;
use crate::hooks::{Load, use_synced_load};
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct InvoiceProps {
    pub id: String,
}

#[function_component(InvoicePage)]
pub fn invoice_page(p: &InvoiceProps) -> Html {
    let app = use_app();
    let (load, reload) = use_synced_load(p.id.clone(), |id| async move { api::invoice(&id).await });
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let bill = match &*load {
        Load::Loading => {
            return html! { <section data-testid="invoice-loading"><Skeleton rows={8} /></section> };
        }
        Load::Failed(e) => return html! { <ErrorBox message={describe(e)} on_retry={reload} /> },
        Load::Ready(bill) => bill.clone(),
    };
    let may_bill = super::may_bill(&app);
    let owed = bill.row.outstanding_minor();
    let row = &bill.row;
    html! {
        <section class="bill" data-testid="invoice">
            <div class="toolbar">
                <h1 data-testid="invoice-number">{ format!("Bill {}", row.number) }</h1>
                { bill_chip(row.state, "invoice-state") }
            </div>
            <div class="card">
                <p class="muted">
                    <Link<Route> to={Route::PatientChart { id: row.patient_id.clone() }}>{ &row.patient_name }</Link<Route>>
                    { " · issued " }<DateText date={row.issued_on.clone()} />
                    if let Some(doctor) = &row.doctor_name { { format!(" · {doctor}") } }
                </p>
                { lines(&bill, money) }
                if let Some(notes) = &bill.notes { <p class="notes">{ notes }</p> }
                if let Some(why) = &bill.void_reason { <p class="warn" data-testid="invoice-void-reason">{ format!("Void: {why}") }</p> }
            </div>
            <Payments bill={bill.clone()} {money} />
            if may_bill && owed > 0 {
                <TakePayment invoice_id={row.id.clone()} {owed} {money} on_done={reload.clone()} />
            }
            if may_bill && row.paid_minor == 0 && row.state != PaymentState::Void {
                <VoidBill invoice_id={row.id.clone()} on_done={reload} />
            }
            if !may_bill && owed > 0 {
                <p class="muted">{ "Payments are taken by the clinic's admins, doctors and receptionists." }</p>
            }
        </section>
    }
}

fn lines(bill: &InvoiceView, money: MoneyFormat) -> Html {
    let row = &bill.row;
    html! {
        <table class="dense grid bill-lines" data-testid="invoice-lines">
            <thead><tr><th>{ "Description" }</th><th class="num">{ "Qty" }</th><th class="num">{ "Price" }</th><th class="num">{ "Amount" }</th></tr></thead>
            <tbody>
                { for bill.lines.iter().map(|l| html! {
                    <tr data-testid="invoice-line">
                        <td>{ &l.description }<span class="muted small">{ format!(" · {}", l.kind.title()) }</span></td>
                        <td class="num">{ l.quantity }</td>
                        <td class="num">{ money.format(l.unit_price_minor) }</td>
                        <td class="num">{ l.total_minor().map(|t| money.format(t)).unwrap_or_default() }</td>
                    </tr>
                }) }
            </tbody>
            <tfoot>
                <tr><td colspan="3">{ "Total" }</td><td class="num strong" data-testid="invoice-total">{ money.format(row.total_minor) }</td></tr>
                <tr><td colspan="3">{ "Paid" }</td><td class="num" data-testid="invoice-paid">{ money.format(row.paid_minor) }</td></tr>
                <tr><td colspan="3">{ "Still owed" }</td><td class="num strong" data-testid="invoice-owed">{ money.format(row.outstanding_minor()) }</td></tr>
                if row.overpaid_minor() > 0 {
                    <tr class="error"><td colspan="3">{ "Taken twice: give back to the patient" }</td>
                        <td class="num strong" data-testid="invoice-give-back">{ money.format(row.overpaid_minor()) }</td></tr>
                }
            </tfoot>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct PaymentsProps {
    bill: InvoiceView,
    money: MoneyFormat,
}

/// The payments taken, each with its receipt as a PDF.
#[function_component(Payments)]
fn payments(p: &PaymentsProps) -> Html {
    let app = use_app();
    let saved = use_state(|| None::<Result<String, String>>);
    let receipt = {
        let (saved, app) = (saved.clone(), app.clone());
        Callback::from(move |payment_id: String| {
            let (saved, app) = (saved.clone(), app.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::export_receipt_pdf(&payment_id).await {
                    Ok(file) => {
                        app.dispatch(Action::Flash("Receipt saved.".into()));
                        saved.set(Some(Ok(file.path)));
                    }
                    Err(e) => saved.set(Some(Err(describe(&e)))),
                }
            });
        })
    };
    let (bill, money) = (&p.bill, p.money);
    html! {
        <div class="card">
            <h2>{ "Payments" }</h2>
            if bill.payments.is_empty() {
                <p class="muted" data-testid="no-payments">{ "Nothing paid yet." }</p>
            } else {
                <table class="dense grid" data-testid="payment-list">
                    <thead><tr><th>{ "Receipt" }</th><th>{ "When" }</th><th>{ "Mode" }</th><th>{ "Reference" }</th>
                        <th>{ "Taken by" }</th><th class="num">{ "Amount" }</th><th /></tr></thead>
                    <tbody>
                        { for bill.payments.iter().map(|y| { let id = y.id.clone(); html! {
                            <tr data-testid="payment-row">
                                <td>{ &y.receipt_number }</td><td><MomentText at={y.paid_at.clone()} /></td>
                                <td>{ y.mode.title() }</td><td>{ y.reference.clone().unwrap_or_default() }</td>
                                <td>{ &y.received_by }</td><td class="num">{ money.format(y.amount_minor) }</td>
                                <td><button class="link" data-testid="payment-receipt" onclick={receipt.reform(move |_| id.clone())}>
                                    { "Receipt (PDF)" }</button></td>
                            </tr>
                        } }) }
                    </tbody>
                </table>
            }
            { match &*saved {
                Some(Ok(path)) => html! { <p class="notice-line">{ "Receipt saved: " }<code data-testid="receipt-path">{ path }</code></p> },
                Some(Err(why)) => html! { <p class="error" role="alert" data-testid="receipt-error">{ why }</p> },
                None => html! {},
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TakePaymentProps {
    invoice_id: String,
    owed: i64,
    money: MoneyFormat,
    on_done: Callback<()>,
}

/// The payment form: the amount starts at what is owed.
#[function_component(TakePayment)]
fn take_payment(p: &TakePaymentProps) -> Html {
    let app = use_app();
    let amount = use_state(|| p.money.number(p.owed.unsigned_abs()));
    let mode = use_state(|| PaymentMode::Cash);
    let reference = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let submit = {
        let form = PaymentForm {
            invoice_id: p.invoice_id.clone(),
            amount: (*amount).clone(),
            mode: *mode,
            reference: (*reference).clone(),
        };
        let (error, busy, done, app, money, owed) = (
            error.clone(),
            busy.clone(),
            p.on_done.clone(),
            app.clone(),
            p.money,
            p.owed,
        );
        let (amount, reference) = (amount.clone(), reference.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(fields) = form.validate(money, owed) {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            busy.set(true);
            let (form, error, busy, done, app) = (
                form.clone(),
                error.clone(),
                busy.clone(),
                done.clone(),
                app.clone(),
            );
            let (amount, reference) = (amount.clone(), reference.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::take_payment(&form).await;
                busy.set(false);
                match result {
                    Ok(bill) => {
                        let receipt = bill
                            .payments
                            .last()
                            .map(|y| y.receipt_number.clone())
                            .unwrap_or_default();
                        app.dispatch(Action::Flash(format!("Payment taken: receipt {receipt}.")));
                        error.set(None);
                        amount.set(money.number(bill.row.outstanding_minor().unsigned_abs()));
                        reference.set(String::new());
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let modes: Vec<(AttrValue, AttrValue)> = PaymentMode::ALL
        .into_iter()
        .map(|m| (AttrValue::from(m.as_str()), AttrValue::from(m.title())))
        .collect();
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |v: String| mode.set(PaymentMode::parse(&v).unwrap_or(PaymentMode::Cash)))
    };
    let unplaced = (*error).as_ref().filter(|e| e.fields.is_empty()).map(describe);
    html! {
        <form class="card payment-form" onsubmit={submit} novalidate=true data-testid="payment-form">
            <h2>{ "Take a payment" }</h2>
            <div class="row">
                <Field id="payment-amount" label={format!("Amount ({})", p.money.currency.code())} value={(*amount).clone()}
                    on_input={crate::components::field::setter(&amount)} error={error_for(&error, "amount")} />
                <Select id="payment-mode" label="Paid by" value={mode.as_str()} options={modes} on_change={on_mode} />
                <Field id="payment-reference" label="Reference (UPI or card slip, optional)" value={(*reference).clone()}
                    on_input={crate::components::field::setter(&reference)} error={error_for(&error, "reference")} />
            </div>
            if let Some(message) = unplaced { <p class="error" role="alert" data-testid="payment-error">{ message }</p> }
            <div class="actions">
                <button type="submit" class="primary" data-testid="payment-take" disabled={*busy}>
                    { if *busy { "Taking…" } else { "Take payment" } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct VoidProps {
    invoice_id: String,
    on_done: Callback<()>,
}

#[function_component(VoidBill)]
fn void_bill(p: &VoidProps) -> Html {
    let asking = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let confirm = {
        let (asking, error, done, id) = (
            asking.clone(),
            error.clone(),
            p.on_done.clone(),
            p.invoice_id.clone(),
        );
        Callback::from(move |reason: Option<String>| {
            let (asking, error, done) = (asking.clone(), error.clone(), done.clone());
            let args = VoidInvoice {
                invoice_id: id.clone(),
                reason: reason.unwrap_or_default(),
            };
            wasm_bindgen_futures::spawn_local(async move {
                match api::void_invoice(&args).await {
                    Ok(_) => {
                        asking.set(false);
                        done.emit(());
                    }
                    Err(e) => error.set(Some(describe(&e).into())),
                }
            });
        })
    };
    html! {
        <div class="actions left">
            <button class="secondary" data-testid="invoice-void" onclick={{ let a = asking.clone(); Callback::from(move |_| a.set(true)) }}>
                { "Void bill" }
            </button>
            if *asking {
                <Confirm title="Void this bill?" message="A void bill stays in the records and bills nothing. Bill the visit again if it was wrong."
                    confirm_label="Void bill" reason_label={Some(AttrValue::from("Why is it void?"))} danger=true
                    error={(*error).clone()} on_confirm={confirm}
                    on_cancel={{ let a = asking.clone(); Callback::from(move |_| a.set(false)) }} />
            }
        </div>
    }
}
