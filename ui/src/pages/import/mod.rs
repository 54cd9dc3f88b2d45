//! Import patients from a spreadsheet: choose the file, say which column
//! is which, read the dry run (every row checked; the first 20 shown, and
//! every row with a problem named with its reasons), then import the
//! accepted rows after confirming. Nothing is written before that.

use contract::screens::import::{
    ColumnMapping, ImportDone, ImportField, ImportFile, ImportReport, ImportRequest, ImportSheet,
};
use domain::date::DateStyle;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::api;
use crate::app::Route;
use crate::components::chosen_file::read_chosen;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::components::referral::ReferralImport;
use crate::components::states::ErrorBox;

mod report;

#[derive(Clone, PartialEq)]
enum Stage {
    Choose,
    Reading,
    Mapping(ImportSheet),
    Report(ImportSheet, ImportReport),
    Done(ImportDone),
}

/// The chosen file's bytes, as the PC's command takes them.
async fn read_file(input: HtmlInputElement, date_style: DateStyle) -> Result<ImportFile, String> {
    let (name, base64) = read_chosen(
        &input,
        20.0 * 1024.0 * 1024.0,
        "The file is larger than 20 MB: split it and import the parts.",
    )
    .await?;
    Ok(ImportFile {
        name,
        base64,
        date_style,
    })
}

#[function_component(ImportPatients)]
pub fn import_patients() -> Html {
    let app = crate::state::use_app();
    let clinic_style = app.session.as_ref().map(|s| s.date_style).unwrap_or_default();
    let stage = use_state(|| Stage::Choose);
    let mapping = use_state(|| None::<ColumnMapping>);
    let error = use_state(|| None::<String>);
    let confirming = use_state(|| false);
    let busy = use_state(|| false);
    let may_refer = crate::components::role_gate::is_clinical(&app);

    let on_file = {
        let (stage, mapping, error) = (stage.clone(), mapping.clone(), error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let (stage, mapping, error) = (stage.clone(), mapping.clone(), error.clone());
            stage.set(Stage::Reading);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let opened = match read_file(input, clinic_style).await {
                    Ok(file) => api::import_open(&file).await.map_err(|e| describe(&e)),
                    Err(message) => Err(message),
                };
                match opened {
                    Ok(sheet) => {
                        mapping.set(Some(sheet.mapping.clone()));
                        stage.set(Stage::Mapping(sheet));
                    }
                    Err(message) => {
                        error.set(Some(message));
                        stage.set(Stage::Choose);
                    }
                }
            });
        })
    };
    let run_check = {
        let (stage, mapping, error) = (stage.clone(), mapping.clone(), error.clone());
        Callback::from(move |sheet: ImportSheet| {
            let Some(current) = (*mapping).clone() else { return };
            if let Err(problems) = current.check() {
                error.set(Some(
                    problems
                        .iter()
                        .map(|p| p.message.clone())
                        .collect::<Vec<_>>()
                        .join(" "),
                ));
                return;
            }
            error.set(None);
            let (stage, error) = (stage.clone(), error.clone());
            let request = ImportRequest {
                id: sheet.id.clone(),
                mapping: current,
            };
            wasm_bindgen_futures::spawn_local(async move {
                match api::import_check(&request).await {
                    Ok(report) => stage.set(Stage::Report(sheet, report)),
                    Err(e) => error.set(Some(describe(&e))),
                }
            });
        })
    };
    let commit = {
        let (stage, mapping, error, confirming, busy) = (
            stage.clone(),
            mapping.clone(),
            error.clone(),
            confirming.clone(),
            busy.clone(),
        );
        Callback::from(move |_: Option<String>| {
            let (Stage::Report(sheet, _), Some(current)) = (&*stage, (*mapping).clone()) else {
                return;
            };
            let request = ImportRequest {
                id: sheet.id.clone(),
                mapping: current,
            };
            let (stage, error, confirming, busy) =
                (stage.clone(), error.clone(), confirming.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::import_commit(&request).await;
                busy.set(false);
                confirming.set(false);
                match result {
                    Ok(done) => stage.set(Stage::Done(done)),
                    Err(e) => error.set(Some(describe(&e))),
                }
            });
        })
    };

    let body = match &*stage {
        Stage::Choose | Stage::Reading => choose(*stage == Stage::Reading, on_file),
        Stage::Mapping(sheet) => report::mapping_table(sheet, &mapping, run_check),
        Stage::Report(sheet, checked) => {
            let back = {
                let (stage, sheet) = (stage.clone(), sheet.clone());
                Callback::from(move |_| stage.set(Stage::Mapping(sheet.clone())))
            };
            let ask = {
                let confirming = confirming.clone();
                Callback::from(move |_| confirming.set(true))
            };
            let style = (*mapping).as_ref().map_or(clinic_style, |m| m.date_style);
            report::report_view(checked, style, back, ask)
        }
        Stage::Done(done) => html! {
            <div class="card" data-testid="import-done">
                <h2>{ format!("Imported {} patients", done.imported) }</h2>
                if done.skipped > 0 {
                    <p>{ format!("{} rows with problems were skipped; fix them in the file and import it again.", done.skipped) }</p>
                }
                <p class="muted">{ "They sync to the clinic's other PCs like any new patient." }</p>
                <Link<Route> to={Route::Patients} classes="button primary">{ "Go to patients" }</Link<Route>>
            </div>
        },
    };
    let dialog = match (&*stage, *confirming) {
        (Stage::Report(_, checked), true) => html! {
            <Confirm title={format!("Import {} patients?", checked.accepted)}
                message={confirm_message(checked)}
                confirm_label={format!("Import {}", checked.accepted)} busy={*busy}
                on_confirm={commit}
                on_cancel={{ let confirming = confirming.clone(); Callback::from(move |_| confirming.set(false)) }} />
        },
        _ => html! {},
    };
    html! {
        <section class="import">
            <div class="toolbar">
                <h1>{ "Import patients" }</h1>
                <Link<Route> to={Route::Patients} classes="button">{ "Back to patients" }</Link<Route>>
            </div>
            if let Some(message) = &*error { <ErrorBox message={message.clone()} /> }
            { body }
            if may_refer && matches!(*stage, Stage::Choose | Stage::Reading) { <ReferralImport /> }
            { dialog }
        </section>
    }
}

fn confirm_message(checked: &ImportReport) -> String {
    let skipped = checked.total - checked.accepted;
    let skipped = match skipped {
        0 => String::new(),
        1 => " The 1 row with problems is skipped.".into(),
        n => format!(" The {n} rows with problems are skipped."),
    };
    format!(
        "{} new patients are added to the clinic, all at once (if anything fails, none are).{skipped}",
        checked.accepted
    )
}

fn choose(reading: bool, on_file: Callback<Event>) -> Html {
    html! {
        <div class="card editor">
            <h2>{ "Choose a spreadsheet" }</h2>
            <p class="muted">{ "A CSV file or an Excel workbook (.xlsx) whose first row names the columns. Each patient \
                needs a first name (or full name), a mobile number and a date of birth; gender, blood group, \
                allergies, notes and an emergency contact are taken when present. You will see every row's \
                problems before anything is saved." }</p>
            <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                data-testid="import-file" onchange={on_file} disabled={reading} />
            if reading { <p class="muted" role="status">{ "Reading the file…" }</p> }
        </div>
    }
}

/// Every field, for the mapping's selects.
pub(crate) fn field_options() -> impl Iterator<Item = (&'static str, &'static str)> {
    ImportField::ALL.iter().map(|f| (f.as_str(), f.label()))
}
