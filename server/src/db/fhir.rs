//! The clinic's records a FHIR export reads: one query per table for one
//! patient (with the rest of their family) or for the whole clinic, never
//! one per patient. Deleted rows are left out.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use super::Tx;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PatientRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: Option<String>,
    pub mobile_number: String,
    pub date_of_birth: NaiveDate,
    pub gender: String,
    pub relationship: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: Option<serde_json::Value>,
    pub allergies: Vec<String>,
    pub blood_group: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DoctorRow {
    pub id: Uuid,
    pub full_name: String,
    pub licence_number: Option<String>,
    pub specialization: String,
    pub qualification: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AppointmentRow {
    pub id: Uuid,
    pub appointment_number: String,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub appointment_date: NaiveDate,
    pub appointment_time: NaiveTime,
    pub duration_minutes: i32,
    pub reason: String,
    pub status: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PrescriptionItemRow {
    pub id: Uuid,
    pub prescription_id: Uuid,
    pub prescription_number: String,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub visit_date: NaiveDate,
    pub diagnosis: String,
    pub status: String,
    pub medicine_id: Option<Uuid>,
    pub medicine_name: String,
    pub composition: Option<String>,
    pub dosage: String,
    pub frequency: String,
    pub duration: String,
    pub instructions: Option<String>,
    pub quantity: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DentalObservationRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub tooth_number: i16,
    pub tooth_surface: Option<String>,
    pub condition_type: String,
    pub severity: Option<String>,
    pub observation_notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DentalProcedureRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub doctor_id: Uuid,
    pub procedure_code: String,
    pub procedure_name: String,
    pub tooth_numbers: Vec<i16>,
    pub status: String,
    pub procedure_date: Option<NaiveDate>,
    pub completed_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: String,
    pub file_name: String,
    pub mime_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub caption: Option<String>,
    pub taken_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Everything a FHIR export of some patients needs.
#[derive(Debug, Default)]
pub struct Records {
    pub patients: Vec<PatientRow>,
    pub doctors: Vec<DoctorRow>,
    pub appointments: Vec<AppointmentRow>,
    pub items: Vec<PrescriptionItemRow>,
    pub observations: Vec<DentalObservationRow>,
    pub procedures: Vec<DentalProcedureRow>,
    pub attachments: Vec<AttachmentRow>,
}

/// `patient`'s records (with their family's patient rows), or the whole
/// clinic's when `None`. An unknown patient gives empty records.
pub async fn records(tx: &mut Tx, patient: Option<Uuid>) -> sqlx::Result<Records> {
    // Family: the patients on the same mobile number.
    let patients = sqlx::query_as::<_, PatientRow>(
        "SELECT id, first_name, last_name, mobile_number, date_of_birth, gender, relationship, email, address, \
                emergency_contact, allergies, blood_group, updated_at \
           FROM patients p WHERE deleted_at IS NULL \
            AND ($1::uuid IS NULL OR mobile_number = (SELECT mobile_number FROM patients WHERE id = $1 AND deleted_at IS NULL)) \
          ORDER BY mobile_number, relationship <> 'self', created_at",
    )
    .bind(patient)
    .fetch_all(&mut **tx)
    .await?;
    let appointments = sqlx::query_as::<_, AppointmentRow>(
        "SELECT id, appointment_number, patient_id, doctor_id, appointment_date, appointment_time, duration_minutes, \
                reason, status, notes \
           FROM appointments WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR patient_id = $1) \
          ORDER BY appointment_date, appointment_time",
    )
    .bind(patient)
    .fetch_all(&mut **tx)
    .await?;
    let items = sqlx::query_as::<_, PrescriptionItemRow>(
        "SELECT i.id, i.prescription_id, p.prescription_number, p.patient_id, p.doctor_id, p.visit_date, p.diagnosis, \
                p.status, i.medicine_id, i.medicine_name, m.composition, i.dosage, i.frequency, i.duration, \
                i.instructions, i.quantity \
           FROM prescription_items i \
           JOIN prescriptions p ON p.tenant_id = i.tenant_id AND p.id = i.prescription_id AND p.deleted_at IS NULL \
           LEFT JOIN medicines m ON m.id = i.medicine_id \
          WHERE i.deleted_at IS NULL AND ($1::uuid IS NULL OR p.patient_id = $1) \
          ORDER BY p.visit_date, p.prescription_number, i.sort_order",
    )
    .bind(patient)
    .fetch_all(&mut **tx)
    .await?;
    let observations = sqlx::query_as::<_, DentalObservationRow>(
        "SELECT id, patient_id, doctor_id, tooth_number, tooth_surface, condition_type, severity, observation_notes, \
                created_at \
           FROM dental_observations WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR patient_id = $1) \
          ORDER BY created_at",
    )
    .bind(patient)
    .fetch_all(&mut **tx)
    .await?;
    let procedures = sqlx::query_as::<_, DentalProcedureRow>(
        "SELECT id, patient_id, doctor_id, procedure_code, procedure_name, tooth_numbers, status, procedure_date, \
                completed_date, notes \
           FROM dental_procedures WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR patient_id = $1) \
          ORDER BY created_at",
    )
    .bind(patient)
    .fetch_all(&mut **tx)
    .await?;
    let attachments = sqlx::query_as::<_, AttachmentRow>(
        "SELECT id, patient_id, kind, file_name, mime_type, size_bytes, sha256, caption, taken_at, created_at \
           FROM dental_attachments WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR patient_id = $1) \
          ORDER BY created_at",
    )
    .bind(patient)
    .fetch_all(&mut **tx)
    .await?;
    let doctors = sqlx::query_as::<_, DoctorRow>(
        "SELECT d.id, u.full_name, d.licence_number, d.specialization, d.qualification \
           FROM doctors d JOIN users u ON u.tenant_id = d.tenant_id AND u.id = d.user_id ORDER BY u.full_name",
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(Records {
        patients,
        doctors,
        appointments,
        items,
        observations,
        procedures,
        attachments,
    })
}
