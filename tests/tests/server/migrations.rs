//! Migrations are reversible: down to nothing, then up again.

use clinic_server::migrate;
use clinic_tests::{TestApp, cluster};

#[tokio::test]
async fn migrations_revert_and_reapply() {
    let app = TestApp::spawn().await;
    app.owner_pool.close().await;
    app.app_pool.close().await;
    let url = cluster::shared().addr.owner_url(&app.database);
    let tables = |url: String| async move {
        let pool = sqlx::PgPool::connect(&url).await.expect("connect");
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations'",
        )
        .fetch_one(&pool)
        .await
        .expect("count");
        pool.close().await;
        n
    };
    let before = tables(url.clone()).await;
    assert!(before >= 24, "{before}");
    migrate::down_to(&url, 0).await.expect("revert all");
    assert_eq!(tables(url.clone()).await, 0);
    migrate::up(&url).await.expect("reapply");
    assert_eq!(tables(url.clone()).await, before);
}
