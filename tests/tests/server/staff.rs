//! Staff of every role: an admin adds nurses, receptionists and admins
//! (doctors keep their professional fields), lists them, changes roles,
//! deactivates and reactivates; the clinic always keeps an active admin.

use std::time::Duration;

use clinic_tests::staff::DOCTOR_PASSWORD;
use clinic_tests::{Clinic, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::sessions::refused_within;

fn person<'a>(list: &'a Value, email: &str) -> &'a Value {
    list.as_array()
        .and_then(|people| people.iter().find(|p| p["email"] == email))
        .unwrap_or_else(|| panic!("{email} is not listed: {list}"))
}

async fn change(app: &TestApp, clinic_token: &str, user: &str, body: Value) -> clinic_tests::Reply {
    app.patch(&format!("/staff/{user}"), &body, Some(clinic_token))
        .await
}

#[tokio::test]
async fn an_admin_adds_a_nurse_who_gets_mail_and_signs_in_as_a_nurse() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Staffed Clinic").await;
    let added = app
        .post(
            "/staff",
            &json!({"role": "nurse", "full_name": "Meera Pillai", "email": "Meera@Example.org"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    assert_eq!(added.body["staff"]["role"], "nurse");
    assert_eq!(added.body["staff"]["must_change_password"], true);
    assert_eq!(added.body["staff"]["doctor_id"], Value::Null);
    assert_eq!(added.body["email_sent"], true);
    let temporary = added.body["temporary_password"].as_str().expect("password");
    let mail = app.smtp.wait_for("meera@example.org").await.expect("mail");
    assert!(mail.text().contains(temporary) && mail.text().contains(&clinic.code));

    let signed_in = app
        .login(&clinic.code, "meera@example.org", temporary, uuid::Uuid::now_v7())
        .await;
    assert_eq!(signed_in.body["user"]["role"], "nurse", "{:?}", signed_in.body);
    assert_eq!(signed_in.body["must_change_password"], true);

    let listed = app.get("/staff", Some(&clinic.access_token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(
        listed.body.as_array().map(Vec::len),
        Some(2),
        "the owner and the nurse"
    );
    assert_eq!(person(&listed.body, "meera@example.org")["is_active"], true);
    assert!(person(&listed.body, "meera@example.org")["last_login_at"].is_string());

    let nurse = app
        .staff_member(&clinic, "receptionist", "desk@example.org")
        .await;
    for reply in [
        app.get("/staff", Some(&nurse.access_token)).await,
        app.post(
            "/staff",
            &json!({"role": "admin", "full_name": "Me Again", "email": "me2@example.org"}),
            Some(&nurse.access_token),
        )
        .await,
    ] {
        assert_eq!((reply.status, reply.code()), (StatusCode::FORBIDDEN, "forbidden"));
    }
}

#[tokio::test]
async fn a_doctor_added_as_staff_needs_a_licence_and_counts_against_the_plan() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Doctor Staff Clinic").await;
    let bare = json!({"role": "doctor", "full_name": "Dr Anil Rao", "email": "anil@example.org"});
    let refused = app.post("/staff", &bare, Some(&clinic.access_token)).await;
    assert_eq!(refused.code(), "validation_failed");
    assert_eq!(refused.body["fields"][0]["field"], "licence_number");
    let nurse_with_profile = json!({"role": "nurse", "full_name": "N", "email": "n@example.org",
        "doctor": {"licence_number": "KA-1", "specialization": "General"}});
    let refused = app
        .post("/staff", &nurse_with_profile, Some(&clinic.access_token))
        .await;
    assert_eq!(refused.body["fields"][0]["field"], "doctor", "{:?}", refused.body);

    let mut doctor = bare.clone();
    doctor["doctor"] = json!({"licence_number": "ka-2020", "specialization": "General medicine",
        "offices": [{"id": "main", "name": "Main clinic", "is_primary": true}]});
    let added = app.post("/staff", &doctor, Some(&clinic.access_token)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{:?}", added.body);
    assert!(added.body["staff"]["doctor_id"].is_string());
    let doctors = app.get("/doctors", Some(&clinic.access_token)).await;
    assert!(
        doctors
            .body
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["licence_number"] == "KA-2020")),
        "{:?}",
        doctors.body
    );
    let taken = app.post("/staff", &doctor, Some(&clinic.access_token)).await;
    assert_eq!(taken.code(), "conflict", "the e-mail is taken");
}

#[tokio::test]
async fn the_last_active_admin_can_neither_step_down_nor_be_deactivated() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("One Admin Clinic").await;
    let owner = clinic.body["user"]["id"].as_str().expect("owner id").to_owned();
    let demote = change(
        &app,
        &clinic.access_token,
        &owner,
        json!({"role": "receptionist"}),
    )
    .await;
    assert_eq!(demote.code(), "validation_failed", "{:?}", demote.body);
    assert!(
        demote.body["fields"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("at least one active admin"))
    );
    let off = change(&app, &clinic.access_token, &owner, json!({"is_active": false})).await;
    assert_eq!(off.body["fields"][0]["field"], "is_active", "{:?}", off.body);

    // With a second admin, the owner may step down; then the second admin
    // is the last one and cannot.
    let second = app.staff_member(&clinic, "admin", "second@example.org").await;
    let stepped = change(&app, &second.access_token, &owner, json!({"role": "nurse"})).await;
    assert_eq!(stepped.status, StatusCode::OK, "{:?}", stepped.body);
    assert_eq!(stepped.body["role"], "nurse");
    let last = change(
        &app,
        &second.access_token,
        &second.user_id.to_string(),
        json!({"role": "receptionist"}),
    )
    .await;
    assert_eq!(last.code(), "validation_failed", "{:?}", last.body);
    let admins = app
        .owner_count("SELECT count(*) FROM users WHERE role = 'admin' AND is_active")
        .await;
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn deactivation_ends_sign_ins_at_once_and_reactivation_lets_them_back() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Turnover Clinic").await;
    let nurse = app.staff_member(&clinic, "nurse", "nurse@example.org").await;
    let user = nurse.user_id.to_string();
    let off = change(&app, &clinic.access_token, &user, json!({"is_active": false})).await;
    assert_eq!(
        (off.status, &off.body["is_active"]),
        (StatusCode::OK, &json!(false))
    );
    refused_within(&app, &nurse.access_token, Duration::from_secs(1)).await;
    let refresh = app
        .post(
            "/auth/refresh",
            &json!({"refresh_token": nurse.refresh_token}),
            None,
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    let sign_in = app
        .login(&clinic.code, &nurse.email, DOCTOR_PASSWORD, nurse.device_id)
        .await;
    assert_eq!(sign_in.code(), "invalid_credentials");
    assert_last_user_change(&app, &clinic, &user, "is_active", json!(false)).await;

    let back = change(&app, &clinic.access_token, &user, json!({"is_active": true})).await;
    assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
    let sign_in = app
        .login(&clinic.code, &nurse.email, DOCTOR_PASSWORD, nurse.device_id)
        .await;
    assert_eq!(sign_in.status, StatusCode::OK, "{:?}", sign_in.body);
}

#[tokio::test]
async fn a_role_change_ends_old_tokens_and_is_refused_where_it_makes_no_sense() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Promotion Clinic").await;
    let nurse = app.staff_member(&clinic, "nurse", "rise@example.org").await;
    let user = nurse.user_id.to_string();
    assert_eq!(
        app.get("/staff", Some(&nurse.access_token)).await.code(),
        "forbidden"
    );
    let promoted = change(&app, &clinic.access_token, &user, json!({"role": "admin"})).await;
    assert_eq!(promoted.body["role"], "admin", "{:?}", promoted.body);
    refused_within(&app, &nurse.access_token, Duration::from_secs(1)).await;
    let again = app
        .login(&clinic.code, &nurse.email, DOCTOR_PASSWORD, nurse.device_id)
        .await;
    assert_eq!(again.body["user"]["role"], "admin");
    let token = again.body["access_token"].as_str().expect("token");
    assert_eq!(app.get("/staff", Some(token)).await.status, StatusCode::OK);
    assert_last_user_change(&app, &clinic, &user, "role", json!("admin")).await;

    let doctor = app.doctor(&clinic, "dr.stays@example.org", "KA-90909").await;
    let to_desk = change(
        &app,
        &clinic.access_token,
        &doctor.user_id.to_string(),
        json!({"role": "receptionist"}),
    )
    .await;
    assert_eq!(to_desk.body["fields"][0]["field"], "role", "{:?}", to_desk.body);
    let to_doctor = change(&app, &clinic.access_token, &user, json!({"role": "doctor"})).await;
    assert_eq!(
        to_doctor.body["fields"][0]["field"], "role",
        "{:?}",
        to_doctor.body
    );
    let to_admin = change(
        &app,
        &clinic.access_token,
        &doctor.user_id.to_string(),
        json!({"role": "admin"}),
    )
    .await;
    assert_eq!(
        to_admin.body["role"], "admin",
        "a doctor may also be an admin: {:?}",
        to_admin.body
    );

    for (path, body, code) in [
        (
            format!("/staff/{}", uuid::Uuid::now_v7()),
            json!({"role": "nurse"}),
            "not_found",
        ),
        (
            format!("/staff/{user}"),
            json!({"role": "janitor"}),
            "validation_failed",
        ),
        (format!("/staff/{user}"), json!({}), "validation_failed"),
    ] {
        let reply = app.patch(&path, &body, Some(&clinic.access_token)).await;
        assert_eq!(reply.code(), code, "{path} {body}: {:?}", reply.body);
    }
}

/// The last change of `user` in the clinic's log sets `field` to `value`.
async fn assert_last_user_change(app: &TestApp, clinic: &Clinic, user: &str, field: &str, value: Value) {
    let pulled = app
        .get("/sync/pull?since=0&limit=5000", Some(&clinic.access_token))
        .await;
    let last = pulled.body["changes"]
        .as_array()
        .and_then(|c| {
            c.iter()
                .rev()
                .find(|c| c["table"] == "users" && c["row_id"] == user)
        })
        .cloned()
        .expect("the person's change is in the log");
    assert_eq!(last["fields"][field], value, "{last}");
}
