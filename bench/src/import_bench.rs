//! `bench import --rows N`: a clinic's patient list from a CSV into an
//! encrypted PC store, as the import screen does it (read the file, check
//! every row against the clinic's patients, insert the accepted rows with
//! their outbox entries in one transaction). The baseline is the raw
//! limit on the same PC: the same rows inserted with no file and no
//! checks. Prints one summary line.

use std::time::Instant;

use client::app::import::{check_rows, sheet};
use contract::screens::import::guess_mapping;
use domain::date::DateStyle;
use domain::ids::{TenantId, UserId};

use crate::pc_child::open_store;

fn csv(rows: usize) -> String {
    let mut out = String::from("Name,Mobile,DOB,Gender,Allergies\n");
    for i in 0..rows {
        // One family of three per number, so the family rules do work.
        let (family, member) = (i / 3, i % 3);
        out.push_str(&format!(
            "Patient{i} Family{family},+91 98{family:08},{:02}/{:02}/19{:02},{},{}\n",
            1 + member * 9,
            1 + i % 12,
            40 + i % 50,
            ["F", "M", "O"][member],
            if i % 7 == 0 { "Penicillin" } else { "" }
        ));
    }
    out
}

pub fn run(rows: usize) -> anyhow::Result<()> {
    let file = csv(rows);
    let today = chrono::Local::now().date_naive();

    let dir = tempfile::tempdir()?;
    let tenant = TenantId::new();
    let mut store = open_store(dir.path(), tenant, true)?;
    store.set_actor(UserId::new());
    let started = Instant::now();
    let sheet = sheet::read("patients.csv", file.as_bytes())?;
    let read_s = started.elapsed().as_secs_f64();
    let mapping = guess_mapping(&sheet.headers, DateStyle::DayMonthYear);
    let existing = store.patient_identities()?;
    let checked = check_rows(&sheet.rows, &mapping, &existing, today, None);
    let check_s = started.elapsed().as_secs_f64() - read_s;
    anyhow::ensure!(
        checked.accepted.len() == rows,
        "rows refused: {:?}",
        checked.report.rejected.first()
    );
    let fields: Vec<_> = checked.accepted.iter().map(|a| a.fields.clone()).collect();
    let mut writes = store.writes()?;
    for row in checked.accepted {
        writes.insert("patients", row.fields)?;
    }
    writes.commit()?;
    let import_s = started.elapsed().as_secs_f64();

    let raw_dir = tempfile::tempdir()?;
    let mut raw = open_store(raw_dir.path(), tenant, true)?;
    raw.set_actor(UserId::new());
    let started = Instant::now();
    let mut writes = raw.writes()?;
    for row in fields {
        writes.insert("patients", row)?;
    }
    writes.commit()?;
    let raw_s = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "bench": "import", "rows": rows, "import_s": import_s, "read_s": read_s, "check_s": check_s,
            "raw_insert_s": raw_s, "import_to_raw_ratio": import_s / raw_s,
            "goal": "10,000 rows in under 5 s"
        })
    );
    Ok(())
}
