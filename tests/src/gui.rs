//! The desktop app in a real WebKit window, driven through tauri-driver
//! and WebKitWebDriver under Xvfb, with a WebDriver client (fantoccini).

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::json;

mod launch;

pub use launch::display;
use launch::{first_screen, kill_group, open_window, spawn_driver, tail_of};

/// The app binary built next to this test binary (target/debug).
pub fn app_binary() -> PathBuf {
    if let Ok(path) = std::env::var("CLINIC_APP_BIN") {
        return PathBuf::from(path);
    }
    crate::binaries::built_binary("clinic-app")
}

/// Where screenshots go: `$CLINIC_TEST_OUTPUT` or target/gui-screenshots.
pub fn output_dir() -> PathBuf {
    let dir = std::env::var("CLINIC_TEST_OUTPUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            app_binary()
                .parent()
                .map(|d| d.join("gui-screenshots"))
                .unwrap_or_else(|| PathBuf::from("gui-screenshots"))
        });
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}

/// A port nobody listens on now (the kernel's choice for port 0).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

pub fn testid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

/// One running app instance with its own data directory.
#[derive(Debug)]
pub struct Desktop {
    pub client: Client,
    driver: Child,
    stopped: bool,
    pub data_dir: tempfile::TempDir,
    /// Where the app and its drivers write (kept for failure messages).
    log: PathBuf,
    /// Ends a hung test instead of letting it wait forever.
    _watchdog: crate::watchdog::Watchdog,
}

impl Desktop {
    /// Launches the app (fresh data dir) talking to `server_url`.
    pub async fn launch(server_url: &str) -> Self {
        Self::launch_in(server_url, tempfile::tempdir().expect("data dir")).await
    }

    pub async fn launch_in(server_url: &str, data_dir: tempfile::TempDir) -> Self {
        Self::start(Some(server_url), None, data_dir).await
    }

    /// Launches the app (fresh data dir) as IT installed it: with the
    /// preset file `preset` (its text, written to a file the app is
    /// pointed at) and no environment presets.
    pub async fn launch_with_preset(preset: &str) -> Self {
        let data_dir = tempfile::tempdir().expect("data dir");
        let file = data_dir.path().join("preset-config.json");
        std::fs::write(&file, preset).expect("preset file");
        Self::start(None, Some(&file), data_dir).await
    }

    /// Launches another build of the app (an installed one, say) with a
    /// fresh data dir and no presets.
    pub async fn launch_binary(binary: &Path) -> Self {
        Self::start_binary(binary, None, None, tempfile::tempdir().expect("data dir")).await
    }

    async fn start(server_url: Option<&str>, preset: Option<&Path>, data_dir: tempfile::TempDir) -> Self {
        Self::start_binary(&app_binary(), server_url, preset, data_dir).await
    }

    async fn start_binary(
        binary: &Path,
        server_url: Option<&str>,
        preset: Option<&Path>,
        data_dir: tempfile::TempDir,
    ) -> Self {
        // Two TLS back ends are linked into this test binary; pick one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // A window whose WebKit session is gone before its first screen
        // (seen once in CI under load) is opened once more; its log is
        // printed, so an app that cannot start still fails, with the why.
        let mut last_error = String::new();
        for attempt in 1..=2 {
            let port = free_port();
            let log = output_dir().join(format!("app-{port}.log"));
            let mut driver = spawn_driver(port, &log, server_url, preset, data_dir.path());
            let opened = match open_window(binary, port).await {
                Ok(client) => first_screen(&client).await.map(|()| client),
                Err(err) => Err(err),
            };
            match opened {
                Ok(client) => {
                    return Self {
                        client,
                        driver,
                        stopped: false,
                        data_dir,
                        log,
                        _watchdog: crate::watchdog::Watchdog::start(
                            crate::watchdog::WINDOW_LIMIT,
                            format!("the app window on driver port {port}"),
                        ),
                    };
                }
                Err(err) => {
                    // Take the driver (and its WebKitWebDriver) down.
                    kill_group(&mut driver);
                    last_error = format!("{err}; {}", tail_of(&log));
                    eprintln!("opening the app window, try {attempt}: {last_error}");
                }
            }
        }
        panic!("could not open the app window: {last_error}")
    }

    /// The last lines the app (and its drivers) wrote, for a failure message.
    pub fn log_tail(&self) -> String {
        tail_of(&self.log)
    }
    /// Calls a command as the window's script could, bypassing the screens
    /// (what a tampered or buggy page would do): the answer, or the
    /// refusal's `{code, message}`.
    pub async fn invoke(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let script = "const [command, args, done] = arguments; \
            window.__TAURI_INTERNALS__.invoke(command, { args }) \
              .then(ok => done({ ok }), err => done({ err }));";
        let answer = self
            .client
            .execute_async(script, vec![json!(command), args])
            .await
            .expect("the window runs the script");
        match answer.get("err") {
            Some(err) => Err(err.clone()),
            None => Ok(answer.get("ok").cloned().unwrap_or_default()),
        }
    }

