//! `docs/sync-tables.md` is the per-table part of the sync protocol: every
//! field a change may carry, whether an insert needs it, its default and
//! the database rules it must pass. It is generated from the migrated
//! schema and the table descriptions, and this test fails when the file
//! and the server disagree. Regenerate with
//! `CLINIC_BLESS_DOCS=1 cargo test -p clinic-tests --test server protocol_doc`.

use std::fmt::Write as _;

use clinic_tests::TestApp;
use domain::sync::tables::{Limited, Push, TABLES, TableSpec};
use domain::user::Role;

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/sync-tables.md");

#[derive(sqlx::FromRow)]
struct ColumnFacts {
    name: String,
    sql_type: String,
    not_null: bool,
    default: Option<String>,
}

fn roles(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

fn who(table: &TableSpec) -> String {
    match table.push {
        Push::PullOnly => "Written by the server only (through its API); PCs pull it.".to_owned(),
        Push::AppendOnly(writers) => format!("Added by {}; never changed or deleted.", roles(writers)),
        Push::Writers(writers) => {
            let deleters = table.deleters.map_or_else(|| roles(writers), roles);
            format!("Written by {}; deleted by {deleters}.", roles(writers))
        }
    }
}

async fn render(app: &TestApp) -> String {
    let mut doc = String::from(
        "# Synced tables\n\n\
         Generated from the server's schema and `domain/src/sync/tables.rs` by\n\
         `tests/tests/server/protocol_doc.rs`; do not edit by hand. Tables are\n\
         listed parent-first, the order a snapshot streams them.\n\n\
         Every row also has the bookkeeping columns `id` (sent as `row_id`),\n\
         `created_at`, `created_by`, `updated_at`, `updated_by`, `deleted_at`,\n\
         `sync_seq` and `field_hlc`, which the sync engine fills in; they are\n\
         never sent as fields. \"Required\" means an insert must carry the field\n\
         (or it is refused `validation_failed`); an optional field left out of an\n\
         insert takes its default (or null), and the change log records the row\n\
         with those values. A rule is the database's own CHECK; breaking it is a\n\
         `validation_failed` refusal naming the rule.\n",
    );
    for table in TABLES {
        let columns: Vec<ColumnFacts> = sqlx::query_as(
            "SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS sql_type, \
                    a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default \
               FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
              WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        )
        .bind(table.name)
        .fetch_all(&app.owner_pool)
        .await
        .expect("columns");
        let checks: Vec<(String, Vec<String>)> = sqlx::query_as(
            "SELECT pg_get_constraintdef(c.oid), \
                    array(SELECT a.attname::text FROM pg_attribute a \
                           WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) ORDER BY a.attnum) \
               FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'c' ORDER BY c.conname",
        )
        .bind(table.name)
        .fetch_all(&app.owner_pool)
        .await
        .expect("checks");
        let _ = write!(doc, "\n## {}\n\n{}", table.name, who(table));
        match table.limited {
            Some(Limited::Patients) => doc.push_str(" Each insert counts against the plan's patients."),
            Some(Limited::Storage) => doc.push_str(" `size_bytes` counts against the plan's storage."),
            None => {}
        }
        if table.needs_active_subscription {
            doc.push_str(" Inserts need an active subscription.");
        }
        doc.push_str("\n\n| field | kind | on insert | default | rules |\n|---|---|---|---|---|\n");
        for column in table.columns {
            let facts = columns
                .iter()
                .find(|c| c.name == column.name)
                .unwrap_or_else(|| panic!("{}.{} is not in the schema", table.name, column.name));
            let required = facts.not_null && facts.default.is_none();
            let rules: Vec<String> = checks
                .iter()
                .filter(|(_, cols)| cols.iter().any(|c| c == column.name))
                .map(|(def, _)| format!("`{}`", def.replace('|', "\\|")))
                .collect();
            let _ = writeln!(
                doc,
                "| `{}` | {} | {} | {} | {} |",
                column.name,
                facts.sql_type,
                if required { "required" } else { "optional" },
                facts
                    .default
                    .as_deref()
                    .map(|d| format!("`{d}`"))
                    .unwrap_or_default(),
                rules.join("<br>")
            );
        }
    }
    doc
}

#[tokio::test]
async fn the_table_reference_matches_the_server() {
    let app = TestApp::spawn().await;
    let rendered = render(&app).await;
    if std::env::var_os("CLINIC_BLESS_DOCS").is_some() {
        std::fs::write(DOC, &rendered).expect("write docs/sync-tables.md");
        return;
    }
    let committed = std::fs::read_to_string(DOC).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/sync-tables.md is out of date with the schema; regenerate it with \
         CLINIC_BLESS_DOCS=1 cargo test -p clinic-tests --test server protocol_doc"
    );
}

/// The PostgreSQL types each kind of synced value may be stored as.
fn postgres_types(kind: domain::sync::tables::Kind) -> &'static [&'static str] {
    use domain::sync::tables::Kind;
    match kind {
        Kind::Text => &["text"],
        Kind::Int => &["smallint", "integer", "bigint"],
        Kind::Bool => &["boolean"],
        Kind::Date => &["date"],
        Kind::Time => &["time without time zone"],
        Kind::Timestamp => &["timestamp with time zone"],
        Kind::Uuid => &["uuid"],
        // Arrays of text travel as JSON arrays.
        Kind::Json => &["jsonb", "ARRAY"],
    }
}

#[tokio::test]
async fn every_synced_column_exists_on_the_server_with_a_compatible_type() {
    let app = TestApp::spawn().await;
    for table in TABLES {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
              WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(table.name)
        .fetch_all(&app.owner_pool)
        .await
        .expect("columns");
        for column in table.columns {
            let found = columns
                .iter()
                .find(|(name, _)| name == column.name)
                .map(|(_, t)| t.as_str());
            assert!(
                found.is_some_and(|t| postgres_types(column.kind).contains(&t)),
                "{}.{}: {found:?} for {:?}",
                table.name,
                column.name,
                column.kind
            );
        }
    }
}
