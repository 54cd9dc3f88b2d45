//! The arguments of commands that take more than one value.

use crate::app::PatientForm;
use domain::clinical::prescription::PrescriptionStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInArgs {
    pub clinic_code: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewPasswordArgs {
    pub current: String,
    pub new: String,
}

/// A new patient (no id) or changes to one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavePatientArgs {
    pub id: Option<String>,
    pub form: PatientForm,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrescriptionStatusArgs {
    pub id: String,
    pub to: PrescriptionStatus,
}

/// Changes to a doctor's profile (an admin's, or the doctor's own).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DoctorChangeArgs {
    pub doctor_id: String,
    pub change: ::domain::api::UpdateDoctorRequest,
}

/// An admin's change to one person: their role and/or whether they may sign in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffChangeArgs {
    pub user_id: String,
    pub change: ::domain::api::UpdateStaffRequest,
}
