//! Figures kept per day (migration 11): working out the days a range lacks,
//! a run of days at a time with one grouped statement per figure, and
//! summing the kept days of a range.

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use contract::screens::reports::{DoctorVisits, Ranked, TOP};
use rusqlite::{Transaction, params};

use super::{HELD, ISSUED, Takings};
use crate::error::StoreError;

/// The tables of kept figures, each keyed by `day` first.
const KEPT: [&str; 6] = [
    "report_day_visits",
    "report_day_patients",
    "report_day_takings",
    "report_day_bills",
    "report_day_diagnoses",
    "report_day_medicines",
];

/// Works out every day of `from..=to` that is not kept.
pub(super) fn keep(tx: &Transaction<'_>, from: NaiveDate, to: NaiveDate) -> Result<(), StoreError> {
    let any_kept: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM report_days)", [], |r| r.get(0))?;
    if !any_kept {
        first_visits(tx)?;
    }
    let kept: BTreeSet<String> = tx
        .prepare_cached("SELECT day FROM report_days WHERE day BETWEEN ?1 AND ?2")?
        .query_map([from.to_string(), to.to_string()], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for (first, last) in missing_runs(from, to, &kept) {
        work_out(tx, first, last)?;
    }
    Ok(())
}

/// Every patient's first held visit, from the records. The appointment
/// triggers keep it from here on, while any day is kept.
fn first_visits(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute("DELETE FROM report_first_visits", [])?;
    tx.execute(
        &format!(
            "INSERT INTO report_first_visits (patient_id, first_day)
             SELECT a.patient_id, min(a.appointment_date) FROM appointments a
             WHERE a.deleted_at IS NULL AND {HELD} AND a.patient_id IS NOT NULL AND a.appointment_date IS NOT NULL
             GROUP BY a.patient_id"
        ),
        [],
    )?;
    Ok(())
}

/// The runs of consecutive days of `from..=to` not in `kept`.
pub(super) fn missing_runs(
    from: NaiveDate,
    to: NaiveDate,
    kept: &BTreeSet<String>,
) -> Vec<(NaiveDate, NaiveDate)> {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        if kept.contains(&day.to_string()) {
            continue;
        }
        match runs.last_mut() {
            Some((_, last)) if *last + Days::new(1) == day => *last = day,
            _ => runs.push((day, day)),
        }
    }
    runs
}

/// The figures of the days `first..=last`, from the records.
fn work_out(tx: &Transaction<'_>, first: NaiveDate, last: NaiveDate) -> Result<(), StoreError> {
    let (a, b) = (first.to_string(), last.to_string());
    for table in KEPT {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE day BETWEEN ?1 AND ?2"))?
            .execute([&a, &b])?;
    }
    tx.prepare_cached(
        "INSERT INTO report_day_visits
         SELECT a.appointment_date, coalesce(a.doctor_id, ''),
                sum(coalesce(a.appointment_type, '') <> 'walk_in' AND a.status IS NOT 'rescheduled'),
                sum(a.appointment_type IS 'walk_in'), sum(a.status IS 'completed'),
                sum(a.status IS 'no_show'), sum(a.status IS 'cancelled')
         FROM appointments a
         WHERE a.appointment_date BETWEEN ?1 AND ?2 AND a.deleted_at IS NULL
         GROUP BY 1, 2",
    )?
    .execute([&a, &b])?;
    tx.prepare_cached(&format!(
        "INSERT OR IGNORE INTO report_day_patients
         SELECT a.appointment_date, a.patient_id FROM appointments a
         WHERE a.appointment_date BETWEEN ?1 AND ?2 AND a.deleted_at IS NULL AND {HELD}
           AND a.patient_id IS NOT NULL"
    ))?
    .execute([&a, &b])?;
    // Payments are stamped in UTC: the stamps a day either side of the run
    // are read through the index, then kept by their local day.
    let (low, high) = (first - Days::new(1), last + Days::new(2));
    tx.prepare_cached(
        "INSERT INTO report_day_takings
         SELECT date(y.paid_at, 'localtime'), coalesce(i.doctor_id, ''), coalesce(y.mode, 'other'),
                sum(y.amount_minor), count(*)
         FROM payments y LEFT JOIN invoices i ON i.id = y.invoice_id
         WHERE y.paid_at >= ?3 AND y.paid_at < ?4 AND y.deleted_at IS NULL
           AND date(y.paid_at, 'localtime') BETWEEN ?1 AND ?2
         GROUP BY 1, 2, 3",
    )?
    .execute(params![a, b, low.to_string(), high.to_string()])?;
    tx.prepare_cached(
        "INSERT INTO report_day_bills
         SELECT issued_on, count(*), coalesce(sum(total_minor), 0) FROM invoices
         WHERE issued_on BETWEEN ?1 AND ?2 AND deleted_at IS NULL AND status IS NOT 'void'
         GROUP BY 1",
    )?
    .execute([&a, &b])?;
    tx.prepare_cached(&format!(
        "INSERT INTO report_day_diagnoses
         SELECT r.visit_date, lower(trim(r.diagnosis)), min(trim(r.diagnosis)), count(*) FROM prescriptions r
         WHERE r.visit_date BETWEEN ?1 AND ?2 AND r.deleted_at IS NULL AND {ISSUED}
           AND trim(coalesce(r.diagnosis, '')) <> ''
         GROUP BY 1, 2"
    ))?
    .execute([&a, &b])?;
    tx.prepare_cached(&format!(
        "INSERT INTO report_day_medicines
         SELECT r.visit_date, lower(trim(it.medicine_name)), min(trim(it.medicine_name)),
                count(DISTINCT it.prescription_id)
         FROM prescriptions r
         JOIN prescription_items it ON it.prescription_id = r.id AND it.deleted_at IS NULL
         WHERE r.visit_date BETWEEN ?1 AND ?2 AND r.deleted_at IS NULL AND {ISSUED}
           AND trim(coalesce(it.medicine_name, '')) <> ''
         GROUP BY 1, 2"
    ))?
    .execute([&a, &b])?;
    tx.prepare_cached(
        "WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL SELECT date(day, '+1 day') FROM d WHERE day < ?2)
         INSERT OR IGNORE INTO report_days (day) SELECT day FROM d",
    )?
    .execute([&a, &b])?;
    Ok(())
}

