//! A catalog medicine's descriptive fields, checked the same way whether a
//! clinic adds one of its own on a PC or the platform operator adds one to
//! the global catalog every clinic reads.

use serde_json::{Map, Value, json};

use crate::ValidationError;
use crate::text;

/// A medicine as typed: lists are comma-separated ("tablet, syrup").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MedicineText<'a> {
    pub name: &'a str,
    pub generic_name: &'a str,
    pub composition: &'a str,
    pub strength: &'a str,
    pub dosage_forms: &'a str,
    pub category: &'a str,
    /// Conditions or allergies it must not be given with.
    pub contraindications: &'a str,
}

/// The non-empty, trimmed items of a comma-separated list.
pub fn comma_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

impl MedicineText<'_> {
    /// The descriptive fields of a `medicines` row, or every problem found
    /// (in the order of the form). Price and flags are the caller's.
    pub fn fields(&self) -> Result<Map<String, Value>, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<Value, ValidationError>| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                Value::Null
            })
        };
        let name = keep(text::required("name", self.name, 200).map(Value::from));
        let generic = keep(text::optional("generic_name", Some(self.generic_name), 200).map(|v| json!(v)));
        let composition = keep(
            text::required("composition", self.composition, 500)
                .map(Value::from)
                .map_err(|_| ValidationError::new("composition", "Enter what the medicine contains.")),
        );
        let strength = keep(text::optional("strength", Some(self.strength), 100).map(|v| json!(v)));
        let category = keep(text::optional("category", Some(self.category), 100).map(|v| json!(v)));
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut fields = Map::new();
        for (k, v) in [
            ("name", name),
            ("generic_name", generic),
            ("composition", composition),
            ("strength", strength),
            ("category", category),
            ("dosage_forms", json!(comma_list(self.dosage_forms))),
            ("contraindications", json!(comma_list(self.contraindications))),
        ] {
            fields.insert(k.to_owned(), v);
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_composition_are_required_and_lists_are_trimmed() {
        let errs = MedicineText::default().fields().expect_err("empty");
        let named: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["name", "composition"]);
        let fields = MedicineText {
            name: " Ondansetron ",
            composition: "Ondansetron 4 mg",
            dosage_forms: "tablet, , syrup ",
            ..MedicineText::default()
        }
        .fields()
        .expect("valid");
        assert_eq!(fields["name"], "Ondansetron");
        assert_eq!(fields["dosage_forms"], json!(["tablet", "syrup"]));
        assert_eq!(fields["generic_name"], Value::Null);
        let long = "x".repeat(201);
        let errs = MedicineText {
            name: &long,
            composition: "c",
            ..MedicineText::default()
        }
        .fields()
        .expect_err("too long");
        assert_eq!(errs[0].field, "name");
    }
}
