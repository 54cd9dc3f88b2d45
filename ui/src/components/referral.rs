//! Referrals in the window: taking in another clinic's FHIR export of one
//! patient (doctors and admins), and the read-only history it brought,
//! shown on the patient's chart with where it came from.

use std::collections::BTreeMap;

use contract::screens::ReferralRecordRow;
use contract::screens::import::ReferralFile;
use domain::api::ReferralImported;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::api;
use crate::app::Route;
use crate::components::chosen_file::read_chosen;
use crate::components::date_field::DateText;
use crate::components::field::describe;

#[derive(Clone, PartialEq)]
enum Stage {
    Choose,
    Sending,
    Done(ReferralImported),
    Failed(String),
}

async fn read_file(input: HtmlInputElement) -> Result<ReferralFile, String> {
    let (name, base64) = read_chosen(
        &input,
        8.0 * 1024.0 * 1024.0,
        "The referral is larger than 8 MB: ask the other clinic for this one patient's export.",
    )
    .await?;
    Ok(ReferralFile { name, base64 })
}

/// "Take in a referral": choose the `.fhir.json` file, and the patient
/// joins the clinic with their history.
#[function_component(ReferralImport)]
pub fn referral_import() -> Html {
    let stage = use_state(|| Stage::Choose);
    let on_file = {
        let stage = stage.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let stage = stage.clone();
            stage.set(Stage::Sending);
            wasm_bindgen_futures::spawn_local(async move {
                let result = match read_file(input).await {
                    Ok(file) => api::import_referral(&file).await.map_err(|e| describe(&e)),
                    Err(message) => Err(message),
                };
                stage.set(match result {
                    Ok(done) => Stage::Done(done),
                    Err(message) => Stage::Failed(message),
                });
            });
        })
    };
    let sending = *stage == Stage::Sending;
    html! {
        <div class="card editor" data-testid="referral-import">
            <h2>{ "Take in a referral" }</h2>
            <p class="muted">{ "A patient's record exported by another clinic as FHIR (a .fhir.json file). The patient \
                joins this clinic with new ids; their appointments, medicines, allergies, dental findings and \
                documents are kept as read-only history noting where they came from. Allergies and blood group \
                also fill the patient's own details. Needs the server." }</p>
            <input type="file" accept=".json,application/json,application/fhir+json"
                data-testid="referral-file" onchange={on_file} disabled={sending} />
            { match &*stage {
                Stage::Sending => html! { <p class="muted" role="status">{ "Taking in the referral…" }</p> },
                Stage::Failed(message) => html! { <p class="error" role="alert" data-testid="referral-error">{ message }</p> },
                Stage::Done(done) => done_view(done),
                Stage::Choose => html! {},
            } }
        </div>
    }
}

fn done_view(done: &ReferralImported) -> Html {
    let counts = counted(&done.records);
    let skipped = counted(&done.skipped);
    html! {
        <div role="status" data-testid="referral-done">
            <p>{ match done.record_count() {
                0 => format!("{} joined the clinic; the referral held no history.", done.patient_name),
                1 => format!("{} joined the clinic with 1 history record ({counts}).", done.patient_name),
                n => format!("{} joined the clinic with {n} history records ({counts}).", done.patient_name),
            } }</p>
            if !skipped.is_empty() {
                <p class="muted">{ format!("Not taken in: {skipped}.") }</p>
            }
            <span data-testid="referral-open-chart">
                <Link<Route> to={Route::PatientChart { id: done.patient_id.to_string() }} classes="button primary">
                    { "Open the chart" }
                </Link<Route>>
            </span>
        </div>
    }
}

fn counted(counts: &BTreeMap<String, u32>) -> String {
    counts
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "appointment" => "Appointment",
        "medication" => "Medicine",
        "allergy" => "Allergy",
        "observation" => "Finding",
        "procedure" => "Procedure",
        "document" => "Document",
        "family" => "Family",
        _ => "Record",
    }
}

#[derive(Properties, PartialEq)]
pub struct ReferralHistoryProps {
    pub records: Vec<ReferralRecordRow>,
}

/// The chart's "Referral history" card: read-only, with its source.
#[function_component(ReferralHistory)]
pub fn referral_history(p: &ReferralHistoryProps) -> Html {
    if p.records.is_empty() {
        return html! {};
    }
    let mut sources: Vec<&str> = p.records.iter().map(|r| r.source.as_str()).collect();
    sources.dedup();
    html! {
        <div class="card referral-history" data-testid="referral-history">
            <h2>{ "Referral history" }</h2>
            <p class="muted">{ format!("Read-only, brought in from another clinic: {}.", sources.join("; ")) }</p>
            <table class="dense grid cols-referral">
                <thead><tr><th>{ "Date" }</th><th>{ "Kind" }</th><th>{ "Record" }</th><th>{ "By" }</th></tr></thead>
                <tbody>
                    { for p.records.iter().map(|r| html! {
                        <tr data-testid="referral-row">
                            <td>{ match r.occurred_on {
                                Some(day) => html! { <DateText date={day.to_string()} /> },
                                None => html! { <span class="muted">{ "—" }</span> },
                            } }</td>
                            <td>{ kind_label(&r.kind) }</td>
                            <td>
                                <strong>{ &r.title }</strong>
                                if let Some(detail) = &r.detail { <div class="muted">{ detail }</div> }
                            </td>
                            <td>{ r.author.clone().unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
