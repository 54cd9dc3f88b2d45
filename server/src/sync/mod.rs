//! The server side of sync: applying pushed batches under RLS, serving the
//! change log, snapshots for new PCs, and live notifications.

pub mod apply;
pub mod batch;
mod budget;
pub mod chain;
pub mod early;
pub mod events;
pub mod expiry;
pub mod gc;
pub mod idle;
mod plan;
pub mod refusal;
pub mod rows;
pub mod server_writes;
mod set_rows;
pub mod snapshot;
pub mod wakes;
mod wave;
