//! Schema migrations of the PC store, tracked in `PRAGMA user_version`.
//! Each file is frozen once released; upgrades only ever append.

use rusqlite::Connection;

use crate::error::StoreError;

pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_initial.sql")),
    (2, include_str!("../../migrations/0002_outbox_attempts.sql")),
    (3, include_str!("../../migrations/0003_clinical.sql")),
    (4, include_str!("../../migrations/0004_archive.sql")),
    (5, include_str!("../../migrations/0005_refused_current.sql")),
    (6, include_str!("../../migrations/0006_referrals.sql")),
    (7, include_str!("../../migrations/0007_patient_search.sql")),
    (8, include_str!("../../migrations/0008_deferred_indexes.sql")),
    (9, include_str!("../../migrations/0009_doctor_time_off.sql")),
    (10, include_str!("../../migrations/0010_billing.sql")),
    (11, include_str!("../../migrations/0011_reports.sql")),
    (12, include_str!("../../migrations/0012_outbox_batch_ranges.sql")),
];

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

pub fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the clinic store to the latest schema.
pub fn run(conn: &mut Connection) -> Result<i64, StoreError> {
    apply(conn, MIGRATIONS)
}

/// Applies every migration of `migrations` newer than the file's
/// `user_version`, each in one transaction with the version bump.
pub fn apply(conn: &mut Connection, migrations: &[(i64, &str)]) -> Result<i64, StoreError> {
    let latest = migrations.last().map_or(0, |(v, _)| *v);
    let current = version(conn)?;
    if current > latest {
        return Err(StoreError::Corrupt(format!(
            "the local database is version {current}, newer than this app ({latest}); update the app"
        )));
    }
    for (number, sql) in migrations.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number)?;
        tx.commit()?;
    }
    version(conn)
}
