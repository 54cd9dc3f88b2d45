//! Isolation between clinics, proven in SQL as the application role (the
//! role the server uses), for every tenant table, and through the API.

use clinic_tests::{Clinic, OWNER_PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;
use uuid::Uuid;

const INSUFFICIENT_PRIVILEGE: &str = "42501";

/// One row in every tenant table for `clinic`, written as the app role
/// under the clinic's own context (which also proves such writes work).
async fn fill_every_table(app: &TestApp, clinic: &Clinic) {
    let login = app
        .login(
            &clinic.code,
            &clinic.owner_email,
            OWNER_PASSWORD,
            clinic.device_id,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "login records an attempt");
    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let doctor: Uuid = sqlx::query_scalar("SELECT id FROM doctors LIMIT 1")
        .fetch_one(&mut *tx)
        .await
        .expect("owner is a doctor");
    let statements = [
        "INSERT INTO patients (tenant_id, id, mobile_number, first_name, date_of_birth, gender, created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000001', '+919876543210', 'Meera', '1990-04-01', 'female', $1, $1)",
        "INSERT INTO medicines (id, tenant_id, name, composition, created_by, updated_by)
           VALUES (gen_random_uuid(), app_tenant(), 'Clinic Mouthwash', 'Chlorhexidine 0.2%', $1, $1)",
        "INSERT INTO short_keys (tenant_id, id, code, name, created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000002', 'RCA', 'Root canal', $1, $1)",
        "INSERT INTO short_key_medicines (tenant_id, id, short_key_id, medicine_id, default_dosage, default_frequency,
             default_duration, created_by, updated_by)
           SELECT app_tenant(), gen_random_uuid(), '00000000-0000-7000-8000-000000000002', id, '500 mg', '1-0-1', '5 days', $1, $1
             FROM medicines LIMIT 1",
        "INSERT INTO appointments (tenant_id, id, appointment_number, patient_id, doctor_id, office_id, appointment_date,
             appointment_time, reason, created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000003', 'APT202612010001',
             '00000000-0000-7000-8000-000000000001', $2, 'main', '2026-12-01', '10:00', 'Tooth pain', $1, $1)",
        "INSERT INTO print_layouts (tenant_id, id, name, created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), 'Clinic default', $1, $1)",
        "INSERT INTO prescriptions (tenant_id, id, prescription_number, patient_id, doctor_id, appointment_id, visit_date,
             diagnosis, valid_until, created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000004', 'RX202612010001',
             '00000000-0000-7000-8000-000000000001', $2, '00000000-0000-7000-8000-000000000003',
             '2026-12-01', 'Pulpitis', '2026-12-31', $1, $1)",
        "INSERT INTO prescription_items (tenant_id, id, prescription_id, medicine_name, dosage, frequency, duration,
             quantity, created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), '00000000-0000-7000-8000-000000000004', 'Amoxicillin',
             '500 mg', '1-0-1', '5 days', 10, $1, $1)",
        "INSERT INTO dental_observations (tenant_id, id, patient_id, doctor_id, tooth_number, condition_type,
             created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000005', '00000000-0000-7000-8000-000000000001',
             $2, 36, 'caries', $1, $1)",
        "INSERT INTO dental_procedures (tenant_id, id, patient_id, doctor_id, observation_id, procedure_code,
             procedure_name, tooth_numbers, created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), '00000000-0000-7000-8000-000000000001', $2,
             '00000000-0000-7000-8000-000000000005', 'D3330', 'Root canal, molar', '{36}', $1, $1)",
        "INSERT INTO dental_observation_templates (tenant_id, id, condition_type, template_text, created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), 'caries', 'Deep caries approaching pulp', $1, $1)",
        "INSERT INTO case_studies (tenant_id, id, patient_id, doctor_id, title, created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000006', '00000000-0000-7000-8000-000000000001',
             $2, 'Molar endodontics', $1, $1)",
        "INSERT INTO dental_attachments (tenant_id, id, patient_id, case_study_id, kind, file_name, mime_type,
             size_bytes, sha256, created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), '00000000-0000-7000-8000-000000000001',
             '00000000-0000-7000-8000-000000000006', 'xray', 'opg.png', 'image/png', 1024, repeat('ab', 32), $1, $1)",
        "INSERT INTO referral_records (tenant_id, id, patient_id, kind, title, source, created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), '00000000-0000-7000-8000-000000000001', 'allergy',
             'Allergy: Penicillin', 'FHIR Bundle x of 2026-12-01', $1, $1)",
        "INSERT INTO invoices (tenant_id, id, invoice_number, patient_id, doctor_id, appointment_id, issued_on, currency,
             lines, total_minor, created_by, updated_by)
           VALUES (app_tenant(), '00000000-0000-7000-8000-000000000007', 'INV202612010001',
             '00000000-0000-7000-8000-000000000001', $2, '00000000-0000-7000-8000-000000000003', '2026-12-01', 'INR',
             '[{\"kind\": \"consultation\", \"description\": \"Consultation\", \"quantity\": 1, \"unit_price_minor\": 50000}]',
             50000, $1, $1)",
        "INSERT INTO payments (tenant_id, id, receipt_number, invoice_id, patient_id, amount_minor, mode, paid_at,
             created_by, updated_by)
           VALUES (app_tenant(), gen_random_uuid(), 'RCP202612010001', '00000000-0000-7000-8000-000000000007',
             '00000000-0000-7000-8000-000000000001', 20000, 'upi', now(), $1, $1)",
        "INSERT INTO audit_events (tenant_id, id, user_id, action, entity_table, entity_id, occurred_at)
           VALUES (app_tenant(), gen_random_uuid(), $1, 'view', 'patients', '00000000-0000-7000-8000-000000000001', now())",
        "INSERT INTO applied_batches (tenant_id, device_id, last_batch_seq)
           SELECT app_tenant(), id, 1 FROM devices LIMIT 1",
        "INSERT INTO sync_conflicts (tenant_id, id, table_name, row_id, field, winning_value, winning_hlc, losing_value,
             losing_hlc, losing_user_id)
           VALUES (app_tenant(), gen_random_uuid(), 'patients', '00000000-0000-7000-8000-000000000001', 'notes',
             '\"a\"', '1-0-x', '\"b\"', '0-0-y', $1)",
        "INSERT INTO device_enrolments (tenant_id, id, secret_hash, created_by, expires_at)
           VALUES (app_tenant(), gen_random_uuid(), sha256('enrol'), $1, now() + interval '7 days')",
        "INSERT INTO change_log (tenant_id, seq, table_name, row_id, op, changes, hlc, user_id, prev_hash, hash)
           VALUES (app_tenant(), 1000, 'patients', '00000000-0000-7000-8000-000000000001', 'insert', '{}', '1-0-x', $1,
             '\\x', sha256('x'))",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(clinic.owner_id)
            .bind(doctor)
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("fixture failed: {e}\n{sql}"));
    }
    tx.commit().await.expect("commit fixture");
}

