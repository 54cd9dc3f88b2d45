//! The platform operator's controls (`clinic-server admin`): plans,
//! limits, trials and suspension, each audited; a suspended clinic reads
//! but cannot write, and only that clinic.

use clinic_server::operator::{AdminAction, LimitChanges, OperatorError, PlanChange, execute};
use clinic_tests::pc::{Device, patient};
use clinic_tests::{OWNER_PASSWORD, TestApp};
use domain::sync::OpKind;
use serde_json::{Value, json};
use uuid::Uuid;

const REASON: &str = "Invoice 2026-11 unpaid";

async fn run(app: &TestApp, action: AdminAction) -> Result<String, OperatorError> {
    execute(&app.owner_pool, "ops.anita", &action).await
}

fn suspend(code: &str, reason: &str) -> AdminAction {
    AdminAction::Suspend {
        clinic: code.to_owned(),
        reason: reason.to_owned(),
    }
}

async fn audit_actions(app: &TestApp, tenant: Uuid) -> Vec<(String, String, Value)> {
    sqlx::query_as("SELECT operator, action, details FROM operator_audit WHERE clinic_id = $1 ORDER BY id")
        .bind(tenant)
        .fetch_all(&app.owner_pool)
        .await
        .expect("operator audit")
}

#[tokio::test]
async fn a_suspended_clinic_reads_but_cannot_write_until_it_is_reactivated() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Suspended Smiles").await;
    let other = app.register_clinic("Other Smiles").await;
    let said = run(&app, suspend(&clinic.code.to_lowercase(), REASON))
        .await
        .expect("suspend");
    assert!(said.starts_with(&clinic.code), "{said}");

    // Reads go on, and say why.
    let tenant = app.get("/tenant", Some(&clinic.access_token)).await;
    assert_eq!(tenant.status, 200, "{:?}", tenant.body);
    assert_eq!(tenant.body["effective_status"], "suspended");
    assert_eq!(tenant.body["status_reason"], REASON);
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let pulled = pc.pull(&app, 0).await;
    assert_eq!(pulled.status, 200, "{:?}", pulled.body);
    assert_eq!(
        pulled.body["standing"],
        json!({"status": "suspended", "reason": REASON})
    );

    // Writes stop, through sync and through the API, with the reason.
    let op = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Asha", "+919845011111"),
    );
    let pushed = pc.push(&app, std::slice::from_ref(&op)).await;
    assert_eq!((pushed.status.as_u16(), pushed.code()), (403, "clinic_suspended"));
    assert!(
        pushed.body["message"].as_str().unwrap_or("").contains(REASON),
        "{:?}",
        pushed.body
    );
    let staff = app
        .post(
            "/staff",
            &json!({"role": "nurse", "full_name": "Nurse Joy", "email": "joy@example.org"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!((staff.status.as_u16(), staff.code()), (403, "clinic_suspended"));
    let settings = app
        .patch(
            "/tenant/settings",
            &json!({"address": "New street"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(settings.code(), "clinic_suspended");
    // What a suspended clinic still needs: a new PC to read on.
    let enrol = app
        .post(
            "/devices/enrolments",
            &json!({"name": "Desk 2"}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(enrol.status, 201, "{:?}", enrol.body);

    // Another clinic is untouched.
    let mut theirs = Device::new(other.device_id, &other.access_token);
    let op = theirs.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Ravi", "+919845022222"),
    );
    assert_eq!(theirs.push(&app, &[op]).await.op_results(), ["applied"]);
    assert_eq!(theirs.pull(&app, 0).await.body["standing"]["status"], "active");

    run(
        &app,
        AdminAction::Reactivate {
            clinic: clinic.code.clone(),
        },
    )
    .await
    .expect("reactivate");
    // A fresh sign-in is checked at once (an older one within 5 seconds).
    let again = app
        .login(
            &clinic.code,
            &clinic.owner_email,
            OWNER_PASSWORD,
            clinic.device_id,
        )
        .await;
    let mut pc = Device::new(
        clinic.device_id,
        again.body["access_token"].as_str().unwrap_or(""),
    );
    let op = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Asha", "+919845011111"),
    );
    assert_eq!(pc.push(&app, &[op]).await.op_results(), ["applied"]);
    assert_eq!(
        pc.pull(&app, 0).await.body["standing"],
        json!({"status": "active"})
    );

    let audit = audit_actions(&app, clinic.tenant_id).await;
    let actions: Vec<&str> = audit.iter().map(|(_, a, _)| a.as_str()).collect();
    assert_eq!(actions, ["suspend", "reactivate"]);
    assert!(audit.iter().all(|(who, _, _)| who == "ops.anita"));
    assert_eq!(audit[0].2["before"]["status"], "active");
    assert_eq!(audit[0].2["after"]["status_reason"], REASON);
    assert!(audit_actions(&app, other.tenant_id).await.is_empty());
}

#[tokio::test]
async fn plans_limits_and_trials_change_only_as_asked_and_every_change_is_audited() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Growing Clinic").await;
    let limits = LimitChanges {
        max_doctors: Some(25),
        ..LimitChanges::default()
    };
    let until = chrono::Utc::now().date_naive() + chrono::Duration::days(365);
    run(
        &app,
        AdminAction::Plan {
            clinic: clinic.code.clone(),
            plan: "basic".into(),
            limits: limits.clone(),
            until: Some(until),
        },
    )
    .await
    .expect("plan");
    let tenant = app.get("/tenant", Some(&clinic.access_token)).await.body;
    assert_eq!(tenant["plan"], "basic");
    assert_eq!(tenant["limits"]["max_doctors"], 25, "the override");
    assert_eq!(tenant["limits"]["max_patients"], 10_000, "the plan's own");
    assert_eq!(
        tenant["days_until_expiry"].as_i64().map(|d| d >= 365),
        Some(true),
        "{tenant}"
    );

    // A paid clinic has no trial to extend.
    let refused = run(&app, extend(&clinic.code, 10)).await;
    assert!(
        matches!(refused, Err(OperatorError::NotOnTrial(_))),
        "{refused:?}"
    );

    let trial = app.register_clinic("Trial Clinic").await;
    let ends = |body: &Value| {
        body["trial_ends_at"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .expect("trial end")
    };
    let before = ends(&app.get("/tenant", Some(&trial.access_token)).await.body);
    run(&app, extend(&trial.code, 14)).await.expect("extend");
    let after = ends(&app.get("/tenant", Some(&trial.access_token)).await.body);
    assert_eq!((after - before).num_days(), 14);

    assert_eq!(
        audit_actions(&app, clinic.tenant_id).await.len(),
        1,
        "refusals leave no audit row"
    );
    assert_eq!(audit_actions(&app, trial.tenant_id).await[0].1, "extend_trial");
}

fn extend(code: &str, days: u32) -> AdminAction {
    AdminAction::ExtendTrial {
        clinic: code.to_owned(),
        days,
    }
}

#[tokio::test]
async fn bad_operator_input_is_refused_with_what_is_wrong() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Careful Clinic").await;
    let none = LimitChanges::default();
    assert!(matches!(
        PlanChange::parse("gold", &none, None),
        Err(OperatorError::UnknownPlan(_))
    ));
    let negative = LimitChanges {
        max_patients: Some(-2),
        ..LimitChanges::default()
    };
    assert!(matches!(
        PlanChange::parse("basic", &negative, None),
        Err(OperatorError::BadLimit {
            name: "max-patients",
            value: -2
        })
    ));
    let yesterday = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    assert!(matches!(
        PlanChange::parse("premium", &none, Some(yesterday)),
        Err(OperatorError::PastDate(_))
    ));
    let unlimited = PlanChange::parse("enterprise", &none, None).expect("enterprise");
    assert_eq!(unlimited.limits.max_doctors, -1);

    assert!(matches!(
        run(&app, suspend("NOSUCH_CLINIC", REASON)).await,
        Err(OperatorError::UnknownClinic(_))
    ));
    assert!(matches!(
        run(&app, suspend(&clinic.code, "  ")).await,
        Err(OperatorError::BadReason)
    ));
    assert!(matches!(
        run(&app, suspend(&clinic.code, &"x".repeat(501))).await,
        Err(OperatorError::BadReason)
    ));
    assert!(matches!(
        run(
            &app,
            AdminAction::Reactivate {
                clinic: clinic.code.clone()
            }
        )
        .await,
        Err(OperatorError::NotSuspended(_))
    ));
    assert!(matches!(
        run(&app, extend(&clinic.code, 0)).await,
        Err(OperatorError::BadDays(0))
    ));
    assert!(audit_actions(&app, clinic.tenant_id).await.is_empty());
    let tenant = app.get("/tenant", Some(&clinic.access_token)).await.body;
    assert_eq!(
        (tenant["plan"].as_str(), tenant["status"].as_str()),
        (Some("trial"), Some("active"))
    );
}

#[tokio::test]
async fn the_clinic_list_shows_plan_status_usage_and_why_a_clinic_is_suspended() {
    let app = TestApp::spawn().await;
    let busy = app.register_clinic_as("Busy Clinic", true).await;
    let quiet = app.register_clinic("Quiet Clinic").await;
    let mut pc = Device::new(busy.device_id, &busy.access_token);
    let ops: Vec<_> = (0..3)
        .map(|n| {
            pc.op(
                "patients",
                Uuid::now_v7(),
                OpKind::Insert,
                patient("P", &format!("+91984503000{n}")),
            )
        })
        .collect();
    assert_eq!(pc.push(&app, &ops).await.op_results(), ["applied"; 3]);
    pc.pull(&app, 0).await;
    run(&app, suspend(&quiet.code, REASON)).await.expect("suspend");

    let listed = run(&app, AdminAction::Clinics).await.expect("list");
    let line = |code: &str| {
        listed
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} missing from\n{listed}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let busy_line = line(&busy.code);
    assert!(busy_line.contains("trial active"), "{busy_line}");
    assert!(
        busy_line.contains("1/5 3/1000 0/1024 MiB 1 / 20"),
        "doctors, patients, storage, PCs: {busy_line}"
    );
    assert!(line(&quiet.code).contains("trial suspended"), "{listed}");
    assert!(
        listed.contains(&format!("{}: suspended because {REASON}", quiet.code)),
        "{listed}"
    );
    assert!(listed.ends_with("2 clinics"), "{listed}");
}

#[tokio::test]
async fn the_operator_audit_is_append_only_and_out_of_the_app_roles_reach() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Audited Clinic").await;
    run(&app, suspend(&clinic.code, REASON)).await.expect("suspend");
    let rewrite = sqlx::query("UPDATE operator_audit SET operator = 'someone else'")
        .execute(&app.owner_pool)
        .await;
    assert!(rewrite.is_err(), "the audit was rewritten");
    let erase = sqlx::query("DELETE FROM operator_audit")
        .execute(&app.owner_pool)
        .await;
    assert!(erase.is_err(), "the audit was erased");
    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let read = sqlx::query("SELECT count(*) FROM operator_audit")
        .execute(&mut *tx)
        .await;
    assert!(read.is_err(), "the app role read the operator's audit");
}
