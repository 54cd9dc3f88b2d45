//! Pushing the outbox: batch after batch, two on their way at a time.
//! While the server applies batch N, batch N+1 is cut from the store and
//! sent, so it reaches the server (which applies a device's batches in
//! order, holding N+1 until N is done) while N is still being applied: the
//! PC's work, the round trip and the server's reading of the request
//! overlap the apply of the batch before, instead of adding to it.
//!
//! Answers are recorded in order: N's before N+1's. If N's answer is lost,
//! N is sent again and the server, which keeps the answers to a device's
//! last two batches, gives the same answer; N+1 follows it again.

use std::sync::Arc;

use domain::error::ErrorCode;
use domain::sync::PushResponse;
use tokio::task::JoinHandle;

use super::{BATCH_OPS, SyncEngine, SyncReport};
use crate::error::{ClientError, StoreError};
use crate::store::Store;
use crate::store::outbox::{Acked, Batch};

/// Ops in the first batch of a push. Nothing overlaps the first batch's
/// cutting, sending and planning; the batches behind it overlap the batch
/// ahead. A small first batch has the server applying sooner, and the
/// next (full) batch is cut and planned while it is.
const FIRST_BATCH_OPS: usize = BATCH_OPS / 4;

/// A batch sent and not answered yet.
struct OnItsWay {
    batch: Batch,
    answer: JoinHandle<Result<PushResponse, ClientError>>,
    /// Sent before the batch ahead of it was answered: the server may have
    /// taken it up first and refused it as out of order.
    early: bool,
}

impl SyncEngine {
    pub(super) async fn push_all(&self, report: &mut SyncReport) -> Result<(), ClientError> {
        // A suspended clinic's server refuses every push; what this PC
        // wrote before it heard stays queued until the clinic is back.
        if self.store()?.clinic_suspended()?.is_some() {
            return Ok(());
        }
        let Some(first) = self.next_batch_of(FIRST_BATCH_OPS)? else {
            return Ok(());
        };
        let mut current = self.send(first, false)?;
        loop {
            let ahead = match self.cut_after(current.batch.batch_seq).await? {
                Some(batch) => Some(self.send(batch, true)?),
                None => None,
            };
            let response = match answer(current.answer).await {
                Ok(response) => response,
                Err(err) => {
                    // The batch behind it may be applied all the same; it is
                    // sent again after this one, and its answer replayed.
                    if let Some(ahead) = ahead {
                        settle(ahead).await;
                    }
                    if !(current.early && is_out_of_order(&err)) {
                        return Err(err);
                    }
                    // It overtook the batch before it; that one is answered
                    // now, so it goes again (exactly as cut, if it stands).
                    let stands = self.store()?.batch_stands(&current.batch)?;
                    let again = if stands {
                        Some(current.batch)
                    } else {
                        self.next_batch()?
                    };
                    match again {
                        Some(batch) => current = self.send(batch, false)?,
                        None => return Ok(()),
                    }
                    continue;
                }
            };
            let acked = self.ack(current.batch, response).await?;
            report.batches += 1;
            report.applied += acked.applied as u64;
            report.merged += acked.merged as u64;
            report.refused += acked.refused as u64;
            current = match ahead {
                Some(ahead) => ahead,
                None => match self.next_batch()? {
                    Some(batch) => self.send(batch, false)?,
                    None => return Ok(()),
                },
            };
        }
    }

    /// The next batch to send (the store's lock is released on return:
    /// `send` takes it again).
    fn next_batch(&self) -> Result<Option<Batch>, ClientError> {
        self.next_batch_of(BATCH_OPS)
    }

    fn next_batch_of(&self, max_ops: usize) -> Result<Option<Batch>, ClientError> {
        Ok(self.store()?.next_batch(max_ops)?)
    }

    /// Sends `batch` on its own task, so it travels while this one goes on.
    fn send(&self, batch: Batch, early: bool) -> Result<OnItsWay, ClientError> {
        let request = batch.request(self.store()?.device_id());
        let server = self.server.clone();
        let answer = tokio::spawn(async move { server.push(&request).await });
        Ok(OnItsWay { batch, answer, early })
    }

    /// Records the answer to `batch` on a blocking thread, so the async
    /// workers stay free for the answers and batches on their way (2,000
    /// acknowledgements take a SQLite transaction of 10-20 ms).
    async fn ack(&self, batch: Batch, response: PushResponse) -> Result<Acked, ClientError> {
        self.on_store_thread("recording an answer", move |store| {
            store.ack_batch(&batch, &response)
        })
        .await
    }

    /// Cuts the batch after `sent` (on its way) on a blocking thread.
    async fn cut_after(&self, sent: i64) -> Result<Option<Batch>, ClientError> {
        self.on_store_thread("cutting the next batch", move |store| {
            store.prepare_batch_after(sent, BATCH_OPS)
        })
        .await
    }

    /// Runs `work` on the store on a blocking thread (`doing` names it in
    /// the error if the thread stops).
    async fn on_store_thread<T: Send + 'static>(
        &self,
        doing: &'static str,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ClientError> {
        let store = Arc::clone(&self.store);
        let done = tokio::task::spawn_blocking(move || {
            let mut store = store
                .lock()
                .map_err(|_| StoreError::Corrupt("store lock poisoned".into()))?;
            work(&mut store)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("{doing} stopped: {e}")))??;
        Ok(done)
    }
}

async fn answer(task: JoinHandle<Result<PushResponse, ClientError>>) -> Result<PushResponse, ClientError> {
    task.await
        .map_err(|e| ClientError::Protocol(format!("a push stopped: {e}")))?
}

/// Waits for a batch whose answer will not be recorded now: whatever it
/// did, it is sent again in its turn and answered the same.
async fn settle(batch: OnItsWay) {
    if let Err(err) = answer(batch.answer).await {
        tracing::debug!(batch = batch.batch.batch_seq, error = %err, "a batch sent ahead was not applied");
    }
}

fn is_out_of_order(err: &ClientError) -> bool {
    matches!(
        err,
        ClientError::Server {
            code: ErrorCode::BatchOutOfOrder,
            ..
        }
    )
}
