//! The Reports page's figures for a range, worked out on this PC (offline
//! too) from its store, and the same report exported as CSV or PDF to the
//! clinic's exports folder (each export audited).

use chrono::{Local, NaiveDate};
use contract::app::{CommandCode, CommandError};
use contract::print::ReportPrint;
use contract::screens::ExportedFile;
use contract::screens::reports::{Report, ReportQuery, RevenuePeriod, Share};
use domain::api::AuditAction;
use domain::billing::PaymentMode;

use super::session::date_style_of;
use super::{AppCore, CommandResult};
use crate::store::reports::RangeFigures;

/// Where a stored payment mode stands in [`PaymentMode::ALL`] (one the
/// app does not know counts as "other").
fn mode_slot(mode: &str) -> usize {
    let mode = PaymentMode::parse(mode).unwrap_or(PaymentMode::Other);
    PaymentMode::ALL
        .iter()
        .position(|m| *m == mode)
        .unwrap_or(PaymentMode::ALL.len() - 1)
}

/// The page's report from the store's figures: money grouped into the
/// query's periods, doctors ordered by what they took in.
pub fn summarise(figures: RangeFigures, query: &ReportQuery, from: NaiveDate, to: NaiveDate) -> Report {
    let period = query.period;
    let mut doctors: Vec<(String, Share)> = Vec::new();
    let mut by_mode: Vec<Share> = PaymentMode::ALL
        .iter()
        .map(|m| Share {
            label: m.title().to_owned(),
            ..Share::default()
        })
        .collect();
    for t in &figures.takings {
        let at = match doctors.iter().position(|(id, _)| *id == t.doctor_id) {
            Some(at) => at,
            None => {
                let share = Share {
                    label: t.doctor.clone(),
                    ..Share::default()
                };
                doctors.push((t.doctor_id.clone(), share));
                doctors.len() - 1
            }
        };
        doctors[at].1.amount_minor += t.amount_minor;
        doctors[at].1.payments += t.payments;
        let share = &mut by_mode[mode_slot(&t.mode)];
        share.amount_minor += t.amount_minor;
        share.payments += t.payments;
    }
    doctors.sort_by(|a, b| {
        b.1.amount_minor
            .cmp(&a.1.amount_minor)
            .then(a.1.label.cmp(&b.1.label))
    });
    let starts = period.starts(from, to);
    let mut revenue: Vec<RevenuePeriod> = starts
        .iter()
        .map(|start| RevenuePeriod {
            start: start.to_string(),
            total_minor: 0,
            by_doctor: vec![0; doctors.len()],
            by_mode: vec![0; PaymentMode::ALL.len()],
        })
        .collect();
    for t in &figures.takings {
        let Ok(at) = starts.binary_search(&period.start_of(t.day)) else {
            continue;
        };
        let slot = &mut revenue[at];
        slot.total_minor += t.amount_minor;
        if let Some(d) = doctors.iter().position(|(id, _)| *id == t.doctor_id) {
            slot.by_doctor[d] += t.amount_minor;
        }
        slot.by_mode[mode_slot(&t.mode)] += t.amount_minor;
    }
    Report {
        from: from.to_string(),
        to: to.to_string(),
        period,
        visits: figures.visits,
        doctors: doctors.iter().map(|(_, s)| s.label.clone()).collect(),
        received_minor: revenue.iter().map(|p| p.total_minor).sum(),
        revenue,
        by_doctor: doctors.into_iter().map(|(_, s)| s).collect(),
        by_mode: by_mode.into_iter().filter(|s| s.payments > 0).collect(),
        bills: figures.bills,
        billed_minor: figures.billed_minor,
        new_patients: figures.new_patients,
        returning_patients: figures.returning_patients,
        top_diagnoses: figures.top_diagnoses,
        top_medicines: figures.top_medicines,
    }
}

/// CSV or PDF.
#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Pdf,
}

impl AppCore {
    /// The report of a range: checked, then read from one snapshot.
    pub async fn report(&self, query: ReportQuery) -> CommandResult<Report> {
        let (from, to) = query.validate().map_err(CommandError::invalid)?;
        let figures = self.read(|store| store.range_figures(from, to)).await?;
        Ok(summarise(figures, &query, from, to))
    }

