//! What a role may open, as the server enforces it (DOMAIN.md, "Users and
//! roles"): screens a role may not use are not offered, and opened by
//! address they say who may use them instead of failing on save.

use domain::user::Role;
use yew::prelude::*;

use crate::components::states::Empty;
use crate::state::AppState;

/// Doctors and admins: prescriptions, clinical records, catalogues,
/// print layouts and exports. Nurses and receptionists register patients
/// and book appointments.
pub fn is_clinical(app: &AppState) -> bool {
    app.session
        .as_ref()
        .is_some_and(|s| matches!(s.user.role, Role::Admin | Role::Doctor))
}

#[derive(Properties, PartialEq)]
pub struct GateProps {
    pub children: Html,
}

/// Shows its children to doctors and admins, a plain refusal to others.
#[function_component(ClinicalOnly)]
pub fn clinical_only(p: &GateProps) -> Html {
    let app = crate::state::use_app();
    if is_clinical(&app) {
        p.children.clone()
    } else {
        html! {
            <Empty title="For doctors and admins"
                text="Prescriptions, medicines and print layouts are kept by the clinic's doctors." />
        }
    }
}
