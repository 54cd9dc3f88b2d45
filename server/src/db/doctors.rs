//! Doctors (with the name and e-mail of their user account).

use chrono::{DateTime, Utc};
use domain::api::{DoctorView, ValidDoctor, ValidDoctorUpdate};
use domain::doctor::{LicenceNumber, Office, WeeklyAvailability};
use domain::ids::{DoctorId, UserId};
use domain::time_off::TimeOff;
use domain::user::Email;
use sqlx::types::Json;
use uuid::Uuid;

use super::Tx;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DoctorRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub licence_number: Option<String>,
    pub specialization: String,
    pub qualification: Option<String>,
    pub experience_years: Option<i32>,
    pub consultation_fee_minor: Option<i64>,
    pub consultation_minutes: i32,
    pub offices: Json<Vec<Office>>,
    pub availability: Json<WeeklyAvailability>,
    pub time_off: Json<Vec<TimeOff>>,
    pub is_active: bool,
    pub updated_at: DateTime<Utc>,
}

impl DoctorRow {
    pub fn view(self) -> anyhow::Result<DoctorView> {
        Ok(DoctorView {
            id: DoctorId::from_uuid(self.id),
            user_id: UserId::from_uuid(self.user_id),
            full_name: self.full_name,
            email: Email::parse(&self.email)?,
            licence_number: self
                .licence_number
                .as_deref()
                .map(LicenceNumber::parse)
                .transpose()?,
            specialization: self.specialization,
            qualification: self.qualification,
            experience_years: self.experience_years,
            consultation_fee_minor: self.consultation_fee_minor,
            consultation_minutes: self.consultation_minutes,
            offices: self.offices.0,
            availability: self.availability.0,
            time_off: self.time_off.0,
            is_active: self.is_active,
            updated_at: self.updated_at,
        })
    }
}

macro_rules! select_doctor {
    () => {
        "SELECT d.id, d.user_id, u.full_name, u.email, d.licence_number, d.specialization, \
     d.qualification, d.experience_years, d.consultation_fee_minor, d.consultation_minutes, d.offices, \
     d.availability, d.time_off, d.is_active, d.updated_at \
     FROM doctors d JOIN users u ON u.tenant_id = d.tenant_id AND u.id = d.user_id"
    };
}

/// A doctor's professional details, as written when the doctor is added.
#[derive(Debug)]
pub struct DoctorProfile<'a> {
    pub licence_number: Option<&'a LicenceNumber>,
    pub specialization: &'a str,
    pub qualification: Option<&'a str>,
    pub experience_years: Option<i32>,
    pub consultation_fee_minor: Option<i64>,
    pub consultation_minutes: i32,
    pub offices: &'a [Office],
    pub availability: &'a WeeklyAvailability,
}

impl<'a> From<&'a ValidDoctor> for DoctorProfile<'a> {
    fn from(doctor: &'a ValidDoctor) -> Self {
        Self {
            licence_number: Some(&doctor.licence_number),
            specialization: &doctor.specialization,
            qualification: doctor.qualification.as_deref(),
            experience_years: doctor.experience_years,
            consultation_fee_minor: doctor.consultation_fee_minor,
            consultation_minutes: doctor.consultation_minutes,
            offices: &doctor.offices,
            availability: &doctor.availability,
        }
    }
}

