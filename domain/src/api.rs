//! Request and response bodies of the HTTP API (`/api/v1`), with the
//! validation that turns a raw request into checked values.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::doctor::{self, LicenceNumber, Office, WeeklyAvailability};
use crate::ids::{DeviceId, DoctorId, TenantId, UserId};
use crate::plan::{Plan, PlanLimits};
use crate::tenant::{TenantCode, TenantSettings, TenantStatus, Usage};
use crate::text;
use crate::user::{self, Email, Role};

/// Collects field errors so a form can show all of them at once.
#[derive(Debug, Default)]
struct Checker(Vec<ValidationError>);

impl Checker {
    fn take<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<ValidationError>> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterClinicRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub clinic_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub owner_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::email))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::new_password))]
    pub password: String,
    #[serde(default)]
    pub owner_is_doctor: bool,
    /// The PC registering; a new id is made when absent.
    #[serde(default)]
    pub device_id: Option<DeviceId>,
    /// For an owner who is also a doctor; can be filled in later.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^([A-Za-z0-9/.-]{3,40})?$"#))]
    pub licence_number: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::line_or_null))]
    pub specialization: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidRegistration {
    pub clinic_name: String,
    pub owner_name: String,
    pub email: Email,
    pub owner_is_doctor: bool,
    pub device_id: DeviceId,
    pub licence_number: Option<LicenceNumber>,
    pub specialization: String,
}

impl RegisterClinicRequest {
    pub fn validate(&self) -> Result<ValidRegistration, Vec<ValidationError>> {
        let mut c = Checker::default();
        let clinic_name = c.take(text::required("clinic_name", &self.clinic_name, text::NAME_MAX));
        let owner_name = c.take(text::required("owner_name", &self.owner_name, text::NAME_MAX));
        let email = c.take(Email::parse(&self.email));
        c.take(user::check_new_password(&self.password, email.as_ref()));
        let licence_number = c.take(
            self.licence_number
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .map(LicenceNumber::parse)
                .transpose(),
        );
        let specialization = c.take(
            text::optional("specialization", self.specialization.as_deref(), text::NAME_MAX)
                .map(|s| s.unwrap_or_else(|| "General".to_owned())),
        );
        let valid = (|| {
            Some(ValidRegistration {
                clinic_name: clinic_name?,
                owner_name: owner_name?,
                email: email?,
                owner_is_doctor: self.owner_is_doctor,
                device_id: self.device_id.unwrap_or_default(),
                licence_number: licence_number?,
                specialization: specialization?,
            })
        })();
        c.finish(valid)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantView {
    pub id: TenantId,
    pub code: TenantCode,
    pub name: String,
    pub plan: Plan,
    pub status: TenantStatus,
    pub trial_ends_at: Option<DateTime<Utc>>,
    pub subscription_ends_at: Option<DateTime<Utc>>,
    pub limits: PlanLimits,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: UserId,
    pub email: Email,
    pub full_name: String,
    pub role: Role,
    /// Set when the user is also a doctor.
    pub doctor_id: Option<DoctorId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterClinicResponse {
    pub tenant: TenantView,
    pub user: UserView,
    pub device_id: DeviceId,
    /// This PC's device secret, issued once: the PC keeps it in its keychain
    /// and presents it at every later sign-in to this clinic.
    #[serde(default)]
    pub device_secret: Option<String>,
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// This PC's digit in the clinic's APT/RX numbers (0-9).
    #[serde(default)]
    pub number_slot: Option<u8>,
    /// The new clinic's settings, as at sign-in.
    #[serde(default)]
    pub settings: TenantSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub clinic_code: String,
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub password: String,
    pub device_id: DeviceId,
    /// The secret the server issued to this PC at its first sign-in to the
    /// clinic. Required once the device is known there; without it the
    /// sign-in is refused `device_unverified`.
    #[serde(default)]
    pub device_secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: UserView,
    pub tenant: TenantView,
    /// The user signed in with a temporary password and must choose a new
    /// one (`POST /auth/password`) before anything else.
    pub must_change_password: bool,
    /// Present only when the server issued this PC its device secret (its
    /// first sign-in to the clinic): keep it, present it from now on.
    #[serde(default)]
    pub device_secret: Option<String>,
    /// This PC's digit in the clinic's APT/RX numbers (0-9). Given to PCs
    /// an admin has signed in on; `None` otherwise.
    #[serde(default)]
    pub number_slot: Option<u8>,
    /// The clinic's settings (header, date style, idle timeout), so a PC
    /// that never saw the clinic has them from the first screen.
    #[serde(default)]
    pub settings: TenantSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// "Forgot the clinic code?": the codes are e-mailed to this address if
/// any clinic account uses it; the answer is the same either way.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClinicCodeReminderRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::email))]
    pub email: String,
}

/// What a reminder request is told, whether or not the address is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClinicCodeReminderResponse {
    pub message: String,
}

impl ClinicCodeReminderResponse {
    pub fn sent() -> Self {
        Self {
            message: "If a clinic account uses that e-mail address, its clinic code is on its way there. \
                      Check the inbox (and the spam folder) in a few minutes."
                .into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogoutRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::new_password))]
    pub new_password: String,
}

/// `GET /tenant`: the caller's clinic with its consumption.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TenantOverview {
    #[serde(flatten)]
    pub tenant: TenantView,
    /// `expired` when an active clinic is past its end date.
    pub effective_status: TenantStatus,
    pub usage: Usage,
    pub days_until_expiry: Option<i64>,
    pub can_create_records: bool,
    pub settings: TenantSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateDoctorRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub full_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::email))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::licence))]
    pub licence_number: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub specialization: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::short_text_or_null))]
    pub qualification: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 70))]
    pub experience_years: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000))]
    pub consultation_fee: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 240))]
    pub consultation_minutes: Option<i32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub offices: Vec<Office>,
    #[serde(default)]
    pub availability: WeeklyAvailability,
}

