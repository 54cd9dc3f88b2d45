//! `bench pc`: the PC's own work on a large clinic, on an encrypted store
//! loaded the way a first sync loads it. Patient search over `--patients`
//! patients (the searches a receptionist types, p50/p95 of each search),
//! opening the chart of a patient with 200 prescriptions (the reads the
//! chart command makes), and saving a 5-item prescription (one local
//! transaction, as the editor saves).

use std::time::Instant;

use client::Store;
use domain::ids::{TenantId, UserId};
use domain::sync::SnapshotRow;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::load::percentile;

const FIRST: [&str; 16] = [
    "Meera", "Ravi", "Priya", "Arjun", "Kavya", "Suresh", "Anita", "Vikram", "Lakshmi", "Rahul", "Deepa",
    "Kiran", "Sunita", "Manoj", "Asha", "Kumar",
];
const LAST: [&str; 12] = [
    "Rao", "Sharma", "Iyer", "Nair", "Reddy", "Shetty", "Patel", "Gupta", "Menon", "Das", "Pillai", "Joshi",
];
/// What a receptionist types: names, parts of names, numbers.
const QUERIES: [&str; 10] = [
    "Meera",
    "Rao",
    "98450",
    "Sha",
    "ku",
    "Priya Nair",
    "+91 98450 1",
    "Iyer",
    "an",
    "Kum",
];
const CHART_PRESCRIPTIONS: usize = 200;

fn row(table: &str, fields: Value) -> SnapshotRow {
    let row: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
    SnapshotRow {
        table: table.to_owned(),
        global: false,
        row,
    }
}

/// The clinic as a first sync would write it: `patients` patients, and
/// Meera Rao (the chart) with her prescriptions of 3 items each.
fn load(store: &mut Store, patients: usize, user: Uuid, doctor: Uuid) -> anyhow::Result<Uuid> {
    let mut rows = vec![
        row(
            "users",
            json!({"id": user, "email": "dr@pc.bench", "full_name": "Dr Bench", "role": "admin"}),
        ),
        row(
            "doctors",
            json!({"id": doctor, "user_id": user, "specialization": "General",
                              "offices": [{"id": "main", "name": "Main", "is_primary": true}]}),
        ),
    ];
    for i in 0..patients {
        rows.push(row(
            "patients",
            json!({
                "id": Uuid::now_v7(), "first_name": FIRST[i % FIRST.len()],
                "last_name": format!("{} {}", LAST[(i / FIRST.len()) % LAST.len()], i / 200),
                "mobile_number": format!("+9198450{:05}", i), "date_of_birth": "1985-06-15",
                "gender": if i % 2 == 0 { "female" } else { "male" }, "allergies": [],
            }),
        ));
        if rows.len() >= 5_000 {
            store.apply_snapshot_rows(&rows)?;
            rows.clear();
        }
    }
    let meera = Uuid::now_v7();
    rows.push(row(
        "patients",
        json!({"id": meera, "first_name": "Meera", "last_name": "Rao",
        "mobile_number": "+919999900001", "date_of_birth": "1990-04-01", "gender": "female",
        "allergies": ["Penicillin"]}),
    ));
    for n in 0..CHART_PRESCRIPTIONS {
        let rx = Uuid::now_v7();
        rows.push(row(
            "prescriptions",
            json!({"id": rx, "prescription_number": format!("RX2026010{n:05}"),
            "patient_id": meera, "doctor_id": doctor, "office_id": "main", "visit_date": "2026-01-05",
            "diagnosis": "Upper respiratory infection", "status": "active", "valid_until": "2026-02-04"}),
        ));
        for i in 0..3 {
            rows.push(row(
                "prescription_items",
                json!({"id": Uuid::now_v7(), "prescription_id": rx,
                "medicine_name": format!("Medicine {i}"), "dosage": "1 tablet", "frequency": "1-0-1",
                "duration": "5 days", "quantity": 10, "sort_order": i}),
            ));
        }
    }
    store.apply_snapshot_rows(&rows)?;
    Ok(meera)
}

