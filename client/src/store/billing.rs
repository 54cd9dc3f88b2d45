//! Bills and payments on this PC: lists with what each bill has been paid
//! (one statement, the sum per bill from its payments), one bill with its
//! lines and payments, and what a visit would bill.

use contract::screens::billing::{InvoiceRow, InvoiceView, PaymentRow};
use domain::billing::{InvoiceLine, InvoiceStatus, PaymentMode, PaymentState};

use super::Store;
use crate::error::StoreError;

const ROW: &str = "SELECT i.id, i.invoice_number, i.patient_id, \
     trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), u.full_name, i.issued_on, \
     coalesce(i.currency, 'INR'), coalesce(i.total_minor, 0), \
     coalesce((SELECT sum(y.amount_minor) FROM payments y WHERE y.invoice_id = i.id AND y.deleted_at IS NULL), 0), \
     coalesce(i.status, 'issued') \
     FROM invoices i \
     LEFT JOIN patients p ON p.id = i.patient_id \
     LEFT JOIN doctors d ON d.id = i.doctor_id \
     LEFT JOIN users u ON u.id = d.user_id \
     WHERE i.deleted_at IS NULL";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InvoiceRow> {
    let total: i64 = r.get(7)?;
    let paid: i64 = r.get(8)?;
    let status = InvoiceStatus::parse(&r.get::<_, String>(9)?).unwrap_or(InvoiceStatus::Issued);
    Ok(InvoiceRow {
        id: r.get(0)?,
        number: r.get(1)?,
        patient_id: r.get(2)?,
        patient_name: r.get(3)?,
        doctor_name: r.get(4)?,
        issued_on: r.get(5)?,
        currency: r.get(6)?,
        total_minor: total,
        paid_minor: paid,
        state: PaymentState::of(status, total, paid),
    })
}

/// A line of a visit's bill suggested from what happened at the visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitItem {
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: Option<i64>,
    pub ref_id: String,
}