/// Every ordinary table with a tenant_id column.
async fn tenant_tables(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
         WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("catalog")
}

fn sqlstate(err: &sqlx::Error) -> Option<String> {
    err.as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.into_owned())
}

/// A copy of `row` with its own key changed, so only isolation can refuse it.
fn fresh_copy(row: &Value, tenant: Uuid) -> Value {
    let mut copy = row.clone();
    copy["tenant_id"] = json!(tenant);
    if copy.get("id").is_some() {
        copy["id"] = json!(Uuid::now_v7());
    }
    if copy.get("seq").is_some() {
        copy["seq"] = json!(999_999);
    }
    copy
}

async fn insert_copy(
    app: &TestApp,
    context: Option<Uuid>,
    table: &str,
    row: &Value,
) -> Result<(), sqlx::Error> {
    let mut tx = app.app_tx(context).await;
    // Table names come from the catalog, not from input.
    let sql = format!("INSERT INTO {table} SELECT * FROM jsonb_populate_record(NULL::{table}, $1)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(row)
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Rows of `table` visible in `context`, and how many belong to `owner`.
async fn visible(app: &TestApp, context: Option<Uuid>, table: &str, owner: Uuid) -> (i64, i64) {
    let mut tx = app.app_tx(context).await;
    let sql = format!("SELECT count(*), count(*) FILTER (WHERE tenant_id = $1) FROM {table}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(owner)
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    (row.get(0), row.get(1))
}

/// Runs a write against `owner`'s rows from another context; it must touch
/// nothing (0 rows) or be refused outright.
async fn write_touches_nothing(app: &TestApp, context: Option<Uuid>, sql: String, owner: Uuid) {
    let mut tx = app.app_tx(context).await;
    match sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .bind(owner)
        .execute(&mut *tx)
        .await
    {
        Ok(done) => assert_eq!(done.rows_affected(), 0, "{sql} changed another clinic's rows"),
        Err(err) => assert_eq!(
            sqlstate(&err).as_deref(),
            Some(INSUFFICIENT_PRIVILEGE),
            "{sql}: {err}"
        ),
    }
}

#[tokio::test]
async fn every_tenant_table_keeps_clinics_apart() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic_as("Clinic A", true).await;
    let b = app.register_clinic_as("Clinic B", true).await;
    fill_every_table(&app, &a).await;

    let tables = tenant_tables(&app).await;
    assert!(tables.len() >= 22, "{tables:?}");
    for table in &tables {
        let t = table.as_str();
        let (own_total, own_rows) = visible(&app, Some(a.tenant_id), t, a.tenant_id).await;
        assert!(own_rows > 0, "{t}: the fixture wrote a row A can see");
        let (_, seen_by_b) = visible(&app, Some(b.tenant_id), t, a.tenant_id).await;
        assert_eq!(seen_by_b, 0, "{t}: B sees A's rows");
        let (seen_without_context, _) = visible(&app, None, t, a.tenant_id).await;
        let global = if t == "medicines" { own_total - own_rows } else { 0 };
        assert_eq!(
            seen_without_context, global,
            "{t}: rows visible without a tenant context"
        );

        for context in [Some(b.tenant_id), None] {
            write_touches_nothing(
                &app,
                context,
                format!("UPDATE {t} SET tenant_id = tenant_id WHERE tenant_id = $1"),
                a.tenant_id,
            )
            .await;
            write_touches_nothing(
                &app,
                context,
                format!("DELETE FROM {t} WHERE tenant_id = $1"),
                a.tenant_id,
            )
            .await;
        }

        let mut tx = app.app_tx(Some(a.tenant_id)).await;
        let sql = format!("SELECT to_jsonb(x) FROM {t} x WHERE tenant_id = $1 LIMIT 1");
        let row: Value = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(a.tenant_id)
            .fetch_one(&mut *tx)
            .await
            .expect("row");
        drop(tx);
        // B writing a row stamped with A's tenant, and no context at all: refused by RLS.
        for context in [Some(b.tenant_id), None] {
            let err = insert_copy(&app, context, t, &fresh_copy(&row, a.tenant_id))
                .await
                .expect_err(t);
            assert_eq!(
                sqlstate(&err).as_deref(),
                Some(INSUFFICIENT_PRIVILEGE),
                "{t}: {err}"
            );
        }
        let (_, still_there) = visible(&app, Some(a.tenant_id), t, a.tenant_id).await;
        assert_eq!(still_there, own_rows, "{t}: A's rows are intact");
    }
}

#[tokio::test]
async fn rows_of_one_clinic_cannot_point_at_another_clinics_rows() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic_as("Clinic A", true).await;
    let b = app.register_clinic_as("Clinic B", true).await;
    fill_every_table(&app, &a).await;
    // B stamps its own tenant but names A's patient: the tenant-leading
    // foreign key finds no such patient in B.
    let mut tx = app.app_tx(Some(b.tenant_id)).await;
    let doctor: Uuid = sqlx::query_scalar("SELECT id FROM doctors LIMIT 1")
        .fetch_one(&mut *tx)
        .await
        .expect("doctor");
    let err = sqlx::query(
        "INSERT INTO appointments (tenant_id, id, appointment_number, patient_id, doctor_id, office_id,
             appointment_date, appointment_time, reason, created_by, updated_by)
         VALUES (app_tenant(), gen_random_uuid(), 'APT202612010002', '00000000-0000-7000-8000-000000000001', $1,
             'main', '2026-12-01', '11:00', 'Probe', $2, $2)",
    )
    .bind(doctor)
    .bind(b.owner_id)
    .execute(&mut *tx)
    .await
    .expect_err("foreign key");
    assert_eq!(sqlstate(&err).as_deref(), Some("23503"), "{err}");
}

