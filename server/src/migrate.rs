//! The embedded migrations (`migrations/` at the workspace root), run as
//! the owner role.

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Applies every pending migration.
pub async fn up(owner_url: &str) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new().max_connections(1).connect(owner_url).await?;
    MIGRATOR.run(&pool).await?;
    pool.close().await;
    Ok(())
}

/// Reverts applied migrations newer than `target` (0 = all of them).
pub async fn down_to(owner_url: &str, target: i64) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new().max_connections(1).connect(owner_url).await?;
    MIGRATOR.undo(&pool, target).await?;
    pool.close().await;
    Ok(())
}
