//! The PC's SQLite store: one database file per clinic, WAL, foreign keys,
//! migrations on open. Every local write goes, in one transaction, into its
//! table and the outbox (see `rows`).

mod acks;
pub(crate) mod appointments;
mod audit;
mod batches;
pub mod billing;
mod bulk;
mod catalog;
pub mod cipher;
mod doctors;
pub(crate) mod migrate;
pub mod outbox;
pub mod patients;
mod prescriptions;
mod reads;
mod referrals;
pub mod remote;
pub mod reports;
mod review;
pub mod rows;
mod standing;
mod values;

use std::path::{Path, PathBuf};

use domain::ids::{DeviceId, TenantId, UserId};
use domain::sync::{Hlc, HlcClock};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

pub use migrate::{MIGRATIONS, latest_version};

use crate::error::StoreError;
pub use cipher::StoreKey;
pub use reads::SyncedUser;

#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    tenant: TenantId,
    device: DeviceId,
    clock: HlcClock,
    /// Who local writes are attributed to (the signed-in user).
    actor: Option<UserId>,
    /// Fault injection for crash tests: fail applying a pulled page after
    /// this many changes, as if the process died mid-transaction.
    apply_fault_after: Option<usize>,
    /// A resync from a snapshot is under way (see `begin_resync`).
    resyncing: bool,
}

/// Keys of the `sync_state` table.
pub(crate) mod key {
    pub const TENANT: &str = "tenant_id";
    pub const DEVICE: &str = "device_id";
    pub const HLC: &str = "hlc";
    pub const CURSOR: &str = "cursor";
    pub const NEXT_BATCH: &str = "next_batch_seq";
    /// The clinic's epoch the cursor belongs to (see `sync::PullResponse`).
    pub const EPOCH: &str = "epoch";
    /// Set by a schema upgrade that adds a synced table: take one snapshot.
    pub const RESYNC_NEEDED: &str = "resync_needed";
    pub const LAST_SYNC: &str = "last_sync_at";
    pub const LAST_ERROR: &str = "last_error";
    /// This PC's digit in APT/RX numbers, given by the server at sign-in.
    pub const NUMBER_SLOT: &str = "number_slot";
    /// Present while the platform has the clinic suspended: why.
    pub const SUSPENDED: &str = "clinic_suspended";
}

impl Store {
    /// The database file of `tenant` inside `dir`.
    pub fn path_for(dir: &Path, tenant: TenantId) -> PathBuf {
        dir.join(format!("clinic-{}.sqlite3", tenant.as_uuid().simple()))
    }

    /// Opens (creating and migrating as needed) the clinic's store,
    /// encrypted with `key`. The PC's device id is made on first open and
    /// kept in the file.
    pub fn open(dir: &Path, tenant: TenantId, key: &StoreKey) -> Result<Self, StoreError> {
        Self::open_as(dir, tenant, None, key)
    }

    /// Opens the store; a new store takes `device` as this PC's id (the
    /// app uses one id per PC for all its clinics).
    pub fn open_as(
        dir: &Path,
        tenant: TenantId,
        device: Option<DeviceId>,
        key: &StoreKey,
    ) -> Result<Self, StoreError> {
        let path = Self::prepare(dir, tenant)?;
        Self::start(cipher::open(&path, key)?, path, tenant, device)
    }

    /// A plaintext store: the benchmark's baseline and the conversion test
    /// only. The app always opens its stores with a key.
    pub fn open_plain(dir: &Path, tenant: TenantId) -> Result<Self, StoreError> {
        let path = Self::prepare(dir, tenant)?;
        Self::start(Connection::open(&path)?, path, tenant, None)
    }

    fn prepare(dir: &Path, tenant: TenantId) -> Result<PathBuf, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Self::path_for(dir, tenant))
    }

    fn start(
        mut conn: Connection,
        path: PathBuf,
        tenant: TenantId,
        device: Option<DeviceId>,
    ) -> Result<Self, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(256);
        // 64 MiB of pages: searches scan the patients without reading (and,
        // encrypted, decrypting) the same pages again (`bench sync`).
        conn.pragma_update(None, "cache_size", -65_536)?;
        migrate::run(&mut conn)?;

        let stored_tenant = get_state(&conn, key::TENANT)?;
        match stored_tenant {
            Some(t) if t != tenant.to_string() => return Err(StoreError::WrongClinic),
            Some(_) => {}
            None => set_state(&conn, key::TENANT, &tenant.to_string())?,
        }
        let device = match get_state(&conn, key::DEVICE)? {
            Some(d) => DeviceId::parse(&d).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            None => {
                let d = device.unwrap_or_default();
                set_state(&conn, key::DEVICE, &d.to_string())?;
                d
            }
        };
        let clock = match get_state(&conn, key::HLC)? {
            Some(h) => HlcClock::resume(Hlc::parse(&h).map_err(|e| StoreError::Corrupt(e.to_string()))?),
            None => HlcClock::new(device),
        };
        let mut store = Self {
            conn,
            path,
            tenant,
            device,
            clock,
            actor: None,
            apply_fault_after: None,
            resyncing: false,
        };
        // A first load that stopped part-way left its indexes aside.
        store.restore_indexes()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    pub fn device_id(&self) -> DeviceId {
        self.device
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::version(&self.conn)
    }

    /// Makes the next pulled pages fail after `n` changes (crash tests).
    #[doc(hidden)]
    pub fn inject_apply_fault_after(&mut self, n: Option<usize>) {
        self.apply_fault_after = n;
    }

    /// Attributes later local writes to `user`.
    pub fn set_actor(&mut self, user: UserId) {
        self.actor = Some(user);
    }

    pub fn state(&self, key: &str) -> Result<Option<String>, StoreError> {
        get_state(&self.conn, key)
    }

    pub fn set_state(&self, key: &str, value: &str) -> Result<(), StoreError> {
        set_state(&self.conn, key, value)
    }

    /// The change-log cursor this PC has applied up to; `None` before the
    /// first sync.
    pub fn cursor(&self) -> Result<Option<i64>, StoreError> {
        self.state(key::CURSOR)?
            .map(|c| c.parse().map_err(|_| StoreError::Corrupt("bad cursor".into())))
            .transpose()
    }

    /// A fresh timestamp for a local write (persisted with the write).
    fn tick(&mut self) -> Hlc {
        self.clock.tick(crate::now_ms())
    }

    /// Moves the clock past a timestamp seen from another PC. A clock far
    /// in the future is ignored rather than followed.
    pub(crate) fn observe(&mut self, remote: &Hlc) {
        if self.clock.observe(remote, crate::now_ms()).is_err() {
            tracing::warn!(%remote, "ignoring a clock value far in the future");
        }
    }

    pub(crate) fn transaction(&mut self) -> Result<Transaction<'_>, StoreError> {
        Ok(self.conn.transaction()?)
    }

    /// The connection and the clock borrowed apart, for a write batch.
    pub(crate) fn conn_and_clock(&mut self) -> (&mut Connection, &mut HlcClock) {
        (&mut self.conn, &mut self.clock)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

pub(crate) fn get_state(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set_state(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

pub(crate) fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
