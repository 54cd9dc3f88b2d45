//! Admin: the clinic's doctors and "Add doctor", which shows the temporary
//! password once with a copy button. Over the plan's limit the server's
//! message is shown.

use contract::app::CommandError;
use domain::api::{CreateDoctorRequest, CreateDoctorResponse, DoctorView};
use domain::doctor::Office;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, error_for, setter};
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
    let adding = use_state(|| false);
    let created = use_state(|| None::<CreateDoctorResponse>);
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
    let on_created = {
        let (created, adding, reload) = (created.clone(), adding.clone(), reload.clone());
        Callback::from(move |resp: CreateDoctorResponse| {
            created.set(Some(resp));
            adding.set(false);
            reload.set(*reload + 1);
        })
    };
    html! {
        <section class="admin">
            <div class="toolbar">
                <h1>{ "Doctors" }</h1>
                <button class="primary" data-testid="add-doctor"
                    onclick={{ let adding = adding.clone(); let created = created.clone();
                        Callback::from(move |_| { created.set(None); adding.set(true); }) }}>{ "Add doctor" }</button>
            </div>
            if let Some(resp) = &*created { { temporary_password(resp) } }
            if *adding {
                <AddDoctor on_created={on_created}
                    on_cancel={{ let adding = adding.clone(); Callback::from(move |_| adding.set(false)) }} />
            }
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
                    <Empty title="No doctors yet" text="Add the clinic's doctors; each gets a temporary password by e-mail." />
                },
                Load::Ready(list) => html! {
                    <table class="dense" data-testid="doctor-list">
                        <thead><tr><th>{ "Name" }</th><th>{ "E-mail" }</th><th>{ "Licence" }</th><th>{ "Specialization" }</th></tr></thead>
                        <tbody>{ for list.iter().map(|d| html! {
                            <tr data-testid="doctor-row"><td>{ &d.full_name }</td><td>{ d.email.as_str() }</td>
                                <td>{ d.licence_number.as_ref().map(|l| l.as_str().to_owned()).unwrap_or_else(|| "—".into()) }</td>
                                <td>{ &d.specialization }</td></tr>
                        }) }</tbody>
                    </table>
                },
            } }
        </>
    }
}

fn temporary_password(resp: &CreateDoctorResponse) -> Html {
    let password = resp.temporary_password.clone();
    let copy = Callback::from(move |_| {
        crate::components::clipboard::copy_text(&password);
    });
    html! {
        <div class="card notice" data-testid="doctor-created">
            <p>{ format!("{} can now sign in with this temporary password. It is shown only once.", resp.doctor.full_name) }</p>
            <p class="password"><code data-testid="temporary-password">{ &resp.temporary_password }</code>
                <button class="secondary" onclick={copy}>{ "Copy" }</button></p>
            <p class="muted">{ if resp.email_sent { "It was also sent by e-mail." } else { "It could not be e-mailed: give it to the doctor in person." } }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AddProps {
    on_created: Callback<CreateDoctorResponse>,
    on_cancel: Callback<()>,
}

#[function_component(AddDoctor)]
fn add_doctor(p: &AddProps) -> Html {
    let name = use_state(String::new);
    let email = use_state(String::new);
    let licence = use_state(String::new);
    let specialization = use_state(String::new);
    let office = use_state(|| "Main clinic".to_owned());
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let submit = {
        let (name, email, licence, specialization, office, error, busy, done) = (
            name.clone(),
            email.clone(),
            licence.clone(),
            specialization.clone(),
            office.clone(),
            error.clone(),
            busy.clone(),
            p.on_created.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = CreateDoctorRequest {
                full_name: (*name).clone(),
                email: (*email).clone(),
                licence_number: (*licence).clone(),
                specialization: (*specialization).clone(),
                qualification: None,
                experience_years: None,
                consultation_fee: None,
                consultation_minutes: None,
                offices: vec![Office {
                    id: "main".into(),
                    name: (*office).clone(),
                    address: None,
                    is_primary: true,
                }],
                availability: Default::default(),
            };
            if let Err(fields) = req.validate() {
                error.set(Some(CommandError::invalid(fields)));
                return;
            }
            let (error, busy, done) = (error.clone(), busy.clone(), done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::add_doctor(&req).await {
                    Ok(resp) => done.emit(resp),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let general = error
        .as_ref()
        .filter(|e| e.fields.is_empty())
        .map(|e| e.message.clone());
    html! {
        <form class="card editor" onsubmit={submit} data-testid="add-doctor-form">
            <h2>{ "Add doctor" }</h2>
            <Field id="doctor-name" label="Full name" value={(*name).clone()} autofocus=true
                on_input={setter(&name)} error={error_for(&error, "full_name")} />
            <Field id="doctor-email" label="E-mail" kind="email" value={(*email).clone()}
                on_input={setter(&email)} error={error_for(&error, "email")} />
            <Field id="doctor-licence" label="Licence (registration) number" value={(*licence).clone()}
                on_input={setter(&licence)} error={error_for(&error, "licence_number")} />
            <Field id="doctor-specialization" label="Specialization" value={(*specialization).clone()}
                on_input={setter(&specialization)} error={error_for(&error, "specialization")} />
            <Field id="doctor-office" label="Office" value={(*office).clone()}
                on_input={setter(&office)} error={error_for(&error, "offices")} />
            if let Some(message) = general { <p class="error" role="alert" data-testid="add-doctor-error">{ message }</p> }
            <div class="actions">
                <button type="button" class="secondary" onclick={p.on_cancel.reform(|_| ())}>{ "Cancel" }</button>
                <button type="submit" class="primary" disabled={*busy} data-testid="add-doctor-submit">{ "Add doctor" }</button>
            </div>
        </form>
    }
}
