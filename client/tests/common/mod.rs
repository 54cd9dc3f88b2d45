//! What the PC store's tests share.
#![allow(dead_code)] // each test file uses its own part

use domain::sync::{OpResult, OpStatus, PROTOCOL_VERSION, PushResponse};

pub fn key() -> client::store::StoreKey {
    client::store::StoreKey::from_hex(&"5a".repeat(32)).expect("a key")
}

/// The server's answer applying the first `answered` ops of `batch`.
pub fn applied(batch: &client::store::outbox::Batch, answered: usize) -> PushResponse {
    PushResponse {
        protocol: PROTOCOL_VERSION,
        batch_seq: batch.batch_seq,
        cursor: 1,
        results: batch.ops[..answered]
            .iter()
            .map(|op| OpResult {
                op_id: op.op_id,
                status: OpStatus::Applied,
                refusal: None,
                message: None,
                lost_fields: vec![],
                current: None,
            })
            .collect(),
    }
}
