//! Reports: a range of days (a preset or two dates) and how money is
//! grouped; the figures are worked out on this PC, so they show offline.
//! Each section is a chart with its table under it; the whole report is
//! exported as CSV or PDF to the clinic's exports folder.

mod sections;

use chrono::{Datelike, Days, Months, NaiveDate};
use contract::app::CommandError;
use contract::screens::reports::{Period, ReportQuery};
use yew::prelude::*;

use crate::api;
use crate::components::date_field::DateField;
use crate::components::field::{Select, describe, error_for};
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::{Load, today, use_synced_load};
use crate::state::use_app;

/// The ranges a desk asks for most, each with a grouping that suits it.
fn presets(day: NaiveDate) -> Vec<(&'static str, &'static str, ReportQuery)> {
    let query = |from: NaiveDate, to: NaiveDate, period| ReportQuery {
        from: from.to_string(),
        to: to.to_string(),
        period,
    };
    let month = day.with_day(1).unwrap_or(day);
    let last_month = month - Months::new(1);
    vec![
        ("today", "Today", query(day, day, Period::Day)),
        ("week", "Last 7 days", query(day - Days::new(6), day, Period::Day)),
        ("month", "This month", query(month, day, Period::Day)),
        (
            "last-month",
            "Last month",
            query(last_month, month - Days::new(1), Period::Day),
        ),
        (
            "year",
            "Last 12 months",
            query(month - Months::new(11), day, Period::Month),
        ),
    ]
}

#[function_component(Reports)]
pub fn reports() -> Html {
    let app = use_app();
    if !crate::pages::billing::may_bill(&app) {
        return html! {
            <Empty title="For the clinic's admins, doctors and receptionists"
                text="Reports of visits and money are kept by those who handle the clinic's bills." />
        };
    }
    html! { <ReportPage /> }
}

#[function_component(ReportPage)]
fn report_page() -> Html {
    let day = today();
    let choices = presets(day);
    let applied = use_state(|| choices[0].2.clone());
    let draft = use_state(|| choices[0].2.clone());
    let error = use_state(|| None::<CommandError>);
    let (load, reload) = use_synced_load((*applied).clone(), |q| async move { api::report(&q).await });
    let choose = |query: ReportQuery| {
        let (applied, draft, error) = (applied.clone(), draft.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            draft.set(query.clone());
            applied.set(query.clone());
        })
    };
    let edit = |apply: fn(&mut ReportQuery, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            apply(&mut next, value);
            draft.set(next);
        })
    };
    let show = {
        let (applied, draft, error) = (applied.clone(), draft.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.validate() {
                Ok(_) => {
                    error.set(None);
                    applied.set((*draft).clone());
                }
                Err(fields) => error.set(Some(CommandError::invalid(fields))),
            }
        })
    };
    let periods: Vec<(AttrValue, AttrValue)> = Period::ALL
        .into_iter()
        .map(|p| (AttrValue::from(p.as_str()), AttrValue::from(p.title())))
        .collect();
    html! {
        <section class="reports" data-testid="reports">
            <div class="toolbar">
                <h1>{ "Reports" }</h1>
                <div class="chips" role="group" aria-label="Range">
                    { for choices.iter().map(|(key, label, query)| html! {
                        <button type="button" data-testid={format!("report-range-{key}")}
                            class={classes!("small", if *query == *applied { "primary" } else { "secondary" })}
                            onclick={choose(query.clone())}>{ *label }</button>
                    }) }
                </div>
            </div>
            <form class="card row range" onsubmit={show} novalidate=true data-testid="report-range">
                <DateField id="report-from" label="From" value={draft.from.clone()}
                    on_input={edit(|q, v| q.from = v)} error={error_for(&error, "from")} />
                <DateField id="report-to" label="To" value={draft.to.clone()}
                    on_input={edit(|q, v| q.to = v)} error={error_for(&error, "to")} />
                <Select id="report-period" label="Money" value={draft.period.as_str()} options={periods}
                    on_change={edit(|q, v| q.period = Period::parse(&v).unwrap_or_default())}
                    error={error_for(&error, "period")} />
                <div class="actions"><button type="submit" class="primary" data-testid="report-show">{ "Show" }</button></div>
            </form>
            { match &*load {
                Load::Loading => html! { <div data-testid="report-loading"><Skeleton rows={8} /></div> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload} /> },
                Load::Ready(report) => html! {
                    <>
                        <Exports query={(*applied).clone()} />
                        <sections::ReportBody report={report.clone()} />
                    </>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ExportProps {
    query: ReportQuery,
}

/// "Export CSV" and "Export PDF", and where the file went.
#[function_component(Exports)]
fn exports(p: &ExportProps) -> Html {
    let saved = use_state(|| None::<Result<String, String>>);
    let busy = use_state(|| false);
    let export = |pdf: bool| {
        let (saved, busy, query) = (saved.clone(), busy.clone(), p.query.clone());
        Callback::from(move |_: MouseEvent| {
            let (saved, busy, query) = (saved.clone(), busy.clone(), query.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let done = if pdf {
                    api::export_report_pdf(&query).await
                } else {
                    api::export_report_csv(&query).await
                };
                busy.set(false);
                saved.set(Some(done.map(|f| f.path).map_err(|e| describe(&e))));
            });
        })
    };
    html! {
        <div class="actions left">
            <button class="secondary small" data-testid="report-export-csv" disabled={*busy} onclick={export(false)}>{ "Export CSV" }</button>
            <button class="secondary small" data-testid="report-export-pdf" disabled={*busy} onclick={export(true)}>{ "Export PDF" }</button>
            { match &*saved {
                Some(Ok(path)) => html! { <span class="notice-line">{ "Saved to " }<code data-testid="report-exported-path">{ path }</code></span> },
                Some(Err(why)) => html! { <span class="error" role="alert" data-testid="report-export-error">{ why }</span> },
                None => html! {},
            } }
        </div>
    }
}
