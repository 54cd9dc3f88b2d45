//! Typed wrappers over the Tauri commands. Components call these, never
//! `invoke` itself; every failure arrives as a `CommandError` with a code.

use contract::app::{
    AppSettings, CommandCode, CommandError, PatientForm, PatientRow, RefusedOp, SessionView,
    SubscriptionView, SyncStatus,
};
use contract::args::{NewPasswordArgs, SavePatientArgs, SignInArgs};
use contract::{Command, cmd};
use domain::api::{DeviceView, DoctorView, EnrolmentCode, RegisterClinicRequest};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod billing;
mod catalog;
mod clinic;
mod prescriptions;
mod staff;

pub use billing::*;
pub use catalog::*;
pub use clinic::*;
pub use prescriptions::*;
pub use staff::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

pub type ApiResult<T> = Result<T, CommandError>;

fn internal(message: impl Into<String>) -> CommandError {
    CommandError::new(CommandCode::Internal, message)
}

/// Calls command `C` with its argument; the name, the argument's key and
/// the answer's type all come from the contract's one declaration.
pub(crate) async fn invoke<C: Command>(args: &C::Args) -> ApiResult<C::Output> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let mut wrapped = serde_json::Map::new();
    let value = serde_json::to_value(args).map_err(|e| internal(e.to_string()))?;
    wrapped.insert(contract::ARGS_KEY.to_owned(), value);
    let args = wrapped
        .serialize(&serializer)
        .map_err(|e| internal(e.to_string()))?;
    match tauri_invoke(C::NAME, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| internal(format!("{}: {e}", C::NAME))),
        Err(err) => Err(serde_wasm_bindgen::from_value::<CommandError>(err.clone())
            .unwrap_or_else(|_| internal(err.as_string().unwrap_or_else(|| format!("{} failed", C::NAME))))),
    }
}

pub async fn settings() -> ApiResult<AppSettings> {
    invoke::<cmd::Settings>(&()).await
}

pub async fn set_server_url(url: &str) -> ApiResult<AppSettings> {
    invoke::<cmd::SetServerUrl>(&url.to_owned()).await
}

pub async fn session() -> ApiResult<Option<SessionView>> {
    invoke::<cmd::Session>(&()).await
}

pub async fn register_clinic(req: &RegisterClinicRequest) -> ApiResult<SessionView> {
    invoke::<cmd::RegisterClinic>(req).await
}

pub async fn sign_in(clinic_code: &str, email: &str, password: &str) -> ApiResult<SessionView> {
    invoke::<cmd::SignIn>(&SignInArgs {
        clinic_code: clinic_code.to_owned(),
        email: email.to_owned(),
        password: password.to_owned(),
    })
    .await
}

/// E-mails the clinic code to `email` if an account uses it; the answer
/// (a sentence to show) is the same either way.
pub async fn remind_clinic_code(email: &str) -> ApiResult<String> {
    invoke::<cmd::RemindClinicCode>(&email.to_owned()).await
}

pub async fn change_password(current: &str, new: &str) -> ApiResult<SessionView> {
    invoke::<cmd::ChangePassword>(&NewPasswordArgs {
        current: current.to_owned(),
        new: new.to_owned(),
    })
    .await
}

pub async fn sign_out() -> ApiResult<()> {
    invoke::<cmd::SignOut>(&()).await
}

pub async fn sync_status() -> ApiResult<SyncStatus> {
    invoke::<cmd::SyncStatus>(&()).await
}

pub async fn sync_now() -> ApiResult<()> {
    invoke::<cmd::SyncNow>(&()).await
}

pub async fn subscription() -> ApiResult<Option<SubscriptionView>> {
    invoke::<cmd::Subscription>(&()).await
}

/// Patients whose name or mobile contains `query`, at most `limit`.
pub async fn search_patients(query: &str, limit: u32) -> ApiResult<Vec<PatientRow>> {
    invoke::<cmd::SearchPatients>(&contract::app::PatientSearch::new(query, limit)).await
}

/// Opens a spreadsheet for import and guesses its columns.
pub async fn import_open(
    file: &contract::screens::import::ImportFile,
) -> ApiResult<contract::screens::import::ImportSheet> {
    invoke::<cmd::ImportOpen>(file).await
}

/// Checks every row of the opened file (writes nothing).
pub async fn import_check(
    request: &contract::screens::import::ImportRequest,
) -> ApiResult<contract::screens::import::ImportReport> {
    invoke::<cmd::ImportCheck>(request).await
}

