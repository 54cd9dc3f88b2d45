//! Random work on three PCs, synced in random order with lost answers and
//! crashes mid-pull, always converges to the server's state.

use clinic_tests::TestApp;
use clinic_tests::pcs::{Pc, new_patient, pc_patients, server_patients};
use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Step {
    Create {
        pc: usize,
    },
    Edit {
        pc: usize,
        pick: usize,
        field: usize,
        value: u8,
    },
    Delete {
        pc: usize,
        pick: usize,
    },
    Sync {
        pc: usize,
    },
    LoseAnswer {
        pc: usize,
    },
    CrashMidPull {
        pc: usize,
        after: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..3usize).prop_map(|pc| Step::Create { pc }),
        4 => (0..3usize, any::<usize>(), 0..3usize, any::<u8>())
            .prop_map(|(pc, pick, field, value)| Step::Edit { pc, pick, field, value }),
        1 => (0..3usize, any::<usize>()).prop_map(|(pc, pick)| Step::Delete { pc, pick }),
        3 => (0..3usize).prop_map(|pc| Step::Sync { pc }),
        1 => (0..3usize).prop_map(|pc| Step::LoseAnswer { pc }),
        1 => (0..3usize, 0..4usize).prop_map(|(pc, after)| Step::CrashMidPull { pc, after }),
    ]
}

fn live_ids(pc: &Pc) -> Vec<Uuid> {
    pc.rows("patients")
        .iter()
        .filter_map(|r| r["id"].as_str().and_then(|s| Uuid::parse_str(s).ok()))
        .collect()
}

async fn run(steps: Vec<Step>) {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Property Clinic").await;
    let mut pcs = Vec::new();
    for _ in 0..3 {
        let pc = app.pc(&clinic).await;
        pc.sync().await;
        pcs.push(pc);
    }
    let mut created = 0u32;
    for step in steps {
        match step {
            Step::Create { pc } => {
                created += 1;
                pcs[pc].insert(
                    "patients",
                    new_patient(&format!("P{created}"), &format!("+9197{created:08}")),
                );
            }
            Step::Edit {
                pc,
                pick,
                field,
                value,
            } => {
                let ids = live_ids(&pcs[pc]);
                if let Some(id) = ids.get(pick % ids.len().max(1)) {
                    let name = ["notes", "address", "last_name"][field];
                    pcs[pc].update("patients", *id, json!({ name: format!("v{value}") }));
                }
            }
            Step::Delete { pc, pick } => {
                let ids = live_ids(&pcs[pc]);
                if let Some(id) = ids.get(pick % ids.len().max(1)) {
                    pcs[pc].delete("patients", *id);
                }
            }
            Step::Sync { pc } => {
                pcs[pc].sync().await;
            }
            Step::LoseAnswer { pc } => {
                pcs[pc].engine.send_next_batch().await.expect("send");
            }
            Step::CrashMidPull { pc, after } => {
                pcs[pc]
                    .engine
                    .store()
                    .expect("store")
                    .inject_apply_fault_after(Some(after));
                let _ = pcs[pc].engine.sync_once().await;
                pcs[pc]
                    .engine
                    .store()
                    .expect("store")
                    .inject_apply_fault_after(None);
            }
        }
    }
    // Everyone comes online: two rounds each settle every push and pull.
    for _ in 0..2 {
        for pc in &pcs {
            pc.sync().await;
        }
    }
    let server = server_patients(&app).await;
    for (n, pc) in pcs.iter().enumerate() {
        assert_eq!(pc.pending(), 0, "PC {n} has unsent work");
        assert_eq!(pc_patients(pc), server, "PC {n} differs from the server");
    }
}

proptest! {
    // Each case starts a server database and three PCs: few, rich cases.
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_offline_work_converges(steps in proptest::collection::vec(step(), 5..40)) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        rt.block_on(run(steps));
    }
}
