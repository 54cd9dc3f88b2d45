//! The report itself: the summary figures, then each section's chart with
//! the same figures as a table under it (the tables the exports write).

use contract::print::ReportTable;
use contract::screens::reports::Report;
use yew::prelude::*;

use crate::components::charts::{Bar, BarChart, ColumnChart};
use crate::components::date_field::use_date_style;
use crate::components::states::Empty;
use crate::state::use_app;

#[derive(Properties, PartialEq)]
pub struct BodyProps {
    pub report: Report,
}

/// A label short enough for a chart's margin.
fn short(label: &str) -> String {
    const MOST: usize = 26;
    if label.chars().count() <= MOST {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(MOST - 1).collect::<String>())
    }
}

/// A table's bars: the first cell names each, the `figure` cell is
/// written (the bar's own value when the row has no such cell).
fn bars(table: &ReportTable, figure: usize) -> Vec<Bar> {
    table
        .rows
        .iter()
        .zip(&table.bars)
        .map(|(row, value)| Bar {
            label: short(row.first().map(String::as_str).unwrap_or("")),
            value: *value,
            text: row.get(figure).cloned().unwrap_or_else(|| value.to_string()),
        })
        .collect()
}

fn table_view(table: &ReportTable, testid: &str) -> Html {
    html! {
        <div class="table-scroll">
            <table class="dense grid report-table" data-testid={testid.to_owned()}>
                <thead><tr>{ for table.columns.iter().enumerate().map(|(i, c)| html! {
                    <th class={classes!((i > 0).then_some("num"))}>{ c }</th>
                }) }</tr></thead>
                <tbody>{ for table.rows.iter().map(|row| html! {
                    <tr>{ for row.iter().enumerate().map(|(i, cell)| html! {
                        <td class={classes!((i > 0).then_some("num"))}>{ cell }</td>
                    }) }</tr>
                }) }</tbody>
            </table>
        </div>
    }
}

/// A card: title, chart (when there is anything to draw), table.
fn section(table: &ReportTable, chart: Html, testid: &str, empty: &str) -> Html {
    let nothing = table.rows.is_empty() || table.bars.iter().all(|b| *b == 0);
    html! {
        <div class="card report-section" data-testid={format!("{testid}-section")}>
            <h2>{ &table.title }</h2>
            if nothing {
                <p class="muted" data-testid={format!("{testid}-empty")}>{ empty.to_owned() }</p>
            } else {
                { chart }
                { table_view(table, testid) }
            }
        </div>
    }
}

#[function_component(ReportBody)]
pub fn report_body(p: &BodyProps) -> Html {
    let app = use_app();
    let style = use_date_style();
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let r = &p.report;
    let nothing = r.visits.is_empty() && r.received_minor == 0 && r.bills == 0 && r.top_diagnoses.is_empty();
    if nothing {
        return html! {
            <Empty title="Nothing recorded in this range"
                text="Visits, bills, payments and prescriptions of these days will show here, on this PC even offline." />
        };
    }
    let t = r.tables(money, style);
    let visits: usize = r.visits.iter().map(|v| (v.booked + v.walk_ins) as usize).sum();
    let cards = [
        (
            "Money received",
            money.format(r.received_minor),
            "report-received",
        ),
        (
            "Billed",
            format!("{} ({} bills)", money.format(r.billed_minor), r.bills),
            "report-billed",
        ),
        ("Visits", visits.to_string(), "report-visits"),
        (
            "New / returning patients",
            format!("{} / {}", r.new_patients, r.returning_patients),
            "report-patients",
        ),
    ];
    let revenue_chart = html! {
        <ColumnChart bars={bars(&t.revenue, t.revenue.columns.len() - 1)} title={t.revenue.title.clone()} testid="chart-revenue" />
    };
    let horizontal = |table: &ReportTable, figure: usize, testid: &'static str| {
        html! { <BarChart bars={bars(table, figure)} title={table.title.clone()} testid={testid} /> }
    };
    html! {
        <div class="report" data-testid="report">
            <p class="muted" data-testid="report-range-label">{ r.subtitle(style) }</p>
            <div class="stat-cards">
                { for cards.iter().map(|(label, value, testid)| html! {
                    <div class="card stat"><span class="muted small">{ *label }</span>
                        <strong data-testid={*testid}>{ value }</strong></div>
                }) }
            </div>
            { section(&t.visits, horizontal(&t.visits, usize::MAX, "chart-visits"), "report-visits-table", "No visits in this range.") }
            { section(&t.revenue, revenue_chart, "report-revenue", "No money received in this range.") }
            <div class="two-up">
                { section(&t.by_mode, horizontal(&t.by_mode, 2, "chart-modes"), "report-modes", "No payments in this range.") }
                { section(&t.by_doctor, horizontal(&t.by_doctor, 2, "chart-doctors"), "report-doctors", "No payments in this range.") }
            </div>
            { section(&t.patients, horizontal(&t.patients, 1, "chart-patients"), "report-new-returning", "No patients seen in this range.") }
            <div class="two-up">
                { section(&t.diagnoses, horizontal(&t.diagnoses, 1, "chart-diagnoses"), "report-diagnoses", "No prescriptions issued in this range.") }
                { section(&t.medicines, horizontal(&t.medicines, 1, "chart-medicines"), "report-medicines", "No prescriptions issued in this range.") }
            </div>
        </div>
    }
}
