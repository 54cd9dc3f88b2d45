//! `bench reports`: the Reports page over a busy year, on an encrypted
//! store loaded the way a first sync loads it. `--appointments` visits
//! spread over the last 365 days among 8 doctors; each completed visit has
//! an issued prescription of 2 items, a bill and one or two payments. Times
//! the page's work for "Last 12 months" by month (the store's figures,
//! then grouping): cold, with no day's figures kept (after a first sync),
//! and as the page is used, with a payment taken today before each look
//! (today worked out again, the other days summed from what is kept). The
//! baseline of this run is what a report without kept days could not do
//! less than: read each of the range's appointments once through the date
//! index.

use std::time::{Duration, Instant};

use chrono::{Days, Local, NaiveDate};
use client::Store;
use contract::screens::reports::{Period, Report, ReportQuery};
use domain::ids::{TenantId, UserId};
use domain::sync::SnapshotRow;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::load::percentile;

const DOCTORS: usize = 8;
const DIAGNOSES: [&str; 12] = [
    "Viral fever",
    "Upper respiratory infection",
    "Acute gastritis",
    "Hypertension review",
    "Type 2 diabetes review",
    "Migraine",
    "Allergic rhinitis",
    "Lower back pain",
    "Urinary tract infection",
    "Dental caries",
    "Conjunctivitis",
    "Sprained ankle",
];
const MODES: [&str; 3] = ["cash", "upi", "card"];
const ROUNDS: usize = 20;
/// Reports worked out from nothing kept: each reads the whole year.
const COLD_ROUNDS: usize = 3;

fn row(table: &str, fields: Value) -> SnapshotRow {
    SnapshotRow {
        table: table.to_owned(),
        global: false,
        row: fields.as_object().cloned().unwrap_or_default(),
    }
}

/// What a visit `i` of the year became; most are seen, some missed.
fn status_of(i: usize) -> &'static str {
    match i % 20 {
        0 | 1 => "no_show",
        2 => "cancelled",
        3 => "rescheduled",
        _ => "completed",
    }
}

/// The visit's rows: the appointment and, once seen, its prescription,
/// items, bill and payments.
fn visit_rows(i: usize, day: NaiveDate, patient: Uuid, doctor: Uuid, rows: &mut Vec<SnapshotRow>) {
    let (appointment, status) = (Uuid::now_v7(), status_of(i));
    let date = day.to_string();
    rows.push(row(
        "appointments",
        json!({"id": appointment, "appointment_number": format!("APT{}{:04}", day.format("%Y%m%d"), i % 10_000),
        "patient_id": patient, "doctor_id": doctor, "office_id": "main", "appointment_date": date,
        "appointment_time": format!("{:02}:{:02}:00", 9 + i % 9, (i % 4) * 15), "duration_minutes": 15,
        "appointment_type": if i.is_multiple_of(5) { "walk_in" } else { "consultation" },
        "reason": "Check-up", "status": status}),
    ));
    if status != "completed" {
        return;
    }
    let rx = Uuid::now_v7();
    rows.push(row(
        "prescriptions",
        json!({"id": rx, "prescription_number": format!("RX{}{:04}", day.format("%Y%m%d"), i % 10_000),
        "patient_id": patient, "doctor_id": doctor, "office_id": "main", "visit_date": date,
        "diagnosis": DIAGNOSES[i % DIAGNOSES.len()], "status": "active", "valid_until": "2099-01-01"}),
    ));
    for k in 0..2 {
        rows.push(row(
            "prescription_items",
            json!({"id": Uuid::now_v7(), "prescription_id": rx,
            "medicine_name": format!("Medicine {}", (i * 7 + k * 13) % 40), "dosage": "1 tablet",
            "frequency": "1-0-1", "duration": "5 days", "quantity": 10, "sort_order": k}),
        ));
    }
    let (invoice, total) = (Uuid::now_v7(), 50_000 + (i as i64 % 7) * 12_500);
    rows.push(row(
        "invoices",
        json!({"id": invoice, "invoice_number": format!("INV{}{:04}", day.format("%Y%m%d"), i % 10_000),
        "patient_id": patient, "doctor_id": doctor, "appointment_id": appointment, "issued_on": date,
        "currency": "INR", "lines": [], "total_minor": total, "status": "issued"}),
    ));
    let parts = if i.is_multiple_of(7) { 2 } else { 1 };
    for part in 0..parts {
        rows.push(row(
            "payments",
            json!({"id": Uuid::now_v7(), "receipt_number": format!("RCP{}{:04}", day.format("%Y%m%d"), (i + part) % 10_000),
            "invoice_id": invoice, "patient_id": patient, "amount_minor": total / parts as i64,
            "mode": MODES[(i + part) % MODES.len()], "paid_at": format!("{date}T{:02}:30:00Z", 4 + part)}),
        ));
    }
}

