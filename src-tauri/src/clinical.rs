//! Commands of the clinical screens: appointments, the patient chart,
//! catalog, short keys, prescriptions and printing. One call each on the
//! managed `AppCore`.

use client::app::AppCore;
use contract::app::CommandError;
use contract::{Command, cmd};
use tauri::State;

type Core<'a> = State<'a, AppCore>;
/// A command's argument and answer, as the contract declares them.
type Args<C> = <C as Command>::Args;
type Answer<C> = Result<<C as Command>::Output, CommandError>;

#[tauri::command]
pub async fn clinic_doctors(core: Core<'_>, args: Args<cmd::ClinicDoctors>) -> Answer<cmd::ClinicDoctors> {
    let () = args;
    core.clinic_doctors().await
}

#[tauri::command]
pub async fn day_view(core: Core<'_>, args: Args<cmd::DayView>) -> Answer<cmd::DayView> {
    let query = args;
    core.day_view(query).await
}

#[tauri::command]
pub async fn free_slots(core: Core<'_>, args: Args<cmd::FreeSlots>) -> Answer<cmd::FreeSlots> {
    let query = args;
    core.free_slots(query).await
}

#[tauri::command]
pub async fn book_appointment(
    core: Core<'_>,
    args: Args<cmd::BookAppointment>,
) -> Answer<cmd::BookAppointment> {
    let form = args;
    core.book_appointment(form).await
}

#[tauri::command]
pub async fn add_walk_in(core: Core<'_>, args: Args<cmd::AddWalkIn>) -> Answer<cmd::AddWalkIn> {
    let form = args;
    core.add_walk_in(form).await
}

#[tauri::command]
pub async fn set_appointment_status(
    core: Core<'_>,
    args: Args<cmd::SetAppointmentStatus>,
) -> Answer<cmd::SetAppointmentStatus> {
    let change = args;
    core.set_appointment_status(change).await
}

#[tauri::command]
pub async fn reschedule_appointment(
    core: Core<'_>,
    args: Args<cmd::RescheduleAppointment>,
) -> Answer<cmd::RescheduleAppointment> {
    core.reschedule_appointment(args).await
}

#[tauri::command]
pub async fn patient_chart(core: Core<'_>, args: Args<cmd::PatientChart>) -> Answer<cmd::PatientChart> {
    let id = args;
    core.patient_chart(&id).await
}

#[tauri::command]
pub async fn search_medicines(
    core: Core<'_>,
    args: Args<cmd::SearchMedicines>,
) -> Answer<cmd::SearchMedicines> {
    let query = args;
    core.search_medicines(&query).await
}

#[tauri::command]
pub async fn add_medicine(core: Core<'_>, args: Args<cmd::AddMedicine>) -> Answer<cmd::AddMedicine> {
    let form = args;
    core.add_medicine(form).await
}

#[tauri::command]
pub async fn short_keys(core: Core<'_>, args: Args<cmd::ShortKeys>) -> Answer<cmd::ShortKeys> {
    let () = args;
    core.short_keys().await
}

#[tauri::command]
pub async fn save_short_key(core: Core<'_>, args: Args<cmd::SaveShortKey>) -> Answer<cmd::SaveShortKey> {
    let form = args;
    core.save_short_key(form).await
}

#[tauri::command]
pub async fn delete_short_key(
    core: Core<'_>,
    args: Args<cmd::DeleteShortKey>,
) -> Answer<cmd::DeleteShortKey> {
    let id = args;
    core.delete_short_key(&id).await
}

#[tauri::command]
pub async fn expand_short_key(
    core: Core<'_>,
    args: Args<cmd::ExpandShortKey>,
) -> Answer<cmd::ExpandShortKey> {
    let code = args;
    core.expand_short_key(&code).await
}

#[tauri::command]
pub async fn prescriptions(core: Core<'_>, args: Args<cmd::Prescriptions>) -> Answer<cmd::Prescriptions> {
    let query = args;
    core.prescriptions(&query).await
}

#[tauri::command]
pub async fn prescription(core: Core<'_>, args: Args<cmd::Prescription>) -> Answer<cmd::Prescription> {
    let id = args;
    core.prescription(&id).await
}

#[tauri::command]
pub async fn save_prescription(
    core: Core<'_>,
    args: Args<cmd::SavePrescription>,
) -> Answer<cmd::SavePrescription> {
    let form = args;
    core.save_prescription(form).await
}

#[tauri::command]
pub async fn prescription_alerts(
    core: Core<'_>,
    args: Args<cmd::PrescriptionAlerts>,
) -> Answer<cmd::PrescriptionAlerts> {
    let form = args;
    core.prescription_alerts(form).await
}

#[tauri::command]
pub async fn set_prescription_status(
    core: Core<'_>,
    args: Args<cmd::SetPrescriptionStatus>,
) -> Answer<cmd::SetPrescriptionStatus> {
    let id = args.id;
    let to = args.to;
    core.set_prescription_status(&id, to).await
}

#[tauri::command]
pub async fn amend_prescription(
    core: Core<'_>,
    args: Args<cmd::AmendPrescription>,
) -> Answer<cmd::AmendPrescription> {
    let id = args;
    core.amend_prescription(&id).await
}

#[tauri::command]
pub async fn print_layouts(core: Core<'_>, args: Args<cmd::PrintLayouts>) -> Answer<cmd::PrintLayouts> {
    let () = args;
    core.print_layouts().await
}

#[tauri::command]
pub async fn save_print_layout(
    core: Core<'_>,
    args: Args<cmd::SavePrintLayout>,
) -> Answer<cmd::SavePrintLayout> {
    let layout = args;
    core.save_print_layout(layout).await
}

#[tauri::command]
pub async fn print_preview(core: Core<'_>, args: Args<cmd::PrintPreview>) -> Answer<cmd::PrintPreview> {
    let id = args;
    core.print_preview(&id).await
}

#[tauri::command]
pub async fn print_prescription(
    core: Core<'_>,
    args: Args<cmd::PrintPrescription>,
) -> Answer<cmd::PrintPrescription> {
    let id = args;
    core.print_prescription(&id).await
}

#[tauri::command]
pub async fn export_prescription_pdf(
    core: Core<'_>,
    args: Args<cmd::ExportPrescriptionPdf>,
) -> Answer<cmd::ExportPrescriptionPdf> {
    let id = args;
    core.export_prescription_pdf(&id).await
}