    pub async fn wait(&self, id: &str) -> fantoccini::elements::Element {
        self.wait_within(id, Duration::from_secs(20)).await
    }

    /// Waits up to `within` for the element (something that happens on a
    /// timer, say).
    pub async fn wait_within(&self, id: &str, within: Duration) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(within)
            .for_element(Locator::Css(&testid(id)))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let shot = self.screenshot(&format!("failed-waiting-for-{id}")).await;
                panic!("{id} did not appear ({e}); screen: {}", shot.display())
            }
        }
    }

    /// Clicks the element, finding it again if a re-render replaced it
    /// between finding and clicking (a page whose data just arrived).
    pub async fn click(&self, id: &str) {
        let mut last_error = String::new();
        for _ in 0..5 {
            match self.wait(id).await.click().await {
                Ok(()) => return,
                Err(e) => last_error = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let shot = self.screenshot(&format!("failed-clicking-{id}")).await;
        panic!("click {id}: {last_error}; screen: {}", shot.display())
    }

    pub async fn fill(&self, id: &str, text: &str) {
        let field = self.wait(id).await;
        field.clear().await.unwrap_or_else(|e| panic!("clear {id}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {id}: {e}"));
    }

    /// Replaces the text of a field that keeps its own text (a date
    /// field) the way a person does: End, then Backspace over it, then type.
    pub async fn retype(&self, id: &str, text: &str) {
        const END: &str = "\u{E010}";
        const BACKSPACE: &str = "\u{E003}";
        let field = self.wait(id).await;
        field
            .send_keys(&format!("{END}{}{text}", BACKSPACE.repeat(30)))
            .await
            .unwrap_or_else(|e| panic!("retype {id}: {e}"));
    }

    pub async fn select(&self, id: &str, value: &str) {
        let select = self.wait(id).await;
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {id}: {e}"));
    }

    pub async fn text(&self, id: &str) -> String {
        self.wait(id)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of {id}: {e}"))
    }

    /// Waits until the element's text satisfies `pred`; returns the text.
    pub async fn wait_text(&self, id: &str, pred: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        for _ in 0..150 {
            if let Ok(el) = self.client.find(Locator::Css(&testid(id))).await
                && let Ok(text) = el.text().await
            {
                if pred(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let shot = self.screenshot(&format!("failed-text-of-{id}")).await;
        let source = self.client.source().await.unwrap_or_default();
        let at = source.find(id).unwrap_or(0);
        let around = source
            .get(at.saturating_sub(300)..(at + 300).min(source.len()))
            .unwrap_or_default();
        panic!(
            "{id} never showed the expected text; last: {last:?}; screen: {}; page near it: {around}",
            shot.display()
        )
    }

    /// Types `keys` into whatever has the focus, as a person at the
    /// keyboard does (`/` to search, arrows, Enter: WebDriver key codes).
    pub async fn press(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("press {keys:?}: {e}"));
    }

    /// The current value of a form field.
    pub async fn value(&self, id: &str) -> String {
        self.wait(id)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    pub async fn count(&self, id: &str) -> usize {
        self.client
            .find_all(Locator::Css(&testid(id)))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Saves a PNG of the window under the test output directory.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // The app draws without accelerated compositing, and WebKit then
        // answers a screenshot after the view's next repaint, which an idle
        // page never has: nudge one every 50 ms for the next 2 s (the
        // transparent outline changes nothing that shows).
        let _ = self
            .client
            .execute(
                "let left = 40; const nudge = setInterval(() => { \
                   const s = document.documentElement.style; \
                   s.outline = s.outline ? '' : '1px solid transparent'; \
                   if (--left === 0) { s.outline = ''; clearInterval(nudge); } }, 50); \
                 return null;",
                vec![],
            )
            .await;
        let png = match self.client.screenshot().await {
            Ok(png) => png,
            Err(err) => panic!("no screenshot of {name}: {err}; {}", self.log_tail()),
        };
        let path = output_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Closes the window and the driver (with its WebKitWebDriver).
    pub async fn close(mut self) -> tempfile::TempDir {
        let _ = self.client.clone().close().await;
        self.stop_driver();
        std::mem::replace(&mut self.data_dir, tempfile::tempdir().expect("tempdir"))
    }

    fn stop_driver(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        kill_group(&mut self.driver);
    }
}

impl Drop for Desktop {
    /// A failed test still takes its window and drivers down.
    fn drop(&mut self) {
        self.stop_driver();
    }
}
