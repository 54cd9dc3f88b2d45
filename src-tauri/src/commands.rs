//! The commands the UI may call: each is one call on the managed `AppCore`
//! (client crate); errors cross as `CommandError { code, message, fields }`.

use client::app::AppCore;
use contract::app::CommandError;
use contract::{Command, cmd};
use tauri::State;

type Core<'a> = State<'a, AppCore>;
/// A command's argument and answer, as the contract declares them.
type Args<C> = <C as Command>::Args;
type Answer<C> = Result<<C as Command>::Output, CommandError>;

#[tauri::command]
pub fn settings(core: Core<'_>, args: Args<cmd::Settings>) -> Answer<cmd::Settings> {
    let () = args;
    core.settings()
}

#[tauri::command]
pub async fn set_server_url(core: Core<'_>, args: Args<cmd::SetServerUrl>) -> Answer<cmd::SetServerUrl> {
    let url = args;
    core.set_server_url(&url).await
}

#[tauri::command]
pub async fn session(core: Core<'_>, args: Args<cmd::Session>) -> Answer<cmd::Session> {
    let () = args;
    Ok(core.session().await)
}

#[tauri::command]
pub async fn register_clinic(core: Core<'_>, args: Args<cmd::RegisterClinic>) -> Answer<cmd::RegisterClinic> {
    let req = args;
    core.register_clinic(req).await
}

#[tauri::command]
pub async fn sign_in(core: Core<'_>, args: Args<cmd::SignIn>) -> Answer<cmd::SignIn> {
    let req = args;
    core.sign_in(&req.clinic_code, &req.email, &req.password).await
}

#[tauri::command]
pub async fn remind_clinic_code(
    core: Core<'_>,
    args: Args<cmd::RemindClinicCode>,
) -> Answer<cmd::RemindClinicCode> {
    let email = args;
    core.remind_clinic_code(&email).await
}

#[tauri::command]
pub async fn change_password(core: Core<'_>, args: Args<cmd::ChangePassword>) -> Answer<cmd::ChangePassword> {
    let req = args;
    core.change_password(&req.current, &req.new).await
}

#[tauri::command]
pub async fn sign_out(core: Core<'_>, args: Args<cmd::SignOut>) -> Answer<cmd::SignOut> {
    let () = args;
    core.sign_out().await
}

#[tauri::command]
pub async fn sync_status(core: Core<'_>, args: Args<cmd::SyncStatus>) -> Answer<cmd::SyncStatus> {
    let () = args;
    core.sync_status().await
}

#[tauri::command]
pub async fn sync_now(core: Core<'_>, args: Args<cmd::SyncNow>) -> Answer<cmd::SyncNow> {
    let () = args;
    core.sync_now().await
}

#[tauri::command]
pub async fn subscription(core: Core<'_>, args: Args<cmd::Subscription>) -> Answer<cmd::Subscription> {
    let () = args;
    core.subscription().await
}

#[tauri::command]
pub async fn search_patients(core: Core<'_>, args: Args<cmd::SearchPatients>) -> Answer<cmd::SearchPatients> {
    let search = args;
    core.search_patients(search).await
}

#[tauri::command]
pub async fn save_patient(core: Core<'_>, args: Args<cmd::SavePatient>) -> Answer<cmd::SavePatient> {
    let req = args;
    core.save_patient(req.id, req.form).await
}

#[tauri::command]
pub async fn doctors(core: Core<'_>, args: Args<cmd::Doctors>) -> Answer<cmd::Doctors> {
    let () = args;
    core.doctors().await
}

#[tauri::command]
pub async fn update_doctor(core: Core<'_>, args: Args<cmd::UpdateDoctor>) -> Answer<cmd::UpdateDoctor> {
    core.update_doctor(args).await
}

#[tauri::command]
pub async fn staff(core: Core<'_>, args: Args<cmd::Staff>) -> Answer<cmd::Staff> {
    let () = args;
    core.staff().await
}

#[tauri::command]
pub async fn add_staff(core: Core<'_>, args: Args<cmd::AddStaff>) -> Answer<cmd::AddStaff> {
    core.add_staff(args).await
}

