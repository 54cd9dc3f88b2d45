//! A visit's bill: an invoice of lines (consultation, procedures, dispensed
//! medicines, anything else) and the payments made against it.
//!
//! Written offline on several PCs at once, so nothing that two desks may
//! change together lives in one field: an invoice's lines are fixed when
//! it is issued, and each payment is its own row. Whether a bill is paid
//! is worked out from its payments when it is read, never stored, so two
//! receptionists taking the two halves of a bill offline cannot clash.

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::money::{AMOUNT_MAX_MINOR, check_amount, line_total};
use crate::text;

/// Lines one invoice may hold.
pub const LINES_MAX: usize = 100;
/// Longest line description and payment reference.
pub const DESCRIPTION_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Consultation,
    Procedure,
    Medicine,
    Other,
}

impl LineKind {
    pub const ALL: [Self; 4] = [Self::Consultation, Self::Procedure, Self::Medicine, Self::Other];

    pub fn title(self) -> &'static str {
        match self {
            Self::Consultation => "Consultation",
            Self::Procedure => "Procedure",
            Self::Medicine => "Medicine",
            Self::Other => "Other",
        }
    }
}

/// One line of an invoice; its total is `quantity × unit_price_minor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub kind: LineKind,
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    /// What the line bills: the procedure's or the prescription item's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<String>,
}

impl InvoiceLine {
    pub fn total_minor(&self) -> Result<i64, ValidationError> {
        line_total(self.unit_price_minor, self.quantity)
    }
}

/// Checks every line and returns the invoice's total. Errors name the
/// line: `lines.2.quantity`.
pub fn check_lines(lines: &[InvoiceLine]) -> Result<i64, ValidationError> {
    if lines.is_empty() {
        return Err(ValidationError::new("lines", "add at least one line to bill"));
    }
    if lines.len() > LINES_MAX {
        return Err(ValidationError::new(
            "lines",
            format!("at most {LINES_MAX} lines"),
        ));
    }
    let mut total: i64 = 0;
    for (i, line) in lines.iter().enumerate() {
        let at = |field: &str| format!("lines.{i}.{field}");
        text::required(&at("description"), &line.description, DESCRIPTION_MAX)?;
        if !(1..=1000).contains(&line.quantity) {
            return Err(ValidationError::new(at("quantity"), "must be between 1 and 1000"));
        }
        check_amount(&at("unit_price"), line.unit_price_minor)?;
        let line_total = line
            .total_minor()
            .map_err(|e| ValidationError::new(at("total"), e.message))?;
        total = total
            .checked_add(line_total)
            .filter(|t| *t <= AMOUNT_MAX_MINOR)
            .ok_or_else(|| ValidationError::new("total", "is too large"))?;
    }
    Ok(total)
}

/// Whether an invoice stands: issued, or void (it bills nothing; only an
/// invoice nobody paid can be voided, with a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Issued,
    Void,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Void => "void",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Issued, Self::Void].into_iter().find(|s| s.as_str() == raw)
    }
}

/// How much of a bill is paid, from its payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Unpaid,
    PartPaid,
    Paid,
    /// More was taken than the bill asks (two desks offline took the last
    /// part each): the difference is owed back to the patient.
    Overpaid,
    Void,
}

impl PaymentState {
    pub fn of(status: InvoiceStatus, total_minor: i64, paid_minor: i64) -> Self {
        match status {
            InvoiceStatus::Void => Self::Void,
            InvoiceStatus::Issued if paid_minor > total_minor => Self::Overpaid,
            InvoiceStatus::Issued if paid_minor == total_minor => Self::Paid,
            InvoiceStatus::Issued if paid_minor > 0 => Self::PartPaid,
            InvoiceStatus::Issued => Self::Unpaid,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Unpaid => "Unpaid",
            Self::PartPaid => "Part paid",
            Self::Paid => "Paid",
            Self::Overpaid => "Overpaid",
            Self::Void => "Void",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    Cash,
    Card,
    Upi,
    Other,
}

impl PaymentMode {
    pub const ALL: [Self; 4] = [Self::Cash, Self::Card, Self::Upi, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Card => "card",
            Self::Upi => "upi",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Cash => "Cash",
            Self::Card => "Card",
            Self::Upi => "UPI",
            Self::Other => "Other",
        }
    }
}

/// A payment about to be taken against a bill with `outstanding_minor`
/// still owed: more than nothing and no more than is owed.
pub fn check_payment(amount_minor: i64, outstanding_minor: i64) -> Result<i64, ValidationError> {
    if amount_minor <= 0 {
        return Err(ValidationError::new("amount", "must be more than zero"));
    }
    if outstanding_minor <= 0 {
        return Err(ValidationError::new("amount", "this bill is already paid"));
    }
    if amount_minor > outstanding_minor {
        return Err(ValidationError::new("amount", "is more than the bill still owes"));
    }
    Ok(amount_minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(kind: LineKind, quantity: i64, unit: i64) -> InvoiceLine {
        InvoiceLine {
            kind,
            description: "Consultation".into(),
            quantity,
            unit_price_minor: unit,
            ref_id: None,
        }
    }

    #[test]
    fn an_invoice_totals_its_lines_exactly() {
        let lines = [
            line(LineKind::Consultation, 1, 50_000),
            line(LineKind::Medicine, 3, 1_999),
        ];
        assert_eq!(check_lines(&lines), Ok(55_997));
        assert_eq!(check_lines(&[]).map_err(|e| e.field), Err("lines".to_owned()));
        let refused = |lines: &[InvoiceLine]| check_lines(lines).map_err(|e| e.field);
        assert_eq!(
            refused(&[lines[0].clone(), line(LineKind::Other, 0, 10)]),
            Err("lines.1.quantity".to_owned())
        );
        assert_eq!(
            refused(&[line(LineKind::Other, 1, -1)]),
            Err("lines.0.unit_price".to_owned())
        );
        let huge = line(LineKind::Other, 1, AMOUNT_MAX_MINOR);
        assert_eq!(refused(&[huge.clone(), huge]), Err("total".to_owned()));
        let mut blank = line(LineKind::Other, 1, 1);
        blank.description = "  ".into();
        assert_eq!(refused(&[blank]), Err("lines.0.description".to_owned()));
    }

    #[test]
    fn paid_state_comes_from_payments() {
        use InvoiceStatus::*;
        assert_eq!(PaymentState::of(Issued, 1000, 0), PaymentState::Unpaid);
        assert_eq!(PaymentState::of(Issued, 1000, 400), PaymentState::PartPaid);
        assert_eq!(PaymentState::of(Issued, 1000, 1000), PaymentState::Paid);
        // Two desks took the last part offline at once: the patient paid
        // 600 too much, and the desk must see it to give it back.
        assert_eq!(PaymentState::of(Issued, 1000, 1600), PaymentState::Overpaid);
        assert_eq!(PaymentState::of(Void, 1000, 0), PaymentState::Void);
        assert_eq!(check_payment(500, 1000), Ok(500));
        assert!(check_payment(0, 1000).is_err());
        assert!(check_payment(1001, 1000).is_err());
        assert!(check_payment(1, 0).is_err());
    }
}
