//! `POST /fhir/referrals`: what a referral (another clinic's FHIR export of
//! one patient) became in this clinic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The new patient and their read-only history records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralImported {
    /// The new patient's id in this clinic (never the sender's).
    pub patient_id: uuid::Uuid,
    pub patient_name: String,
    /// History records brought in, by kind (appointment, medication, ...).
    pub records: BTreeMap<String, u32>,
    /// Resource types left out, with how many of each.
    pub skipped: BTreeMap<String, u32>,
    /// Where the records came from, as noted on each of them.
    pub source: String,
}

impl ReferralImported {
    pub fn record_count(&self) -> u32 {
        self.records.values().sum()
    }
}