#[tauri::command]
pub async fn update_staff(core: Core<'_>, args: Args<cmd::UpdateStaff>) -> Answer<cmd::UpdateStaff> {
    core.update_staff(args).await
}

#[tauri::command]
pub async fn devices(core: Core<'_>, args: Args<cmd::Devices>) -> Answer<cmd::Devices> {
    let () = args;
    core.devices().await
}

#[tauri::command]
pub async fn create_enrolment(
    core: Core<'_>,
    args: Args<cmd::CreateEnrolment>,
) -> Answer<cmd::CreateEnrolment> {
    let name = args;
    core.create_enrolment(name).await
}

#[tauri::command]
pub async fn import_open(core: Core<'_>, args: Args<cmd::ImportOpen>) -> Answer<cmd::ImportOpen> {
    let file = args;
    core.import_open(file).await
}

#[tauri::command]
pub async fn import_check(core: Core<'_>, args: Args<cmd::ImportCheck>) -> Answer<cmd::ImportCheck> {
    let request = args;
    core.import_check(request).await
}

#[tauri::command]
pub async fn import_commit(core: Core<'_>, args: Args<cmd::ImportCommit>) -> Answer<cmd::ImportCommit> {
    let request = args;
    core.import_commit(request).await
}

#[tauri::command]
pub async fn download_backup(core: Core<'_>, args: Args<cmd::DownloadBackup>) -> Answer<cmd::DownloadBackup> {
    let passphrase = args;
    core.download_backup(passphrase).await
}

#[tauri::command]
pub async fn export_fhir(core: Core<'_>, args: Args<cmd::ExportFhir>) -> Answer<cmd::ExportFhir> {
    let patient = args;
    core.export_fhir(patient).await
}

#[tauri::command]
pub async fn import_referral(core: Core<'_>, args: Args<cmd::ImportReferral>) -> Answer<cmd::ImportReferral> {
    let file = args;
    core.import_referral(file).await
}

#[tauri::command]
pub async fn enrol_preset(core: Core<'_>, args: Args<cmd::EnrolPreset>) -> Answer<cmd::EnrolPreset> {
    let () = args;
    core.enrol_preset().await
}

#[tauri::command]
pub async fn revoke_device(core: Core<'_>, args: Args<cmd::RevokeDevice>) -> Answer<cmd::RevokeDevice> {
    let id = args;
    core.revoke_device(&id).await
}

#[tauri::command]
pub async fn refused(core: Core<'_>, args: Args<cmd::Refused>) -> Answer<cmd::Refused> {
    let () = args;
    core.refused().await
}

#[tauri::command]
pub async fn discard_refused(core: Core<'_>, args: Args<cmd::DiscardRefused>) -> Answer<cmd::DiscardRefused> {
    let op_id = args;
    core.discard_refused(&op_id).await
}

#[tauri::command]
pub async fn clinic_settings(core: Core<'_>, args: Args<cmd::ClinicSettings>) -> Answer<cmd::ClinicSettings> {
    let () = args;
    core.clinic_settings().await
}

#[tauri::command]
pub async fn save_clinic_settings(
    core: Core<'_>,
    args: Args<cmd::SaveClinicSettings>,
) -> Answer<cmd::SaveClinicSettings> {
    let settings = args;
    core.save_clinic_settings(settings).await
}

#[tauri::command]
pub async fn review_items(core: Core<'_>, args: Args<cmd::ReviewItems>) -> Answer<cmd::ReviewItems> {
    let () = args;
    core.review_items().await
}

#[tauri::command]
pub async fn resolve_review(core: Core<'_>, args: Args<cmd::ResolveReview>) -> Answer<cmd::ResolveReview> {
    core.resolve_review(args).await
}

#[tauri::command]
pub async fn forget_clinic_here(
    core: Core<'_>,
    args: Args<cmd::ForgetClinicHere>,
) -> Answer<cmd::ForgetClinicHere> {
    let discard_unsynced = args;
    core.forget_clinic_here(discard_unsynced).await
}
