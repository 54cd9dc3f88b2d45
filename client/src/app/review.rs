//! "Needs review": the clinic's clinical values that lost a merge, from the
//! server (so the list is the same on every PC), named by patient and
//! field with who wrote each value on which PC. Taking the other value is
//! a new local write that syncs like any change; either way the item is
//! closed on the server and leaves every PC's list.

use contract::app::{CommandCode, CommandError};
use contract::screens::review::{ResolveArgs, ReviewItem};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{AppCore, CommandResult};

/// `GET /sync/conflicts`, as the server answers it.
#[derive(Debug, Clone, Deserialize)]
struct Conflict {
    id: Uuid,
    table: String,
    row_id: Uuid,
    field: String,
    kept_value: Value,
    lost_value: Value,
    lost_by_name: Option<String>,
    lost_on_device: Option<Uuid>,
    lost_on_device_name: Option<String>,
    detected_at: String,
    kept_by_name: Option<String>,
    kept_on_device: Option<Uuid>,
    kept_on_device_name: Option<String>,
    kept_at: Option<String>,
}

/// A value as the reviewer reads it.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".to_owned(),
        Value::String(s) if s.trim().is_empty() => "(empty)".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// "this PC", the PC's name, or "another PC".
fn pc_name(device: Option<Uuid>, name: Option<String>, this_pc: Uuid) -> String {
    match (device, name) {
        (Some(d), _) if d == this_pc => "this PC".to_owned(),
        (_, Some(name)) => name,
        _ => "another PC".to_owned(),
    }
}

impl AppCore {
    async fn server_conflicts(&self) -> CommandResult<Vec<Conflict>> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        Ok(server.get("/sync/conflicts").await?)
    }

    pub async fn review_items(&self) -> CommandResult<Vec<ReviewItem>> {
        let conflicts = self.server_conflicts().await?;
        let this_pc = self.device_id()?.as_uuid();
        let unknown = || "someone".to_owned();
        self.read(|store| -> CommandResult<Vec<ReviewItem>> {
            conflicts
                .into_iter()
                .map(|c| {
                    let patient = store.patient_of(&c.table, c.row_id)?;
                    Ok(ReviewItem {
                        id: c.id.to_string(),
                        field: domain::text::words(&c.field),
                        record: domain::text::words(c.table.trim_end_matches('s')),
                        patient_id: patient.as_ref().map(|(id, _)| id.clone()),
                        patient_name: patient.map(|(_, name)| name),
                        kept_value: shown(&c.kept_value),
                        kept_by: c.kept_by_name.unwrap_or_else(unknown),
                        kept_on: pc_name(c.kept_on_device, c.kept_on_device_name, this_pc),
                        kept_at: c.kept_at,
                        lost_value: shown(&c.lost_value),
                        lost_by: c.lost_by_name.unwrap_or_else(unknown),
                        lost_on: pc_name(c.lost_on_device, c.lost_on_device_name, this_pc),
                        detected_at: c.detected_at,
                    })
                })
                .collect()
        })
        .await
    }

    /// Settles one item: keeps the current value, or writes the other one
    /// again (a new change), then closes it on the server.
    pub async fn resolve_review(&self, args: ResolveArgs) -> CommandResult<()> {
        let id = Uuid::parse_str(&args.id)
            .map_err(|_| CommandError::new(CommandCode::NotFound, "This item was already settled."))?;
        let conflict = self
            .server_conflicts()
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| CommandError::new(CommandCode::NotFound, "This item was already settled."))?;
        if args.take_other {
            let mut fields = Map::new();
            fields.insert(conflict.field.clone(), conflict.lost_value.clone());
            self.write(|store| Ok(store.update(&conflict.table, conflict.row_id, fields)?))
                .await?;
        }
        let resolution = if args.take_other {
            "restored_loser"
        } else {
            "kept_winner"
        };
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        server
            .post_no_answer(
                &format!("/sync/conflicts/{id}/review"),
                &json!({"resolution": resolution}),
            )
            .await?;
        self.sync_now().await
    }
}
