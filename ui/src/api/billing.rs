//! Bills and payments.

use contract::cmd;
use contract::screens::billing::{BillFor, InvoiceForm, InvoiceRow, InvoiceView, PaymentForm, VoidInvoice};

use super::{ApiResult, invoke};

/// A new bill's form: a visit's suggested lines, or one blank line.
pub async fn bill_draft(what: &BillFor) -> ApiResult<InvoiceForm> {
    invoke::<cmd::BillDraft>(what).await
}

pub async fn issue_invoice(form: &InvoiceForm) -> ApiResult<InvoiceView> {
    invoke::<cmd::IssueInvoice>(form).await
}

pub async fn invoice(id: &str) -> ApiResult<InvoiceView> {
    invoke::<cmd::Invoice>(&id.to_owned()).await
}

pub async fn patient_invoices(patient_id: &str) -> ApiResult<Vec<InvoiceRow>> {
    invoke::<cmd::PatientInvoices>(&patient_id.to_owned()).await
}

pub async fn take_payment(form: &PaymentForm) -> ApiResult<InvoiceView> {
    invoke::<cmd::TakePayment>(form).await
}

pub async fn void_invoice(args: &VoidInvoice) -> ApiResult<InvoiceView> {
    invoke::<cmd::VoidInvoice>(args).await
}

/// Writes a payment's receipt as a PDF in the clinic's exports folder.
pub async fn export_receipt_pdf(payment_id: &str) -> ApiResult<contract::screens::ExportedFile> {
    invoke::<cmd::ExportReceiptPdf>(&payment_id.to_owned()).await
}

/// The Reports page's figures for a range.
pub async fn report(
    query: &contract::screens::reports::ReportQuery,
) -> ApiResult<contract::screens::reports::Report> {
    invoke::<cmd::Report>(query).await
}

pub async fn export_report_csv(
    query: &contract::screens::reports::ReportQuery,
) -> ApiResult<contract::screens::ExportedFile> {
    invoke::<cmd::ExportReportCsv>(query).await
}

pub async fn export_report_pdf(
    query: &contract::screens::reports::ReportQuery,
) -> ApiResult<contract::screens::ExportedFile> {
    invoke::<cmd::ExportReportPdf>(query).await
}