#[derive(Debug, Clone)]
pub struct ValidDoctor {
    pub full_name: String,
    pub email: Email,
    pub licence_number: LicenceNumber,
    pub specialization: String,
    pub qualification: Option<String>,
    pub experience_years: Option<i32>,
    /// Minor currency units (paise, cents).
    pub consultation_fee_minor: Option<i64>,
    pub consultation_minutes: i32,
    pub offices: Vec<Office>,
    pub availability: WeeklyAvailability,
}

impl CreateDoctorRequest {
    pub fn validate(&self) -> Result<ValidDoctor, Vec<ValidationError>> {
        let mut c = Checker::default();
        let full_name = c.take(text::required("full_name", &self.full_name, text::NAME_MAX));
        let email = c.take(Email::parse(&self.email));
        let licence_number = c.take(LicenceNumber::parse(&self.licence_number));
        let specialization = c.take(text::required(
            "specialization",
            &self.specialization,
            text::NAME_MAX,
        ));
        let qualification = c.take(text::optional(
            "qualification",
            self.qualification.as_deref(),
            text::NAME_MAX,
        ));
        let experience_years = c.take(check_experience(self.experience_years));
        let consultation_fee_minor = c.take(fee_to_minor(self.consultation_fee));
        let consultation_minutes = c.take(check_minutes(self.consultation_minutes.unwrap_or(15)));
        let offices = c.take(doctor::validate_offices(self.offices.clone()));
        let availability = c.take(doctor::validate_availability(self.availability.clone()));
        let valid = (|| {
            Some(ValidDoctor {
                full_name: full_name?,
                email: email?,
                licence_number: licence_number?,
                specialization: specialization?,
                qualification: qualification?,
                experience_years: experience_years?,
                consultation_fee_minor: consultation_fee_minor?,
                consultation_minutes: consultation_minutes?,
                offices: offices?,
                availability: availability?,
            })
        })();
        c.finish(valid)
    }
}

