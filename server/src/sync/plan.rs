//! Deciding what each op of a batch will do, before any SQL runs: the
//! caller's role, the table's rules, validation, plan limits and
//! field-level last-writer-wins against the row's stored clocks.

use chrono::Utc;
use domain::plan::within_limit;
use domain::sync::{Limited, Op, OpKind, Push, Refusal, TableSpec, tables};
use serde_json::{Map, Value};

use super::budget::{Budget, FamilyMove};
use super::rows::RowState;
use crate::auth::Claims;
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};

/// What the batch needs to know about the caller and the clinic.
pub struct Context {
    pub auth: Claims,
    can_create_records: bool,
    max_patients: i64,
    max_storage: i64,
    /// What the batch may still add, as the clinic stands before it.
    pub budget: Budget,
}

impl Context {
    pub async fn load(tx: &mut Tx, auth: &Claims, ops: &[Op]) -> ApiResult<Self> {
        let tenant = db::tenants::current(tx, false).await?;
        let sub = tenant.subscription().map_err(ApiError::Internal)?;
        // Counting a clinic's patients costs a scan: only when this batch
        // creates rows that consume a limit.
        let consumes = ops.iter().any(|op| {
            tables::table(&op.table).is_some_and(|t| match t.limited {
                Some(Limited::Patients) => op.kind == OpKind::Insert,
                // A file's size can grow by an update too.
                Some(Limited::Storage) => op.kind == OpKind::Insert || op.fields.contains_key("size_bytes"),
                None => false,
            })
        });
        let usage = if consumes {
            db::tenants::usage(tx).await?
        } else {
            domain::tenant::Usage {
                offices: 0,
                doctors: 0,
                patients: 0,
                storage_bytes: 0,
            }
        };
        let limits = tenant.limits();
        db::doctors::act_as_author(tx, auth.sub).await?;
        let budget = Budget::load(tx, ops, usage.patients, usage.storage_bytes).await?;
        Ok(Self {
            auth: auth.clone(),
            can_create_records: sub.can_create_records(Utc::now()),
            max_patients: limits.max_patients,
            max_storage: limits.max_storage_bytes,
            budget,
        })
    }
}

