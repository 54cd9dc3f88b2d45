//! What a bill's receipt prints: the clinic, the bill's lines and totals
//! and the payment it acknowledges, every amount and date already written
//! in the clinic's formats (the PC formats, the printer only sets type).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
}

/// The payment a receipt acknowledges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPayment {
    pub receipt_number: String,
    pub paid_at: String,
    pub mode: String,
    pub amount: String,
    pub reference: Option<String>,
    pub received_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptData {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: Option<String>,
    pub logo: Option<String>,
    pub bill_number: String,
    pub issued_on: String,
    pub patient_name: String,
    pub doctor_name: Option<String>,
    pub lines: Vec<ReceiptLine>,
    /// "Total", "Paid", "Still owed" with their amounts, in that order.
    pub totals: Vec<(String, String)>,
    pub payment: ReceiptPayment,
    /// "Void: …" on a void bill's receipt.
    pub remark: Option<String>,
}
