//! The medicine catalog and short keys.

use contract::screens::catalog::{MedicineForm, MedicineRow, ShortKeyForm, ShortKeyRow};
use contract::screens::prescriptions::ItemForm;

use contract::cmd;

use super::{ApiResult, invoke};

/// Global and clinic medicines matching a name, generic name or composition.
pub async fn search_medicines(query: &str) -> ApiResult<Vec<MedicineRow>> {
    invoke::<cmd::SearchMedicines>(&query.to_owned()).await
}

pub async fn add_medicine(form: &MedicineForm) -> ApiResult<MedicineRow> {
    invoke::<cmd::AddMedicine>(form).await
}

pub async fn short_keys() -> ApiResult<Vec<ShortKeyRow>> {
    invoke::<cmd::ShortKeys>(&()).await
}

pub async fn save_short_key(form: &ShortKeyForm) -> ApiResult<ShortKeyRow> {
    invoke::<cmd::SaveShortKey>(form).await
}

pub async fn delete_short_key(id: &str) -> ApiResult<()> {
    invoke::<cmd::DeleteShortKey>(&id.to_owned()).await
}

/// The medicine lines of short key `code` (with or without the leading `/`).
pub async fn expand_short_key(code: &str) -> ApiResult<Vec<ItemForm>> {
    invoke::<cmd::ExpandShortKey>(&code.to_owned()).await
}
