//! Appointments, the day and the walk-in queue, and the patient chart:
//! everything on this PC first, sync takes it to the server.

use chrono::{Datelike, Local, NaiveDate, Timelike};
use contract::app::{CommandCode, CommandError};
use contract::screens::appointments::{
    AppointmentForm, AppointmentRow, AppointmentType, DayQuery, DayView, FreeTimes, RescheduleForm,
    SlotQuery, StatusChange, WalkInForm,
};
use contract::screens::{DoctorOption, PatientChart};
use domain::ValidationError;
use domain::api::AuditAction;
use domain::clinical::appointment::{self, AppointmentStatus, Booking};
use domain::clinical::numbering::Series;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{AppCore, CommandResult, errors};
use crate::store::appointments::{next_number, next_queue_number, taken};

fn date_of(raw: &str) -> CommandResult<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| CommandError::invalid(vec![ValidationError::new("date", "Enter a date.")]))
}

/// The weekday key of a doctor's availability (`monday`..`sunday`).
fn weekday_key(date: NaiveDate) -> &'static str {
    domain::doctor::WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// The doctor must work at the office the booking names.
fn check_office(doctor: &DoctorOption, office: &str) -> Result<(), ValidationError> {
    if doctor.offices.is_empty() || doctor.offices.iter().any(|o| o.id == office) {
        Ok(())
    } else {
        Err(ValidationError::new(
            "office_id",
            format!("{} does not work at that office.", doctor.name),
        ))
    }
}

/// Nothing is booked with a doctor on a day they are off; `field` is the
/// form's field the refusal shows under.
fn check_not_off(doctor: &DoctorOption, day: NaiveDate, field: &str) -> Result<(), CommandError> {
    match doctor.off_on(day) {
        Some(off) => Err(CommandError::invalid(vec![ValidationError::new(
            field,
            format!(
                "{} is off then: {}. Choose another day.",
                doctor.name,
                off.describe()
            ),
        )])),
        None => Ok(()),
    }
}

/// The booking form's field names for the domain's clash/date errors.
fn booking_error(err: ValidationError) -> CommandError {
    let field = match err.field.as_str() {
        "appointment_time" => "time",
        "appointment_date" => "date",
        other => other,
    };
    let message = match field {
        "time" if err.message.contains("already") => {
            "The doctor already has an appointment at that time. Pick a free slot.".to_owned()
        }
        _ => err.message,
    };
    CommandError::invalid(vec![ValidationError::new(field, message)])
}

impl AppCore {
    pub async fn clinic_doctors(&self) -> CommandResult<Vec<DoctorOption>> {
        self.read(|store| store.doctors()).await
    }

    /// A day's booked appointments and its walk-in queue.
    pub async fn day_view(&self, query: DayQuery) -> CommandResult<DayView> {
        let date = date_of(&query.date)?;
        let rows = self
            .read(|store| {
                store.day_appointments(date, query.doctor_id.as_deref(), query.office_id.as_deref())
            })
            .await?;
        let (mut queue, appointments): (Vec<AppointmentRow>, Vec<AppointmentRow>) = rows
            .into_iter()
            .partition(|r| r.appointment_type == AppointmentType::WalkIn);
        queue.sort_by_key(|r| (r.status.is_final(), r.queue_number, r.checked_in_at.clone()));
        Ok(DayView {
            date: date.to_string(),
            appointments,
            queue,
        })
    }

    /// Free slots inside the doctor's hours that day at the office asked
    /// (the primary one by default); none on their days off.
    pub async fn free_slots(&self, query: SlotQuery) -> CommandResult<FreeTimes> {
        let date = date_of(&query.date)?;
        let doctor = self
            .read(|store| store.doctor(&query.doctor_id))
            .await?
            .ok_or_else(|| errors::not_found("doctor"))?;
        if let Some(off) = doctor.off_on(date) {
            return Ok(FreeTimes {
                times: Vec::new(),
                off: Some(format!("{} is off then: {}.", doctor.name, off.describe())),
            });
        }
        let taken = self.read(|store| store.taken(&doctor.id, date, None)).await?;
        let office = query
            .office_id
            .clone()
            .or_else(|| doctor.primary_office().map(|o| o.id.clone()))
            .unwrap_or_default();
        let periods =
            domain::doctor::periods_at(&doctor.availability, weekday_key(date), &office, &doctor.offices);
        let length = if query.duration_minutes == 0 {
            30
        } else {
            query.duration_minutes
        };
        let mut slots = appointment::free_slots(&periods, &taken, length);
        if date == Local::now().date_naive() {
            let now = Local::now().time();
            slots.retain(|t| *t > now);
        }
        Ok(FreeTimes {
            times: slots.into_iter().map(|t| t.format("%H:%M").to_string()).collect(),
            off: None,
        })
    }

