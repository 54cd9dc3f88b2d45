//! The operator's whole-server backup with PostgreSQL's own tools, exactly
//! as README's "Backups" gives it: `pg_dump` of the database as the owner
//! role, then in a fresh cluster the two roles, the database and
//! `pg_restore`. Row-Level Security must come back forced on every clinic
//! table, so the restored server keeps clinics apart as before.

use std::process::Command;

use clinic_server::pgcluster::{PrivateCluster, bin_dir};
use clinic_tests::TestApp;
use clinic_tests::pc::{Device, patient};
use domain::sync::OpKind;
use uuid::Uuid;

fn run(command: &mut Command) {
    let out = command.output().expect("the PostgreSQL tool runs");
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_pg_dump_restores_into_a_fresh_cluster_with_rls_still_forced() {
    let app = TestApp::spawn().await;
    let mut clinics = Vec::new();
    for (name, count) in [("Dump Clinic One", 3), ("Dump Clinic Two", 2)] {
        let clinic = app.register_clinic(name).await;
        let mut pc = Device::new(clinic.device_id, &clinic.access_token);
        let ops: Vec<_> = (0..count)
            .map(|i| {
                pc.op(
                    "patients",
                    Uuid::now_v7(),
                    OpKind::Insert,
                    patient("Dumped", &format!("+91980000040{i}")),
                )
            })
            .collect();
        assert!(
            pc.push(&app, &ops)
                .await
                .op_results()
                .iter()
                .all(|r| r == "applied")
        );
        clinics.push((clinic, count));
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let bin = bin_dir().expect("postgres binaries");
    let dump = dir.path().join("clinic.dump");
    let owner_url = clinic_tests::cluster::shared().addr.owner_url(&app.database);
    run(Command::new(bin.join("pg_dump"))
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .args(["--dbname", &owner_url]));

    let mut fresh = PrivateCluster::start(&dir.path().join("fresh"), false).expect("a fresh cluster");
    fresh.addr.create_roles().await.expect("roles");
    fresh
        .addr
        .create_database("clinic", None)
        .await
        .expect("database");
    run(Command::new(bin.join("pg_restore"))
        .args([
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            &fresh.addr.owner_url("clinic"),
        ])
        .arg(&dump));

    let owner = sqlx::PgPool::connect(&fresh.addr.owner_url("clinic"))
        .await
        .expect("owner");
    let unprotected: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c \
           JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' \
          WHERE c.relkind = 'r' \
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') \
            AND NOT (c.relrowsecurity AND c.relforcerowsecurity \
                     AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)) \
          ORDER BY 1",
    )
    .fetch_all(&owner)
    .await
    .expect("tables");
    assert!(
        unprotected.is_empty(),
        "tables without forced RLS: {unprotected:?}"
    );
    let clinic_tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' \
          WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace",
    )
    .fetch_one(&owner)
    .await
    .expect("count");
    assert!(clinic_tables >= 20, "{clinic_tables}");

    // As the application role: nothing without a clinic, each clinic's own
    // rows with one.
    let app_pool = sqlx::PgPool::connect(&fresh.addr.app_url("clinic"))
        .await
        .expect("app role");
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM patients")
        .fetch_one(&app_pool)
        .await
        .expect("count");
    assert_eq!(none, 0, "no clinic set, no rows");
    for (clinic, count) in &clinics {
        let mut tx = app_pool.begin().await.expect("tx");
        sqlx::query("SELECT set_config('app.current_tenant_id', $1, true)")
            .bind(clinic.tenant_id.to_string())
            .execute(&mut *tx)
            .await
            .expect("tenant");
        let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM patients")
            .fetch_one(&mut *tx)
            .await
            .expect("count");
        assert_eq!(seen, *count, "{} sees its own patients only", clinic.code);
    }
    let code = domain::tenant::TenantCode::parse(&clinics[0].0.code).expect("code");
    let report = clinic_server::sync::chain::verify_clinic(&owner, &code)
        .await
        .expect("verify")
        .expect("clinic");
    let (last_seq, _) = app.chain_head(clinics[0].0.tenant_id).await;
    assert!(report.first_bad.is_none() && !report.head_mismatch, "{report:?}");
    assert_eq!(report.checked, last_seq, "the whole change log came along");
    owner.close().await;
    app_pool.close().await;
    fresh.stop().expect("stop");
}
