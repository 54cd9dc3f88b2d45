//! Checking every row of an import against the patient form's rules and
//! the clinic's patients: a first name and mobile number already
//! registered (or twice in the file), families of more than ten, and who
//! is the main member of a number.

use std::collections::HashMap;

use contract::app::PatientForm;
use contract::screens::import::{ColumnMapping, ImportReport, PREVIEW_ROWS, RowCheck, describe};
use serde_json::{Map, Value};

use crate::store::patients::Identity;

/// A row that will be imported: its spreadsheet row and the patient's fields.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub row: usize,
    pub fields: Map<String, Value>,
}

/// The accepted rows and the report a person reads.
#[derive(Debug, Clone)]
pub struct Checked {
    pub accepted: Vec<Accepted>,
    pub report: ImportReport,
}

/// Who is on each number already, and under which names.
#[derive(Debug, Default)]
struct Numbers {
    /// (mobile, first name in lower case) -> the spreadsheet row that
    /// added it, or 0 for a patient the clinic has.
    names: HashMap<(String, String), usize>,
    members: HashMap<String, usize>,
    main: HashMap<String, String>,
}

impl Numbers {
    fn of(existing: &[Identity]) -> Self {
        let mut numbers = Self::default();
        for p in existing {
            numbers.add(&p.mobile, &p.first_name, &p.relationship, 0);
        }
        numbers
    }

    fn add(&mut self, mobile: &str, first_name: &str, relationship: &str, row: usize) {
        self.names
            .insert((mobile.to_owned(), first_name.to_lowercase()), row);
        *self.members.entry(mobile.to_owned()).or_default() += 1;
        if relationship == "self" {
            self.main
                .entry(mobile.to_owned())
                .or_insert_with(|| first_name.to_owned());
        }
    }
}

pub fn check_rows(
    rows: &[Vec<String>],
    mapping: &ColumnMapping,
    existing: &[Identity],
    today: chrono::NaiveDate,
    calling_code: Option<&str>,
) -> Checked {
    let mut numbers = Numbers::of(existing);
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    let mut preview = Vec::new();
    for (index, raw) in rows.iter().enumerate() {
        let row = index + 2;
        let form = mapping.form(raw).in_clinic(calling_code);
        let mut check = RowCheck {
            row,
            name: format!("{} {}", form.first_name, form.last_name)
                .trim()
                .to_owned(),
            mobile: form.mobile_number.clone(),
            date_of_birth: form.date_of_birth.clone(),
            gender: form.gender.clone(),
            problems: Vec::new(),
        };
        match form.validate(today) {
            Err(errors) => check.problems = describe(&errors),
            Ok(mut fields) => {
                let mobile = fields["mobile_number"].as_str().unwrap_or_default().to_owned();
                check.mobile.clone_from(&mobile);
                check.problems = family_problems(&numbers, &mobile, &form, &mut fields);
                if check.problems.is_empty() {
                    let relationship = fields["relationship"].as_str().unwrap_or("self").to_owned();
                    numbers.add(&mobile, form.first_name.trim(), &relationship, row);
                    accepted.push(Accepted { row, fields });
                }
            }
        }
        if !check.problems.is_empty() {
            rejected.push(check.clone());
        }
        if preview.len() < PREVIEW_ROWS {
            preview.push(check);
        }
    }
    let report = ImportReport {
        total: rows.len(),
        accepted: accepted.len(),
        rejected,
        preview,
    };
    Checked { accepted, report }
}

/// Duplicates and family rules for a row whose fields are valid; fills in
/// the relationship when the file has none (the number's first person is
/// its main member, later ones "other").
fn family_problems(
    numbers: &Numbers,
    mobile: &str,
    form: &PatientForm,
    fields: &mut Map<String, Value>,
) -> Vec<String> {
    let first_name = form.first_name.trim();
    let key = (mobile.to_owned(), first_name.to_lowercase());
    if let Some(row) = numbers.names.get(&key) {
        return vec![match row {
            0 => format!("Already registered: {first_name} on {mobile} is a patient of the clinic."),
            row => format!("Duplicate of row {row} (same first name and mobile number)."),
        }];
    }
    let members = numbers.members.get(mobile).copied().unwrap_or_default();
    if members >= domain::patient::MAX_FAMILY_MEMBERS {
        return vec![format!(
            "{mobile} already has {} family members, the most allowed.",
            domain::patient::MAX_FAMILY_MEMBERS
        )];
    }
    let typed = match form.relationship.trim() {
        "" => None,
        r => Some(r),
    };
    match (numbers.main.get(mobile), typed) {
        (Some(main), Some("self")) => vec![format!(
            "Relationship: {main} is already the main member on {mobile}; say how this person is related."
        )],
        (Some(_), None) => {
            fields.insert("relationship".into(), Value::from("other"));
            Vec::new()
        }
        (None, Some(r)) if r != "self" && members == 0 => {
            vec!["Relationship: the first person on a mobile number is its main member (self).".to_owned()]
        }
        _ => Vec::new(),
    }
}
