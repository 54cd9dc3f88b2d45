//! The import's two tables: which column is which (with a few values of
//! each), and the dry run's rows with their problems.

use contract::screens::import::{ColumnMapping, ImportField, ImportReport, ImportSheet, RowCheck};
use domain::date::DateStyle;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::field_options;

const SAMPLE_VALUES: usize = 3;

fn style_value(style: DateStyle) -> &'static str {
    match style {
        DateStyle::DayMonthYear => "dmy",
        DateStyle::MonthDayYear => "mdy",
        DateStyle::YearMonthDay => "ymd",
    }
}

fn style_of(value: &str) -> DateStyle {
    match value {
        "mdy" => DateStyle::MonthDayYear,
        "ymd" => DateStyle::YearMonthDay,
        _ => DateStyle::DayMonthYear,
    }
}

pub fn mapping_table(
    sheet: &ImportSheet,
    mapping: &UseStateHandle<Option<ColumnMapping>>,
    on_check: Callback<ImportSheet>,
) -> Html {
    let Some(current) = (**mapping).clone() else {
        return html! {};
    };
    let choose = |index: usize| {
        let mapping = mapping.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(mut next) = (*mapping).clone() {
                if let Some(slot) = next.columns.get_mut(index) {
                    *slot = ImportField::parse(&value);
                }
                mapping.set(Some(next));
            }
        })
    };
    let on_style = {
        let mapping = mapping.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(mut next) = (*mapping).clone() {
                next.date_style = style_of(&value);
                mapping.set(Some(next));
            }
        })
    };
    let check = {
        let sheet = sheet.clone();
        Callback::from(move |_| on_check.emit(sheet.clone()))
    };
    html! {
        <div class="card editor" data-testid="import-mapping">
            <h2>{ format!("{}: {} rows", sheet.file_name, sheet.rows) }</h2>
            <p class="muted">{ "Say what each column holds. Columns set to \"Do not import\" are left out." }</p>
            <table class="dense">
                <thead><tr><th>{ "Column" }</th><th>{ "Holds" }</th><th>{ "First values" }</th></tr></thead>
                <tbody>
                    { for sheet.headers.iter().enumerate().map(|(index, header)| {
                        let chosen = current.columns.get(index).copied().flatten();
                        let values: Vec<&str> = sheet.sample.iter().take(SAMPLE_VALUES)
                            .filter_map(|row| row.get(index).map(String::as_str)).collect();
                        html! {
                            <tr>
                                <td><label for={format!("import-column-{index}")}>{ header }</label></td>
                                <td>
                                    <select id={format!("import-column-{index}")} data-testid={format!("import-column-{index}")}
                                        onchange={choose(index)}>
                                        <option value="" selected={chosen.is_none()}>{ "Do not import" }</option>
                                        { for field_options().map(|(value, label)| html! {
                                            <option value={value} selected={chosen.map(ImportField::as_str) == Some(value)}>{ label }</option>
                                        }) }
                                    </select>
                                </td>
                                <td class="muted">{ values.join(" · ") }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <div class="field">
                <label for="import-date-style">{ "Dates in the file are written" }</label>
                <select id="import-date-style" data-testid="import-date-style" onchange={on_style}>
                    { for [("dmy", "day first: 21/04/1990"), ("mdy", "month first: 04/21/1990"), ("ymd", "year first: 1990-04-21")]
                        .into_iter().map(|(value, label)| html! {
                            <option value={value} selected={style_value(current.date_style) == value}>{ label }</option>
                        }) }
                </select>
            </div>
            <div class="actions">
                <button class="primary" data-testid="import-check" onclick={check}>{ "Check the rows" }</button>
            </div>
        </div>
    }
}

fn rows_table(rows: &[RowCheck], testid: &'static str, style: DateStyle) -> Html {
    html! {
        <table class="dense" data-testid={testid}>
            <thead><tr><th>{ "Row" }</th><th>{ "Name" }</th><th>{ "Mobile" }</th><th>{ "Born" }</th><th>{ "Gender" }</th><th>{ "Problems" }</th></tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr class={classes!((!r.problems.is_empty()).then_some("has-error"))} data-row={r.row.to_string()}>
                        <td>{ r.row }</td>
                        <td>{ &r.name }</td>
                        <td class="num">{ &r.mobile }</td>
                        <td class="num">{ domain::date::reformat(&r.date_of_birth, style, domain::date::format_short) }</td>
                        <td>{ &r.gender }</td>
                        <td>
                            if r.problems.is_empty() { <span class="badge green">{ "Ready" }</span> }
                            else { <ul class="problems">{ for r.problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul> }
                        </td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

pub fn report_view(
    report: &ImportReport,
    style: DateStyle,
    back: Callback<MouseEvent>,
    ask: Callback<MouseEvent>,
) -> Html {
    let bad = report.rejected.len();
    let summary = match bad {
        0 => format!("All {} rows are ready to import.", report.total),
        1 => format!(
            "{} of {} rows are ready to import. 1 row has problems and will be skipped.",
            report.accepted, report.total
        ),
        n => format!(
            "{} of {} rows are ready to import. {n} rows have problems and will be skipped.",
            report.accepted, report.total
        ),
    };
    html! {
        <>
            <div class="card" data-testid="import-report">
                <h2>{ "Check" }</h2>
                <p data-testid="import-summary">{ summary }</p>
                if bad > 0 {
                    <h3>{ "Rows with problems" }</h3>
                    { rows_table(&report.rejected, "import-problems", style) }
                }
                <div class="actions">
                    <button data-testid="import-back" onclick={back}>{ "Back to the columns" }</button>
                    <button class="primary" data-testid="import-commit" disabled={report.accepted == 0} onclick={ask}>
                        { format!("Import {} patients", report.accepted) }
                    </button>
                </div>
            </div>
            <div class="card">
                <h3>{ format!("The first {} rows", report.preview.len()) }</h3>
                { rows_table(&report.preview, "import-preview", style) }
            </div>
        </>
    }
}
