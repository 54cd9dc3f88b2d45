//! Prescriptions, their alerts and status, print layouts and printing.

use contract::print::{PageDoc, PrintLayout};
use contract::screens::ExportedFile;
use contract::screens::prescriptions::{MedicineAlert, PrescriptionForm, PrescriptionRow, PrescriptionView};
use domain::clinical::prescription::PrescriptionStatus;

use contract::args::PrescriptionStatusArgs;
use contract::cmd;

use super::{ApiResult, invoke};

/// Matching prescriptions; an empty query lists the recent ones.
pub async fn prescriptions(query: &str) -> ApiResult<Vec<PrescriptionRow>> {
    invoke::<cmd::Prescriptions>(&query.to_owned()).await
}

pub async fn prescription(id: &str) -> ApiResult<PrescriptionView> {
    invoke::<cmd::Prescription>(&id.to_owned()).await
}

/// Saves a draft (`form.id` `None` makes a new one).
pub async fn save_prescription(form: &PrescriptionForm) -> ApiResult<PrescriptionView> {
    invoke::<cmd::SavePrescription>(form).await
}

pub async fn prescription_alerts(form: &PrescriptionForm) -> ApiResult<Vec<MedicineAlert>> {
    invoke::<cmd::PrescriptionAlerts>(form).await
}

/// Draft to active is "Issue".
pub async fn set_prescription_status(id: &str, to: PrescriptionStatus) -> ApiResult<PrescriptionView> {
    invoke::<cmd::SetPrescriptionStatus>(&PrescriptionStatusArgs {
        id: id.to_owned(),
        to,
    })
    .await
}

/// A new draft copying an issued prescription.
pub async fn amend_prescription(id: &str) -> ApiResult<PrescriptionView> {
    invoke::<cmd::AmendPrescription>(&id.to_owned()).await
}

pub async fn print_layouts() -> ApiResult<Vec<PrintLayout>> {
    invoke::<cmd::PrintLayouts>(&()).await
}

pub async fn save_print_layout(layout: &PrintLayout) -> ApiResult<PrintLayout> {
    invoke::<cmd::SavePrintLayout>(layout).await
}

/// The pages as printed, with the layout of the prescription's doctor and office.
pub async fn print_preview(id: &str) -> ApiResult<PageDoc> {
    invoke::<cmd::PrintPreview>(&id.to_owned()).await
}

/// Records the printing (printed-at and audit); the UI then prints the preview.
pub async fn print_prescription(id: &str) -> ApiResult<PrescriptionView> {
    invoke::<cmd::PrintPrescription>(&id.to_owned()).await
}

pub async fn export_prescription_pdf(id: &str) -> ApiResult<ExportedFile> {
    invoke::<cmd::ExportPrescriptionPdf>(&id.to_owned()).await
}
