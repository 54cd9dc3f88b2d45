//! `admin clinics`: one line per clinic, for a terminal.

use chrono::Utc;
use domain::plan::{Plan, UNLIMITED};
use domain::tenant::{Subscription, TenantStatus};
use sqlx::PgPool;

use super::OperatorError;
use crate::db::operator::{self as db, ClinicLine};

pub async fn clinics(owner: &PgPool) -> Result<String, OperatorError> {
    let mut tx = owner.begin().await?;
    let lines = db::clinics(&mut tx).await?;
    tx.commit().await?;
    Ok(table(&lines))
}

const HEADER: [&str; 9] = [
    "CODE",
    "NAME",
    "PLAN",
    "STATUS",
    "ENDS",
    "DOCTORS",
    "PATIENTS",
    "STORAGE",
    "PCS / LAST SEEN",
];

fn table(lines: &[ClinicLine]) -> String {
    let rows: Vec<[String; 9]> = lines.iter().map(row).collect();
    let mut widths = HEADER.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let render = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![render(&HEADER.map(str::to_owned))];
    out.extend(rows.iter().map(|r| render(r)));
    for line in lines.iter().filter(|l| l.status_reason.is_some()) {
        out.push(format!(
            "{}: suspended because {}",
            line.code,
            line.status_reason.as_deref().unwrap_or_default()
        ));
    }
    out.push(format!("{} clinics", lines.len()));
    out.join("\n")
}

fn row(line: &ClinicLine) -> [String; 9] {
    let subscription = Plan::parse(&line.plan)
        .zip(TenantStatus::parse(&line.status))
        .map(|(plan, status)| Subscription {
            plan,
            status,
            trial_ends_at: line.trial_ends_at,
            subscription_ends_at: line.subscription_ends_at,
        });
    let (status, ends) = match &subscription {
        Some(sub) => (
            sub.effective_status(Utc::now()).as_str().to_owned(),
            sub.expires_at(),
        ),
        None => (line.status.clone(), None),
    };
    let last_seen = line
        .last_seen
        .map_or_else(|| "never".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string());
    [
        line.code.clone(),
        line.name.chars().take(30).collect(),
        line.plan.clone(),
        status,
        ends.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%d").to_string()),
        of(line.doctors, line.max_doctors),
        of(line.patients, line.max_patients),
        of(line.storage_bytes / MIB, limit_mib(line.max_storage_bytes)) + " MiB",
        format!("{} / {last_seen}", line.pcs),
    ]
}

const MIB: i64 = 1024 * 1024;

fn limit_mib(bytes: i64) -> i64 {
    if bytes == UNLIMITED {
        UNLIMITED
    } else {
        bytes / MIB
    }
}

/// "12/20", or "12/-" with no limit.
fn of(used: i64, limit: i64) -> String {
    if limit == UNLIMITED {
        format!("{used}/-")
    } else {
        format!("{used}/{limit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_shows_as_a_dash() {
        assert_eq!(of(3, 20), "3/20");
        assert_eq!(of(3, UNLIMITED), "3/-");
        assert_eq!(limit_mib(UNLIMITED), UNLIMITED);
        assert_eq!(limit_mib(10 * MIB), 10);
    }
}
