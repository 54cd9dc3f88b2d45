//! The clinic's people: who they are, their role, whether they may sign
//! in, and "Add staff". An admin changes a role or deactivates someone
//! from their row; the server's refusals (the last admin, yourself) show
//! above the table.

use contract::app::CommandError;
use domain::api::{CreateStaffResponse, StaffView, UpdateStaffRequest};
use domain::user::Role;
use yew::prelude::*;

use super::add_staff::{AddStaff, role_options, temporary_password};
use crate::api;
use crate::components::states::{Empty, ErrorBox, Skeleton};

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Vec<StaffView>),
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct StaffProps {
    /// Someone was added or changed (the doctors list may follow).
    pub on_changed: Callback<()>,
}

#[function_component(StaffSection)]
pub fn staff_section(p: &StaffProps) -> Html {
    let load = use_state(|| Load::Loading);
    let reload = use_state(|| 0u32);
    let adding = use_state(|| false);
    let created = use_state(|| None::<CreateStaffResponse>);
    let refusal = use_state(|| None::<CommandError>);
    {
        let load = load.clone();
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::staff().await {
                    Ok(list) => Load::Ready(list),
                    Err(e) => Load::Failed(e.message),
                });
            });
        });
    }
    let changed = {
        let (reload, on_changed) = (reload.clone(), p.on_changed.clone());
        Callback::from(move |()| {
            reload.set(*reload + 1);
            on_changed.emit(());
        })
    };
    let on_created = {
        let (created, adding, changed) = (created.clone(), adding.clone(), changed.clone());
        Callback::from(move |resp: CreateStaffResponse| {
            created.set(Some(resp));
            adding.set(false);
            changed.emit(());
        })
    };
    let change = {
        let (refusal, changed) = (refusal.clone(), changed.clone());
        Callback::from(move |(user_id, update): (String, UpdateStaffRequest)| {
            let (refusal, changed) = (refusal.clone(), changed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::update_staff(&user_id, update).await {
                    Ok(_) => {
                        refusal.set(None);
                        changed.emit(());
                    }
                    Err(e) => refusal.set(Some(e)),
                }
            });
        })
    };
    let open_form = {
        let (adding, created) = (adding.clone(), created.clone());
        Callback::from(move |_| {
            created.set(None);
            adding.set(true);
        })
    };
    html! {
        <>
            <div class="toolbar">
                <h1>{ "Staff" }</h1>
                <button class="primary" data-testid="add-staff" onclick={open_form}>{ "Add staff" }</button>
            </div>
            if let Some(resp) = &*created { { temporary_password(resp) } }
            if *adding {
                <AddStaff on_created={on_created}
                    on_cancel={{ let adding = adding.clone(); Callback::from(move |_| adding.set(false)) }} />
            }
            if let Some(e) = &*refusal {
                <p class="error" role="alert" data-testid="staff-error">
                    { e.fields.first().map_or(e.message.clone(), |f| f.message.clone()) }
                </p>
            }
            { match &*load {
                Load::Loading => html! { <Skeleton rows={3} /> },
                Load::Failed(message) => html! {
                    <ErrorBox message={format!("{message} The staff list needs the server.")}
                        on_retry={{ let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1)) }} />
                },
                Load::Ready(list) if list.is_empty() => html! {
                    <Empty title="No staff yet" text="Add your doctors, nurses and receptionists." />
                },
                Load::Ready(list) => staff_table(list, &change),
            } }
        </>
    }
}

fn staff_table(list: &[StaffView], change: &Callback<(String, UpdateStaffRequest)>) -> Html {
    html! {
        <table class="dense" data-testid="staff-list">
            <thead><tr><th>{ "Name" }</th><th>{ "E-mail" }</th><th>{ "Role" }</th><th>{ "Status" }</th><th></th></tr></thead>
            <tbody>{ for list.iter().map(|person| staff_row(person, change)) }</tbody>
        </table>
    }
}

fn staff_row(person: &StaffView, change: &Callback<(String, UpdateStaffRequest)>) -> Html {
    let email = person.email.as_str().to_owned();
    let status = match (person.is_active, person.must_change_password) {
        (false, _) => "Deactivated",
        (true, true) => "Not signed in yet",
        (true, false) => "Active",
    };
    let on_role = {
        let (change, user) = (change.clone(), person.user_id.to_string());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let update = UpdateStaffRequest {
                role: Role::parse(&value),
                is_active: None,
            };
            change.emit((user.clone(), update));
        })
    };
    let toggle = {
        let (change, user, active) = (change.clone(), person.user_id.to_string(), person.is_active);
        Callback::from(move |_| {
            change.emit((
                user.clone(),
                UpdateStaffRequest {
                    role: None,
                    is_active: Some(!active),
                },
            ))
        })
    };
    html! {
        <tr data-testid="staff-row" class={classes!((!person.is_active).then_some("muted"))}>
            <td>{ &person.full_name }</td>
            <td>{ &email }</td>
            <td>
                <select aria-label={format!("Role of {}", person.full_name)} data-testid={format!("role-{email}")} onchange={on_role}>
                    { for role_options().into_iter().map(|(value, label)| html! {
                        <option value={value.clone()} selected={value == person.role.as_str()}>{ label }</option>
                    }) }
                </select>
                if person.role == Role::Admin && person.doctor_id.is_some() {
                    <span class="muted">{ " also a doctor" }</span>
                }
            </td>
            <td data-testid={format!("status-{email}")}>{ status }</td>
            <td><button class="secondary" data-testid={format!("toggle-{email}")} onclick={toggle}>
                { if person.is_active { "Deactivate" } else { "Reactivate" } }
            </button></td>
        </tr>
    }
}
