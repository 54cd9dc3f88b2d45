//! The schema stays ready to be distributed by clinic (docs/scaling.md):
//! on every table with `tenant_id`, each primary key, unique constraint,
//! unique index and foreign key leads with it, and each foreign key points
//! at a key that leads with it too (or at `tenants.id`, the clinic itself),
//! so a clinic's rows and their links always live on one shard.
//! `medicines` is the one exception, on purpose: it holds the global
//! catalog (no tenant) beside each clinic's own medicines, so it and the
//! links to it (a prescription item's or short key's medicine) key on the
//! medicine's id alone; docs/scaling.md says how it would split.

use clinic_tests::TestApp;

/// Tables whose keys, and the links to them, may not lead with
/// `tenant_id` (see the module's comment).
const EXCEPTIONS: &[&str] = &["medicines"];

/// A key or link: table, name, kind, its first column, and for a link the
/// table it points at and that table's first column.
type Key = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[tokio::test]
async fn every_key_and_link_of_a_clinic_table_leads_with_tenant_id() {
    let app = TestApp::spawn().await;
    let keys: Vec<Key> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname::text, c.contype::text,
                (SELECT attname::text FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = c.conkey[1]),
                c.confrelid::regclass::text,
                (SELECT attname::text FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = c.confkey[1])
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid
                          AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          ORDER BY 1, 2",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("constraints");
    assert!(
        keys.len() > 40,
        "the clinic tables' keys and links: {}",
        keys.len()
    );
    let mut wrong = Vec::new();
    for (table, name, kind, first, target, target_first) in &keys {
        let to_exception = target.as_deref().is_some_and(|t| EXCEPTIONS.contains(&t));
        if EXCEPTIONS.contains(&table.as_str()) || to_exception {
            continue;
        }
        if first.as_deref() != Some("tenant_id") {
            wrong.push(format!("{table}.{name} ({kind}) leads with {first:?}"));
        }
        if kind == "f" {
            let to_clinic = target.as_deref() == Some("tenants") && target_first.as_deref() == Some("id");
            if !to_clinic && target_first.as_deref() != Some("tenant_id") {
                wrong.push(format!("{table}.{name} points at {target:?} by {target_first:?}"));
            }
        }
    }
    let indexes: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT i.indrelid::regclass::text, ic.relname::text,
                (SELECT attname::text FROM pg_attribute WHERE attrelid = i.indrelid AND attnum = i.indkey[0])
           FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = ic.relnamespace
          WHERE n.nspname = 'public' AND i.indisunique
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid
                          AND a.attname = 'tenant_id' AND NOT a.attisdropped)",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("indexes");
    for (table, name, first) in &indexes {
        if !EXCEPTIONS.contains(&table.as_str()) && first.as_deref() != Some("tenant_id") {
            wrong.push(format!("unique index {table}.{name} leads with {first:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "keys that would split a clinic across shards:\n{}",
        wrong.join("\n")
    );
}
