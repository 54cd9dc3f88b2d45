//! What the desktop UI and the Tauri shell exchange: settings, the session,
//! sync status, forms and the one error type of the command edge. Shared so
//! both sides compile against the same shapes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use domain::ValidationError;
use domain::plan::Plan;
use domain::tenant::TenantStatus;
use domain::user::{Email, Role};

/// Every failure that crosses to the UI. The UI matches on `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub code: CommandCode,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<ValidationError>,
}

impl CommandError {
    pub fn new(code: CommandCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn invalid(fields: Vec<ValidationError>) -> Self {
        Self {
            code: CommandCode::ValidationFailed,
            message: "Some fields need attention.".into(),
            fields,
        }
    }

    /// The message for one field, if that field was refused.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.field == name)
            .map(|f| f.message.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandCode {
    ValidationFailed,
    InvalidCredentials,
    /// Too many attempts from this address or at this clinic: wait, then retry.
    RateLimited,
    /// The clinic's server knows this PC and it could not prove it is that
    /// PC (its keychain lost the device secret): IT re-enrols it.
    DeviceUnverified,
    /// An admin removed this PC from the clinic; its data here was erased.
    DeviceRevoked,
    /// IT's enrolment code was refused (unknown, used or expired).
    EnrolmentRefused,
    /// This PC's clock is ahead of the server's: changes wait on the PC
    /// until its date and time are corrected.
    ClockAhead,
    /// The server cannot be reached; offline work continues.
    Offline,
    /// Offline sign-in for someone who never signed in on this PC online.
    UnknownOfflineUser,
    NotSignedIn,
    PasswordChangeRequired,
    Forbidden,
    PlanLimitReached,
    TenantInactive,
    /// The platform suspended the clinic: records can be read, nothing can
    /// be written (the message says why).
    ClinicSuspended,
    Conflict,
    NotFound,
    ServerNotConfigured,
    /// A record stored on this PC could not be read by this screen (a
    /// value of a shape the app does not expect). Restarting does not help;
    /// the cause is in the app's log.
    LocalDataUnreadable,
    /// The PC's disk is full: nothing more can be saved until space is freed.
    LocalDiskFull,
    /// The PC's database is busy (a long sync write); trying again helps.
    LocalBusy,
    /// The clinic's data file on this PC is damaged or cannot be opened.
    LocalStorageFailed,
    Internal,
}

/// Where the app talks to, and whether IT fixed it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppSettings {
    pub server_url: Option<String>,
    /// Fixed by IT for this PC (the sign-in screen does not let it change).
    pub clinic_code: Option<String>,
    /// The clinic last signed in to on this PC, offered at sign-in.
    #[serde(default)]
    pub last_clinic_code: Option<String>,
    /// Set by IT (config file or environment): the user cannot change it.
    pub preset: bool,
    /// What is wrong with IT's preset file, if anything (it is then ignored).
    #[serde(default)]
    pub preset_problem: Option<String>,
}

/// What the app knows of updates to itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UpdateView {
    /// The version running now.
    pub current_version: String,
    /// A newer version downloaded, its signature checked: installed at the
    /// next restart the user chooses.
    pub ready: Option<String>,
    pub notes: Option<String>,
    /// A version that was offered and refused, and why (its signature did
    /// not match the key this app was built with, say). Never installed.
    pub refused: Option<String>,
    /// Checking could not finish (offline, say): tried again later.
    pub error: Option<String>,
    /// An admin put the ready update off on this PC until this time.
    pub deferred_until: Option<String>,
}

/// Where this PC asks for updates, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSource {
    /// `{server}/api/v1/updates/{{target}}/{{arch}}/{{current_version}}?channel=...`
    pub endpoint: String,
    /// The signed-in PC's access token.
    pub token: Option<String>,
}