/// Imports the accepted rows of the opened file, all or none.
pub async fn import_commit(
    request: &contract::screens::import::ImportRequest,
) -> ApiResult<contract::screens::import::ImportDone> {
    invoke::<cmd::ImportCommit>(request).await
}

pub async fn save_patient(id: Option<&str>, form: &PatientForm) -> ApiResult<PatientRow> {
    invoke::<cmd::SavePatient>(&SavePatientArgs {
        id: id.map(str::to_owned),
        form: form.clone(),
    })
    .await
}

pub async fn doctors() -> ApiResult<Vec<DoctorView>> {
    invoke::<cmd::Doctors>(&()).await
}

/// The clinic's PCs (admins only).
pub async fn devices() -> ApiResult<Vec<DeviceView>> {
    invoke::<cmd::Devices>(&()).await
}

/// Signs out and removes this clinic's data from this PC.
pub async fn forget_clinic_here(discard_unsynced: bool) -> ApiResult<()> {
    invoke::<cmd::ForgetClinicHere>(&discard_unsynced).await
}

/// The clinic's clinical values that lost a merge, to settle.
pub async fn review_items() -> ApiResult<Vec<contract::screens::review::ReviewItem>> {
    invoke::<cmd::ReviewItems>(&()).await
}

/// Keeps the current value (`take_other` false) or takes the other one.
pub async fn resolve_review(id: &str, take_other: bool) -> ApiResult<()> {
    invoke::<cmd::ResolveReview>(&contract::screens::review::ResolveArgs {
        id: id.to_owned(),
        take_other,
    })
    .await
}

/// Asks the clinic's server for a newer app; downloads and checks it.
pub async fn check_for_update() -> ApiResult<contract::app::UpdateView> {
    invoke::<cmd::CheckForUpdate>(&()).await
}

/// Installs the ready update and restarts into it.
pub async fn install_update() -> ApiResult<()> {
    invoke::<cmd::InstallUpdate>(&()).await
}

/// Puts the ready update off on this PC (admins only).
pub async fn defer_update() -> ApiResult<contract::app::UpdateView> {
    invoke::<cmd::DeferUpdate>(&()).await
}

/// A one-time code that enrols another PC (admins only).
pub async fn create_enrolment(name: Option<String>) -> ApiResult<EnrolmentCode> {
    invoke::<cmd::CreateEnrolment>(&name).await
}

/// Saves the clinic's backup, encrypted with `passphrase`, in the
/// Downloads folder (admins only).
pub async fn download_backup(passphrase: String) -> ApiResult<contract::screens::ExportedFile> {
    invoke::<cmd::DownloadBackup>(&passphrase).await
}

/// Saves a patient's record (`None`: every patient's) as a FHIR R4 Bundle
/// in the Downloads folder (doctors and admins).
pub async fn export_fhir(patient: Option<String>) -> ApiResult<contract::screens::ExportedFile> {
    invoke::<cmd::ExportFhir>(&patient).await
}

/// Sends another clinic's FHIR export of one patient to the server, which
/// makes them a new patient here with read-only history (doctors, admins).
pub async fn import_referral(
    file: &contract::screens::import::ReferralFile,
) -> ApiResult<domain::api::ReferralImported> {
    invoke::<cmd::ImportReferral>(file).await
}

/// Joins the clinic named by IT's preset, once; `None` without a code.
pub async fn enrol_preset() -> ApiResult<Option<contract::app::EnrolmentView>> {
    invoke::<cmd::EnrolPreset>(&()).await
}

/// Removes a PC from the clinic (admins only).
pub async fn revoke_device(id: &str) -> ApiResult<DeviceView> {
    invoke::<cmd::RevokeDevice>(&id.to_owned()).await
}

pub async fn refused() -> ApiResult<Vec<RefusedOp>> {
    invoke::<cmd::Refused>(&()).await
}

pub async fn discard_refused(op_id: &str) -> ApiResult<()> {
    invoke::<cmd::DiscardRefused>(&op_id.to_owned()).await
}

pub async fn clinic_settings() -> ApiResult<domain::tenant::TenantSettings> {
    invoke::<cmd::ClinicSettings>(&()).await
}

pub async fn save_clinic_settings(
    settings: &domain::tenant::TenantSettings,
) -> ApiResult<domain::tenant::TenantSettings> {
    invoke::<cmd::SaveClinicSettings>(settings).await
}
