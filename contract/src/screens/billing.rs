//! Bills and payments on the screen: a visit's invoice as typed (amounts
//! as the person writes them, checked here exactly into minor units), the
//! invoice as shown, and a payment taken against it.

use serde::{Deserialize, Serialize};

use domain::ValidationError;
use domain::billing::{self, InvoiceLine, LineKind, PaymentMode, PaymentState};
use domain::money::MoneyFormat;
use domain::text;

/// What a new bill is for: a patient, and the visit when there is one
/// (its consultation, procedures and medicines are suggested as lines).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BillFor {
    pub patient_id: String,
    #[serde(default)]
    pub appointment_id: Option<String>,
}

/// One line as typed: quantity and unit price are text until checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineForm {
    pub kind: LineKind,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    #[serde(default)]
    pub ref_id: Option<String>,
}

impl LineForm {
    pub fn blank() -> Self {
        Self {
            kind: LineKind::Other,
            description: String::new(),
            quantity: "1".into(),
            unit_price: String::new(),
            ref_id: None,
        }
    }
}

/// A bill about to be issued.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InvoiceForm {
    pub patient_id: String,
    #[serde(default)]
    pub appointment_id: Option<String>,
    #[serde(default)]
    pub doctor_id: Option<String>,
    #[serde(default)]
    pub prescription_id: Option<String>,
    pub lines: Vec<LineForm>,
    #[serde(default)]
    pub notes: String,
}

/// An invoice form that passed its checks: exact lines and their total.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedInvoice {
    pub lines: Vec<InvoiceLine>,
    pub total_minor: i64,
    pub notes: Option<String>,
}

impl InvoiceForm {
    /// Every line's amounts read in the clinic's money format; problems
    /// are named per line (`lines.1.unit_price`), all at once.
    pub fn validate(&self, money: MoneyFormat) -> Result<CheckedInvoice, Vec<ValidationError>> {
        let mut errors = Vec::new();
        if self.patient_id.trim().is_empty() {
            errors.push(ValidationError::new("patient_id", "Choose the patient."));
        }
        let mut lines = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            let at = |field: &str| format!("lines.{i}.{field}");
            let quantity = line.quantity.trim().parse::<i64>().unwrap_or(0);
            if !(1..=1000).contains(&quantity) {
                errors.push(ValidationError::new(
                    at("quantity"),
                    "Enter a quantity from 1 to 1000.",
                ));
            }
            let unit = money
                .parse(&at("unit_price"), &line.unit_price)
                .unwrap_or_else(|e| {
                    errors.push(e);
                    0
                });
            lines.push(InvoiceLine {
                kind: line.kind,
                description: line.description.trim().to_owned(),
                quantity,
                unit_price_minor: unit,
                ref_id: line.ref_id.clone(),
            });
        }
        let notes = text::optional("notes", Some(&self.notes), text::LONG_TEXT_MAX).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        let total_minor = billing::check_lines(&lines).map_err(|e| vec![e])?;
        Ok(CheckedInvoice {
            lines,
            total_minor,
            notes,
        })
    }
}

/// An invoice in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub id: String,
    pub number: String,
    pub patient_id: String,
    pub patient_name: String,
    pub doctor_name: Option<String>,
    pub issued_on: String,
    pub currency: String,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub state: PaymentState,
}

impl InvoiceRow {
    /// What is still owed (never below zero: two desks may both have
    /// taken the last part offline).
    pub fn outstanding_minor(&self) -> i64 {
        match self.state {
            PaymentState::Void => 0,
            _ => (self.total_minor - self.paid_minor).max(0),
        }
    }

    /// What was taken beyond the bill, to give back to the patient.
    pub fn overpaid_minor(&self) -> i64 {
        match self.state {
            PaymentState::Overpaid => self.paid_minor - self.total_minor,
            _ => 0,
        }
    }
}

/// A payment as shown on the bill and its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub id: String,
    pub receipt_number: String,
    pub amount_minor: i64,
    pub mode: PaymentMode,
    pub reference: Option<String>,
    pub paid_at: String,
    pub received_by: String,
}

