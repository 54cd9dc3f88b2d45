//! Request and response bodies of the HTTP API (`/api/v1`), with the
//! validation that turns a raw request into checked values.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::doctor::LicenceNumber;
use crate::ids::{DeviceId, DoctorId, TenantId, UserId};
use crate::plan::{Plan, PlanLimits};
use crate::tenant::{TenantCode, TenantSettings, TenantStatus, Usage};
use crate::text;
use crate::user::{self, Email, Role};

/// Collects field errors so a form can show all of them at once.
#[derive(Debug, Default)]
pub(crate) struct Checker(Vec<ValidationError>);

impl Checker {
    pub(crate) fn take<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<ValidationError>> {
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
    /// Changes whenever the clinic's logo does; absent without a logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_fingerprint: Option<String>,
    /// Why the platform suspended the clinic, while it is suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

mod audit;
mod backup;
mod devices;
mod doctors;
mod referral;
mod staff;

pub use audit::*;
pub use backup::*;
pub use devices::*;
pub use doctors::*;
pub use referral::*;
pub use staff::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::WeeklyAvailability;

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
            // Yen have no minor unit: 500 is ¥500, never ¥50,000.
            consultation_fee_minor: Some(500),
            consultation_minutes: None,
            offices: vec![],
            availability: WeeklyAvailability::new(),
        };
        let valid = req.validate().expect("valid");
        assert_eq!(valid.consultation_fee_minor, Some(500));
        assert_eq!(valid.licence_number.as_str(), "KA-778");
        assert_eq!(valid.consultation_minutes, 15);
        let bad = CreateDoctorRequest {
            experience_years: Some(71),
            consultation_minutes: Some(5),
            consultation_fee_minor: Some(-1),
            ..req
        };
        assert_eq!(bad.validate().expect_err("invalid").len(), 3);
    }
}
