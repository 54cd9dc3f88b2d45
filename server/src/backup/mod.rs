//! One clinic's backup: every row of its tables, its change log with the
//! hash chain, and a manifest of row counts, taken in one REPEATABLE READ
//! transaction, gzip-compressed and encrypted with `age`.
//!
//! The file, once decrypted and decompressed, is NDJSON: a [`Manifest`]
//! line, then for each table of [`TABLES`] in order a [`Section`] line and
//! that many row lines (each row as PostgreSQL's `to_jsonb`), then an
//! [`End`] line. `restore` reads it back into one transaction and commits
//! only when every count and the chain match.
//!
//! Not in a backup, by design: refresh tokens, sign-in attempts and PC
//! enrolment codes ([`LIVE_TABLES`]). They are credentials and recent
//! history of this server; a restore over a live clinic keeps the current
//! ones where their user and PC exist in the backup.

pub mod command;
pub mod crypt;
pub mod restore;
pub mod take;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a backup file says it is.
pub const FORMAT: &str = "clinic-backup";
/// The layout version of the file (not the schema's).
pub const FORMAT_VERSION: u32 = 1;

/// A clinic's tables, parents before children (restore inserts in this
/// order and deletes in the reverse).
pub const TABLES: &[&str] = &[
    "tenants",
    "users",
    "doctors",
    "patients",
    "medicines",
    "short_keys",
    "short_key_medicines",
    "appointments",
    "print_layouts",
    "prescriptions",
    "prescription_items",
    "dental_observations",
    "dental_procedures",
    "dental_observation_templates",
    "case_studies",
    "dental_attachments",
    "referral_records",
    "invoices",
    "payments",
    "tenant_sync_state",
    "devices",
    "applied_batches",
    "sync_conflicts",
    "audit_events",
    "change_log",
];

/// A clinic's tables a backup leaves out (see the module's comment).
pub const LIVE_TABLES: &[&str] = &["refresh_tokens", "login_attempts", "device_enrolments"];

/// The first line: which clinic, when, and what follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The newest migration of the server that wrote it; a restore needs
    /// a database at the same one.
    pub schema: i64,
    pub server_version: String,
    pub taken_at: DateTime<Utc>,
    pub clinic: ClinicRef,
    pub tables: Vec<Section>,
    pub chain: ChainHead,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
}

/// A table's header line, and its entry in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub table: String,
    pub rows: u64,
}

/// The clinic's change-log head when the backup was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainHead {
    pub last_seq: i64,
    /// Hex of the last entry's hash (empty for an empty log).
    pub last_hash: String,
}

/// The last line: its absence means the file was cut short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct End {
    pub end: bool,
    pub rows: u64,
}

/// Why a backup could not be taken or restored. Each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no clinic has the code {0}")]
    UnknownClinic(String),
    #[error("the file could not be decrypted: {0} (a wrong key or passphrase, or a file that was changed)")]
    Decrypt(String),
    #[error("the file is not a readable clinic backup: {0}")]
    Corrupt(String),
    #[error(
        "the backup was written at schema {backup} but this database is at {database}: \
         migrate with the server version that wrote it, or restore on one at the same version"
    )]
    SchemaMismatch { backup: i64, database: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("the restored data does not match the backup: {0}; nothing was changed")]
    Mismatch(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl BackupError {
    fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }
}

/// The newest migration this server knows: what it writes and restores.
pub fn schema_version() -> i64 {
    crate::migrate::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_prefix("\\x").unwrap_or(text);
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_reads_postgres_bytea() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(unhex(&hex(&bytes)).as_deref(), Some(&bytes[..]));
        assert_eq!(unhex("\\x00ff").as_deref(), Some(&[0u8, 0xff][..]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn every_table_appears_once() {
        let mut all: Vec<&str> = TABLES.iter().chain(LIVE_TABLES).copied().collect();
        all.sort_unstable();
        let before = all.len();
        all.dedup();
        assert_eq!(before, all.len());
    }
}
