//! Row rules beyond types, shared by the PC (before a write is accepted
//! locally) and the server (before a pushed op is applied), so both refuse
//! the same things with the same words. The database's CHECK constraints
//! remain the last line.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::ValidationError;
use crate::dental::ToothNumber;
use crate::patient::{BloodGroup, Gender, Relationship};
use crate::phone::PhoneNumber;
use crate::text;

fn str_field<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(Value::as_str)
}

fn one_of(
    fields: &Map<String, Value>,
    name: &str,
    ok: impl Fn(&str) -> bool,
    what: &str,
) -> Result<(), ValidationError> {
    match str_field(fields, name) {
        Some(v) if !ok(v) => Err(ValidationError::new(name, format!("must be {what}"))),
        _ => Ok(()),
    }
}

fn bounded(
    fields: &Map<String, Value>,
    name: &str,
    max: usize,
    required: bool,
) -> Result<(), ValidationError> {
    match fields.get(name) {
        Some(Value::String(s)) if required => text::required(name, s, max).map(|_| ()),
        Some(Value::String(s)) => text::optional(name, Some(s), max).map(|_| ()),
        Some(Value::Null) if required => Err(ValidationError::new(name, "is required")),
        _ => Ok(()),
    }
}

fn int_in(
    fields: &Map<String, Value>,
    name: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<(), ValidationError> {
    match fields.get(name).and_then(Value::as_i64) {
        Some(n) if !range.contains(&n) => Err(ValidationError::new(
            name,
            format!("must be between {} and {}", range.start(), range.end()),
        )),
        _ => Ok(()),
    }
}

/// Checks the fields an op sets on `table` (only those present: an update
/// carries a subset). `today` is the writer's date, for "not in the future".
pub fn fields(table: &str, fields: &Map<String, Value>, today: NaiveDate) -> Result<(), ValidationError> {
    match table {
        "patients" => {
            bounded(fields, "first_name", text::NAME_MAX, true)?;
            bounded(fields, "last_name", text::NAME_MAX, false)?;
            bounded(fields, "notes", text::LONG_TEXT_MAX, false)?;
            if let Some(mobile) = str_field(fields, "mobile_number") {
                let normal = PhoneNumber::parse(mobile)
                    .map_err(|e| ValidationError::new("mobile_number", e.message))?;
                if normal.as_str() != mobile {
                    return Err(ValidationError::new(
                        "mobile_number",
                        "must be stored in its canonical form",
                    ));
                }
            }
            if let Some(dob) = str_field(fields, "date_of_birth") {
                let date = NaiveDate::parse_from_str(dob, "%Y-%m-%d")
                    .map_err(|_| ValidationError::new("date_of_birth", "must be a date"))?;
                if date > today {
                    return Err(ValidationError::new("date_of_birth", "cannot be in the future"));
                }
            }
            one_of(
                fields,
                "gender",
                |v| Gender::parse(v).is_some(),
                "male, female, other or undisclosed",
            )?;
            one_of(
                fields,
                "relationship",
                |v| Relationship::parse(v).is_some(),
                "a family relationship",
            )?;
            one_of(
                fields,
                "blood_group",
                |v| BloodGroup::parse(v).is_some(),
                "a blood group such as O+",
            )?;
            Ok(())
        }
        "appointments" => {
            bounded(fields, "reason", text::SHORT_TEXT_MAX, true)?;
            int_in(fields, "duration_minutes", 10..=480)
        }
        "prescriptions" => bounded(fields, "diagnosis", 2000, true),
        "prescription_items" => int_in(fields, "quantity", 1..=1000),
        "dental_observations" => match fields.get("tooth_number").and_then(Value::as_i64) {
            Some(n) => u8::try_from(n)
                .map_err(|_| ValidationError::new("tooth_number", "must be an FDI tooth number"))
                .and_then(ToothNumber::new)
                .map(|_| ()),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    #[test]
    fn patient_rules() {
        let ok = f(
            json!({"first_name": "Meera", "mobile_number": "+919876543210", "date_of_birth": "1990-04-01", "gender": "female"}),
        );
        assert!(fields("patients", &ok, today()).is_ok());
        for (bad, field) in [
            (json!({"date_of_birth": "2030-01-01"}), "date_of_birth"),
            (json!({"mobile_number": "98765 43210"}), "mobile_number"),
            (json!({"gender": "M"}), "gender"),
            (json!({"first_name": "  "}), "first_name"),
            (json!({"blood_group": "Z"}), "blood_group"),
        ] {
            assert_eq!(
                fields("patients", &f(bad), today()).map_err(|e| e.field),
                Err(field.to_owned())
            );
        }
    }

    #[test]
    fn other_tables() {
        assert!(fields("appointments", &f(json!({"duration_minutes": 5})), today()).is_err());
        assert!(fields("prescription_items", &f(json!({"quantity": 1001})), today()).is_err());
        assert!(fields("dental_observations", &f(json!({"tooth_number": 19})), today()).is_err());
        assert!(fields("dental_observations", &f(json!({"tooth_number": 85})), today()).is_ok());
        assert!(fields("short_keys", &f(json!({"code": "RCA"})), today()).is_ok());
    }
}
