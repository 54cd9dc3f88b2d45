//! A labelled form field with its error underneath, in plain words.

use contract::app::{CommandCode, CommandError};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
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
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
}

/// What every labelled field shows around its control: the label above,
/// then the hint and the error (`{id}-error`) under it.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub id: &'a AttrValue,
    pub label: &'a AttrValue,
    pub hint: Option<&'a AttrValue>,
    pub error: Option<&'a AttrValue>,
    /// In a toolbar: the label is for screen readers only.
    pub inline: bool,
}

impl<'a> Frame<'a> {
    pub fn new(id: &'a AttrValue, label: &'a AttrValue, error: Option<&'a AttrValue>) -> Self {
        Self {
            id,
            label,
            hint: None,
            error,
            inline: false,
        }
    }

    /// The id of the error line, for the control's `aria-describedby`.
    pub fn error_id(&self) -> String {
        format!("{}-error", self.id)
    }

    pub fn around(self, control: Html) -> Html {
        let error_id = self.error_id();
        html! {
            <div class={classes!("field", self.inline.then_some("inline"), self.error.is_some().then_some("has-error"))}>
                <label for={self.id.clone()} class={classes!(self.inline.then_some("visually-hidden"))}>{ self.label }</label>
                { control }
                if let Some(hint) = self.hint { <p class="hint">{ hint }</p> }
                if let Some(error) = self.error {
                    <p class="error" id={error_id.clone()} data-testid={error_id} role="alert">{ error }</p>
                }
            </div>
        }
    }
}

#[function_component(Field)]
pub fn field(p: &FieldProps) -> Html {
    let on_input = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let frame = Frame {
        hint: p.hint.as_ref(),
        ..Frame::new(&p.id, &p.label, p.error.as_ref())
    };
    frame.around(html! {
        <input id={p.id.clone()} data-testid={p.id.clone()} type={p.kind.clone()} value={p.value.clone()}
            oninput={on_input} autofocus={p.autofocus} disabled={p.disabled} placeholder={p.placeholder.clone()}
            aria-invalid={p.error.is_some().to_string()} aria-describedby={frame.error_id()} />
    })
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
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component(Select)]
pub fn select(p: &SelectProps) -> Html {
    let on_change = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    Frame::new(&p.id, &p.label, p.error.as_ref()).around(html! {
        <select id={p.id.clone()} data-testid={p.id.clone()} onchange={on_change} disabled={p.disabled}
            aria-invalid={p.error.is_some().to_string()}>
            { for p.options.iter().map(|(value, label)| html! {
                <option value={value.clone()} selected={*value == p.value}>{ label }</option>
            }) }
        </select>
    })
}

#[derive(Properties, PartialEq)]
pub struct TextAreaProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_input: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or(2)]
    pub rows: u32,
    #[prop_or_default]
    pub disabled: bool,
}

/// A multi-line field, labelled, with its error underneath.
#[function_component(TextArea)]
pub fn text_area(p: &TextAreaProps) -> Html {
    let on_input = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let frame = Frame::new(&p.id, &p.label, p.error.as_ref());
    frame.around(html! {
        <textarea id={p.id.clone()} data-testid={p.id.clone()} value={p.value.clone()} rows={p.rows.to_string()}
            oninput={on_input} disabled={p.disabled} aria-invalid={p.error.is_some().to_string()}
            aria-describedby={frame.error_id()} />
    })
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub on_toggle: Callback<bool>,
    #[prop_or_default]
    pub disabled: bool,
}

/// A checkbox with its label to the right.
#[function_component(Check)]
pub fn check(p: &CheckProps) -> Html {
    let on_change = {
        let cb = p.on_toggle.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    html! {
        <label class="check" for={p.id.clone()}>
            <input type="checkbox" id={p.id.clone()} data-testid={p.id.clone()} checked={p.checked}
                onchange={on_change} disabled={p.disabled} />
            <span>{ &p.label }</span>
        </label>
    }
}

/// The first error among several names for one field (the PC and the
/// server may name a refused field differently, e.g. `time` and
/// `appointment_time`).
pub fn error_any(error: &Option<CommandError>, names: &[&str]) -> Option<AttrValue> {
    names.iter().find_map(|n| error_for(error, n))
}

/// What went wrong, in words for the person at the desk, by error code.
pub fn describe(e: &CommandError) -> String {
    let or = |fallback: &str| {
        if e.message.trim().is_empty() {
            fallback.to_owned()
        } else {
            e.message.clone()
        }
    };
    match e.code {
        CommandCode::ValidationFailed => or("Some fields need attention."),
        CommandCode::Forbidden => "Your role cannot do this. Ask the clinic's admin or the doctor.".into(),
        CommandCode::TenantInactive => "The clinic's subscription is not active: records can still be read, but nothing new can be created until it is renewed.".into(),
        CommandCode::ClinicSuspended => or("This clinic is suspended by the platform: records can be read, nothing can be changed."),
        CommandCode::PlanLimitReached => or("The clinic's plan limit is reached. Upgrade the plan to add more."),
        CommandCode::NotFound => "That record is not on this PC. It may not have synced yet, or it was removed.".into(),
        CommandCode::Conflict => or("Someone changed this at the same time. Reload and try again."),
        CommandCode::Offline => "The clinic server cannot be reached. Work saved on this PC syncs when it is back.".into(),
        CommandCode::NotSignedIn => "You are signed out. Sign in again to continue.".into(),
        CommandCode::PasswordChangeRequired => "Change your password first.".into(),
        CommandCode::LocalDataUnreadable
        | CommandCode::LocalDiskFull
        | CommandCode::LocalBusy
        | CommandCode::LocalStorageFailed => or("The clinic's data on this PC could not be used."),
        _ => or("Something went wrong. Try again; if it keeps happening, tell the clinic's admin."),
    }
}

/// The form-level message for an error: everything that cannot be shown
/// under one of the form's `fields` (unknown fields, or a non-field error).
pub fn form_error(error: &Option<CommandError>, fields: &[&str]) -> Option<String> {
    let e = error.as_ref()?;
    if e.code != CommandCode::ValidationFailed || e.fields.is_empty() {
        return Some(describe(e));
    }
    let rest: Vec<String> = e
        .fields
        .iter()
        .filter(|f| {
            !fields
                .iter()
                .any(|k| *k == f.field || f.field.starts_with(&format!("{k}.")))
        })
        .map(|f| f.message.clone())
        .collect();
    (!rest.is_empty()).then(|| rest.join(" "))
}

/// The error text for `name` in a command error, if any.
pub fn error_for(error: &Option<contract::app::CommandError>, name: &str) -> Option<AttrValue> {
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

/// The `on_input` of a field bound to one part of a form's state: `apply`
/// writes the typed text into a copy of the form, which replaces it.
pub fn form_setter<F: Clone + 'static>(
    form: &UseStateHandle<F>,
    apply: fn(&mut F, String),
) -> Callback<String> {
    let form = form.clone();
    Callback::from(move |v: String| {
        let mut next = (*form).clone();
        apply(&mut next, v);
        form.set(next);
    })
}
