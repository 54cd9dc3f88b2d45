//! Updates of the app in the header: checked after sign-in and daily. A
//! ready update waits for the user ("Restart to install", after a confirm
//! that says what happens); an admin can put it off. A refused update says
//! why and is never installed. Nothing here interrupts a form.

use contract::app::UpdateView;
use domain::user::Role;
use yew::prelude::*;

use crate::api;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::hooks::use_interval;
use crate::state::use_app;

const DAY_MS: u32 = 24 * 60 * 60 * 1000;

#[function_component(UpdateBanner)]
pub fn update_banner() -> Html {
    let app = use_app();
    let view = use_state(|| None::<UpdateView>);
    let asking = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    {
        let view = view.clone();
        use_interval(
            DAY_MS,
            Callback::from(move |_| {
                let view = view.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(found) = api::check_for_update().await {
                        view.set(Some(found));
                    }
                });
            }),
        );
    }
    let install = {
        let error = error.clone();
        Callback::from(move |_: Option<String>| {
            let error = error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // On success the app restarts into the new version.
                if let Err(e) = api::install_update().await {
                    error.set(Some(describe(&e).into()));
                }
            });
        })
    };
    let defer = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| {
            let view = view.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(found) = api::defer_update().await {
                    view.set(Some(found));
                }
            });
        })
    };
    let is_admin = app.session.as_ref().is_some_and(|s| s.user.role == Role::Admin);
    let Some(current) = &*view else { return html! {} };
    html! {
        <>
            if let (Some(version), None) = (&current.ready, &current.deferred_until) {
                <span class="badge blue update" data-testid="update-ready">
                    { format!("Update {version} ready") }
                    <button class="link" data-testid="update-install"
                        onclick={{ let asking = asking.clone(); Callback::from(move |_| asking.set(true)) }}>
                        { "Restart to install" }
                    </button>
                    if is_admin {
                        <button class="link" data-testid="update-later" onclick={defer}>{ "Later" }</button>
                    }
                </span>
            }
            if let Some(why) = &current.refused {
                <span class="badge amber refused" data-testid="update-refused" title={why.clone()}>{ why }</span>
            }
            if *asking {
                <Confirm title={format!("Install version {}?", current.ready.clone().unwrap_or_default())}
                    message="The app closes and opens again on the new version; this takes a few seconds. Save any open form first: unsaved typing is lost."
                    confirm_label="Restart now" error={(*error).clone()}
                    on_confirm={install}
                    on_cancel={{ let asking = asking.clone(); Callback::from(move |_| asking.set(false)) }} />
            }
        </>
    }
}
