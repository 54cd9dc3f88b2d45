//! Every role against every synced table and every role-guarded route:
//! role × table × verb and role × route, each allowed or `forbidden`.
//! The expectations are written out here from DOMAIN.md ("Users and
//! roles"), not read from the server's table descriptions, so a change to
//! who may do what has to change this test too.

use clinic_tests::staff::Staff;
use clinic_tests::{Clinic, TestApp, pc, uuid};
use domain::sync::OpKind;
use domain::sync::tables::TABLES;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const ROLES: [&str; 4] = ["admin", "doctor", "nurse", "receptionist"];

/// Who may push `verb` to `table`, per DOMAIN.md: front-desk staff
/// register patients and book appointments (archiving, never deleting);
/// clinical records, catalogues and print layouts are for doctors and
/// admins; bills and payments for whoever takes the money (not nurses);
/// accounts, doctor profiles and taken-in referrals only change
/// through the server's own routes.
fn may_push(role: &str, table: &str, verb: OpKind) -> bool {
    let clinical = matches!(role, "admin" | "doctor");
    let billing = matches!(role, "admin" | "doctor" | "receptionist");
    match table {
        "users" | "doctors" | "referral_records" => false,
        "patients" | "appointments" => verb != OpKind::Delete || role == "admin",
        "medicines"
        | "short_keys"
        | "short_key_medicines"
        | "print_layouts"
        | "prescriptions"
        | "prescription_items"
        | "dental_observations"
        | "dental_procedures"
        | "dental_observation_templates"
        | "case_studies"
        | "dental_attachments" => clinical,
        // Billing is for whoever takes the money at the desk; bills are
        // voided and payments are never changed, so nobody deletes either.
        "invoices" => billing && verb != OpKind::Delete,
        "payments" => billing && verb == OpKind::Insert,
        other => panic!("{other} is synced but has no expectation here: decide who may write it"),
    }
}

/// One person of each role, signed in on their own PC. The admin is the
/// owner, who is also a doctor.
async fn one_of_each(app: &TestApp) -> (Clinic, Vec<(&'static str, String, Uuid)>) {
    let clinic = app.register_clinic_as("Every Role Clinic", true).await;
    let doctor = app.doctor(&clinic, "dr.role@example.org", "KA-31313").await;
    let nurse = app.staff_member(&clinic, "nurse", "nurse.role@example.org").await;
    let desk = app
        .staff_member(&clinic, "receptionist", "desk.role@example.org")
        .await;
    let signed_in = |role, s: Staff| (role, s.access_token, s.device_id);
    let people = vec![
        ("admin", clinic.access_token.clone(), clinic.device_id),
        signed_in("doctor", doctor),
        signed_in("nurse", nurse),
        signed_in("receptionist", desk),
    ];
    (clinic, people)
}

#[tokio::test]
async fn every_role_against_every_synced_table_and_verb() {
    let app = TestApp::spawn().await;
    let (_clinic, people) = one_of_each(&app).await;
    let mut wrong = Vec::new();
    for (role, token, device_id) in &people {
        let mut device = pc::Device::new(*device_id, token);
        for spec in TABLES {
            for verb in [OpKind::Insert, OpKind::Update, OpKind::Delete] {
                // A real patient where one is cheap to write, so "allowed"
                // is seen to apply; elsewhere an empty change, which an
                // allowed role gets past the role check with (and then
                // meets validation or "no such record").
                let fields = match (spec.name, verb) {
                    ("patients", OpKind::Insert) => pc::patient(role, "+919800012345"),
                    _ => json!({}),
                };
                let op = device.op(spec.name, Uuid::now_v7(), verb, fields);
                let reply = device.push(&app, &[op]).await;
                let result = reply.op_results().pop().unwrap_or_default();
                let allowed = may_push(role, spec.name, verb);
                let ok = if allowed {
                    result != "forbidden"
                } else {
                    result == "forbidden"
                };
                if !ok {
                    wrong.push(format!(
                        "{role} {verb:?} {}: {result} (expected {})",
                        spec.name,
                        if allowed { "allowed" } else { "forbidden" }
                    ));
                }
                if allowed && (spec.name, verb) == ("patients", OpKind::Insert) {
                    assert_eq!(result, "applied", "{role} registers a patient: {:?}", reply.body);
                }
            }
        }
    }
    assert!(wrong.is_empty(), "role rules broken:\n{}", wrong.join("\n"));
}

/// A role-guarded route, with a body the server can parse, so the role
/// check (not the body) decides.
struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
    roles: &'static [&'static str],
}

