//! Importing a clinic's existing patient list from a spreadsheet (CSV or
//! XLSX): which column holds what, the rows as the patient form would read
//! them, and the report of a dry run. The PC reads the file, checks every
//! row with these rules plus the clinic's own patients (duplicates,
//! families), and imports the accepted rows in one transaction.

use domain::ValidationError;
use domain::date::{self, DateStyle};
use serde::{Deserialize, Serialize};

use crate::app::PatientForm;

domain::string_enum!(
    /// What a spreadsheet column can fill.
    ImportField {
        FirstName => "first_name", LastName => "last_name", FullName => "full_name",
        Mobile => "mobile_number", DateOfBirth => "date_of_birth", Gender => "gender",
        BloodGroup => "blood_group", Allergies => "allergies", Notes => "notes",
        Relationship => "relationship", EmergencyName => "emergency_contact_name",
        EmergencyPhone => "emergency_contact_phone",
    }
);

impl ImportField {
    /// How the mapping screen names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::FirstName => "First name",
            Self::LastName => "Last name",
            Self::FullName => "Full name (first and last)",
            Self::Mobile => "Mobile number",
            Self::DateOfBirth => "Date of birth",
            Self::Gender => "Gender",
            Self::BloodGroup => "Blood group",
            Self::Allergies => "Allergies",
            Self::Notes => "Notes",
            Self::Relationship => "Relationship to the number's main member",
            Self::EmergencyName => "Emergency contact name",
            Self::EmergencyPhone => "Emergency contact phone",
        }
    }

    /// Header words that usually mean this field (lower case, letters only).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Self::FirstName => &["firstname", "givenname", "forename", "first"],
            Self::LastName => &["lastname", "surname", "familyname", "last"],
            Self::FullName => &["name", "fullname", "patientname", "patient"],
            Self::Mobile => &[
                "mobile",
                "mobilenumber",
                "phone",
                "phonenumber",
                "contact",
                "cell",
                "telephone",
                "mobileno",
                "phoneno",
            ],
            Self::DateOfBirth => &["dob", "dateofbirth", "birthdate", "born", "birthday"],
            Self::Gender => &["gender", "sex"],
            Self::BloodGroup => &["bloodgroup", "blood", "bloodtype"],
            Self::Allergies => &["allergies", "allergy", "knownallergies"],
            Self::Notes => &["notes", "note", "remarks", "comments"],
            Self::Relationship => &["relationship", "relation"],
            Self::EmergencyName => &["emergencycontact", "emergencyname", "emergencycontactname"],
            Self::EmergencyPhone => &["emergencyphone", "emergencynumber", "emergencycontactphone"],
        }
    }
}

/// A file as the window read it (`base64` of its bytes).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportFile {
    pub name: String,
    pub base64: String,
    /// How the clinic writes dates: the first guess for the file's.
    pub date_style: DateStyle,
}

/// A referral file (another clinic's FHIR export of one patient) as the
/// window read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferralFile {
    pub name: String,
    pub base64: String,
}

/// Which field each column fills (`None`: not imported), and how the
/// file writes dates without a four-digit year first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub columns: Vec<Option<ImportField>>,
    pub date_style: DateStyle,
}

/// An opened file: its columns, a guess at the mapping and a few rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSheet {
    pub id: String,
    pub file_name: String,
    pub headers: Vec<String>,
    pub rows: usize,
    pub mapping: ColumnMapping,
    /// The first rows as read, for the mapping screen.
    pub sample: Vec<Vec<String>>,
}

/// A dry run or an import of the opened file with `mapping`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportRequest {
    pub id: String,
    pub mapping: ColumnMapping,
}

/// One row as it would be imported, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCheck {
    /// The row's number in the spreadsheet (the header is row 1).
    pub row: usize,
    pub name: String,
    pub mobile: String,
    pub date_of_birth: String,
    pub gender: String,
    /// Empty when the row will be imported.
    pub problems: Vec<String>,
}

/// The dry run: every row checked, nothing written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub total: usize,
    pub accepted: usize,
    /// Every row that will not be imported, with its reasons.
    pub rejected: Vec<RowCheck>,
    /// The first rows, good or not.
    pub preview: Vec<RowCheck>,
}

/// Rows of a dry run's preview.
pub const PREVIEW_ROWS: usize = 20;
/// The most rows one import takes.
pub const MAX_ROWS: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDone {
    pub imported: usize,
    pub skipped: usize,
}

