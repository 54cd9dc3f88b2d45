//! The medicine catalog and short keys.

use domain::screens::catalog::{MedicineForm, MedicineRow, ShortKeyForm, ShortKeyRow};
use domain::screens::prescriptions::ItemForm;
use serde_json::json;

use super::{ApiResult, call};

/// Global and clinic medicines matching a name, generic name or composition.
pub async fn search_medicines(query: &str) -> ApiResult<Vec<MedicineRow>> {
    call("search_medicines", &json!({ "query": query })).await
}

pub async fn add_medicine(form: &MedicineForm) -> ApiResult<MedicineRow> {
    call("add_medicine", &json!({ "form": form })).await
}

pub async fn short_keys() -> ApiResult<Vec<ShortKeyRow>> {
    call("short_keys", &json!({})).await
}

pub async fn save_short_key(form: &ShortKeyForm) -> ApiResult<ShortKeyRow> {
    call("save_short_key", &json!({ "form": form })).await
}

pub async fn delete_short_key(id: &str) -> ApiResult<()> {
    call("delete_short_key", &json!({ "id": id })).await
}

/// The medicine lines of short key `code` (with or without the leading `/`).
pub async fn expand_short_key(code: &str) -> ApiResult<Vec<ItemForm>> {
    call("expand_short_key", &json!({ "code": code })).await
}