impl Store {
    /// A patient's bills, newest first.
    pub fn patient_invoices(&self, patient: &str) -> Result<Vec<InvoiceRow>, StoreError> {
        let sql = format!("{ROW} AND i.patient_id = ?1 ORDER BY i.issued_on DESC, i.invoice_number DESC");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([patient], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One bill with its lines and payments (oldest payment first).
    pub fn invoice(&self, id: &str) -> Result<Option<InvoiceView>, StoreError> {
        let sql = format!("{ROW} AND i.id = ?1");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let Some(found) = stmt.query_map([id], row)?.next().transpose()? else {
            return Ok(None);
        };
        let (lines, notes, void_reason, appointment_id): (Option<String>, _, _, _) = self
            .conn()
            .prepare_cached("SELECT lines, notes, void_reason, appointment_id FROM invoices WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        let lines: Vec<InvoiceLine> = lines
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default();
        Ok(Some(InvoiceView {
            row: found,
            lines,
            payments: self.payments_of(id)?,
            notes,
            void_reason,
            appointment_id,
        }))
    }

    fn payments_of(&self, invoice: &str) -> Result<Vec<PaymentRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT y.id, y.receipt_number, y.amount_minor, y.mode, y.reference, y.paid_at, coalesce(u.full_name, '') \
               FROM payments y LEFT JOIN users u ON u.id = y.created_by \
              WHERE y.invoice_id = ?1 AND y.deleted_at IS NULL ORDER BY y.paid_at, y.receipt_number",
        )?;
        let rows = stmt.query_map([invoice], |r| {
            Ok(PaymentRow {
                id: r.get(0)?,
                receipt_number: r.get(1)?,
                amount_minor: r.get(2)?,
                mode: PaymentMode::parse(&r.get::<_, String>(3)?).unwrap_or(PaymentMode::Other),
                reference: r.get(4)?,
                paid_at: r.get(5)?,
                received_by: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The bill a payment was taken against.
    pub fn invoice_of_payment(&self, payment: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT invoice_id FROM payments WHERE id = ?1 AND deleted_at IS NULL")?;
        Ok(stmt.query_map([payment], |r| r.get(0))?.next().transpose()?)
    }

    /// The bill a visit already has (not void), if any.
    pub fn invoice_of_visit(&self, appointment: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT invoice_number FROM invoices \
              WHERE appointment_id = ?1 AND deleted_at IS NULL AND coalesce(status, 'issued') <> 'void' LIMIT 1",
        )?;
        Ok(stmt.query_map([appointment], |r| r.get(0))?.next().transpose()?)
    }

    /// What a visit would bill besides the consultation: its dental
    /// procedures that were not cancelled (their actual cost, else the
    /// estimate) and the medicines of its prescriptions (the item's price,
    /// else the catalog's), in the order they were written.
    pub fn visit_items(&self, appointment: &str) -> Result<(Vec<VisitItem>, Vec<VisitItem>), StoreError> {
        let mut procedures = self.conn().prepare_cached(
            "SELECT id, procedure_name, coalesce(actual_cost_minor, estimated_cost_minor) FROM dental_procedures \
              WHERE appointment_id = ?1 AND deleted_at IS NULL AND coalesce(status, 'planned') <> 'cancelled' \
              ORDER BY created_at, id",
        )?;
        let procedures = procedures
            .query_map([appointment], |r| {
                Ok(VisitItem {
                    ref_id: r.get(0)?,
                    description: r.get(1)?,
                    quantity: 1,
                    unit_price_minor: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut medicines = self.conn().prepare_cached(
            "SELECT i.id, coalesce(i.medicine_name, m.name, 'Medicine'), coalesce(i.quantity, 1), \
                    coalesce(i.unit_price_minor, m.price_minor) \
               FROM prescription_items i \
               JOIN prescriptions r ON r.id = i.prescription_id AND r.deleted_at IS NULL \
                    AND coalesce(r.status, 'draft') NOT IN ('draft', 'cancelled') \
               LEFT JOIN medicines m ON m.id = i.medicine_id \
              WHERE r.appointment_id = ?1 AND i.deleted_at IS NULL \
              ORDER BY r.prescription_number, coalesce(i.sort_order, 0)",
        )?;
        let medicines = medicines
            .query_map([appointment], |r| {
                Ok(VisitItem {
                    ref_id: r.get(0)?,
                    description: r.get(1)?,
                    quantity: r.get(2)?,
                    unit_price_minor: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((procedures, medicines))
    }

    /// The prescription written at a visit, if any (the newest).
    pub fn visit_prescription(&self, appointment: &str) -> Result<Option<String>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id FROM prescriptions WHERE appointment_id = ?1 AND deleted_at IS NULL \
              AND coalesce(status, 'draft') <> 'cancelled' ORDER BY prescription_number DESC LIMIT 1",
        )?;
        Ok(stmt.query_map([appointment], |r| r.get(0))?.next().transpose()?)
    }
}

#[cfg(test)]
mod tests {
    use domain::ids::TenantId;
    use domain::sync::SnapshotRow;
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_visits_procedures_bill_at_their_actual_cost_else_the_estimate_and_cancelled_ones_not_at_all() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::open_plain(dir.path(), TenantId::from_uuid(Uuid::now_v7())).expect("store");
        let (visit, other_visit) = (Uuid::now_v7(), Uuid::now_v7());
        let procedure =
            |visit: Uuid, name: &str, estimate: i64, actual: Option<i64>, status: &str| SnapshotRow {
                table: "dental_procedures".into(),
                global: false,
                row: json!({"id": Uuid::now_v7(), "patient_id": Uuid::now_v7(), "appointment_id": visit,
                        "procedure_code": "D2391", "procedure_name": name, "estimated_cost_minor": estimate,
                        "actual_cost_minor": actual, "status": status})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            };
        store
            .apply_snapshot_rows(&[
                procedure(
                    visit,
                    "Composite filling, 36",
                    120_000,
                    Some(150_000),
                    "completed",
                ),
                procedure(visit, "Scaling", 80_000, None, "planned"),
                procedure(visit, "Extraction, 48", 200_000, None, "cancelled"),
                procedure(other_visit, "Crown, 11", 900_000, None, "planned"),
            ])
            .expect("procedures");
        let (procedures, medicines) = store.visit_items(&visit.to_string()).expect("items");
        let billed: Vec<(&str, i64, Option<i64>)> = procedures
            .iter()
            .map(|p| (p.description.as_str(), p.quantity, p.unit_price_minor))
            .collect();
        assert_eq!(
            billed,
            [
                ("Composite filling, 36", 1, Some(150_000)),
                ("Scaling", 1, Some(80_000))
            ]
        );
        assert!(medicines.is_empty());
    }
}
