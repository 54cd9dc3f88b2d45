//! The sync engine: push the outbox in batches, pull the clinic's changes
//! page by page (a snapshot first on a new PC), keep a status for the UI,
//! and in `run` keep doing so with backoff and live wake-ups.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use contract::app::{SyncProgress as Progress, SyncStatus};
use domain::sync::{PushResponse, SnapshotHeader};
use futures_util::StreamExt;
use tokio::sync::{Notify, watch};

use crate::error::{ClientError, StoreError};
use crate::http::ServerClient;
use crate::store::Store;
use crate::store::outbox::Batch;

mod push;

/// Ops per pushed batch.
pub const BATCH_OPS: usize = 2_000;
/// Changes per pulled page.
pub const PULL_PAGE: i64 = 2_000;
/// Snapshot rows per local transaction. Three chunks are in memory while
/// the snapshot loads (one read, one waiting, one written): 2,500 rows
/// kept the PC's peak at 81 MiB against 108 MiB with 5,000, at the same
/// speed within noise.
pub const SNAPSHOT_CHUNK: usize = 2_500;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub snapshot_rows: u64,
    pub batches: u64,
    pub applied: u64,
    pub merged: u64,
    pub refused: u64,
    pub pulled: u64,
}

#[derive(Debug)]
pub struct SyncEngine {
    store: Arc<Mutex<Store>>,
    server: ServerClient,
    status: watch::Sender<SyncStatus>,
    wake: Notify,
    /// Clinical values waiting for review in the whole clinic, as the
    /// server last said (this PC's own losses until it has).
    clinic_conflicts: Mutex<Option<i64>>,
    /// One round at a time: the background loop and a command that needs
    /// the server's answer on this PC now (`sync_once`) take turns.
    round: tokio::sync::Mutex<()>,
    /// The live stream is open: the server says when to pull, so the loop
    /// only checks in rarely.
    streaming: std::sync::atomic::AtomicBool,
}

/// Between rounds with nothing to do: without the live stream, and with it
/// (a safety net only; every change arrives as an event).
const POLL_WITHOUT_STREAM: Duration = Duration::from_secs(30);
const POLL_WITH_STREAM: Duration = Duration::from_secs(300);

impl SyncEngine {
    pub fn new(store: Store, server: ServerClient) -> Self {
        let (status, _) = watch::channel(SyncStatus::default());
        let engine = Self {
            store: Arc::new(Mutex::new(store)),
            server,
            status,
            wake: Notify::new(),
            clinic_conflicts: Mutex::new(None),
            round: tokio::sync::Mutex::new(()),
            streaming: std::sync::atomic::AtomicBool::new(false),
        };
        engine.refresh_status(None, None);
        engine
    }

    pub fn server(&self) -> &ServerClient {
        &self.server
    }

