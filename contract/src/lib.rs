//! The desktop app's contract between its window (`ui/`) and its shell
//! (`src-tauri/`): the view models its screens and prints show (`app`,
//! `screens`, `print`; the server never uses them, so `domain` keeps only
//! the clinic's rules), and every command, declared once in
//! [`command_list`] with its argument and its answer. From that one list
//! - the shell's build script grants exactly these commands to the window,
//! - the shell builds its handler list (a missing function fails to compile),
//! - the window's typed calls take their name, argument and answer types,
//! - a test checks the capability file and the window's wrappers.
//!
//! Adding a command: one line in [`command_list`], its function in the
//! shell, its wrapper in `ui/src/api`.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub mod app;
pub mod args;
pub mod print;
pub mod screens;

/// A command the window may call.
pub trait Command {
    /// The command's name on the wire (snake_case).
    const NAME: &'static str;
    /// Its one argument (`()` for none), sent under [`ARGS_KEY`].
    type Args: Serialize + DeserializeOwned;
    /// What it answers on success.
    type Output: Serialize + DeserializeOwned;
}

/// The one key every command takes its argument under.
pub const ARGS_KEY: &str = "args";

/// The permission that lets the window call `name` (`allow-sign-in`).
pub fn permission(name: &str) -> String {
    format!("allow-{}", name.replace('_', "-"))
}

/// Every command of the app: `Type = name: Argument => Answer;`. Calls the
/// macro `$then` with the whole list, so each consumer builds what it
/// needs from this one declaration.
#[macro_export]
macro_rules! command_list {
    ($then:ident) => {
        $then! {
            Settings = settings: () => $crate::app::AppSettings;
            SetServerUrl = set_server_url: String => $crate::app::AppSettings;
            Session = session: () => Option<$crate::app::SessionView>;
            RegisterClinic = register_clinic: ::domain::api::RegisterClinicRequest => $crate::app::SessionView;
            SignIn = sign_in: $crate::args::SignInArgs => $crate::app::SessionView;
            RemindClinicCode = remind_clinic_code: String => String;
            ChangePassword = change_password: $crate::args::NewPasswordArgs => $crate::app::SessionView;
            SignOut = sign_out: () => ();
            SyncStatus = sync_status: () => $crate::app::SyncStatus;
            SyncNow = sync_now: () => ();
            Subscription = subscription: () => Option<$crate::app::SubscriptionView>;
            SearchPatients = search_patients: String => Vec<$crate::app::PatientRow>;
            SavePatient = save_patient: $crate::args::SavePatientArgs => $crate::app::PatientRow;
            Doctors = doctors: () => Vec<::domain::api::DoctorView>;
            AddDoctor = add_doctor: ::domain::api::CreateDoctorRequest => ::domain::api::CreateDoctorResponse;
            Refused = refused: () => Vec<$crate::app::RefusedOp>;
            DiscardRefused = discard_refused: String => ();
            ClinicSettings = clinic_settings: () => ::domain::tenant::TenantSettings;
            SaveClinicSettings = save_clinic_settings: ::domain::tenant::TenantSettings => ::domain::tenant::TenantSettings;
            ClinicDoctors = clinic_doctors: () => Vec<$crate::screens::DoctorOption>;
            DayView = day_view: $crate::screens::appointments::DayQuery => $crate::screens::appointments::DayView;
            FreeSlots = free_slots: $crate::screens::appointments::SlotQuery => Vec<String>;
            BookAppointment = book_appointment: $crate::screens::appointments::AppointmentForm => $crate::screens::appointments::AppointmentRow;
            AddWalkIn = add_walk_in: $crate::screens::appointments::WalkInForm => $crate::screens::appointments::AppointmentRow;
            SetAppointmentStatus = set_appointment_status: $crate::screens::appointments::StatusChange => $crate::screens::appointments::AppointmentRow;
            PatientChart = patient_chart: String => $crate::screens::PatientChart;
            SearchMedicines = search_medicines: String => Vec<$crate::screens::catalog::MedicineRow>;
            AddMedicine = add_medicine: $crate::screens::catalog::MedicineForm => $crate::screens::catalog::MedicineRow;
            ShortKeys = short_keys: () => Vec<$crate::screens::catalog::ShortKeyRow>;
            SaveShortKey = save_short_key: $crate::screens::catalog::ShortKeyForm => $crate::screens::catalog::ShortKeyRow;
            DeleteShortKey = delete_short_key: String => ();
            ExpandShortKey = expand_short_key: String => Vec<$crate::screens::prescriptions::ItemForm>;
            Prescriptions = prescriptions: String => Vec<$crate::screens::prescriptions::PrescriptionRow>;
            Prescription = prescription: String => $crate::screens::prescriptions::PrescriptionView;
            SavePrescription = save_prescription: $crate::screens::prescriptions::PrescriptionForm => $crate::screens::prescriptions::PrescriptionView;
            PrescriptionAlerts = prescription_alerts: $crate::screens::prescriptions::PrescriptionForm => Vec<$crate::screens::prescriptions::MedicineAlert>;
            SetPrescriptionStatus = set_prescription_status: $crate::args::PrescriptionStatusArgs => $crate::screens::prescriptions::PrescriptionView;
            AmendPrescription = amend_prescription: String => $crate::screens::prescriptions::PrescriptionView;
            PrintLayouts = print_layouts: () => Vec<$crate::print::PrintLayout>;
            SavePrintLayout = save_print_layout: $crate::print::PrintLayout => $crate::print::PrintLayout;
            PrintPreview = print_preview: String => $crate::print::PageDoc;
            PrintPrescription = print_prescription: String => $crate::screens::prescriptions::PrescriptionView;
            ExportPrescriptionPdf = export_prescription_pdf: String => $crate::screens::ExportedFile;
        }
    };
}

macro_rules! declare {
    ($($ty:ident = $name:ident: $args:ty => $out:ty;)*) => {
        /// One type per command, carrying its name, argument and answer.
        pub mod cmd {
            $(
                #[derive(Debug, Clone, Copy)]
                pub struct $ty;

                impl $crate::Command for $ty {
                    const NAME: &'static str = stringify!($name);
                    type Args = $args;
                    type Output = $out;
                }
            )*
        }

        /// Every command's name, in declaration order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Every command's type (in [`cmd`]) and name, in declaration order.
        pub const COMMANDS: &[(&str, &str)] = &[$((stringify!($ty), stringify!($name))),*];
    };
}

command_list!(declare);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_permissions_follow() {
        let mut seen = std::collections::BTreeSet::new();
        for name in NAMES {
            assert!(seen.insert(name), "{name} twice");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
        }
        assert_eq!(permission("sign_in"), "allow-sign-in");
        assert_eq!(<cmd::SignIn as Command>::NAME, "sign_in");
    }
}
