//! The database catalog proves the isolation set-up: RLS enabled and
//! forced everywhere, and an application role that can bypass nothing.

use clinic_tests::TestApp;
use sqlx::Row;

#[tokio::test]
async fn every_tenant_table_has_forced_rls_with_a_tenant_policy() {
    let app = TestApp::spawn().await;
    let rows = sqlx::query(
        "SELECT c.relname::text AS name, c.relrowsecurity, c.relforcerowsecurity,
                (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
                (SELECT bool_and(pg_get_expr(p.polqual, p.polrelid) LIKE '%app_tenant()%'
                                 OR p.polcmd = 'a')
                   FROM pg_policy p WHERE p.polrelid = c.oid) AS keyed_on_tenant
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("catalog");
    assert!(rows.len() >= 23, "tenants and every clinic table: {}", rows.len());
    for row in rows {
        let name: String = row.get("name");
        assert!(row.get::<bool, _>("relrowsecurity"), "{name}: RLS not enabled");
        assert!(
            row.get::<bool, _>("relforcerowsecurity"),
            "{name}: RLS not forced"
        );
        assert!(row.get::<i64, _>("policies") > 0, "{name}: no policy");
        assert_eq!(
            row.get::<Option<bool>, _>("keyed_on_tenant"),
            Some(true),
            "{name}: a policy ignores the tenant"
        );
    }
}

#[tokio::test]
async fn the_app_role_is_unprivileged_and_owns_nothing() {
    let app = TestApp::spawn().await;
    let row = sqlx::query(
        "SELECT current_user::text AS me, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb
           FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&app.app_pool)
    .await
    .expect("role");
    assert_eq!(
        row.get::<String, _>("me"),
        "clinic_app",
        "the server connects as the app role"
    );
    for attribute in ["rolsuper", "rolbypassrls", "rolcreaterole", "rolcreatedb"] {
        assert!(!row.get::<bool, _>(attribute), "app role has {attribute}");
    }
    let owned: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
              + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
              + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
              + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
              + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)
           FROM pg_roles r WHERE r.rolname = 'clinic_app'",
    )
    .fetch_one(&app.owner_pool)
    .await
    .expect("ownership");
    assert_eq!(owned, 0, "the app role owns nothing");
}

#[tokio::test]
async fn no_security_definer_function_returns_rows() {
    let app = TestApp::spawn().await;
    let definers: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.proname::text, pg_get_function_result(p.oid)
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("functions");
    // Two look-ups that must work before any clinic context exists, each
    // answering identifiers of clinics only: the id for a typed code (sign
    // in), and the codes for an e-mail address, which the server mails to
    // that address and never shows the asker.
    assert_eq!(
        definers,
        vec![
            (
                "clinic_codes_for_email".to_owned(),
                "TABLE(code text, clinic_name text)".to_owned()
            ),
            ("tenant_id_for_code".to_owned(), "uuid".to_owned()),
        ]
    );
    let views: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'v'
            AND NOT coalesce(c.reloptions @> ARRAY['security_invoker=true'], false)",
    )
    .fetch_one(&app.owner_pool)
    .await
    .expect("views");
    assert_eq!(views, 0, "views must be security_invoker");
}

#[tokio::test]
async fn the_server_refuses_to_run_as_a_role_that_bypasses_rls() {
    let app = TestApp::spawn().await;
    let owner_url = clinic_tests::cluster::shared().addr.owner_url(&app.database);
    let config = clinic_server::Config::new(owner_url, vec![1u8; 32]);
    let err = clinic_server::AppState::connect(&config)
        .await
        .expect_err("owner role refused");
    assert!(err.to_string().contains("bypasses row-level security"), "{err}");
}

#[tokio::test]
async fn every_clinic_reads_the_seeded_medicine_catalog() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Catalog Clinic").await;
    let mut tx = app.app_tx(Some(clinic.tenant_id)).await;
    let (count, categories, with_composition): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT category), count(*) FILTER (WHERE composition <> '' AND strength IS NOT NULL) \
           FROM medicines WHERE tenant_id IS NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .expect("catalog");
    assert!(count >= 150, "{count} global medicines");
    assert!(categories >= 20, "{categories} categories");
    assert_eq!(
        with_composition, count,
        "every seeded medicine has composition and strength"
    );
    let amoxicillin: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM medicines WHERE tenant_id IS NULL AND 'penicillin allergy' = ANY (contraindications) \
           AND generic_name ILIKE 'amoxicillin%' ORDER BY name",
    )
    .fetch_all(&mut *tx)
    .await
    .expect("search");
    assert!(amoxicillin.len() >= 3, "{amoxicillin:?}");
}