#[tokio::test]
async fn tenants_and_the_global_catalog() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic("Clinic A").await;
    let b = app.register_clinic("Clinic B").await;
    sqlx::query("INSERT INTO medicines (id, name, composition) VALUES (gen_random_uuid(), 'Platform Test Medicine', 'Test 1 mg')")
        .execute(&app.owner_pool)
        .await
        .expect("the platform adds a global medicine");

    let mut tx = app.app_tx(Some(b.tenant_id)).await;
    let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
        .fetch_one(&mut *tx)
        .await
        .expect("count");
    assert_eq!(seen, 1, "a clinic sees only its own tenant row");
    let renamed = sqlx::query("UPDATE tenants SET name = 'pwned' WHERE id = $1")
        .bind(a.tenant_id)
        .execute(&mut *tx)
        .await
        .expect("update runs");
    assert_eq!(renamed.rows_affected(), 0);
    let own_plan = sqlx::query("UPDATE tenants SET plan = 'enterprise' WHERE id = app_tenant()")
        .execute(&mut *tx)
        .await;
    assert_eq!(
        own_plan.map_err(|e| sqlstate(&e)).err().flatten().as_deref(),
        Some(INSUFFICIENT_PRIVILEGE),
        "plans are the platform's"
    );
    drop(tx);

    let mut tx = app.app_tx(Some(b.tenant_id)).await;
    let global: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM medicines WHERE tenant_id IS NULL AND name = 'Paracetamol 500'",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("count");
    assert!(global >= 1, "the global catalog is readable");
    let changed = sqlx::query("UPDATE medicines SET name = 'x' WHERE tenant_id IS NULL")
        .execute(&mut *tx)
        .await
        .expect("update runs");
    assert_eq!(changed.rows_affected(), 0, "and writable by no clinic");
    let err =
        sqlx::query("INSERT INTO medicines (id, name, composition) VALUES (gen_random_uuid(), 'Fake', 'x')")
            .execute(&mut *tx)
            .await
            .expect_err("a clinic cannot add global medicines");
    assert_eq!(sqlstate(&err).as_deref(), Some(INSUFFICIENT_PRIVILEGE));
    drop(tx);

    let mut tx = app.app_tx(None).await;
    let err = sqlx::query("INSERT INTO tenants (id, code, name, max_offices, max_doctors, max_patients, max_storage_bytes, trial_ends_at)
                           VALUES (gen_random_uuid(), 'ROGUE_0001', 'Rogue', 1, 1, 1, 1, now())")
        .execute(&mut *tx)
        .await
        .expect_err("no context, no tenant");
    assert_eq!(sqlstate(&err).as_deref(), Some(INSUFFICIENT_PRIVILEGE));
}

