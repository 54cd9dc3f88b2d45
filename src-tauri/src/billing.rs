//! Commands of billing: a visit's bill, its payments and voiding, and the
//! reports of money and visits. One call each on the managed `AppCore`.

use client::app::AppCore;
use contract::app::CommandError;
use contract::{Command, cmd};
use tauri::State;

type Core<'a> = State<'a, AppCore>;
type Args<C> = <C as Command>::Args;
type Answer<C> = Result<<C as Command>::Output, CommandError>;

#[tauri::command]
pub async fn bill_draft(core: Core<'_>, args: Args<cmd::BillDraft>) -> Answer<cmd::BillDraft> {
    core.bill_draft(args).await
}

#[tauri::command]
pub async fn issue_invoice(core: Core<'_>, args: Args<cmd::IssueInvoice>) -> Answer<cmd::IssueInvoice> {
    core.issue_invoice(args).await
}

#[tauri::command]
pub async fn invoice(core: Core<'_>, args: Args<cmd::Invoice>) -> Answer<cmd::Invoice> {
    core.invoice(args).await
}

#[tauri::command]
pub async fn patient_invoices(
    core: Core<'_>,
    args: Args<cmd::PatientInvoices>,
) -> Answer<cmd::PatientInvoices> {
    core.patient_invoices(args).await
}

#[tauri::command]
pub async fn take_payment(core: Core<'_>, args: Args<cmd::TakePayment>) -> Answer<cmd::TakePayment> {
    core.take_payment(args).await
}

#[tauri::command]
pub async fn void_invoice(core: Core<'_>, args: Args<cmd::VoidInvoice>) -> Answer<cmd::VoidInvoice> {
    core.void_invoice(args).await
}

#[tauri::command]
pub async fn export_receipt_pdf(
    core: Core<'_>,
    args: Args<cmd::ExportReceiptPdf>,
) -> Answer<cmd::ExportReceiptPdf> {
    core.export_receipt_pdf(args).await
}

#[tauri::command]
pub async fn report(core: Core<'_>, args: Args<cmd::Report>) -> Answer<cmd::Report> {
    core.report(args).await
}

#[tauri::command]
pub async fn export_report_csv(
    core: Core<'_>,
    args: Args<cmd::ExportReportCsv>,
) -> Answer<cmd::ExportReportCsv> {
    core.export_report_csv(args).await
}

#[tauri::command]
pub async fn export_report_pdf(
    core: Core<'_>,
    args: Args<cmd::ExportReportPdf>,
) -> Answer<cmd::ExportReportPdf> {
    core.export_report_pdf(args).await
}
