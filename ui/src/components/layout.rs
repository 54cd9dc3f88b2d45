//! The signed-in frame: header, left navigation and the page.

use domain::user::Role;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::header::Header;
use crate::state::use_app;

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub children: Html,
}

#[function_component(Layout)]
pub fn layout(p: &LayoutProps) -> Html {
    let app = use_app();
    let route = use_route::<Route>().unwrap_or(Route::Today);
    let is_admin = app.session.as_ref().is_some_and(|s| s.user.role == Role::Admin);
    let item = |target: Route, label: &'static str, testid: &'static str| {
        let active = route == target;
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
                        if is_admin { { item(Route::Admin, "Admin", "nav-admin") } }
                    </ul>
                </nav>
                <main class="page">{ p.children.clone() }</main>
            </div>
        </div>
    }
}
