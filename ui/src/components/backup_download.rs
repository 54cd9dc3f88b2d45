//! "Clinic backup" on the admin page: a copy of every record of the clinic,
//! encrypted with a passphrase the admin chooses, saved in Downloads. The
//! server records who took it. The passphrase is typed twice and never
//! kept: without it the file cannot be opened, by anyone.

use contract::app::CommandError;
use contract::screens::ExportedFile;
use domain::api::BackupPassphrase;
use yew::prelude::*;

use crate::api;
use crate::components::clipboard::copy_text;
use crate::components::field::{Field, describe, error_for};

#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    Working,
    Saved(ExportedFile),
}

/// The passphrase's problems, as field errors, before anything is sent.
fn check(passphrase: &str, repeated: &str) -> Option<CommandError> {
    let mut fields = Vec::new();
    if let Err(e) = BackupPassphrase::parse(passphrase) {
        fields.push(e);
    } else if passphrase != repeated {
        fields.push(domain::ValidationError::new(
            "repeat",
            "does not match the passphrase",
        ));
    }
    (!fields.is_empty()).then(|| CommandError::invalid(fields))
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b => format!("{} KB", b.div_ceil(1024)),
    }
}

#[function_component(BackupDownload)]
pub fn backup_download() -> Html {
    let passphrase = use_state(String::new);
    let repeated = use_state(String::new);
    let stage = use_state(|| Stage::Idle);
    let error = use_state(|| None::<CommandError>);
    let submit = {
        let (passphrase, repeated, stage, error) =
            (passphrase.clone(), repeated.clone(), stage.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(problem) = check(&passphrase, &repeated) {
                error.set(Some(problem));
                return;
            }
            error.set(None);
            stage.set(Stage::Working);
            let (given, stage, error) = ((*passphrase).clone(), stage.clone(), error.clone());
            let (passphrase, repeated) = (passphrase.clone(), repeated.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::download_backup(given).await {
                    Ok(file) => {
                        // Not left on the screen once the file is saved.
                        passphrase.set(String::new());
                        repeated.set(String::new());
                        stage.set(Stage::Saved(file));
                    }
                    Err(e) => {
                        error.set(Some(e));
                        stage.set(Stage::Idle);
                    }
                }
            });
        })
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |v: String| state.set(v))
    };
    let working = *stage == Stage::Working;
    html! {
        <form class="card editor" onsubmit={submit} data-testid="backup-form">
            <h2>{ "Clinic backup" }</h2>
            <p class="muted">{ "A copy of every patient, appointment and prescription of the clinic as the server has \
                them now, encrypted with a passphrase you choose. Keep the passphrase apart from the file: without it \
                nobody can open the file, and it cannot be recovered. Each download is recorded in the clinic's audit trail." }</p>
            <Field id="backup-passphrase" label="Passphrase" kind="password" value={(*passphrase).clone()}
                hint="At least 12 characters; a few unrelated words work well."
                on_input={set(&passphrase)} error={error_for(&error, "passphrase")} disabled={working} />
            <Field id="backup-repeat" label="Passphrase again" kind="password" value={(*repeated).clone()}
                on_input={set(&repeated)} error={error_for(&error, "repeat")} disabled={working} />
            if let Some(e) = error.as_ref().filter(|e| e.fields.is_empty()) {
                <p class="error" role="alert" data-testid="backup-error">{ describe(e) }</p>
            }
            if let Stage::Saved(file) = &*stage {
                <p class="notice-line" role="status" data-testid="backup-saved">
                    { format!("Saved {} to {}. ", size(file.bytes), file.path) }
                    <button type="button" class="link" onclick={{
                        let path = file.path.clone();
                        Callback::from(move |_| { copy_text(&path); })
                    }}>{ "Copy path" }</button>
                </p>
            }
            <div class="actions">
                <crate::components::fhir_export::FhirExport label="Export all patients (FHIR)" />
                <button type="submit" class="primary" disabled={working} data-testid="backup-download">
                    { if working { "Preparing the backup…" } else { "Download backup" } }
                </button>
            </div>
        </form>
    }
}
