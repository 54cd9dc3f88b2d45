//! Patients as the desktop shows and edits them: a list row and the
//! registration form with its checks.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use domain::ValidationError;
use domain::patient::{BloodGroup, Gender, Relationship};
use domain::phone::PhoneNumber;
use domain::text;

/// What the search box asks: the text typed and how many rows the screen
/// shows (the picker 8, the list more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientSearch {
    pub query: String,
    pub limit: u32,
}

impl PatientSearch {
    /// The most rows one search returns.
    pub const MAX_LIMIT: u32 = 200;

    pub fn new(query: &str, limit: u32) -> Self {
        Self {
            query: query.to_owned(),
            limit,
        }
    }

    /// `limit` within 1..=[`Self::MAX_LIMIT`].
    #[must_use]
    pub fn rows(&self) -> usize {
        self.limit.clamp(1, Self::MAX_LIMIT) as usize
    }
}

/// A search for `query` with as many rows as one search gives.
impl From<&str> for PatientSearch {
    fn from(query: &str) -> Self {
        Self::new(query, Self::MAX_LIMIT)
    }
}

/// One line of the patients list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientRow {
    pub id: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub mobile_number: String,
    pub date_of_birth: String,
    pub gender: String,
    pub blood_group: Option<String>,
    pub allergies: Vec<String>,
    pub notes: Option<String>,
    /// To the main member of the mobile number (`self` for that member).
    pub relationship: String,
    pub emergency_contact_name: Option<String>,
    pub emergency_contact_phone: Option<String>,
}

impl PatientRow {
    /// "First Last", or the first name alone.
    pub fn full_name(&self) -> String {
        match self.last_name.as_deref().map(str::trim) {
            Some(last) if !last.is_empty() => format!("{} {last}", self.first_name),
            _ => self.first_name.clone(),
        }
    }
}

/// The patient form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PatientForm {
    pub first_name: String,
    pub last_name: String,
    pub mobile_number: String,
    pub date_of_birth: String,
    pub gender: String,
    pub blood_group: String,
    /// Comma-separated as typed.
    pub allergies: String,
    pub notes: String,
    /// Empty means `self` (the first member of a mobile number).
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub emergency_contact_name: String,
    #[serde(default)]
    pub emergency_contact_phone: String,
}

impl PatientForm {
    /// The form with its mobile number in the clinic's E.164 form (see
    /// `PhoneNumber::parse_in`), so that one family is one number however
    /// it was typed. A number that does not parse stays as typed, for
    /// [`PatientForm::validate`] to explain.
    pub fn in_clinic(mut self, calling_code: Option<&str>) -> Self {
        if let Ok(number) = PhoneNumber::parse_in(&self.mobile_number, calling_code) {
            self.mobile_number = number.as_str().to_owned();
        }
        self
    }

