//! Live updates: Postgres NOTIFY (sent by every change-log append, at
//! commit) fanned out to the clinic's connected PCs. Each server node runs
//! one listener, so this scales out with the nodes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;
use uuid::Uuid;

use super::idle::IdlePulls;
use crate::auth::live::LiveSessions;

pub const CHANNEL: &str = "clinic_sync";
/// Sent by triggers, with the clinic's id, whenever one of its sign-ins
/// may have ended or its standing changed (see [`crate::auth::live`]).
pub const SESSIONS_CHANNEL: &str = "clinic_sessions";

/// A clinic's sequence moved to `cursor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub tenant: Uuid,
    pub cursor: i64,
}

/// Each clinic has its own channel, so a change wakes only the streams of
/// its clinic, however many clinics have PCs online. Every move also makes
/// the clinic's remembered idle pulls stale, before any stream hears it.
/// The same listener hears of ended sign-ins.
#[derive(Debug, Clone, Default)]
pub struct Notifier {
    clinics: Arc<Mutex<HashMap<Uuid, broadcast::Sender<Moved>>>>,
    idle: Arc<IdlePulls>,
    sessions: Arc<LiveSessions>,
}

/// Moves a stream can fall behind before it only learns "pull now".
const PER_CLINIC: usize = 16;
/// Above this many channels, those of clinics with nobody online go.
const PRUNE_ABOVE: usize = 10_000;

impl Notifier {
    /// Starts listening on `pool`'s database; reconnects after failures.
    pub fn start(pool: PgPool) -> Self {
        let notifier = Self::default();
        let fan_out = notifier.clone();
        tokio::spawn(async move {
            loop {
                if let Err(err) = listen(&pool, &fan_out).await {
                    tracing::warn!(error = %err, "sync listener lost its connection; retrying");
                }
                fan_out.listening(false);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        notifier
    }

    /// This process's remembered "nothing new" answers.
    pub fn idle(&self) -> &Arc<IdlePulls> {
        &self.idle
    }

    /// This process's remembered sign-in checks.
    pub fn sessions(&self) -> &Arc<LiveSessions> {
        &self.sessions
    }

    fn listening(&self, up: bool) {
        self.idle.listening(up);
        self.sessions.listening(up);
    }

    /// The moves of `tenant`'s sequence from now on.
    pub fn subscribe(&self, tenant: Uuid) -> broadcast::Receiver<Moved> {
        let mut clinics = self
            .clinics
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if clinics.len() > PRUNE_ABOVE {
            clinics.retain(|_, sender| sender.receiver_count() > 0);
        }
        clinics
            .entry(tenant)
            .or_insert_with(|| broadcast::channel(PER_CLINIC).0)
            .subscribe()
    }

    fn send(&self, moved: Moved) {
        self.idle.wake(moved.tenant);
        let mut clinics = self
            .clinics
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Nobody of that clinic online here: forget its channel.
        if let Some(sender) = clinics.get(&moved.tenant)
            && sender.send(moved).is_err()
        {
            clinics.remove(&moved.tenant);
        }
    }
}

async fn listen(pool: &PgPool, fan_out: &Notifier) -> anyhow::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([CHANNEL, SESSIONS_CHANNEL]).await?;
    fan_out.listening(true);
    loop {
        // Not `recv`, which reconnects silently: what was sent meanwhile is
        // lost, and what this process remembers must know.
        let Some(note) = listener.try_recv().await? else {
            anyhow::bail!("the listening connection closed");
        };
        if note.channel() == SESSIONS_CHANNEL {
            if let Ok(tenant) = Uuid::parse_str(note.payload()) {
                fan_out.sessions.wake(tenant);
            }
        } else if let Some((tenant, cursor)) = note.payload().split_once(':')
            && let (Ok(tenant), Ok(cursor)) = (Uuid::parse_str(tenant), cursor.parse())
        {
            fan_out.send(Moved { tenant, cursor });
        }
    }
}
