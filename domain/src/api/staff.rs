//! The clinic's staff in the API: adding a person of any role, listing
//! them, and an admin changing a person's role or whether they may sign in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Checker, CreateDoctorRequest, ValidDoctor};
use crate::ValidationError;
use crate::doctor::{Office, WeeklyAvailability};
use crate::ids::{DoctorId, UserId};
use crate::text;
use crate::user::{Email, Role};

/// `POST /staff`: a person of any role. A doctor also needs `doctor`, the
/// professional details; the other roles must not send it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateStaffRequest {
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::name))]
    pub full_name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::wire::email))]
    pub email: String,
    #[serde(default)]
    pub doctor: Option<DoctorProfileRequest>,
}

/// A doctor's professional details, as in `POST /doctors`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DoctorProfileRequest {
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
    /// In the clinic currency's minor units.
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

/// A checked `CreateStaffRequest`.
#[derive(Debug, Clone)]
pub enum ValidStaff {
    Doctor(ValidDoctor),
    /// An admin, nurse or receptionist.
    Other {
        full_name: String,
        email: Email,
        role: Role,
    },
}

impl ValidStaff {
    pub fn full_name(&self) -> &str {
        match self {
            Self::Doctor(d) => &d.full_name,
            Self::Other { full_name, .. } => full_name,
        }
    }

    pub fn email(&self) -> &Email {
        match self {
            Self::Doctor(d) => &d.email,
            Self::Other { email, .. } => email,
        }
    }
}

impl CreateStaffRequest {
    pub fn validate(&self) -> Result<ValidStaff, Vec<ValidationError>> {
        match (self.role, &self.doctor) {
            (Role::Doctor, Some(p)) => self.as_doctor(p).validate().map(ValidStaff::Doctor),
            (Role::Doctor, None) => {
                let mut errors = self.validate_person().err().unwrap_or_default();
                errors.push(ValidationError::new("licence_number", "is required for a doctor"));
                Err(errors)
            }
            (_, Some(_)) => Err(vec![ValidationError::new(
                "doctor",
                "only a doctor has professional details",
            )]),
            (role, None) => self
                .validate_person()
                .map(|(full_name, email)| ValidStaff::Other {
                    full_name,
                    email,
                    role,
                }),
        }
    }

    fn validate_person(&self) -> Result<(String, Email), Vec<ValidationError>> {
        let mut c = Checker::default();
        let full_name = c.take(text::required("full_name", &self.full_name, text::NAME_MAX));
        let email = c.take(Email::parse(&self.email));
        c.finish(full_name.zip(email))
    }

    fn as_doctor(&self, p: &DoctorProfileRequest) -> CreateDoctorRequest {
        CreateDoctorRequest {
            full_name: self.full_name.clone(),
            email: self.email.clone(),
            licence_number: p.licence_number.clone(),
            specialization: p.specialization.clone(),
            qualification: p.qualification.clone(),
            experience_years: p.experience_years,
            consultation_fee_minor: p.consultation_fee_minor,
            consultation_minutes: p.consultation_minutes,
            offices: p.offices.clone(),
            availability: p.availability.clone(),
        }
    }
}

/// `PATCH /staff/{user_id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateStaffRequest {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub is_active: Option<bool>,
}

impl UpdateStaffRequest {
    pub fn validate(&self) -> Result<(), Vec<ValidationError>> {
        if self.role.is_none() && self.is_active.is_none() {
            return Err(vec![ValidationError::new(
                "role",
                "send a new role, is_active, or both",
            )]);
        }
        Ok(())
    }
}

/// One person of the clinic, as an admin sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub user_id: UserId,
    pub full_name: String,
    pub email: Email,
    pub role: Role,
    pub is_active: bool,
    /// Still has to choose their own password (not signed in yet).
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    /// Set when the person is also a doctor.
    pub doctor_id: Option<DoctorId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateStaffResponse {
    pub staff: StaffView,
    /// Shown once to the admin; the person must change it at first sign-in.
    pub temporary_password: String,
    /// Whether the credentials e-mail was accepted by the mail server.
    pub email_sent: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(role: Role, doctor: Option<DoctorProfileRequest>) -> CreateStaffRequest {
        CreateStaffRequest {
            role,
            full_name: "Asha Nair".into(),
            email: "asha@clinic.in".into(),
            doctor,
        }
    }

    fn profile() -> DoctorProfileRequest {
        DoctorProfileRequest {
            licence_number: "kmc-1234".into(),
            specialization: "General".into(),
            qualification: None,
            experience_years: None,
            consultation_fee_minor: None,
            consultation_minutes: None,
            offices: vec![],
            availability: Default::default(),
        }
    }

    fn fields(errors: Vec<ValidationError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_receptionist_needs_only_a_name_and_an_email() {
        let valid = request(Role::Receptionist, None).validate().expect("valid");
        assert!(matches!(
            valid,
            ValidStaff::Other {
                role: Role::Receptionist,
                ..
            }
        ));
        assert_eq!(valid.email().as_str(), "asha@clinic.in");
    }

    #[test]
    fn a_doctor_needs_professional_details_and_others_may_not_send_them() {
        let missing = request(Role::Doctor, None).validate().expect_err("no licence");
        assert_eq!(fields(missing), ["licence_number"]);
        let doctor = request(Role::Doctor, Some(profile())).validate().expect("valid");
        let ValidStaff::Doctor(d) = doctor else {
            panic!("not a doctor")
        };
        assert_eq!(d.licence_number.as_str(), "KMC-1234");
        let nurse = request(Role::Nurse, Some(profile()))
            .validate()
            .expect_err("nurse");
        assert_eq!(fields(nurse), ["doctor"]);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut bad = request(Role::Nurse, None);
        bad.full_name = " ".into();
        bad.email = "not-an-email".into();
        assert_eq!(fields(bad.validate().expect_err("bad")), ["full_name", "email"]);
        assert_eq!(
            fields(UpdateStaffRequest::default().validate().expect_err("empty")),
            ["role"]
        );
    }
}
