//! The clinic PC without Tauri: a SQLite store per clinic whose every local
//! write also lands in an outbox, the sync engine that pushes the outbox
//! and pulls the clinic's changes, and the HTTP client it talks through.
//! Everything here runs headless, so it is tested without a window.

pub mod app;
pub mod engine;
pub mod error;
pub mod http;
mod snapshot_load;
pub mod store;

pub use engine::{SyncEngine, SyncReport, SyncStatus};
pub use error::{ClientError, StoreError};
pub use http::ServerClient;
pub use store::Store;

/// Milliseconds since the epoch, for the hybrid logical clock.
pub fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default()
}
