//! Live updates: Postgres NOTIFY (sent by every change-log append, at
//! commit) fanned out to the clinic's connected PCs. Each server node runs
//! one listener, so this scales out with the nodes.

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;
use uuid::Uuid;

pub const CHANNEL: &str = "clinic_sync";

/// A clinic's sequence moved to `cursor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub tenant: Uuid,
    pub cursor: i64,
}

#[derive(Debug, Clone)]
pub struct Notifier {
    sender: broadcast::Sender<Moved>,
}

impl Notifier {
    /// Starts listening on `pool`'s database; reconnects after failures.
    pub fn start(pool: PgPool) -> Self {
        let (sender, _) = broadcast::channel(1024);
        let fan_out = sender.clone();
        tokio::spawn(async move {
            loop {
                if let Err(err) = listen(&pool, &fan_out).await {
                    tracing::warn!(error = %err, "sync listener lost its connection; retrying");
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        Self { sender }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Moved> {
        self.sender.subscribe()
    }
}

async fn listen(pool: &PgPool, fan_out: &broadcast::Sender<Moved>) -> anyhow::Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let note = listener.recv().await?;
        if let Some((tenant, cursor)) = note.payload().split_once(':')
            && let (Ok(tenant), Ok(cursor)) = (Uuid::parse_str(tenant), cursor.parse())
        {
            // No receivers is fine: nobody of any clinic is online here.
            let _ = fan_out.send(Moved { tenant, cursor });
        }
    }
}
