//! Appointments on the screen: the booking form, rows of a day, the
//! walk-in queue.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use domain::ValidationError;
use domain::clinical::appointment::{AppointmentStatus, DURATION_MINUTES};
use domain::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentType {
    Scheduled,
    WalkIn,
}

impl AppointmentType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::WalkIn => "walk_in",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "scheduled" => Some(Self::Scheduled),
            "walk_in" => Some(Self::WalkIn),
            _ => None,
        }
    }
}

/// The booking form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AppointmentForm {
    pub patient_id: String,
    pub doctor_id: String,
    pub office_id: String,
    /// `YYYY-MM-DD`
    pub date: String,
    /// `HH:MM`
    pub time: String,
    pub duration_minutes: String,
    pub reason: String,
    pub notes: String,
}

/// A booking that passed the form's checks (clash is checked against the
/// doctor's day by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBooking {
    pub patient_id: uuid::Uuid,
    pub doctor_id: uuid::Uuid,
    pub office_id: String,
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub duration_minutes: u32,
    pub reason: String,
    pub notes: Option<String>,
}

fn uuid_field(field: &str, raw: &str, what: &str) -> Result<uuid::Uuid, ValidationError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| ValidationError::new(field, format!("Choose {what}.")))
}

impl AppointmentForm {
    /// Every field at once, so the form shows all its errors together.
    pub fn validate(&self, today: NaiveDate) -> Result<CheckedBooking, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let patient = uuid_field("patient_id", &self.patient_id, "a patient").map_err(|e| errors.push(e));
        let doctor = uuid_field("doctor_id", &self.doctor_id, "a doctor").map_err(|e| errors.push(e));
        if self.office_id.trim().is_empty() {
            errors.push(ValidationError::new("office_id", "Choose an office."));
        }
        let date = booking_date(&self.date, today).map_err(|e| errors.push(e));
        let time = booking_time(&self.time).map_err(|e| errors.push(e));
        let minutes = self
            .duration_minutes
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| DURATION_MINUTES.contains(m))
            .ok_or_else(|| ValidationError::new("duration_minutes", "Enter 10 to 480 minutes."))
            .map_err(|e| errors.push(e));
        let reason = text::required("reason", &self.reason, text::SHORT_TEXT_MAX)
            .map_err(|_| ValidationError::new("reason", "Enter the reason for the visit."))
            .map_err(|e| errors.push(e));
        let notes =
            text::optional("notes", Some(&self.notes), text::LONG_TEXT_MAX).map_err(|e| errors.push(e));
        match (patient, doctor, date, time, minutes, reason, notes) {
            (
                Ok(patient_id),
                Ok(doctor_id),
                Ok(date),
                Ok(time),
                Ok(duration_minutes),
                Ok(reason),
                Ok(notes),
            ) if errors.is_empty() => Ok(CheckedBooking {
                patient_id,
                doctor_id,
                office_id: self.office_id.trim().to_owned(),
                date,
                time,
                duration_minutes,
                reason,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// A day to book on: a date, not in the past.
fn booking_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, ValidationError> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| ValidationError::new("date", "Enter the date."))?;
    if date < today {
        return Err(ValidationError::new("date", "The date cannot be in the past."));
    }
    Ok(date)
}

fn booking_time(raw: &str) -> Result<NaiveTime, ValidationError> {
    parse_time(raw).ok_or_else(|| ValidationError::new("time", "Enter the time, e.g. 10:30."))
}

/// Moving an appointment to another day or time (same patient, doctor,
/// office, length and reason): the old one stays in the history as
/// rescheduled, a new one takes the new slot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RescheduleForm {
    pub id: String,
    pub date: String,
    pub time: String,
}

impl RescheduleForm {
    pub fn validate(
        &self,
        today: NaiveDate,
    ) -> Result<(uuid::Uuid, NaiveDate, NaiveTime), Vec<ValidationError>> {
        let id = uuid_field("id", &self.id, "an appointment");
        let date = booking_date(&self.date, today);
        let time = booking_time(&self.time);
        match (id, date, time) {
            (Ok(id), Ok(date), Ok(time)) => Ok((id, date, time)),
            (id, date, time) => Err([id.err(), date.err(), time.err()].into_iter().flatten().collect()),
        }
    }
}

/// `HH:MM` or `HH:MM:SS`.
pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim();
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .ok()
}

/// A walk-in at the reception desk: queued now, today, for a doctor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WalkInForm {
    pub patient_id: String,
    pub doctor_id: String,
    pub office_id: String,
    pub reason: String,
}

