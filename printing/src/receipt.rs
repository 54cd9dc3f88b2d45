//! A payment's receipt on A5: the clinic (logo, name, address), the bill
//! and the patient, the bill's lines and totals, then the payment it
//! acknowledges. Long bills continue on further pages.

use contract::print::{Align, PageDoc, PageItem, ReceiptData, Tone};

use super::pdf::{PrintError, to_pdf};
use super::pen::{Pen, fit};

const WIDTH: f32 = 148.0;
const HEIGHT: f32 = 210.0;
const MARGIN: f32 = 12.0;
const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;
const LOGO: f32 = 14.0;
/// Right edges of the quantity, price and amount columns.
const QTY_RIGHT: f32 = 92.0;
const PRICE_RIGHT: f32 = 114.0;

/// The receipt's PDF, titled with its number.
pub fn receipt_pdf(data: &ReceiptData) -> Result<Vec<u8>, PrintError> {
    to_pdf(
        &receipt(data),
        &format!("Receipt {}", data.payment.receipt_number),
    )
}

/// Lays the receipt out. Always at least one page.
pub fn receipt(data: &ReceiptData) -> PageDoc {
    let mut pen = Pen::new(WIDTH, HEIGHT, MARGIN);
    letterhead(&mut pen, data);
    about(&mut pen, data);
    lines(&mut pen, data);
    payment(&mut pen, data);
    PageDoc { pages: pen.pages }
}

fn letterhead(pen: &mut Pen, data: &ReceiptData) {
    let x = if let Some(logo) = &data.logo {
        pen.push(PageItem::Image {
            x_mm: MARGIN,
            y_mm: pen.y,
            w_mm: LOGO,
            h_mm: LOGO,
            data_url: logo.clone(),
        });
        MARGIN + LOGO + 4.0
    } else {
        MARGIN
    };
    let top = pen.y;
    let width = WIDTH - MARGIN - x;
    pen.text(
        x,
        13.0,
        true,
        Tone::Accent,
        Align::Left,
        &fit(&data.clinic_name, 13.0, true, width),
    );
    pen.next_line(13.0);
    for line in data
        .clinic_address
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
    {
        pen.text(
            x,
            SMALL,
            false,
            Tone::Muted,
            Align::Left,
            &fit(line, SMALL, false, width),
        );
        pen.next_line(SMALL);
    }
    if let Some(phone) = &data.clinic_phone {
        pen.text(
            x,
            SMALL,
            false,
            Tone::Muted,
            Align::Left,
            &format!("Phone: {phone}"),
        );
        pen.next_line(SMALL);
    }
    pen.y = pen.y.max(top + if data.logo.is_some() { LOGO } else { 0.0 }) + 3.0;
    pen.rule(Tone::Accent);
}

fn about(pen: &mut Pen, data: &ReceiptData) {
    pen.text(MARGIN, 12.0, true, Tone::Ink, Align::Left, "Receipt");
    pen.text(
        WIDTH - MARGIN,
        12.0,
        true,
        Tone::Ink,
        Align::Right,
        &data.payment.receipt_number,
    );
    pen.next_line(12.0);
    let rows = [
        ("Bill", format!("{} of {}", data.bill_number, data.issued_on)),
        ("Patient", data.patient_name.clone()),
        ("Doctor", data.doctor_name.clone().unwrap_or_default()),
    ];
    for (label, value) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        pen.text(MARGIN, BODY, false, Tone::Muted, Align::Left, label);
        pen.text(
            MARGIN + 20.0,
            BODY,
            false,
            Tone::Ink,
            Align::Left,
            &fit(value, BODY, false, 104.0),
        );
        pen.next_line(BODY);
    }
    pen.y += 2.0;
}

fn columns(pen: &mut Pen) {
    let right = WIDTH - MARGIN;
    for (x, align, label) in [
        (MARGIN, Align::Left, "Item"),
        (QTY_RIGHT, Align::Right, "Qty"),
        (PRICE_RIGHT, Align::Right, "Price"),
        (right, Align::Right, "Amount"),
    ] {
        pen.text(x, SMALL, true, Tone::Muted, align, label);
    }
    pen.next_line(SMALL);
    pen.rule(Tone::Rule);
}

