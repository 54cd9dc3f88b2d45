//! A limit on how long one window may stay open in a test. A window test
//! that hangs (the app died at start, say, and a driver call never
//! returns) ends the test process with a message after the limit,
//! instead of holding CI until its own timeout.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Far above any window test (under a minute on these machines, which
/// differ up to 2x in speed).
pub const WINDOW_LIMIT: Duration = Duration::from_secs(300);

/// Armed while alive; dropping it disarms.
#[derive(Debug)]
pub struct Watchdog {
    done: Arc<AtomicBool>,
}

impl Watchdog {
    pub fn start(limit: Duration, what: String) -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let watching = done.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            while started.elapsed() < limit {
                if watching.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            if !watching.load(Ordering::Relaxed) {
                eprintln!(
                    "{what} was still open after {} s: the test hangs (see the app logs in gui-screenshots); stopping",
                    limit.as_secs()
                );
                std::process::exit(101);
            }
        });
        Self { done }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
    }
}
