//! The root: loads settings and the session, then shows set-up, sign-in,
//! the forced password change, or the signed-in layout with its routes.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::layout::Layout;
use crate::components::role_gate::ClinicalOnly;
use crate::hooks::use_idle_sign_out;
use crate::pages::{
    admin, appointments, billing, change_password, doctor_profile, import, patient_chart, patients,
    prescriptions, register, reports, review, settings, setup, sign_in, today,
};
use crate::state::{Action, AppContext, AppState, use_app};

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Today,
    #[at("/patients")]
    Patients,
    #[at("/patients/import")]
    ImportPatients,
    #[at("/patients/:id")]
    PatientChart { id: String },
    /// Query: `date`, `book=1`, `patient` (opens the booking form for them).
    #[at("/appointments")]
    Appointments,
    #[at("/prescriptions")]
    Prescriptions,
    /// Query: `patient`, `appointment`.
    #[at("/prescriptions/new")]
    NewPrescription,
    #[at("/prescriptions/:id")]
    Prescription { id: String },
    /// Query: `patient`, `appointment` (the visit to bill).
    #[at("/bills/new")]
    NewBill,
    #[at("/bills/:id")]
    Invoice { id: String },
    #[at("/reports")]
    Reports,
    #[at("/settings")]
    Settings,
    /// `short-keys`, `medicines` or `print-layouts`.
    #[at("/settings/:tab")]
    SettingsTab { tab: String },
    #[at("/admin")]
    Admin,
    /// A doctor's profile and weekly hours (an admin, or the doctor).
    #[at("/doctors/:id")]
    Doctor { id: String },
    #[at("/review")]
    Review,
    /// "My account": the person's own password.
    #[at("/account")]
    Account,
    #[at("/register")]
    Register,
    #[not_found]
    #[at("/404")]
    NotFound,
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let settings = api::settings().await.unwrap_or_default();
                let session = api::session().await.ok().flatten();
                state.dispatch(Action::Loaded(settings, session));
            });
        });
    }
    html! {
        <ContextProvider<AppContext> context={state}>
            <HashRouter>
                <Shell />
            </HashRouter>
        </ContextProvider<AppContext>>
    }
}

#[function_component(Shell)]
fn shell() -> Html {
    let app = use_app();
    let idle_minutes = app
        .session
        .as_ref()
        .map_or(contract::app::DEFAULT_IDLE_MINUTES, |s| s.idle_minutes);
    use_idle_sign_out(app.session.is_some(), idle_minutes);
    // Whoever signs in (or out) starts at Today, not on the last user's page.
    let navigator = use_navigator();
    let who = app.session.as_ref().map(|s| s.user.id.clone());
    use_effect_with(who, move |_| {
        if let Some(navigator) = navigator {
            navigator.push(&Route::Today);
        }
    });
    if !app.loaded {
        return html! { <div class="boot" aria-busy="true"><div class="skeleton block" /></div> };
    }
    let has_server = app.settings.as_ref().is_some_and(|s| s.server_url.is_some());
    // Keyed by the sign-in epoch: a new session starts every screen afresh.
    let epoch = app.epoch.to_string();
    match (&app.session, has_server) {
        (_, false) => html! { <setup::Setup /> },
        (None, true) => {
            html! { <div key={epoch} class="signed-out"><Switch<Route> render={signed_out} /></div> }
        }
        (Some(session), _) if session.must_change_password => {
            html! { <change_password::ChangePassword key={epoch} forced=true /> }
        }
        (Some(_), _) => html! { <Layout key={epoch}><Switch<Route> render={signed_in} /></Layout> },
    }
}

fn signed_out(route: Route) -> Html {
    match route {
        Route::Register => html! { <register::Register /> },
        _ => html! { <sign_in::SignIn /> },
    }
}

fn signed_in(route: Route) -> Html {
    match route {
        Route::Today | Route::Register => html! { <today::Today /> },
        Route::Patients => html! { <patients::Patients /> },
        Route::ImportPatients => html! { <import::ImportPatients /> },
        Route::PatientChart { id } => {
            html! { <patient_chart::PatientChartPage key={id.clone()} id={id.clone()} /> }
        }
        Route::Appointments => html! { <appointments::Appointments /> },
        Route::Prescriptions => html! { <ClinicalOnly><prescriptions::Prescriptions /></ClinicalOnly> },
        Route::NewPrescription => html! {
            <ClinicalOnly><prescriptions::editor::PrescriptionEditor key="new" /></ClinicalOnly>
        },
        Route::Prescription { id } => html! {
            <ClinicalOnly><prescriptions::editor::PrescriptionEditor key={id.clone()} id={Some(id.clone())} /></ClinicalOnly>
        },
        Route::NewBill => html! { <billing::NewBill /> },
        Route::Invoice { id } => html! { <billing::invoice::InvoicePage key={id.clone()} id={id.clone()} /> },
        Route::Reports => html! { <reports::Reports /> },
        Route::Settings => html! { <ClinicalOnly><settings::Settings tab="short-keys" /></ClinicalOnly> },
        Route::SettingsTab { tab } => html! { <ClinicalOnly><settings::Settings tab={tab} /></ClinicalOnly> },
        Route::Admin => html! { <admin::AdminOnly /> },
        Route::Doctor { id } => html! { <doctor_profile::DoctorProfile key={id.clone()} id={id.clone()} /> },
        Route::Review => html! { <review::NeedsReview /> },
        Route::Account => html! { <change_password::ChangePassword forced=false /> },
        Route::NotFound => html! { <today::Today /> },
    }
}
