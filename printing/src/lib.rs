//! Prescription printouts and payment receipts ([`receipt_pdf`]): lay a prescription out on the chosen print
//! layout ([`layout()`], a [`PageDoc`] the UI can also preview) and write
//! it as a PDF with the bundled Noto fonts ([`to_pdf`]), so Devanagari and
//! Tamil names print correctly on any PC.

pub mod fonts;
mod header;
mod layout;
pub mod pdf;
mod pen;
mod receipt;
mod report;
mod sections;
mod table;
mod text;

use contract::print::{PrintData, PrintLayout};

pub use layout::layout;
pub use pdf::{PrintError, to_pdf};
pub use receipt::{receipt, receipt_pdf};
pub use report::{report, report_pdf};

#[doc(no_inline)]
pub use contract::print::PageDoc;

/// The PDF of one prescription on `layout`.
pub fn prescription_pdf(data: &PrintData, layout: &PrintLayout) -> Result<Vec<u8>, PrintError> {
    let doc = layout::layout(data, layout);
    let title = format!(
        "Prescription {} – {}",
        data.prescription_number, data.patient.name
    );
    to_pdf(&doc, &title)
}
