//! What the clinical screens and the Tauri shell exchange: rows shown in
//! lists, forms as typed (strings, checked here with the field-level
//! messages a receptionist reads) and the views of a chart or a day.

pub mod appointments;
pub mod billing;
pub mod catalog;
pub mod import;
pub mod prescriptions;
pub mod reports;
pub mod review;

use serde::{Deserialize, Serialize};

use domain::doctor::{Office, WeeklyAvailability};

/// A doctor as this PC knows them (synced), for pickers and day views.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorOption {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub licence_number: Option<String>,
    pub specialization: Option<String>,
    pub qualification: Option<String>,
    pub consultation_minutes: u32,
    pub offices: Vec<Office>,
    pub availability: WeeklyAvailability,
    /// Days off and leave, in date order.
    #[serde(default)]
    pub time_off: Vec<domain::time_off::TimeOff>,
    /// The fee a bill suggests for a visit, in minor units.
    #[serde(default)]
    pub consultation_fee_minor: Option<i64>,
    /// The signed-in user is this doctor.
    pub is_me: bool,
}

impl DoctorOption {
    /// The office a new appointment or prescription defaults to.
    pub fn primary_office(&self) -> Option<&Office> {
        self.offices
            .iter()
            .find(|o| o.is_primary)
            .or_else(|| self.offices.first())
    }

    /// The stretch of days off covering `day`, if they are off then.
    pub fn off_on(&self, day: chrono::NaiveDate) -> Option<&domain::time_off::TimeOff> {
        domain::time_off::on(&self.time_off, day)
    }

    pub fn office_name(&self, office_id: &str) -> String {
        domain::doctor::office_name(&self.offices, office_id)
    }
}

/// A patient's chart: who they are, their family (everyone on the same
/// mobile number, `self` first) and their history on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientChart {
    pub patient: crate::app::PatientRow,
    pub family: Vec<crate::app::PatientRow>,
    pub appointments: Vec<appointments::AppointmentRow>,
    pub prescriptions: Vec<prescriptions::PrescriptionRow>,
    /// History brought in with a referral from another clinic, read-only.
    #[serde(default)]
    pub referral_history: Vec<ReferralRecordRow>,
}

/// One record of a referral's history, as the chart lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRecordRow {
    pub id: String,
    /// appointment, medication, allergy, observation, procedure, document
    /// or family.
    pub kind: String,
    pub occurred_on: Option<chrono::NaiveDate>,
    pub title: String,
    pub detail: Option<String>,
    pub author: Option<String>,
    /// The bundle it came from (provenance).
    pub source: String,
}

/// A file the app wrote for the user (e.g. an exported PDF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedFile {
    pub path: String,
    pub bytes: u64,
}

/// Trims a typed optional text: empty means absent.
pub(crate) fn optional_text(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_owned())
}
