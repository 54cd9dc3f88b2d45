//! A push's cost follows its batch, not the size of the clinic: the rows a
//! batch touches are looked up by key, never by scanning the clinic's table.

use clinic_server::sync::rows;
use clinic_tests::TestApp;
use serde_json::Value;
use uuid::Uuid;

const PATIENTS: i64 = 5_000;
/// A full batch of the PC's outbox.
const BATCH: i64 = 2_000;

/// Every plan node of an `EXPLAIN (FORMAT JSON)` answer, depth first.
fn nodes(plan: &Value, out: &mut Vec<Value>) {
    out.push(plan.clone());
    for child in plan["Plans"].as_array().into_iter().flatten() {
        nodes(child, out);
    }
}

#[tokio::test]
async fn a_batch_reads_its_rows_by_key_not_the_whole_clinic_table() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Large Clinic").await;
    sqlx::query(
        "INSERT INTO patients (tenant_id, id, mobile_number, first_name, date_of_birth, gender, \
                               created_by, updated_by) \
         SELECT $1, gen_random_uuid(), '+91987' || lpad(n::text, 7, '0'), 'Patient ' || n, \
                '1990-01-01', 'female', $2, $2 \
           FROM generate_series(1, $3) n",
    )
    .bind(clinic.tenant_id)
    .bind(clinic.owner_id)
    .bind(PATIENTS)
    .execute(&app.owner_pool)
    .await
    .expect("patients");
    // The planner weighs the table as its statistics describe it.
    sqlx::query("ANALYZE patients")
        .execute(&app.owner_pool)
        .await
        .expect("analyze");
    let ids: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM patients WHERE tenant_id = $1 LIMIT $2")
        .bind(clinic.tenant_id)
        .bind(BATCH)
        .fetch_all(&app.owner_pool)
        .await
        .expect("ids");
    assert_eq!(ids.len() as i64, BATCH);

    let spec = domain::sync::tables::table("patients").expect("patients is synced");
    let sql = format!(
        "EXPLAIN (FORMAT JSON) {}",
        rows::load_sql(spec, &["notes", "mobile_number"])
    );
    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let explained: sqlx::types::Json<Value> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(&ids)
        .fetch_one(&mut *tx)
        .await
        .expect("explain");
    let mut all = Vec::new();
    nodes(&explained.0[0]["Plan"], &mut all);
    let on_patients: Vec<&str> = all
        .iter()
        .filter(|n| n["Relation Name"] == "patients")
        .filter_map(|n| n["Node Type"].as_str())
        .collect();
    assert!(
        !on_patients.is_empty(),
        "the plan reads patients: {}",
        explained.0
    );
    assert!(
        on_patients.iter().all(|kind| kind.starts_with("Index")),
        "every read of patients is a look-up by key, got {on_patients:?}: {}",
        explained.0
    );
}
