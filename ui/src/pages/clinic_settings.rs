//! Clinic settings (admin): the name, address, phone and logo printed on
//! prescriptions, the currency, the country (its calling code: phone
//! numbers and how dates are written) and the idle sign-out time.

use contract::app::CommandError;
use domain::date::{self, DateStyle};
use domain::tenant::TenantSettings;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, error_for};
use crate::components::logo_picker::LogoPicker;
use crate::components::states::{ErrorBox, Skeleton};
use crate::state::{Action, use_app};

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready,
    Failed(String),
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn opt(v: String) -> Option<String> {
    if v.trim().is_empty() { None } else { Some(v) }
}

fn style_of(settings: &TenantSettings) -> DateStyle {
    DateStyle::for_calling_code(settings.default_country_calling_code.as_deref())
}

/// What the code changes, shown with the date style it gives.
fn calling_code_hint(settings: &TenantSettings) -> AttrValue {
    format!(
        "E.g. 91 for India. Used for phone numbers typed without a code, and for how dates are written: {}.",
        date::example(style_of(settings))
    )
    .into()
}

#[function_component(ClinicSettings)]
pub fn clinic_settings() -> Html {
    let app = use_app();
    let load = use_state(|| Load::Loading);
    let settings = use_state(TenantSettings::default);
    let idle = use_state(String::new);
    let error = use_state(|| None::<CommandError>);
    let saved = use_state(|| false);
    {
        let (load, settings, idle) = (load.clone(), settings.clone(), idle.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::clinic_settings().await {
                    Ok(s) => {
                        idle.set(s.idle_timeout_minutes.map(|m| m.to_string()).unwrap_or_default());
                        settings.set(s);
                        load.set(Load::Ready);
                    }
                    Err(e) => load.set(Load::Failed(e.message)),
                }
            });
        });
    }
    let edit = |apply: fn(&mut TenantSettings, String)| {
        let (settings, saved) = (settings.clone(), saved.clone());
        Callback::from(move |v: String| {
            let mut next = (*settings).clone();
            apply(&mut next, v);
            settings.set(next);
            saved.set(false);
        })
    };
    let submit = {
        let (settings, idle, error, saved) = (settings.clone(), idle.clone(), error.clone(), saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut next = (*settings).clone();
            next.idle_timeout_minutes = match idle.trim() {
                "" => None,
                v => match v.parse() {
                    Ok(m) => Some(m),
                    Err(_) => {
                        error.set(Some(CommandError::invalid(vec![domain::ValidationError::new(
                            "idle_timeout_minutes",
                            "Enter minutes as a number, e.g. 15.",
                        )])));
                        return;
                    }
                },
            };
            let (settings, error, saved, app) = (settings.clone(), error.clone(), saved.clone(), app.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::save_clinic_settings(&next).await {
                    Ok(s) => {
                        if let Ok(Some(session)) = api::session().await {
                            app.dispatch(Action::ClinicSettings(session));
                        }
                        settings.set(s);
                        error.set(None);
                        saved.set(true);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    match &*load {
        Load::Loading => html! { <Skeleton rows={4} /> },
        Load::Failed(message) => {
            html! { <ErrorBox message={format!("{message} Clinic settings need the server.")} /> }
        }
        Load::Ready => html! {
            <form class="card editor" onsubmit={submit} data-testid="clinic-settings-form">
                <h2>{ "Clinic settings" }</h2>
                <Field id="settings-name" label="Clinic name (printed)" value={text(&settings.clinic_name)}
                    on_input={edit(|s, v| s.clinic_name = opt(v))} error={error_for(&error, "clinic_name")} />
                <Field id="settings-address" label="Address" value={text(&settings.address)}
                    on_input={edit(|s, v| s.address = Some(v))} error={error_for(&error, "address")} />
                <Field id="settings-phone" label="Phone" kind="tel" value={text(&settings.phone)}
                    on_input={edit(|s, v| s.phone = Some(v))} error={error_for(&error, "phone")} />
                <LogoPicker value={settings.logo.clone()} error={error_for(&error, "logo")}
                    on_change={{ let (settings, saved) = (settings.clone(), saved.clone());
                        Callback::from(move |logo| { settings.set(TenantSettings { logo, ..(*settings).clone() }); saved.set(false); }) }} />
                <Field id="settings-currency" label="Currency" value={text(&settings.currency)} hint="A 3-letter code such as INR."
                    on_input={edit(|s, v| s.currency = opt(v))} error={error_for(&error, "currency")} />
                <Field id="settings-calling-code" label="Country calling code" value={text(&settings.default_country_calling_code)}
                    hint={calling_code_hint(&settings)}
                    on_input={edit(|s, v| s.default_country_calling_code = opt(v))}
                    error={error_for(&error, "default_country_calling_code")} />
                <Field id="settings-idle" label="Sign out after this many idle minutes" value={(*idle).clone()}
                    on_input={{ let idle = idle.clone(); Callback::from(move |v| idle.set(v)) }}
                    error={error_for(&error, "idle_timeout_minutes")} />
                if let Some(e) = error.as_ref().filter(|e| e.fields.is_empty()) { <p class="error" role="alert">{ &e.message }</p> }
                <div class="actions">
                    if *saved { <span class="badge green" data-testid="settings-saved">{ "Saved" }</span> }
                    <button type="submit" class="primary" data-testid="settings-save">{ "Save settings" }</button>
                </div>
            </form>
        },
    }
}
