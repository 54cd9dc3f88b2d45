//! A demo clinic for a first look at the product: three doctors with
//! offices and weekly hours, 200 patients in families, today's
//! appointments, prescriptions and short keys. Everything goes through the
//! public API and sync, as a clinic's own PCs would write it.

mod api;
mod people;

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use api::{Api, DemoPc};

/// The password of every demo account.
pub const PASSWORD: &str = "Sunrise-Demo-2026";

/// What was created: the code to sign in with and who can sign in.
#[derive(Debug)]
pub struct Demo {
    pub clinic_code: String,
    pub sign_ins: Vec<(String, String)>,
    pub patients: usize,
    pub appointments: usize,
    pub prescriptions: usize,
}

impl Demo {
    /// Shell variables `scripts/run.sh` reads.
    pub fn env_file(&self) -> String {
        format!("CLINIC_CODE={}\n", self.clinic_code)
    }

    pub fn summary(&self) -> String {
        let mut out = format!(
            "Demo clinic ready: code {} ({} patients, {} appointments today, {} prescriptions).\nSign in with password {PASSWORD} as:\n",
            self.clinic_code, self.patients, self.appointments, self.prescriptions
        );
        for (role, email) in &self.sign_ins {
            out.push_str(&format!("  {email:<32} {role}\n"));
        }
        out
    }
}

/// A doctor of the demo: the account and its profile.
struct Doctor {
    id: Uuid,
    name: &'static str,
}

fn hours(days: &[&str], slots: &[(&str, &str)]) -> Value {
    let slots: Vec<Value> = slots.iter().map(|(s, e)| json!({"start": s, "end": e})).collect();
    Value::Object(days.iter().map(|d| ((*d).to_owned(), json!(slots))).collect())
}

fn office() -> Value {
    json!([{"id": "main", "name": "Sunrise Family Clinic", "address": "12 MG Road, Bengaluru", "is_primary": true}])
}

pub async fn run(server: &str) -> anyhow::Result<Demo> {
    let api = Api::new(server);
    let device = Uuid::now_v7();
    let owner_email = "asha.rao@sunrise.example";
    let registered = api
        .post(
            "/clinics",
            &json!({"clinic_name": "Sunrise Family Clinic", "owner_name": "Dr Asha Rao", "email": owner_email,
                    "password": PASSWORD, "owner_is_doctor": true, "licence_number": "KA-10001",
                    "specialization": "General Practice", "device_id": device}),
            None,
        )
        .await
        .context("registering the demo clinic")?;
    let code = registered["tenant"]["code"]
        .as_str()
        .context("clinic code")?
        .to_owned();
    let token = registered["access_token"].as_str().context("token")?.to_owned();
    let owner = Doctor {
        id: Uuid::parse_str(registered["user"]["doctor_id"].as_str().context("doctor")?)?,
        name: "Dr Asha Rao",
    };
    let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    api.patch(
        &format!("/doctors/{}", owner.id),
        &json!({"offices": office(), "consultation_minutes": 15,
                "availability": hours(&weekdays, &[("09:00:00", "13:00:00"), ("16:00:00", "19:00:00")])}),
        &token,
    )
    .await?;
    let mut sign_ins = vec![("admin and doctor".to_owned(), owner_email.to_owned())];
    let mut doctors = vec![owner];
    for (name, email, licence, speciality, slots) in [
        (
            "Dr Vikram Iyer",
            "vikram.iyer@sunrise.example",
            "KA-10002",
            "Endodontics",
            [("10:00:00", "14:00:00")],
        ),
        (
            "Dr Meera Shah",
            "meera.shah@sunrise.example",
            "KA-10003",
            "Pediatrics",
            [("15:00:00", "19:00:00")],
        ),
    ] {
        let added = api
            .post(
                "/doctors",
                &json!({"full_name": name, "email": email, "licence_number": licence, "specialization": speciality,
                        "consultation_minutes": 20, "offices": office(), "availability": hours(&weekdays, &slots)}),
                Some(&token),
            )
            .await?;
        choose_password(
            &api,
            &code,
            email,
            added["temporary_password"].as_str().context("password")?,
        )
        .await?;
        doctors.push(Doctor {
            id: Uuid::parse_str(added["doctor"]["id"].as_str().context("doctor")?)?,
            name,
        });
        sign_ins.push(("doctor".to_owned(), email.to_owned()));
    }
    let mut pc = DemoPc::new(device, token);
    let today = chrono::Local::now().date_naive();
    let patients = people::families(&mut pc, today);
    pc.push(&api).await?;
    let seen = book_today(&mut pc, &doctors, &patients, today);
    let prescriptions = prescribe(&mut pc, &doctors[0], &seen, today);
    add_short_keys(&mut pc);
    pc.push(&api).await?;
    Ok(Demo {
        clinic_code: code,
        sign_ins,
        patients: patients.len(),
        appointments: seen.len(),
        prescriptions,
    })
}

/// A new doctor signs in once with the temporary password and chooses the demo one.
async fn choose_password(api: &Api, code: &str, email: &str, temporary: &str) -> anyhow::Result<()> {
    let login = api
        .post(
            "/auth/login",
            &json!({"clinic_code": code, "email": email, "password": temporary, "device_id": Uuid::now_v7()}),
            None,
        )
        .await?;
    let token = login["access_token"].as_str().context("token")?;
    api.post(
        "/auth/password",
        &json!({"current_password": temporary, "new_password": PASSWORD}),
        Some(token),
    )
    .await?;
    Ok(())
}

