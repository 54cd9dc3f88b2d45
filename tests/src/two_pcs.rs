//! Two PCs of one dental clinic through the desktop core (no window), each
//! behind its own network switch: the set-up of the two-PC sync tests.
//! Needs a secret service (the test script runs everything in a keychain
//! session).

use std::sync::Arc;
use std::time::Duration;

use client::app::AppCore;
use domain::api::RegisterClinicRequest;

use crate::TestApp;
use crate::network::Switch;
use crate::pcs::{desk_core, registration};

pub const PASSWORD: &str = "Clinic-Core-2026";

/// Waits until the PC has pushed everything and pulled after it.
pub async fn settle(core: &AppCore) {
    core.sync_now().await.expect("sync");
    for _ in 0..150 {
        if core
            .sync_status()
            .await
            .is_ok_and(|s| s.pending == 0 && s.online && s.first_sync.is_none())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the PC did not finish syncing");
}

#[allow(missing_debug_implementations)] // AppCore holds no Debug
pub struct TwoPcs {
    pub app: TestApp,
    pub clinic_code: String,
    pub a: AppCore,
    pub b: AppCore,
    pub net_a: Arc<Switch>,
    pub net_b: Arc<Switch>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// A dental clinic registered on PC A by its owner (a doctor), who then
/// signs in on PC B too. Each PC reaches the server through its own switch.
pub async fn two_pcs(clinic: &str, email: &str) -> TwoPcs {
    let app = TestApp::spawn().await;
    let server = app.base.trim_start_matches("http://").to_owned();
    let (net_a, net_b) = (Switch::start(&server).await, Switch::start(&server).await);
    let dirs = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let a = desk_core(dirs.0.path(), &net_a.url());
    let session = a
        .register_clinic(RegisterClinicRequest {
            licence_number: Some("KDC-4471".into()),
            specialization: Some("Endodontics".into()),
            ..registration(clinic, "Dr Meera Nair", email, PASSWORD, true)
        })
        .await
        .expect("register");
    settle(&a).await;
    let b = desk_core(dirs.1.path(), &net_b.url());
    b.sign_in(&session.clinic_code, email, PASSWORD)
        .await
        .expect("sign in on B");
    settle(&b).await;
    TwoPcs {
        app,
        clinic_code: session.clinic_code,
        a,
        b,
        net_a,
        net_b,
        _dirs: dirs,
    }
}

impl TwoPcs {
    /// Both PCs back online and settled, A again after B, so each has
    /// what the other sent.
    pub async fn reconnect_and_settle(&self) {
        self.net_a.up().await;
        self.net_b.up().await;
        settle(&self.a).await;
        settle(&self.b).await;
        settle(&self.a).await;
    }

    /// Both PCs worked offline: A comes back and syncs first, then B,
    /// whose changes the server refused (waited for up to 10 s).
    pub async fn a_then_b_online(&self) -> Vec<contract::app::RefusedOp> {
        self.net_a.up().await;
        settle(&self.a).await;
        self.net_b.up().await;
        self.b.sync_now().await.expect("sync");
        let mut refused = Vec::new();
        for _ in 0..100 {
            refused = self.b.refused().await.expect("refused");
            if !refused.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        refused
    }
}

/// A visit ready to bill: `patient` saved on `pc`, booked with `doctor`
/// tomorrow at `time` (HH:MM) and in the chair now. Returns the patient's
/// and the visit's ids.
pub async fn visit_in_chair(
    pc: &AppCore,
    doctor: &str,
    patient: contract::app::PatientForm,
    time: &str,
) -> (String, String) {
    use contract::screens::appointments::{AppointmentForm, StatusChange};
    use domain::clinical::appointment::AppointmentStatus;
    let patient = pc.save_patient(None, patient).await.expect("patient").id;
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let visit = pc
        .book_appointment(AppointmentForm {
            patient_id: patient.clone(),
            doctor_id: doctor.to_owned(),
            office_id: "main".into(),
            date: tomorrow,
            time: time.into(),
            duration_minutes: "30".into(),
            reason: "Check-up".into(),
            notes: String::new(),
        })
        .await
        .expect("booked")
        .id;
    pc.set_appointment_status(StatusChange {
        id: visit.clone(),
        to: AppointmentStatus::InProgress,
        reason: None,
    })
    .await
    .expect("in the chair");
    (patient, visit)
}