    /// Checks the form and returns the row fields to write.
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<Map<String, Value>, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<Value, ValidationError>| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                Value::Null
            })
        };
        let first_name =
            keep(text::required("first_name", &self.first_name, text::NAME_MAX).map(Value::from));
        let last_name =
            keep(text::optional("last_name", Some(&self.last_name), text::NAME_MAX).map(|v| json!(v)));
        let mobile = keep(
            PhoneNumber::parse(&self.mobile_number)
                .map(|p| Value::from(p.as_str()))
                .map_err(|_| {
                    ValidationError::new("mobile_number", "Enter a phone number of 6 to 15 digits.")
                }),
        );
        let dob = keep(
            chrono::NaiveDate::parse_from_str(self.date_of_birth.trim(), "%Y-%m-%d")
                .map_err(|_| ValidationError::new("date_of_birth", "Enter the date of birth."))
                .and_then(|d| {
                    if d > today {
                        Err(ValidationError::new(
                            "date_of_birth",
                            "The date of birth cannot be in the future.",
                        ))
                    } else {
                        Ok(Value::from(d.to_string()))
                    }
                }),
        );
        let gender = keep(
            Gender::parse(self.gender.trim())
                .map(|g| Value::from(g.as_str()))
                .ok_or_else(|| ValidationError::new("gender", "Choose a gender.")),
        );
        let blood_group = keep(match self.blood_group.trim() {
            "" => Ok(Value::Null),
            b => BloodGroup::parse(b)
                .map(|g| Value::from(g.as_str()))
                .ok_or_else(|| ValidationError::new("blood_group", "Choose a blood group from the list.")),
        });
        let notes = keep(text::optional("notes", Some(&self.notes), text::LONG_TEXT_MAX).map(|v| json!(v)));
        let relationship = keep(match self.relationship.trim() {
            "" => Ok(Value::from("self")),
            r => Relationship::parse(r)
                .map(|r| Value::from(r.as_str()))
                .ok_or_else(|| {
                    ValidationError::new("relationship", "Choose the relationship from the list.")
                }),
        });
        let emergency = keep(self.emergency_contact());
        let allergies: Vec<String> = self
            .allergies
            .split(',')
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect();
        if allergies.iter().any(|a| a.chars().count() > 100) {
            errors.push(ValidationError::new(
                "allergies",
                "Each allergy must be at most 100 characters.",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut fields = Map::new();
        for (k, v) in [
            ("first_name", first_name),
            ("last_name", last_name),
            ("mobile_number", mobile),
            ("date_of_birth", dob),
            ("gender", gender),
            ("blood_group", blood_group),
            ("notes", notes),
            ("allergies", json!(allergies)),
            ("relationship", relationship),
            ("emergency_contact", emergency),
        ] {
            fields.insert(k.to_owned(), v);
        }
        Ok(fields)
    }

    pub fn from_row(row: &PatientRow) -> Self {
        Self {
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone().unwrap_or_default(),
            mobile_number: row.mobile_number.clone(),
            date_of_birth: row.date_of_birth.clone(),
            gender: row.gender.clone(),
            blood_group: row.blood_group.clone().unwrap_or_default(),
            allergies: row.allergies.join(", "),
            notes: row.notes.clone().unwrap_or_default(),
            relationship: row.relationship.clone(),
            emergency_contact_name: row.emergency_contact_name.clone().unwrap_or_default(),
            emergency_contact_phone: row.emergency_contact_phone.clone().unwrap_or_default(),
        }
    }

    /// `{name, phone}` or null; a phone without a name is refused.
    fn emergency_contact(&self) -> Result<Value, ValidationError> {
        let name = text::optional(
            "emergency_contact_name",
            Some(&self.emergency_contact_name),
            text::NAME_MAX,
        )?;
        let phone = match self.emergency_contact_phone.trim() {
            "" => None,
            raw => Some(PhoneNumber::parse(raw).map_err(|_| {
                ValidationError::new(
                    "emergency_contact_phone",
                    "Enter a phone number of 6 to 15 digits.",
                )
            })?),
        };
        match (name, phone) {
            (None, None) => Ok(Value::Null),
            (Some(name), phone) => Ok(json!({"name": name, "phone": phone.map(|p| p.as_str().to_owned())})),
            (None, Some(_)) => Err(ValidationError::new(
                "emergency_contact_name",
                "Enter whom to call at this number.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    #[test]
    fn patient_form_validates_in_words_a_receptionist_understands() {
        let form = PatientForm {
            first_name: "Meera".into(),
            mobile_number: "98765 43210".into(),
            date_of_birth: "1990-04-01".into(),
            gender: "female".into(),
            allergies: "penicillin, sulfa ".into(),
            ..Default::default()
        };
        let fields = form.validate(today()).expect("valid");
        assert_eq!(fields["mobile_number"], "9876543210");
        assert_eq!(fields["allergies"], json!(["penicillin", "sulfa"]));
        assert_eq!(fields["relationship"], "self", "the first member of a number");
        assert_eq!(fields["emergency_contact"], Value::Null);
        let family = PatientForm {
            relationship: "spouse".into(),
            emergency_contact_name: "Ravi".into(),
            emergency_contact_phone: "+91 98450 00000".into(),
            ..form.clone()
        };
        let fields = family.validate(today()).expect("valid");
        assert_eq!(fields["relationship"], "spouse");
        assert_eq!(fields["emergency_contact"]["name"], "Ravi");
        let no_name = PatientForm {
            relationship: "cousin".into(),
            emergency_contact_phone: "9845000000".into(),
            ..form.clone()
        };
        let names: Vec<_> = no_name
            .validate(today())
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(names, ["relationship", "emergency_contact_name"]);
        let bad = PatientForm {
            date_of_birth: "2030-01-01".into(),
            gender: String::new(),
            ..form
        };
        let errors = bad.validate(today()).expect_err("invalid");
        let names: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(names, ["date_of_birth", "gender"]);
    }
}
