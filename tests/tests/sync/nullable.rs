//! What the server allows, the PC reads. A clinic registered the way the
//! window registers it (owner is a doctor, no licence number) can open
//! every screen; and rows whose every nullable column is NULL, learned by
//! pull, show on every screen instead of failing the read. The nullable
//! columns come from PostgreSQL itself, so a column added later is covered
//! without touching this test.

use std::collections::HashMap;
use std::time::Duration;

use client::app::AppCore;
use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration};
use contract::screens::appointments::{DayQuery, SlotQuery};
use contract::screens::reports::{Period, ReportQuery};
use domain::sync::tables::TABLES;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Registers as the window does: the owner sees patients and gives no
/// licence number or speciality (the form does not ask for them).
async fn registered_in_window(app: &TestApp, dir: &std::path::Path) -> AppCore {
    let core = desk_core(dir, &app.base);
    core.register_clinic(registration(
        "Sunrise Family Clinic",
        "Dr Sunita Rao",
        "sunita@example.org",
        "Sunrise-Clinic-2026",
        true,
    ))
    .await
    .expect("register");
    core
}

/// Waits until the PC has pulled everything the server logged.
async fn pulled_everything(app: &TestApp, core: &AppCore) {
    let last: i64 = app
        .owner_count("SELECT coalesce(max(last_seq), 0) FROM tenant_sync_state")
        .await;
    core.sync_now().await.expect("sync");
    for _ in 0..150 {
        let status = core.sync_status().await.expect("status");
        if status.cursor.is_some_and(|c| c >= last) && status.pending == 0 {
            assert!(
                status.last_error.is_none(),
                "sync failed: {:?}",
                status.last_error
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = core.sync_status().await.expect("status");
    panic!("the PC did not pull up to {last}: {status:?}");
}

#[tokio::test]
async fn a_clinic_registered_without_a_licence_can_book_from_its_first_minute() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let core = registered_in_window(&app, dir.path()).await;
    pulled_everything(&app, &core).await;
    let doctors = core
        .clinic_doctors()
        .await
        .expect("the booking form's doctor list reads");
    let me = doctors.iter().find(|d| d.is_me).expect("the owner is a doctor");
    assert_eq!(me.licence_number, None);
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    core.free_slots(SlotQuery {
        doctor_id: me.id.clone(),
        date: tomorrow,
        duration_minutes: 15,
        office_id: None,
    })
    .await
    .expect("free slots read");
}

/// Columns of a table as PostgreSQL describes them.
#[derive(Debug, Clone, Copy)]
struct ServerColumn {
    nullable: bool,
    has_default: bool,
}

async fn server_columns(app: &TestApp) -> HashMap<(String, String), ServerColumn> {
    let rows: Vec<(String, String, bool, bool)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, is_nullable = 'YES', column_default IS NOT NULL \
           FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("columns");
    rows.into_iter()
        .map(|(t, c, nullable, has_default)| {
            (
                (t, c),
                ServerColumn {
                    nullable,
                    has_default,
                },
            )
        })
        .collect()
}

/// Values for the columns PostgreSQL requires (NOT NULL, no default):
/// the smallest row a server accepts. Parents are looked up in `ids`.
fn required(table: &str, column: &str, ids: &HashMap<&'static str, Uuid>) -> Option<Value> {
    let id = |t: &str| ids.get(t).map(|id| json!(id));
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    Some(match (table, column) {
        ("patients", "mobile_number") => json!("+919800000001"),
        ("patients", "first_name") => json!("Nulla"),
        ("patients", "date_of_birth") => json!("1990-01-01"),
        ("patients", "gender") => json!("other"),
        ("medicines", "name") => json!("Nullacillin"),
        ("medicines", "composition") => json!("Nullacillin 250 mg"),
        ("short_keys", "code") => json!("NUL"),
        ("short_keys", "name") => json!("Bare key"),
        ("appointments", "appointment_number") => json!("APT202701010001"),
        ("appointments", "appointment_date") => json!(tomorrow),
        ("appointments", "appointment_time") => json!("10:00:00"),
        ("appointments", "reason") => json!("Check-up"),
        ("print_layouts", "name") => json!("Bare layout"),
        ("prescriptions", "prescription_number") => json!("RX202701010001"),
        ("prescriptions", "visit_date") => json!(tomorrow),
        ("prescriptions", "valid_until") => json!("2099-01-01"),
        ("prescriptions", "diagnosis") => json!("Viral fever"),
        ("prescription_items", "medicine_name") => json!("Nullacillin"),
        ("prescription_items", "quantity") => json!(1),
        ("referral_records", "kind") => json!("allergy"),
        ("invoices", "invoice_number") => json!("INV202701010001"),
        ("invoices", "issued_on") => json!(tomorrow),
        ("invoices", "currency") => json!("INR"),
        ("payments", "receipt_number") => json!("RCP202701010001"),
        ("payments", "amount_minor") => json!(100),
        ("payments", "mode") => json!("cash"),
        ("payments", "paid_at") => json!("2027-01-01T10:00:00Z"),
        ("referral_records", "source") => json!("FHIR Bundle bare"),
        (_, "dosage" | "frequency" | "duration") => json!("1"),
        (_, "default_dosage" | "default_frequency" | "default_duration") => json!("1"),
        (_, "tooth_number") => json!(11),
        (_, "condition_type") => json!("caries"),
        (_, "procedure_code") => json!("D2140"),
        (_, "procedure_name") => json!("Filling"),
        (_, "template_text") => json!("Caries on the occlusal surface"),
        (_, "title") => json!("Bare case"),
        (_, "kind") => json!("xray"),
        (_, "file_name") => json!("bare.png"),
        (_, "mime_type") => json!("image/png"),
        (_, "size_bytes") => json!(1),
        (_, "sha256") => json!("0".repeat(64)),
        (_, "office_id") => json!("main"),
        (_, "patient_id") => id("patients")?,
        (_, "doctor_id") => id("doctors")?,
        (_, "medicine_id") => id("medicines")?,
        (_, "short_key_id") => id("short_keys")?,
        (_, "prescription_id") => id("prescriptions")?,
        (_, "observation_id") => id("dental_observations")?,
        (_, "invoice_id") => id("invoices")?,
        _ => return None,
    })
}

/// The smallest row of `table`: required columns with values, every
/// nullable column NULL, defaulted NOT NULL columns left to the server.
/// For a row that exists already (in `ids`), only the NULLs.
fn bare_row(
    table: &str,
    columns: &[domain::sync::tables::Column],
    server: &HashMap<(String, String), ServerColumn>,
    ids: &HashMap<&'static str, Uuid>,
) -> Map<String, Value> {
    let mut row = Map::new();
    for column in columns {
        let described = server
            .get(&(table.to_owned(), column.name.to_owned()))
            .unwrap_or_else(|| panic!("{table}.{} is synced but not in PostgreSQL", column.name));
        // A table-wide rule needs one of several nullable links set.
        let linked = (table, column.name) == ("dental_attachments", "observation_id");
        if described.nullable && !linked {
            row.insert(column.name.to_owned(), Value::Null);
        } else if (linked || !described.has_default) && !ids.contains_key(table) {
            let value = required(table, column.name, ids)
                .unwrap_or_else(|| panic!("give {table}.{} (NOT NULL) a value in `required`", column.name));
            row.insert(column.name.to_owned(), value);
        }
    }
    row
}

/// Writes the bare rows as the owner and appends them to the clinic's
/// change log holding only the fields written (as an insert pushed by a
/// second client is logged today): a defaulted column reaches the PC as
/// nothing at all, a nullable one as NULL.
async fn write_bare_rows(
    app: &TestApp,
    tenant: Uuid,
    owner: Uuid,
    doctor: Uuid,
) -> HashMap<&'static str, Uuid> {
    use clinic_server::db::changes::{self, Entry};
    let server = server_columns(app).await;
    let mut ids: HashMap<&'static str, Uuid> = HashMap::from([("users", owner), ("doctors", doctor)]);
    let mut tx = app.owner_pool.begin().await.expect("begin");
    clinic_server::db::set_tenant(&mut tx, domain::ids::TenantId::from_uuid(tenant))
        .await
        .expect("tenant");
    let mut clock = domain::sync::HlcClock::new(domain::ids::DeviceId::new());
    let mut entries = Vec::new();
    for spec in TABLES {
        let row = bare_row(spec.name, spec.columns, &server, &ids);
        let (id, op) = match ids.get(spec.name) {
            // Rows the server made itself (the owner's account): every
            // nullable column set to NULL.
            Some(&existing) => {
                let nulls: Vec<String> = row
                    .iter()
                    .filter(|(_, v)| v.is_null())
                    .map(|(k, _)| format!("{k} = NULL"))
                    .collect();
                if nulls.is_empty() {
                    continue;
                }
                let sql = format!("UPDATE {} SET {} WHERE id = $1", spec.name, nulls.join(", "));
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(existing)
                    .execute(&mut *tx)
                    .await
                    .unwrap_or_else(|e| panic!("nulling {}: {e}", spec.name));
                (existing, "update")
            }
            None => {
                let id = Uuid::now_v7();
                let mut full = row.clone();
                for (k, v) in [
                    ("tenant_id", tenant),
                    ("id", id),
                    ("created_by", owner),
                    ("updated_by", owner),
                ] {
                    full.insert(k.to_owned(), json!(v));
                }
                let names: Vec<&str> = full.keys().map(String::as_str).collect();
                let sql = format!(
                    "INSERT INTO {0} ({1}) SELECT {1} FROM jsonb_populate_record(NULL::{0}, $1)",
                    spec.name,
                    names.join(", ")
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(sqlx::types::Json(&full))
                    .execute(&mut *tx)
                    .await
                    .unwrap_or_else(|e| panic!("a bare {} row: {e}", spec.name));
                ids.insert(spec.name, id);
                (id, "insert")
            }
        };
        let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default();
        entries.push(Entry {
            table: spec.name.to_owned(),
            row_id: id,
            op: op.to_owned(),
            changes: Value::Object(
                row.into_iter()
                    .filter(|(_, v)| op == "insert" || v.is_null())
                    .collect(),
            ),
            hlc: clock.tick(now).to_string(),
            user_id: owner,
            device_id: None,
            batch_seq: None,
        });
    }
    let mut counter = changes::lock_counter(&mut tx).await.expect("counter");
    changes::append(&mut tx, &mut counter, &entries)
        .await
        .expect("log");
    tx.commit().await.expect("commit");
    ids
}

#[tokio::test]
async fn every_screen_reads_rows_whose_nullable_columns_are_all_null() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let core = registered_in_window(&app, dir.path()).await;
    let session = core.session().await.expect("signed in");
    let tenant = Uuid::parse_str(&session.tenant_id).expect("tenant");
    let owner = Uuid::parse_str(&session.user.id).expect("user");
    let doctor =
        Uuid::parse_str(session.user.doctor_id.as_deref().expect("owner is a doctor")).expect("doctor");
    pulled_everything(&app, &core).await;
    let ids = write_bare_rows(&app, tenant, owner, doctor).await;
    pulled_everything(&app, &core).await;
    let id = |t: &str| ids[t].to_string();
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();

    // Every screen the app has, over those rows.
    let doctors = core.clinic_doctors().await.expect("doctors list");
    assert!(doctors.iter().any(|d| d.id == id("doctors")), "{doctors:?}");
    let patients = core.search_patients("").await.expect("patient list");
    assert!(patients.iter().any(|p| p.id == id("patients")));
    assert!(
        !core
            .search_patients("Nul")
            .await
            .expect("patient search")
            .is_empty()
    );
    core.patient(&id("patients")).await.expect("patient");
    let chart = core.patient_chart(&id("patients")).await.expect("patient chart");
    assert_eq!(
        chart.appointments.len(),
        1,
        "the bare appointment is in the chart"
    );
    assert_eq!(
        chart.prescriptions.len(),
        1,
        "the bare prescription is in the chart"
    );
    assert_eq!(
        chart.referral_history.len(),
        1,
        "the bare referral record is in the chart"
    );
    let day = core
        .day_view(DayQuery {
            date: tomorrow.clone(),
            doctor_id: None,
            office_id: None,
        })
        .await
        .expect("day view");
    assert_eq!(day.appointments.len() + day.queue.len(), 1, "{day:?}");
    core.free_slots(SlotQuery {
        doctor_id: id("doctors"),
        date: tomorrow,
        duration_minutes: 15,
        office_id: None,
    })
    .await
    .expect("free slots");
    let medicines = core
        .search_medicines("Nullacillin")
        .await
        .expect("medicine search");
    assert!(medicines.iter().any(|m| m.id == id("medicines")), "{medicines:?}");
    let keys = core.short_keys().await.expect("short keys");
    assert!(keys.iter().any(|k| k.id == id("short_keys")), "{keys:?}");
    let lines = core.expand_short_key("NUL").await.expect("expand the bare key");
    assert_eq!(lines.len(), 1);
    let list = core.prescriptions("").await.expect("prescription list");
    assert!(list.iter().any(|p| p.id == id("prescriptions")));
    let rx = core
        .prescription(&id("prescriptions"))
        .await
        .expect("prescription");
    assert_eq!(rx.form.items.len(), 1);
    core.prescription_alerts(rx.form.clone())
        .await
        .expect("alerts over the bare rows");
    let layouts = core.print_layouts().await.expect("print layouts");
    assert!(
        layouts
            .iter()
            .any(|l| l.id.as_deref() == Some(id("print_layouts").as_str())),
        "{layouts:?}"
    );
    core.print_preview(&id("prescriptions"))
        .await
        .expect("print preview");
    let bills = core
        .patient_invoices(id("patients"))
        .await
        .expect("patient's bills");
    assert!(bills.iter().any(|b| b.id == id("invoices")), "{bills:?}");
    let bill = core.invoice(id("invoices")).await.expect("bill");
    assert_eq!(bill.payments.len(), 1, "the bare payment is on its bill");
    core.export_receipt_pdf(id("payments"))
        .await
        .expect("receipt of the bare payment");
    let today = chrono::Local::now().date_naive();
    let report = core
        .report(ReportQuery {
            from: today.to_string(),
            to: (today + chrono::Days::new(60)).to_string(),
            period: Period::Month,
        })
        .await
        .expect("reports over the bare rows");
    assert_eq!(report.bills, 1, "{report:?}");
    core.refused().await.expect("refused list");
}

#[tokio::test]
async fn the_table_description_carries_the_servers_defaults() {
    let app = TestApp::spawn().await;
    let defaults: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, column_default::text FROM information_schema.columns \
          WHERE table_schema = 'public' AND column_default IS NOT NULL",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("defaults");
    let mut compared = 0;
    for spec in TABLES {
        for column in spec.columns {
            let server = match defaults
                .iter()
                .find(|(t, c, _)| t == spec.name && c == column.name)
            {
                Some((_, _, expr)) => {
                    let sql = format!("SELECT to_jsonb({expr})");
                    let value: sqlx::types::Json<Value> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                        .fetch_one(&app.owner_pool)
                        .await
                        .expect("evaluate the default");
                    Some(value.0)
                }
                None => None,
            };
            assert_eq!(
                column.default_value(),
                server,
                "{}.{}: the table description and PostgreSQL disagree on the default",
                spec.name,
                column.name
            );
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} columns compared");
}
