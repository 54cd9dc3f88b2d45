//! Doctors in the API: adding one, changing one, and how one is shown.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Checker;
use crate::ValidationError;
use crate::doctor::{self, LicenceNumber, Office, WeeklyAvailability};
use crate::ids::{DoctorId, UserId};
use crate::text;
use crate::time_off::{self, TimeOff};
use crate::user::Email;

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
    /// In the clinic currency's minor units (paise, cents; yen as they
    /// are): integers, so no fee is ever rounded.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000000000_i64))]
    pub consultation_fee_minor: Option<i64>,
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
        let consultation_fee_minor = c.take(check_fee(self.consultation_fee_minor));
        let consultation_minutes = c.take(check_minutes(self.consultation_minutes.unwrap_or(15)));
        let offices = c.take(doctor::validate_offices(self.offices.clone()));
        let availability = c.take(doctor::validate_availability(self.availability.clone()));
        if let (Some(hours), Some(offices)) = (&availability, &offices) {
            c.take(doctor::check_hours_offices(hours, offices));
        }
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

fn check_fee(fee: Option<i64>) -> Result<Option<i64>, ValidationError> {
    fee.map(|minor| crate::money::check_amount("consultation_fee_minor", minor))
        .transpose()
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
    /// In the clinic currency's minor units (paise, cents; yen as they
    /// are): integers, so no fee is ever rounded.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000000000_i64))]
    pub consultation_fee_minor: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 240))]
    pub consultation_minutes: Option<i32>,
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub offices: Option<Vec<Office>>,
    pub availability: Option<WeeklyAvailability>,
    /// The whole list of days off and leave, replacing the one stored.
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub time_off: Option<Vec<TimeOff>>,
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
    pub time_off: Option<Vec<TimeOff>>,
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
            consultation_fee_minor: c.take(check_fee(self.consultation_fee_minor)).flatten(),
            consultation_minutes: self.consultation_minutes.and_then(|m| c.take(check_minutes(m))),
            offices: self
                .offices
                .clone()
                .and_then(|o| c.take(doctor::validate_offices(o))),
            availability: self
                .availability
                .clone()
                .and_then(|a| c.take(doctor::validate_availability(a))),
            time_off: self.time_off.clone().and_then(|t| c.take(time_off::validate(t))),
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
    /// In the clinic currency's minor units.
    pub consultation_fee_minor: Option<i64>,
    pub consultation_minutes: i32,
    pub offices: Vec<Office>,
    pub availability: WeeklyAvailability,
    /// Days off and leave, in date order.
    #[serde(default)]
    pub time_off: Vec<TimeOff>,
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