fn check_experience(years: Option<i32>) -> Result<Option<i32>, ValidationError> {
    match years {
        Some(y) if !doctor::EXPERIENCE_YEARS.contains(&y) => Err(ValidationError::new(
            "experience_years",
            "must be between 0 and 70",
        )),
        other => Ok(other),
    }
}

fn check_minutes(minutes: i32) -> Result<i32, ValidationError> {
    if doctor::CONSULTATION_MINUTES.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(ValidationError::new(
            "consultation_minutes",
            "must be between 10 and 240",
        ))
    }
}

fn fee_to_minor(fee: Option<f64>) -> Result<Option<i64>, ValidationError> {
    match fee {
        None => Ok(None),
        Some(f) if f.is_finite() && (0.0..=10_000_000.0).contains(&f) => Ok(Some((f * 100.0).round() as i64)),
        Some(_) => Err(ValidationError::new(
            "consultation_fee",
            "must be between 0 and 10,000,000",
        )),
    }
}

/// `PATCH /doctors/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateDoctorRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::licence_or_null))]
    pub licence_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name_or_null))]
    pub specialization: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::short_text_or_null))]
    pub qualification: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 70))]
    pub experience_years: Option<i32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000))]
    pub consultation_fee: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 240))]
    pub consultation_minutes: Option<i32>,
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub offices: Option<Vec<Office>>,
    pub availability: Option<WeeklyAvailability>,
    pub is_active: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct ValidDoctorUpdate {
    pub licence_number: Option<LicenceNumber>,
    pub specialization: Option<String>,
    pub qualification: Option<Option<String>>,
    pub experience_years: Option<i32>,
    pub consultation_fee_minor: Option<i64>,
    pub consultation_minutes: Option<i32>,
    pub offices: Option<Vec<Office>>,
    pub availability: Option<WeeklyAvailability>,
    pub is_active: Option<bool>,
}

impl UpdateDoctorRequest {
    pub fn validate(&self) -> Result<ValidDoctorUpdate, Vec<ValidationError>> {
        let mut c = Checker::default();
        let update = ValidDoctorUpdate {
            licence_number: self
                .licence_number
                .as_deref()
                .and_then(|l| c.take(LicenceNumber::parse(l))),
            specialization: self
                .specialization
                .as_deref()
                .and_then(|s| c.take(text::required("specialization", s, text::NAME_MAX))),
            qualification: self
                .qualification
                .as_deref()
                .and_then(|q| c.take(text::optional("qualification", Some(q), text::NAME_MAX))),
            experience_years: c.take(check_experience(self.experience_years)).flatten(),
            consultation_fee_minor: c.take(fee_to_minor(self.consultation_fee)).flatten(),
            consultation_minutes: self.consultation_minutes.and_then(|m| c.take(check_minutes(m))),
            offices: self
                .offices
                .clone()
                .and_then(|o| c.take(doctor::validate_offices(o))),
            availability: self
                .availability
                .clone()
                .and_then(|a| c.take(doctor::validate_availability(a))),
            is_active: self.is_active,
        };
        c.finish(Some(update))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoctorView {
    pub id: DoctorId,
    pub user_id: UserId,
    pub full_name: String,
    pub email: Email,
    /// Absent until an owner who registered as a doctor fills it in.
    pub licence_number: Option<LicenceNumber>,
    pub specialization: String,
    pub qualification: Option<String>,
    pub experience_years: Option<i32>,
    /// Major currency units (rupees), two decimals.
    pub consultation_fee: Option<f64>,
    pub consultation_minutes: i32,
    pub offices: Vec<Office>,
    pub availability: WeeklyAvailability,
    pub is_active: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateDoctorResponse {
    pub doctor: DoctorView,
    /// Shown once to the admin; the doctor must change it at first sign-in.
    pub temporary_password: String,
    /// Whether the credentials e-mail was accepted by the mail server.
    pub email_sent: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration() -> RegisterClinicRequest {
        RegisterClinicRequest {
            clinic_name: "Smile Dental".into(),
            owner_name: "Dr Asha Rao".into(),
            email: "asha@smile.in".into(),
            password: "Correct-Horse-42".into(),
            owner_is_doctor: true,
            device_id: None,
            licence_number: None,
            specialization: None,
        }
    }

    #[test]
    fn registration_reports_every_bad_field() {
        assert!(registration().validate().is_ok());
        let bad = RegisterClinicRequest {
            clinic_name: " ".into(),
            email: "nope".into(),
            password: "weak".into(),
            ..registration()
        };
        let fields: Vec<_> = bad
            .validate()
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["clinic_name", "email", "password"]);
    }

    #[test]
    fn doctor_fee_and_ranges() {
        let req = CreateDoctorRequest {
            full_name: "Dr Vikram".into(),
            email: "vikram@smile.in".into(),
            licence_number: "ka-778".into(),
            specialization: "Endodontics".into(),
            qualification: None,
            experience_years: Some(12),
            consultation_fee: Some(499.995),
            consultation_minutes: None,
            offices: vec![],
            availability: WeeklyAvailability::new(),
        };
        let valid = req.validate().expect("valid");
        assert_eq!(valid.consultation_fee_minor, Some(50_000));
        assert_eq!(valid.licence_number.as_str(), "KA-778");
        assert_eq!(valid.consultation_minutes, 15);
        let bad = CreateDoctorRequest {
            experience_years: Some(71),
            consultation_minutes: Some(5),
            consultation_fee: Some(f64::NAN),
            ..req
        };
        assert_eq!(bad.validate().expect_err("invalid").len(), 3);
    }
}

/// One thing a user looked at or printed on a PC (docs/DOMAIN.md: the audit
/// log). Changes are in the change log; these are the reads and outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: uuid::Uuid,
    pub action: AuditAction,
    #[cfg_attr(feature = "openapi", schema(pattern = r#"^[a-z_]{1,63}$"#))]
    pub entity_table: String,
    pub entity_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub details: serde_json::Value,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    View,
    Print,
    Export,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Print => "print",
            Self::Export => "export",
        }
    }
}

