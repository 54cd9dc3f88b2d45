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

/// The kind of every node of an `EXPLAIN (FORMAT JSON)` answer that reads
/// `relation` (`Index Scan`, `Seq Scan`, ...).
fn reads_of(explained: &Value, relation: &str) -> Vec<String> {
    let mut all = Vec::new();
    nodes(&explained[0]["Plan"], &mut all);
    all.iter()
        .filter(|n| n["Relation Name"] == relation)
        .filter_map(|n| n["Node Type"].as_str().map(str::to_owned))
        .collect()
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
    let on_patients = reads_of(&explained.0, "patients");
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

/// Log entries the clinic's conflict review searches among.
const LOG_ENTRIES: i64 = 20_000;

/// The change log has no index by row (a push paid for one on every entry
/// it wrote); the conflict review still finds the write each conflict kept
/// by look-ups, through the HLC, not by reading the clinic's whole log.
#[tokio::test]
async fn the_conflict_review_finds_each_kept_write_without_scanning_the_log() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Busy Clinic").await;
    // Entries from one PC, its clock ticking; conflicts on a few of them.
    sqlx::query(
        "INSERT INTO change_log (tenant_id, seq, table_name, row_id, op, changes, hlc, user_id, prev_hash, hash) \
         SELECT $1, 1000 + n, 'patients', gen_random_uuid(), 'update', '{}', \
                lpad(to_hex(1700000000000 + n), 12, '0') || '-000000-' || repeat('ab', 16), $2, \
                decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex') \
           FROM generate_series(1, $3) n",
    )
    .bind(clinic.tenant_id)
    .bind(clinic.owner_id)
    .bind(LOG_ENTRIES)
    .execute(&app.owner_pool)
    .await
    .expect("log entries");
    sqlx::query(
        "INSERT INTO sync_conflicts (tenant_id, id, table_name, row_id, field, winning_hlc, losing_hlc, losing_user_id) \
         SELECT tenant_id, gen_random_uuid(), table_name, row_id, 'notes', hlc, hlc, user_id \
           FROM change_log WHERE tenant_id = $1 AND seq % 1000 = 0",
    )
    .bind(clinic.tenant_id)
    .execute(&app.owner_pool)
    .await
    .expect("conflicts");
    sqlx::query("ANALYZE change_log, sync_conflicts")
        .execute(&app.owner_pool)
        .await
        .expect("analyze");

    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let sql = format!(
        "EXPLAIN (FORMAT JSON) {}",
        clinic_server::db::sync::OPEN_CONFLICTS
    );
    let explained: sqlx::types::Json<Value> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *tx)
        .await
        .expect("explain");
    let on_log = reads_of(&explained.0, "change_log");
    assert!(!on_log.is_empty(), "the review reads the log: {}", explained.0);
    assert!(
        on_log.iter().all(|kind| kind.starts_with("Index")),
        "every read of the log is a look-up, got {on_log:?}: {}",
        explained.0
    );
    // And it finds them: every conflict names who wrote the value kept.
    let open = clinic_server::db::sync::open_conflicts(&mut tx)
        .await
        .expect("open conflicts");
    assert_eq!(open.len() as i64, LOG_ENTRIES / 1000);
    assert!(
        open.iter()
            .all(|c| c.kept_by_name.is_some() && c.kept_at.is_some())
    );
}
