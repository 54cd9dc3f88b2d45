//! The medicine catalog and short keys on the screen.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use domain::ValidationError;
use domain::clinical::short_key::ShortKeyCode;
use domain::text;

/// One medicine as search results show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicineRow {
    pub id: String,
    pub name: String,
    pub generic_name: Option<String>,
    pub composition: String,
    pub strength: Option<String>,
    pub dosage_forms: Vec<String>,
    pub category: Option<String>,
    pub contraindications: Vec<String>,
    /// From the global catalog (read-only) rather than the clinic's own.
    pub global: bool,
    /// The clinic's price of one unit, in minor units (none: not priced).
    #[serde(default)]
    pub price_minor: Option<i64>,
}

/// A clinic's own medicine as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MedicineForm {
    pub name: String,
    pub generic_name: String,
    pub composition: String,
    pub strength: String,
    /// Comma-separated, e.g. "tablet, syrup".
    pub dosage_forms: String,
    pub category: String,
    /// Comma-separated conditions or allergies it must not be given with.
    pub contraindications: String,
    /// The price of one unit as typed in the clinic's money format
    /// (empty: not priced).
    #[serde(default)]
    pub price: String,
}

impl MedicineForm {
    /// The row fields of table `medicines`; the price is read in `money`.
    pub fn validate(
        &self,
        money: domain::money::MoneyFormat,
    ) -> Result<Map<String, Value>, Vec<ValidationError>> {
        let text = domain::medicine::MedicineText {
            name: &self.name,
            generic_name: &self.generic_name,
            composition: &self.composition,
            strength: &self.strength,
            dosage_forms: &self.dosage_forms,
            category: &self.category,
            contraindications: &self.contraindications,
        };
        let (mut fields, mut errors) = match text.fields() {
            Ok(fields) => (fields, Vec::new()),
            Err(errors) => (Map::new(), errors),
        };
        let price = money
            .parse_optional("price", &self.price)
            .map(Value::from)
            .unwrap_or_else(|e| {
                errors.push(e);
                Value::Null
            });
        if !errors.is_empty() {
            return Err(errors);
        }
        for (k, v) in [
            ("price_minor", price),
            ("side_effects", json!([])),
            ("is_active", json!(true)),
            ("prescription_required", json!(true)),
        ] {
            fields.insert(k.to_owned(), v);
        }
        Ok(fields)
    }
}

/// One medicine line of a short key with its defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShortKeyLine {
    pub medicine_id: String,
    /// Shown only; the id is what is stored.
    #[serde(default)]
    pub medicine_name: String,
    pub dosage: String,
    pub frequency: String,
    pub duration: String,
    #[serde(default)]
    pub instructions: String,
}

/// A short key as typed (`id` set when editing).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShortKeyForm {
    pub id: Option<String>,
    pub code: String,
    pub name: String,
    pub description: String,
    /// Only for the doctor who made it, instead of the whole clinic.
    pub private: bool,
    pub lines: Vec<ShortKeyLine>,
}

/// A short key that passed its checks: the key's row fields (without the
/// owner, which the store sets) and each line's row fields in order.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedShortKey {
    pub code: ShortKeyCode,
    pub key: Map<String, Value>,
    pub lines: Vec<Map<String, Value>>,
}

impl ShortKeyForm {
    pub fn validate(&self) -> Result<CheckedShortKey, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let code = ShortKeyCode::parse(&self.code).map_err(|e| errors.push(e));
        let name = text::required("name", &self.name, 120)
            .map_err(|_| ValidationError::new("name", "Give the key a name, e.g. Root canal."))
            .map_err(|e| errors.push(e));
        let description =
            text::optional("description", Some(&self.description), 500).map_err(|e| errors.push(e));
        if self.lines.is_empty() {
            errors.push(ValidationError::new("lines", "Add at least one medicine."));
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            match line_fields(i, line) {
                Ok(f) => lines.push(f),
                Err(e) => errors.push(e),
            }
        }
        match (code, name, description) {
            (Ok(code), Ok(name), Ok(description)) if errors.is_empty() => {
                let mut key = Map::new();
                key.insert("code".into(), json!(code.as_str()));
                key.insert("name".into(), json!(name));
                key.insert("description".into(), json!(description));
                Ok(CheckedShortKey { code, key, lines })
            }
            _ => Err(errors),
        }
    }
}

