//! Per-clinic numbers: `APT` / `RX` / `INV` / `RCP` + YYYYMMDD + 4 digits.
//!
//! PCs allocate numbers offline, so two PCs must never pick the same one:
//! each PC of a clinic gets a device slot (0-9) and numbers the day's
//! records `slot * 1000 + n`, n = 1..999 — up to 999 per PC per day, and
//! still the 4 digits the domain prescribes.

use chrono::NaiveDate;

use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Appointment,
    Prescription,
    Invoice,
    Receipt,
}

impl Series {
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Appointment => "APT",
            Self::Prescription => "RX",
            Self::Invoice => "INV",
            Self::Receipt => "RCP",
        }
    }
}

impl Series {
    /// The column that holds the number.
    pub fn column(self) -> &'static str {
        match self {
            Self::Appointment => "appointment_number",
            Self::Prescription => "prescription_number",
            Self::Invoice => "invoice_number",
            Self::Receipt => "receipt_number",
        }
    }

    /// The synced table whose rows carry the number.
    pub fn table(self) -> &'static str {
        match self {
            Self::Appointment => "appointments",
            Self::Prescription => "prescriptions",
            Self::Invoice => "invoices",
            Self::Receipt => "payments",
        }
    }
}

/// The `n`-th number of `date` for the PC in `slot`.
pub fn number(series: Series, date: NaiveDate, slot: u8, n: u32) -> Result<String, ValidationError> {
    if slot > 9 {
        return Err(ValidationError::new(
            "device_slot",
            "a clinic numbers at most 10 PCs per day",
        ));
    }
    if !(1..=999).contains(&n) {
        return Err(ValidationError::new(
            "number",
            "at most 999 records per PC per day",
        ));
    }
    Ok(format!(
        "{}{}{:04}",
        series.prefix(),
        date.format("%Y%m%d"),
        u32::from(slot) * 1000 + n
    ))
}

/// Splits a number back into its date and sequence.
pub fn parse(series: Series, raw: &str) -> Result<(NaiveDate, u32), ValidationError> {
    let field = series.column();
    let bad = || ValidationError::new(field, format!("must look like {}202611270001", series.prefix()));
    let rest = raw.strip_prefix(series.prefix()).ok_or_else(bad)?;
    if rest.len() != 12 || !rest.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let date = NaiveDate::parse_from_str(&rest[..8], "%Y%m%d").map_err(|_| bad())?;
    let seq = rest[8..].parse().map_err(|_| bad())?;
    Ok((date, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    #[test]
    fn numbers_round_trip_and_pcs_never_collide() {
        let a = number(Series::Appointment, day(), 0, 1).expect("number");
        assert_eq!(a, "APT202611270001");
        assert_eq!(parse(Series::Appointment, &a), Ok((day(), 1)));
        let b = number(Series::Prescription, day(), 3, 42).expect("number");
        assert_eq!(b, "RX202611273042");
        let mut all: Vec<String> = (0..10u8)
            .flat_map(|slot| {
                (1..=999).map(move |n| number(Series::Appointment, day(), slot, n).unwrap_or_default())
            })
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 9_990, "distinct across every PC slot");
        assert!(number(Series::Appointment, day(), 10, 1).is_err());
        assert!(number(Series::Appointment, day(), 0, 1000).is_err());
        assert!(parse(Series::Prescription, "RX2026112700").is_err());
        assert!(parse(Series::Prescription, "APT202611270001").is_err());
        assert!(parse(Series::Prescription, "RX202613270001").is_err(), "month 13");
    }
}
