//! The clinic's people: who they are, their role, whether they may sign
//! in, and "Add staff". An admin changes a role or deactivates someone
//! from their row, after a confirmation that says what follows (what they
//! may do changes at once; deactivation signs them out everywhere); the
//! server's refusals (the last admin, yourself) show above the table.

use contract::app::CommandError;
use domain::api::{CreateStaffResponse, StaffView, UpdateStaffRequest};
use domain::user::Role;
use yew::prelude::*;

use super::add_staff::{AddStaff, ROLE_OPTIONS, role_options, temporary_password};
use crate::api;
use crate::components::confirm::Confirm;
use crate::components::states::{Empty, ErrorBox, Skeleton};

/// A change an admin asked for, waiting for their confirmation.
#[derive(Debug, Clone, PartialEq)]
struct Asked {
    user_id: String,
    update: UpdateStaffRequest,
    title: String,
    message: String,
    confirm_label: String,
}

impl Asked {
    /// What changing `person` by `update` means, in words; none for a
    /// change that takes nothing away (reactivating).
    fn of(person: &StaffView, update: UpdateStaffRequest) -> Option<Self> {
        let name = &person.full_name;
        let (title, message, confirm_label) = match (update.role, update.is_active) {
            (Some(role), _) => {
                let label = ROLE_OPTIONS
                    .iter()
                    .find(|(r, _)| *r == role)
                    .map_or(role.as_str(), |(_, label)| label);
                let lost = if person.role == Role::Admin {
                    " They will no longer manage staff, PCs or the clinic's settings."
                } else {
                    ""
                };
                (
                    format!("Make {name} {}?", label.to_lowercase()),
                    format!(
                        "What {name} may see and do changes at once, and on each PC after its next sync.{lost}"
                    ),
                    format!("Make {}", label.to_lowercase()),
                )
            }
            (None, Some(false)) => (
                format!("Deactivate {name}?"),
                format!(
                    "{name} is signed out at once and cannot sign in again, on any PC after its next sync. \
                     Their records stay, and they can be reactivated."
                ),
                "Deactivate".to_owned(),
            ),
            (None, _) => return None,
        };
        Some(Self {
            user_id: person.user_id.to_string(),
            update,
            title,
            message,
            confirm_label,
        })
    }
}

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
    let asked = use_state(|| None::<Asked>);
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
    // A change that takes something away waits for the admin's yes.
    let ask = {
        let (asked, change) = (asked.clone(), change.clone());
        Callback::from(move |(person, update): (StaffView, UpdateStaffRequest)| {
            match Asked::of(&person, update.clone()) {
                Some(question) => asked.set(Some(question)),
                None => change.emit((person.user_id.to_string(), update)),
            }
        })
    };
    let confirmed = {
        let (asked, change) = (asked.clone(), change.clone());
        Callback::from(move |_| {
            if let Some(question) = (*asked).clone() {
                change.emit((question.user_id, question.update));
            }
            asked.set(None);
        })
    };
    // Going back redraws the rows, so a role picked and not confirmed
    // shows the role the person has.
    let declined = {
        let (asked, reload) = (asked.clone(), reload.clone());
        Callback::from(move |()| {
            asked.set(None);
            reload.set(*reload + 1);
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
                Load::Ready(list) => staff_table(list, &ask, *reload),
            } }
            if let Some(question) = &*asked {
                <Confirm title={question.title.clone()} message={question.message.clone()}
                    confirm_label={question.confirm_label.clone()} danger=true
                    on_confirm={confirmed} on_cancel={declined} />
            }
        </>
    }
}

type Ask = Callback<(StaffView, UpdateStaffRequest)>;

/// `drawn` keys the rows, so each reload draws them afresh.
fn staff_table(list: &[StaffView], ask: &Ask, drawn: u32) -> Html {
    html! {
        <table class="dense" data-testid="staff-list">
            <thead><tr><th>{ "Name" }</th><th>{ "E-mail" }</th><th>{ "Role" }</th><th>{ "Status" }</th><th></th></tr></thead>
            <tbody>{ for list.iter().map(|person| staff_row(person, ask, drawn)) }</tbody>
        </table>
    }
}

fn staff_row(person: &StaffView, ask: &Ask, drawn: u32) -> Html {
    let email = person.email.as_str().to_owned();
    let status = match (person.is_active, person.must_change_password) {
        (false, _) => "Deactivated",
        (true, true) => "Not signed in yet",
        (true, false) => "Active",
    };
    let on_role = {
        let (ask, person) = (ask.clone(), person.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let update = UpdateStaffRequest {
                role: Role::parse(&value),
                is_active: None,
            };
            ask.emit((person.clone(), update));
        })
    };
    let toggle = {
        let (ask, person) = (ask.clone(), person.clone());
        Callback::from(move |_| {
            let update = UpdateStaffRequest {
                role: None,
                is_active: Some(!person.is_active),
            };
            ask.emit((person.clone(), update))
        })
    };
    html! {
        <tr key={format!("{}-{drawn}", person.user_id)} data-testid="staff-row"
            class={classes!((!person.is_active).then_some("muted"))}>
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

#[cfg(test)]
mod tests {
    use domain::ids::UserId;
    use domain::user::Email;

    use super::*;

    fn person(role: Role) -> StaffView {
        StaffView {
            user_id: UserId::new(),
            full_name: "Rekha Menon".into(),
            email: Email::parse("rekha@example.org").expect("email"),
            role,
            is_active: true,
            must_change_password: false,
            last_login_at: None,
            doctor_id: None,
        }
    }

    fn update(role: Option<Role>, is_active: Option<bool>) -> UpdateStaffRequest {
        UpdateStaffRequest { role, is_active }
    }

    #[test]
    fn what_takes_something_away_is_asked_first_and_says_what_follows() {
        let demoted = Asked::of(&person(Role::Admin), update(Some(Role::Nurse), None)).expect("asked");
        assert_eq!(demoted.title, "Make Rekha Menon nurse?");
        assert!(
            demoted.message.contains("no longer manage staff"),
            "{}",
            demoted.message
        );
        let promoted =
            Asked::of(&person(Role::Receptionist), update(Some(Role::Admin), None)).expect("asked");
        assert!(!promoted.message.contains("no longer"), "{}", promoted.message);
        let off = Asked::of(&person(Role::Nurse), update(None, Some(false))).expect("asked");
        assert!(off.message.contains("signed out at once"), "{}", off.message);
        assert_eq!(off.update, update(None, Some(false)));
        assert_eq!(
            Asked::of(&person(Role::Nurse), update(None, Some(true))),
            None,
            "reactivating is not asked"
        );
    }
}
