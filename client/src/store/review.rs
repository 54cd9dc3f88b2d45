//! Whose record a synced row belongs to, for the review screen.

use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::Store;
use crate::error::StoreError;

/// Synced tables whose rows name their patient in `patient_id`.
const WITH_PATIENT: &[&str] = &[
    "appointments",
    "prescriptions",
    "dental_observations",
    "dental_procedures",
    "case_studies",
    "dental_attachments",
];

const NAME: &str = "p.id, trim(p.first_name || ' ' || coalesce(p.last_name, ''))";

impl Store {
    /// The patient (id, full name) a row of `table` belongs to, if any.
    pub fn patient_of(&self, table: &str, row: Uuid) -> Result<Option<(String, String)>, StoreError> {
        let sql = match table {
            "patients" => format!("SELECT {NAME} FROM patients p WHERE p.id = ?1"),
            "prescription_items" => format!(
                "SELECT {NAME} FROM prescription_items i JOIN prescriptions r ON r.id = i.prescription_id \
                 JOIN patients p ON p.id = r.patient_id WHERE i.id = ?1"
            ),
            // Only names from the fixed list reach the SQL.
            t if WITH_PATIENT.contains(&t) => {
                format!("SELECT {NAME} FROM {t} t JOIN patients p ON p.id = t.patient_id WHERE t.id = ?1")
            }
            _ => return Ok(None),
        };
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([row.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}
