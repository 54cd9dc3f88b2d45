//! The desktop app's contract between its window (`ui/`) and its shell
//! (`src-tauri/`): the view models its screens and prints show (`app`,
//! `screens`, `print`; the server never uses them, so `domain` keeps only
//! the clinic's rules), and every command, declared once in
//! [`command_list`] with who may call it, its argument and its answer.
//! From that one list
//! - the shell's build script grants exactly these commands to the window,
//! - the shell builds its handler list (a missing function fails to compile),
//! - the shell refuses a command its caller may not use ([`Access`]),
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
    /// Who may call it.
    const ACCESS: Access;
}

/// The one key every command takes its argument under.
pub const ARGS_KEY: &str = "args";

/// The permission that lets the window call `name` (`allow-sign-in`).
pub fn permission(name: &str) -> String {
    format!("allow-{}", name.replace('_', "-"))
}

/// Who may call a command. The shell checks it before the command runs,
/// so a command cannot forget to; the server checks again on its side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Access {
    /// Before sign-in: settings, sign-in, registration.
    Open,
    /// Anyone signed in to the clinic.
    SignedIn,
    /// The clinic's admins only.
    Admin,
    /// Doctors and admins: clinical records, catalogues and print layouts
    /// (DOMAIN.md, "Users and roles"); nurses and receptionists may not.
    Clinical,
    /// Whoever handles money at the desk: admins, doctors and receptionists
    /// bill visits, take payments and read the day-end reports; nurses do not.
    Billing,
}