/// Doctors' names by id, for the few doctors a report names.
pub(super) fn doctor_names(tx: &Transaction<'_>) -> Result<HashMap<String, String>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT d.id, u.full_name FROM doctors d JOIN users u ON u.id = d.user_id
         WHERE u.full_name IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn visits(
    tx: &Transaction<'_>,
    names: &HashMap<String, String>,
    from: &str,
    to: &str,
) -> Result<Vec<DoctorVisits>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT doctor_id, sum(booked), sum(walk_ins), sum(completed), sum(no_shows), sum(cancelled)
         FROM report_day_visits WHERE day BETWEEN ?1 AND ?2 GROUP BY doctor_id",
    )?;
    let rows = stmt.query_map([from, to], |r| {
        let doctor_id: String = r.get(0)?;
        Ok(DoctorVisits {
            doctor_name: names
                .get(&doctor_id)
                .cloned()
                .unwrap_or_else(|| "Unknown doctor".into()),
            doctor_id,
            booked: r.get(1)?,
            walk_ins: r.get(2)?,
            completed: r.get(3)?,
            no_shows: r.get(4)?,
            cancelled: r.get(5)?,
        })
    })?;
    let mut visits: Vec<DoctorVisits> = rows.collect::<Result<_, _>>()?;
    visits.sort_by(|a, b| a.doctor_name.cmp(&b.doctor_name));
    Ok(visits)
}

pub(super) fn takings(
    tx: &Transaction<'_>,
    names: &HashMap<String, String>,
    from: &str,
    to: &str,
) -> Result<Vec<Takings>, StoreError> {
    let mut stmt = tx.prepare_cached(
        "SELECT day, doctor_id, mode, amount_minor, payments FROM report_day_takings
         WHERE day BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map([from, to], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, doctor_id, mode, amount_minor, payments) = row?;
        let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("payment day {day}: {e}")))?;
        let doctor = names
            .get(&doctor_id)
            .cloned()
            .unwrap_or_else(|| "No doctor".into());
        out.push(Takings {
            day,
            doctor_id,
            doctor,
            mode,
            amount_minor,
            payments,
        });
    }
    Ok(out)
}

/// Patients seen in the range: new when their first held visit is in it.
pub(super) fn new_and_returning(
    tx: &Transaction<'_>,
    from: &str,
    to: &str,
) -> Result<(u32, u32), StoreError> {
    let (seen, returning): (u32, u32) = tx
        .prepare_cached(
            "SELECT count(*), coalesce(sum(f.first_day < ?1), 0)
             FROM (SELECT DISTINCT patient_id FROM report_day_patients WHERE day BETWEEN ?1 AND ?2) s
             JOIN report_first_visits f ON f.patient_id = s.patient_id",
        )?
        .query_row([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((seen - returning, returning))
}

pub(super) fn bills(tx: &Transaction<'_>, from: &str, to: &str) -> Result<(u32, i64), StoreError> {
    Ok(tx
        .prepare_cached(
            "SELECT coalesce(sum(bills), 0), coalesce(sum(billed_minor), 0) FROM report_day_bills
             WHERE day BETWEEN ?1 AND ?2",
        )?
        .query_row([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// The commonest diagnoses or medicines of the range (`table`), each shown
/// as first written.
pub(super) fn top(
    tx: &Transaction<'_>,
    table: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Ranked>, StoreError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT min(name), sum(count) FROM {table} WHERE day BETWEEN ?1 AND ?2
         GROUP BY key ORDER BY 2 DESC, 1 LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![from, to, TOP as i64], |r| {
        Ok(Ranked {
            name: r.get(0)?,
            count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
