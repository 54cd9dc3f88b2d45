//! Prescriptions, their alerts and status, print layouts and printing.

use domain::clinical::prescription::PrescriptionStatus;
use domain::clinical::print::{PageDoc, PrintLayout};
use domain::screens::ExportedFile;
use domain::screens::prescriptions::{MedicineAlert, PrescriptionForm, PrescriptionRow, PrescriptionView};
use serde_json::json;

use super::{ApiResult, call};

/// Matching prescriptions; an empty query lists the recent ones.
pub async fn prescriptions(query: &str) -> ApiResult<Vec<PrescriptionRow>> {
    call("prescriptions", &json!({ "query": query })).await
}

pub async fn prescription(id: &str) -> ApiResult<PrescriptionView> {
    call("prescription", &json!({ "id": id })).await
}

/// Saves a draft (`form.id` `None` makes a new one).
pub async fn save_prescription(form: &PrescriptionForm) -> ApiResult<PrescriptionView> {
    call("save_prescription", &json!({ "form": form })).await
}

pub async fn prescription_alerts(form: &PrescriptionForm) -> ApiResult<Vec<MedicineAlert>> {
    call("prescription_alerts", &json!({ "form": form })).await
}

/// Draft to active is "Issue".
pub async fn set_prescription_status(id: &str, to: PrescriptionStatus) -> ApiResult<PrescriptionView> {
    call("set_prescription_status", &json!({ "id": id, "to": to })).await
}

/// A new draft copying an issued prescription.
pub async fn amend_prescription(id: &str) -> ApiResult<PrescriptionView> {
    call("amend_prescription", &json!({ "id": id })).await
}

pub async fn print_layouts() -> ApiResult<Vec<PrintLayout>> {
    call("print_layouts", &json!({})).await
}

pub async fn save_print_layout(layout: &PrintLayout) -> ApiResult<PrintLayout> {
    call("save_print_layout", &json!({ "layout": layout })).await
}

/// The pages as printed, with the layout of the prescription's doctor and office.
pub async fn print_preview(id: &str) -> ApiResult<PageDoc> {
    call("print_preview", &json!({ "id": id })).await
}

/// Records the printing (printed-at and audit); the UI then prints the preview.
pub async fn print_prescription(id: &str) -> ApiResult<PrescriptionView> {
    call("print_prescription", &json!({ "id": id })).await
}

pub async fn export_prescription_pdf(id: &str) -> ApiResult<ExportedFile> {
    call("export_prescription_pdf", &json!({ "id": id })).await
}
