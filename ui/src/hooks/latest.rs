//! The answer to the latest input only: a search box or a check that
//! follows what is typed. Older answers that arrive late are dropped, and
//! typing within `delay_ms` of the last key asks nothing.

use std::future::Future;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::api::ApiResult;

/// Runs `fetch(deps)` when `deps` change, after `delay_ms` of quiet (0: at
/// once). `fetch` answers `None` when there is nothing to ask (an empty
/// search): the answer is cleared. Returns the latest answer with the
/// input it answers, so a caller can tell "no match" from "still asking".
/// Failures keep the previous answer (the next key asks again).
#[hook]
pub fn use_latest<D, T, F, Fut>(deps: D, delay_ms: u32, fetch: F) -> UseStateHandle<Option<(D, T)>>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    F: FnOnce(D) -> Option<Fut> + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let answer = use_state(|| None);
    let seq = use_mut_ref(|| 0u64);
    {
        let answer = answer.clone();
        use_effect_with(deps, move |deps| {
            *seq.borrow_mut() += 1;
            let mine = *seq.borrow();
            let asked = deps.clone();
            let timer = match fetch(deps.clone()) {
                None => {
                    answer.set(None);
                    None
                }
                Some(pending) => {
                    let run = move || {
                        wasm_bindgen_futures::spawn_local(async move {
                            if let Ok(found) = pending.await
                                && *seq.borrow() == mine
                            {
                                answer.set(Some((asked, found)));
                            }
                        });
                    };
                    if delay_ms == 0 {
                        run();
                        None
                    } else {
                        Some(Timeout::new(delay_ms, run))
                    }
                }
            };
            move || drop(timer)
        });
    }
    answer
}

/// `value` once it has stayed the same for `delay_ms`: a search box asks
/// when the typing pauses, not at every key.
#[hook]
pub fn use_debounced<T>(value: T, delay_ms: u32) -> T
where
    T: PartialEq + Clone + 'static,
{
    let settled = use_state(|| value.clone());
    {
        let settled = settled.clone();
        use_effect_with(value, move |value| {
            let value = value.clone();
            let timer = Timeout::new(delay_ms, move || settled.set(value));
            move || drop(timer)
        });
    }
    (*settled).clone()
}
