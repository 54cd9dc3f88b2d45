//! First run: where is the clinic server? (IT may preset it.)

use contract::app::CommandError;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, error_for};
use crate::components::preset_notice::PresetNotice;
use crate::state::{Action, use_app};

#[function_component(Setup)]
pub fn setup() -> Html {
    let app = use_app();
    let url = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let submit = {
        let (url, error, busy, app) = (url.clone(), error.clone(), busy.clone(), app.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (url, error, busy, app) = (url.clone(), error.clone(), busy.clone(), app.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::set_server_url(&url).await {
                    Ok(settings) => app.dispatch(Action::Settings(settings)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    html! {
        <div class="centered">
            <form class="card narrow" onsubmit={submit} data-testid="setup-form">
                <h1>{ "Connect to your clinic" }</h1>
                <PresetNotice />
                <p class="muted">{ "Enter the address of your clinic's server. Your IT department can tell you." }</p>
                <Field id="server-url" label="Server address" value={(*url).clone()} autofocus=true
                    hint="For example https://clinic.example.in"
                    on_input={{ let url = url.clone(); Callback::from(move |v| url.set(v)) }}
                    error={error_for(&error, "server_url")} />
                if let Some(message) = general { <p class="error" role="alert">{ message }</p> }
                <button type="submit" class="primary" disabled={*busy} data-testid="setup-submit">
                    { if *busy { "Checking…" } else { "Continue" } }
                </button>
            </form>
        </div>
    }
}
