//! The Tauri shell: finds the app's data directory, builds the `AppCore`
//! from the client crate, and exposes it through thin commands.

mod billing;
mod clinical;
mod commands;
mod updates;
mod webview;

/// Every command function, under the name the contract declares.
mod handlers {
    pub use crate::billing::*;
    pub use crate::clinical::*;
    pub use crate::commands::*;
    pub use crate::updates::commands::*;
}

/// The handler of every command in `contract::command_list`: a command
/// declared there without its function here does not compile.
macro_rules! handler_list {
    ($($ty:ident = $name:ident [$access:ident]: $args:ty => $out:ty;)*) => {
        tauri::generate_handler![$(handlers::$name),*]
    };
}

use std::path::PathBuf;

use std::sync::Arc;

use client::app::{AppCore, Preset};
use contract::Access;
use tauri::ipc::Invoke;
use tauri::{Manager, Wry};

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

type Handler = Arc<dyn Fn(Invoke<Wry>) -> bool + Send + Sync>;

/// Runs a command only when its declared [`Access`] allows the caller: the
/// check lives here once, not in each command. A refusal answers with the
/// command's usual error shape (`not_signed_in`, `forbidden`).
fn guarded(handlers: Handler) -> impl Fn(Invoke<Wry>) -> bool + Send + Sync + 'static {
    move |invoke: Invoke<Wry>| match contract::access(invoke.message.command()) {
        // Unknown commands get Tauri's own answer.
        None | Some(Access::Open) => handlers(invoke),
        Some(access) => {
            let handlers = handlers.clone();
            let webview = invoke.message.webview();
            tauri::async_runtime::spawn(async move {
                let allowed = webview.state::<AppCore>().allow(access).await;
                match allowed {
                    Ok(()) => {
                        handlers(invoke);
                    }
                    Err(refusal) => invoke.resolver.reject(refusal),
                }
            });
            true
        }
    }
}

pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let dir = data_dir(app)?;
            init_logging(&dir);
            let core = AppCore::new(&dir, Preset::load()).map_err(|e| e.message)?;
            app.manage(core);
            app.manage(updates::Updates::default());
            webview::draw_without_compositing(app)?;
            // The key comes from the build, never from the config file.
            app.handle().plugin(
                tauri_plugin_updater::Builder::new()
                    .pubkey(updates::PUBKEY)
                    .build(),
            )?;
            Ok(())
        })
        .invoke_handler(guarded(Arc::new(contract::command_list!(handler_list))))
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("the clinic app stopped: {err}");
        std::process::exit(1);
    }
}