fn normalized(header: &str) -> String {
    header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A first guess from the headers; each field goes to one column at most.
pub fn guess_mapping(headers: &[String], date_style: DateStyle) -> ColumnMapping {
    let mut taken = Vec::new();
    let columns = headers
        .iter()
        .map(|h| {
            let key = normalized(h);
            let field = ImportField::ALL
                .iter()
                .copied()
                .find(|f| !taken.contains(f) && f.synonyms().contains(&key.as_str()))?;
            taken.push(field);
            Some(field)
        })
        .collect();
    ColumnMapping { columns, date_style }
}

impl ColumnMapping {
    /// What the mapping lacks before any row can be read.
    pub fn check(&self) -> Result<(), Vec<ValidationError>> {
        let has = |f: ImportField| self.columns.contains(&Some(f));
        let mut errors = Vec::new();
        if !has(ImportField::FirstName) && !has(ImportField::FullName) {
            errors.push(ValidationError::new(
                "mapping",
                "Choose the column with the first name (or the full name).",
            ));
        }
        if has(ImportField::FirstName) && has(ImportField::FullName) {
            errors.push(ValidationError::new(
                "mapping",
                "Choose either a first-name column or a full-name column, not both.",
            ));
        }
        for (field, what) in [
            (ImportField::Mobile, "mobile number"),
            (ImportField::DateOfBirth, "date of birth"),
        ] {
            if !has(field) {
                errors.push(ValidationError::new(
                    "mapping",
                    format!("Choose the column with the {what}."),
                ));
            }
        }
        for field in ImportField::ALL {
            if self.columns.iter().filter(|c| **c == Some(*field)).count() > 1 {
                errors.push(ValidationError::new(
                    "mapping",
                    format!("{} is chosen for two columns.", field.label()),
                ));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The patient form a row gives, with its date of birth read in the
    /// file's style (an unreadable one is left as typed, for the form's
    /// message) and gender words (`F`, `Male`) read.
    pub fn form(&self, row: &[String]) -> PatientForm {
        let mut form = PatientForm::default();
        for (field, value) in self.columns.iter().zip(row) {
            let Some(field) = field else { continue };
            let value = value.trim();
            match field {
                ImportField::FirstName => form.first_name = value.to_owned(),
                ImportField::LastName => form.last_name = value.to_owned(),
                ImportField::FullName => {
                    let (first, last) = value.rsplit_once(' ').unwrap_or((value, ""));
                    form.first_name = first.trim().to_owned();
                    form.last_name = last.trim().to_owned();
                }
                ImportField::Mobile => form.mobile_number = value.to_owned(),
                ImportField::DateOfBirth => {
                    form.date_of_birth = date::parse_date(value, self.date_style)
                        .map(date::iso)
                        .unwrap_or_else(|_| value.to_owned());
                }
                ImportField::Gender => form.gender = gender(value),
                ImportField::BloodGroup => form.blood_group = value.to_uppercase().replace(' ', ""),
                ImportField::Allergies => form.allergies = value.replace(';', ","),
                ImportField::Notes => form.notes = value.to_owned(),
                ImportField::Relationship => form.relationship = value.to_lowercase(),
                ImportField::EmergencyName => form.emergency_contact_name = value.to_owned(),
                ImportField::EmergencyPhone => form.emergency_contact_phone = value.to_owned(),
            }
        }
        if form.gender.is_empty() {
            form.gender = "undisclosed".into();
        }
        form
    }
}

/// `M`, `male`, `F`, `Female`, `O`: the stored word; anything else is
/// left for the form to refuse.
fn gender(raw: &str) -> String {
    match raw.to_lowercase().as_str() {
        "m" | "male" | "man" => "male".into(),
        "f" | "female" | "woman" => "female".into(),
        "o" | "other" => "other".into(),
        "" | "u" | "unknown" | "undisclosed" | "prefer not to say" => "undisclosed".into(),
        other => other.to_owned(),
    }
}

/// A form's problems in words for the report: "Mobile number: Enter a
/// phone number of 6 to 15 digits."
pub fn describe(errors: &[ValidationError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let field = ImportField::ALL
                .iter()
                .find(|f| f.as_str() == e.field)
                .map_or_else(|| domain::text::words(&e.field), |f| f.label().to_owned());
            // "First name is required" says its field already.
            let first_word = field.split(' ').next().unwrap_or_default().to_lowercase();
            if e.message.to_lowercase().starts_with(&first_word) {
                e.message.clone()
            } else {
                format!("{field}: {}", e.message)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn common_headers_are_guessed() {
        let m = guess_mapping(
            &headers(&["Patient Name", "Phone No.", "D.O.B", "Sex", "Remarks", "Ward"]),
            DateStyle::DayMonthYear,
        );
        assert_eq!(
            m.columns,
            [
                Some(ImportField::FullName),
                Some(ImportField::Mobile),
                Some(ImportField::DateOfBirth),
                Some(ImportField::Gender),
                Some(ImportField::Notes),
                None
            ]
        );
        assert!(m.check().is_ok());
    }

    #[test]
    fn a_mapping_without_name_mobile_or_birth_date_says_so() {
        let m = ColumnMapping {
            columns: vec![Some(ImportField::Notes), Some(ImportField::Notes)],
            date_style: DateStyle::DayMonthYear,
        };
        let errors = m.check().expect_err("incomplete");
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn a_row_reads_as_the_patient_form() {
        let m = guess_mapping(
            &headers(&["Name", "Mobile", "DOB", "Gender"]),
            DateStyle::DayMonthYear,
        );
        let row = headers(&["Meera Devi Rao", " 98450 11111 ", "21/04/1990", "F"]);
        let form = m.form(&row);
        assert_eq!(
            (form.first_name.as_str(), form.last_name.as_str()),
            ("Meera Devi", "Rao")
        );
        assert_eq!(form.date_of_birth, "1990-04-21");
        assert_eq!(form.gender, "female");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        assert!(form.validate(today).is_ok());
        let bad = m.form(&headers(&["", "12", "31/02/1990", "x"]));
        let problems = describe(&bad.validate(today).expect_err("bad"));
        assert!(
            problems.iter().any(|p| p.starts_with("First name")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("Mobile number")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("Date of birth")),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.starts_with("Gender")), "{problems:?}");
    }
}
