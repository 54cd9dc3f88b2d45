//! Encryption at rest (SQLCipher): every database of the PC is opened with
//! a random 256-bit key kept in the OS keychain, so a stolen disk holds no
//! readable records. A database written by an earlier, plaintext version is
//! converted on its first open: exported into an encrypted copy beside it,
//! then renamed over it, so a crash at any point leaves one usable file.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode};

use crate::error::StoreError;

/// SQLCipher's page size for every database of the app. Fewer, larger
/// pages mean less per-page encryption work (`bench sync`). The header is
/// encrypted too, so this must never change for existing files.
const PAGE_SIZE: u32 = 16_384;

/// The first bytes of every plaintext SQLite file.
const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database key: 32 random bytes. Never logged or shown.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; 32]);

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(…)")
    }
}

impl StoreKey {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// From the keychain's text form (64 hex digits).
    pub fn from_hex(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        if hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
        }
        Some(Self(bytes))
    }

    /// The keychain's text form.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// SQLCipher's raw-key literal, `x'…'`.
    fn literal(&self) -> String {
        format!("x'{}'", self.to_hex())
    }
}

/// Whether the file at `path` is a plaintext SQLite database.
pub fn is_plaintext(path: &Path) -> bool {
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == PLAINTEXT_HEADER)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Invalid(format!(
            "cannot remove {}: {e}",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// Opens the database at `path` with `key` (a new file is created
/// encrypted; a plaintext one is converted first). `StoreError::KeyMismatch`
/// when the file does not open with this key.
pub fn open(path: &Path, key: &StoreKey) -> Result<Connection, StoreError> {
    open_with_fault(path, key, Fault::None)
}

/// Where a conversion stops, to prove it is crash-safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// The encrypted copy is written; the crash comes before the rename.
    BeforeRename,
}

pub fn open_with_fault(path: &Path, key: &StoreKey, fault: Fault) -> Result<Connection, StoreError> {
    // An interrupted conversion leaves its copy behind: the plaintext
    // original is still whole, so the copy is simply made again.
    remove_if_there(&sibling(path, ".encrypting"))?;
    if is_plaintext(path) {
        encrypt_in_place(path, key, fault)?;
    }
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!(
        "PRAGMA key = \"{}\"; PRAGMA cipher_page_size = {PAGE_SIZE};",
        key.literal()
    ))?;
    // Speed (measured by `bench sync`): no wiping and locking of every
    // buffer; the key lives in this process's memory anyway.
    conn.execute_batch("PRAGMA cipher_memory_security = OFF;")?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
            Err(StoreError::KeyMismatch)
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes an encrypted copy of the plaintext database at `path` and
/// renames it over the original.
fn encrypt_in_place(path: &Path, key: &StoreKey, fault: Fault) -> Result<(), StoreError> {
    tracing::info!(file = %path.display(), "encrypting a database written by an earlier version");
    let copy = sibling(path, ".encrypting");
    {
        let plain = Connection::open(path)?;
        // Everything into the main file first: the WAL goes with the old file.
        plain.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let version: i64 = plain.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        plain.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            (copy.to_string_lossy().as_ref(), key.literal()),
        )?;
        plain.execute_batch(&format!("PRAGMA encrypted.cipher_page_size = {PAGE_SIZE};"))?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        plain.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
        ))?;
    }
    std::fs::File::open(&copy)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Invalid(format!("cannot write {}: {e}", copy.display())))?;
    if fault == Fault::BeforeRename {
        return Err(StoreError::Invalid("conversion stopped (fault injected)".into()));
    }
    for suffix in ["-wal", "-shm"] {
        remove_if_there(&sibling(path, suffix))?;
    }
    std::fs::rename(&copy, path)
        .map_err(|e| StoreError::Invalid(format!("cannot replace {}: {e}", path.display())))?;
    if let Some(dir) = path.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Removes a database with its journal files and any half-made encrypted
/// copy (a lost key, a wiped clinic). Every file is tried; the first
/// failure is returned.
pub fn remove_database(path: &Path) -> Result<(), StoreError> {
    let results: Vec<_> = ["", "-wal", "-shm", "-journal", ".encrypting"]
        .iter()
        .map(|suffix| remove_if_there(&sibling(path, suffix)))
        .collect();
    results.into_iter().collect()
}
