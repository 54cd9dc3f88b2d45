//! Commands of the clinical screens: appointments, the patient chart,
//! catalog, short keys, prescriptions and printing. One call each on the
//! managed `AppCore`.

use client::app::AppCore;
use domain::app::CommandError;
use domain::clinical::prescription::PrescriptionStatus;
use domain::clinical::print::{PageDoc, PrintLayout};
use domain::screens::appointments::{
    AppointmentForm, AppointmentRow, DayQuery, DayView, SlotQuery, StatusChange, WalkInForm,
};
use domain::screens::catalog::{MedicineForm, MedicineRow, ShortKeyForm, ShortKeyRow};
use domain::screens::prescriptions::{
    ItemForm, MedicineAlert, PrescriptionForm, PrescriptionRow, PrescriptionView,
};
use domain::screens::{DoctorOption, ExportedFile, PatientChart};
use tauri::State;

type Core<'a> = State<'a, AppCore>;
type Result<T> = std::result::Result<T, CommandError>;

#[tauri::command]
pub async fn clinic_doctors(core: Core<'_>) -> Result<Vec<DoctorOption>> {
    core.clinic_doctors().await
}

#[tauri::command]
pub async fn day_view(core: Core<'_>, query: DayQuery) -> Result<DayView> {
    core.day_view(query).await
}

#[tauri::command]
pub async fn free_slots(core: Core<'_>, query: SlotQuery) -> Result<Vec<String>> {
    core.free_slots(query).await
}

#[tauri::command]
pub async fn book_appointment(core: Core<'_>, form: AppointmentForm) -> Result<AppointmentRow> {
    core.book_appointment(form).await
}

#[tauri::command]
pub async fn add_walk_in(core: Core<'_>, form: WalkInForm) -> Result<AppointmentRow> {
    core.add_walk_in(form).await
}

#[tauri::command]
pub async fn set_appointment_status(core: Core<'_>, change: StatusChange) -> Result<AppointmentRow> {
    core.set_appointment_status(change).await
}

#[tauri::command]
pub async fn patient_chart(core: Core<'_>, id: String) -> Result<PatientChart> {
    core.patient_chart(&id).await
}

#[tauri::command]
pub async fn search_medicines(core: Core<'_>, query: String) -> Result<Vec<MedicineRow>> {
    core.search_medicines(&query).await
}

#[tauri::command]
pub async fn add_medicine(core: Core<'_>, form: MedicineForm) -> Result<MedicineRow> {
    core.add_medicine(form).await
}

#[tauri::command]
pub async fn short_keys(core: Core<'_>) -> Result<Vec<ShortKeyRow>> {
    core.short_keys().await
}

#[tauri::command]
pub async fn save_short_key(core: Core<'_>, form: ShortKeyForm) -> Result<ShortKeyRow> {
    core.save_short_key(form).await
}

#[tauri::command]
pub async fn delete_short_key(core: Core<'_>, id: String) -> Result<()> {
    core.delete_short_key(&id).await
}

#[tauri::command]
pub async fn expand_short_key(core: Core<'_>, code: String) -> Result<Vec<ItemForm>> {
    core.expand_short_key(&code).await
}

#[tauri::command]
pub async fn prescriptions(core: Core<'_>, query: String) -> Result<Vec<PrescriptionRow>> {
    core.prescriptions(&query).await
}

#[tauri::command]
pub async fn prescription(core: Core<'_>, id: String) -> Result<PrescriptionView> {
    core.prescription(&id).await
}

#[tauri::command]
pub async fn save_prescription(core: Core<'_>, form: PrescriptionForm) -> Result<PrescriptionView> {
    core.save_prescription(form).await
}

#[tauri::command]
pub async fn prescription_alerts(core: Core<'_>, form: PrescriptionForm) -> Result<Vec<MedicineAlert>> {
    core.prescription_alerts(form).await
}

#[tauri::command]
pub async fn set_prescription_status(
    core: Core<'_>,
    id: String,
    to: PrescriptionStatus,
) -> Result<PrescriptionView> {
    core.set_prescription_status(&id, to).await
}

#[tauri::command]
pub async fn amend_prescription(core: Core<'_>, id: String) -> Result<PrescriptionView> {
    core.amend_prescription(&id).await
}

#[tauri::command]
pub async fn print_layouts(core: Core<'_>) -> Result<Vec<PrintLayout>> {
    core.print_layouts().await
}

#[tauri::command]
pub async fn save_print_layout(core: Core<'_>, layout: PrintLayout) -> Result<PrintLayout> {
    core.save_print_layout(layout).await
}

#[tauri::command]
pub async fn print_preview(core: Core<'_>, id: String) -> Result<PageDoc> {
    core.print_preview(&id).await
}

#[tauri::command]
pub async fn print_prescription(core: Core<'_>, id: String) -> Result<PrescriptionView> {
    core.print_prescription(&id).await
}

#[tauri::command]
pub async fn export_prescription_pdf(core: Core<'_>, id: String) -> Result<ExportedFile> {
    core.export_prescription_pdf(&id).await
}
