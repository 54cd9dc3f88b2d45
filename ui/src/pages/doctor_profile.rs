//! A doctor's profile: professional details, consultation fee and length,
//! weekly hours per office and days off, from which booking offers free
//! times, and offices. An admin edits anyone's, a doctor their own; the
//! server decides, and says so (an office with appointments to come is not
//! removed, nor leave taken over booked days, nor hours cut from under a
//! booked patient).

use contract::app::CommandError;
use domain::ValidationError;
use domain::api::{DoctorView, UpdateDoctorRequest};
use domain::doctor::Office;
use domain::hours::{OfficeHours, follow_offices, office_blocks};
use domain::money::MoneyFormat;
use yew::prelude::*;

use crate::api;
use crate::components::field::{Field, describe, error_for, form_error};
use crate::components::office_list::OfficeList;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::components::time_off_list::{self, TimeOffDraft, TimeOffList};
use crate::components::week_hours::{WeekHours, WeekLines};
use crate::hooks::{Load, use_load};
use crate::state::{Action, use_app};

/// The fields this form shows errors under; the server's errors on any
/// other field show above the buttons.
const FIELDS: [&str; 9] = [
    "licence_number",
    "specialization",
    "qualification",
    "experience_years",
    "consultation_fee_minor",
    "consultation_minutes",
    "availability",
    "offices",
    "time_off",
];

#[derive(Properties, PartialEq)]
pub struct ProfileProps {
    pub id: AttrValue,
}

#[function_component(DoctorProfile)]
pub fn doctor_profile(p: &ProfileProps) -> Html {
    let (doctors, reload) = use_load((), |_| api::doctors());
    match &*doctors {
        Load::Loading => html! { <Skeleton rows={6} /> },
        Load::Failed(e) => html! {
            <ErrorBox message={format!("{} The doctor's profile needs the server.", describe(e))}
                on_retry={reload.clone()} />
        },
        Load::Ready(list) => match list.iter().find(|d| d.id.to_string() == p.id.as_str()) {
            Some(doctor) => html! { <ProfileForm doctor={doctor.clone()} /> },
            None => {
                html! { <Empty title="No such doctor" text="They may have been removed from the clinic." /> }
            }
        },
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    doctor: DoctorView,
}

/// The form's text, as typed.
#[derive(Clone, PartialEq)]
struct Draft {
    licence: String,
    specialization: String,
    qualification: String,
    experience: String,
    fee: String,
    minutes: String,
    hours: OfficeHours,
    offices: Vec<Office>,
    time_off: Vec<TimeOffDraft>,
}

impl Draft {
    fn of(d: &DoctorView, money: MoneyFormat) -> Self {
        Self {
            licence: d
                .licence_number
                .as_ref()
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
            specialization: d.specialization.clone(),
            qualification: d.qualification.clone().unwrap_or_default(),
            experience: d.experience_years.map(|y| y.to_string()).unwrap_or_default(),
            fee: money.number_or_empty(d.consultation_fee_minor),
            minutes: d.consultation_minutes.to_string(),
            hours: office_blocks(&d.availability, &d.offices),
            offices: d.offices.clone(),
            time_off: TimeOffDraft::of(&d.time_off),
        }
    }

    /// The change to send, or every field that is wrong.
    fn request(&self, money: MoneyFormat) -> Result<UpdateDoctorRequest, Vec<ValidationError>> {
        let mut errors = Vec::new();
        // Read in the clinic's currency, never rounded: "450.505" rupees
        // or "12.5" yen is refused under the field.
        let fee = money
            .parse_optional("consultation_fee_minor", &self.fee)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let mut number = |field: &str, text: &str, what: &str| -> Option<f64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            text.parse::<f64>()
                .map_err(|_| errors.push(ValidationError::new(field, format!("must be {what}"))))
                .ok()
        };
        let experience = number("experience_years", &self.experience, "a number of years");
        let minutes = number("consultation_minutes", &self.minutes, "a number of minutes");
        let availability = domain::hours::parse_blocks(&self.hours)
            .map_err(|e| errors.push(e))
            .ok();
        let time_off = time_off_list::parse(&self.time_off)
            .map_err(|e| errors.push(e))
            .ok();
        let optional = |t: &str| (!t.trim().is_empty()).then(|| t.trim().to_owned());
        let req = UpdateDoctorRequest {
            licence_number: optional(&self.licence),
            specialization: Some(self.specialization.clone()),
            qualification: optional(&self.qualification),
            experience_years: experience.map(|y| y as i32),
            consultation_fee_minor: fee,
            consultation_minutes: minutes.map(|m| m as i32),
            availability,
            offices: Some(self.offices.clone()),
            time_off,
            ..UpdateDoctorRequest::default()
        };
        if let Err(more) = req.validate() {
            errors.extend(more);
        }
        if errors.is_empty() { Ok(req) } else { Err(errors) }
    }
}

