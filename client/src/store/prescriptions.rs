//! Prescription look-ups: lists, one prescription with its items.

use contract::screens::prescriptions::{ItemForm, PrescriptionForm, PrescriptionRow};
use domain::clinical::prescription::{self, PrescriptionStatus};

use super::Store;
use crate::error::StoreError;

const ROW: &str = "SELECT r.id, r.prescription_number, r.patient_id, \
     trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), coalesce(u.full_name, ''), \
     r.visit_date, r.diagnosis, r.status, \
     (SELECT count(*) FROM prescription_items i WHERE i.prescription_id = r.id AND i.deleted_at IS NULL), \
     r.printed_at, r.valid_until \
     FROM prescriptions r \
     LEFT JOIN patients p ON p.id = r.patient_id \
     LEFT JOIN doctors d ON d.id = r.doctor_id \
     LEFT JOIN users u ON u.id = d.user_id \
     WHERE r.deleted_at IS NULL";

/// The status as of today on this PC: expiry follows the last valid day
/// (see `prescription::effective_status`), offline too.
fn status_of(raw: &str, valid_until: Option<&str>) -> PrescriptionStatus {
    let stored = PrescriptionStatus::parse(raw).unwrap_or(PrescriptionStatus::Draft);
    match valid_until.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        Some(last) => prescription::effective_status(stored, last, chrono::Local::now().date_naive()),
        None => stored,
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PrescriptionRow> {
    Ok(PrescriptionRow {
        id: r.get(0)?,
        number: r.get(1)?,
        patient_id: r.get(2)?,
        patient_name: r.get(3)?,
        doctor_name: r.get(4)?,
        visit_date: r.get(5)?,
        diagnosis: r.get(6)?,
        status: status_of(
            &r.get::<_, String>(7)?,
            r.get::<_, Option<String>>(10)?.as_deref(),
        ),
        items: r.get(8)?,
        printed_at: r.get(9)?,
    })
}

/// The stored parts of a prescription the form does not carry.
#[derive(Debug, Clone)]
pub struct PrescriptionMeta {
    pub number: String,
    pub doctor_id: String,
    pub status: PrescriptionStatus,
    pub valid_until: String,
    pub printed_at: Option<String>,
    pub amends_id: Option<String>,
}

impl Store {
    /// Prescriptions whose number, patient name or diagnosis contains
    /// `query` (the latest when empty), newest first.
    pub fn search_prescriptions(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<PrescriptionRow>, StoreError> {
        let q = query.trim().replace(['%', '_'], "");
        let sql = format!(
            "{ROW} AND (?1 = '' OR r.prescription_number LIKE '%' || ?1 || '%' OR r.diagnosis LIKE '%' || ?1 || '%' \
               OR (coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) LIKE '%' || ?1 || '%') \
             ORDER BY r.visit_date DESC, r.prescription_number DESC LIMIT ?2"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params![q, limit as i64], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn patient_prescriptions(&self, patient: &str) -> Result<Vec<PrescriptionRow>, StoreError> {
        let sql =
            format!("{ROW} AND r.patient_id = ?1 ORDER BY r.visit_date DESC, r.prescription_number DESC");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([patient], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One prescription as the editor's form plus what only the store knows.
    pub fn prescription_form(
        &self,
        id: &str,
    ) -> Result<Option<(PrescriptionForm, PrescriptionMeta)>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT patient_id, appointment_id, coalesce(office_id, ''), visit_date, coalesce(chief_complaint, ''), \
                    coalesce(diagnosis, ''), coalesce(symptoms, ''), coalesce(clinical_notes, ''), \
                    coalesce(general_instructions, ''), coalesce(follow_up_date, ''), prescription_number, doctor_id, \
                    status, coalesce(valid_until, ''), printed_at, amends_prescription_id \
               FROM prescriptions WHERE id = ?1 AND deleted_at IS NULL",
        )?;
        let mut rows = stmt.query_map([id], |r| {
            Ok((
                PrescriptionForm {
                    id: Some(id.to_owned()),
                    patient_id: r.get(0)?,
                    appointment_id: r.get(1)?,
                    office_id: r.get(2)?,
                    visit_date: r.get(3)?,
                    chief_complaint: r.get(4)?,
                    diagnosis: r.get(5)?,
                    symptoms: r.get(6)?,
                    clinical_notes: r.get(7)?,
                    general_instructions: r.get(8)?,
                    follow_up_date: r.get(9)?,
                    items: Vec::new(),
                },
                PrescriptionMeta {
                    number: r.get(10)?,
                    doctor_id: r.get(11)?,
                    status: status_of(
                        &r.get::<_, String>(12)?,
                        r.get::<_, Option<String>>(13)?.as_deref(),
                    ),
                    valid_until: r.get(13)?,
                    printed_at: r.get(14)?,
                    amends_id: r.get(15)?,
                },
            ))
        })?;
        let Some(found) = rows.next().transpose()? else {
            return Ok(None);
        };
        let (mut form, meta) = found;
        form.items = self
            .prescription_items(id)?
            .into_iter()
            .map(|(_, item)| item)
            .collect();
        Ok(Some((form, meta)))
    }

    /// A prescription's live items in order, with their row ids.
    pub fn prescription_items(&self, id: &str) -> Result<Vec<(String, ItemForm)>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, coalesce(medicine_id, ''), medicine_name, dosage, frequency, duration, \
                    coalesce(instructions, ''), quantity, coalesce(generic_substitution_allowed, 1) \
               FROM prescription_items WHERE prescription_id = ?1 AND deleted_at IS NULL ORDER BY sort_order",
        )?;
        let rows = stmt.query_map([id], |r| {
            let quantity: Option<i64> = r.get(7)?;
            Ok((
                r.get(0)?,
                ItemForm {
                    medicine_id: r.get(1)?,
                    medicine_name: r.get(2)?,
                    dosage: r.get(3)?,
                    frequency: r.get(4)?,
                    duration: r.get(5)?,
                    instructions: r.get(6)?,
                    quantity: quantity.map(|q| q.to_string()).unwrap_or_default(),
                    generic_substitution_allowed: r.get(8)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The number of a prescription (for "amends RX…").
    pub fn prescription_number(&self, id: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT prescription_number FROM prescriptions WHERE id = ?1")?;
        let mut rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.next().transpose()?)
    }

    /// Family: everyone on the same mobile number, `self` first.
    pub fn family(&self, mobile: &str) -> Result<Vec<contract::app::PatientRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM patients WHERE mobile_number = ?1 AND deleted_at IS NULL \
             ORDER BY coalesce(relationship, 'self') <> 'self', created_at, first_name",
            super::patients::COLUMNS
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([mobile], super::patients::row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Days, Local};
    use domain::ids::TenantId;
    use serde_json::json;

    use super::*;

    /// An issued prescription whose last valid day is `days` from today.
    fn issued(store: &mut Store, number: &str, days: i64, status: &str) {
        let last = Local::now().date_naive() + chrono::Duration::days(days);
        let fields = json!({
            "prescription_number": number, "patient_id": uuid::Uuid::now_v7().to_string(),
            "doctor_id": uuid::Uuid::now_v7().to_string(), "visit_date": (last - Days::new(30)).to_string(),
            "diagnosis": "Caries", "valid_until": last.to_string(), "status": status,
        });
        store
            .insert("prescriptions", fields.as_object().cloned().unwrap_or_default())
            .expect("prescription");
    }

    #[test]
    fn this_pc_reads_expiry_from_the_date_without_writing_it() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store =
            Store::open_plain(dir.path(), TenantId::from_uuid(uuid::Uuid::now_v7())).expect("store");
        issued(&mut store, "RX202612010001", -1, "active");
        issued(&mut store, "RX202612010002", 0, "active");
        issued(&mut store, "RX202612010003", 5, "expired");
        issued(&mut store, "RX202612010004", -1, "completed");
        let pending = store.pending_count().expect("pending");
        let mut rows = store.search_prescriptions("", 10).expect("list");
        rows.sort_by(|a, b| a.number.cmp(&b.number));
        let statuses: Vec<PrescriptionStatus> = rows.iter().map(|r| r.status).collect();
        use PrescriptionStatus::*;
        assert_eq!(statuses, [Expired, Active, Active, Completed]);
        let (_, meta) = store
            .prescription_form(&rows[0].id)
            .expect("read")
            .expect("found");
        assert_eq!(meta.status, Expired, "the form reads the same rule");
        assert_eq!(
            store.pending_count().expect("pending"),
            pending,
            "reading wrote nothing"
        );
    }
}
