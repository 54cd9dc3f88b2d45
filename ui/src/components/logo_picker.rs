//! The clinic's logo in settings: the current one shown, a PNG or JPEG of
//! up to 1 MB chosen in its place, or removed. Prescriptions print it in
//! the letterhead (the clinic's initials without one). The server checks
//! again; its refusal shows under the picker.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::chosen_file::read_chosen;

/// Largest logo file, as the settings allow.
const MAX_BYTES: f64 = 1024.0 * 1024.0;

/// The `data:` URL of an image's base64, by what its bytes start with.
pub fn data_url(base64: &str) -> Option<String> {
    let kind = if base64.starts_with("iVBORw0KGgo") {
        "png"
    } else if base64.starts_with("/9j/") {
        "jpeg"
    } else {
        return None;
    };
    Some(format!("data:image/{kind};base64,{base64}"))
}

#[derive(Properties, PartialEq)]
pub struct LogoPickerProps {
    /// The logo as a `data:` URL; `None` or `""` when there is none.
    pub value: Option<String>,
    /// A new logo, or `Some("")` to remove it.
    pub on_change: Callback<Option<String>>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(LogoPicker)]
pub fn logo_picker(p: &LogoPickerProps) -> Html {
    let problem = use_state(|| None::<String>);
    let chosen = {
        let (change, problem) = (p.on_change.clone(), problem.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let (change, problem) = (change.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let read = read_chosen(&input, MAX_BYTES, "The logo must be at most 1 MB.").await;
                match read.and_then(|(_, b64)| {
                    data_url(&b64).ok_or_else(|| "Choose a PNG or JPEG image.".to_owned())
                }) {
                    Ok(url) => {
                        problem.set(None);
                        change.emit(Some(url));
                    }
                    Err(message) => problem.set(Some(message)),
                }
                input.set_value("");
            });
        })
    };
    let remove = p.on_change.reform(|_: MouseEvent| Some(String::new()));
    let current = p.value.as_deref().filter(|v| !v.is_empty());
    let error = (*problem)
        .clone()
        .map(AttrValue::from)
        .or_else(|| p.error.clone());
    html! {
        <fieldset class="logo-picker" data-testid="settings-logo">
            <legend>{ "Logo (printed on prescriptions)" }</legend>
            if let Some(url) = current {
                <img class="logo-preview" src={url.to_owned()} alt="The clinic's logo" data-testid="settings-logo-preview" />
            } else {
                <p class="muted">{ "No logo: prescriptions show the clinic's initials." }</p>
            }
            <label class="small" for="settings-logo-file">{ "Choose a PNG or JPEG, up to 1 MB" }</label>
            <input id="settings-logo-file" data-testid="settings-logo-file" type="file"
                accept="image/png,image/jpeg" onchange={chosen} aria-invalid={error.is_some().to_string()} />
            if current.is_some() {
                <button type="button" class="small quiet" data-testid="settings-logo-remove" onclick={remove}>{ "Remove logo" }</button>
            }
            if let Some(error) = error { <p class="error" role="alert" data-testid="settings-logo-error">{ error }</p> }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_png_and_jpeg_bytes_become_a_logo() {
        assert_eq!(
            data_url("iVBORw0KGgoAAAA").as_deref(),
            Some("data:image/png;base64,iVBORw0KGgoAAAA")
        );
        assert_eq!(
            data_url("/9j/4AAQ").as_deref(),
            Some("data:image/jpeg;base64,/9j/4AAQ")
        );
        assert_eq!(data_url("R0lGODlh"), None, "a GIF");
        assert_eq!(data_url("JVBERi0x"), None, "a PDF");
    }
}
