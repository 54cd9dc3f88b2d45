//! One module per screen.

pub mod add_pc;
pub mod add_staff;
pub mod admin;
pub mod appointments;
pub mod billing;
pub mod change_password;
pub mod clinic_pcs;
pub mod clinic_settings;
pub mod doctor_profile;
pub mod import;
pub mod patient_chart;
pub mod patients;
pub mod prescriptions;
pub mod register;
pub mod reports;
pub mod review;
pub mod settings;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod today;