    /// The store, for local reads and writes. Hold the guard briefly.
    pub fn store(&self) -> Result<MutexGuard<'_, Store>, StoreError> {
        self.store
            .lock()
            .map_err(|_| StoreError::Corrupt("store lock poisoned".into()))
    }

    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// Tells a running engine there is something new to push.
    pub fn local_change(&self) {
        self.refresh_status(None, None);
        self.wake.notify_one();
    }

    fn refresh_status(&self, online: Option<bool>, error: Option<Option<String>>) {
        let Ok(store) = self.store() else { return };
        let pending = store.pending_count().unwrap_or_default();
        let local = store.open_conflicts().unwrap_or_default();
        let conflicts = self
            .clinic_conflicts
            .lock()
            .ok()
            .and_then(|c| *c)
            .unwrap_or(local);
        let refused = store.refused().map(|r| r.len() as i64).unwrap_or_default();
        let cursor = store.cursor().ok().flatten();
        let last_sync_at = store.state("last_sync_at").ok().flatten();
        let clinic_suspended = store.clinic_suspended().ok().flatten();
        drop(store);
        self.status.send_modify(|s| {
            s.pending = pending;
            s.conflicts = conflicts;
            s.refused = refused;
            s.cursor = cursor;
            s.last_sync_at = last_sync_at;
            s.clinic_suspended = clinic_suspended;
            if let Some(online) = online {
                s.online = online;
            }
            if let Some(error) = error {
                s.last_error = error;
            }
        });
    }

    /// One full round: first sync if needed, push everything, pull
    /// everything. Updates the status either way.
    pub async fn sync_once(&self) -> Result<SyncReport, ClientError> {
        let _turn = self.round.lock().await;
        let result = self.round().await;
        match &result {
            Ok(_) => {
                self.store()?.note_sync(None)?;
                self.refresh_status(Some(true), Some(None));
            }
            Err(err) => {
                let message = err.to_string();
                self.store()?.note_sync(Some(&message))?;
                let online = !matches!(err, ClientError::Offline(_));
                self.refresh_status(Some(online), Some(Some(message)));
            }
        }
        result
    }

    #[tracing::instrument(skip_all, err(level = "info"))]
    async fn round(&self) -> Result<SyncReport, ClientError> {
        let mut report = SyncReport::default();
        let needs_snapshot = {
            let store = self.store()?;
            store.cursor()?.is_none() || store.resync_needed()?
        };
        if needs_snapshot {
            report.snapshot_rows = self.first_sync(|_, _| {}).await?;
        }
        // Pull first: local pending writes stay on top of what arrives
        // (newer field clocks win), then push, then pull to catch up.
        self.pull_all(&mut report).await?;
        self.push_all(&mut report).await?;
        self.pull_all(&mut report).await?;
        self.push_audit().await?;
        Ok(report)
    }

    /// Hands recorded views/prints/exports to the server's audit trail,
    /// in batches; each batch is forgotten locally once the server has it.
    pub async fn push_audit(&self) -> Result<u64, ClientError> {
        let mut sent = 0;
        loop {
            let mut events = self.store()?.pending_audit(domain::api::AuditBatch::MAX_EVENTS)?;
            if events.is_empty() {
                return Ok(sent);
            }
            // The server keeps 90 days of a PC's backlog; older events (a PC
            // offline for months) would block every later one.
            let oldest =
                chrono::Utc::now() - chrono::Duration::days(domain::api::AuditBatch::MAX_AGE_DAYS - 1);
            let (kept, stale): (Vec<_>, Vec<_>) = events.drain(..).partition(|e| e.occurred_at >= oldest);
            if !stale.is_empty() {
                tracing::warn!(
                    count = stale.len(),
                    "audit events older than the server keeps were dropped"
                );
                self.store()?
                    .audit_sent(&stale.iter().map(|e| e.id).collect::<Vec<_>>())?;
            }
            let events = kept;
            if events.is_empty() {
                continue;
            }
            let ids: Vec<uuid::Uuid> = events.iter().map(|e| e.id).collect();
            let _: domain::api::AuditAccepted = self
                .server
                .post("/sync/audit", &domain::api::AuditBatch { events })
                .await?;
            self.store()?.audit_sent(&ids)?;
            sent += ids.len() as u64;
        }
    }

    /// Pushes the whole outbox without pulling.
    pub async fn push_pending(&self) -> Result<SyncReport, ClientError> {
        let mut report = SyncReport::default();
        self.push_all(&mut report).await?;
        self.refresh_status(Some(true), None);
        Ok(report)
    }

    /// Sends the next batch and returns the answer without recording it
    /// (`ack` does that). Public so a test can lose the answer on purpose.
    pub async fn send_next_batch(&self) -> Result<Option<(Batch, PushResponse)>, ClientError> {
        let (batch, device) = {
            let mut store = self.store()?;
            (store.next_batch(BATCH_OPS)?, store.device_id())
        };
        let Some(batch) = batch else { return Ok(None) };
        let response = self.server.push(&batch.request(device)).await?;
        Ok(Some((batch, response)))
    }

    async fn pull_all(&self, report: &mut SyncReport) -> Result<(), ClientError> {
        loop {
            let (since, pending, epoch) = {
                let store = self.store()?;
                (
                    store.cursor()?.unwrap_or(0),
                    store.pending_count()?,
                    store.epoch()?,
                )
            };
            let page = self.server.pull(since, PULL_PAGE, pending, epoch).await?;
            if page.snapshot_required {
                report.snapshot_rows += self.first_sync(|_, _| {}).await?;
                continue;
            }
            self.store()?.apply_page(&page.changes, page.cursor)?;
            if let (None, Some(epoch)) = (epoch, page.epoch) {
                self.store()?.set_epoch(epoch)?;
            }
            if let Some(standing) = &page.standing {
                self.store()?.set_standing(standing)?;
            }
            if let (Some(open), Ok(mut known)) = (page.open_conflicts, self.clinic_conflicts.lock()) {
                *known = Some(open);
            }
            report.pulled += page.changes.len() as u64;
            if !page.has_more {
                return Ok(());
            }
        }
    }

    /// Loads the clinic's current rows from a snapshot, in large local
    /// transactions, reporting (rows done, total). Then the cursor is set
    /// to the snapshot's, from where the log continues.
    #[tracing::instrument(skip_all, err(level = "info"))]
    pub async fn first_sync(&self, mut on_progress: impl FnMut(u64, u64)) -> Result<u64, ClientError> {
        let (header, rows) = self.server.snapshot().await?;
        let (cursor, epoch) = {
            let store = self.store()?;
            (store.cursor()?, store.epoch()?)
        };
        let resync = cursor.is_some();
        if resync {
            self.store()?.begin_resync()?;
        }
        if restored_since(cursor, epoch, &header) {
            tracing::warn!(
                "the clinic was restored from a backup: resyncing, keeping this PC's unsent changes"
            );
            self.store()?.rebase_batches(header.last_batch_seq.unwrap_or(0))?;
        }
        let total = u64::try_from(header.total_rows).unwrap_or_default();
        let progress = |done| Some(Progress { done, total });
        self.status.send_modify(|s| s.first_sync = progress(0));
        if !resync {
            self.store()?.defer_indexes()?;
        }
        let status = &self.status;
        let loaded = crate::snapshot_load::load(self.store.clone(), rows, SNAPSHOT_CHUNK, |done| {
            on_progress(done, total);
            status.send_modify(|s| s.first_sync = progress(done));
        })
        .await;
        // Built once now, and also when the load failed: the next round
        // starts over on a store that answers searches at full speed.
        self.store()?.restore_indexes()?;
        let done = loaded?;
        if resync {
            let removed = self.store()?.finish_resync()?;
            tracing::info!(removed, "resync removed rows purged on the server");
        }
        self.store()?.finish_snapshot(header.cursor)?;
        if let Some(epoch) = header.epoch {
            self.store()?.set_epoch(epoch)?;
        }
        self.status.send_modify(|s| s.first_sync = None);
        Ok(done)
    }

    /// Keeps the PC in sync until `stop` turns true: after each round it
    /// waits for a local change, a live event or, with nothing to do, 5
    /// minutes while the live stream is open (30 s while it is not);
    /// failures back off from 1 s to 60 s.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let listener = tokio::spawn(Self::listen(self.clone()));
        let mut backoff = Duration::from_secs(1);
        while !*stop.borrow() {
            let result = self.sync_once().await;
            tracing::debug!(?result, "sync round");
            if self.server.device_removed() {
                // Nothing more goes to or comes from this clinic; the app
                // erases its data here when it next looks at the session.
                tracing::warn!("an admin removed this PC from the clinic: sync stopped");
                break;
            }
            let wait = match result {
                Ok(_) => {
                    backoff = Duration::from_secs(1);
                    if self.streaming.load(std::sync::atomic::Ordering::Relaxed) {
                        POLL_WITH_STREAM
                    } else {
                        POLL_WITHOUT_STREAM
                    }
                }
                Err(err) if err.is_transient() => {
                    let wait = backoff;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                    wait
                }
                Err(err) => {
                    tracing::warn!(error = %err, "sync failed");
                    Duration::from_secs(10)
                }
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
        listener.abort();
    }

    /// Follows the live stream; every event wakes the loop to pull.
    async fn listen(self: Arc<Self>) {
        loop {
            if let Ok(events) = self.server.events().await {
                // Events sent while disconnected are not replayed: pull now.
                self.streaming.store(true, std::sync::atomic::Ordering::Relaxed);
                self.wake.notify_one();
                let mut events = std::pin::pin!(events);
                while let Some(Ok(_cursor)) = events.next().await {
                    self.wake.notify_one();
                }
                // Back to polling until the stream is open again.
                self.streaming.store(false, std::sync::atomic::Ordering::Relaxed);
                self.wake.notify_one();
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
}

/// Whether the clinic was restored from a backup since this PC last
/// synced: another epoch, or (from a PC that never saw one) a cursor past
/// the clinic's log.
fn restored_since(cursor: Option<i64>, epoch: Option<uuid::Uuid>, header: &SnapshotHeader) -> bool {
    match (cursor, epoch, header.epoch) {
        (Some(_), Some(mine), Some(theirs)) => mine != theirs,
        (Some(cursor), None, _) => cursor > header.cursor,
        _ => false,
    }
}
