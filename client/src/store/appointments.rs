//! Appointment look-ups for the screens and the booking checks: a day, a
//! patient's history, the doctor's taken time, numbers and queue tokens.

use chrono::NaiveDate;
use contract::screens::appointments::{AppointmentRow, AppointmentType};
use domain::clinical::appointment::{AppointmentStatus, Booking};
use domain::clinical::numbering::{self, Series};
use domain::doctor::Office;
use rusqlite::Connection;

use super::Store;
use crate::error::StoreError;

const SELECT: &str = "SELECT a.id, a.appointment_number, a.patient_id, \
     trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), coalesce(p.mobile_number, ''), \
     a.doctor_id, coalesce(u.full_name, ''), d.offices, a.office_id, a.appointment_date, \
     substr(a.appointment_time, 1, 5), a.duration_minutes, a.appointment_type, a.reason, a.status, \
     a.queue_number, a.checked_in_at, a.notes, a.cancellation_reason, \
     EXISTS (SELECT 1 FROM outbox o WHERE o.row_id = a.id), \
     (SELECT f.appointment_date || ' ' || substr(f.appointment_time, 1, 5) FROM appointments f \
       WHERE f.id = a.rescheduled_from_id) \
     FROM appointments a \
     LEFT JOIN patients p ON p.id = a.patient_id \
     LEFT JOIN doctors d ON d.id = a.doctor_id \
     LEFT JOIN users u ON u.id = d.user_id \
     WHERE a.deleted_at IS NULL";

fn office_name(offices: Option<&str>, id: &str) -> String {
    let offices: Vec<Office> = offices
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default();
    domain::doctor::office_name(&offices, id)
}

