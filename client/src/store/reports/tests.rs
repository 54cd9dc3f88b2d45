use chrono::{Days, Local, NaiveDate, TimeZone, Utc};
use domain::ids::{TenantId, UserId};
use domain::sync::SnapshotRow;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::days::missing_runs;
use super::*;

fn fields(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// Noon of `day` on this PC, as the UTC stamp a payment carries.
fn noon(day: NaiveDate) -> String {
    let local = Local
        .from_local_datetime(&day.and_hms_opt(12, 0, 0).expect("noon"))
        .single()
        .expect("one noon");
    local.with_timezone(&Utc).to_rfc3339()
}

/// A bill's one line: the consultation, ₹650.
fn consultation() -> Value {
    json!([{"kind": "consultation", "description": "Consultation", "quantity": 1, "unit_price_minor": 65_000}])
}

struct Clinic {
    store: Store,
    doctors: [Uuid; 2],
    patient: Uuid,
    days: [NaiveDate; 2],
    _dir: tempfile::TempDir,
}

/// A clinic with two doctors, one patient and nothing else yet.
fn clinic() -> Clinic {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open_plain(dir.path(), TenantId::from_uuid(Uuid::now_v7())).expect("store");
    store.set_actor(UserId::from_uuid(Uuid::now_v7()));
    let mut rows = Vec::new();
    let mut doctors = [Uuid::nil(); 2];
    for (n, doctor) in doctors.iter_mut().enumerate() {
        let user = Uuid::now_v7();
        *doctor = Uuid::now_v7();
        for (table, row) in [
            (
                "users",
                json!({"id": user, "email": format!("dr{n}@example.org"), "full_name": format!("Dr {n}"), "role": "doctor"}),
            ),
            ("doctors", json!({"id": *doctor, "user_id": user})),
        ] {
            rows.push(SnapshotRow {
                table: table.into(),
                global: false,
                row: fields(row),
            });
        }
    }
    store.apply_snapshot_rows(&rows).expect("doctors");
    let patient = store
        .insert(
            "patients",
            fields(
                json!({"first_name": "Asha", "last_name": "Rao", "mobile_number": "+919845012345",
                          "date_of_birth": "1990-01-01", "gender": "female", "allergies": []}),
            ),
        )
        .expect("patient");
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).expect("day");
    Clinic {
        store,
        doctors,
        patient,
        days: [first, first + Days::new(1)],
        _dir: dir,
    }
}

impl Clinic {
    fn figures(&self) -> RangeFigures {
        self.store
            .range_figures(self.days[0], self.days[1])
            .expect("figures")
    }

    /// The kept figures after a write: what the records say, and not what
    /// they said before it.
    fn after_write(&self, before: &RangeFigures) -> RangeFigures {
        let kept = self.figures();
        self.store.forget_report_days().expect("forget");
        assert_eq!(kept, self.figures(), "kept days disagree with the records");
        assert_ne!(&kept, before, "the write changed nothing the report shows");
        kept
    }

    fn insert(&mut self, table: &str, row: Value) -> Uuid {
        self.store.insert(table, fields(row)).expect("insert")
    }

    fn update(&mut self, table: &str, id: Uuid, row: Value) {
        self.store.update(table, id, fields(row)).expect("update");
    }
}