/// The clinic's year: doctors with names, patients, and the visits.
fn load(store: &mut Store, appointments: usize, today: NaiveDate) -> anyhow::Result<usize> {
    let mut rows = Vec::new();
    let mut doctors = Vec::new();
    for d in 0..DOCTORS {
        let (user, doctor) = (Uuid::now_v7(), Uuid::now_v7());
        rows.push(row(
            "users",
            json!({"id": user, "email": format!("dr{d}@reports.bench"), "full_name": format!("Dr Bench {d}"), "role": "doctor"}),
        ));
        rows.push(row(
            "doctors",
            json!({"id": doctor, "user_id": user, "specialization": "General",
            "offices": [{"id": "main", "name": "Main", "is_primary": true}]}),
        ));
        doctors.push(doctor);
    }
    let patients: Vec<Uuid> = (0..appointments.div_ceil(4).max(1))
        .map(|_| Uuid::now_v7())
        .collect();
    for (n, id) in patients.iter().enumerate() {
        rows.push(row(
            "patients",
            json!({"id": id, "first_name": format!("Patient {n}"), "last_name": "Bench",
            "mobile_number": format!("+9198{:08}", n), "date_of_birth": "1985-06-15",
            "gender": "other", "allergies": []}),
        ));
    }
    let mut written = rows.len();
    store.apply_snapshot_rows(&rows)?;
    rows.clear();
    for i in 0..appointments {
        let day = today - Days::new((i % 365) as u64);
        // Patients come back: a visit's patient is one of the clinic's few.
        let patient = patients[(i * 7_919) % patients.len()];
        visit_rows(i, day, patient, doctors[i % DOCTORS], &mut rows);
        if rows.len() >= 5_000 {
            written += rows.len();
            store.apply_snapshot_rows(&rows)?;
            rows.clear();
        }
    }
    written += rows.len();
    store.apply_snapshot_rows(&rows)?;
    Ok(written)
}

/// The least work a report of the range does: each of its appointments
/// read once, through the index the reports use.
fn one_pass(conn: &rusqlite::Connection, from: &str, to: &str) -> anyhow::Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) + sum(length(status)) FROM appointments \
              WHERE appointment_date BETWEEN ?1 AND ?2 AND deleted_at IS NULL",
        )?
        .query_row([from, to], |r| r.get(0))?)
}

/// A payment taken today against a new bill, as the front desk takes it.
fn take_payment(store: &mut Store, today: NaiveDate, n: usize) -> anyhow::Result<()> {
    let fields = |v: Value| v.as_object().cloned().unwrap_or_default();
    let mut writes = store.writes()?;
    let bill = writes.insert(
        "invoices",
        fields(json!({"invoice_number": format!("INV{}9{n:03}", today.format("%Y%m%d")),
        "patient_id": Uuid::now_v7(), "issued_on": today.to_string(), "currency": "INR",
        "lines": [{"kind": "consultation", "description": "Consultation", "quantity": 1, "unit_price_minor": 50_000}],
        "total_minor": 50_000, "status": "issued"})),
    )?;
    writes.insert(
        "payments",
        fields(
            json!({"receipt_number": format!("RCP{}9{n:03}", today.format("%Y%m%d")),
        "invoice_id": bill, "patient_id": Uuid::now_v7(), "amount_minor": 50_000, "mode": "cash",
        "paid_at": chrono::Utc::now().to_rfc3339()}),
        ),
    )?;
    writes.commit()?;
    Ok(())
}

fn timed<T>(samples: &mut Vec<Duration>, work: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let started = Instant::now();
    let out = work()?;
    samples.push(started.elapsed());
    Ok(out)
}

pub fn run(appointments: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let tenant = TenantId::new();
    let mut store = super::pc_child::open_store(dir.path(), tenant, true)?;
    store.set_actor(UserId::from_uuid(Uuid::now_v7()));
    let today = Local::now().date_naive();
    let started = Instant::now();
    store.defer_indexes()?;
    let rows = load(&mut store, appointments, today)?;
    store.restore_indexes()?;
    eprintln!(
        "reports-bench: {rows} rows loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let query = ReportQuery {
        from: (today - Days::new(364)).to_string(),
        to: today.to_string(),
        period: Period::Month,
    };
    let (from, to) = query.validate().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let report = |store: &Store| -> anyhow::Result<Report> {
        let figures = store.range_figures(from, to)?;
        let report = client::app::reports::summarise(figures, &query, from, to);
        let visits: u32 = report.visits.iter().map(|v| v.booked + v.walk_ins).sum();
        anyhow::ensure!(
            visits as usize * 10 >= appointments * 9 && report.revenue.len() >= 12,
            "the report missed visits: {visits} of {appointments}, {} months",
            report.revenue.len()
        );
        Ok(report)
    };
    // Cold: no day kept, as after a first sync; every day worked out.
    let mut cold = Vec::new();
    for _ in 0..COLD_ROUNDS {
        store.forget_report_days()?;
        timed(&mut cold, || report(&store))?;
    }
    // The day goes on between two looks at the page: a payment today (so
    // today is worked out again), then the year's report.
    let mut warm = Vec::new();
    for n in 0..ROUNDS {
        take_payment(&mut store, today, n)?;
        let shown = timed(&mut warm, || report(&store))?;
        anyhow::ensure!(shown.received_minor > 0, "no money in the report");
    }
    let conn = client::store::cipher::open(
        &Store::path_for(dir.path(), tenant),
        &super::pc_child::bench_key(),
    )?;
    let mut scans = Vec::new();
    for _ in 0..ROUNDS {
        let read = timed(&mut scans, || one_pass(&conn, &query.from, &query.to))?;
        anyhow::ensure!(read as usize >= appointments, "the pass read {read}");
    }
    let report_p50 = percentile(&mut warm.clone(), 50.0);
    let scan_p50 = percentile(&mut scans, 50.0);
    println!(
        "reports-bench: appointments={appointments} rows={rows} report_p50_ms={report_p50:.1} report_p95_ms={:.1} \
         cold_ms={:.1} one_pass_ms={scan_p50:.1} ratio={:.2}",
        percentile(&mut warm, 95.0),
        percentile(&mut cold, 50.0),
        report_p50 / scan_p50,
    );
    Ok(())
}
