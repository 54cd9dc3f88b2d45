//! Loading a snapshot's rows into the store on two cores: this task reads
//! and decodes the stream while a blocking thread writes the chunks before
//! it into SQLite. Progress counts rows committed, so the bar never runs
//! ahead of what the PC holds.

use std::sync::{Arc, Mutex};

use domain::sync::SnapshotRow;
use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc;

use crate::error::{ClientError, StoreError};
use crate::store::Store;

/// Decoded chunks waiting for the writer. The writer is the slower side
/// (measured: busy 1.6 s of 1.8 s for 100k rows), so one waiting chunk
/// keeps it busy; more only cost memory.
const CHUNKS_AHEAD: usize = 1;

/// Writes `rows` into `store` in chunks of `chunk_rows`, calling
/// `on_written` with the rows written so far after each chunk commits.
/// Returns the rows written.
pub async fn load(
    store: Arc<Mutex<Store>>,
    rows: impl Stream<Item = Result<SnapshotRow, ClientError>>,
    chunk_rows: usize,
    mut on_written: impl FnMut(u64),
) -> Result<u64, ClientError> {
    let (chunks, mut to_write) = mpsc::channel::<Vec<SnapshotRow>>(CHUNKS_AHEAD);
    let (written_tx, mut written) = mpsc::unbounded_channel::<u64>();
    let writer = tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
        let mut total = 0u64;
        while let Some(chunk) = to_write.blocking_recv() {
            store
                .lock()
                .map_err(|_| StoreError::Corrupt("store lock poisoned".into()))?
                .apply_snapshot_rows(&chunk)?;
            total += chunk.len() as u64;
            // The reader may have stopped listening after a failure.
            let _ = written_tx.send(total);
        }
        Ok(())
    });
    let read = read_chunks(rows, chunk_rows, &chunks, &mut written, &mut on_written).await;
    drop(chunks);
    // A write failure closes the channel under the reader: the writer's
    // error is the cause, so it comes first.
    writer
        .await
        .map_err(|e| ClientError::Protocol(format!("the snapshot writer stopped: {e}")))??;
    read?;
    let mut done = 0;
    while let Some(total) = written.recv().await {
        done = total;
        on_written(total);
    }
    Ok(done)
}

async fn read_chunks(
    rows: impl Stream<Item = Result<SnapshotRow, ClientError>>,
    chunk_rows: usize,
    chunks: &mpsc::Sender<Vec<SnapshotRow>>,
    written: &mut mpsc::UnboundedReceiver<u64>,
    on_written: &mut impl FnMut(u64),
) -> Result<(), ClientError> {
    let mut rows = std::pin::pin!(rows);
    let mut chunk = Vec::with_capacity(chunk_rows);
    while let Some(row) = rows.next().await {
        chunk.push(row?);
        if chunk.len() >= chunk_rows {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(chunk_rows));
            if chunks.send(full).await.is_err() {
                return Ok(()); // the writer failed; `load` reports why
            }
            while let Ok(total) = written.try_recv() {
                on_written(total);
            }
        }
    }
    if !chunk.is_empty() {
        let _ = chunks.send(chunk).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use domain::ids::TenantId;
    use futures_util::stream;
    use serde_json::json;

    use super::*;

    fn patient(n: usize) -> Result<SnapshotRow, ClientError> {
        let row = json!({
            "id": uuid::Uuid::now_v7(), "field_hlc": {}, "first_name": format!("Patient{n}"),
            "mobile_number": format!("+9190000{n:05}"), "date_of_birth": "1990-01-01", "gender": "female",
        });
        Ok(SnapshotRow {
            table: "patients".into(),
            global: false,
            row: row.as_object().cloned().unwrap_or_default(),
        })
    }

    fn store() -> (tempfile::TempDir, Arc<Mutex<Store>>) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_plain(dir.path(), TenantId::from_uuid(uuid::Uuid::now_v7())).expect("store");
        (dir, Arc::new(Mutex::new(store)))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn progress_counts_only_rows_the_store_holds_and_ends_at_the_total() {
        let (_dir, store) = store();
        let rows = stream::iter((0..7_000).map(patient));
        let mut reported = Vec::new();
        let held = store.clone();
        let done = load(store.clone(), rows, 2_500, |n| {
            let count = held.lock().expect("store").count("patients").expect("count");
            assert!(count >= n as i64, "reported {n} rows with {count} written");
            reported.push(n);
        })
        .await
        .expect("loaded");
        assert_eq!(done, 7_000);
        assert_eq!(reported, [2_500, 5_000, 7_000], "one report per committed chunk");
        assert_eq!(
            store.lock().expect("store").count("patients").expect("count"),
            7_000
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bad_row_fails_the_load_with_the_stores_error() {
        let (_dir, store) = store();
        let mut rows: Vec<_> = (0..3_000).map(patient).collect();
        rows.push(Ok(SnapshotRow {
            table: "patients".into(),
            global: false,
            row: serde_json::Map::new(),
        }));
        let failed = load(store, stream::iter(rows), 2_500, |_| {}).await;
        assert!(
            matches!(failed, Err(ClientError::Store(StoreError::Invalid(_)))),
            "{failed:?}"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_broken_stream_stops_the_load_with_its_error() {
        let (_dir, store) = store();
        let mut rows: Vec<_> = (0..100).map(patient).collect();
        rows.push(Err(ClientError::Protocol("connection reset".into())));
        let failed = load(store, stream::iter(rows), 2_500, |_| {}).await;
        assert!(matches!(failed, Err(ClientError::Protocol(_))), "{failed:?}");
    }
}
