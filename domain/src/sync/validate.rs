//! Row rules beyond types, shared by the PC (before a write is accepted
//! locally) and the server (before a pushed op is applied), so both refuse
//! the same things with the same words. The database's CHECK constraints
//! remain the last line.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::ValidationError;
use crate::billing::{self, InvoiceLine, InvoiceStatus, PaymentMode};
use crate::dental::ToothNumber;
use crate::money;
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

/// A stored amount of money, when the op sets it.
fn amount(fields: &Map<String, Value>, name: &str) -> Result<(), ValidationError> {
    match fields.get(name).and_then(Value::as_i64) {
        Some(n) => money::check_amount(name, n).map(|_| ()),
        None => Ok(()),
    }
}

/// An invoice's lines must be well formed and add up to its total, and
/// its currency must be one the product counts in.
fn invoice(fields: &Map<String, Value>) -> Result<(), ValidationError> {
    one_of(
        fields,
        "status",
        |v| InvoiceStatus::parse(v).is_some(),
        "issued or void",
    )?;
    bounded(fields, "void_reason", text::SHORT_TEXT_MAX, false)?;
    bounded(fields, "notes", text::LONG_TEXT_MAX, false)?;
    if let Some(code) = str_field(fields, "currency") {
        money::Currency::parse(code)?;
    }
    let Some(raw) = fields.get("lines") else {
        return Ok(());
    };
    let lines: Vec<InvoiceLine> = serde_json::from_value(raw.clone())
        .map_err(|_| ValidationError::new("lines", "must be a list of invoice lines"))?;
    let total = billing::check_lines(&lines)?;
    match fields.get("total_minor").and_then(Value::as_i64) {
        Some(stated) if stated != total => Err(ValidationError::new(
            "total_minor",
            "must be the sum of the lines",
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
        "prescription_items" => {
            int_in(fields, "quantity", 1..=1000)?;
            amount(fields, "unit_price_minor")?;
            amount(fields, "total_minor")
        }
        "medicines" => amount(fields, "price_minor"),
        "doctors" => amount(fields, "consultation_fee_minor"),
        "dental_procedures" => {
            amount(fields, "estimated_cost_minor")?;
            amount(fields, "actual_cost_minor")
        }
        "invoices" => invoice(fields),
        "payments" => {
            one_of(
                fields,
                "mode",
                |v| PaymentMode::parse(v).is_some(),
                "cash, card, upi or other",
            )?;
            bounded(fields, "reference", billing::DESCRIPTION_MAX, false)?;
            match fields.get("amount_minor").and_then(Value::as_i64) {
                Some(n) if n <= 0 => Err(ValidationError::new("amount_minor", "must be more than zero")),
                _ => amount(fields, "amount_minor"),
            }
        }
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

    #[test]
    fn money_rules() {
        let refused = |table: &str, v: Value| fields(table, &f(v), today()).map_err(|e| e.field);
        assert_eq!(
            refused("medicines", json!({"price_minor": -1})),
            Err("price_minor".into())
        );
        assert_eq!(
            refused("dental_procedures", json!({"actual_cost_minor": -5})),
            Err("actual_cost_minor".into())
        );
        let lines = json!([{"kind": "consultation", "description": "Consultation", "quantity": 1, "unit_price_minor": 50000},
                           {"kind": "medicine", "description": "Amoxicillin 500", "quantity": 2, "unit_price_minor": 1250}]);
        assert_eq!(
            refused(
                "invoices",
                json!({"lines": lines, "total_minor": 52500, "currency": "INR"})
            ),
            Ok(())
        );
        assert_eq!(
            refused("invoices", json!({"lines": lines, "total_minor": 52499})),
            Err("total_minor".into())
        );
        assert_eq!(
            refused("invoices", json!({"lines": [], "total_minor": 0})),
            Err("lines".into())
        );
        assert_eq!(refused("invoices", json!({"lines": "x"})), Err("lines".into()));
        assert_eq!(
            refused("invoices", json!({"currency": "XXX"})),
            Err("currency".into())
        );
        assert_eq!(
            refused("invoices", json!({"status": "paid"})),
            Err("status".into())
        );
        assert_eq!(
            refused("payments", json!({"amount_minor": 0, "mode": "cash"})),
            Err("amount_minor".into())
        );
        assert_eq!(
            refused("payments", json!({"amount_minor": 100, "mode": "cheque"})),
            Err("mode".into())
        );
        assert_eq!(
            refused("payments", json!({"amount_minor": 100, "mode": "upi"})),
            Ok(())
        );
    }
}