fn lines(pen: &mut Pen, data: &ReceiptData) {
    columns(pen);
    let right = WIDTH - MARGIN;
    for line in &data.lines {
        if !pen.fits(Pen::line_height(BODY)) {
            pen.page();
            columns(pen);
        }
        pen.text(
            MARGIN,
            BODY,
            false,
            Tone::Ink,
            Align::Left,
            &fit(&line.description, BODY, false, 62.0),
        );
        pen.text(QTY_RIGHT, BODY, false, Tone::Ink, Align::Right, &line.quantity);
        pen.text(
            PRICE_RIGHT,
            BODY,
            false,
            Tone::Ink,
            Align::Right,
            &line.unit_price,
        );
        pen.text(right, BODY, false, Tone::Ink, Align::Right, &line.amount);
        pen.next_line(BODY);
    }
    pen.rule(Tone::Rule);
    pen.room(data.totals.len() as f32 * 5.0);
    for (i, (label, amount)) in data.totals.iter().enumerate() {
        let bold = i == 0;
        pen.text(PRICE_RIGHT, BODY, bold, Tone::Ink, Align::Right, label);
        pen.text(right, BODY, bold, Tone::Ink, Align::Right, amount);
        pen.next_line(BODY);
    }
    if let Some(remark) = &data.remark {
        pen.text(MARGIN, BODY, true, Tone::Accent, Align::Left, remark);
        pen.next_line(BODY);
    }
    pen.y += 3.0;
}

fn payment(pen: &mut Pen, data: &ReceiptData) {
    let p = &data.payment;
    pen.room(30.0);
    pen.push(PageItem::Rect {
        x_mm: MARGIN,
        y_mm: pen.y,
        w_mm: WIDTH - 2.0 * MARGIN,
        h_mm: 9.0,
        tone: Tone::AccentSoft,
    });
    pen.y += 1.8;
    pen.text(
        MARGIN + 3.0,
        11.0,
        true,
        Tone::Ink,
        Align::Left,
        &format!("Received {}", p.amount),
    );
    pen.text(
        WIDTH - MARGIN - 3.0,
        BODY,
        false,
        Tone::Ink,
        Align::Right,
        &format!("by {}", p.mode),
    );
    pen.y += 9.0;
    let mut facts = vec![("Paid on", p.paid_at.clone())];
    if let Some(reference) = &p.reference {
        facts.push(("Reference", reference.clone()));
    }
    facts.push(("Received by", p.received_by.clone()));
    for (label, value) in facts {
        pen.text(MARGIN, SMALL, false, Tone::Muted, Align::Left, label);
        pen.text(
            MARGIN + 24.0,
            SMALL,
            false,
            Tone::Ink,
            Align::Left,
            &fit(&value, SMALL, false, 100.0),
        );
        pen.next_line(SMALL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::print::{ReceiptLine, ReceiptPayment};

    fn sample(lines: usize) -> ReceiptData {
        ReceiptData {
            clinic_name: "Smile Dental Care".into(),
            clinic_address: "12 MG Road\nBengaluru 560001".into(),
            clinic_phone: Some("+91 80 4110 2200".into()),
            logo: None,
            bill_number: "INV202612020001".into(),
            issued_on: "02/12/2026".into(),
            patient_name: "Anita Rao".into(),
            doctor_name: Some("Dr Meera Nair".into()),
            lines: (0..lines)
                .map(|i| ReceiptLine {
                    description: format!(
                        "Line {i} of a rather long bill with a long description that is cut"
                    ),
                    quantity: "1".into(),
                    unit_price: "₹500.00".into(),
                    amount: "₹500.00".into(),
                })
                .collect(),
            totals: vec![
                ("Total".into(), "₹1,25,000.00".into()),
                ("Paid".into(), "₹25,000.00".into()),
                ("Still owed".into(), "₹1,00,000.00".into()),
            ],
            payment: ReceiptPayment {
                receipt_number: "RCP202612023001".into(),
                paid_at: "02/12/2026 10:30".into(),
                mode: "UPI".into(),
                amount: "₹25,000.00".into(),
                reference: Some("UTR 88213".into()),
                received_by: "Ravi (front desk)".into(),
            },
            remark: None,
        }
    }

    #[test]
    fn a_receipt_says_what_was_paid_against_which_bill() {
        let doc = receipt(&sample(2));
        assert_eq!(doc.pages.len(), 1);
        let all = doc.texts();
        for expected in [
            "RCP202612023001",
            "INV202612020001 of 02/12/2026",
            "Anita Rao",
            "₹1,25,000.00",
            "Received ₹25,000.00",
            "by UPI",
            "UTR 88213",
        ] {
            assert!(
                all.iter().any(|t| t == expected),
                "{expected} missing from {all:?}"
            );
        }
        assert!(
            all.iter().any(|t| t.ends_with('…')),
            "a long description is cut to its column"
        );
        let pdf = receipt_pdf(&sample(2)).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn a_long_bill_continues_on_a_new_page_with_its_columns() {
        let doc = receipt(&sample(60));
        assert!(doc.pages.len() >= 2, "{} pages", doc.pages.len());
        let every_item_inside = doc.pages.iter().flat_map(|p| &p.items).all(|i| match i {
            PageItem::Text { y_mm, .. } => *y_mm <= HEIGHT - MARGIN + 1.0,
            _ => true,
        });
        assert!(every_item_inside);
        let headings = doc.texts().iter().filter(|t| *t == "Amount").count();
        assert!(
            headings >= 2 && headings <= doc.pages.len(),
            "the lines' pages repeat the columns: {headings}"
        );
    }
}
