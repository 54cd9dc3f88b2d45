//! Patients on this PC: search, open, and save (with the family rules and
//! the plan's patient limit checked here first; the server checks again).

use contract::app::{CommandCode, CommandError, PatientForm, PatientRow, PatientSearch};

use super::{AppCore, CommandResult, errors};

impl AppCore {
    pub async fn search_patients(&self, search: impl Into<PatientSearch>) -> CommandResult<Vec<PatientRow>> {
        let search = search.into();
        self.read(|store| store.search_patients(&search.query, search.rows()))
            .await
    }

    pub async fn patient(&self, id: &str) -> CommandResult<PatientRow> {
        self.read(|store| store.patient(id))
            .await?
            .ok_or_else(|| errors::not_found("patient"))
    }

    /// Creates (no id) or changes a patient, on this PC first; sync takes
    /// it to the server.
    pub async fn save_patient(&self, id: Option<String>, form: PatientForm) -> CommandResult<PatientRow> {
        let today = chrono::Local::now().date_naive();
        let tenant = self.with_session(|s| Ok(s.view.tenant_id.clone())).await?;
        let form = form.in_clinic(self.clinic_calling_code(&tenant).as_deref());
        let fields = form.validate(today).map_err(CommandError::invalid)?;
        let limit = self.known_patient_limit().await?;
        let saved = self
            .with_session(|s| {
                let mut store = s.engine.store()?;
                check_family(&store, id.as_deref(), &form).map_err(CommandError::invalid)?;
                if id.is_none()
                    && let Some(max) = limit
                    && store.count("patients")? >= max
                {
                    return Err(CommandError::new(
                        CommandCode::PlanLimitReached,
                        format!("Your plan allows {max} patients. Upgrade the plan to register more."),
                    ));
                }
                let id = match id {
                    Some(id) => {
                        let uuid = errors::id_of(&id, "patient")?;
                        store.update("patients", uuid, fields)?;
                        id
                    }
                    None => store.insert("patients", fields)?.to_string(),
                };
                let row = store.patient(&id)?;
                drop(store);
                s.engine.local_change();
                row.ok_or_else(|| CommandError::new(CommandCode::Internal, "the saved patient vanished"))
            })
            .await?;
        Ok(saved)
    }

    /// The plan's patient limit as last seen from the server (checked on
    /// this PC first; the server checks again at sync).
    async fn known_patient_limit(&self) -> CommandResult<Option<i64>> {
        let tenant = self.with_session(|s| Ok(s.view.tenant_id.clone())).await?;
        let cached = self.registry()?.subscription(&tenant)?;
        Ok(cached.map(|v| v.max_patients).filter(|max| *max >= 0))
    }
}

/// Family rules (docs/DOMAIN.md): at most ten people per mobile number, the
/// first one is the main member (`self`), later ones say how they relate.
fn check_family(
    store: &crate::store::Store,
    editing: Option<&str>,
    form: &PatientForm,
) -> Result<(), Vec<domain::ValidationError>> {
    use domain::ValidationError;
    let mobile = domain::phone::PhoneNumber::parse(&form.mobile_number)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let members: Vec<PatientRow> = store
        .family(&mobile)
        .map_err(|e| vec![ValidationError::new("mobile_number", e.to_string())])?
        .into_iter()
        .filter(|m| Some(m.id.as_str()) != editing)
        .collect();
    let relationship = match form.relationship.trim() {
        "" => "self",
        r => r,
    };
    if members.len() >= domain::patient::MAX_FAMILY_MEMBERS {
        return Err(vec![ValidationError::new(
            "mobile_number",
            "This mobile number already has 10 family members, the most allowed.",
        )]);
    }
    let main = members.iter().find(|m| m.relationship == "self");
    match (main, relationship) {
        (None, r) if r != "self" && members.is_empty() => Err(vec![ValidationError::new(
            "relationship",
            "The first person registered on a mobile number is the main member (self).",
        )]),
        (Some(main), "self") => Err(vec![ValidationError::new(
            "relationship",
            format!(
                "{} is already the main member on this number; choose how this person is related.",
                main.first_name
            ),
        )]),
        _ => Ok(()),
    }
}
