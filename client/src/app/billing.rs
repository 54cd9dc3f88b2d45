//! Billing a visit and taking its payment, on this PC first: the bill is
//! numbered `INV…` and each payment `RCP…` from this PC's slot, so PCs
//! working offline never hand out the same number.

use chrono::{Local, Utc};
use contract::app::CommandError;
use contract::screens::billing::{
    BillFor, InvoiceForm, InvoiceRow, InvoiceView, LineForm, PaymentForm, VoidInvoice,
};
use domain::ValidationError;
use domain::billing::{InvoiceStatus, LineKind};
use domain::clinical::numbering::Series;
use domain::money::MoneyFormat;
use domain::text;
use serde_json::json;
use uuid::Uuid;

use super::clinical::fields_of;
use super::{AppCore, CommandResult, errors};
use crate::store::Store;
use crate::store::appointments::next_number;
use crate::store::billing::VisitItem;

fn invalid(field: &str, message: impl Into<String>) -> CommandError {
    CommandError::invalid(vec![ValidationError::new(field, message)])
}

fn uuid_of(raw: &str, what: &str) -> CommandResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| errors::not_found(what))
}

/// A suggested line, its price written as the clinic types it (empty
/// when nothing is known, for the desk to fill in).
fn suggested(kind: LineKind, item: VisitItem, money: MoneyFormat) -> LineForm {
    LineForm {
        kind,
        description: item.description,
        quantity: item.quantity.clamp(1, 1000).to_string(),
        unit_price: money.number_or_empty(item.unit_price_minor),
        ref_id: Some(item.ref_id),
    }
}

/// The bill a visit suggests: the doctor's consultation fee, then its
/// procedures and the medicines prescribed at it.
fn visit_bill(store: &Store, appointment: &str, money: MoneyFormat) -> CommandResult<InvoiceForm> {
    let visit = store
        .appointment(appointment)?
        .ok_or_else(|| errors::not_found("appointment"))?;
    if let Some(number) = store.invoice_of_visit(appointment)? {
        return Err(invalid(
            "appointment_id",
            format!("This visit is already billed ({number}). Void that bill first to bill it again."),
        ));
    }
    let doctor = store.doctor(&visit.doctor_id)?;
    let mut lines = vec![LineForm {
        kind: LineKind::Consultation,
        description: format!("Consultation: {}", visit.doctor_name),
        quantity: "1".into(),
        unit_price: money.number_or_empty(doctor.and_then(|d| d.consultation_fee_minor)),
        ref_id: None,
    }];
    let (procedures, medicines) = store.visit_items(appointment)?;
    lines.extend(
        procedures
            .into_iter()
            .map(|p| suggested(LineKind::Procedure, p, money)),
    );
    lines.extend(
        medicines
            .into_iter()
            .map(|m| suggested(LineKind::Medicine, m, money)),
    );
    Ok(InvoiceForm {
        patient_id: visit.patient_id,
        appointment_id: Some(visit.id),
        doctor_id: Some(visit.doctor_id),
        prescription_id: store.visit_prescription(appointment)?,
        lines,
        notes: String::new(),
    })
}

impl AppCore {
    pub(crate) async fn money(&self) -> CommandResult<MoneyFormat> {
        let tenant = self.with_session(|s| Ok(s.view.tenant_id.clone())).await?;
        Ok(self.cached_clinic_settings(&tenant)?.money_format())
    }

    /// A new bill's form: the visit's suggested lines, or one blank line.
    pub async fn bill_draft(&self, what: BillFor) -> CommandResult<InvoiceForm> {
        let money = self.money().await?;
        self.read(
            |store| match what.appointment_id.as_deref().filter(|a| !a.is_empty()) {
                Some(appointment) => visit_bill(store, appointment, money),
                None => {
                    store
                        .patient(what.patient_id.trim())?
                        .ok_or_else(|| errors::not_found("patient"))?;
                    Ok(InvoiceForm {
                        patient_id: what.patient_id.trim().to_owned(),
                        lines: vec![LineForm::blank()],
                        ..InvoiceForm::default()
                    })
                }
            },
        )
        .await
    }

