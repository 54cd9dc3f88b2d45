//! The global medicine catalog: the operator adds, changes and retires
//! medicines every clinic reads. Each change is one owner transaction: the
//! row, one entry in every clinic's change log (so each PC receives it with
//! the pull it already makes) and the `operator_audit` row.

use clap::Subcommand;
use domain::medicine::MedicineText;
use serde_json::{Map, Value, json};
use sqlx::PgPool;
use uuid::Uuid;

use super::OperatorError;
use crate::db::global_medicines::{self as db, GlobalMedicine};
use crate::db::operator::audit;
use crate::sync::server_writes::log_global_row;

#[derive(Debug, Clone, Subcommand)]
pub enum MedicineAction {
    /// Global medicines (id, name, strength, whether retired).
    List {
        /// Only those whose name or generic name contains this.
        #[arg(long, default_value = "")]
        search: String,
    },
    /// Add a medicine to the catalog every clinic reads.
    Add {
        #[command(flatten)]
        text: MedicineArgs,
    },
    /// Change a global medicine; fields not given keep their value.
    Change {
        #[arg(long)]
        id: Uuid,
        #[command(flatten)]
        text: MedicineArgs,
    },
    /// Take a global medicine out of every clinic's search (prescriptions
    /// and short keys that name it keep showing its name).
    Retire {
        #[arg(long)]
        id: Uuid,
    },
}

/// A medicine's fields as given on the command line; lists are
/// comma-separated ("tablet, syrup").
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MedicineArgs {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub generic_name: Option<String>,
    #[arg(long)]
    pub composition: Option<String>,
    #[arg(long)]
    pub strength: Option<String>,
    #[arg(long)]
    pub dosage_forms: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub contraindications: Option<String>,
}

pub async fn execute(
    owner: &PgPool,
    operator: &str,
    action: &MedicineAction,
) -> Result<String, OperatorError> {
    match action {
        MedicineAction::List { search } => list(owner, search).await,
        MedicineAction::Add { text } => add(owner, operator, text).await,
        MedicineAction::Change { id, text } => change(owner, operator, *id, text).await,
        MedicineAction::Retire { id } => retire(owner, operator, *id).await,
    }
}

async fn list(owner: &PgPool, search: &str) -> Result<String, OperatorError> {
    let mut tx = owner.begin().await?;
    let found = db::list(&mut tx, &search.trim().replace(['%', '_'], "")).await?;
    tx.commit().await?;
    if found.is_empty() {
        return Ok("No global medicine matches.".to_owned());
    }
    let lines: Vec<String> = found
        .iter()
        .map(|m| {
            format!(
                "{}  {}{}{}",
                m.id,
                m.name,
                m.strength.as_deref().map(|s| format!(" {s}")).unwrap_or_default(),
                if m.is_active { "" } else { "  (retired)" }
            )
        })
        .collect();
    Ok(lines.join("\n"))
}

async fn add(owner: &PgPool, operator: &str, given: &MedicineArgs) -> Result<String, OperatorError> {
    let fields = checked(&GlobalMedicine::default(), given)?;
    let id = Uuid::now_v7();
    let mut tx = owner.begin().await?;
    db::insert(&mut tx, id, &fields).await?;
    let clinics = log_global_row(&mut tx, "medicines", id, "insert").await?;
    let details = json!({"id": id, "after": fields, "clinics": clinics});
    audit(&mut tx, operator, "add_medicine", None, &details).await?;
    tx.commit().await?;
    Ok(format!(
        "Added {} ({id}); sent to {clinics} clinics.",
        fields["name"].as_str().unwrap_or("")
    ))
}

async fn change(
    owner: &PgPool,
    operator: &str,
    id: Uuid,
    given: &MedicineArgs,
) -> Result<String, OperatorError> {
    let mut tx = owner.begin().await?;
    let before = db::for_update(&mut tx, id)
        .await?
        .ok_or(OperatorError::UnknownMedicine(id))?;
    let fields = checked(&before, given)?;
    db::update(&mut tx, id, &fields).await?;
    let clinics = log_global_row(&mut tx, "medicines", id, "update").await?;
    let details = json!({"id": id, "before": before.name, "after": fields, "clinics": clinics});
    audit(&mut tx, operator, "change_medicine", None, &details).await?;
    tx.commit().await?;
    Ok(format!(
        "Changed {} ({id}); sent to {clinics} clinics.",
        fields["name"].as_str().unwrap_or("")
    ))
}

async fn retire(owner: &PgPool, operator: &str, id: Uuid) -> Result<String, OperatorError> {
    let mut tx = owner.begin().await?;
    let medicine = db::for_update(&mut tx, id)
        .await?
        .ok_or(OperatorError::UnknownMedicine(id))?;
    if !medicine.is_active {
        return Err(OperatorError::AlreadyRetired(medicine.name));
    }
    db::retire(&mut tx, id).await?;
    let clinics = log_global_row(&mut tx, "medicines", id, "update").await?;
    let details = json!({"id": id, "name": medicine.name, "clinics": clinics});
    audit(&mut tx, operator, "retire_medicine", None, &details).await?;
    tx.commit().await?;
    Ok(format!(
        "Retired {} ({id}); sent to {clinics} clinics.",
        medicine.name
    ))
}

/// The medicine's text with what the operator gave put over it, checked
/// as a clinic's own medicine is.
fn checked(current: &GlobalMedicine, given: &MedicineArgs) -> Result<Map<String, Value>, OperatorError> {
    let pick = |given: &Option<String>, current: String| given.clone().unwrap_or(current);
    let name = pick(&given.name, current.name.clone());
    let generic_name = pick(
        &given.generic_name,
        current.generic_name.clone().unwrap_or_default(),
    );
    let composition = pick(&given.composition, current.composition.clone());
    let strength = pick(&given.strength, current.strength.clone().unwrap_or_default());
    let dosage_forms = pick(&given.dosage_forms, current.dosage_forms.join(", "));
    let category = pick(&given.category, current.category.clone().unwrap_or_default());
    let contraindications = pick(&given.contraindications, current.contraindications.join(", "));
    let text = MedicineText {
        name: &name,
        generic_name: &generic_name,
        composition: &composition,
        strength: &strength,
        dosage_forms: &dosage_forms,
        category: &category,
        contraindications: &contraindications,
    };
    text.fields().map_err(|errors| {
        let said: Vec<String> = errors
            .iter()
            .map(|e| format!("--{}: {}", e.field.replace('_', "-"), e.message))
            .collect();
        OperatorError::BadMedicine(said.join("; "))
    })
}
