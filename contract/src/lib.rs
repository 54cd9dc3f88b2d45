//! The desktop app's contract between its window (`ui/`) and its shell
//! (`src-tauri/`): every command is declared once, in [`command_list`],
//! with its argument and its answer. From that one list
//! - the shell's build script grants exactly these commands to the window,
//! - the shell builds its handler list (a missing function fails to compile),
//! - the window's typed calls take their name, argument and answer types,
//! - a test checks the capability file and the window's wrappers.
//!
//! Adding a command: one line in [`command_list`], its function in the
//! shell, its wrapper in `ui/src/api`.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub mod args;

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
            Settings = settings: () => ::domain::app::AppSettings;
            SetServerUrl = set_server_url: String => ::domain::app::AppSettings;
            Session = session: () => Option<::domain::app::SessionView>;
            RegisterClinic = register_clinic: ::domain::api::RegisterClinicRequest => ::domain::app::SessionView;
            SignIn = sign_in: $crate::args::SignInArgs => ::domain::app::SessionView;
            RemindClinicCode = remind_clinic_code: String => String;
            ChangePassword = change_password: $crate::args::NewPasswordArgs => ::domain::app::SessionView;
            SignOut = sign_out: () => ();
            SyncStatus = sync_status: () => ::domain::app::SyncStatus;
            SyncNow = sync_now: () => ();
            Subscription = subscription: () => Option<::domain::app::SubscriptionView>;
            SearchPatients = search_patients: String => Vec<::domain::app::PatientRow>;
            SavePatient = save_patient: $crate::args::SavePatientArgs => ::domain::app::PatientRow;
            Doctors = doctors: () => Vec<::domain::api::DoctorView>;
            AddDoctor = add_doctor: ::domain::api::CreateDoctorRequest => ::domain::api::CreateDoctorResponse;
            Refused = refused: () => Vec<::domain::app::RefusedOp>;
            DiscardRefused = discard_refused: String => ();
            ClinicSettings = clinic_settings: () => ::domain::tenant::TenantSettings;
            SaveClinicSettings = save_clinic_settings: ::domain::tenant::TenantSettings => ::domain::tenant::TenantSettings;
            ClinicDoctors = clinic_doctors: () => Vec<::domain::screens::DoctorOption>;
            DayView = day_view: ::domain::screens::appointments::DayQuery => ::domain::screens::appointments::DayView;
            FreeSlots = free_slots: ::domain::screens::appointments::SlotQuery => Vec<String>;
            BookAppointment = book_appointment: ::domain::screens::appointments::AppointmentForm => ::domain::screens::appointments::AppointmentRow;
            AddWalkIn = add_walk_in: ::domain::screens::appointments::WalkInForm => ::domain::screens::appointments::AppointmentRow;
            SetAppointmentStatus = set_appointment_status: ::domain::screens::appointments::StatusChange => ::domain::screens::appointments::AppointmentRow;
            PatientChart = patient_chart: String => ::domain::screens::PatientChart;
            SearchMedicines = search_medicines: String => Vec<::domain::screens::catalog::MedicineRow>;
            AddMedicine = add_medicine: ::domain::screens::catalog::MedicineForm => ::domain::screens::catalog::MedicineRow;
            ShortKeys = short_keys: () => Vec<::domain::screens::catalog::ShortKeyRow>;
            SaveShortKey = save_short_key: ::domain::screens::catalog::ShortKeyForm => ::domain::screens::catalog::ShortKeyRow;
            DeleteShortKey = delete_short_key: String => ();
            ExpandShortKey = expand_short_key: String => Vec<::domain::screens::prescriptions::ItemForm>;
            Prescriptions = prescriptions: String => Vec<::domain::screens::prescriptions::PrescriptionRow>;
            Prescription = prescription: String => ::domain::screens::prescriptions::PrescriptionView;
            SavePrescription = save_prescription: ::domain::screens::prescriptions::PrescriptionForm => ::domain::screens::prescriptions::PrescriptionView;
            PrescriptionAlerts = prescription_alerts: ::domain::screens::prescriptions::PrescriptionForm => Vec<::domain::screens::prescriptions::MedicineAlert>;
            SetPrescriptionStatus = set_prescription_status: $crate::args::PrescriptionStatusArgs => ::domain::screens::prescriptions::PrescriptionView;
            AmendPrescription = amend_prescription: String => ::domain::screens::prescriptions::PrescriptionView;
            PrintLayouts = print_layouts: () => Vec<::domain::clinical::print::PrintLayout>;
            SavePrintLayout = save_print_layout: ::domain::clinical::print::PrintLayout => ::domain::clinical::print::PrintLayout;
            PrintPreview = print_preview: String => ::domain::clinical::print::PageDoc;
            PrintPrescription = print_prescription: String => ::domain::screens::prescriptions::PrescriptionView;
            ExportPrescriptionPdf = export_prescription_pdf: String => ::domain::screens::ExportedFile;
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
