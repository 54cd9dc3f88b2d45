//! Forced password change after a temporary password.

use contract::app::CommandError;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, error_for, setter};
use crate::state::{Action, use_app};

#[function_component(ChangePassword)]
pub fn change_password() -> Html {
    let app = use_app();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let repeat = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let mismatch = use_state(|| false);
    let submit = {
        let (current, new, repeat, error, mismatch, app) = (
            current.clone(),
            new.clone(),
            repeat.clone(),
            error.clone(),
            mismatch.clone(),
            app.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *new != *repeat {
                mismatch.set(true);
                return;
            }
            mismatch.set(false);
            let (current, new, error, app) = ((*current).clone(), (*new).clone(), error.clone(), app.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::change_password(&current, &new).await {
                    Ok(session) => app.dispatch(Action::SignedIn(session)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    html! {
        <div class="centered">
            <form class="card narrow" onsubmit={submit} data-testid="change-password-form">
                <h1>{ "Choose your password" }</h1>
                <p class="muted">{ "You signed in with a temporary password. Choose your own before you continue." }</p>
                <Field id="current-password" label="Temporary password" kind="password" value={(*current).clone()}
                    autofocus=true on_input={setter(&current)} />
                <Field id="new-password" label="New password" kind="password" value={(*new).clone()}
                    hint="At least 10 characters, mixing letters, digits or symbols."
                    on_input={setter(&new)} error={error_for(&error, "password")} />
                <Field id="repeat-password" label="New password again" kind="password" value={(*repeat).clone()}
                    on_input={setter(&repeat)}
                    error={mismatch.then(|| AttrValue::from("The two passwords are different."))} />
                if let Some(message) = general { <p class="error" role="alert">{ message }</p> }
                <button type="submit" class="primary" data-testid="change-password-submit">{ "Save password" }</button>
            </form>
        </div>
    }
}