    /// Issues a bill: checked exactly, numbered, saved and queued to sync
    /// in one transaction.
    pub async fn issue_invoice(&self, form: InvoiceForm) -> CommandResult<InvoiceView> {
        let money = self.money().await?;
        let checked = form.validate(money).map_err(CommandError::invalid)?;
        let today = Local::now().date_naive();
        let id = self
            .write(|store| {
                store
                    .patient(form.patient_id.trim())?
                    .ok_or_else(|| errors::not_found("patient"))?;
                if let Some(visit) = form.appointment_id.as_deref()
                    && let Some(number) = store.invoice_of_visit(visit)?
                {
                    return Err(invalid(
                        "appointment_id",
                        format!("This visit is already billed ({number})."),
                    ));
                }
                let slot = store.number_slot()?;
                let mut writes = store.writes()?;
                let number = next_number(writes.tx(), Series::Invoice, today, slot)?;
                let fields = fields_of(&[
                    ("invoice_number", json!(number)),
                    ("patient_id", json!(form.patient_id.trim())),
                    ("doctor_id", json!(form.doctor_id)),
                    ("appointment_id", json!(form.appointment_id)),
                    ("prescription_id", json!(form.prescription_id)),
                    ("issued_on", json!(today.to_string())),
                    ("currency", json!(money.currency.code())),
                    ("lines", json!(checked.lines)),
                    ("total_minor", json!(checked.total_minor)),
                    ("status", json!(InvoiceStatus::Issued.as_str())),
                    ("notes", json!(checked.notes)),
                ]);
                let id = writes.insert("invoices", fields)?;
                writes.commit()?;
                Ok(id)
            })
            .await?;
        self.invoice(id.to_string()).await
    }

    pub async fn invoice(&self, id: String) -> CommandResult<InvoiceView> {
        self.read(|store| store.invoice(id.trim())?.ok_or_else(|| errors::not_found("bill")))
            .await
    }

    pub async fn patient_invoices(&self, patient: String) -> CommandResult<Vec<InvoiceRow>> {
        self.read(|store| store.patient_invoices(patient.trim())).await
    }

    /// Takes money against a bill (never more than it still owes on this
    /// PC) and numbers its receipt.
    pub async fn take_payment(&self, form: PaymentForm) -> CommandResult<InvoiceView> {
        let money = self.money().await?;
        let invoice_id = uuid_of(&form.invoice_id, "bill")?;
        let today = Local::now().date_naive();
        self.write(|store| {
            let bill = store
                .invoice(&invoice_id.to_string())?
                .ok_or_else(|| errors::not_found("bill"))?;
            if bill.void_reason.is_some() || bill.row.state == domain::billing::PaymentState::Void {
                return Err(invalid("amount", "This bill is void; nothing can be paid on it."));
            }
            let (amount, reference) = form
                .validate(money, bill.row.outstanding_minor())
                .map_err(CommandError::invalid)?;
            let slot = store.number_slot()?;
            let mut writes = store.writes()?;
            let number = next_number(writes.tx(), Series::Receipt, today, slot)?;
            let fields = fields_of(&[
                ("receipt_number", json!(number)),
                ("invoice_id", json!(invoice_id.to_string())),
                ("patient_id", json!(bill.row.patient_id)),
                ("amount_minor", json!(amount)),
                ("mode", json!(form.mode.as_str())),
                ("reference", json!(reference)),
                ("paid_at", json!(Utc::now().to_rfc3339())),
            ]);
            writes.insert("payments", fields)?;
            writes.commit()?;
            Ok(())
        })
        .await?;
        self.invoice(invoice_id.to_string()).await
    }

    /// Voids a bill nobody has paid anything on, saying why.
    pub async fn void_invoice(&self, args: VoidInvoice) -> CommandResult<InvoiceView> {
        let id = uuid_of(&args.invoice_id, "bill")?;
        let reason = text::required("reason", &args.reason, text::SHORT_TEXT_MAX)
            .map_err(|e| CommandError::invalid(vec![e]))?;
        self.write(|store| {
            let bill = store
                .invoice(&id.to_string())?
                .ok_or_else(|| errors::not_found("bill"))?;
            if bill.row.paid_minor > 0 {
                return Err(invalid(
                    "reason",
                    "Money was taken on this bill; it cannot be voided.",
                ));
            }
            if bill.row.state == domain::billing::PaymentState::Void {
                return Err(invalid("reason", "This bill is already void."));
            }
            let fields = fields_of(&[
                ("status", json!(InvoiceStatus::Void.as_str())),
                ("void_reason", json!(reason)),
            ]);
            Ok(store.update("invoices", id, fields)?)
        })
        .await?;
        self.invoice(id.to_string()).await
    }
}