fn route(
    method: Method,
    path: impl Into<String>,
    body: Option<Value>,
    roles: &'static [&'static str],
) -> Route {
    Route {
        method,
        path: path.into(),
        body,
        roles,
    }
}

#[tokio::test]
async fn every_role_against_every_role_guarded_route() {
    const ADMIN: &[&str] = &["admin"];
    const CLINICAL: &[&str] = &["admin", "doctor"];
    const EVERYONE: &[&str] = &ROLES;
    let app = TestApp::spawn().await;
    let (clinic, people) = one_of_each(&app).await;
    let owner_doctor = uuid(&clinic.body["user"]["doctor_id"]);
    let some = Uuid::now_v7();
    let routes = [
        route(Method::GET, "/staff", None, ADMIN),
        route(
            Method::POST,
            "/staff",
            Some(json!({"role": "nurse", "full_name": "N", "email": "n.{role}@example.org"})),
            ADMIN,
        ),
        route(
            Method::PATCH,
            format!("/staff/{some}"),
            Some(json!({"is_active": true})),
            ADMIN,
        ),
        route(
            Method::POST,
            "/doctors",
            Some(json!({"full_name": "Dr X", "email": "x.{role}@example.org",
            "licence_number": "KA-{role}", "specialization": "General"})),
            ADMIN,
        ),
        route(
            Method::PATCH,
            format!("/doctors/{owner_doctor}"),
            Some(json!({"qualification": "MBBS"})),
            ADMIN,
        ),
        route(Method::GET, "/devices", None, ADMIN),
        route(Method::POST, format!("/devices/{some}/revoke"), None, ADMIN),
        route(
            Method::POST,
            "/devices/enrolments",
            Some(json!({"name": "Front desk"})),
            ADMIN,
        ),
        route(
            Method::PATCH,
            "/tenant/settings",
            Some(json!({"currency": "INR"})),
            ADMIN,
        ),
        route(
            Method::POST,
            "/tenant/backup",
            Some(json!({"passphrase": "a long enough passphrase"})),
            ADMIN,
        ),
        route(Method::GET, "/fhir/Patient/$everything", None, CLINICAL),
        route(
            Method::GET,
            format!("/fhir/Patient/{some}/$everything"),
            None,
            CLINICAL,
        ),
        route(
            Method::POST,
            "/fhir/referrals",
            Some(json!({"resourceType": "Bundle"})),
            CLINICAL,
        ),
        route(
            Method::POST,
            format!("/sync/conflicts/{some}/review"),
            Some(json!({"resolution": "kept_winner"})),
            CLINICAL,
        ),
        route(Method::GET, "/doctors", None, EVERYONE),
        route(Method::GET, "/tenant", None, EVERYONE),
        route(Method::GET, "/sync/conflicts", None, EVERYONE),
        route(Method::GET, "/sync/pull?since=0&limit=10", None, EVERYONE),
    ];
    let mut wrong = Vec::new();
    for r in &routes {
        for (role, token, _) in &people {
            let body = r
                .body
                .as_ref()
                .map(|b| serde_json::from_str(&b.to_string().replace("{role}", role)).expect("json"));
            let reply = app
                .send(r.method.clone(), &r.path, body.as_ref(), Some(token))
                .await;
            let allowed = r.roles.contains(role);
            let forbidden = reply.status == StatusCode::FORBIDDEN && reply.code() == "forbidden";
            if allowed == forbidden || reply.status == StatusCode::UNAUTHORIZED {
                wrong.push(format!(
                    "{role} {} {}: {} {:?}",
                    r.method, r.path, reply.status, reply.body
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "route role rules broken:\n{}", wrong.join("\n"));
}
