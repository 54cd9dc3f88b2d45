//! Pushing the outbox: batch after batch, each acknowledged before the next
//! is sent. While a batch is on its way, the next one is cut and read from
//! the store on another thread, so the PC's part of the work overlaps the
//! server's instead of adding to it.

use std::sync::{Arc, Mutex};

use domain::sync::PushResponse;

use super::{BATCH_OPS, SyncEngine, SyncReport};
use crate::error::{ClientError, StoreError};
use crate::store::Store;
use crate::store::outbox::Batch;

impl SyncEngine {
    pub(super) async fn push_all(&self, report: &mut SyncReport) -> Result<(), ClientError> {
        // A suspended clinic's server refuses every push; what this PC
        // wrote before it heard stays queued until the clinic is back.
        if self.store()?.clinic_suspended()?.is_some() {
            return Ok(());
        }
        let mut next = self.store()?.next_batch(BATCH_OPS)?;
        while let Some(batch) = next {
            let (response, ahead) = self.send_cutting_ahead(&batch).await?;
            let acked = self.store()?.ack_batch(&batch, &response)?;
            report.batches += 1;
            report.applied += acked.applied as u64;
            report.merged += acked.merged as u64;
            report.refused += acked.refused as u64;
            next = match ahead {
                Some(ahead) if self.store()?.batch_stands(&ahead)? => Some(ahead),
                _ => self.store()?.next_batch(BATCH_OPS)?,
            };
        }
        Ok(())
    }

    /// Sends `batch` and, meanwhile, cuts the batch after it.
    async fn send_cutting_ahead(&self, batch: &Batch) -> Result<(PushResponse, Option<Batch>), ClientError> {
        let request = batch.request(self.store()?.device_id());
        let store = Arc::clone(&self.store);
        let sent = batch.batch_seq;
        let cutting = tokio::task::spawn_blocking(move || cut_after(&store, sent));
        let response = self.server.push(&request).await;
        // The cut is awaited even when the push failed: it only tags
        // entries, and a batch cut ahead is sent after `sent` or cut afresh.
        let ahead = cutting
            .await
            .map_err(|e| StoreError::Corrupt(format!("cutting the next batch stopped: {e}")))??;
        Ok((response?, ahead))
    }
}

fn cut_after(store: &Mutex<Store>, sent: i64) -> Result<Option<Batch>, StoreError> {
    store
        .lock()
        .map_err(|_| StoreError::Corrupt("store lock poisoned".into()))?
        .prepare_batch_after(sent, BATCH_OPS)
}
