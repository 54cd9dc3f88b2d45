//! "Add staff": a person of any role; a doctor also gives a licence
//! number, speciality and office. The temporary password is shown once,
//! with a copy button.

use contract::app::CommandError;
use domain::api::{CreateStaffRequest, CreateStaffResponse, DoctorProfileRequest};
use domain::doctor::Office;
use domain::user::Role;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, Select, error_for, form_error, setter};
use crate::components::week_hours::{WeekHours, WeekLines, lines_of};

/// The fields this form shows errors under; the server's errors on any
/// other field show above the buttons.
const FIELDS: [&str; 6] = [
    "full_name",
    "email",
    "licence_number",
    "specialization",
    "offices",
    "availability",
];

pub const ROLE_OPTIONS: [(Role, &str); 4] = [
    (Role::Doctor, "Doctor"),
    (Role::Nurse, "Nurse"),
    (Role::Receptionist, "Receptionist"),
    (Role::Admin, "Admin"),
];

pub fn role_options() -> Vec<(AttrValue, AttrValue)> {
    ROLE_OPTIONS
        .iter()
        .map(|(role, label)| (AttrValue::from(role.as_str()), AttrValue::from(*label)))
        .collect()
}

/// The once-only notice of a new person's temporary password.
pub fn temporary_password(resp: &CreateStaffResponse) -> Html {
    let password = resp.temporary_password.clone();
    let copy = Callback::from(move |_| {
        crate::components::clipboard::copy_text(&password);
    });
    html! {
        <div class="card notice" data-testid="staff-created">
            <p>{ format!("{} can now sign in with this temporary password. It is shown only once.", resp.staff.full_name) }</p>
            <p class="password"><code data-testid="temporary-password">{ &resp.temporary_password }</code>
                <button class="secondary" onclick={copy}>{ "Copy" }</button></p>
            <p class="muted">{ if resp.email_sent { "It was also sent by e-mail." } else { "It could not be e-mailed: give it to them in person." } }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AddProps {
    pub on_created: Callback<CreateStaffResponse>,
    pub on_cancel: Callback<()>,
}

#[function_component(AddStaff)]
pub fn add_staff(p: &AddProps) -> Html {
    let role = use_state(|| Role::Doctor);
    let name = use_state(String::new);
    let email = use_state(String::new);
    let licence = use_state(String::new);
    let specialization = use_state(String::new);
    let office = use_state(|| "Main clinic".to_owned());
    let hours = use_state(|| lines_of(&domain::hours::usual_week()));
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let submit = {
        let (role, name, email, licence, specialization, office, hours) = (
            role.clone(),
            name.clone(),
            email.clone(),
            licence.clone(),
            specialization.clone(),
            office.clone(),
            hours.clone(),
        );
        let (error, busy, done) = (error.clone(), busy.clone(), p.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let availability = match domain::hours::parse_week(&hours) {
                Ok(week) => week,
                Err(bad) if *role == Role::Doctor => {
                    error.set(Some(CommandError::invalid(vec![bad])));
                    return;
                }
                Err(_) => Default::default(),
            };
            let doctor = (*role == Role::Doctor).then(|| DoctorProfileRequest {
                licence_number: (*licence).clone(),
                specialization: (*specialization).clone(),
                qualification: None,
                experience_years: None,
                consultation_fee_minor: None,
                consultation_minutes: None,
                offices: vec![Office {
                    id: "main".into(),
                    name: (*office).clone(),
                    address: None,
                    is_primary: true,
                }],
                availability,
            });
            let req = CreateStaffRequest {
                role: *role,
                full_name: (*name).clone(),
                email: (*email).clone(),
                doctor,
            };
            if let Err(fields) = req.validate() {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (error, busy, done) = (error.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_staff(&req).await {
                    Ok(resp) => done.emit(resp),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let on_role = {
        let role = role.clone();
        Callback::from(move |value: String| role.set(Role::parse(&value).unwrap_or(Role::Doctor)))
    };
    let general = form_error(&error, &FIELDS);
    html! {
        <form class="card editor" onsubmit={submit} data-testid="add-staff-form">
            <h2>{ "Add staff" }</h2>
            <Select id="staff-role" label="Role" value={role.as_str()} options={role_options()} on_change={on_role} />
            <Field id="staff-name" label="Full name" value={(*name).clone()} autofocus=true
                on_input={setter(&name)} error={error_for(&error, "full_name")} />
            <Field id="staff-email" label="E-mail" kind="email" value={(*email).clone()}
                on_input={setter(&email)} error={error_for(&error, "email")} />
            if *role == Role::Doctor {
                <Field id="doctor-licence" label="Licence (registration) number" value={(*licence).clone()}
                    on_input={setter(&licence)} error={error_for(&error, "licence_number")} />
                <Field id="doctor-specialization" label="Specialization" value={(*specialization).clone()}
                    on_input={setter(&specialization)} error={error_for(&error, "specialization")} />
                <Field id="doctor-office" label="Office" value={(*office).clone()}
                    on_input={setter(&office)} error={error_for(&error, "offices")} />
                <WeekHours lines={(*hours).clone()} error={error_for(&error, "availability")}
                    on_change={{ let hours = hours.clone(); Callback::from(move |l: WeekLines| hours.set(l)) }} />
            }
            if let Some(message) = general { <p class="error" role="alert" data-testid="add-staff-error">{ message }</p> }
            <div class="actions">
                <button type="button" class="secondary" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" disabled={*busy} data-testid="add-staff-submit">{ "Add" }</button>
            </div>
        </form>
    }
}
