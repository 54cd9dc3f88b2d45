//! Prescriptions on the screen: the editor's form, its items and the view
//! of one prescription (its alerts come from `domain::clinical::alerts`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::optional_text;
use domain::ValidationError;
use domain::clinical::dosage::{DailyPattern, check_frequency, duration_days, quantity_for};
use domain::clinical::prescription::{PrescriptionStatus, check_quantity};
use domain::text;

/// One medicine line as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemForm {
    /// Empty for a medicine typed freely (not in the catalog).
    pub medicine_id: String,
    pub medicine_name: String,
    pub dosage: String,
    /// `1-0-1` or words such as "twice a day".
    pub frequency: String,
    pub duration: String,
    pub instructions: String,
    pub quantity: String,
    pub generic_substitution_allowed: bool,
}

/// The prescription editor as typed. `id` set when editing a draft/active one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PrescriptionForm {
    pub id: Option<String>,
    pub patient_id: String,
    pub appointment_id: Option<String>,
    pub office_id: String,
    pub visit_date: String,
    pub chief_complaint: String,
    pub diagnosis: String,
    pub symptoms: String,
    pub clinical_notes: String,
    pub general_instructions: String,
    pub follow_up_date: String,
    pub items: Vec<ItemForm>,
}

/// A form that passed: the prescription's row fields (number, doctor,
/// status and validity are set by the store) and each item's row fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPrescription {
    pub patient_id: uuid::Uuid,
    pub appointment_id: Option<uuid::Uuid>,
    pub visit_date: NaiveDate,
    pub fields: Map<String, Value>,
    pub items: Vec<Map<String, Value>>,
}

impl PrescriptionForm {
    pub fn validate(&self) -> Result<CheckedPrescription, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let patient = uuid::Uuid::parse_str(self.patient_id.trim())
            .map_err(|_| errors.push(ValidationError::new("patient_id", "Choose a patient.")));
        let appointment = match self.appointment_id.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(raw) => uuid::Uuid::parse_str(raw).map(Some).map_err(|_| {
                errors.push(ValidationError::new(
                    "appointment_id",
                    "That appointment is unknown.",
                ))
            }),
        };
        if self.office_id.trim().is_empty() {
            errors.push(ValidationError::new("office_id", "Choose an office."));
        }
        let visit = NaiveDate::parse_from_str(self.visit_date.trim(), "%Y-%m-%d")
            .map_err(|_| errors.push(ValidationError::new("visit_date", "Enter the visit date.")));
        let diagnosis = text::required("diagnosis", &self.diagnosis, 2000)
            .map_err(|_| errors.push(ValidationError::new("diagnosis", "Enter the diagnosis.")));
        let follow_up = match self.follow_up_date.trim() {
            "" => Ok(None),
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map(Some).map_err(|_| {
                errors.push(ValidationError::new(
                    "follow_up_date",
                    "Enter a date or leave it empty.",
                ))
            }),
        };
        for (name, raw) in [
            ("chief_complaint", &self.chief_complaint),
            ("symptoms", &self.symptoms),
            ("clinical_notes", &self.clinical_notes),
            ("general_instructions", &self.general_instructions),
        ] {
            if let Err(e) = text::optional(name, Some(raw), 2000) {
                errors.push(e);
            }
        }
        if self.items.is_empty() {
            errors.push(ValidationError::new("items", "Add at least one medicine."));
        }
        let mut items = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.iter().enumerate() {
            match item_fields(i, item) {
                Ok(f) => items.push(f),
                Err(e) => errors.push(e),
            }
        }
        match (patient, appointment, visit, diagnosis, follow_up) {
            (Ok(patient_id), Ok(appointment_id), Ok(visit_date), Ok(diagnosis), Ok(follow_up))
                if errors.is_empty() =>
            {
                let mut fields = Map::new();
                fields.insert("patient_id".into(), json!(patient_id.to_string()));
                fields.insert(
                    "appointment_id".into(),
                    json!(appointment_id.map(|a| a.to_string())),
                );
                fields.insert("office_id".into(), json!(self.office_id.trim()));
                fields.insert("visit_date".into(), json!(visit_date.to_string()));
                fields.insert("diagnosis".into(), json!(diagnosis));
                fields.insert(
                    "follow_up_date".into(),
                    json!(follow_up.map(|d: NaiveDate| d.to_string())),
                );
                for (name, raw) in [
                    ("chief_complaint", &self.chief_complaint),
                    ("symptoms", &self.symptoms),
                    ("clinical_notes", &self.clinical_notes),
                    ("general_instructions", &self.general_instructions),
                ] {
                    fields.insert(name.into(), json!(optional_text(raw)));
                }
                Ok(CheckedPrescription {
                    patient_id,
                    appointment_id,
                    visit_date,
                    fields,
                    items,
                })
            }
            _ => Err(errors),
        }
    }
}