fn line_fields(index: usize, line: &ShortKeyLine) -> Result<Map<String, Value>, ValidationError> {
    let field = format!("lines.{index}");
    let medicine = uuid::Uuid::parse_str(line.medicine_id.trim())
        .map_err(|_| ValidationError::new(&field, "Choose the medicine from the catalog."))?;
    let need = |what: &str, raw: &str| {
        text::required(&field, raw, 100)
            .map_err(|_| ValidationError::new(&field, format!("Enter the default {what}.")))
    };
    let dosage = need("dosage", &line.dosage)?;
    let frequency = need("frequency", &line.frequency)?;
    let duration = need("duration", &line.duration)?;
    let instructions = text::optional(&field, Some(&line.instructions), 500)?;
    let mut f = Map::new();
    f.insert("medicine_id".into(), json!(medicine.to_string()));
    f.insert("default_dosage".into(), json!(dosage));
    f.insert("default_frequency".into(), json!(frequency));
    f.insert("default_duration".into(), json!(duration));
    f.insert("default_instructions".into(), json!(instructions));
    f.insert("sort_order".into(), json!(index));
    Ok(f)
}

/// A short key as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortKeyRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub private: bool,
    /// The signed-in doctor may change it (shared keys: any clinician).
    pub editable: bool,
    pub usage_count: i64,
    pub lines: Vec<ShortKeyLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> ShortKeyLine {
        ShortKeyLine {
            medicine_id: uuid::Uuid::now_v7().to_string(),
            medicine_name: "Ibuprofen".into(),
            dosage: "400 mg".into(),
            frequency: "1-0-1".into(),
            duration: "3 days".into(),
            instructions: "After food".into(),
        }
    }

    #[test]
    fn short_key_form_checks_code_and_lines() {
        let ok = ShortKeyForm {
            id: None,
            code: "pain".into(),
            name: "Pain".into(),
            description: String::new(),
            private: false,
            lines: vec![line(), line()],
        };
        let checked = ok.validate().expect("valid");
        assert_eq!(checked.code.as_str(), "PAIN");
        assert_eq!(checked.lines.len(), 2);
        assert_eq!(checked.lines[1].get("sort_order"), Some(&json!(1)));

        let bad = ShortKeyForm {
            code: "null".into(),
            name: String::new(),
            lines: vec![ShortKeyLine {
                frequency: String::new(),
                ..line()
            }],
            ..ok
        };
        let fields: Vec<String> = bad
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["code", "name", "lines.0"]);
    }

    #[test]
    fn medicine_form_needs_name_and_composition() {
        let errs = MedicineForm::default()
            .validate(Default::default())
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "composition"]);
        let ok = MedicineForm {
            name: "Clinic Mouthwash".into(),
            composition: "Chlorhexidine 0.2%".into(),
            contraindications: "chlorhexidine allergy, ".into(),
            ..MedicineForm::default()
        };
        let f = ok.validate(Default::default()).expect("valid");
        assert_eq!(
            f.get("contraindications"),
            Some(&json!(["chlorhexidine allergy"]))
        );
        assert_eq!(f.get("price_minor"), Some(&Value::Null), "not priced");
        let priced = MedicineForm {
            price: "1,250.50".into(),
            ..ok.clone()
        };
        assert_eq!(
            priced
                .validate(Default::default())
                .expect("valid")
                .get("price_minor"),
            Some(&json!(125_050))
        );
        let negative = MedicineForm {
            price: "-3".into(),
            ..ok
        };
        let errs = negative.validate(Default::default()).expect_err("refused");
        assert_eq!(errs[0].field, "price");
    }
}
