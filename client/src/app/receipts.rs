//! A payment's receipt as a PDF, made on this PC (offline too) from the
//! bill and the clinic's letterhead, every amount and date in the clinic's
//! formats, written to the clinic's exports folder and audited as an export.

use chrono::{DateTime, Local};
use contract::app::{CommandCode, CommandError};
use contract::print::{ReceiptData, ReceiptLine, ReceiptPayment};
use contract::screens::ExportedFile;
use contract::screens::billing::InvoiceView;
use domain::api::AuditAction;
use domain::date::{self, DateStyle};
use domain::money::MoneyFormat;
use domain::tenant::TenantSettings;

use super::printing::Letterhead;
use super::session::date_style_of;
use super::{AppCore, CommandResult, errors};

fn internal(what: &str, e: impl std::fmt::Display) -> CommandError {
    CommandError::new(CommandCode::Internal, format!("{what}: {e}"))
}

fn moment(raw: &str, style: DateStyle) -> String {
    DateTime::parse_from_rfc3339(raw)
        .map(|at| date::format_date_time(at.with_timezone(&Local).naive_local(), style))
        .unwrap_or_else(|_| raw.to_owned())
}

/// What the receipt of `payment_id` on `bill` prints.
fn receipt_data(
    bill: &InvoiceView,
    payment_id: &str,
    clinic: &TenantSettings,
    clinic_name: &str,
) -> CommandResult<ReceiptData> {
    let money: MoneyFormat = clinic.money_format();
    let style = date_style_of(clinic);
    let paid = bill
        .payments
        .iter()
        .find(|y| y.id == payment_id)
        .ok_or_else(|| errors::not_found("payment"))?;
    let row = &bill.row;
    let head = Letterhead::of(clinic, clinic_name);
    Ok(ReceiptData {
        clinic_name: head.name,
        clinic_address: head.address,
        clinic_phone: head.phone,
        logo: head.logo,
        bill_number: row.number.clone(),
        issued_on: date::reformat(&row.issued_on, style, date::format_short),
        patient_name: row.patient_name.clone(),
        doctor_name: row.doctor_name.clone(),
        lines: bill
            .lines
            .iter()
            .map(|l| ReceiptLine {
                description: l.description.clone(),
                quantity: l.quantity.to_string(),
                unit_price: money.format(l.unit_price_minor),
                amount: l.total_minor().map(|t| money.format(t)).unwrap_or_default(),
            })
            .collect(),
        totals: {
            let mut totals = vec![
                ("Total".into(), money.format(row.total_minor)),
                ("Paid".into(), money.format(row.paid_minor)),
                ("Still owed".into(), money.format(row.outstanding_minor())),
            ];
            if row.overpaid_minor() > 0 {
                totals.push(("To give back".into(), money.format(row.overpaid_minor())));
            }
            totals
        },
        payment: ReceiptPayment {
            receipt_number: paid.receipt_number.clone(),
            paid_at: moment(&paid.paid_at, style),
            mode: paid.mode.title().to_owned(),
            amount: money.format(paid.amount_minor),
            reference: paid.reference.clone(),
            received_by: paid.received_by.clone(),
        },
        remark: bill.void_reason.as_ref().map(|why| format!("Void: {why}")),
    })
}

impl AppCore {
    /// Writes the receipt of one payment as `RCP….pdf` in the clinic's
    /// exports folder.
    pub async fn export_receipt_pdf(&self, payment_id: String) -> CommandResult<ExportedFile> {
        let payment_id = payment_id.trim().to_owned();
        let bill = self
            .read(|store| {
                let invoice = store
                    .invoice_of_payment(&payment_id)?
                    .ok_or_else(|| errors::not_found("payment"))?;
                store.invoice(&invoice)?.ok_or_else(|| errors::not_found("bill"))
            })
            .await?;
        let (tenant, clinic_name) = self
            .with_session(|s| Ok((s.view.tenant_id.clone(), s.view.clinic_name.clone())))
            .await?;
        let clinic = self.cached_clinic_settings(&tenant)?;
        let data = receipt_data(&bill, &payment_id, &clinic, &clinic_name)?;
        let pdf = printing::receipt_pdf(&data).map_err(|e| internal("The receipt could not be made", e))?;
        let tenant_id = domain::ids::TenantId::parse(&tenant).map_err(|e| internal("Clinic", e))?;
        let dir = super::removal::exports_dir(&self.data_dir, tenant_id);
        let path = dir.join(format!("{}.pdf", data.payment.receipt_number));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, &pdf))
            .map_err(|e| internal("The receipt could not be saved", e))?;
        let details = serde_json::json!({"receipt_number": data.payment.receipt_number});
        self.audit(AuditAction::Export, "payments", Some(&payment_id), details)
            .await?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes: pdf.len() as u64,
        })
    }
}
