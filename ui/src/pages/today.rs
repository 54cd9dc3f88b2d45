//! Today: the day's appointments and the walk-in queue (appointments arrive
//! with the clinical workflows; until then this page says so).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::states::Empty;
use crate::state::use_app;

#[function_component(Today)]
pub fn today() -> Html {
    let app = use_app();
    let name = app
        .session
        .as_ref()
        .map(|s| s.user.full_name.clone())
        .unwrap_or_default();
    html! {
        <section data-testid="today">
            <h1>{ format!("Good day, {name}") }</h1>
            <Empty title="No appointments today" text="Appointments and the walk-in queue will show here.">
                <Link<Route> to={Route::Patients} classes="button primary">{ "Open patients" }</Link<Route>>
            </Empty>
        </section>
    }
}
