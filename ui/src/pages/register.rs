//! Register a clinic: the owner becomes its admin (and optionally a doctor).

use contract::app::CommandError;
use domain::api::RegisterClinicRequest;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::field::{Field, error_for, setter};
use crate::state::{Action, use_app};

#[function_component(Register)]
pub fn register() -> Html {
    let app = use_app();
    let clinic = use_state(String::new);
    let owner = use_state(String::new);
    let email = use_state(String::new);
    let password = use_state(String::new);
    let is_doctor = use_state(|| true);
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let submit = {
        let (clinic, owner, email, password, is_doctor, error, busy, app) = (
            clinic.clone(),
            owner.clone(),
            email.clone(),
            password.clone(),
            is_doctor.clone(),
            error.clone(),
            busy.clone(),
            app.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = RegisterClinicRequest {
                clinic_name: (*clinic).clone(),
                owner_name: (*owner).clone(),
                email: (*email).clone(),
                password: (*password).clone(),
                owner_is_doctor: *is_doctor,
                device_id: None,
                licence_number: None,
                specialization: None,
            };
            let (error, busy, app) = (error.clone(), busy.clone(), app.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::register_clinic(&req).await {
                    Ok(session) => app.dispatch(Action::Registered(session)),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    let toggle = {
        let is_doctor = is_doctor.clone();
        Callback::from(move |e: Event| is_doctor.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    html! {
        <div class="centered">
            <form class="card narrow" onsubmit={submit} data-testid="register-form">
                <h1>{ "Register your clinic" }</h1>
                <p class="muted">{ "You start on a free 30-day trial. You become the clinic's admin." }</p>
                <Field id="clinic-name" label="Clinic name" value={(*clinic).clone()} autofocus=true
                    on_input={setter(&clinic)} error={error_for(&error, "clinic_name")} />
                <Field id="owner-name" label="Your name" value={(*owner).clone()}
                    on_input={setter(&owner)} error={error_for(&error, "owner_name")} />
                <Field id="owner-email" label="Your e-mail" kind="email" value={(*email).clone()}
                    on_input={setter(&email)} error={error_for(&error, "email")} />
                <Field id="owner-password" label="Choose a password" kind="password" value={(*password).clone()}
                    hint="At least 10 characters, mixing letters, digits or symbols."
                    on_input={setter(&password)} error={error_for(&error, "password")} />
                <label class="check">
                    <input type="checkbox" data-testid="owner-is-doctor" checked={*is_doctor} onchange={toggle} />
                    { "I also see patients as a doctor" }
                </label>
                if let Some(message) = general { <p class="error" role="alert">{ message }</p> }
                <button type="submit" class="primary" disabled={*busy} data-testid="register-submit">
                    { if *busy { "Registering…" } else { "Register clinic" } }
                </button>
                <p class="muted"><Link<Route> to={Route::Today}>{ "Back to sign in" }</Link<Route>></p>
            </form>
        </div>
    }
}
