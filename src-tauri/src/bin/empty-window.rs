//! The baseline the desktop app's memory is measured against
//! (`scripts/bench-app.sh`): the same Tauri v2 and WebKitGTK in the same
//! build, one window showing a blank page, and nothing else. The page
//! comes from a custom protocol, as the app's UI does (`about:blank`
//! starts no web process, so it would measure less than a page).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

const BLANK: &[u8] = b"<!doctype html><html><head><title>Empty window</title></head><body></body></html>";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut context = tauri::generate_context!();
    // Not the app's window (nor its UI): only ours.
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("blank", |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html")
                .body(BLANK.to_vec())
                .unwrap_or_default()
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("blank://localhost/".parse()?);
            tauri::WebviewWindowBuilder::new(app, "empty", url)
                .title("Empty window")
                .inner_size(1200.0, 800.0)
                .build()?;
            Ok(())
        })
        .run(context)?;
    Ok(())
}
