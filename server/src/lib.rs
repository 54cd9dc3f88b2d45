//! The clinic sync server: accounts, clinics and (next) sync, over one
//! multi-tenant PostgreSQL where Row-Level Security keeps clinics apart.
//!
//! `main.rs` only parses the command line and calls [`cli::run`]; tests
//! call [`app::serve`] with a listener on port 0.

pub mod app;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod fhir;
pub mod gate;
pub mod json;
pub mod mail;
pub mod migrate;
pub mod operator;
pub mod pgcluster;
pub mod releases;
mod routes;
pub mod services;
pub mod sync;
pub mod throttle;

pub use app::{AppState, serve};
pub use config::Config;
