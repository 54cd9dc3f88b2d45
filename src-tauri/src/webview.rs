//! How the app's WebKit view draws. The clinic's screens are forms, lists
//! and a print preview, with no animation that needs the GPU; WebKitGTK's
//! accelerated compositing keeps layer backing stores and a compositor in
//! the web process for them all the same. Measured with
//! `scripts/bench-app.sh`: the web process holds about 80 MiB less at idle
//! without it. It also avoids the blank windows accelerated compositing
//! gives on some GPU drivers and virtual machines.

use tauri::{Manager, Runtime};

/// Turns accelerated compositing off for the main window's view.
pub fn draw_without_compositing<R: Runtime>(app: &tauri::App<R>) -> tauri::Result<()> {
    let Some(window) = app.get_webview_window("main") else {
        return Ok(());
    };
    window.with_webview(|view| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&view.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = view;
    })
}