#[function_component(ProfileForm)]
fn profile_form(p: &FormProps) -> Html {
    let app = use_app();
    let money = app.session.as_ref().map(|s| s.money()).unwrap_or_default();
    let draft = use_state(|| Draft::of(&p.doctor, money));
    let error = use_state(|| None::<CommandError>);
    let busy = use_state(|| false);
    let field = |f: fn(&mut Draft) -> &mut String| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut next = (*draft).clone();
            *f(&mut next) = v;
            draft.set(next);
        })
    };
    let submit = {
        let (draft, error, busy, id) = (
            draft.clone(),
            error.clone(),
            busy.clone(),
            p.doctor.id.to_string(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = match draft.request(money) {
                Ok(req) => req,
                Err(fields) => return error.set(Some(CommandError::invalid(fields))),
            };
            let (draft, error, busy, id, app) = (
                draft.clone(),
                error.clone(),
                busy.clone(),
                id.clone(),
                app.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::update_doctor(&id, req).await {
                    Ok(saved) => {
                        draft.set(Draft::of(&saved, money));
                        error.set(None);
                        app.dispatch(Action::Flash(format!("{}'s profile is saved.", saved.full_name)));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let general = form_error(&error, &FIELDS);
    let hours_of = |office: usize| {
        let draft = draft.clone();
        Callback::from(move |lines: WeekLines| {
            let mut next = (*draft).clone();
            next.hours[office].1 = lines;
            draft.set(next);
        })
    };
    let offices = {
        let draft = draft.clone();
        Callback::from(move |offices: Vec<Office>| {
            draft.set(Draft {
                hours: follow_offices(&draft.hours, &offices),
                offices,
                ..(*draft).clone()
            })
        })
    };
    let time_off = {
        let draft = draft.clone();
        Callback::from(move |rows| {
            draft.set(Draft {
                time_off: rows,
                ..(*draft).clone()
            })
        })
    };
    let hours_error = error_for(&error, "availability");
    let last = draft.hours.len().saturating_sub(1);
    html! {
        <form class="card editor" onsubmit={submit} data-testid="doctor-profile">
            <h1>{ &p.doctor.full_name }</h1>
            <p class="muted">{ p.doctor.email.as_str() }</p>
            <div class="grid2">
                <Field id="profile-licence" label="Licence (registration) number" value={draft.licence.clone()}
                    on_input={field(|d| &mut d.licence)} error={error_for(&error, "licence_number")} />
                <Field id="profile-specialization" label="Specialization" value={draft.specialization.clone()}
                    on_input={field(|d| &mut d.specialization)} error={error_for(&error, "specialization")} />
                <Field id="profile-qualification" label="Qualification" value={draft.qualification.clone()}
                    placeholder="e.g. MBBS, MD" on_input={field(|d| &mut d.qualification)}
                    error={error_for(&error, "qualification")} />
                <Field id="profile-experience" label="Experience (years)" kind="number" value={draft.experience.clone()}
                    on_input={field(|d| &mut d.experience)} error={error_for(&error, "experience_years")} />
                <Field id="profile-fee" label={format!("Consultation fee ({})", money.currency.code())}
                    value={draft.fee.clone()} placeholder="e.g. 500"
                    on_input={field(|d| &mut d.fee)} error={error_for(&error, "consultation_fee_minor")} />
                <Field id="profile-minutes" label="Consultation minutes" kind="number" value={draft.minutes.clone()}
                    on_input={field(|d| &mut d.minutes)} error={error_for(&error, "consultation_minutes")} />
            </div>
            { for draft.hours.iter().enumerate().map(|(i, (office, lines))| {
                let error = (i == last).then(|| hours_error.clone()).flatten();
                if draft.hours.len() == 1 {
                    html! { <WeekHours lines={lines.clone()} on_change={hours_of(i)} {error} /> }
                } else {
                    let name = domain::doctor::office_name(&draft.offices, office);
                    let name = if name.trim().is_empty() { "the new office".to_owned() } else { name };
                    html! {
                        <WeekHours lines={lines.clone()} on_change={hours_of(i)} {error}
                            prefix={format!("hours-{office}")} title={format!("Weekly hours at {name}")} />
                    }
                }
            }) }
            <OfficeList offices={draft.offices.clone()} error={error_for(&error, "offices")} on_change={offices} />
            <TimeOffList rows={draft.time_off.clone()} on_change={time_off} error={error_for(&error, "time_off")} />
            if let Some(message) = general { <p class="error" role="alert" data-testid="profile-error">{ message }</p> }
            <div class="actions">
                <button type="submit" class="primary" disabled={*busy} data-testid="profile-save">{ "Save profile" }</button>
            </div>
        </form>
    }
}
