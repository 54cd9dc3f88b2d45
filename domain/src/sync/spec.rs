//! What a synced table is made of: its columns and how their values
//! travel, who may push changes to it and which plan limit creating a row
//! consumes. The tables themselves are listed in `tables.rs`.

use crate::user::Role;

/// How a value travels (JSON) and is stored on the PC (SQLite).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// JSON number, SQLite INTEGER.
    Int,
    /// JSON true/false, SQLite INTEGER 0/1.
    Bool,
    /// `YYYY-MM-DD`
    Date,
    /// `HH:MM:SS`
    Time,
    /// RFC 3339
    Timestamp,
    Uuid,
    /// Objects and arrays, stored on the PC as JSON text.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    /// The server's default (JSON text) for a NOT NULL column, or `None`.
    /// A PC fills it in when a pulled insert leaves the field out, so a row
    /// learned by pull equals the row the server stores (a parity test
    /// compares these with PostgreSQL's own defaults).
    pub default: Option<&'static str>,
}

impl Column {
    /// The default as a JSON value (`None` for columns without one).
    pub fn default_value(&self) -> Option<serde_json::Value> {
        self.default.and_then(|text| serde_json::from_str(text).ok())
    }
}

/// Who may push changes to a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    /// Written on the server only (through its API); PCs pull it.
    PullOnly,
    /// These roles may create, change and delete rows.
    Writers(&'static [Role]),
    /// These roles may add rows, never change or delete them.
    AppendOnly(&'static [Role]),
}

/// A plan limit that creating a row of the table consumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Patients,
    Storage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [Column],
    pub push: Push,
    /// Roles that may delete (tombstone) rows, when fewer than the writers:
    /// front-desk roles archive patients and appointments instead.
    pub deleters: Option<&'static [Role]>,
    pub limited: Option<Limited>,
    /// Creating rows needs an active subscription (clinical records).
    pub needs_active_subscription: bool,
}

impl TableSpec {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Checks every field names a described column and holds a value of
    /// its kind (null is always allowed here; the database knows which
    /// columns are required). The message names the offending field.
    pub fn check_fields(&self, fields: &serde_json::Map<String, serde_json::Value>) -> Result<(), String> {
        use serde_json::Value;
        for (name, value) in fields {
            let column = self
                .column(name)
                .ok_or_else(|| format!("'{name}' is not a field of {}", self.name))?;
            let ok = match (column.kind, value) {
                (_, Value::Null) => true,
                (Kind::Int, Value::Number(n)) => n.is_i64(),
                (Kind::Bool, Value::Bool(_)) => true,
                (Kind::Json, Value::Array(_) | Value::Object(_)) => true,
                (Kind::Text | Kind::Date | Kind::Time | Kind::Timestamp | Kind::Uuid, Value::String(_)) => {
                    true
                }
                _ => false,
            };
            if !ok {
                return Err(format!("'{name}' has the wrong type"));
            }
        }
        Ok(())
    }

    /// Whether `role` may delete rows of this table.
    pub fn may_delete(&self, role: Role) -> bool {
        self.may_push(role) && self.deleters.is_none_or(|roles| roles.contains(&role))
    }

    pub fn may_push(&self, role: Role) -> bool {
        match self.push {
            Push::PullOnly => false,
            Push::Writers(roles) | Push::AppendOnly(roles) => roles.contains(&role),
        }
    }
}

pub(super) const fn c(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        default: None,
    }
}

/// A column the server fills with `default` (JSON text) when it is left out.
pub(super) const fn d(name: &'static str, kind: Kind, default: &'static str) -> Column {
    Column {
        name,
        kind,
        default: Some(default),
    }
}
