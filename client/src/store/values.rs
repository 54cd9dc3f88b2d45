//! Values between their JSON form (as they travel) and SQLite.

use domain::sync::Kind;
use rusqlite::types::{Value as Sql, ValueRef};
use serde_json::Value;

use crate::error::StoreError;

pub fn to_sql(kind: Kind, value: &Value) -> Result<Sql, StoreError> {
    Ok(match (kind, value) {
        (_, Value::Null) => Sql::Null,
        (Kind::Bool, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
        (Kind::Int, Value::Number(n)) => Sql::Integer(
            n.as_i64()
                .ok_or_else(|| StoreError::Invalid(format!("{n} is not a whole number")))?,
        ),
        (Kind::Json, v @ (Value::Array(_) | Value::Object(_))) => Sql::Text(v.to_string()),
        (_, Value::String(s)) => Sql::Text(s.clone()),
        (kind, other) => return Err(StoreError::Invalid(format!("{other} is not a {kind:?} value"))),
    })
}

pub fn from_sql(kind: Kind, value: ValueRef<'_>) -> Result<Value, StoreError> {
    Ok(match (kind, value) {
        (_, ValueRef::Null) => Value::Null,
        (Kind::Bool, ValueRef::Integer(i)) => Value::Bool(i != 0),
        (_, ValueRef::Integer(i)) => Value::from(i),
        (_, ValueRef::Real(f)) => Value::from(f),
        (Kind::Json, ValueRef::Text(t)) => {
            serde_json::from_slice(t).map_err(|e| StoreError::Corrupt(format!("bad JSON in store: {e}")))?
        }
        (_, ValueRef::Text(t)) => Value::String(String::from_utf8_lossy(t).into_owned()),
        (_, ValueRef::Blob(_)) => return Err(StoreError::Corrupt("unexpected blob".into())),
    })
}

/// A JSON array of strings kept as text (allergies, contraindications);
/// absent or unreadable reads as empty, non-strings are skipped.
pub fn string_list(raw: Option<String>) -> Vec<String> {
    raw.and_then(|r| serde_json::from_str::<Vec<Value>>(&r).ok())
        .map(|v| {
            v.into_iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
