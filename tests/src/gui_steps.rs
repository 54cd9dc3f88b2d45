//! Steps a person takes in the window that several window tests share.

use crate::gui::Desktop;

impl Desktop {
    /// Registers a patient from the patients page (born 21/04/1990,
    /// typed in the clinic's day-first style) and waits for the list.
    pub async fn add_patient(&self, first: &str, mobile: &str, allergy: Option<&str>) {
        self.click("new-patient").await;
        self.fill("patient-first-name", first).await;
        self.fill("patient-mobile", mobile).await;
        self.fill("patient-dob", "21/04/1990").await;
        self.select("patient-gender", "female").await;
        if let Some(allergy) = allergy {
            self.fill("patient-allergies", allergy).await;
        }
        self.click("patient-save").await;
        self.wait_text("patient-list", |t| t.contains(first)).await;
    }

    /// Adds a doctor from the admin page; returns the temporary password
    /// the screen shows once.
    pub async fn add_doctor(&self, name: &str, email: &str, licence: &str, specialization: &str) -> String {
        self.click("add-doctor").await;
        self.fill("doctor-name", name).await;
        self.fill("doctor-email", email).await;
        self.fill("doctor-licence", licence).await;
        self.fill("doctor-specialization", specialization).await;
        self.click("add-doctor-submit").await;
        self.text("temporary-password").await
    }

    /// Replaces a temporary password on the forced change screen.
    pub async fn choose_password(&self, temporary: &str, new: &str) {
        self.wait("change-password-form").await;
        self.fill("current-password", temporary).await;
        self.fill("new-password", new).await;
        self.fill("repeat-password", new).await;
        self.click("change-password-submit").await;
    }
}
