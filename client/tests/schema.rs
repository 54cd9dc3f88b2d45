//! The PC's schema against the table descriptions it syncs by, and a store
//! upgraded release by release against one made new.

mod common;

use std::collections::BTreeMap;

use client::Store;
use client::store::MIGRATIONS;
use common::key;
use domain::ids::TenantId;
use domain::sync::tables::{Kind, TABLES};
use rusqlite::Connection;

/// Every table's columns (name, declared type, not null, default, key) and
/// every index's SQL, in a stable order.
fn schema(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let objects: Vec<(String, String, Option<String>)> = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("master")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    for (kind, name, sql) in objects {
        let entry = if kind == "table" {
            conn.prepare(&format!("PRAGMA table_info({name})"))
                .expect("info")
                .query_map([], |r| {
                    Ok(format!(
                        "{} {} notnull={} default={:?} pk={}",
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, i64>(5)?
                    ))
                })
                .expect("columns")
                .collect::<Result<Vec<_>, _>>()
                .expect("read")
        } else {
            vec![sql.unwrap_or_default()]
        };
        out.insert(format!("{kind} {name}"), entry);
    }
    out
}

#[test]
fn a_store_upgraded_through_every_release_equals_a_new_one() {
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let tenant = TenantId::new();
    drop(Store::open(fresh_dir.path(), tenant, &key()).expect("new store"));
    let fresh =
        client::store::cipher::open(&Store::path_for(fresh_dir.path(), tenant), &key()).expect("open");

    let old_dir = tempfile::tempdir().expect("tempdir");
    let path = Store::path_for(old_dir.path(), tenant);
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(MIGRATIONS[0].1).expect("first release");
        conn.pragma_update(None, "user_version", 1).expect("version");
        conn.execute(
            "INSERT INTO sync_state VALUES ('tenant_id', ?1)",
            [tenant.to_string()],
        )
        .expect("tenant");
    }
    // Each later release opened it once, in turn.
    for (version, sql) in &MIGRATIONS[1..] {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(sql).expect("migration");
        conn.pragma_update(None, "user_version", version)
            .expect("version");
    }
    let upgraded = Connection::open(&path).expect("open");
    assert_eq!(schema(&upgraded), schema(&fresh));
}

/// The SQLite column type each kind of synced value is stored as.
fn sqlite_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Int | Kind::Bool => "INTEGER",
        Kind::Text | Kind::Date | Kind::Time | Kind::Timestamp | Kind::Uuid | Kind::Json => "TEXT",
    }
}

#[test]
fn every_synced_column_exists_on_the_pc_with_its_type() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tenant = TenantId::new();
    drop(Store::open(dir.path(), tenant, &key()).expect("store"));
    let conn = client::store::cipher::open(&Store::path_for(dir.path(), tenant), &key()).expect("open");
    for table in TABLES {
        let columns: BTreeMap<String, String> = conn
            .prepare(&format!("PRAGMA table_info({})", table.name))
            .expect("info")
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .expect("columns")
            .collect::<Result<_, _>>()
            .expect("read");
        for bookkeeping in ["id", "deleted_at", "field_hlc"] {
            assert!(columns.contains_key(bookkeeping), "{}.{bookkeeping}", table.name);
        }
        for column in table.columns {
            assert_eq!(
                columns.get(column.name).map(String::as_str),
                Some(sqlite_type(column.kind)),
                "{}.{} on the PC",
                table.name,
                column.name
            );
        }
    }
}
