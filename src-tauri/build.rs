// Declares the app's own commands so the capability file can grant exactly
// these to the main window and nothing else.
fn main() {
    let commands = &[
        "settings",
        "set_server_url",
        "session",
        "register_clinic",
        "sign_in",
        "remind_clinic_code",
        "change_password",
        "sign_out",
        "sync_status",
        "sync_now",
        "subscription",
        "search_patients",
        "save_patient",
        "doctors",
        "add_doctor",
        "refused",
        "discard_refused",
        "clinic_settings",
        "save_clinic_settings",
        "clinic_doctors",
        "day_view",
        "free_slots",
        "book_appointment",
        "add_walk_in",
        "set_appointment_status",
        "patient_chart",
        "search_medicines",
        "add_medicine",
        "short_keys",
        "save_short_key",
        "delete_short_key",
        "expand_short_key",
        "prescriptions",
        "prescription",
        "save_prescription",
        "prescription_alerts",
        "set_prescription_status",
        "amend_prescription",
        "print_layouts",
        "save_print_layout",
        "print_preview",
        "print_prescription",
        "export_prescription_pdf",
    ];
    let manifest = tauri_build::AppManifest::new().commands(commands);
    if let Err(err) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri build step failed: {err:#}");
    }
}
