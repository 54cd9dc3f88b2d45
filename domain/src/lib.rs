//! The clinic domain: identifiers, entities' value types, validation rules,
//! subscription plans and the API types shared by the server, the desktop
//! client and the UI.
//!
//! Nothing here does I/O, so the crate builds for `wasm32-unknown-unknown`
//! and the same rules run in the browser view, on the clinic PC and on the
//! server.
#![forbid(unsafe_code)]

pub mod address;
pub mod api;
pub mod billing;
pub mod clinical;
pub mod date;
pub mod dental;
pub mod doctor;
pub mod error;
pub mod hours;
pub mod ids;
pub mod medicine;
pub mod money;
pub mod patient;
pub mod phone;
pub mod plan;
pub mod sync;
pub mod tenant;
pub mod text;
pub mod time_off;
pub mod user;
#[cfg(feature = "openapi")]
pub mod wire;

pub use error::{ErrorCode, ValidationError};
