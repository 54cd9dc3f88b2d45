//! Keyboard: `/` or Ctrl+K focuses a page's search; arrows and Enter move
//! through and open the rows of a list.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// Whether the key press happened while typing in a field.
pub fn typing(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Whether the key press happened on a control that handles keys itself
/// (a field, a button or a link).
pub fn in_control(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A"
            )
        })
}

/// Focuses `target` on `/` (outside fields) or Ctrl+K (anywhere).
#[hook]
pub fn use_search_shortcut(target: NodeRef) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            let ctrl_k = (e.ctrl_key() || e.meta_key()) && e.key().eq_ignore_ascii_case("k");
            if (ctrl_k || (e.key() == "/" && !typing(&e)))
                && let Some(input) = target.cast::<HtmlElement>()
            {
                e.prevent_default();
                let _ = input.focus();
            }
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &window {
                let _ = w.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

/// Arrow keys move `selected` within `len` rows; true when Enter asks to
/// open the selected row. Keys typed in a multi-line field are left alone.
pub fn list_keys(e: &KeyboardEvent, len: usize, selected: &UseStateHandle<usize>) -> bool {
    if len == 0 {
        return false;
    }
    match e.key().as_str() {
        "ArrowDown" => {
            e.prevent_default();
            selected.set((**selected + 1).min(len - 1));
            false
        }
        "ArrowUp" => {
            e.prevent_default();
            selected.set(selected.saturating_sub(1));
            false
        }
        "Enter" => {
            e.prevent_default();
            true
        }
        _ => false,
    }
}
