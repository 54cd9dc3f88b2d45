//! "Export (FHIR)": a patient's record, or every patient's, saved as an
//! HL7 FHIR R4 Bundle in the Downloads folder for another clinic or
//! system. Doctors and admins; the server records each export.

use yew::prelude::*;

use crate::api;
use crate::components::clipboard::copy_text;
use crate::components::field::describe;

#[derive(Properties, PartialEq)]
pub struct FhirExportProps {
    /// The patient; every patient when absent.
    #[prop_or_default]
    pub patient: Option<AttrValue>,
    pub label: AttrValue,
}

#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    Working,
    Saved(String),
    Failed(String),
}

#[function_component(FhirExport)]
pub fn fhir_export(p: &FhirExportProps) -> Html {
    let stage = use_state(|| Stage::Idle);
    let export = {
        let (stage, patient) = (stage.clone(), p.patient.clone());
        Callback::from(move |_: MouseEvent| {
            let (stage, patient) = (stage.clone(), patient.clone());
            stage.set(Stage::Working);
            wasm_bindgen_futures::spawn_local(async move {
                match api::export_fhir(patient.map(|p| p.to_string())).await {
                    Ok(file) => stage.set(Stage::Saved(file.path)),
                    Err(e) => stage.set(Stage::Failed(describe(&e))),
                }
            });
        })
    };
    html! {
        <span class="fhir-export">
            <button type="button" class="secondary" data-testid="fhir-export" onclick={export}
                disabled={*stage == Stage::Working}>
                { if *stage == Stage::Working { "Exporting…".into() } else { p.label.clone() } }
            </button>
            { match &*stage {
                Stage::Saved(path) => html! {
                    <span class="notice-line" role="status" data-testid="fhir-saved">{ format!("Saved to {path}. ") }
                        <button type="button" class="link" onclick={{ let path = path.clone(); Callback::from(move |_| { copy_text(&path); }) }}>
                            { "Copy path" }
                        </button>
                    </span>
                },
                Stage::Failed(message) => html! { <span class="error" role="alert" data-testid="fhir-error">{ message }</span> },
                _ => html! {},
            } }
        </span>
    }
}