/// The search as it was before the trigram index (`LIKE '%q%'` on names
/// and number, 200 rows), on the same file: the baseline of this run.
fn like_search(conn: &rusqlite::Connection, query: &str) -> anyhow::Result<usize> {
    let q = query.trim();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let pattern = format!("%{}%", q.replace(['%', '_'], ""));
    let phone = if digits.is_empty() {
        "\u{0}".to_owned()
    } else {
        format!("%{digits}%")
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, first_name, last_name, mobile_number FROM patients WHERE deleted_at IS NULL AND (?1 = '' \
           OR first_name LIKE ?2 OR last_name LIKE ?2 OR (first_name || ' ' || coalesce(last_name, '')) LIKE ?2 \
           OR mobile_number LIKE ?3) \
         ORDER BY first_name COLLATE NOCASE, last_name COLLATE NOCASE LIMIT 200",
    )?;
    let rows = stmt.query_map(rusqlite::params![q, pattern, phone], |r| r.get::<_, String>(0))?;
    Ok(rows.count())
}

/// The reads `patient_chart` makes.
fn open_chart(store: &Store, id: &str) -> anyhow::Result<usize> {
    let patient = store.patient(id)?.ok_or_else(|| anyhow::anyhow!("no chart"))?;
    let family = store.family(&patient.mobile_number)?;
    let appointments = store.patient_appointments(id)?;
    let prescriptions = store.patient_prescriptions(id)?;
    let history = store.patient_referral_history(id)?;
    Ok(family.len() + appointments.len() + prescriptions.len() + history.len())
}

/// A draft of 5 items, written as the editor writes it.
fn save_prescription(store: &mut Store, patient: Uuid, doctor: Uuid, n: usize) -> anyhow::Result<()> {
    let mut writes = store.writes()?;
    let fields = |v: Value| v.as_object().cloned().unwrap_or_default();
    let rx = writes.insert(
        "prescriptions",
        fields(json!({"prescription_number": format!("RX2026120{n:05}"),
        "patient_id": patient, "doctor_id": doctor, "office_id": "main", "visit_date": "2026-12-02",
        "diagnosis": "Acute pharyngitis", "status": "draft", "valid_until": "2027-01-01"})),
    )?;
    for i in 0..5 {
        writes.insert(
            "prescription_items",
            fields(json!({"prescription_id": rx,
            "medicine_name": format!("Medicine {i}"), "dosage": "1 tablet", "frequency": "1-0-1",
            "duration": "5 days", "quantity": 10, "sort_order": i})),
        )?;
    }
    writes.commit()?;
    Ok(())
}

pub fn run(patients: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let tenant = TenantId::new();
    let mut store = super::pc_child::open_store(dir.path(), tenant, true)?;
    let (user, doctor) = (Uuid::now_v7(), Uuid::now_v7());
    store.set_actor(UserId::from_uuid(user));
    let started = Instant::now();
    let meera = load(&mut store, patients, user, doctor)?;
    let load_s = started.elapsed().as_secs_f64();

    let mut searches = Vec::new();
    for round in 0..50 {
        for q in QUERIES {
            let started = Instant::now();
            let found = store.search_patients(q, 8)?;
            searches.push(started.elapsed());
            anyhow::ensure!(round > 0 || !found.is_empty() || q == "ku", "{q} found nobody");
        }
    }
    let baseline = {
        let conn = client::store::cipher::open(
            &Store::path_for(dir.path(), tenant),
            &super::pc_child::bench_key(),
        )?;
        conn.execute_batch("PRAGMA cache_size = -65536;")?;
        let mut samples = Vec::new();
        for _ in 0..5 {
            for q in QUERIES {
                let started = Instant::now();
                like_search(&conn, q)?;
                samples.push(started.elapsed());
            }
        }
        samples
    };
    let mut charts = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let shown = open_chart(&store, &meera.to_string())?;
        charts.push(started.elapsed());
        anyhow::ensure!(shown >= CHART_PRESCRIPTIONS, "the chart shows {shown} rows");
    }
    let mut saves = Vec::new();
    for n in 0..50 {
        let started = Instant::now();
        save_prescription(&mut store, meera, doctor, n)?;
        saves.push(started.elapsed());
    }
    eprintln!("pc-bench: {patients} patients loaded in {load_s:.1} s");
    println!(
        "pc-bench: patients={patients} search_p50_ms={:.2} search_p95_ms={:.2} chart_ms={:.2} save_rx_ms={:.2} \
         like_search_p95_ms={:.2}",
        percentile(&mut searches.clone(), 50.0),
        percentile(&mut searches, 95.0),
        percentile(&mut charts, 50.0),
        percentile(&mut saves, 50.0),
        percentile(&mut baseline.clone(), 95.0),
    );
    Ok(())
}
