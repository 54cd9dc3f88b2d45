//! The Tauri shell: finds the app's data directory, builds the `AppCore`
//! from the client crate, and exposes it through thin commands.

mod clinical;
mod commands;

/// Every command function, under the name the contract declares.
mod handlers {
    pub use crate::clinical::*;
    pub use crate::commands::*;
}

/// The handler of every command in `contract::command_list`: a command
/// declared there without its function here does not compile.
macro_rules! handler_list {
    ($($ty:ident = $name:ident: $args:ty => $out:ty;)*) => {
        tauri::generate_handler![$(handlers::$name),*]
    };
}

use std::path::PathBuf;

use client::app::{AppCore, Preset};
use tauri::Manager;

/// `CLINIC_DATA_DIR` (tests, portable installs) or the OS app-data dir.
fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Ok(dir) = std::env::var("CLINIC_DATA_DIR")
        && !dir.is_empty()
    {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

/// Logs to stderr and to `<data dir>/logs/clinic-app.log`, the file error
/// messages point IT and support to (records carry no patient data or
/// secrets: only what failed and why).
fn init_logging(dir: &std::path::Path) {
    use tracing_subscriber::fmt::writer::MakeWriterExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,tao=warn,wry=warn".into());
    let file = std::fs::create_dir_all(dir.join("logs")).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("logs").join("clinic-app.log"))
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let installed = match file {
        Ok(file) => builder
            .with_ansi(false)
            .with_writer(std::io::stderr.and(std::sync::Arc::new(file)))
            .try_init(),
        Err(err) => {
            eprintln!("the app's log file cannot be opened: {err}");
            builder.try_init()
        }
    };
    if let Err(err) = installed {
        eprintln!("logging was already set up: {err}");
    }
}

pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let dir = data_dir(app)?;
            init_logging(&dir);
            let core = AppCore::new(&dir, Preset::load()).map_err(|e| e.message)?;
            app.manage(core);
            Ok(())
        })
        .invoke_handler(contract::command_list!(handler_list))
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("the clinic app stopped: {err}");
        std::process::exit(1);
    }
}
