//! One private PostgreSQL cluster per test process, shared by its tests.
//! It is started on a thread that lives as long as the process, because the
//! kernel stops Postgres when the thread that started it ends (that is how
//! a killed test run cleans up after itself).

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use clinic_server::pgcluster::{ClusterAddr, PrivateCluster};

const TEMPLATE: &str = "clinic_template";

#[derive(Debug)]
pub struct SharedCluster {
    pub addr: ClusterAddr,
}

static SHARED: OnceLock<SharedCluster> = OnceLock::new();

pub fn shared() -> &'static SharedCluster {
    SHARED.get_or_init(start)
}

fn start() -> SharedCluster {
    remove_stale_dirs();
    let dir = std::env::temp_dir().join(format!("clinic-test-{}", std::process::id()));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("postgres-owner".into())
        .spawn(move || {
            let result = PrivateCluster::start(&dir, false).and_then(|cluster| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                rt.block_on(prepare_template(&cluster.addr))?;
                Ok(cluster)
            });
            match result {
                Ok(cluster) => {
                    tx.send(Ok(cluster.addr.clone())).ok();
                    // Keep this thread (and so Postgres) alive until exit.
                    loop {
                        std::thread::park();
                    }
                }
                Err(err) => {
                    tx.send(Err(format!("{err:#}"))).ok();
                }
            }
        })
        .expect("spawn cluster thread");
    match rx.recv().expect("cluster thread answers") {
        Ok(addr) => SharedCluster { addr },
        Err(err) => panic!("could not start the test PostgreSQL: {err}"),
    }
}

async fn prepare_template(addr: &ClusterAddr) -> anyhow::Result<()> {
    addr.create_roles().await?;
    addr.create_database(TEMPLATE, None).await?;
    clinic_server::migrate::up(&addr.owner_url(TEMPLATE)).await
}

impl SharedCluster {
    /// A fresh, migrated database for one test.
    pub async fn create_test_database(&self, name: &str) {
        // Cloning a template fails while another clone of it is starting;
        // a short retry covers tests that start at the same moment.
        for attempt in 0.. {
            match self.addr.create_database(name, Some(TEMPLATE)).await {
                Ok(()) => return,
                Err(err) if attempt < 50 && format!("{err:#}").contains("being accessed") => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("creating test database {name}: {err:#}"),
            }
        }
    }
}

/// Removes clusters of earlier test processes that no longer run.
fn remove_stale_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("clinic-test-") else {
            continue;
        };
        if !PathBuf::from(format!("/proc/{pid}")).exists() {
            std::fs::remove_dir_all(entry.path()).ok();
        }
    }
}
