//! The PC's stores are encrypted at rest: the file is not SQLite without
//! the key, another key cannot open it, and a plaintext store from an
//! earlier version is converted so that a crash mid-way leaves it usable.

use client::Store;
use client::store::StoreKey;
use client::store::cipher::{self, Fault, is_plaintext};
use domain::ids::TenantId;
use serde_json::json;

fn key(byte: &str) -> StoreKey {
    StoreKey::from_hex(&byte.repeat(32)).expect("a key")
}

fn patient() -> serde_json::Map<String, serde_json::Value> {
    json!({"first_name": "Meera", "last_name": "Rao", "mobile_number": "+919845011111",
           "date_of_birth": "1990-04-21", "gender": "female"})
    .as_object()
    .cloned()
    .expect("fields")
}

#[test]
fn an_encrypted_store_is_not_sqlite_without_its_key() {
    let dir = tempfile::tempdir().expect("dir");
    let tenant = TenantId::new();
    let mut store = Store::open(dir.path(), tenant, &key("11")).expect("open");
    store.insert("patients", patient()).expect("insert");
    let path = store.path().to_owned();
    drop(store);

    let header = std::fs::read(&path).expect("file");
    assert_ne!(&header[..16], b"SQLite format 3\0", "no plaintext header");
    assert!(!is_plaintext(&path));
    let bare = rusqlite::Connection::open(&path).expect("a file opens");
    let tables = bare.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0));
    assert!(
        tables.is_err(),
        "without the key it is not a database: {tables:?}"
    );
    assert!(matches!(
        Store::open(dir.path(), tenant, &key("22")),
        Err(client::StoreError::KeyMismatch)
    ));
    let again = Store::open(dir.path(), tenant, &key("11")).expect("the right key");
    assert_eq!(again.count("patients").expect("count"), 1);
}

#[test]
fn a_plaintext_store_is_converted_and_a_crash_mid_way_leaves_it_usable() {
    let dir = tempfile::tempdir().expect("dir");
    let tenant = TenantId::new();
    let mut old = Store::open_plain(dir.path(), tenant).expect("an earlier version's store");
    old.insert("patients", patient()).expect("insert");
    let path = old.path().to_owned();
    drop(old);
    assert!(is_plaintext(&path));

    // The crash comes after the encrypted copy is written, before the swap.
    let crashed = cipher::open_with_fault(&path, &key("33"), Fault::BeforeRename);
    assert!(crashed.is_err());
    assert!(is_plaintext(&path), "the original is untouched");
    let still = Store::open_plain(dir.path(), tenant).expect("still opens");
    assert_eq!(still.count("patients").expect("count"), 1);
    drop(still);

    // The next start converts it for good.
    let converted = Store::open(dir.path(), tenant, &key("33")).expect("converted");
    assert_eq!(converted.count("patients").expect("count"), 1, "no record lost");
    assert_eq!(
        converted.pending_count().expect("pending"),
        1,
        "nor its unsynced change"
    );
    drop(converted);
    assert!(!is_plaintext(&path), "encrypted now");
    let mut leftover = path.clone().into_os_string();
    leftover.push(".encrypting");
    assert!(!std::path::Path::new(&leftover).exists(), "no copy left behind");
    let mut wal = path.into_os_string();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    assert!(!wal.exists() || !is_plaintext(&wal), "no plaintext journal left");
}
