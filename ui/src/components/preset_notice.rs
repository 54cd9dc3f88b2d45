//! What IT's preset did on this PC, for the set-up and sign-in screens: a
//! problem with the preset file, and joining the clinic with an enrolment
//! code (done once, at the first start; the clinic is then offered at
//! sign-in).

use contract::app::EnrolmentView;
use yew::prelude::*;

use crate::api;
use crate::components::field::describe;
use crate::hooks::{Load, use_load};
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct PresetNoticeProps {
    /// Told the clinic code once this PC joined a clinic.
    #[prop_or_default]
    pub on_enrolled: Callback<EnrolmentView>,
}

#[function_component(PresetNotice)]
pub fn preset_notice(p: &PresetNoticeProps) -> Html {
    let app = use_app();
    let problem = app.settings.as_ref().and_then(|s| s.preset_problem.clone());
    let (enrolment, _) = use_load((), |_| api::enrol_preset());
    {
        let (app, on_enrolled) = (app.clone(), p.on_enrolled.clone());
        let joined = enrolment.ready().cloned().flatten();
        use_effect_with(joined, move |joined| {
            if let Some(view) = joined.clone() {
                on_enrolled.emit(view);
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(settings) = api::settings().await {
                        app.dispatch(Action::Settings(settings));
                    }
                });
            }
        });
    }
    html! {
        <>
            if let Some(problem) = problem {
                <p class="alert-banner" role="alert" data-testid="preset-problem">{ problem }</p>
            }
            { match &*enrolment {
                Load::Ready(Some(view)) => html! {
                    <p class="notice" role="status" data-testid="enrolled-notice">
                        { format!("This PC is enrolled in {} as \u{201c}{}\u{201d}.", view.clinic_name, view.device_name) }
                    </p>
                },
                Load::Failed(e) => html! {
                    <p class="alert-banner" role="alert" data-testid="enrolment-error">
                        { if e.message.is_empty() { describe(e) } else { e.message.clone() } }
                    </p>
                },
                Load::Loading | Load::Ready(None) => html! {},
            } }
        </>
    }
}
