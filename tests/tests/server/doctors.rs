//! Adding doctors: the temporary password, the e-mail, plan limits, roles;
//! offices kept while they have appointments to come.

use clinic_tests::TestApp;
use domain::sync::OpKind;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn admin_adds_a_doctor_and_the_credentials_arrive_by_mail() {
    let app = TestApp::spawn().await;
    // A non-Latin name makes the mailer choose a non-7bit transfer encoding.
    let clinic = app.register_clinic("स्माइल Dental").await;
    let added = app.add_doctor(&clinic, "Vikram.Iyer@Example.org", "ka/778").await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    let temp = added.body["temporary_password"]
        .as_str()
        .expect("temporary password");
    assert!(temp.len() >= 12, "temporary passwords are at least 12 characters");
    assert_eq!(added.body["email_sent"], true);
    let doctor = &added.body["doctor"];
    assert_eq!(
        doctor["licence_number"], "KA/778",
        "licence numbers are stored upper-case"
    );
    assert_eq!(doctor["email"], "vikram.iyer@example.org");
    assert_eq!(doctor["offices"][0]["id"], "main");

    let mail = app
        .smtp
        .wait_for("vikram.iyer@example.org")
        .await
        .expect("a mail reached the SMTP listener");
    let text = mail.text();
    assert!(
        text.contains(temp),
        "the mail carries the temporary password: {text}"
    );
    assert!(
        text.contains(&clinic.code),
        "the mail carries the clinic code: {text}"
    );

    let listed = app.get("/doctors", Some(&clinic.access_token)).await;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    let id = doctor["id"].as_str().expect("id");
    let one = app
        .get(&format!("/doctors/{id}"), Some(&clinic.access_token))
        .await;
    assert_eq!(one.body["full_name"], "Dr Vikram Iyer");
}

#[tokio::test]
async fn the_sixth_doctor_on_a_trial_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Busy Clinic").await;
    for n in 1..=5 {
        let r = app
            .add_doctor(&clinic, &format!("doc{n}@example.org"), &format!("LIC-{n}"))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "doctor {n}: {:?}", r.body);
    }
    let users_before = app.owner_count("SELECT count(*) FROM users").await;
    let sixth = app.add_doctor(&clinic, "doc6@example.org", "LIC-6").await;
    assert_eq!(
        (sixth.status, sixth.code()),
        (StatusCode::FORBIDDEN, "plan_limit_reached")
    );
    assert!(
        sixth.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("upgrade"))
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM users").await, users_before);
    assert_eq!(app.owner_count("SELECT count(*) FROM doctors").await, 5);
    assert!(
        app.smtp
            .mails()
            .iter()
            .all(|m| !m.to.iter().any(|t| t.contains("doc6")))
    );
}

#[tokio::test]
async fn only_admins_add_doctors_and_duplicates_are_conflicts() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Roles Clinic").await;
    let added = app.add_doctor(&clinic, "first@example.org", "LIC-1").await;
    let temp = added.body["temporary_password"]
        .as_str()
        .expect("temp")
        .to_owned();
    let login = app
        .login(&clinic.code, "first@example.org", &temp, Uuid::now_v7())
        .await;
    let token = login.body["access_token"].as_str().expect("token").to_owned();
    let changed = app
        .post(
            "/auth/password",
            &json!({"current_password": temp, "new_password": "Doctor-Pass-2026"}),
            Some(&token),
        )
        .await;
    let doctor_token = changed.body["access_token"].as_str().expect("token").to_owned();

    let mut as_doctor = clinic.clone();
    as_doctor.access_token = doctor_token.clone();
    let refused = app.add_doctor(&as_doctor, "second@example.org", "LIC-2").await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "forbidden")
    );
    let settings = app
        .patch(
            "/tenant/settings",
            &json!({"currency": "USD"}),
            Some(&doctor_token),
        )
        .await;
    assert_eq!(settings.code(), "forbidden");

    // A doctor may edit their own record, not a colleague's.
    let own_id = added.body["doctor"]["id"].as_str().expect("id");
    let own = app
        .patch(
            &format!("/doctors/{own_id}"),
            &json!({"qualification": "MDS"}),
            Some(&doctor_token),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    assert_eq!(own.body["qualification"], "MDS");

    let same_email = app.add_doctor(&clinic, "first@example.org", "LIC-9").await;
    assert_eq!(
        (same_email.status, same_email.code()),
        (StatusCode::CONFLICT, "conflict")
    );
    let same_licence = app.add_doctor(&clinic, "third@example.org", "lic-1").await;
    assert_eq!(same_licence.code(), "conflict");
    assert_eq!(app.owner_count("SELECT count(*) FROM doctors").await, 1);
}

