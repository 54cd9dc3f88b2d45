//! Hooks shared by pages: polling and the idle sign-out.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::state::{sign_out, use_app};

mod keys;
mod latest;
mod load;

pub use keys::{in_control, list_keys, use_search_shortcut};
pub use latest::{use_debounced, use_latest};
pub use load::{Load, use_load, use_synced_load};

/// Runs `tick` now and then every `ms` while mounted.
#[hook]
pub fn use_interval(ms: u32, tick: Callback<()>) {
    use_effect_with(ms, move |ms| {
        tick.emit(());
        let interval = Interval::new(*ms, move || tick.emit(()));
        move || drop(interval)
    });
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Signs out after `minutes` without a key press, click or pointer move.
/// Checked every 5 s, and again by the first key press or pointer move
/// after a pause, before it counts as activity: WebKit may delay the
/// timers of a window that is not in front, and whoever sits down at it
/// must not carry on the last person's session.
#[hook]
pub fn use_idle_sign_out(signed_in: bool, minutes: u32) {
    let app = use_app();
    use_effect_with((signed_in, minutes), move |(signed_in, minutes)| {
        let last = Rc::new(Cell::new(now_ms()));
        let limit = f64::from(*minutes) * 60_000.0;
        let active = *signed_in;
        let check: Rc<dyn Fn()> = {
            let last = last.clone();
            Rc::new(move || {
                if active && now_ms() - last.get() > limit {
                    last.set(now_ms());
                    let app = app.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        sign_out(&app).await;
                    });
                }
            })
        };
        // A pointer that has not moved is nobody: WebKit also sends
        // `mousemove` when a window above this one closes over a resting
        // pointer, which must not keep an empty desk signed in.
        let pointer = Rc::new(Cell::new(None::<(i32, i32)>));
        let touch = {
            let check = check.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                if let Some(moved) = e
                    .dyn_ref::<web_sys::MouseEvent>()
                    .filter(|_| e.type_() == "mousemove")
                {
                    let at = Some((moved.screen_x(), moved.screen_y()));
                    if pointer.replace(at) == at {
                        return;
                    }
                }
                check();
                last.set(now_ms());
            })
        };
        let window = web_sys::window();
        if let Some(window) = &window {
            for event in ACTIVITY {
                let _ = window.add_event_listener_with_callback(event, touch.as_ref().unchecked_ref());
            }
        }
        let checker = Interval::new(5_000, move || check());
        move || {
            if let Some(window) = &window {
                for event in ACTIVITY {
                    let _ = window.remove_event_listener_with_callback(event, touch.as_ref().unchecked_ref());
                }
            }
            drop(checker);
            drop(touch);
        }
    });
}

/// What counts as someone at the PC.
const ACTIVITY: [&str; 4] = ["keydown", "mousedown", "mousemove", "wheel"];

/// Today's date on this PC (for "not in the future" checks).
pub fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_default()
}

/// Replays `actions` on `state` through a reducer, as the page would:
/// the one helper the reducers' tests share.
#[cfg(test)]
pub fn replay<R: Reducible + Clone>(state: R, actions: Vec<R::Action>) -> R {
    actions
        .into_iter()
        .fold(Rc::new(state), |state, action| state.reduce(action))
        .as_ref()
        .clone()
}

/// A callback of any event that sends `action` to a reducer.
pub fn send<R, T>(reducer: &UseReducerHandle<R>, action: R::Action) -> Callback<T>
where
    R: Reducible + 'static,
    R::Action: Clone,
    T: 'static,
{
    let dispatch = reducer.dispatcher();
    Callback::from(move |_| dispatch.dispatch(action.clone()))
}

/// A callback that turns what it is given into an action for a reducer.
pub fn send_with<R, T>(reducer: &UseReducerHandle<R>, make: fn(T) -> R::Action) -> Callback<T>
where
    R: Reducible + 'static,
    T: 'static,
{
    let dispatch = reducer.dispatcher();
    Callback::from(move |value| dispatch.dispatch(make(value)))
}