/// The clinic this PC joined with IT's enrolment code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub clinic_code: String,
    pub clinic_name: String,
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub doctor_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub tenant_id: String,
    pub clinic_code: String,
    pub clinic_name: String,
    pub user: SessionUser,
    pub must_change_password: bool,
    /// Signed in with the local verifier while the server was unreachable.
    pub offline: bool,
    /// How the clinic writes dates (from its country); every screen shows
    /// and reads dates in it.
    #[serde(default)]
    pub date_style: domain::date::DateStyle,
    /// Something the person must know about this sign-in (the PC's copy of
    /// the clinic had to be started anew, say).
    #[serde(default)]
    pub notice: Option<String>,
    /// Minutes the window may sit untouched before it signs out: IT's
    /// preset for this PC, else the clinic's setting, else 15.
    #[serde(default = "default_idle_minutes")]
    pub idle_minutes: u32,
    /// The clinic's currency (ISO 4217) and how its region writes numbers:
    /// every amount on screen is shown and read in them.
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    pub number_style: domain::money::NumberStyle,
}

impl SessionView {
    pub fn money(&self) -> domain::money::MoneyFormat {
        domain::money::MoneyFormat::new(
            domain::money::Currency::of_setting(Some(&self.currency)),
            self.number_style,
        )
    }
}

fn default_currency() -> String {
    "INR".into()
}

/// Minutes before an untouched window signs out, when neither IT nor the
/// clinic chose.
pub const DEFAULT_IDLE_MINUTES: u32 = 15;

fn default_idle_minutes() -> u32 {
    DEFAULT_IDLE_MINUTES
}

/// The subscription widget: plan, status and days left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    pub plan: Plan,
    pub status: TenantStatus,
    pub days_left: Option<i64>,
    pub max_doctors: i64,
    pub doctors: i64,
    pub max_patients: i64,
    pub patients: i64,
}

impl SubscriptionView {
    /// Under a week left: the header turns amber.
    pub fn warning(&self) -> bool {
        self.days_left.is_some_and(|d| d < 7) && !self.expired()
    }

    pub fn expired(&self) -> bool {
        self.status != TenantStatus::Active || self.days_left == Some(0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProgress {
    pub done: u64,
    pub total: u64,
}

/// What the UI shows about sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub online: bool,
    pub pending: i64,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
    pub conflicts: i64,
    pub refused: i64,
    pub cursor: Option<i64>,
    /// Set while a first sync runs.
    pub first_sync: Option<SyncProgress>,
    /// While the platform has suspended the clinic: why, in words for the
    /// banner (nothing can be written until it is reactivated).
    #[serde(default)]
    pub clinic_suspended: Option<String>,
}

/// A write the server refused, waiting for the user to fix or discard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedOp {
    pub op_id: uuid::Uuid,
    pub table: String,
    pub row_id: uuid::Uuid,
    pub kind: String,
    pub fields: Map<String, Value>,
    pub refusal: domain::sync::Refusal,
    pub message: String,
    pub refused_at: String,
}

mod patients;

pub use patients::*;

/// The sign-in form; e-mail checked here so a typo is caught before any
/// network or hashing.
pub fn check_sign_in(clinic_code: &str, email: &str, password: &str) -> Result<(), Vec<ValidationError>> {
    let mut errors = Vec::new();
    if domain::tenant::TenantCode::parse(clinic_code).is_err() {
        errors.push(ValidationError::new(
            "clinic_code",
            "Enter your clinic code, e.g. SMILEDEN_7KQ_2MX_4DP.",
        ));
    }
    if Email::parse(email).is_err() {
        errors.push(ValidationError::new("email", "Enter your e-mail address."));
    }
    if password.is_empty() {
        errors.push(ValidationError::new("password", "Enter your password."));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

pub use domain::address::parse_server_url;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_widget_states() {
        let mut s = SubscriptionView {
            plan: Plan::Trial,
            status: TenantStatus::Active,
            days_left: Some(5),
            max_doctors: 5,
            doctors: 1,
            max_patients: 1000,
            patients: 0,
        };
        assert!(s.warning() && !s.expired());
        s.days_left = Some(0);
        assert!(s.expired() && !s.warning());
    }

    #[test]
    fn sign_in_form() {
        assert!(check_sign_in("SMILE_01", "a@b.in", "x").is_ok());
        assert_eq!(check_sign_in("x", "nope", "").map_err(|e| e.len()), Err(3));
    }
}