/// `POST /sync/audit`: events recorded on a PC, at most 1,000 per call.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditBatch {
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub events: Vec<AuditEvent>,
}

impl AuditBatch {
    pub const MAX_EVENTS: usize = 1000;
    /// Largest `details` of one event, as JSON text.
    pub const MAX_DETAILS_BYTES: usize = 2048;
    /// How far back a PC that was offline may date an event.
    pub const MAX_AGE_DAYS: i64 = 90;

    /// Bounds every event: a table name, small object details, and a time
    /// between [`Self::MAX_AGE_DAYS`] ago and five minutes after `now`
    /// (the server keeps its own receipt time next to it).
    pub fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.events.len() > Self::MAX_EVENTS {
            errors.push(ValidationError::new(
                "events",
                "must hold at most 1000 events per call",
            ));
        }
        let bad_table =
            |t: &str| t.is_empty() || t.len() > 63 || !t.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let earliest = now - chrono::Duration::days(Self::MAX_AGE_DAYS);
        let latest = now + chrono::Duration::minutes(5);
        for (i, event) in self.events.iter().enumerate() {
            if bad_table(&event.entity_table) {
                errors.push(ValidationError::new(
                    format!("events.{i}.entity_table"),
                    "must be a table name",
                ));
            }
            let details_ok = match &event.details {
                serde_json::Value::Null => true,
                serde_json::Value::Object(_) => event.details.to_string().len() <= Self::MAX_DETAILS_BYTES,
                _ => false,
            };
            if !details_ok {
                errors.push(ValidationError::new(
                    format!("events.{i}.details"),
                    "must be an object of at most 2048 bytes",
                ));
            }
            if event.occurred_at < earliest || event.occurred_at > latest {
                errors.push(ValidationError::new(
                    format!("events.{i}.occurred_at"),
                    "must lie between 90 days ago and now",
                ));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// How many events of a batch were new (the rest were sent before).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditAccepted {
    pub recorded: u64,
}
