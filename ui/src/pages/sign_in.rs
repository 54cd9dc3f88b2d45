//! Sign in with clinic code, e-mail and password (online, or offline for
//! someone who signed in on this PC before).

use domain::app::{CommandCode, CommandError};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, error_for};
use crate::state::{Action, use_app};

#[function_component(SignIn)]
pub fn sign_in() -> Html {
    let app = use_app();
    let preset_code = app.settings.as_ref().and_then(|s| s.clinic_code.clone());
    let code = use_state(|| preset_code.clone().unwrap_or_default());
    let email = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let submit = {
        let (code, email, password, error, busy, app) = (
            code.clone(),
            email.clone(),
            password.clone(),
            error.clone(),
            busy.clone(),
            app.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (code, email, password, error, busy, app) = (
                code.clone(),
                email.clone(),
                password.clone(),
                error.clone(),
                busy.clone(),
                app.clone(),
            );
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                match api::sign_in(&code, &email, &password).await {
                    Ok(session) => app.dispatch(Action::SignedIn(session)),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let general = error.as_ref().filter(|e| e.fields.is_empty()).map(|e| {
        let hint = match e.code {
            CommandCode::AccountLocked => " Wait 15 minutes, or ask your clinic admin.",
            _ => "",
        };
        format!("{}{}", e.message, hint)
    });
    html! {
        <div class="centered">
            <form class="card narrow" onsubmit={submit} data-testid="sign-in-form">
                <h1>{ "Sign in" }</h1>
                <Field id="clinic-code" label="Clinic code" value={(*code).clone()} disabled={preset_code.is_some()}
                    autofocus={preset_code.is_none()}
                    on_input={{ let s = code.clone(); Callback::from(move |v| s.set(v)) }}
                    error={error_for(&error, "clinic_code")} />
                <Field id="email" label="E-mail" kind="email" value={(*email).clone()} autofocus={preset_code.is_some()}
                    on_input={{ let s = email.clone(); Callback::from(move |v| s.set(v)) }}
                    error={error_for(&error, "email")} />
                <Field id="password" label="Password" kind="password" value={(*password).clone()}
                    on_input={{ let s = password.clone(); Callback::from(move |v| s.set(v)) }}
                    error={error_for(&error, "password")} />
                if let Some(message) = general { <p class="error" role="alert" data-testid="sign-in-error">{ message }</p> }
                <button type="submit" class="primary" disabled={*busy} data-testid="sign-in-submit">
                    { if *busy { "Signing in…" } else { "Sign in" } }
                </button>
                <p class="muted">{ "New clinic? " }<Link<Route> to={Route::Register}><span data-testid="go-register">{ "Register your clinic" }</span></Link<Route>></p>
            </form>
        </div>
    }
}