#[tokio::test]
async fn offices_and_availability_are_validated_and_limited_by_plan() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Office Clinic").await;
    let added = app.add_doctor(&clinic, "doc@example.org", "LIC-1").await;
    let id = added.body["doctor"]["id"].as_str().expect("id").to_owned();
    let path = format!("/doctors/{id}");

    let availability = json!({"monday": [{"start": "09:00:00", "end": "13:00:00"}]});
    let ok = app
        .patch(
            &path,
            &json!({"availability": availability}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    assert_eq!(ok.body["availability"]["monday"][0]["end"], "13:00:00");

    let overlapping = json!({"monday": [{"start": "09:00:00", "end": "13:00:00"}, {"start": "12:00:00", "end": "14:00:00"}]});
    let bad = app
        .patch(
            &path,
            &json!({"availability": overlapping}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(bad.code(), "validation_failed");

    // A trial allows one office: a second one is an upgrade.
    let two =
        json!([{"id": "main", "name": "Main", "is_primary": true}, {"id": "east", "name": "East wing"}]);
    let refused = app
        .patch(&path, &json!({"offices": two}), Some(&clinic.access_token))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::FORBIDDEN, "plan_limit_reached")
    );
    let after = app.get(&path, Some(&clinic.access_token)).await;
    assert_eq!(
        after.body["offices"].as_array().map(Vec::len),
        Some(1),
        "nothing changed"
    );

    let missing = app
        .get(
            &format!("/doctors/{}", Uuid::now_v7()),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

/// An office where the doctor still has appointments to come cannot be
/// removed (they would name an office the doctor no longer works at);
/// renaming it is fine, and once they are cancelled it can go.
#[tokio::test]
async fn an_office_with_upcoming_appointments_is_kept_until_they_are_moved() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Two Offices Dental", true).await;
    app.set_plan(&clinic.code, "basic").await;
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);
    let path = format!("/doctors/{doctor}");
    let main = json!({"id": "main", "name": "Main clinic", "is_primary": true});
    let annex = |name: &str| json!({"id": "annex", "name": name, "is_primary": false});
    let set = |offices: Value| {
        let (app, path, token) = (&app, path.clone(), clinic.access_token.clone());
        async move { app.patch(&path, &json!({"offices": offices}), Some(&token)).await }
    };
    assert_eq!(set(json!([main, annex("Annex")])).await.status, StatusCode::OK);

    let mut pc = clinic_tests::pc::Device::new(clinic.device_id, &clinic.access_token);
    let (patient, visit) = (Uuid::now_v7(), Uuid::now_v7());
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let ops = [
        pc.op(
            "patients",
            patient,
            OpKind::Insert,
            clinic_tests::pc::patient("Kavya", "+919800000081"),
        ),
        pc.op(
            "appointments",
            visit,
            OpKind::Insert,
            json!({"appointment_number": "APT203001010001", "patient_id": patient, "doctor_id": doctor,
                   "office_id": "annex", "appointment_date": tomorrow, "appointment_time": "10:00",
                   "duration_minutes": 30, "appointment_type": "scheduled", "reason": "Check-up"}),
        ),
    ];
    assert_eq!(pc.push(&app, &ops).await.op_results(), ["applied", "applied"]);

    let refused = set(json!([main])).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    let said = refused.body["fields"][0].clone();
    assert_eq!(said["field"], "offices");
    assert!(
        said["message"]
            .as_str()
            .is_some_and(|m| m.contains("Annex still has 1 upcoming")),
        "{said}"
    );
    assert_eq!(
        set(json!([main, annex("Whitefield annex")])).await.status,
        StatusCode::OK,
        "a rename keeps it"
    );

    let cancel = pc.op(
        "appointments",
        visit,
        OpKind::Update,
        json!({"status": "cancelled", "cancellation_reason": "Moving office"}),
    );
    assert_eq!(pc.push(&app, &[cancel]).await.op_results(), ["applied"]);
    let removed = set(json!([main])).await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert_eq!(removed.body["offices"].as_array().map(Vec::len), Some(1));
}

/// Hours name only the doctor's offices (removing an office that still
/// has hours is refused under `availability`), and new days off may not
/// cover appointments already booked; leave kept as it was is not
/// checked again.
#[tokio::test]
async fn hours_name_the_doctors_offices_and_leave_keeps_clear_of_bookings() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Leave Dental", true).await;
    app.set_plan(&clinic.code, "basic").await;
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);
    let path = format!("/doctors/{doctor}");
    let patch = |body: Value| {
        let (app, path, token) = (&app, path.clone(), clinic.access_token.clone());
        async move { app.patch(&path, &body, Some(&token)).await }
    };
    let offices = json!([{"id": "main", "name": "Main", "is_primary": true},
                         {"id": "annex", "name": "Annex", "is_primary": false}]);
    let hours = json!({"monday": [{"start": "09:00:00", "end": "12:00:00"},
                                  {"start": "14:00:00", "end": "18:00:00", "office_id": "annex"}]});
    let saved = patch(json!({"offices": offices, "availability": hours})).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["availability"]["monday"][1]["office_id"], "annex");
    assert_eq!(saved.body["availability"]["monday"][0].get("office_id"), None);

    let field_of = |body: &Value| body["fields"][0]["field"].as_str().map(str::to_owned);
    let elsewhere = json!({"monday": [{"start": "09:00:00", "end": "12:00:00", "office_id": "mars"}]});
    let refused = patch(json!({"availability": elsewhere})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&refused.body).as_deref(), Some("availability"));
    let refused = patch(json!({"offices": [{"id": "main", "name": "Main", "is_primary": true}]})).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the annex still has hours"
    );
    assert_eq!(field_of(&refused.body).as_deref(), Some("availability"));

    let mut pc = clinic_tests::pc::Device::new(clinic.device_id, &clinic.access_token);
    let (patient, visit) = (Uuid::now_v7(), Uuid::now_v7());
    let day = |n: u64| (chrono::Utc::now().date_naive() + chrono::Days::new(n)).to_string();
    let ops = [
        pc.op(
            "patients",
            patient,
            OpKind::Insert,
            clinic_tests::pc::patient("Harsha", "+919800000082"),
        ),
        pc.op(
            "appointments",
            visit,
            OpKind::Insert,
            json!({"appointment_number": "APT203001010002", "patient_id": patient, "doctor_id": doctor,
                   "office_id": "main", "appointment_date": day(3), "appointment_time": "10:00",
                   "duration_minutes": 30, "appointment_type": "scheduled", "reason": "Check-up"}),
        ),
    ];
    assert_eq!(pc.push(&app, &ops).await.op_results(), ["applied", "applied"]);

    let over_booking = json!([{"from": day(2), "to": day(4), "reason": "Conference"}]);
    let refused = patch(json!({"time_off": over_booking})).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(field_of(&refused.body).as_deref(), Some("time_off"));
    assert!(
        refused.body["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("1 appointment") && m.contains("Conference")),
        "{:?}",
        refused.body
    );
    let backwards = patch(json!({"time_off": [{"from": day(9), "to": day(8)}]})).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&backwards.body).as_deref(), Some("time_off"));

    let clear = json!([{"from": day(5), "to": day(6), "reason": "Leave"}]);
    let saved = patch(json!({"time_off": clear})).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["time_off"], clear);
    let stored: Value = sqlx::query_scalar("SELECT time_off FROM doctors WHERE id = $1")
        .bind(doctor)
        .fetch_one(&app.owner_pool)
        .await
        .expect("stored");
    assert_eq!(stored, clear);

    // Booked into known leave (another PC, offline): later changes of the
    // profile still save; only new leave is checked.
    let late = pc.op(
        "appointments",
        Uuid::now_v7(),
        OpKind::Insert,
        json!({"appointment_number": "APT203001010003", "patient_id": patient, "doctor_id": doctor,
               "office_id": "main", "appointment_date": day(5), "appointment_time": "11:00",
               "duration_minutes": 30, "appointment_type": "scheduled", "reason": "Pain"}),
    );
    assert_eq!(pc.push(&app, &[late]).await.op_results(), ["applied"]);
    let fee = patch(json!({"time_off": clear, "consultation_fee_minor": 60_000})).await;
    assert_eq!(fee.status, StatusCode::OK, "{:?}", fee.body);
}