pub async fn insert(
    tx: &mut Tx,
    id: DoctorId,
    user: UserId,
    profile: &DoctorProfile<'_>,
    by: UserId,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO doctors (tenant_id, id, user_id, licence_number, specialization, qualification, \
             experience_years, consultation_fee_minor, consultation_minutes, offices, availability, \
             created_by, updated_by) \
         VALUES (app_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(id.as_uuid())
    .bind(user.as_uuid())
    .bind(profile.licence_number.map(LicenceNumber::as_str))
    .bind(profile.specialization)
    .bind(profile.qualification)
    .bind(profile.experience_years)
    .bind(profile.consultation_fee_minor)
    .bind(profile.consultation_minutes)
    .bind(Json(profile.offices))
    .bind(Json(profile.availability))
    .bind(by.as_uuid())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn list(tx: &mut Tx) -> sqlx::Result<Vec<DoctorRow>> {
    sqlx::query_as::<_, DoctorRow>(concat!(
        select_doctor!(),
        " WHERE d.deleted_at IS NULL ORDER BY u.full_name, d.id"
    ))
    .fetch_all(&mut **tx)
    .await
}

pub async fn get(tx: &mut Tx, id: DoctorId) -> sqlx::Result<Option<DoctorRow>> {
    sqlx::query_as::<_, DoctorRow>(concat!(
        select_doctor!(),
        " WHERE d.id = $1 AND d.deleted_at IS NULL"
    ))
    .bind(id.as_uuid())
    .fetch_optional(&mut **tx)
    .await
}

/// Applies the fields present in `update`; the rest keep their values.
pub async fn update(tx: &mut Tx, id: DoctorId, update: &ValidDoctorUpdate, by: UserId) -> sqlx::Result<bool> {
    let (set_qualification, qualification) = match &update.qualification {
        Some(q) => (true, q.clone()),
        None => (false, None),
    };
    let done = sqlx::query(
        "UPDATE doctors SET \
             licence_number = coalesce($2, licence_number), \
             specialization = coalesce($3, specialization), \
             qualification = CASE WHEN $4 THEN $5 ELSE qualification END, \
             experience_years = coalesce($6, experience_years), \
             consultation_fee_minor = coalesce($7, consultation_fee_minor), \
             consultation_minutes = coalesce($8, consultation_minutes), \
             offices = coalesce($9, offices), \
             availability = coalesce($10, availability), \
             is_active = coalesce($11, is_active), \
             time_off = coalesce($13, time_off), \
             updated_at = now(), updated_by = $12 \
         WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id.as_uuid())
    .bind(update.licence_number.as_ref().map(LicenceNumber::as_str))
    .bind(update.specialization.as_deref())
    .bind(set_qualification)
    .bind(qualification)
    .bind(update.experience_years)
    .bind(update.consultation_fee_minor)
    .bind(update.consultation_minutes)
    .bind(update.offices.as_ref().map(Json))
    .bind(update.availability.as_ref().map(Json))
    .bind(update.is_active)
    .bind(by.as_uuid())
    .bind(update.time_off.as_ref().map(Json))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn user_of(tx: &mut Tx, id: DoctorId) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("SELECT user_id FROM doctors WHERE id = $1 AND deleted_at IS NULL")
        .bind(id.as_uuid())
        .fetch_optional(&mut **tx)
        .await
}

/// Makes the rest of the push transaction act for `user`'s active doctor
/// row: the authorship guards of clinical tables compare against it
/// ('none' when the user is no active doctor, which they refuse).
pub async fn act_as_author(tx: &mut Tx, user: UserId) -> sqlx::Result<()> {
    sqlx::query(
        "SELECT set_config('app.current_doctor_id', coalesce(( \
             SELECT d.id::text FROM doctors d JOIN users u ON u.id = d.user_id \
              WHERE d.user_id = $1 AND d.deleted_at IS NULL AND d.is_active AND u.is_active), 'none'), true)",
    )
    .bind(user.as_uuid())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Per office of `offices`, how many of the doctor's appointments there
/// are still to come (today or later, not finished, cancelled or moved).
pub async fn upcoming_at_offices(
    tx: &mut Tx,
    doctor: DoctorId,
    offices: &[String],
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT office_id, count(*) FROM appointments \
          WHERE doctor_id = $1 AND office_id = ANY($2) AND deleted_at IS NULL \
            AND appointment_date >= current_date \
            AND status IN ('scheduled', 'confirmed', 'in_progress') \
          GROUP BY office_id ORDER BY office_id",
    )
    .bind(doctor.as_uuid())
    .bind(offices)
    .fetch_all(&mut **tx)
    .await
}

/// The doctor's appointments still to come within `from..=to` (not
/// finished, cancelled or moved), counted.
pub async fn upcoming_between(
    tx: &mut Tx,
    doctor: DoctorId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM appointments \
          WHERE doctor_id = $1 AND deleted_at IS NULL \
            AND appointment_date BETWEEN greatest($2, current_date) AND $3 \
            AND status IN ('scheduled', 'confirmed', 'in_progress')",
    )
    .bind(doctor.as_uuid())
    .bind(from)
    .bind(to)
    .fetch_one(&mut **tx)
    .await
}

/// One of a doctor's booked visits still to come.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpcomingVisit {
    pub appointment_date: chrono::NaiveDate,
    pub appointment_time: chrono::NaiveTime,
    pub duration_minutes: i32,
    pub office_id: String,
}

/// The doctor's booked visits to come (not walk-ins, not begun, finished,
/// cancelled or moved), in time order.
pub async fn upcoming_visits(tx: &mut Tx, doctor: DoctorId) -> sqlx::Result<Vec<UpcomingVisit>> {
    sqlx::query_as(
        "SELECT appointment_date, appointment_time, duration_minutes, office_id FROM appointments \
          WHERE doctor_id = $1 AND deleted_at IS NULL AND appointment_date >= current_date \
            AND appointment_type = 'scheduled' AND status IN ('scheduled', 'confirmed') \
          ORDER BY appointment_date, appointment_time",
    )
    .bind(doctor.as_uuid())
    .fetch_all(&mut **tx)
    .await
}
