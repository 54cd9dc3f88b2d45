//! Choosing a password: forced after a temporary one, and from "My
//! account" whenever the person wants.

use contract::app::CommandError;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, error_for, setter};
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Signed in with a temporary password: nothing else until it changes.
    pub forced: bool,
}

#[function_component(ChangePassword)]
pub fn change_password(p: &Props) -> Html {
    let app = use_app();
    let forced = p.forced;
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
                    Ok(session) => {
                        app.dispatch(Action::SignedIn(session));
                        if !forced {
                            app.dispatch(Action::Flash(
                                "Password changed. Your sign-ins on other PCs have ended.".into(),
                            ));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    let (title, why, current_label) = if forced {
        (
            "Choose your password",
            "You signed in with a temporary password. Choose your own before you continue.",
            "Temporary password",
        )
    } else {
        (
            "My account: change your password",
            "Your sign-ins on other PCs end when the password changes.",
            "Current password",
        )
    };
    // A doctor keeps their own profile and weekly hours from here.
    let my_profile = app
        .session
        .as_ref()
        .and_then(|s| s.user.doctor_id.as_ref())
        .filter(|_| !forced)
        .map(|id| id.to_string());
    html! {
        <div class="centered">
            <form class="card narrow" onsubmit={submit} data-testid="change-password-form">
                <h1>{ title }</h1>
                <p class="muted">{ why }</p>
                <Field id="current-password" label={current_label} kind="password" value={(*current).clone()}
                    autofocus=true on_input={setter(&current)} />
                <Field id="new-password" label="New password" kind="password" value={(*new).clone()}
                    hint="At least 10 characters, mixing letters, digits or symbols."
                    on_input={setter(&new)} error={error_for(&error, "password")} />
                <Field id="repeat-password" label="New password again" kind="password" value={(*repeat).clone()}
                    on_input={setter(&repeat)}
                    error={mismatch.then(|| AttrValue::from("The two passwords are different."))} />
                if let Some(message) = general { <p class="error" role="alert">{ message }</p> }
                <button type="submit" class="primary" data-testid="change-password-submit">{ "Save password" }</button>
                if let Some(id) = my_profile {
                    <p><Link<Route> to={Route::Doctor { id }}>
                        <span data-testid="my-doctor-profile">{ "My doctor profile and weekly hours" }</span>
                    </Link<Route>></p>
                }
            </form>
        </div>
    }
}