/// Every command of the app: `Type = name [Access]: Argument => Answer;`. Calls the
/// macro `$then` with the whole list, so each consumer builds what it
/// needs from this one declaration.
#[macro_export]
macro_rules! command_list {
    ($then:ident) => {
        $then! {
            Settings = settings [Open]: () => $crate::app::AppSettings;
            SetServerUrl = set_server_url [Open]: String => $crate::app::AppSettings;
            Session = session [Open]: () => Option<$crate::app::SessionView>;
            EnrolPreset = enrol_preset [Open]: () => Option<$crate::app::EnrolmentView>;
            RegisterClinic = register_clinic [Open]: ::domain::api::RegisterClinicRequest => $crate::app::SessionView;
            SignIn = sign_in [Open]: $crate::args::SignInArgs => $crate::app::SessionView;
            RemindClinicCode = remind_clinic_code [Open]: String => String;
            ChangePassword = change_password [SignedIn]: $crate::args::NewPasswordArgs => $crate::app::SessionView;
            SignOut = sign_out [SignedIn]: () => ();
            ForgetClinicHere = forget_clinic_here [SignedIn]: bool => ();
            SyncStatus = sync_status [SignedIn]: () => $crate::app::SyncStatus;
            SyncNow = sync_now [SignedIn]: () => ();
            CheckForUpdate = check_for_update [SignedIn]: () => $crate::app::UpdateView;
            InstallUpdate = install_update [SignedIn]: () => ();
            DeferUpdate = defer_update [Admin]: () => $crate::app::UpdateView;
            Subscription = subscription [SignedIn]: () => Option<$crate::app::SubscriptionView>;
            SearchPatients = search_patients [SignedIn]: $crate::app::PatientSearch => Vec<$crate::app::PatientRow>;
            SavePatient = save_patient [SignedIn]: $crate::args::SavePatientArgs => $crate::app::PatientRow;
            ImportOpen = import_open [SignedIn]: $crate::screens::import::ImportFile => $crate::screens::import::ImportSheet;
            ImportCheck = import_check [SignedIn]: $crate::screens::import::ImportRequest => $crate::screens::import::ImportReport;
            ImportCommit = import_commit [SignedIn]: $crate::screens::import::ImportRequest => $crate::screens::import::ImportDone;
            Doctors = doctors [SignedIn]: () => Vec<::domain::api::DoctorView>;
            UpdateDoctor = update_doctor [SignedIn]: $crate::args::DoctorChangeArgs => ::domain::api::DoctorView;
            Staff = staff [Admin]: () => Vec<::domain::api::StaffView>;
            AddStaff = add_staff [Admin]: ::domain::api::CreateStaffRequest => ::domain::api::CreateStaffResponse;
            UpdateStaff = update_staff [Admin]: $crate::args::StaffChangeArgs => ::domain::api::StaffView;
            Devices = devices [Admin]: () => Vec<::domain::api::DeviceView>;
            RevokeDevice = revoke_device [Admin]: String => ::domain::api::DeviceView;
            CreateEnrolment = create_enrolment [Admin]: Option<String> => ::domain::api::EnrolmentCode;
            DownloadBackup = download_backup [Admin]: String => $crate::screens::ExportedFile;
            ExportFhir = export_fhir [Clinical]: Option<String> => $crate::screens::ExportedFile;
            ImportReferral = import_referral [Clinical]: $crate::screens::import::ReferralFile => ::domain::api::ReferralImported;
            Refused = refused [SignedIn]: () => Vec<$crate::app::RefusedOp>;
            ReviewItems = review_items [SignedIn]: () => Vec<$crate::screens::review::ReviewItem>;
            ResolveReview = resolve_review [SignedIn]: $crate::screens::review::ResolveArgs => ();
            DiscardRefused = discard_refused [SignedIn]: String => ();
            ClinicSettings = clinic_settings [SignedIn]: () => ::domain::tenant::TenantSettings;
            SaveClinicSettings = save_clinic_settings [Admin]: ::domain::tenant::TenantSettings => ::domain::tenant::TenantSettings;
            ClinicDoctors = clinic_doctors [SignedIn]: () => Vec<$crate::screens::DoctorOption>;
            DayView = day_view [SignedIn]: $crate::screens::appointments::DayQuery => $crate::screens::appointments::DayView;
            FreeSlots = free_slots [SignedIn]: $crate::screens::appointments::SlotQuery => $crate::screens::appointments::FreeTimes;
            BookAppointment = book_appointment [SignedIn]: $crate::screens::appointments::AppointmentForm => $crate::screens::appointments::AppointmentRow;
            AddWalkIn = add_walk_in [SignedIn]: $crate::screens::appointments::WalkInForm => $crate::screens::appointments::AppointmentRow;
            SetAppointmentStatus = set_appointment_status [SignedIn]: $crate::screens::appointments::StatusChange => $crate::screens::appointments::AppointmentRow;
            RescheduleAppointment = reschedule_appointment [SignedIn]: $crate::screens::appointments::RescheduleForm => $crate::screens::appointments::AppointmentRow;
            PatientChart = patient_chart [SignedIn]: String => $crate::screens::PatientChart;
            SearchMedicines = search_medicines [SignedIn]: String => Vec<$crate::screens::catalog::MedicineRow>;
            AddMedicine = add_medicine [Clinical]: $crate::screens::catalog::MedicineForm => $crate::screens::catalog::MedicineRow;
            ShortKeys = short_keys [SignedIn]: () => Vec<$crate::screens::catalog::ShortKeyRow>;
            SaveShortKey = save_short_key [Clinical]: $crate::screens::catalog::ShortKeyForm => $crate::screens::catalog::ShortKeyRow;
            DeleteShortKey = delete_short_key [Clinical]: String => ();
            ExpandShortKey = expand_short_key [SignedIn]: String => Vec<$crate::screens::prescriptions::ItemForm>;
            Prescriptions = prescriptions [SignedIn]: String => Vec<$crate::screens::prescriptions::PrescriptionRow>;
            Prescription = prescription [SignedIn]: String => $crate::screens::prescriptions::PrescriptionView;
            SavePrescription = save_prescription [Clinical]: $crate::screens::prescriptions::PrescriptionForm => $crate::screens::prescriptions::PrescriptionView;
            PrescriptionAlerts = prescription_alerts [SignedIn]: $crate::screens::prescriptions::PrescriptionForm => Vec<$crate::screens::prescriptions::MedicineAlert>;
            SetPrescriptionStatus = set_prescription_status [Clinical]: $crate::args::PrescriptionStatusArgs => $crate::screens::prescriptions::PrescriptionView;
            AmendPrescription = amend_prescription [Clinical]: String => $crate::screens::prescriptions::PrescriptionView;
            PrintLayouts = print_layouts [SignedIn]: () => Vec<$crate::print::PrintLayout>;
            SavePrintLayout = save_print_layout [Clinical]: $crate::print::PrintLayout => $crate::print::PrintLayout;
            PrintPreview = print_preview [SignedIn]: String => $crate::print::PageDoc;
            PrintPrescription = print_prescription [SignedIn]: String => $crate::screens::prescriptions::PrescriptionView;
            ExportPrescriptionPdf = export_prescription_pdf [SignedIn]: String => $crate::screens::ExportedFile;
            BillDraft = bill_draft [Billing]: $crate::screens::billing::BillFor => $crate::screens::billing::InvoiceForm;
            IssueInvoice = issue_invoice [Billing]: $crate::screens::billing::InvoiceForm => $crate::screens::billing::InvoiceView;
            Invoice = invoice [SignedIn]: String => $crate::screens::billing::InvoiceView;
            PatientInvoices = patient_invoices [SignedIn]: String => Vec<$crate::screens::billing::InvoiceRow>;
            TakePayment = take_payment [Billing]: $crate::screens::billing::PaymentForm => $crate::screens::billing::InvoiceView;
            ExportReceiptPdf = export_receipt_pdf [SignedIn]: String => $crate::screens::ExportedFile;
            VoidInvoice = void_invoice [Billing]: $crate::screens::billing::VoidInvoice => $crate::screens::billing::InvoiceView;
            Report = report [Billing]: $crate::screens::reports::ReportQuery => $crate::screens::reports::Report;
            ExportReportCsv = export_report_csv [Billing]: $crate::screens::reports::ReportQuery => $crate::screens::ExportedFile;
            ExportReportPdf = export_report_pdf [Billing]: $crate::screens::reports::ReportQuery => $crate::screens::ExportedFile;
        }
    };
}

