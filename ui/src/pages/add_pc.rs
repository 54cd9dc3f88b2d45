//! "Add a PC" on the admin's PCs list: a one-time enrolment code for IT,
//! shown once with the preset file that uses it.

use domain::api::EnrolmentCode;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, describe};
use crate::state::use_app;

/// The preset file IT puts on the new PC.
fn preset_file(server_url: &str, code: &EnrolmentCode) -> String {
    let preset = serde_json::json!({"server_url": server_url, "enrolment_code": code.code});
    serde_json::to_string_pretty(&preset).unwrap_or_default()
}

fn copy(text: String) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        crate::components::clipboard::copy_text(&text);
    })
}

#[function_component(AddPc)]
pub fn add_pc() -> Html {
    let app = use_app();
    let open = use_state(|| false);
    let name = use_state(String::new);
    let made = use_state(|| None::<EnrolmentCode>);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let make = {
        let (name, made, error, busy, open) = (
            name.clone(),
            made.clone(),
            error.clone(),
            busy.clone(),
            open.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (name, made, error, busy, open) = (
                name.clone(),
                made.clone(),
                error.clone(),
                busy.clone(),
                open.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let wanted = Some(name.trim().to_owned()).filter(|n| !n.is_empty());
                match api::create_enrolment(wanted).await {
                    Ok(code) => {
                        made.set(Some(code));
                        error.set(None);
                        open.set(false);
                        name.set(String::new());
                    }
                    Err(e) => error.set(Some(describe(&e))),
                }
                busy.set(false);
            });
        })
    };
    let server_url = app
        .settings
        .as_ref()
        .and_then(|s| s.server_url.clone())
        .unwrap_or_default();
    html! {
        <div class="add-pc">
            if !*open {
                <button class="secondary" data-testid="add-pc"
                    onclick={{ let (open, made) = (open.clone(), made.clone()); Callback::from(move |_| { made.set(None); open.set(true); }) }}>
                    { "Add a PC" }
                </button>
            } else {
                <form class="card" onsubmit={make} data-testid="add-pc-form">
                    <Field id="pc-name" label="Name of the PC (optional)" value={(*name).clone()}
                        hint="Shown in this list, e.g. Reception. Without one, the PC uses its own name."
                        on_input={{ let name = name.clone(); Callback::from(move |v| name.set(v)) }} />
                    if let Some(message) = &*error { <p class="error" role="alert">{ message }</p> }
                    <div class="actions">
                        <button type="button" class="secondary" onclick={{ let open = open.clone(); Callback::from(move |_| open.set(false)) }}>{ "Cancel" }</button>
                        <button type="submit" class="primary" disabled={*busy} data-testid="add-pc-submit">
                            { if *busy { "Making…" } else { "Make enrolment code" } }
                        </button>
                    </div>
                </form>
            }
            if let Some(code) = &*made {
                <div class="card notice" data-testid="enrolment-made">
                    <p>{ format!("Enrolment code{} — works once, until {}. It is shown only now.",
                        code.name.as_ref().map(|n| format!(" for {n}")).unwrap_or_default(),
                        code.expires_at.format("%d %b %Y")) }</p>
                    <p class="password"><code data-testid="enrolment-code">{ &code.code }</code></p>
                    <p class="muted">{ "Give IT this preset file for the new PC, at /etc/clinic-desktop/config.json:" }</p>
                    <pre data-testid="enrolment-preset">{ preset_file(&server_url, code) }</pre>
                    <button class="secondary" onclick={copy(preset_file(&server_url, code))}>{ "Copy preset file" }</button>
                </div>
            }
        </div>
    }
}
