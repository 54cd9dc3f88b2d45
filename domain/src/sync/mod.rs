//! Offline-first sync: clocks, table descriptions and protocol messages
//! shared by the server and the PC.

pub mod hlc;
pub mod merge;
pub mod protocol;
mod spec;
pub mod tables;
pub mod validate;

pub use hlc::{Hlc, HlcClock, MAX_DRIFT_MS};
pub use protocol::*;
pub use tables::{Column, Kind, Limited, Push, TABLES, TableSpec};