fn status_of(raw: &str) -> AppointmentStatus {
    AppointmentStatus::parse(raw).unwrap_or(AppointmentStatus::Scheduled)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AppointmentRow> {
    let offices: Option<String> = r.get(7)?;
    let office_id: String = r.get(8)?;
    let status = status_of(&r.get::<_, String>(14)?);
    let minutes: i64 = r.get(11)?;
    let queue: Option<i64> = r.get(15)?;
    let kind = AppointmentType::parse(&r.get::<_, String>(12)?).unwrap_or(AppointmentType::Scheduled);
    // A walk-in holds a place in the queue, not a slot: nothing to move.
    // A moved appointment is history: its replacement carries on.
    let next = status
        .next()
        .iter()
        .copied()
        .filter(|to| !(kind == AppointmentType::WalkIn && *to == AppointmentStatus::Rescheduled))
        .filter(|_| status != AppointmentStatus::Rescheduled)
        .collect();
    Ok(AppointmentRow {
        id: r.get(0)?,
        number: r.get(1)?,
        patient_id: r.get(2)?,
        patient_name: r.get(3)?,
        patient_mobile: r.get(4)?,
        doctor_id: r.get(5)?,
        doctor_name: r.get(6)?,
        office_name: office_name(offices.as_deref(), &office_id),
        office_id,
        date: r.get(9)?,
        time: r.get(10)?,
        duration_minutes: u32::try_from(minutes).unwrap_or(0),
        appointment_type: kind,
        reason: r.get(13)?,
        status,
        queue_number: queue.and_then(|q| u32::try_from(q).ok()),
        checked_in_at: r.get(16)?,
        notes: r.get(17)?,
        cancellation_reason: r.get(18)?,
        next,
        pending: r.get(19)?,
        rescheduled_from: r.get(20)?,
    })
}

impl Store {
    /// A day's appointments in time order (walk-ins by queue token),
    /// optionally of one doctor and/or office.
    pub fn day_appointments(
        &self,
        date: NaiveDate,
        doctor: Option<&str>,
        office: Option<&str>,
    ) -> Result<Vec<AppointmentRow>, StoreError> {
        let sql = format!(
            "{SELECT} AND a.appointment_date = ?1 AND (?2 IS NULL OR a.doctor_id = ?2) \
             AND (?3 IS NULL OR a.office_id = ?3) \
             ORDER BY a.appointment_time, a.queue_number, a.appointment_number"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params![date.to_string(), doctor, office], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A patient's appointments, newest first.
    pub fn patient_appointments(&self, patient: &str) -> Result<Vec<AppointmentRow>, StoreError> {
        let sql = format!(
            "{SELECT} AND a.patient_id = ?1 ORDER BY a.appointment_date DESC, a.appointment_time DESC LIMIT 200"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([patient], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn appointment(&self, id: &str) -> Result<Option<AppointmentRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(&format!("{SELECT} AND a.id = ?1"))?;
        let mut rows = stmt.query_map([id], row)?;
        Ok(rows.next().transpose()?)
    }

    /// The doctor's booked time that day (scheduled appointments that still
    /// hold their slot), for clash checks and free slots.
    pub fn taken(
        &self,
        doctor: &str,
        date: NaiveDate,
        except: Option<&str>,
    ) -> Result<Vec<Booking>, StoreError> {
        taken(self.conn(), doctor, date, except)
    }

    pub fn set_number_slot(&self, slot: u8) -> Result<(), StoreError> {
        self.set_state(super::key::NUMBER_SLOT, &slot.to_string())
    }

    /// This PC's digit in the clinic's numbers (from the server at sign-in;
    /// before that, a digit of the device id).
    pub fn number_slot(&self) -> Result<u8, StoreError> {
        Ok(
            match self.state(super::key::NUMBER_SLOT)?.and_then(|s| s.parse().ok()) {
                Some(slot) => slot,
                None => self.device_id().as_uuid().as_bytes()[15] % 10,
            },
        )
    }
}

pub(crate) fn taken(
    conn: &Connection,
    doctor: &str,
    date: NaiveDate,
    except: Option<&str>,
) -> Result<Vec<Booking>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT appointment_time, duration_minutes, status FROM appointments \
         WHERE deleted_at IS NULL AND doctor_id = ?1 AND appointment_date = ?2 \
           AND appointment_type = 'scheduled' AND (?3 IS NULL OR id <> ?3)",
    )?;
    let rows = stmt.query_map(rusqlite::params![doctor, date.to_string(), except], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for found in rows {
        let (time, minutes, status) = found?;
        if !status_of(&status).occupies_slot() {
            continue;
        }
        let time = contract::screens::appointments::parse_time(&time)
            .ok_or_else(|| StoreError::Corrupt(format!("appointment time {time}")))?;
        out.push(Booking::new(time, u32::try_from(minutes).unwrap_or(0)));
    }
    Ok(out)
}

/// The next free number of `series` on `date` for this PC's slot: one more
/// than the highest this slot has used that day (deleted rows included,
/// so a number is never handed out twice).
pub(crate) fn next_number(
    conn: &Connection,
    series: Series,
    date: NaiveDate,
    slot: u8,
) -> Result<String, StoreError> {
    let (table, column) = (series.table(), series.column());
    let prefix = format!("{}{}{slot}", series.prefix(), date.format("%Y%m%d"));
    let sql = format!("SELECT max({column}) FROM {table} WHERE {column} LIKE ?1 || '%'");
    let highest: Option<String> = conn.prepare_cached(&sql)?.query_row([&prefix], |r| r.get(0))?;
    let used = highest
        .and_then(|h| numbering::parse(series, &h).ok())
        .map_or(0, |(_, seq)| seq % 1000);
    numbering::number(series, date, slot, used + 1).map_err(|e| StoreError::Invalid(e.message))
}

/// The next walk-in token of the day (this PC's view: two PCs offline may
/// hand out the same token; the queue is ordered by check-in time too).
pub(crate) fn next_queue_number(conn: &Connection, date: NaiveDate) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(queue_number), 0) + 1 FROM appointments \
             WHERE appointment_date = ?1 AND appointment_type = 'walk_in'",
        )?
        .query_row([date.to_string()], |r| r.get(0))?)
}
