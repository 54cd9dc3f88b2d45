//! A labelled form field with its error underneath, in plain words.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_input: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or("text".into())]
    pub kind: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub autofocus: bool,
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component(Field)]
pub fn field(p: &FieldProps) -> Html {
    let on_input = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let error_id = format!("{}-error", p.id);
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label for={p.id.clone()}>{ &p.label }</label>
            <input id={p.id.clone()} data-testid={p.id.clone()} type={p.kind.clone()} value={p.value.clone()}
                oninput={on_input} autofocus={p.autofocus} disabled={p.disabled}
                aria-invalid={p.error.is_some().to_string()} aria-describedby={error_id.clone()} />
            if let Some(hint) = &p.hint { <p class="hint">{ hint }</p> }
            if let Some(error) = &p.error {
                <p class="error" id={error_id.clone()} data-testid={error_id} role="alert">{ error }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub options: Vec<(AttrValue, AttrValue)>,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(Select)]
pub fn select(p: &SelectProps) -> Html {
    let on_change = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("has-error"))}>
            <label for={p.id.clone()}>{ &p.label }</label>
            <select id={p.id.clone()} data-testid={p.id.clone()} onchange={on_change}>
                { for p.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == p.value}>{ label }</option>
                }) }
            </select>
            if let Some(error) = &p.error { <p class="error" role="alert">{ error }</p> }
        </div>
    }
}

/// The error text for `name` in a command error, if any.
pub fn error_for(error: &Option<domain::app::CommandError>, name: &str) -> Option<AttrValue> {
    error
        .as_ref()
        .and_then(|e| e.field(name))
        .map(|m| AttrValue::from(m.to_owned()))
}

/// The `on_input` of a field bound to one string state.
pub fn setter(state: &UseStateHandle<String>) -> Callback<String> {
    let state = state.clone();
    Callback::from(move |v| state.set(v))
}