/// A push takes the clinic's log lock, then the rows it changes. An admin's
/// edit must take them in the same order, or the two can deadlock (and
/// PostgreSQL aborts one of them a second later).
#[tokio::test]
async fn an_admins_edit_takes_the_clinics_log_before_any_row_as_a_push_does() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Lock Order Clinic", true).await;
    let doctor = app.doctor(&clinic, "dr.order@example.org", "KA-77777").await;

    // Hold the clinic's log lock, as a push in progress does.
    let push = app.hold_log(clinic.tenant_id).await;
    let (http, base, token) = (app.http.clone(), app.base.clone(), clinic.access_token.clone());
    let path = format!("{base}/api/v1/doctors/{}", doctor.doctor_id());
    let edit = tokio::spawn(async move {
        http.patch(path)
            .bearer_auth(token)
            .json(&json!({"is_active": false}))
            .send()
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!edit.is_finished(), "the edit waits for the log");

    // The rows the push would go on to change are not held by the edit.
    for (table, id) in [("doctors", doctor.doctor_id()), ("users", doctor.user_id)] {
        let mut other = app.owner_pool.begin().await.expect("begin");
        let locked = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT 1 FROM {table} WHERE id = $1 FOR UPDATE NOWAIT"
        )))
        .bind(id)
        .execute(&mut *other)
        .await;
        assert!(locked.is_ok(), "the edit holds its {table} row: {locked:?}");
        other.rollback().await.expect("rollback");
    }
    push.rollback().await.expect("release the log");
    assert_eq!(edit.await.expect("task").expect("reply"), StatusCode::OK);
}
