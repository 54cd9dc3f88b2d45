//! Messages of the sync protocol (see docs/sync-protocol.md).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::hlc::Hlc;
use crate::ids::DeviceId;

/// The version this build speaks; the server also accepts the one before.
pub const PROTOCOL_VERSION: u32 = 1;
pub const OLDEST_SUPPORTED_VERSION: u32 = 1;
/// The header carrying the version on every request and response.
pub const PROTOCOL_HEADER: &str = "x-clinic-protocol";

/// Most operations one push may carry.
pub const MAX_OPS_PER_BATCH: usize = 2_000;
/// Most changes one pull page returns.
pub const MAX_PULL_LIMIT: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// Creates the row; fields not sent take their defaults.
    Insert,
    /// Changes the fields sent.
    Update,
    /// Tombstones the row. A deleted row never comes back.
    Delete,
}

impl OpKind {
    /// The stored and wire name (`insert`, `update`, `delete`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Insert => "insert",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Insert, Self::Update, Self::Delete]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// One local write, carrying only the fields it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Op {
    /// Unique per operation; results refer to it.
    pub op_id: Uuid,
    pub table: String,
    pub row_id: Uuid,
    pub kind: OpKind,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    /// Wall-clock ms (12 hex), counter (6 hex), pushing device (32 hex).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, pattern = r#"^[0-9a-f]{12}-[0-9a-f]{6}-(?!0{32})[0-9a-f]{32}$"#)
    )]
    pub hlc: Hlc,
}

/// `POST /sync/push`: the next batch of a device's outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// The protocol version the batch is written in (the server accepts
    /// its own and the one before).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1))]
    pub protocol: u32,
    /// The pushing PC: the device of the access token.
    pub device_id: DeviceId,
    /// 1, 2, 3, ... per device, each batch once, starting at 1. The last
    /// applied number again with the same content is answered from the
    /// record; with other content it is `409 batch_mismatch`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub batch_seq: i64,
    #[cfg_attr(feature = "openapi", schema(max_items = 2000))]
    pub ops: Vec<Op>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    /// Every field was taken.
    Applied,
    /// Some or all fields lost to newer writes; the losers are kept as
    /// conflict records for review.
    Merged,
    /// Not applied and never will be: the user must fix or discard it.
    Refused,
}

/// Why an operation was refused. Stable: clients match on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    UnknownTable,
    ValidationFailed,
    Forbidden,
    PlanLimitReached,
    TenantInactive,
    NotFound,
    Deleted,
    Immutable,
    AppointmentClash,
    Duplicate,
    MissingReference,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpResult {
    pub op_id: Uuid,
    pub status: OpStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields whose value lost to a newer write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost_fields: Vec<String>,
    /// For a refused change of a row the server has: its current values of
    /// the fields the op tried to set, with their clocks, so the PC can put
    /// them back when the user discards the refused change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentFields>,
}

/// Values the server holds and the clock of each.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentFields {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub values: Map<String, Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub hlc: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub protocol: u32,
    pub batch_seq: i64,
    /// One per op, in order.
    pub results: Vec<OpResult>,
    /// The clinic's change sequence after this batch.
    pub cursor: i64,
}

/// One entry of the clinic's change log as a PC receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub seq: i64,
    pub table: String,
    pub row_id: Uuid,
    pub kind: OpKind,
    /// True for a row of the platform's global catalog (today only
    /// medicines), which the platform operator changed: the PC takes it as
    /// it comes, keeps it without clocks and never lets the clinic edit it.
    /// Absent for the clinic's own rows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub global: bool,
    /// The fields this change set (all of them for an insert).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    /// Wall-clock ms (12 hex), counter (6 hex), pushing device (32 hex).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, pattern = r#"^[0-9a-f]{12}-[0-9a-f]{6}-(?!0{32})[0-9a-f]{32}$"#)
    )]
    pub hlc: Hlc,
}

/// `GET /sync/pull?since=N&limit=L`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub protocol: u32,
    pub changes: Vec<Change>,
    /// Pass as `since` next time.
    pub cursor: i64,
    pub has_more: bool,
    /// The log before `since` was compacted: take a snapshot instead.
    pub snapshot_required: bool,
    /// Clinical values in the clinic that lost a merge and wait for a
    /// person's review (sent with the last page, so PCs can show a count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_conflicts: Option<i64>,
    /// The clinic's epoch: it changes when the clinic is restored from a
    /// backup. Send it back as `epoch` with the next pull.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<Uuid>,
    /// Whether the clinic may write (and why not), with the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standing: Option<crate::tenant::Standing>,
}

/// First line of the `GET /sync/snapshot` stream (NDJSON). Each following
/// line is a [`SnapshotRow`]; the log continues from `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotHeader {
    pub protocol: u32,
    pub cursor: i64,
    /// Rows that follow, for a progress bar.
    pub total_rows: i64,
    /// The clinic's epoch the cursor belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<Uuid>,
    /// The last batch the server applied from this PC (0 for none). After
    /// a restore it can be older than the PC's: the PC numbers on from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_batch_seq: Option<i64>,
}

/// A current row: its id, data fields and per-field clocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotRow {
    pub table: String,
    /// True for a row of the platform's global catalog (today only
    /// medicines), which every clinic sees and none may change; absent
    /// for the clinic's own rows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub global: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub row: Map<String, Value>,
}

/// `GET /sync/events` (server-sent events): the clinic's sequence moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SequenceMoved {
    pub cursor: i64,
}
