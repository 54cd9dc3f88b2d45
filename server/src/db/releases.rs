//! Published desktop releases (global: read by every clinic's PCs).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Tx;

/// The versions published for a channel, target and arch.
pub async fn versions(
    tx: &mut Tx,
    channel: &str,
    target: &str,
    arch: &str,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    sqlx::query_as("SELECT id, version FROM releases WHERE channel = $1 AND target = $2 AND arch = $3")
        .bind(channel)
        .bind(target)
        .bind(arch)
        .fetch_all(&mut **tx)
        .await
}

/// What the updater is told of a release (not its bytes).
#[derive(Debug, sqlx::FromRow)]
pub struct ReleaseRow {
    pub version: String,
    pub signature: String,
    pub notes: String,
    pub published_at: DateTime<Utc>,
}

pub async fn one(tx: &mut Tx, id: Uuid) -> sqlx::Result<Option<ReleaseRow>> {
    sqlx::query_as("SELECT version, signature, notes, published_at FROM releases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A release's file name and bytes.
pub async fn bundle(tx: &mut Tx, id: Uuid) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    sqlx::query_as("SELECT file_name, bundle FROM releases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}
