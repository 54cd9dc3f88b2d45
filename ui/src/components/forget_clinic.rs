//! "Remove this clinic's data from this PC", in the sync panel: signs out
//! and erases the PC's copy (records, exported PDFs, offline sign-ins).
//! The confirm says what happens, and how many unsynced changes are lost.

use yew::prelude::*;

use crate::api;
use crate::components::confirm::Confirm;
use crate::components::field::describe;
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct ForgetClinicProps {
    /// Changes made on this PC that have not synced.
    pub pending: i64,
}

fn message(pending: i64) -> String {
    let unsynced = match pending {
        0 => "Everything made on this PC has reached the server.".to_owned(),
        1 => "1 change made on this PC has NOT reached the server and will be lost.".to_owned(),
        n => format!("{n} changes made on this PC have NOT reached the server and will be lost."),
    };
    format!(
        "You are signed out, and the clinic's records, exported PDFs and offline sign-ins are erased from this PC. \
         Signing in again downloads the records anew. {unsynced}"
    )
}

#[function_component(ForgetClinic)]
pub fn forget_clinic(p: &ForgetClinicProps) -> Html {
    let app = use_app();
    let asking = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let pending = p.pending;
    let confirm = {
        let (busy, error, app) = (busy.clone(), error.clone(), app.clone());
        Callback::from(move |_: Option<String>| {
            let (busy, error, app) = (busy.clone(), error.clone(), app.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::forget_clinic_here(pending > 0).await {
                    Ok(()) => {
                        if let Ok(settings) = api::settings().await {
                            app.dispatch(Action::Settings(settings));
                        }
                        app.dispatch(Action::SignedOut);
                        app.dispatch(Action::Flash(
                            "This clinic's data was removed from this PC.".into(),
                        ));
                    }
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(describe(&e).into()));
                    }
                }
            });
        })
    };
    html! {
        <>
            <button class="link danger-text" data-testid="forget-clinic"
                onclick={{ let asking = asking.clone(); Callback::from(move |_| asking.set(true)) }}>
                { "Remove this clinic's data from this PC" }
            </button>
            if *asking {
                <Confirm title="Remove this clinic's data from this PC?" message={message(pending)}
                    confirm_label="Remove and sign out" danger=true busy={*busy} error={(*error).clone()}
                    on_confirm={confirm}
                    on_cancel={{ let asking = asking.clone(); Callback::from(move |_| asking.set(false)) }} />
            }
        </>
    }
}
