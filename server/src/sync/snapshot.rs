//! The first sync of a new PC: every current row of the clinic, as of one
//! consistent cursor, streamed as NDJSON from a REPEATABLE READ snapshot.
//!
//! The stream holds a pooled connection and one unit of the clinic's
//! share until it ends, so a reader that stops reading is cut off after
//! [`READER_STALL`] instead of pinning them for as long as it likes.

use std::time::Duration;

use axum::body::{Body, Bytes};
use domain::sync::{PROTOCOL_VERSION, SnapshotHeader, TABLES};
use futures_util::StreamExt;
use tokio::sync::{OwnedSemaphorePermit, mpsc};

use super::rows;
use crate::auth::Claims;
use crate::db::{self, Tx};
use crate::error::ApiResult;

/// Bytes buffered before a chunk is sent.
const CHUNK_BYTES: usize = 256 * 1024;
/// How long a reader may leave a chunk untaken before the stream ends.
pub const READER_STALL: Duration = Duration::from_secs(20);

/// Opens the snapshot and returns a body that streams it; `share` is
/// released when the stream ends.
pub async fn stream(pool: &sqlx::PgPool, auth: &Claims, share: OwnedSemaphorePermit) -> ApiResult<Body> {
    let mut tx = pool.begin().await?;
    // Every query of the stream sees the same instant as the cursor below.
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    db::set_tenant(&mut tx, auth.tid).await?;
    let position = db::changes::position(&mut tx).await?;
    let total_rows = count_rows(&mut tx).await?;
    let last_batch = db::sync::last_batch(&mut tx, auth.did.as_uuid()).await?;
    let header = serde_json::to_string(&SnapshotHeader {
        protocol: PROTOCOL_VERSION,
        cursor: position.last_seq,
        total_rows,
        epoch: Some(position.epoch),
        last_batch_seq: Some(last_batch.map_or(0, |b| b.seq)),
    })
    .map_err(|e| crate::error::ApiError::Internal(e.into()))?;

    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::spawn(async move {
        let _share = share;
        if let Err(err) = produce(tx, header, &sender).await {
            tracing::warn!(error = %err, "snapshot stream ended early");
            let _ = sender.send(Err(std::io::Error::other("snapshot failed"))).await;
        }
    });
    let body = futures_util::stream::unfold(receiver, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok(Body::from_stream(body))
}

async fn count_rows(tx: &mut Tx) -> sqlx::Result<i64> {
    let counts: Vec<String> = TABLES
        .iter()
        .map(|t| format!("(SELECT count(*) FROM {} WHERE deleted_at IS NULL)", t.name))
        .collect();
    let sql = format!("SELECT ({})::bigint", counts.join(" + "));
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut **tx)
        .await
}

async fn produce(
    mut tx: Tx,
    header: String,
    sender: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> anyhow::Result<()> {
    let mut buf = String::with_capacity(CHUNK_BYTES + 4096);
    buf.push_str(&header);
    buf.push('\n');
    for table in TABLES {
        let sql = format!(
            "SELECT '{{\"table\":\"{}\",' || CASE WHEN global THEN '\"global\":true,' ELSE '' END \
                 || '\"row\":' || row_json || '}}' FROM ({}) AS s(row_json, global)",
            table.name,
            rows::snapshot_select(table)
        );
        let mut lines = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).fetch(&mut *tx);
        while let Some(line) = lines.next().await {
            buf.push_str(&line?);
            buf.push('\n');
            if buf.len() >= CHUNK_BYTES {
                let chunk = std::mem::replace(&mut buf, String::with_capacity(CHUNK_BYTES + 4096));
                send(sender, chunk).await?;
            }
        }
    }
    if !buf.is_empty() {
        send(sender, buf).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn send(sender: &mpsc::Sender<Result<Bytes, std::io::Error>>, chunk: String) -> anyhow::Result<()> {
    tokio::time::timeout(READER_STALL, sender.send(Ok(Bytes::from(chunk))))
        .await
        .map_err(|_| anyhow::anyhow!("the reader took no data for {READER_STALL:?}"))??;
    Ok(())
}
