//! Doctor and office pickers: the office list follows the doctor, and the
//! doctor's primary office is chosen for them.

use contract::screens::DoctorOption;
use yew::prelude::*;

use crate::components::field::Select;

/// The doctor a form starts with (the signed-in doctor, else the first)
/// and that doctor's primary office.
pub fn default_choice(doctors: &[DoctorOption]) -> (String, String) {
    let doctor = doctors.iter().find(|d| d.is_me).or_else(|| doctors.first());
    match doctor {
        Some(d) => (
            d.id.clone(),
            d.primary_office().map(|o| o.id.clone()).unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    }
}

pub fn doctor_label(d: &DoctorOption) -> String {
    match &d.specialization {
        Some(s) if !s.trim().is_empty() => format!("{} ({s})", d.name),
        _ => d.name.clone(),
    }
}

#[derive(Properties, PartialEq)]
pub struct DoctorOfficeProps {
    /// Ids and test ids `{prefix}-doctor` and `{prefix}-office`.
    pub prefix: AttrValue,
    pub doctors: Vec<DoctorOption>,
    pub doctor_id: String,
    pub office_id: String,
    /// The new (doctor id, office id).
    pub on_change: Callback<(String, String)>,
    #[prop_or_default]
    pub doctor_error: Option<AttrValue>,
    #[prop_or_default]
    pub office_error: Option<AttrValue>,
}

#[function_component(DoctorOffice)]
pub fn doctor_office(p: &DoctorOfficeProps) -> Html {
    let mut doctors: Vec<(AttrValue, AttrValue)> = Vec::new();
    if p.doctor_id.is_empty() {
        doctors.push(("".into(), "Choose…".into()));
    }
    doctors.extend(
        p.doctors
            .iter()
            .map(|d| (AttrValue::from(d.id.clone()), AttrValue::from(doctor_label(d)))),
    );
    let offices: Vec<(AttrValue, AttrValue)> = p
        .doctors
        .iter()
        .find(|d| d.id == p.doctor_id)
        .map(|d| {
            d.offices
                .iter()
                .map(|o| (AttrValue::from(o.id.clone()), AttrValue::from(o.name.clone())))
                .collect()
        })
        .unwrap_or_default();
    let on_doctor = {
        let (list, cb) = (p.doctors.clone(), p.on_change.clone());
        Callback::from(move |id: String| {
            let office = list
                .iter()
                .find(|d| d.id == id)
                .and_then(|d| d.primary_office())
                .map(|o| o.id.clone())
                .unwrap_or_default();
            cb.emit((id, office));
        })
    };
    let on_office = {
        let (doctor, cb) = (p.doctor_id.clone(), p.on_change.clone());
        Callback::from(move |office: String| cb.emit((doctor.clone(), office)))
    };
    html! {
        <div class="grid2">
            <Select id={format!("{}-doctor", p.prefix)} label="Doctor" value={p.doctor_id.clone()} options={doctors}
                on_change={on_doctor} error={p.doctor_error.clone()} />
            <Select id={format!("{}-office", p.prefix)} label="Office" value={p.office_id.clone()} options={offices}
                on_change={on_office} error={p.office_error.clone()} disabled={p.doctor_id.is_empty()} />
        </div>
    }
}
