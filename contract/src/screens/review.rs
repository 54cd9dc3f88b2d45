//! "Needs review": clinical values that lost a merge (two PCs changed the
//! same allergy, diagnosis or dose apart), with who wrote each and where.

use serde::{Deserialize, Serialize};

/// One value to settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: String,
    /// "Allergies", "Dosage", … (the field, in words).
    pub field: String,
    /// Where it belongs, in words ("Prescription item", …).
    pub record: String,
    pub patient_id: Option<String>,
    pub patient_name: Option<String>,
    pub kept_value: String,
    pub kept_by: String,
    pub kept_on: String,
    pub kept_at: Option<String>,
    pub lost_value: String,
    pub lost_by: String,
    pub lost_on: String,
    /// When the server found the value had lost.
    pub detected_at: String,
}

/// The reviewer's choice: keep the current value, or take the other one
/// (written anew, and synced like any change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveArgs {
    pub id: String,
    pub take_other: bool,
}
