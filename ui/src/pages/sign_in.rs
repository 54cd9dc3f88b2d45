//! Sign in with clinic code, e-mail and password (online, or offline for
//! someone who signed in on this PC before).

use contract::app::{CommandCode, CommandError};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, describe, error_for};
use crate::components::preset_notice::PresetNotice;
use crate::state::{Action, use_app};

#[function_component(SignIn)]
pub fn sign_in() -> Html {
    let app = use_app();
    let preset_code = app.settings.as_ref().and_then(|s| s.clinic_code.clone());
    // IT's code is fixed; otherwise the clinic last used on this PC.
    let known_code = preset_code
        .clone()
        .or_else(|| app.settings.as_ref().and_then(|s| s.last_clinic_code.clone()));
    let code = use_state(|| known_code.clone().unwrap_or_default());
    let forgot = use_state(|| false);
    let email = use_state(String::new);
    let password = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    // A PC that just joined a clinic offers that clinic (unless IT fixed one).
    let on_enrolled = {
        let code = code.clone();
        Callback::from(move |view: contract::app::EnrolmentView| {
            if code.trim().is_empty() {
                code.set(view.clinic_code);
            }
        })
    };
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
            CommandCode::InvalidCredentials => {
                " After five wrong tries an account waits 15 minutes; its owner gets an e-mail."
            }
            _ => "",
        };
        format!("{}{}", e.message, hint)
    });
    html! {
        <div class="centered">
            <form class="card narrow" onsubmit={submit} data-testid="sign-in-form">
                <h1>{ "Sign in" }</h1>
                <PresetNotice on_enrolled={on_enrolled} />
                if let Some(why) = &app.removed_notice {
                    <p class="alert-banner" role="alert" data-testid="removed-notice">{ why }</p>
                }
                <Field id="clinic-code" label="Clinic code" value={(*code).clone()} disabled={preset_code.is_some()}
                    autofocus={known_code.is_none()}
                    hint="The code your clinic got when it was registered, such as SUNRISE_7KQ_2MX_4DP. Your admin has it."
                    on_input={{ let s = code.clone(); Callback::from(move |v| s.set(v)) }}
                    error={error_for(&error, "clinic_code")} />
                <Field id="email" label="E-mail" kind="email" value={(*email).clone()} autofocus={known_code.is_some()}
                    on_input={{ let s = email.clone(); Callback::from(move |v| s.set(v)) }}
                    error={error_for(&error, "email")} />
                <Field id="password" label="Password" kind="password" value={(*password).clone()}
                    on_input={{ let s = password.clone(); Callback::from(move |v| s.set(v)) }}
                    error={error_for(&error, "password")} />
                if let Some(message) = general { <p class="error" role="alert" data-testid="sign-in-error">{ message }</p> }
                <button type="submit" class="primary" disabled={*busy} data-testid="sign-in-submit">
                    { if *busy { "Signing in…" } else { "Sign in" } }
                </button>
                if preset_code.is_none() {
                    <p class="muted">
                        <button type="button" class="link" data-testid="forgot-code"
                            onclick={{ let f = forgot.clone(); Callback::from(move |_| f.set(!*f)) }}>
                            { "Forgot the clinic code?" }
                        </button>
                    </p>
                }
                <p class="muted">{ "New clinic? " }<Link<Route> to={Route::Register}><span data-testid="go-register">{ "Register your clinic" }</span></Link<Route>></p>
            </form>
            if *forgot { <CodeReminder /> }
        </div>
    }
}

/// Asks the server to e-mail the clinic code to an address.
#[function_component(CodeReminder)]
fn code_reminder() -> Html {
    let email = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let answer = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let submit = {
        let (email, error, answer, busy) = (email.clone(), error.clone(), answer.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (email, error, answer, busy) = (email.clone(), error.clone(), answer.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::remind_clinic_code(&email).await {
                    Ok(message) => {
                        error.set(None);
                        answer.set(Some(message));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="card narrow" onsubmit={submit} data-testid="code-reminder-form">
            <h2>{ "Get the clinic code by e-mail" }</h2>
            <p class="muted">{ "Type the e-mail address you sign in with. We send the code of every clinic where it has an account." }</p>
            <Field id="reminder-email" label="Your e-mail" kind="email" value={(*email).clone()} autofocus=true
                on_input={{ let s = email.clone(); Callback::from(move |v| s.set(v)) }}
                error={error_for(&error, "email")} />
            if let Some(e) = error.as_ref().filter(|e| e.fields.is_empty()) {
                <p class="error" role="alert">{ describe(e) }</p>
            }
            if let Some(text) = &*answer { <p class="notice" role="status" data-testid="code-reminder-sent">{ text }</p> }
            <button type="submit" class="secondary" disabled={*busy} data-testid="code-reminder-submit">
                { if *busy { "Sending…" } else { "Send me the code" } }
            </button>
        </form>
    }
}
