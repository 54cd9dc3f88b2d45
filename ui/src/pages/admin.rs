//! Admin: the clinic's staff (see `staff.rs`), its doctors, PCs, settings
//! and backup.

use domain::api::DoctorView;
use yew::prelude::*;
use yew_router::prelude::Link;

use crate::api;
use crate::app::Route;
use crate::components::states::{Empty, ErrorBox, Skeleton};

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Vec<DoctorView>),
    Failed(String),
}

/// The admin screens, or a plain refusal for other roles.
#[function_component(AdminOnly)]
pub fn admin_only() -> Html {
    let app = crate::state::use_app();
    let is_admin = app
        .session
        .as_ref()
        .is_some_and(|s| s.user.role == domain::user::Role::Admin);
    if is_admin {
        html! { <Admin /> }
    } else {
        html! { <Empty title="Admins only" text="Ask your clinic's admin to manage doctors and settings." /> }
    }
}

#[function_component(Admin)]
pub fn admin() -> Html {
    let load = use_state(|| Load::Loading);
    let reload = use_state(|| 0u32);
    {
        let load = load.clone();
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::doctors().await {
                    Ok(list) => Load::Ready(list),
                    Err(e) => Load::Failed(e.message),
                });
            });
        });
    }
    let staff_changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    html! {
        <section class="admin">
            <crate::pages::staff::StaffSection on_changed={staff_changed} />
            <h2>{ "Doctors" }</h2>
            { doctor_table(&load, &reload) }
            <crate::pages::clinic_pcs::ClinicPcs />
            <crate::pages::clinic_settings::ClinicSettings />
            <crate::components::backup_download::BackupDownload />
        </section>
    }
}

fn doctor_table(load: &UseStateHandle<Load>, reload: &UseStateHandle<u32>) -> Html {
    html! {
        <>
            { match &**load {
                Load::Loading => html! { <Skeleton rows={4} /> },
                Load::Failed(message) => html! {
                    <ErrorBox message={format!("{message} The doctors list needs the server.")}
                        on_retry={{ let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1)) }} />
                },
                Load::Ready(list) if list.is_empty() => html! {
                    <Empty title="No doctors yet" text="Add doctors with “Add staff” and the role Doctor." />
                },
                Load::Ready(list) => html! {
                    <table class="dense" data-testid="doctor-list">
                        <thead><tr><th>{ "Name" }</th><th>{ "E-mail" }</th><th>{ "Licence" }</th><th>{ "Specialization" }</th><th></th></tr></thead>
                        <tbody>{ for list.iter().map(|d| html! {
                            <tr data-testid="doctor-row"><td>{ &d.full_name }</td><td>{ d.email.as_str() }</td>
                                <td>{ d.licence_number.as_ref().map(|l| l.as_str().to_owned()).unwrap_or_else(|| "—".into()) }</td>
                                <td>{ &d.specialization }</td>
                                <td><Link<Route> to={Route::Doctor { id: d.id.to_string() }} classes="button secondary">
                                    <span data-testid={format!("edit-doctor-{}", d.email.as_str())}>{ "Profile and hours" }</span>
                                </Link<Route>></td></tr>
                        }) }</tbody>
                    </table>
                },
            } }
        </>
    }
}