impl WalkInForm {
    pub fn validate(&self) -> Result<(uuid::Uuid, uuid::Uuid, String, String), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let patient = uuid_field("patient_id", &self.patient_id, "a patient").map_err(|e| errors.push(e));
        let doctor = uuid_field("doctor_id", &self.doctor_id, "a doctor").map_err(|e| errors.push(e));
        if self.office_id.trim().is_empty() {
            errors.push(ValidationError::new("office_id", "Choose an office."));
        }
        let reason = text::required("reason", &self.reason, text::SHORT_TEXT_MAX)
            .map_err(|_| ValidationError::new("reason", "Enter the reason for the visit."))
            .map_err(|e| errors.push(e));
        match (patient, doctor, reason) {
            (Ok(p), Ok(d), Ok(r)) if errors.is_empty() => Ok((p, d, self.office_id.trim().to_owned(), r)),
            _ => Err(errors),
        }
    }
}

/// One appointment as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentRow {
    pub id: String,
    pub number: String,
    pub patient_id: String,
    pub patient_name: String,
    pub patient_mobile: String,
    pub doctor_id: String,
    pub doctor_name: String,
    pub office_id: String,
    pub office_name: String,
    pub date: String,
    /// `HH:MM`
    pub time: String,
    pub duration_minutes: u32,
    pub appointment_type: AppointmentType,
    pub reason: String,
    pub status: AppointmentStatus,
    pub queue_number: Option<u32>,
    pub checked_in_at: Option<String>,
    pub notes: Option<String>,
    pub cancellation_reason: Option<String>,
    /// When the appointment this one replaced was (`YYYY-MM-DD HH:MM`).
    #[serde(default)]
    pub rescheduled_from: Option<String>,
    /// Statuses this one may move to (the status machine), for the buttons.
    pub next: Vec<AppointmentStatus>,
    /// Not yet accepted by the server (still in the outbox).
    pub pending: bool,
}

/// Which day and whose.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayQuery {
    pub date: String,
    pub doctor_id: Option<String>,
    pub office_id: Option<String>,
}

/// A day: booked appointments in time order and the walk-in queue.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayView {
    pub date: String,
    pub appointments: Vec<AppointmentRow>,
    pub queue: Vec<AppointmentRow>,
}

/// Free slots of a doctor on a day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SlotQuery {
    pub doctor_id: String,
    pub date: String,
    pub duration_minutes: u32,
    /// The office booked at; none means the doctor's primary office.
    #[serde(default)]
    pub office_id: Option<String>,
}

/// A doctor's free start times on a day, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FreeTimes {
    /// `HH:MM`, in order.
    pub times: Vec<String>,
    /// Set when the doctor is off that day: who, when and why.
    pub off: Option<String>,
}

/// A status change asked from the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub id: String,
    pub to: AppointmentStatus,
    /// Required to cancel.
    #[serde(default)]
    pub reason: Option<String>,
}

impl StatusChange {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.to == AppointmentStatus::Cancelled
            && self.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(ValidationError::new(
                "cancellation_reason",
                "Say why the appointment is cancelled.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    fn form() -> AppointmentForm {
        AppointmentForm {
            patient_id: uuid::Uuid::now_v7().to_string(),
            doctor_id: uuid::Uuid::now_v7().to_string(),
            office_id: "main".into(),
            date: "2026-11-28".into(),
            time: "10:30".into(),
            duration_minutes: "30".into(),
            reason: "Tooth ache".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_good_booking_passes() {
        let b = form().validate(today()).expect("valid");
        assert_eq!(b.duration_minutes, 30);
        assert_eq!(b.time, NaiveTime::from_hms_opt(10, 30, 0).unwrap_or_default());
        assert_eq!(b.notes, None);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = AppointmentForm {
            patient_id: String::new(),
            date: "2026-11-26".into(),
            time: "25:00".into(),
            duration_minutes: "5".into(),
            reason: " ".into(),
            ..form()
        };
        let fields: Vec<String> = bad
            .validate(today())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["patient_id", "date", "time", "duration_minutes", "reason"]
        );
    }

    #[test]
    fn cancelling_needs_a_reason() {
        let mut change = StatusChange {
            id: "x".into(),
            to: AppointmentStatus::Cancelled,
            reason: None,
        };
        assert!(change.validate().is_err());
        change.reason = Some("Patient called".into());
        assert!(change.validate().is_ok());
        assert_eq!(AppointmentType::parse("walk_in"), Some(AppointmentType::WalkIn));
        assert_eq!(AppointmentType::parse("WALK_IN"), None);
    }
}

#[cfg(test)]
mod reschedule_tests {
    use super::*;

    #[test]
    fn a_move_needs_a_day_not_past_and_a_time() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let good = RescheduleForm {
            id: uuid::Uuid::now_v7().to_string(),
            date: "2026-12-03".into(),
            time: "10:30".into(),
        };
        assert!(good.validate(today).is_ok());
        let bad = RescheduleForm {
            id: "x".into(),
            date: "2026-12-01".into(),
            time: "half past".into(),
        };
        let fields: Vec<String> = bad
            .validate(today)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["id", "date", "time"]);
    }
}