/// Today's list for every doctor: the morning's visits done, one under
/// way, the rest booked. Returns (patient, doctor index) of each booking.
fn book_today(
    pc: &mut DemoPc,
    doctors: &[Doctor],
    patients: &[Uuid],
    today: NaiveDate,
) -> Vec<(Uuid, usize)> {
    let mut booked = Vec::new();
    let date = today.format("%Y-%m-%d").to_string();
    let stamp = today.format("%Y%m%d").to_string();
    let starts = [(9, 0), (10, 30), (11, 0), (16, 0), (16, 30), (17, 0)];
    for (d, doctor) in doctors.iter().enumerate() {
        for (n, (hour, minute)) in starts.iter().enumerate() {
            let patient = patients[(d * 17 + n * 5) % patients.len()];
            let status = match n {
                0 | 1 => "completed",
                2 => "in_progress",
                3 => "confirmed",
                _ => "scheduled",
            };
            let number = format!("APT{stamp}0{:03}", booked.len() + 1);
            pc.insert(
                "appointments",
                json!({"appointment_number": number, "patient_id": patient, "doctor_id": doctor.id,
                       "office_id": "main", "appointment_date": date, "appointment_time": format!("{hour:02}:{minute:02}:00"),
                       "duration_minutes": 20, "reason": format!("Consultation with {}", doctor.name), "status": status}),
            );
            booked.push((patient, d));
        }
    }
    booked
}

/// The owner's prescriptions for the patients she saw; returns how many.
fn prescribe(pc: &mut DemoPc, owner: &Doctor, seen: &[(Uuid, usize)], today: NaiveDate) -> usize {
    const FEVER: [(&str, &str, &str, &str, &str); 2] = [
        (
            "3f124b31-334f-537b-9507-6e1762cf05f3",
            "Paracetamol 650",
            "1 tablet",
            "1-0-1",
            "3 days",
        ),
        (
            "445eb766-e005-5fa4-a755-f0d568bd381c",
            "Amoxicillin 500",
            "1 capsule",
            "1-1-1",
            "5 days",
        ),
    ];
    let stamp = today.format("%Y%m%d").to_string();
    let valid_until = (today + Duration::days(30)).format("%Y-%m-%d").to_string();
    let mut count = 0;
    for (n, (patient, _)) in seen.iter().filter(|(_, d)| *d == 0).take(3).enumerate() {
        let rx = pc.insert(
            "prescriptions",
            json!({"prescription_number": format!("RX{stamp}0{:03}", n + 1), "patient_id": patient,
                   "doctor_id": owner.id, "visit_date": today.format("%Y-%m-%d").to_string(),
                   "chief_complaint": "Fever and sore throat for two days", "diagnosis": "Acute pharyngitis",
                   "valid_until": valid_until, "status": if n == 0 { "draft" } else { "active" }}),
        );
        for (i, (medicine, name, dosage, frequency, duration)) in FEVER.iter().enumerate() {
            pc.insert(
                "prescription_items",
                json!({"prescription_id": rx, "medicine_id": medicine, "medicine_name": name, "dosage": dosage,
                       "frequency": frequency, "duration": duration, "quantity": 10, "sort_order": i}),
            );
        }
        count += 1;
    }
    // A few past visits, so charts have history.
    for n in 0..9 {
        let day = today - Duration::days(7 * (n + 1));
        let patient = seen[(n as usize * 3) % seen.len()].0;
        let rx = pc.insert(
            "prescriptions",
            json!({"prescription_number": format!("RX{}0{:03}", day.format("%Y%m%d"), 900 + n), "patient_id": patient,
                   "doctor_id": owner.id, "visit_date": day.format("%Y-%m-%d").to_string(),
                   "diagnosis": if day.month().is_multiple_of(2) { "Viral fever" } else { "Seasonal allergy" },
                   "valid_until": (day + Duration::days(30)).format("%Y-%m-%d").to_string(), "status": "active"}),
        );
        let (medicine, name, dosage, frequency, duration) = FEVER[0];
        pc.insert(
            "prescription_items",
            json!({"prescription_id": rx, "medicine_id": medicine, "medicine_name": name, "dosage": dosage,
                   "frequency": frequency, "duration": duration, "quantity": 6}),
        );
        count += 1;
    }
    count
}

/// Two clinic-wide short keys, `/FEVER` and `/THROAT` (the dental keys,
/// such as `/PAIN`, come with the endodontist).
fn add_short_keys(pc: &mut DemoPc) {
    for (code, name, medicine, dosage, frequency, duration) in [
        (
            "FEVER",
            "Fever",
            "3f124b31-334f-537b-9507-6e1762cf05f3",
            "1 tablet",
            "1-0-1",
            "3 days",
        ),
        (
            "THROAT",
            "Sore throat",
            "445eb766-e005-5fa4-a755-f0d568bd381c",
            "1 capsule",
            "1-1-1",
            "5 days",
        ),
    ] {
        let key = pc.insert("short_keys", json!({"code": code, "name": name}));
        pc.insert(
            "short_key_medicines",
            json!({"short_key_id": key, "medicine_id": medicine, "default_dosage": dosage,
                   "default_frequency": frequency, "default_duration": duration}),
        );
    }
}
