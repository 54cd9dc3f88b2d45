//! The commands the UI may call: each is one call on the managed `AppCore`
//! (client crate); errors cross as `CommandError { code, message, fields }`.

use client::app::AppCore;
use domain::api::{CreateDoctorRequest, CreateDoctorResponse, DoctorView, RegisterClinicRequest};
use domain::app::{
    AppSettings, CommandError, PatientForm, PatientRow, RefusedOp, SessionView, SubscriptionView, SyncStatus,
};
use domain::tenant::TenantSettings;
use serde::Deserialize;
use tauri::State;

type Core<'a> = State<'a, AppCore>;
type Result<T> = std::result::Result<T, CommandError>;

#[derive(Debug, Deserialize)]
pub struct SignIn {
    clinic_code: String,
    email: String,
    password: String,
}

#[derive(Debug, Deserialize)]
pub struct NewPassword {
    current: String,
    new: String,
}

#[derive(Debug, Deserialize)]
pub struct SavePatient {
    id: Option<String>,
    form: PatientForm,
}

#[tauri::command]
pub fn settings(core: Core<'_>) -> Result<AppSettings> {
    core.settings()
}

#[tauri::command]
pub async fn set_server_url(core: Core<'_>, url: String) -> Result<AppSettings> {
    core.set_server_url(&url).await
}

#[tauri::command]
pub async fn session(core: Core<'_>) -> Result<Option<SessionView>> {
    Ok(core.session().await)
}

#[tauri::command]
pub async fn register_clinic(core: Core<'_>, req: RegisterClinicRequest) -> Result<SessionView> {
    core.register_clinic(req).await
}

#[tauri::command]
pub async fn sign_in(core: Core<'_>, req: SignIn) -> Result<SessionView> {
    core.sign_in(&req.clinic_code, &req.email, &req.password).await
}

#[tauri::command]
pub async fn remind_clinic_code(core: Core<'_>, email: String) -> Result<String> {
    core.remind_clinic_code(&email).await
}

#[tauri::command]
pub async fn change_password(core: Core<'_>, req: NewPassword) -> Result<SessionView> {
    core.change_password(&req.current, &req.new).await
}

#[tauri::command]
pub async fn sign_out(core: Core<'_>) -> Result<()> {
    core.sign_out().await
}

#[tauri::command]
pub async fn sync_status(core: Core<'_>) -> Result<SyncStatus> {
    core.sync_status().await
}

#[tauri::command]
pub async fn sync_now(core: Core<'_>) -> Result<()> {
    core.sync_now().await
}

#[tauri::command]
pub async fn subscription(core: Core<'_>) -> Result<Option<SubscriptionView>> {
    core.subscription().await
}

#[tauri::command]
pub async fn search_patients(core: Core<'_>, query: String) -> Result<Vec<PatientRow>> {
    core.search_patients(&query).await
}

#[tauri::command]
pub async fn save_patient(core: Core<'_>, req: SavePatient) -> Result<PatientRow> {
    core.save_patient(req.id, req.form).await
}

#[tauri::command]
pub async fn doctors(core: Core<'_>) -> Result<Vec<DoctorView>> {
    core.doctors().await
}

#[tauri::command]
pub async fn add_doctor(core: Core<'_>, req: CreateDoctorRequest) -> Result<CreateDoctorResponse> {
    core.add_doctor(req).await
}

#[tauri::command]
pub async fn refused(core: Core<'_>) -> Result<Vec<RefusedOp>> {
    core.refused().await
}

#[tauri::command]
pub async fn discard_refused(core: Core<'_>, op_id: String) -> Result<()> {
    core.discard_refused(&op_id).await
}

#[tauri::command]
pub async fn clinic_settings(core: Core<'_>) -> Result<TenantSettings> {
    core.clinic_settings().await
}

#[tauri::command]
pub async fn save_clinic_settings(core: Core<'_>, settings: TenantSettings) -> Result<TenantSettings> {
    core.save_clinic_settings(settings).await
}