    /// Books an appointment: checked against the doctor's day on this PC in
    /// the same transaction that writes it; the server checks again.
    pub async fn book_appointment(&self, form: AppointmentForm) -> CommandResult<AppointmentRow> {
        let today = Local::now().date_naive();
        let booking = form.validate(today).map_err(CommandError::invalid)?;
        let id = self
            .write(|store| {
                let doctor = store
                    .doctor(&booking.doctor_id.to_string())?
                    .ok_or_else(|| errors::not_found("doctor"))?;
                check_office(&doctor, &booking.office_id).map_err(|e| CommandError::invalid(vec![e]))?;
                check_not_off(&doctor, booking.date, "date")?;
                store
                    .patient(&booking.patient_id.to_string())?
                    .ok_or_else(|| errors::not_found("patient"))?;
                let slot = store.number_slot()?;
                let mut writes = store.writes()?;
                let busy = taken(writes.tx(), &doctor.id, booking.date, None)?;
                let wanted = Booking::new(booking.time, booking.duration_minutes);
                appointment::check_booking(booking.date, wanted, today, &busy).map_err(booking_error)?;
                let number = next_number(writes.tx(), Series::Appointment, booking.date, slot)?;
                let fields = fields_of(&[
                    ("appointment_number", json!(number)),
                    ("patient_id", json!(booking.patient_id.to_string())),
                    ("doctor_id", json!(booking.doctor_id.to_string())),
                    ("office_id", json!(booking.office_id)),
                    ("appointment_date", json!(booking.date.to_string())),
                    (
                        "appointment_time",
                        json!(booking.time.format("%H:%M:%S").to_string()),
                    ),
                    ("duration_minutes", json!(booking.duration_minutes)),
                    ("appointment_type", json!("scheduled")),
                    ("reason", json!(booking.reason)),
                    ("notes", json!(booking.notes)),
                    ("status", json!("scheduled")),
                ]);
                let id = writes.insert("appointments", fields)?;
                writes.commit()?;
                Ok(id)
            })
            .await?;
        self.appointment_row(id).await
    }

    /// Puts a patient in today's walk-in queue with the next token.
    pub async fn add_walk_in(&self, form: WalkInForm) -> CommandResult<AppointmentRow> {
        let (patient, doctor_id, office, reason) = form.validate().map_err(CommandError::invalid)?;
        let now = Local::now();
        let id = self
            .write(|store| {
                let doctor = store
                    .doctor(&doctor_id.to_string())?
                    .ok_or_else(|| errors::not_found("doctor"))?;
                check_office(&doctor, &office).map_err(|e| CommandError::invalid(vec![e]))?;
                check_not_off(&doctor, now.date_naive(), "doctor_id")?;
                let slot = store.number_slot()?;
                let mut writes = store.writes()?;
                let today = now.date_naive();
                let number = next_number(writes.tx(), Series::Appointment, today, slot)?;
                let token = next_queue_number(writes.tx(), today)?;
                let time = now
                    .time()
                    .with_second(0)
                    .and_then(|t| t.with_nanosecond(0))
                    .unwrap_or(now.time());
                let fields = fields_of(&[
                    ("appointment_number", json!(number)),
                    ("patient_id", json!(patient.to_string())),
                    ("doctor_id", json!(doctor.id)),
                    ("office_id", json!(office)),
                    ("appointment_date", json!(today.to_string())),
                    ("appointment_time", json!(time.format("%H:%M:%S").to_string())),
                    (
                        "duration_minutes",
                        json!(doctor.consultation_minutes.clamp(10, 480)),
                    ),
                    ("appointment_type", json!("walk_in")),
                    ("reason", json!(reason)),
                    ("status", json!("scheduled")),
                    ("queue_number", json!(token)),
                    (
                        "checked_in_at",
                        json!(now.with_timezone(&chrono::Utc).to_rfc3339()),
                    ),
                ]);
                let id = writes.insert("appointments", fields)?;
                writes.commit()?;
                Ok(id)
            })
            .await?;
        self.appointment_row(id).await
    }

