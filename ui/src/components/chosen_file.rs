//! The file a user chose in a file input, read in the window and sent to
//! the PC as base64 (the spreadsheet import, a referral).

use base64::Engine;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

/// The chosen file's (name, base64 of its bytes); `too_large` past
/// `max_bytes`.
pub async fn read_chosen(
    input: &HtmlInputElement,
    max_bytes: f64,
    too_large: &str,
) -> Result<(String, String), String> {
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or("Choose a file.")?;
    if file.size() > max_bytes {
        return Err(too_large.to_owned());
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The file could not be read.")?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok((
        file.name(),
        base64::engine::general_purpose::STANDARD.encode(bytes),
    ))
}