/// One invoice with its lines and payments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub row: InvoiceRow,
    pub lines: Vec<InvoiceLine>,
    pub payments: Vec<PaymentRow>,
    pub notes: Option<String>,
    pub void_reason: Option<String>,
    pub appointment_id: Option<String>,
}

/// Money taken against a bill, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub invoice_id: String,
    pub amount: String,
    pub mode: PaymentMode,
    #[serde(default)]
    pub reference: String,
}

impl PaymentForm {
    /// The amount in minor units, no more than `outstanding_minor`, and
    /// the reference (a UPI transaction id, a card slip number).
    pub fn validate(
        &self,
        money: MoneyFormat,
        outstanding_minor: i64,
    ) -> Result<(i64, Option<String>), Vec<ValidationError>> {
        let mut errors = Vec::new();
        let amount = money
            .parse("amount", &self.amount)
            .and_then(|minor| billing::check_payment(minor, outstanding_minor))
            .unwrap_or_else(|e| {
                errors.push(e);
                0
            });
        let reference = text::optional("reference", Some(&self.reference), billing::DESCRIPTION_MAX)
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        if errors.is_empty() {
            Ok((amount, reference))
        } else {
            Err(errors)
        }
    }
}

/// Voiding a bill nobody has paid, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidInvoice {
    pub invoice_id: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::money::{Currency, NumberStyle};

    fn inr() -> MoneyFormat {
        MoneyFormat::new(Currency::default(), NumberStyle::Indian)
    }

    fn line(description: &str, quantity: &str, price: &str) -> LineForm {
        LineForm {
            kind: LineKind::Other,
            description: description.into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            ref_id: None,
        }
    }

    #[test]
    fn a_bill_as_typed_is_exact_and_names_each_bad_field() {
        let form = InvoiceForm {
            patient_id: "p".into(),
            lines: vec![
                line("Consultation", "1", "500"),
                line("Amoxicillin", "10", "12.50"),
            ],
            ..InvoiceForm::default()
        };
        let checked = form.validate(inr()).expect("valid");
        assert_eq!(checked.total_minor, 62_500);
        let bad = InvoiceForm {
            lines: vec![line("X-ray", "0", "1,200"), line("Fluoride", "1", "-40")],
            ..form
        };
        let fields: Vec<String> = bad
            .validate(inr())
            .expect_err("refused")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["lines.0.quantity", "lines.1.unit_price"]);
    }

    #[test]
    fn a_payment_is_more_than_nothing_and_no_more_than_owed() {
        let pay = |amount: &str| PaymentForm {
            invoice_id: "i".into(),
            amount: amount.into(),
            mode: PaymentMode::Upi,
            reference: "UTR 1234".into(),
        };
        assert_eq!(
            pay("250.50").validate(inr(), 62_500),
            Ok((25_050, Some("UTR 1234".into())))
        );
        for bad in ["0", "625.01", "abc", "1.234"] {
            let err = pay(bad).validate(inr(), 62_500).expect_err(bad);
            assert_eq!(err[0].field, "amount", "{bad}");
        }
    }

    #[test]
    fn a_bill_taken_twice_owes_nothing_and_shows_what_to_give_back() {
        let row = |paid_minor: i64, state: PaymentState| InvoiceRow {
            id: "b".into(),
            number: "INV202612030001".into(),
            patient_id: "p".into(),
            patient_name: "Nalini Shah".into(),
            doctor_name: None,
            issued_on: "2026-12-03".into(),
            currency: "INR".into(),
            total_minor: 50_000,
            paid_minor,
            state,
        };
        let twice = row(100_000, PaymentState::Overpaid);
        assert_eq!((twice.outstanding_minor(), twice.overpaid_minor()), (0, 50_000));
        let part = row(20_000, PaymentState::PartPaid);
        assert_eq!((part.outstanding_minor(), part.overpaid_minor()), (30_000, 0));
    }
}