fn item_fields(index: usize, item: &ItemForm) -> Result<Map<String, Value>, ValidationError> {
    let field = format!("items.{index}");
    let err = |msg: &str| ValidationError::new(&field, msg);
    let name = text::required(&field, &item.medicine_name, 200).map_err(|_| err("Enter the medicine."))?;
    let medicine_id = match item.medicine_id.trim() {
        "" => None,
        raw => Some(uuid::Uuid::parse_str(raw).map_err(|_| err("Choose the medicine again from the list."))?),
    };
    let dosage =
        text::required(&field, &item.dosage, 100).map_err(|_| err("Enter the dosage, e.g. 500 mg."))?;
    let frequency = check_frequency(&item.frequency).map_err(|_| err("Enter how often, e.g. 1-0-1."))?;
    let duration =
        text::required(&field, &item.duration, 100).map_err(|_| err("Enter for how long, e.g. 5 days."))?;
    let instructions = text::optional(&field, Some(&item.instructions), 500)?;
    // Empty quantity: worked out from 1-0-1 and the duration when both say
    // enough (1-0-1 for 5 days = 10), else the doctor must type it.
    let quantity = match item.quantity.trim() {
        "" => DailyPattern::parse(&frequency)
            .zip(duration_days(&duration))
            .map(|(p, days)| quantity_for(&p, days))
            .filter(|q| (1..=1000).contains(q))
            .ok_or_else(|| err("Enter the quantity to dispense."))?,
        raw => raw
            .parse::<i64>()
            .map_err(|_| err("The quantity must be a whole number from 1 to 1000."))
            .and_then(|q| check_quantity(q).map_err(|_| err("The quantity must be from 1 to 1000.")))?,
    };
    let mut f = Map::new();
    f.insert("medicine_id".into(), json!(medicine_id.map(|m| m.to_string())));
    f.insert("medicine_name".into(), json!(name));
    f.insert("dosage".into(), json!(dosage));
    f.insert("frequency".into(), json!(frequency));
    f.insert("duration".into(), json!(duration));
    f.insert("instructions".into(), json!(instructions));
    f.insert("quantity".into(), json!(quantity));
    f.insert(
        "generic_substitution_allowed".into(),
        json!(item.generic_substitution_allowed),
    );
    f.insert("sort_order".into(), json!(index));
    Ok(f)
}

/// One prescription as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionRow {
    pub id: String,
    pub number: String,
    pub patient_id: String,
    pub patient_name: String,
    pub doctor_name: String,
    pub visit_date: String,
    pub diagnosis: String,
    pub status: PrescriptionStatus,
    pub items: u32,
    pub printed_at: Option<String>,
}

/// One prescription with everything the detail page and printing need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrescriptionView {
    pub id: String,
    pub number: String,
    pub status: PrescriptionStatus,
    pub editable: bool,
    pub next: Vec<PrescriptionStatus>,
    pub form: PrescriptionForm,
    pub patient_name: String,
    pub patient_allergies: Vec<String>,
    pub doctor_id: String,
    pub doctor_name: String,
    pub licence_number: Option<String>,
    pub valid_until: String,
    pub printed_at: Option<String>,
    pub amends_number: Option<String>,
    pub alerts: Vec<MedicineAlert>,
}

pub use domain::clinical::alerts::{AlertKind, MedicineAlert, MedicineFacts, alerts_for};

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> ItemForm {
        ItemForm {
            medicine_id: uuid::Uuid::now_v7().to_string(),
            medicine_name: "Amoxicillin 500".into(),
            dosage: "500 mg".into(),
            frequency: "1-0-1".into(),
            duration: "5 days".into(),
            instructions: "After food".into(),
            quantity: "10".into(),
            generic_substitution_allowed: true,
        }
    }

    fn form() -> PrescriptionForm {
        PrescriptionForm {
            patient_id: uuid::Uuid::now_v7().to_string(),
            office_id: "main".into(),
            visit_date: "2026-11-27".into(),
            diagnosis: "Periapical abscess 36".into(),
            items: vec![item()],
            ..PrescriptionForm::default()
        }
    }

    #[test]
    fn a_good_prescription_passes_with_its_items() {
        let checked = form().validate().expect("valid");
        assert_eq!(checked.items.len(), 1);
        assert_eq!(checked.items[0].get("frequency"), Some(&json!("1-0-1")));
        assert_eq!(checked.items[0].get("quantity"), Some(&json!(10)));
        assert_eq!(checked.fields.get("chief_complaint"), Some(&Value::Null));
        let derived = PrescriptionForm {
            items: vec![ItemForm {
                quantity: String::new(),
                ..item()
            }],
            ..form()
        };
        let checked = derived.validate().expect("valid");
        assert_eq!(
            checked.items[0].get("quantity"),
            Some(&json!(10)),
            "1-0-1 for 5 days"
        );
        let vague = PrescriptionForm {
            items: vec![ItemForm {
                quantity: String::new(),
                duration: "until review".into(),
                ..item()
            }],
            ..form()
        };
        assert!(vague.validate().is_err());
    }

    #[test]
    fn bad_items_and_missing_diagnosis_are_named() {
        let bad = PrescriptionForm {
            diagnosis: String::new(),
            items: vec![
                item(),
                ItemForm {
                    quantity: "1001".into(),
                    ..item()
                },
                ItemForm {
                    frequency: String::new(),
                    ..item()
                },
            ],
            ..form()
        };
        let fields: Vec<String> = bad
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["diagnosis", "items.1", "items.2"]);
        let empty = PrescriptionForm {
            items: vec![],
            ..form()
        };
        assert!(empty.validate().is_err());
    }
}
