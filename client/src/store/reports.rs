//! The figures of the Reports page, read from this PC's store in one read
//! transaction (one consistent snapshot, even while sync writes): a handful
//! of grouped statements over the range's index ranges, never a row per
//! record. Money is grouped by the PC's local day of each payment.

use chrono::{Days, NaiveDate};
use contract::screens::reports::{DoctorVisits, Ranked, TOP};
use rusqlite::{Transaction, params};

use super::Store;
use crate::error::StoreError;

/// Money received on one local day for one doctor by one payment mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takings {
    pub day: NaiveDate,
    /// The bill's doctor ("" for none) and their name.
    pub doctor_id: String,
    pub doctor: String,
    pub mode: String,
    pub amount_minor: i64,
    pub payments: u32,
}

/// The raw figures of a range, before they are grouped for the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeFigures {
    pub visits: Vec<DoctorVisits>,
    pub takings: Vec<Takings>,
    pub bills: u32,
    pub billed_minor: i64,
    pub new_patients: u32,
    pub returning_patients: u32,
    pub top_diagnoses: Vec<Ranked>,
    pub top_medicines: Vec<Ranked>,
}

/// A visit that took place (or is yet to): not cancelled, missed or moved.
const HELD: &str = "a.status NOT IN ('cancelled', 'no_show', 'rescheduled')";
/// A prescription that was issued (drafts and cancelled ones are not).
const ISSUED: &str = "r.status IN ('active', 'dispensed', 'completed', 'expired')";

const DOCTOR_NAME: &str = "LEFT JOIN doctors d ON d.id = {doctor} LEFT JOIN users u ON u.id = d.user_id";

fn doctor_join(column: &str) -> String {
    DOCTOR_NAME.replace("{doctor}", column)
}

