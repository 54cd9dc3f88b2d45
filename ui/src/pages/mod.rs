//! One module per screen.

pub mod admin;
pub mod change_password;
pub mod clinic_settings;
pub mod patients;
pub mod register;
pub mod setup;
pub mod sign_in;
pub mod today;