    pub async fn export_report_csv(&self, query: ReportQuery) -> CommandResult<ExportedFile> {
        self.export_report(query, Format::Csv).await
    }

    pub async fn export_report_pdf(&self, query: ReportQuery) -> CommandResult<ExportedFile> {
        self.export_report(query, Format::Pdf).await
    }

    async fn export_report(&self, query: ReportQuery, format: Format) -> CommandResult<ExportedFile> {
        let report = self.report(query).await?;
        let (tenant, clinic_name) = self
            .with_session(|s| Ok((s.view.tenant_id.clone(), s.view.clinic_name.clone())))
            .await?;
        let clinic = self.cached_clinic_settings(&tenant)?;
        let style = date_style_of(&clinic);
        let print = ReportPrint {
            clinic_name: clinic.clinic_name.clone().unwrap_or(clinic_name),
            title: "Reports".into(),
            subtitle: report.subtitle(style),
            made_at: domain::date::format_date_time(Local::now().naive_local(), style),
            tables: report.tables(clinic.money_format(), style).all(),
        };
        let internal = |what: &str, e: &dyn std::fmt::Display| {
            CommandError::new(CommandCode::Internal, format!("{what}: {e}"))
        };
        let (bytes, extension) = match format {
            Format::Csv => (print.to_csv().into_bytes(), "csv"),
            Format::Pdf => (
                printing::report_pdf(&print).map_err(|e| internal("The report could not be made", &e))?,
                "pdf",
            ),
        };
        let tenant_id = domain::ids::TenantId::parse(&tenant).map_err(|e| internal("Clinic", &e))?;
        let dir = super::removal::exports_dir(&self.data_dir, tenant_id);
        let path = dir.join(format!("report-{}-to-{}.{extension}", report.from, report.to));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, &bytes))
            .map_err(|e| internal("The report could not be saved", &e))?;
        let details = serde_json::json!({"from": report.from, "to": report.to, "format": extension});
        self.audit(AuditAction::Export, "reports", None, details).await?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes: bytes.len() as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::reports::Takings;
    use contract::screens::reports::Period;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").expect("date")
    }

    fn took(day: &str, doctor: &str, mode: &str, amount_minor: i64) -> Takings {
        Takings {
            day: d(day),
            doctor_id: doctor.to_lowercase(),
            doctor: doctor.to_owned(),
            mode: mode.to_owned(),
            amount_minor,
            payments: 1,
        }
    }

    #[test]
    fn takings_are_grouped_into_weeks_per_doctor_and_mode() {
        let figures = RangeFigures {
            takings: vec![
                took("2026-11-25", "Rao", "cash", 50_000),
                took("2026-11-30", "Rao", "upi", 20_000),
                took("2026-12-01", "Iyer", "upi", 90_000),
                took("2026-12-02", "Rao", "card", 1_000),
            ],
            ..RangeFigures::default()
        };
        let query = ReportQuery {
            from: "2026-11-25".into(),
            to: "2026-12-02".into(),
            period: Period::Week,
        };
        let report = summarise(figures, &query, d("2026-11-25"), d("2026-12-02"));
        assert_eq!(report.doctors, ["Iyer", "Rao"], "most taken first");
        assert_eq!(report.received_minor, 161_000);
        let weeks: Vec<(&str, i64)> = report
            .revenue
            .iter()
            .map(|p| (p.start.as_str(), p.total_minor))
            .collect();
        assert_eq!(weeks, [("2026-11-23", 50_000), ("2026-11-30", 111_000)]);
        assert_eq!(report.revenue[1].by_doctor, [90_000, 21_000]);
        assert_eq!(
            report.revenue[1].by_mode,
            [0, 1_000, 110_000, 0],
            "cash, card, upi, other"
        );
        let modes: Vec<(&str, i64, u32)> = report
            .by_mode
            .iter()
            .map(|s| (s.label.as_str(), s.amount_minor, s.payments))
            .collect();
        assert_eq!(
            modes,
            [("Cash", 50_000, 1), ("Card", 1_000, 1), ("UPI", 110_000, 2)],
            "modes nobody paid by are left out"
        );
    }
}