#[tokio::test]
async fn the_api_ignores_or_refuses_a_tenant_in_the_body() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic("Clinic A").await;
    let b = app.register_clinic("Clinic B").await;
    let doctor = app.add_doctor(&a, "adoc@example.org", "LIC-A").await;
    let doctor_id = doctor.body["doctor"]["id"].as_str().expect("id").to_owned();

    // Registration with a smuggled tenant id gets its own new tenant.
    let smuggled = app
        .post(
            "/clinics",
            &json!({"clinic_name": "Sneaky", "owner_name": "X", "email": "x@example.org",
                    "password": OWNER_PASSWORD, "tenant_id": a.tenant_id}),
            None,
        )
        .await;
    assert_eq!(smuggled.status, StatusCode::CREATED);
    assert_ne!(smuggled.body["tenant"]["id"], json!(a.tenant_id));

    let with_tenant = app
        .post(
            "/doctors",
            &json!({"full_name": "Dr X", "email": "bx@example.org", "licence_number": "LIC-B",
                    "specialization": "GP", "tenant_id": a.tenant_id}),
            Some(&b.access_token),
        )
        .await;
    assert_eq!(
        with_tenant.code(),
        "validation_failed",
        "unknown fields such as tenant_id are refused"
    );

    let peek = app
        .get(&format!("/doctors/{doctor_id}"), Some(&b.access_token))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND, "B cannot read A's doctor");
    let poke = app
        .patch(
            &format!("/doctors/{doctor_id}"),
            &json!({"qualification": "x"}),
            Some(&b.access_token),
        )
        .await;
    assert_eq!(poke.status, StatusCode::NOT_FOUND, "nor change it");
    let listed = app.get("/doctors", Some(&b.access_token)).await;
    assert_eq!(listed.body, json!([]));
}
