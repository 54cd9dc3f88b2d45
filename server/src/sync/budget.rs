//! What a batch may still add: patients and storage under the clinic's
//! plan, and members per family (everyone on one mobile number) under the
//! domain's limit. Counted while ops are planned, so a batch cannot pass a
//! limit by spreading the additions over several ops, and given back when
//! an op's write is refused after all.

use std::collections::HashMap;

use domain::patient::MAX_FAMILY_MEMBERS;
use domain::sync::{Limited, Op, OpKind};
use serde_json::Value;

use crate::db::{self, Tx};

#[derive(Debug, Clone, Default)]
pub struct Budget {
    pub patients: i64,
    pub storage: i64,
    /// Live patients per mobile number, for the numbers this batch adds
    /// someone to. A number not here gains nobody in this batch, so a
    /// member leaving it needs no count.
    families: HashMap<String, i64>,
}

/// A patient joining the family on `to`, leaving the one on `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyMove {
    pub to: Option<String>,
    pub from: Option<String>,
}

impl Budget {
    /// The clinic's usage, and the families this batch's patient ops
    /// could add to, counted in one query.
    pub async fn load(tx: &mut Tx, ops: &[Op], patients: i64, storage: i64) -> sqlx::Result<Self> {
        let mut numbers: Vec<String> = ops
            .iter()
            .filter(|op| op.table == "patients" && op.kind != OpKind::Delete)
            .filter_map(|op| op.fields.get("mobile_number").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        numbers.sort();
        numbers.dedup();
        let mut families: HashMap<String, i64> = numbers.iter().map(|n| (n.clone(), 0)).collect();
        if !numbers.is_empty() {
            families.extend(db::sync::family_sizes(tx, &numbers).await?);
        }
        Ok(Self {
            patients,
            storage,
            families,
        })
    }

    /// Moves a patient between families, refusing a family already full.
    pub fn move_member(&mut self, change: &FamilyMove) -> Result<(), String> {
        if let Some(to) = &change.to {
            let size = self.families.entry(to.clone()).or_default();
            if *size >= MAX_FAMILY_MEMBERS as i64 {
                return Err(format!(
                    "mobile_number: {to} already has {MAX_FAMILY_MEMBERS} family members, the most allowed"
                ));
            }
            *size += 1;
        }
        if let Some(size) = change.from.as_ref().and_then(|from| self.families.get_mut(from)) {
            *size -= 1;
        }
        Ok(())
    }

    /// Gives back what a refused write had taken.
    pub fn undo(&mut self, consumed: Option<(Limited, i64)>, family: Option<&FamilyMove>) {
        match consumed {
            Some((Limited::Patients, n)) => self.patients -= n,
            Some((Limited::Storage, n)) => self.storage -= n,
            None => {}
        }
        if let Some(change) = family {
            for (number, by) in [(&change.to, -1), (&change.from, 1)] {
                if let Some(size) = number.as_ref().and_then(|n| self.families.get_mut(n)) {
                    *size += by;
                }
            }
        }
    }
}
