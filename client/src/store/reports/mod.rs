//! The figures of the Reports page, read from this PC's store in one
//! transaction (one consistent view, even while sync writes). Figures are
//! kept per day (`days`): a report first works out the days of its range
//! that are not kept, then sums the kept ones, so a year reads a few
//! thousand rows instead of every visit, payment and item in it. Money is
//! grouped by the PC's local day of each payment.

mod days;

use chrono::{Local, NaiveDate};
use contract::screens::reports::{DoctorVisits, Ranked};
use rusqlite::{Transaction, TransactionBehavior};

use super::{Store, get_state, set_state};
use crate::error::StoreError;

/// Money received on one local day for one doctor by one payment mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takings {
    pub day: NaiveDate,
    /// The bill's doctor ("" for none) and their name.
    pub doctor_id: String,
    pub doctor: String,
    pub mode: String,
    pub amount_minor: i64,
    pub payments: u32,
}

/// The raw figures of a range, before they are grouped for the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeFigures {
    pub visits: Vec<DoctorVisits>,
    pub takings: Vec<Takings>,
    pub bills: u32,
    pub billed_minor: i64,
    pub new_patients: u32,
    pub returning_patients: u32,
    pub top_diagnoses: Vec<Ranked>,
    pub top_medicines: Vec<Ranked>,
}

/// A visit that took place (or is yet to): not cancelled, missed or moved.
const HELD: &str = "a.status NOT IN ('cancelled', 'no_show', 'rescheduled')";
/// A prescription that was issued (drafts and cancelled ones are not).
const ISSUED: &str = "r.status IN ('active', 'dispensed', 'completed', 'expired')";
/// The sync-state key holding the UTC offset the kept days were worked out
/// in: payments are kept by local day, so a new time zone starts afresh.
const KEPT_OFFSET: &str = "report_days_offset";

/// Forgets every kept day when this PC's time zone is not the one they
/// were worked out in.
fn check_offset(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let offset = Local::now().offset().to_string();
    if get_state(tx, KEPT_OFFSET)?.as_deref() != Some(offset.as_str()) {
        tx.execute("DELETE FROM report_days", [])?;
        set_state(tx, KEPT_OFFSET, &offset)?;
    }
    Ok(())
}

impl Store {
    /// Every figure of the range `from..=to`. Takes the write lock for the
    /// moment it works out days not kept, so the days it sums are the ones
    /// it just read.
    pub fn range_figures(&self, from: NaiveDate, to: NaiveDate) -> Result<RangeFigures, StoreError> {
        let tx = Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)?;
        check_offset(&tx)?;
        days::keep(&tx, from, to)?;
        let (first, last) = (from.to_string(), to.to_string());
        let names = days::doctor_names(&tx)?;
        let (bills, billed_minor) = days::bills(&tx, &first, &last)?;
        let (new_patients, returning_patients) = days::new_and_returning(&tx, &first, &last)?;
        let figures = RangeFigures {
            visits: days::visits(&tx, &names, &first, &last)?,
            takings: days::takings(&tx, &names, &first, &last)?,
            bills,
            billed_minor,
            new_patients,
            returning_patients,
            top_diagnoses: days::top(&tx, "report_day_diagnoses", &first, &last)?,
            top_medicines: days::top(&tx, "report_day_medicines", &first, &last)?,
        };
        tx.commit()?;
        Ok(figures)
    }

    /// Forgets every kept day: the next report works each out again from
    /// the records (what kept days must always agree with).
    pub fn forget_report_days(&self) -> Result<(), StoreError> {
        self.conn().execute("DELETE FROM report_days", [])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
