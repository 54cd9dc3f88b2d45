//! Which values that lost field-level last-writer-wins a person must look
//! at: the clinical ones (allergies, diagnoses, notes, doses, chart
//! observations), where silently keeping the newer write could hide
//! something a doctor wrote. Other fields (a phone number typed twice, a
//! sort order) settle themselves.

/// Clinical fields, by synced table.
const CLINICAL: &[(&str, &[&str])] = &[
    ("patients", &["allergies", "blood_group", "notes"]),
    ("appointments", &["notes"]),
    (
        "prescriptions",
        &[
            "chief_complaint",
            "diagnosis",
            "symptoms",
            "clinical_notes",
            "general_instructions",
        ],
    ),
    (
        "prescription_items",
        &[
            "medicine_name",
            "dosage",
            "frequency",
            "duration",
            "instructions",
            "quantity",
        ],
    ),
    (
        "dental_observations",
        &[
            "tooth_number",
            "tooth_surface",
            "condition_type",
            "severity",
            "observation_notes",
            "treatment_required",
            "treatment_done",
        ],
    ),
    (
        "dental_procedures",
        &["procedure_code", "procedure_name", "tooth_numbers"],
    ),
    ("case_studies", &["chief_complaint"]),
];

/// Whether a lost value of `table.field` waits for a person's review.
pub fn needs_review(table: &str, field: &str) -> bool {
    CLINICAL
        .iter()
        .any(|(t, fields)| *t == table && fields.contains(&field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::tables::table;

    #[test]
    fn clinical_fields_need_review_and_exist() {
        assert!(needs_review("patients", "allergies"));
        assert!(needs_review("prescription_items", "dosage"));
        assert!(!needs_review("patients", "mobile_number"));
        assert!(!needs_review("short_keys", "usage_count"));
        for (name, fields) in CLINICAL {
            let spec = table(name).unwrap_or_else(|| panic!("{name} is synced"));
            for field in *fields {
                assert!(spec.columns.iter().any(|c| c.name == *field), "{name}.{field}");
            }
        }
    }
}