    /// Moves an appointment to another day or time: in one local
    /// transaction the old one becomes `rescheduled` (it stays in the
    /// patient's history and frees its slot) and a new one, pointing back
    /// at it, takes the new slot, clash-checked here as a booking is (the
    /// server checks again).
    pub async fn reschedule_appointment(&self, form: RescheduleForm) -> CommandResult<AppointmentRow> {
        let today = Local::now().date_naive();
        let (old_id, date, time) = form.validate(today).map_err(CommandError::invalid)?;
        let id = self
            .write(|store| {
                let old = store
                    .appointment(&old_id.to_string())?
                    .ok_or_else(|| errors::not_found("appointment"))?;
                if !old.next.contains(&AppointmentStatus::Rescheduled) {
                    return Err(CommandError::invalid(vec![ValidationError::new(
                        "status",
                        "Only a booked appointment that has not started can be moved.",
                    )]));
                }
                let doctor = store
                    .doctor(&old.doctor_id)?
                    .ok_or_else(|| errors::not_found("doctor"))?;
                check_not_off(&doctor, date, "date")?;
                let slot = store.number_slot()?;
                let mut writes = store.writes()?;
                let busy = taken(writes.tx(), &old.doctor_id, date, Some(&old.id))?;
                let wanted = Booking::new(time, old.duration_minutes);
                appointment::check_booking(date, wanted, today, &busy).map_err(booking_error)?;
                // The old one first: its slot is free before the new one
                // takes (part of) it, on this PC and in the pushed batch.
                writes.update(
                    "appointments",
                    old_id,
                    fields_of(&[("status", json!("rescheduled"))]),
                )?;
                let number = next_number(writes.tx(), Series::Appointment, date, slot)?;
                let fields = fields_of(&[
                    ("appointment_number", json!(number)),
                    ("patient_id", json!(old.patient_id)),
                    ("doctor_id", json!(old.doctor_id)),
                    ("office_id", json!(old.office_id)),
                    ("appointment_date", json!(date.to_string())),
                    ("appointment_time", json!(time.format("%H:%M:%S").to_string())),
                    ("duration_minutes", json!(old.duration_minutes)),
                    ("appointment_type", json!("scheduled")),
                    ("reason", json!(old.reason)),
                    ("notes", json!(old.notes)),
                    ("status", json!("scheduled")),
                    ("rescheduled_from_id", json!(old.id)),
                ]);
                let id = writes.insert("appointments", fields)?;
                writes.commit()?;
                Ok(id)
            })
            .await?;
        self.appointment_row(id).await
    }

    /// Moves an appointment along its status machine (only legal moves).
    pub async fn set_appointment_status(&self, change: StatusChange) -> CommandResult<AppointmentRow> {
        change.validate().map_err(|e| CommandError::invalid(vec![e]))?;
        if change.to == AppointmentStatus::Rescheduled {
            return Err(CommandError::invalid(vec![ValidationError::new(
                "status",
                "Move the appointment to its new time instead.",
            )]));
        }
        let id = errors::id_of(&change.id, "appointment")?;
        self.write(|store| {
            let row = store
                .appointment(&change.id)?
                .ok_or_else(|| errors::not_found("appointment"))?;
            row.status
                .transition(change.to)
                .map_err(|e| CommandError::new(CommandCode::ValidationFailed, e.message))?;
            let mut fields = fields_of(&[("status", json!(change.to.as_str()))]);
            if change.to == AppointmentStatus::Cancelled {
                fields.insert(
                    "cancellation_reason".into(),
                    json!(change.reason.as_deref().map(str::trim)),
                );
            }
            Ok(store.update("appointments", id, fields)?)
        })
        .await?;
        self.appointment_row(id).await
    }

    async fn appointment_row(&self, id: Uuid) -> CommandResult<AppointmentRow> {
        self.read(|store| store.appointment(&id.to_string()))
            .await?
            .ok_or_else(|| errors::not_found("appointment"))
    }

    /// The patient's chart; opening it is recorded in the audit trail.
    pub async fn patient_chart(&self, id: &str) -> CommandResult<PatientChart> {
        let chart = self
            .read(|store| {
                let patient = store.patient(id)?.ok_or_else(|| errors::not_found("patient"))?;
                Ok::<_, CommandError>(PatientChart {
                    family: store.family(&patient.mobile_number)?,
                    appointments: store.patient_appointments(id)?,
                    prescriptions: store.patient_prescriptions(id)?,
                    referral_history: store.patient_referral_history(id)?,
                    patient,
                })
            })
            .await?;
        self.audit(AuditAction::View, "patients", Some(id), json!({}))
            .await?;
        Ok(chart)
    }
}

pub(crate) fn fields_of(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}
