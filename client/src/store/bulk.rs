//! A fresh PC's first snapshot loads without the synced tables' secondary
//! indexes: SQLite then appends rows instead of also updating a dozen
//! B-trees per row, and builds each index once, sorted, at the end. The
//! set-aside definitions are kept in the store itself, so a load that
//! stops part-way (power cut, app closed) gets them back at the next open.

use domain::sync::tables;

use super::Store;
use crate::error::StoreError;

impl Store {
    /// Sets aside the non-unique indexes of the synced tables (unique ones
    /// stay: they are constraints). Returns how many.
    pub fn defer_indexes(&mut self) -> Result<usize, StoreError> {
        let tx = self.transaction()?;
        let indexes: Vec<(String, String, String)> = {
            let mut stmt = tx.prepare(
                "SELECT name, tbl_name, sql FROM sqlite_master \
                  WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut deferred = 0;
        for (name, table, sql) in indexes {
            if tables::table(&table).is_none() {
                continue;
            }
            tx.execute(
                "INSERT INTO deferred_indexes (name, sql) VALUES (?1, ?2)",
                [&name, &sql],
            )?;
            // The name comes from sqlite_master, quoted all the same.
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            deferred += 1;
        }
        tx.commit()?;
        Ok(deferred)
    }

    /// Builds the indexes set aside, if any. Returns how many.
    pub fn restore_indexes(&mut self) -> Result<usize, StoreError> {
        // Every open asks: only a read, so opening never takes the write lock.
        let waiting: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM deferred_indexes", [], |r| r.get(0))?;
        if waiting == 0 {
            return Ok(0);
        }
        let tx = self.transaction()?;
        let indexes: Vec<String> = {
            let mut stmt = tx.prepare("SELECT sql FROM deferred_indexes")?;
            stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        for sql in &indexes {
            // Definitions this store itself wrote into sqlite_master.
            tx.execute_batch(sql)?;
        }
        tx.execute("DELETE FROM deferred_indexes", [])?;
        tx.commit()?;
        Ok(indexes.len())
    }
}

#[cfg(test)]
mod tests {
    use domain::ids::TenantId;

    use super::*;

    /// (table, definition) of every index with a definition, by name.
    fn indexes(store: &Store) -> Vec<(String, String)> {
        let mut stmt = store
            .conn()
            .prepare("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .expect("query");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("indexes")
    }

    #[test]
    fn indexes_set_aside_come_back_as_they_were_even_after_a_stopped_load() {
        let dir = tempfile::tempdir().expect("dir");
        let tenant = TenantId::from_uuid(uuid::Uuid::now_v7());
        let mut store = Store::open_plain(dir.path(), tenant).expect("store");
        let before = indexes(&store);
        let deferred = store.defer_indexes().expect("defer");
        assert!(deferred >= 10, "the synced tables' secondary indexes: {deferred}");
        let during = indexes(&store);
        assert_eq!(before.len() - during.len(), deferred);
        assert!(
            during
                .iter()
                .all(|(table, sql)| sql.starts_with("CREATE UNIQUE") || tables::table(table).is_none()),
            "only constraints and the PC's own tables keep theirs: {during:?}"
        );
        // The load stops here: the app closes, and the next open restores.
        drop(store);
        let mut store = Store::open_plain(dir.path(), tenant).expect("reopened");
        assert_eq!(indexes(&store), before);
        assert_eq!(store.restore_indexes().expect("nothing left"), 0);
    }
}
