//! The signed-in frame: header, left navigation, a short confirmation
//! line ("flash") and the page.

use domain::user::Role;
use gloo_timers::callback::Timeout;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::clinic_code::NewClinicCode;
use crate::components::header::Header;
use crate::state::{Action, use_app};

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub children: Html,
}

/// The navigation entry a route belongs to.
fn section(route: &Route) -> Route {
    match route {
        Route::PatientChart { .. } => Route::Patients,
        Route::NewPrescription | Route::Prescription { .. } => Route::Prescriptions,
        Route::SettingsTab { .. } => Route::Settings,
        Route::Doctor { .. } => Route::Admin,
        other => other.clone(),
    }
}

#[function_component(Layout)]
pub fn layout(p: &LayoutProps) -> Html {
    let app = use_app();
    let route = use_route::<Route>().unwrap_or(Route::Today);
    let current = section(&route);
    let is_admin = app.session.as_ref().is_some_and(|s| s.user.role == Role::Admin);
    let clinical = crate::components::role_gate::is_clinical(&app);
    let may_bill = crate::pages::billing::may_bill(&app);
    {
        let app = app.clone();
        let id = app.flash.as_ref().map(|f| f.id);
        use_effect_with(id, move |id| {
            let timer = id.map(|id| Timeout::new(5_000, move || app.dispatch(Action::ClearFlash(id))));
            move || drop(timer)
        });
    }
    let item = |target: Route, label: &'static str, testid: &'static str| {
        let active = current == target;
        html! {
            <li><Link<Route> to={target} classes={classes!(active.then_some("active"))}>
                <span data-testid={testid}>{ label }</span>
            </Link<Route>></li>
        }
    };
    html! {
        <div class="app">
            <Header />
            <div class="body">
                <nav class="side" aria-label="Main">
                    <ul>
                        { item(Route::Today, "Today", "nav-today") }
                        { item(Route::Patients, "Patients", "nav-patients") }
                        { item(Route::Appointments, "Appointments", "nav-appointments") }
                        if clinical {
                            { item(Route::Prescriptions, "Prescriptions", "nav-prescriptions") }
                            { item(Route::Settings, "Settings", "nav-settings") }
                        }
                        if may_bill { { item(Route::Reports, "Reports", "nav-reports") } }
                        { item(Route::Review, "Needs review", "nav-review") }
                        if is_admin { { item(Route::Admin, "Admin", "nav-admin") } }
                        { item(Route::Account, "My account", "nav-account") }
                    </ul>
                </nav>
                <main class="page">
                    <NewClinicCode />
                    if let Some(flash) = &app.flash {
                        <div class="flash" role="status" data-testid="flash">{ &flash.text }</div>
                    }
                    { p.children.clone() }
                </main>
            </div>
        </div>
    }
}