macro_rules! declare {
    ($($ty:ident = $name:ident [$access:ident]: $args:ty => $out:ty;)*) => {
        /// One type per command, carrying its name, argument and answer.
        pub mod cmd {
            $(
                #[derive(Debug, Clone, Copy)]
                pub struct $ty;

                impl $crate::Command for $ty {
                    const NAME: &'static str = stringify!($name);
                    type Args = $args;
                    type Output = $out;
                    const ACCESS: $crate::Access = $crate::Access::$access;
                }
            )*
        }

        /// Every command's name, in declaration order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Every command's type (in [`cmd`]) and name, in declaration order.
        pub const COMMANDS: &[(&str, &str)] = &[$((stringify!($ty), stringify!($name))),*];

        /// Who may call the command named `name` (`None`: no such command).
        pub fn access(name: &str) -> Option<Access> {
            match name {
                $(stringify!($name) => Some(Access::$access),)*
                _ => None,
            }
        }
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

    #[test]
    fn every_command_declares_who_may_call_it() {
        assert_eq!(access("sign_in"), Some(Access::Open));
        assert_eq!(access("add_staff"), Some(<cmd::AddStaff as Command>::ACCESS));
        assert_eq!(access("add_staff"), Some(Access::Admin));
        assert_eq!(access("search_patients"), Some(Access::SignedIn));
        assert_eq!(access("save_prescription"), Some(Access::Clinical));
        assert_eq!(access("drop_database"), None);
        assert!(NAMES.iter().all(|name| access(name).is_some()));
    }
}
