//! `clinic-server admin`: the platform operator's controls, run on the
//! server machine as the owner role and never offered over HTTP. Each
//! change is one transaction with its `operator_audit` row, and wakes the
//! clinic's PCs so they learn at once (a suspension shows before anyone
//! types, not when a sync is refused).

mod clinics;
mod list;
mod medicines;

use chrono::NaiveDate;
use clap::Subcommand;
use sqlx::PgPool;

pub use clinics::{LimitChanges, PlanChange};
pub use medicines::{MedicineAction, MedicineArgs};

#[derive(Debug, Clone, Subcommand)]
pub enum AdminAction {
    /// Every clinic: plan, status, usage against its limits, last activity.
    Clinics,
    /// Move a clinic to another plan; its limits become the plan's unless
    /// given (-1 = unlimited).
    Plan {
        #[arg(long)]
        clinic: String,
        /// trial, basic, premium or enterprise.
        plan: String,
        #[command(flatten)]
        limits: LimitChanges,
        /// The paid subscription runs until this day (YYYY-MM-DD).
        #[arg(long)]
        until: Option<NaiveDate>,
    },
    /// Give a trial clinic more days (counted from today once it ended).
    ExtendTrial {
        #[arg(long)]
        clinic: String,
        #[arg(long)]
        days: u32,
    },
    /// Stop a clinic writing (it keeps reading); its PCs show the reason.
    Suspend {
        #[arg(long)]
        clinic: String,
        #[arg(long)]
        reason: String,
    },
    /// Let a suspended clinic write again.
    Reactivate {
        #[arg(long)]
        clinic: String,
    },
    /// The global medicine catalog every clinic reads: list, add, change,
    /// retire. Each change reaches every clinic's PCs through its log.
    Medicine {
        #[command(subcommand)]
        action: MedicineAction,
    },
}

/// What an operator did wrong, in words for the terminal.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("no clinic has the code {0}")]
    UnknownClinic(String),
    #[error("{0:?} is not a plan (trial, basic, premium, enterprise)")]
    UnknownPlan(String),
    #[error("{name} must be -1 (unlimited) or more, not {value}")]
    BadLimit { name: &'static str, value: i64 },
    #[error("{0} is not on a trial; change its plan instead")]
    NotOnTrial(String),
    #[error("give 1 to 365 days, not {0}")]
    BadDays(u32),
    #[error("{0} is not suspended")]
    NotSuspended(String),
    #[error("say why the clinic is suspended (1 to 500 characters): its PCs show it")]
    BadReason,
    #[error("the end date {0} has already passed")]
    PastDate(NaiveDate),
    #[error("{0}")]
    BadMedicine(String),
    #[error("no global medicine has the id {0} (a clinic's own medicine is the clinic's to change)")]
    UnknownMedicine(uuid::Uuid),
    #[error("{0} is already retired")]
    AlreadyRetired(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Log(#[from] anyhow::Error),
}

/// Runs one action as `operator` and returns what to print.
pub async fn execute(owner: &PgPool, operator: &str, action: &AdminAction) -> Result<String, OperatorError> {
    match action {
        AdminAction::Clinics => list::clinics(owner).await,
        AdminAction::Plan {
            clinic,
            plan,
            limits,
            until,
        } => {
            let change = PlanChange::parse(plan, limits, *until)?;
            clinics::change_plan(owner, operator, clinic, &change).await
        }
        AdminAction::ExtendTrial { clinic, days } => {
            clinics::extend_trial(owner, operator, clinic, *days).await
        }
        AdminAction::Suspend { clinic, reason } => clinics::suspend(owner, operator, clinic, reason).await,
        AdminAction::Reactivate { clinic } => clinics::reactivate(owner, operator, clinic).await,
        AdminAction::Medicine { action } => medicines::execute(owner, operator, action).await,
    }
}