/// What an op will do once checked: which fields win, which lose.
#[derive(Debug)]
pub struct Planned {
    pub spec: &'static TableSpec,
    pub action: Action,
    /// The op's clock in its string form (what rows and the log store),
    /// written once per op.
    pub hlc: String,
    pub winners: Map<String, Value>,
    pub losers: Vec<String>,
    pub consumes: Option<(Limited, i64)>,
    /// A patient joining or leaving a family (mobile number).
    pub family: Option<FamilyMove>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Action {
    Insert,
    Update,
    Delete,
    /// Nothing left to write (all fields lost, or already deleted).
    Nothing,
}

pub type Refused = (Refusal, String);

pub fn plan(
    ctx: &Context,
    op: &Op,
    state: Option<&RowState>,
    budget: &mut Budget,
) -> Result<Planned, Refused> {
    let spec =
        tables::table(&op.table).ok_or((Refusal::UnknownTable, format!("'{}' is not synced", op.table)))?;
    if !spec.may_push(ctx.auth.role) {
        return Err((
            Refusal::Forbidden,
            format!("your role cannot change {}", spec.name),
        ));
    }
    if matches!(spec.push, Push::AppendOnly(_)) && (op.kind != OpKind::Insert || state.is_some()) {
        return Err((
            Refusal::Forbidden,
            format!("{} rows cannot be changed once written", spec.name),
        ));
    }
    spec.check_fields(&op.fields)
        .map_err(|m| (Refusal::ValidationFailed, m))?;
    domain::sync::validate::fields(spec.name, &op.fields, Utc::now().date_naive())
        .map_err(|e| (Refusal::ValidationFailed, e.to_string()))?;
    let mut planned = Planned {
        spec,
        action: Action::Nothing,
        hlc: op.hlc.to_string(),
        winners: Map::new(),
        losers: Vec::new(),
        consumes: None,
        family: None,
    };
    if op.kind == OpKind::Delete && !spec.may_delete(ctx.auth.role) {
        return Err((
            Refusal::Forbidden,
            format!("your role cannot delete {}; archive them instead", spec.name),
        ));
    }
    match (op.kind, state) {
        (OpKind::Delete, None) => return Err((Refusal::NotFound, "no such record".into())),
        (OpKind::Delete, Some(s)) if !s.deleted => {
            planned.action = Action::Delete;
            planned.family = leave_family(spec, &s.values, budget);
        }
        (OpKind::Delete, Some(_)) => {}
        (_, Some(s)) if s.deleted => return Err((Refusal::Deleted, "the record was deleted".into())),
        (OpKind::Update, None) => return Err((Refusal::NotFound, "no such record".into())),
        (OpKind::Insert, None) => {
            if spec.needs_active_subscription && !ctx.can_create_records {
                return Err((
                    Refusal::TenantInactive,
                    "the clinic's subscription is not active".into(),
                ));
            }
            planned.family = join_family(spec, None, &op.fields, budget)?;
            planned.consumes = consume(ctx, spec, &op.fields, budget).inspect_err(|_| {
                budget.undo(None, planned.family.as_ref());
            })?;
            planned.winners = op.fields.clone();
            planned.action = Action::Insert;
        }
        // An update, or an insert of a row that exists (a retried create):
        // field-level last-writer-wins by HLC.
        (_, Some(s)) => {
            let merged = domain::sync::merge::merge(&s.field_hlc, &s.values, &op.fields, &planned.hlc);
            planned.winners = merged.winners;
            planned.losers = merged.losers;
            if !planned.winners.is_empty() {
                planned.action = Action::Update;
                planned.family = join_family(spec, Some(&s.values), &planned.winners, budget)?;
                planned.consumes = grow(ctx, spec, &planned.winners, &s.values, &mut budget.storage)?;
            }
        }
    }
    Ok(planned)
}

/// A patient taking a mobile number joins that family, which must have
/// room (DOMAIN.md: at most 10 per number); the PCs check it too, but two
/// PCs offline can each add the tenth.
fn join_family(
    spec: &TableSpec,
    stored: Option<&Map<String, Value>>,
    fields: &Map<String, Value>,
    budget: &mut Budget,
) -> Result<Option<FamilyMove>, Refused> {
    let Some(to) = fields
        .get("mobile_number")
        .and_then(Value::as_str)
        .filter(|_| spec.name == "patients")
    else {
        return Ok(None);
    };
    let from = stored
        .and_then(|s| s.get("mobile_number"))
        .and_then(Value::as_str);
    if from == Some(to) {
        return Ok(None);
    }
    let change = FamilyMove {
        to: Some(to.to_owned()),
        from: from.map(str::to_owned),
    };
    budget
        .move_member(&change)
        .map_err(|m| (Refusal::ValidationFailed, m))?;
    Ok(Some(change))
}

fn leave_family(spec: &TableSpec, stored: &Map<String, Value>, budget: &mut Budget) -> Option<FamilyMove> {
    let from = stored
        .get("mobile_number")
        .and_then(Value::as_str)
        .filter(|_| spec.name == "patients")?;
    let change = FamilyMove {
        to: None,
        from: Some(from.to_owned()),
    };
    budget.move_member(&change).ok()?;
    Some(change)
}

fn consume(
    ctx: &Context,
    spec: &TableSpec,
    fields: &Map<String, Value>,
    budget: &mut Budget,
) -> Result<Option<(Limited, i64)>, Refused> {
    let Budget {
        patients, storage, ..
    } = budget;
    match spec.limited {
        Some(Limited::Patients) => {
            if !within_limit(ctx.max_patients, *patients, 1) {
                return Err((
                    Refusal::PlanLimitReached,
                    format!("the plan allows {} patients", ctx.max_patients),
                ));
            }
            *patients += 1;
            Ok(Some((Limited::Patients, 1)))
        }
        Some(Limited::Storage) => {
            let size = fields.get("size_bytes").and_then(Value::as_i64).unwrap_or(0);
            if !within_limit(ctx.max_storage, *storage, size) {
                return Err((Refusal::PlanLimitReached, "the plan's storage is full".into()));
            }
            *storage += size;
            Ok(Some((Limited::Storage, size)))
        }
        None => Ok(None),
    }
}

/// The storage an update adds (a file replaced by a larger one), checked
/// against the plan like an insert.
fn grow(
    ctx: &Context,
    spec: &TableSpec,
    winners: &Map<String, Value>,
    stored: &Map<String, Value>,
    storage: &mut i64,
) -> Result<Option<(Limited, i64)>, Refused> {
    let (Some(Limited::Storage), Some(new)) =
        (spec.limited, winners.get("size_bytes").and_then(Value::as_i64))
    else {
        return Ok(None);
    };
    let growth = new - stored.get("size_bytes").and_then(Value::as_i64).unwrap_or(0);
    if growth > 0 && !within_limit(ctx.max_storage, *storage, growth) {
        return Err((Refusal::PlanLimitReached, "the plan's storage is full".into()));
    }
    *storage += growth;
    Ok(Some((Limited::Storage, growth)))
}
