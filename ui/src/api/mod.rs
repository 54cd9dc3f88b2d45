//! Typed wrappers over the Tauri commands. Components call these, never
//! `invoke` itself; every failure arrives as a `CommandError` with a code.

use domain::api::{CreateDoctorRequest, CreateDoctorResponse, DoctorView, RegisterClinicRequest};
use domain::app::{
    AppSettings, CommandCode, CommandError, PatientForm, PatientRow, RefusedOp, SessionView,
    SubscriptionView, SyncStatus,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use wasm_bindgen::prelude::*;

mod catalog;
mod clinic;
mod prescriptions;

pub use catalog::*;
pub use clinic::*;
pub use prescriptions::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

pub type ApiResult<T> = Result<T, CommandError>;

fn internal(message: impl Into<String>) -> CommandError {
    CommandError::new(CommandCode::Internal, message)
}

pub(crate) async fn call<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> ApiResult<T> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args.serialize(&serializer).map_err(|e| internal(e.to_string()))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| internal(format!("{cmd}: {e}"))),
        Err(err) => Err(serde_wasm_bindgen::from_value::<CommandError>(err.clone())
            .unwrap_or_else(|_| internal(err.as_string().unwrap_or_else(|| format!("{cmd} failed"))))),
    }
}

pub async fn settings() -> ApiResult<AppSettings> {
    call("settings", &json!({})).await
}

pub async fn set_server_url(url: &str) -> ApiResult<AppSettings> {
    call("set_server_url", &json!({ "url": url })).await
}

pub async fn session() -> ApiResult<Option<SessionView>> {
    call("session", &json!({})).await
}

pub async fn register_clinic(req: &RegisterClinicRequest) -> ApiResult<SessionView> {
    call("register_clinic", &json!({ "req": req })).await
}

pub async fn sign_in(clinic_code: &str, email: &str, password: &str) -> ApiResult<SessionView> {
    call(
        "sign_in",
        &json!({ "req": { "clinic_code": clinic_code, "email": email, "password": password } }),
    )
    .await
}

/// E-mails the clinic code to `email` if an account uses it; the answer
/// (a sentence to show) is the same either way.
pub async fn remind_clinic_code(email: &str) -> ApiResult<String> {
    call("remind_clinic_code", &json!({ "email": email })).await
}

pub async fn change_password(current: &str, new: &str) -> ApiResult<SessionView> {
    call(
        "change_password",
        &json!({ "req": { "current": current, "new": new } }),
    )
    .await
}

pub async fn sign_out() -> ApiResult<()> {
    call("sign_out", &json!({})).await
}

pub async fn sync_status() -> ApiResult<SyncStatus> {
    call("sync_status", &json!({})).await
}

pub async fn sync_now() -> ApiResult<()> {
    call("sync_now", &json!({})).await
}

pub async fn subscription() -> ApiResult<Option<SubscriptionView>> {
    call("subscription", &json!({})).await
}

pub async fn search_patients(query: &str) -> ApiResult<Vec<PatientRow>> {
    call("search_patients", &json!({ "query": query })).await
}

pub async fn save_patient(id: Option<&str>, form: &PatientForm) -> ApiResult<PatientRow> {
    call("save_patient", &json!({ "req": { "id": id, "form": form } })).await
}

pub async fn doctors() -> ApiResult<Vec<DoctorView>> {
    call("doctors", &json!({})).await
}

pub async fn add_doctor(req: &CreateDoctorRequest) -> ApiResult<CreateDoctorResponse> {
    call("add_doctor", &json!({ "req": req })).await
}

pub async fn refused() -> ApiResult<Vec<RefusedOp>> {
    call("refused", &json!({})).await
}

pub async fn discard_refused(op_id: &str) -> ApiResult<()> {
    call("discard_refused", &json!({ "opId": op_id })).await
}

pub async fn clinic_settings() -> ApiResult<domain::tenant::TenantSettings> {
    call("clinic_settings", &json!({})).await
}

pub async fn save_clinic_settings(
    settings: &domain::tenant::TenantSettings,
) -> ApiResult<domain::tenant::TenantSettings> {
    call("save_clinic_settings", &json!({ "settings": settings })).await
}