#[test]
fn kept_days_follow_every_write_to_the_records_they_sum() {
    let mut c = clinic();
    let [d1, d2] = c.days.map(|d| d.to_string());
    let (patient, doctor) = (c.patient, c.doctors[0]);
    let visit = c.insert(
        "appointments",
        json!({"appointment_number": "APT202611020001", "patient_id": patient, "doctor_id": doctor,
               "office_id": "main", "appointment_date": d1, "appointment_time": "10:00:00",
               "appointment_type": "consultation", "reason": "Fever", "status": "completed"}),
    );
    let mut seen = c.figures();
    assert_eq!(seen.visits.len(), 1);
    assert_eq!(seen.new_patients, 1);

    // A visit before the range makes her a returning patient; cancelling
    // it makes her new again.
    let before = (c.days[0] - Days::new(30)).to_string();
    let earlier = c.insert(
        "appointments",
        json!({"appointment_number": "APT202610030001", "patient_id": patient, "doctor_id": doctor,
               "office_id": "main", "appointment_date": before, "appointment_time": "10:00:00",
               "appointment_type": "consultation", "reason": "Cough", "status": "completed"}),
    );
    seen = c.after_write(&seen);
    assert_eq!((seen.new_patients, seen.returning_patients), (0, 1));
    c.update("appointments", earlier, json!({"status": "cancelled"}));
    seen = c.after_write(&seen);
    assert_eq!((seen.new_patients, seen.returning_patients), (1, 0));
    c.update("appointments", visit, json!({"status": "no_show"}));
    seen = c.after_write(&seen);
    c.update(
        "appointments",
        visit,
        json!({"appointment_date": d2, "status": "completed"}),
    );
    seen = c.after_write(&seen);

    let rx = c.insert(
        "prescriptions",
        json!({"prescription_number": "RX202611020001", "patient_id": patient, "doctor_id": doctor,
               "office_id": "main", "visit_date": d1, "diagnosis": "Viral fever", "status": "active",
               "valid_until": "2026-12-02"}),
    );
    seen = c.after_write(&seen);
    let item = c.insert(
        "prescription_items",
        json!({"prescription_id": rx, "medicine_name": "Paracetamol 500 mg", "dosage": "1",
               "frequency": "1-0-1", "duration": "3 days", "quantity": 6, "sort_order": 0}),
    );
    seen = c.after_write(&seen);
    c.update("prescription_items", item, json!({"medicine_name": "Dolo 650"}));
    seen = c.after_write(&seen);
    // Out of the range altogether.
    let later = (c.days[1] + Days::new(1)).to_string();
    c.update("prescriptions", rx, json!({"visit_date": later}));
    seen = c.after_write(&seen);

    let bill = c.insert(
        "invoices",
        json!({"invoice_number": "INV202611020001", "patient_id": patient, "doctor_id": doctor,
               "issued_on": d1, "currency": "INR", "lines": consultation(), "total_minor": 65_000, "status": "issued"}),
    );
    seen = c.after_write(&seen);
    let paid = c.insert(
        "payments",
        json!({"receipt_number": "RCP202611020001", "invoice_id": bill, "patient_id": patient,
               "amount_minor": 65_000, "mode": "upi", "paid_at": noon(c.days[0])}),
    );
    seen = c.after_write(&seen);
    // The bill's doctor is whom its money counts for, on the payment's day.
    c.update("invoices", bill, json!({"doctor_id": c.doctors[1]}));
    seen = c.after_write(&seen);
    c.update("payments", paid, json!({"paid_at": noon(c.days[1])}));
    seen = c.after_write(&seen);
    c.update("invoices", bill, json!({"status": "void"}));
    seen = c.after_write(&seen);
    c.store.delete("payments", paid).expect("tombstone");
    seen = c.after_write(&seen);

    // A change pulled from another PC writes the same tables.
    let pulled = SnapshotRow {
        table: "appointments".into(),
        global: false,
        row: fields(
            json!({"id": visit, "appointment_number": "APT202611020001", "patient_id": patient,
                           "doctor_id": c.doctors[1], "office_id": "main", "appointment_date": d2,
                           "appointment_time": "10:00:00", "appointment_type": "walk_in",
                           "reason": "Fever", "status": "completed"}),
        ),
    };
    c.store.apply_snapshot_rows(&[pulled]).expect("pulled");
    c.after_write(&seen);
}

#[test]
fn kept_days_worked_out_in_another_time_zone_are_worked_out_again() {
    let mut c = clinic();
    let day = c.days[0];
    let bill = c.insert(
        "invoices",
        json!({"invoice_number": "INV202611020001", "patient_id": c.patient, "doctor_id": c.doctors[0],
               "issued_on": day.to_string(), "currency": "INR", "lines": consultation(), "total_minor": 65_000,
               "status": "issued"}),
    );
    c.insert(
        "payments",
        json!({"receipt_number": "RCP202611020001", "invoice_id": bill, "patient_id": c.patient,
               "amount_minor": 65_000, "mode": "cash", "paid_at": noon(day)}),
    );
    let right = c.figures();
    assert_eq!(right.takings.iter().map(|t| t.amount_minor).sum::<i64>(), 65_000);
    // As if kept while the PC kept another zone's days.
    c.store
        .conn()
        .execute("UPDATE report_day_takings SET amount_minor = 1", [])
        .expect("tamper");
    c.store.set_state(KEPT_OFFSET, "+14:00").expect("offset");
    assert_eq!(c.figures(), right);
}

#[test]
fn missing_days_are_worked_out_in_runs() {
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("day");
    let kept = ["2026-11-03", "2026-11-04", "2026-11-07"]
        .map(String::from)
        .into_iter()
        .collect();
    assert_eq!(
        missing_runs(day(1), day(8), &kept),
        vec![(day(1), day(2)), (day(5), day(6)), (day(8), day(8))]
    );
    assert!(missing_runs(day(3), day(4), &kept).is_empty());
}
