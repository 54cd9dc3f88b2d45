//! A report's figures as the tables shown under its charts, printed in its
//! PDF and written to its CSV: one place decides the columns and how every
//! amount and date is written.

use chrono::NaiveDate;
use domain::billing::PaymentMode;
use domain::date::DateStyle;
use domain::money::MoneyFormat;

use super::{Ranked, Report};
use crate::print::ReportTable;

/// Every table of a report, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportTables {
    pub summary: ReportTable,
    pub visits: ReportTable,
    pub revenue: ReportTable,
    pub by_mode: ReportTable,
    pub by_doctor: ReportTable,
    pub patients: ReportTable,
    pub diagnoses: ReportTable,
    pub medicines: ReportTable,
}

impl ReportTables {
    /// In the page's order.
    pub fn all(self) -> Vec<ReportTable> {
        vec![
            self.summary,
            self.visits,
            self.revenue,
            self.by_mode,
            self.by_doctor,
            self.patients,
            self.diagnoses,
            self.medicines,
        ]
    }
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn ranked(title: &str, what: &str, list: &[Ranked]) -> ReportTable {
    ReportTable {
        title: title.to_owned(),
        columns: strings([what, "Prescriptions"]),
        rows: list
            .iter()
            .map(|r| vec![r.name.clone(), r.count.to_string()])
            .collect(),
        bars: list.iter().map(|r| i64::from(r.count)).collect(),
    }
}

impl Report {
    /// The range as the page says it: `1 Dec 2026 – 31 Dec 2026, by day`.
    pub fn subtitle(&self, style: DateStyle) -> String {
        let day = |raw: &str| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| domain::date::format_long(d, style))
                .unwrap_or_else(|_| raw.to_owned())
        };
        format!(
            "{} – {}, {}",
            day(&self.from),
            day(&self.to),
            self.period.title().to_lowercase()
        )
    }

    pub fn tables(&self, money: MoneyFormat, style: DateStyle) -> ReportTables {
        let amount = |minor: i64| money.format(minor);
        ReportTables {
            summary: ReportTable {
                title: "Summary".into(),
                columns: strings(["", ""]),
                rows: vec![
                    vec!["Money received".into(), amount(self.received_minor)],
                    vec!["Bills issued".into(), self.bills.to_string()],
                    vec!["Billed".into(), amount(self.billed_minor)],
                    vec!["New patients".into(), self.new_patients.to_string()],
                    vec!["Returning patients".into(), self.returning_patients.to_string()],
                ],
                bars: Vec::new(),
            },
            visits: self.visits_table(),
            revenue: self.revenue_table(money, style),
            by_mode: shares("Money received by payment mode", "Paid by", &self.by_mode, money),
            by_doctor: shares("Money received by doctor", "Doctor", &self.by_doctor, money),
            patients: ReportTable {
                title: "New and returning patients".into(),
                columns: strings(["Patients", "Count"]),
                rows: vec![
                    vec!["New (first visit)".into(), self.new_patients.to_string()],
                    vec!["Returning".into(), self.returning_patients.to_string()],
                ],
                bars: vec![i64::from(self.new_patients), i64::from(self.returning_patients)],
            },
            diagnoses: ranked("Top diagnoses", "Diagnosis", &self.top_diagnoses),
            medicines: ranked("Top medicines", "Medicine", &self.top_medicines),
        }
    }

    fn visits_table(&self) -> ReportTable {
        ReportTable {
            title: "Visits per doctor".into(),
            columns: strings([
                "Doctor",
                "Booked",
                "Walk-ins",
                "Completed",
                "No-shows",
                "Cancelled",
            ]),
            rows: self
                .visits
                .iter()
                .map(|v| {
                    let mut row = vec![v.doctor_name.clone()];
                    row.extend(
                        [v.booked, v.walk_ins, v.completed, v.no_shows, v.cancelled].map(|n| n.to_string()),
                    );
                    row
                })
                .collect(),
            bars: self
                .visits
                .iter()
                .map(|v| i64::from(v.booked + v.walk_ins))
                .collect(),
        }
    }

    fn revenue_table(&self, money: MoneyFormat, style: DateStyle) -> ReportTable {
        let mut columns = vec![match self.period {
            super::Period::Day => "Day".to_owned(),
            super::Period::Week => "Week".to_owned(),
            super::Period::Month => "Month".to_owned(),
        }];
        columns.extend(self.doctors.iter().cloned());
        columns.extend(PaymentMode::ALL.iter().map(|m| m.title().to_owned()));
        columns.push("Total".into());
        let rows = self
            .revenue
            .iter()
            .map(|p| {
                let start = NaiveDate::parse_from_str(&p.start, "%Y-%m-%d")
                    .map(|d| self.period.label(d, style))
                    .unwrap_or_else(|_| p.start.clone());
                let mut row = vec![start];
                row.extend(p.by_doctor.iter().map(|m| money.format(*m)));
                row.extend(p.by_mode.iter().map(|m| money.format(*m)));
                row.push(money.format(p.total_minor));
                row
            })
            .collect();
        ReportTable {
            title: format!("Money received, {}", self.period.title().to_lowercase()),
            columns,
            rows,
            bars: self.revenue.iter().map(|p| p.total_minor).collect(),
        }
    }
}

fn shares(title: &str, what: &str, list: &[super::Share], money: MoneyFormat) -> ReportTable {
    ReportTable {
        title: title.to_owned(),
        columns: strings([what, "Payments", "Amount"]),
        rows: list
            .iter()
            .map(|s| {
                vec![
                    s.label.clone(),
                    s.payments.to_string(),
                    money.format(s.amount_minor),
                ]
            })
            .collect(),
        bars: list.iter().map(|s| s.amount_minor).collect(),
    }
}
