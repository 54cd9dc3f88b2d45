//! Starting the app under test: a virtual display, tauri-driver with
//! WebKitWebDriver, the WebDriver session and its first screen, and the
//! app's log for failure messages.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::free_port;

/// A virtual display for the whole test process. Xvfb is started from a
/// thread that lives as long as the process and asks the kernel to stop it
/// when that thread ends, so no display outlives the tests.
pub fn display() -> &'static str {
    static DISPLAY: OnceLock<String> = OnceLock::new();
    DISPLAY.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("xvfb-owner".into())
            .spawn(move || {
                let started = start_xvfb();
                let ok = started.is_some();
                tx.send(started).ok();
                if ok {
                    loop {
                        std::thread::park();
                    }
                }
            })
            .expect("spawn the display thread");
        rx.recv()
            .ok()
            .flatten()
            .expect("could not start Xvfb (is the xvfb package installed?)")
    })
}

#[allow(unsafe_code)]
fn start_xvfb() -> Option<String> {
    for n in 90..200 {
        if PathBuf::from(format!("/tmp/.X11-unix/X{n}")).exists() {
            continue;
        }
        let mut cmd = Command::new("Xvfb");
        cmd.args([
            format!(":{n}"),
            "-screen".into(),
            "0".into(),
            "1280x800x24".into(),
            "-nolisten".into(),
            "tcp".into(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        // SAFETY: only prctl(2) between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        if cmd.spawn().is_ok() {
            for _ in 0..100 {
                if PathBuf::from(format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Some(format!(":{n}"));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    None
}

/// Stops the driver's whole process group (it and its WebKitWebDriver).
#[allow(unsafe_code)]
pub(super) fn kill_group(driver: &mut Child) {
    // SAFETY: kill(2) on the process group we created for the driver.
    unsafe {
        libc::kill(-(driver.id() as libc::pid_t), libc::SIGTERM);
    }
    let _ = driver.wait();
}

/// Starts tauri-driver (and through it WebKitWebDriver and the app) on
/// `port`, in its own process group, its output going to `log`.
pub(super) fn spawn_driver(
    port: u16,
    log: &Path,
    server_url: Option<&str>,
    preset: Option<&Path>,
    data_dir: &Path,
) -> Child {
    Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &free_port().to_string(),
        ])
        .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
        .env("DISPLAY", display())
        .env("CLINIC_DATA_DIR", data_dir)
        // Files the user saves (a clinic backup) stay in the test's dir.
        .env("XDG_DOWNLOAD_DIR", data_dir.join("downloads"))
        .env("CLINIC_SERVER_URL", server_url.unwrap_or_default())
        // No preset file unless the test gives one.
        .env("CLINIC_CONFIG", preset.map(Path::as_os_str).unwrap_or_default())
        .env("RUST_LOG", "info,client=debug")
        .stdout(Stdio::null())
        .stderr(
            std::fs::File::create(log)
                .map(Stdio::from)
                .unwrap_or(Stdio::null()),
        )
        // Its own process group, so WebKitWebDriver goes down with it.
        .process_group(0)
        .spawn()
        .expect("tauri-driver (installed by the test script) starts")
}

/// A WebDriver session on the app, once the driver listens (up to 20 s).
pub(super) async fn open_window(binary: &Path, port: u16) -> Result<Client, String> {
    let caps = json!({"browserName": "wry", "tauri:options": {"application": binary}});
    let caps = caps.as_object().cloned().unwrap_or_default();
    let mut last_error = String::new();
    for _ in 0..100 {
        match ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return Ok(client),
            Err(err) => last_error = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(last_error)
}

/// Waits for the app's first screen. Only a session that is gone fails: a
/// slow screen is the test's own waits to judge.
pub(super) async fn first_screen(client: &Client) -> Result<(), String> {
    match client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid]"))
        .await
    {
        Err(err) if err.is_invalid_session_id() => {
            Err(format!("the window closed before its first screen ({err})"))
        }
        _ => Ok(()),
    }
}

/// The last 30 lines of a log file, or why there are none.
pub(super) fn tail_of(log: &Path) -> String {
    match std::fs::read_to_string(log) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let from = lines.len().saturating_sub(30);
            format!(
                "the app's log ({}) ends:\n{}",
                log.display(),
                lines[from..].join("\n")
            )
        }
        Err(err) => format!("no app log at {} ({err})", log.display()),
    }
}