fn visits(tx: &Transaction<'_>, from: &str, to: &str) -> Result<Vec<DoctorVisits>, StoreError> {
    let sql = format!(
        "SELECT coalesce(a.doctor_id, ''), coalesce(u.full_name, 'Unknown doctor'),
                sum(coalesce(a.appointment_type, '') <> 'walk_in' AND a.status IS NOT 'rescheduled'),
                sum(a.appointment_type = 'walk_in'), sum(a.status = 'completed'),
                sum(a.status = 'no_show'), sum(a.status = 'cancelled')
         FROM appointments a {}
         WHERE a.appointment_date BETWEEN ?1 AND ?2 AND a.deleted_at IS NULL
         GROUP BY a.doctor_id ORDER BY 2",
        doctor_join("a.doctor_id")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map([from, to], |r| {
        Ok(DoctorVisits {
            doctor_id: r.get(0)?,
            doctor_name: r.get(1)?,
            booked: r.get(2)?,
            walk_ins: r.get(3)?,
            completed: r.get(4)?,
            no_shows: r.get(5)?,
            cancelled: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Payments are stamped in UTC: the stamps a day either side of the range
/// are read through the index, then kept by their local day.
fn takings(tx: &Transaction<'_>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Takings>, StoreError> {
    let sql = format!(
        "SELECT date(y.paid_at, 'localtime'), coalesce(i.doctor_id, ''), coalesce(u.full_name, 'No doctor'),
                coalesce(y.mode, 'other'), sum(y.amount_minor), count(*)
         FROM payments y LEFT JOIN invoices i ON i.id = y.invoice_id {}
         WHERE y.paid_at >= ?1 AND y.paid_at < ?2 AND y.deleted_at IS NULL
           AND date(y.paid_at, 'localtime') BETWEEN ?3 AND ?4
         GROUP BY 1, 2, 4",
        doctor_join("i.doctor_id")
    );
    let (low, high) = (from - Days::new(1), to + Days::new(2));
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            low.to_string(),
            high.to_string(),
            from.to_string(),
            to.to_string()
        ],
        |r| {
            let day: String = r.get(0)?;
            let takings = Takings {
                day: NaiveDate::MIN,
                doctor_id: r.get(1)?,
                doctor: r.get(2)?,
                mode: r.get(3)?,
                amount_minor: r.get(4)?,
                payments: r.get(5)?,
            };
            Ok((day, takings))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (day, takings) = row?;
        let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("payment day {day}: {e}")))?;
        out.push(Takings { day, ..takings });
    }
    Ok(out)
}

fn bills(tx: &Transaction<'_>, from: &str, to: &str) -> Result<(u32, i64), StoreError> {
    Ok(tx
        .prepare_cached(
            "SELECT count(*), coalesce(sum(total_minor), 0) FROM invoices
             WHERE issued_on BETWEEN ?1 AND ?2 AND deleted_at IS NULL AND status IS NOT 'void'",
        )?
        .query_row([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Patients with a visit in the range: new when they had none before it.
fn new_and_returning(tx: &Transaction<'_>, from: &str, to: &str) -> Result<(u32, u32), StoreError> {
    let sql = format!(
        "WITH seen AS (SELECT DISTINCT a.patient_id FROM appointments a
                       WHERE a.appointment_date BETWEEN ?1 AND ?2 AND a.deleted_at IS NULL AND {HELD})
         SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM appointments a
                       WHERE a.patient_id = seen.patient_id AND a.appointment_date < ?1
                         AND a.deleted_at IS NULL AND {HELD})), 0)
         FROM seen"
    );
    let (seen, returning): (u32, u32) = tx
        .prepare_cached(&sql)?
        .query_row([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((seen - returning, returning))
}

fn ranked(tx: &Transaction<'_>, sql: &str, from: &str, to: &str) -> Result<Vec<Ranked>, StoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map(params![from, to, TOP as i64], |r| {
        Ok(Ranked {
            name: r.get(0)?,
            count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The commonest diagnoses of issued prescriptions, however they were
/// capitalised, each shown as first written.
fn top_diagnoses(tx: &Transaction<'_>, from: &str, to: &str) -> Result<Vec<Ranked>, StoreError> {
    let sql = format!(
        "SELECT min(trim(r.diagnosis)), count(*) FROM prescriptions r
         WHERE r.visit_date BETWEEN ?1 AND ?2 AND r.deleted_at IS NULL AND {ISSUED}
           AND trim(coalesce(r.diagnosis, '')) <> ''
         GROUP BY lower(trim(r.diagnosis)) ORDER BY 2 DESC, 1 LIMIT ?3"
    );
    ranked(tx, &sql, from, to)
}

/// The medicines on most issued prescriptions.
fn top_medicines(tx: &Transaction<'_>, from: &str, to: &str) -> Result<Vec<Ranked>, StoreError> {
    let sql = format!(
        "SELECT min(trim(it.medicine_name)), count(DISTINCT it.prescription_id) FROM prescriptions r
         JOIN prescription_items it ON it.prescription_id = r.id AND it.deleted_at IS NULL
         WHERE r.visit_date BETWEEN ?1 AND ?2 AND r.deleted_at IS NULL AND {ISSUED}
           AND trim(coalesce(it.medicine_name, '')) <> ''
         GROUP BY lower(trim(it.medicine_name)) ORDER BY 2 DESC, 1 LIMIT ?3"
    );
    ranked(tx, &sql, from, to)
}

impl Store {
    /// Every figure of the range `from..=to`, from one snapshot.
    pub fn range_figures(&self, from: NaiveDate, to: NaiveDate) -> Result<RangeFigures, StoreError> {
        let tx = self.conn().unchecked_transaction()?;
        let (first, last) = (from.to_string(), to.to_string());
        let (bills, billed_minor) = bills(&tx, &first, &last)?;
        let (new_patients, returning_patients) = new_and_returning(&tx, &first, &last)?;
        let figures = RangeFigures {
            visits: visits(&tx, &first, &last)?,
            takings: takings(&tx, from, to)?,
            bills,
            billed_minor,
            new_patients,
            returning_patients,
            top_diagnoses: top_diagnoses(&tx, &first, &last)?,
            top_medicines: top_medicines(&tx, &first, &last)?,
        };
        tx.finish()?;
        Ok(figures)
    }
}
