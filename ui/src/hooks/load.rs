//! Loading a view's data: loading, ready or failed, with a reload and no
//! stale answers (a slower older request never overwrites a newer one).

use std::future::Future;

use contract::app::CommandError;
use yew::prelude::*;

use crate::api::ApiResult;

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(CommandError),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

/// Runs `fetch(deps)` when `deps` change and when the returned callback is
/// called. Earlier data stays on screen while new data loads (no layout
/// shift); only the first load shows `Loading`.
#[hook]
pub fn use_load<T, D, F, Fut>(deps: D, fetch: F) -> (UseStateHandle<Load<T>>, Callback<()>)
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let load = use_state(|| Load::Loading);
    let counter = use_reducer(Counter::default);
    let seq = use_mut_ref(|| 0u64);
    {
        let load = load.clone();
        use_effect_with((deps, counter.0), move |(deps, _)| {
            *seq.borrow_mut() += 1;
            let mine = *seq.borrow();
            let pending = fetch(deps.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = pending.await;
                if *seq.borrow() == mine {
                    load.set(match result {
                        Ok(v) => Load::Ready(v),
                        Err(e) => Load::Failed(e),
                    });
                }
            });
        });
    }
    let reload = Callback::from(move |_| counter.dispatch(()));
    (load, reload)
}

/// [`use_load`] for a view of synced records: it also reads again when
/// this PC's store takes in changes from the server (its cursor moves), so
/// a list opened during a first download or before another PC's change
/// arrived fills in where it stands.
#[hook]
pub fn use_synced_load<T, D, F, Fut>(deps: D, fetch: F) -> (UseStateHandle<Load<T>>, Callback<()>)
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let synced = crate::state::use_app().synced;
    use_load((deps, synced), move |(deps, _)| fetch(deps))
}

#[derive(Default, PartialEq)]
struct Counter(u64);

impl Reducible for Counter {
    type Action = ();

    fn reduce(self: std::rc::Rc<Self>, _: ()) -> std::rc::Rc<Self> {
        std::rc::Rc::new(Counter(self.0 + 1))
    }
}
