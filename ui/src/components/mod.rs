//! Building blocks shared by the screens.

pub mod appointment_actions;
pub mod backup_download;
pub mod chosen_file;
pub mod clinic_code;
pub mod clipboard;
pub mod confirm;
pub mod date_field;
pub mod doctor_select;
pub mod fhir_export;
pub mod field;
pub mod forget_clinic;
pub mod free_times;
pub mod header;
pub mod layout;
pub mod medicine_search;
pub mod move_appointment;
pub mod office_list;
pub mod patient_form;
pub mod patient_picker;
pub mod preset_notice;
pub mod referral;
pub mod role_gate;
pub mod states;
pub mod status;
pub mod update_banner;
pub mod week_hours;
