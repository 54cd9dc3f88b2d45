//! Copying a code, password or preset file to the clipboard.

/// Puts `text` on the clipboard; false when the window has none.
pub fn copy_text(text: &str) -> bool {
    web_sys::window().is_some_and(|window| {
        let _ = window.navigator().clipboard().write_text(text);
        true
    })
}
