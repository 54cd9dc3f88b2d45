//! Patient look-ups for the screens: search as you type by name or mobile.

use contract::app::PatientRow;
use serde_json::Value;

use super::Store;
use super::values::string_list;
use crate::error::StoreError;

pub(crate) fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PatientRow> {
    let emergency: Option<Value> = r
        .get::<_, Option<String>>(10)?
        .and_then(|e| serde_json::from_str(&e).ok());
    Ok(PatientRow {
        id: r.get(0)?,
        first_name: r.get(1)?,
        last_name: r.get(2)?,
        mobile_number: r.get(3)?,
        date_of_birth: r.get(4)?,
        gender: r.get(5)?,
        blood_group: r.get(6)?,
        allergies: string_list(r.get(7)?),
        notes: r.get(8)?,
        relationship: r
            .get::<_, Option<String>>(9)?
            .unwrap_or_else(|| "self".to_owned()),
        emergency_contact_name: emergency.as_ref().and_then(|e| text_of(e, "name")),
        emergency_contact_phone: emergency.as_ref().and_then(|e| text_of(e, "phone")),
    })
}

fn text_of(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

pub(crate) const COLUMNS: &str = "id, first_name, last_name, mobile_number, date_of_birth, gender, blood_group, \
     allergies, notes, relationship, emergency_contact";

/// The list's order, on the name index.
const BY_NAME: &str = "ORDER BY first_name COLLATE NOCASE, last_name COLLATE NOCASE";
/// Matches sorted by name at most; more means the query is too short to
/// choose (every "Patient…" for "Pat").
pub const MATCHES_SORTED: usize = 1000;

/// `text` as one FTS5 phrase (its quotes doubled).
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

impl Store {
    /// Live patients whose name or mobile number contains `query` (all of
    /// them when empty), by first name, at most `limit`.
    ///
    /// Three characters or more (or three digits of a number) go through
    /// the trigram index; one or two letters match the start of the first
    /// name, on its index. A query that matches thousands of patients sorts
    /// the first [`MATCHES_SORTED`] found: the list asks for more letters.
    pub fn search_patients(&self, query: &str, limit: usize) -> Result<Vec<PatientRow>, StoreError> {
        let q = query.trim();
        let limit = limit as i64;
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let name_part = q.chars().count() >= 3;
        let rows = if q.is_empty() {
            let sql = format!("SELECT {COLUMNS} FROM patients WHERE deleted_at IS NULL {BY_NAME} LIMIT ?1");
            let mut stmt = self.conn().prepare_cached(&sql)?;
            stmt.query_map([limit], row)?.collect::<Result<Vec<_>, _>>()
        } else if name_part || digits.len() >= 3 {
            let mut terms = Vec::new();
            if name_part {
                terms.push(format!("name : {}", phrase(q)));
            }
            if digits.len() >= 3 {
                terms.push(format!("mobile : {}", phrase(&digits)));
            }
            let sql = format!(
                "SELECT {COLUMNS} FROM patients WHERE rowid IN \
                   (SELECT rowid FROM patient_search WHERE patient_search MATCH ?1 LIMIT {MATCHES_SORTED}) \
                   AND deleted_at IS NULL {BY_NAME} LIMIT ?2"
            );
            let mut stmt = self.conn().prepare_cached(&sql)?;
            stmt.query_map(rusqlite::params![terms.join(" OR "), limit], row)?
                .collect::<Result<Vec<_>, _>>()
        } else {
            let sql = format!(
                "SELECT {COLUMNS} FROM patients WHERE first_name LIKE ?1 AND deleted_at IS NULL {BY_NAME} LIMIT ?2"
            );
            let prefix = format!("{}%", q.replace(['%', '_'], ""));
            let mut stmt = self.conn().prepare_cached(&sql)?;
            stmt.query_map(rusqlite::params![prefix, limit], row)?
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(rows?)
    }

    pub fn patient(&self, id: &str) -> Result<Option<PatientRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM patients WHERE id = ?1 AND deleted_at IS NULL");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query_map([id], row)?;
        Ok(rows.next().transpose()?)
    }
}

/// A live patient's identity as the clinic's uniqueness rule reads it:
/// mobile number, first name in lower case, relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub mobile: String,
    pub first_name_lower: String,
    pub first_name: String,
    pub relationship: String,
}

impl Store {
    /// Every live patient's identity, in one query (an import checks
    /// thousands of rows against them).
    pub fn patient_identities(&self) -> Result<Vec<Identity>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT mobile_number, first_name, coalesce(relationship, 'self') FROM patients WHERE deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            let first_name: String = r.get(1)?;
            Ok(Identity {
                mobile: r.get(0)?,
                // In Rust: SQLite's lower() knows only ASCII, the server's
                // unique index all of Unicode.
                first_name_lower: first_name.to_lowercase(),
                first_name,
                relationship: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
