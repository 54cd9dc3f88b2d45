//! A report as tables, for the PDF and the CSV a clinic exports: every
//! figure already written in the clinic's formats by the PC; each table
//! may carry one number per row that the PDF draws as a bar.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportTable {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// One value per row drawn as a bar beside the table (empty: none).
    #[serde(default)]
    pub bars: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportPrint {
    pub clinic_name: String,
    pub title: String,
    /// The range and grouping, as the page said them.
    pub subtitle: String,
    pub made_at: String,
    pub tables: Vec<ReportTable>,
}

/// One CSV field, quoted when it holds a separator, quote or line break,
/// and kept from being read as a formula by a spreadsheet.
fn csv_field(raw: &str) -> String {
    let text = if raw.starts_with(['=', '+', '-', '@']) && raw.parse::<f64>().is_err() {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

impl ReportPrint {
    /// The report as one CSV file (RFC 4180, CRLF): a title line, then
    /// each table with its title, header and rows, a blank line between.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut line = |cells: &[String]| {
            let fields: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        };
        line(&[
            format!("{} — {}", self.clinic_name, self.title),
            self.subtitle.clone(),
        ]);
        for table in &self.tables {
            line(&[]);
            line(std::slice::from_ref(&table.title));
            line(&table.columns);
            for row in &table.rows {
                line(row);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must_and_disarms_formulas() {
        let report = ReportPrint {
            clinic_name: "Rao, Family Clinic".into(),
            title: "Reports".into(),
            subtitle: "1 Dec 2026 to 2 Dec 2026".into(),
            made_at: String::new(),
            tables: vec![ReportTable {
                title: "Top diagnoses".into(),
                columns: vec!["Diagnosis".into(), "Prescriptions".into()],
                rows: vec![
                    vec!["Fever \"viral\"".into(), "3".into()],
                    vec!["=HYPERLINK(\"x\")".into(), "-2".into()],
                ],
                bars: vec![3, 2],
            }],
        };
        let csv = report.to_csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\"Rao, Family Clinic — Reports\",1 Dec 2026 to 2 Dec 2026"
        );
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "Top diagnoses");
        assert_eq!(lines[3], "Diagnosis,Prescriptions");
        assert_eq!(lines[4], "\"Fever \"\"viral\"\"\",3");
        assert_eq!(
            lines[5], "\"'=HYPERLINK(\"\"x\"\")\",-2",
            "a formula is text; a number is not touched"
        );
    }
}
