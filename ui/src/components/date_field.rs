//! Dates in the clinic's style: a date field that shows and reads them as
//! the clinic writes them (`01/12/2026` for an Indian clinic) while the
//! form keeps ISO `YYYY-MM-DD`, and small components that show stored
//! dates and moments. The style comes with the session (from the clinic's
//! country); the rules live in `domain::date`, shared with the prints.

use chrono::{NaiveDate, NaiveDateTime};
use domain::date::{self, DateStyle};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::field::Frame;
use crate::state::use_app;

/// The signed-in clinic's date style (day first until signed in).
#[hook]
pub fn use_date_style() -> DateStyle {
    let app = use_app();
    app.session.as_ref().map(|s| s.date_style).unwrap_or_default()
}

/// Now on this PC's clock, in its time zone.
pub fn local_now() -> NaiveDateTime {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .and_then(|d| d.and_hms_opt(now.get_hours(), now.get_minutes(), now.get_seconds()))
        .unwrap_or_default()
}

/// A stored moment (RFC 3339, e.g. `2026-12-01T15:56:07.425689Z`) on this
/// PC's clock, where the person at the desk reads it.
pub fn to_local(raw: &str) -> Option<NaiveDateTime> {
    let at = chrono::DateTime::parse_from_rfc3339(raw.trim()).ok()?.naive_utc();
    let ms = at.and_utc().timestamp_millis() as f64;
    // Minutes behind UTC at that moment (so summer time is right too).
    let behind = js_sys::Date::new(&ms.into()).get_timezone_offset();
    Some(at - chrono::Duration::minutes(behind as i64))
}

/// A stored moment to the minute in the clinic's style, or the raw text
/// when it is not one.
pub fn moment(raw: &str, style: DateStyle) -> String {
    to_local(raw).map_or_else(|| raw.to_owned(), |t| date::format_date_time(t, style))
}

/// How a stored date is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateForm {
    /// `01/12/2026`: tables and lists.
    #[default]
    Short,
    /// `1 Dec 2026`: sentences.
    Long,
    /// `Tuesday 1 December 2026`: a day's heading.
    Heading,
}

/// A stored `YYYY-MM-DD` in the clinic's style (anything else as it is).
pub fn show_date(raw: &str, style: DateStyle, form: DateForm) -> String {
    let format = match form {
        DateForm::Short => date::format_short,
        DateForm::Long => date::format_long,
        DateForm::Heading => date::format_day_heading,
    };
    date::reformat(raw, style, format)
}

#[derive(Properties, PartialEq)]
pub struct DateTextProps {
    /// A stored `YYYY-MM-DD`.
    pub date: AttrValue,
    #[prop_or_default]
    pub form: DateForm,
}

/// A stored date as text in the clinic's style, for tables and lines
/// built outside a component.
#[function_component(DateText)]
pub fn date_text(p: &DateTextProps) -> Html {
    let style = use_date_style();
    html! { { show_date(&p.date, style, p.form) } }
}

#[derive(Properties, PartialEq)]
pub struct MomentTextProps {
    /// A stored RFC 3339 moment.
    pub at: AttrValue,
}

/// A stored moment to the minute, on this PC's clock, in the clinic's style.
#[function_component(MomentText)]
pub fn moment_text(p: &MomentTextProps) -> Html {
    let style = use_date_style();
    html! { { moment(&p.at, style) } }
}

#[derive(Properties, PartialEq)]
pub struct DateFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// The form's value: ISO `YYYY-MM-DD`, or the typed text when it does
    /// not read as a date (so the form's own checks refuse it).
    pub value: AttrValue,
    /// Gets ISO `YYYY-MM-DD` when the text reads as a date, else the text.
    pub on_input: Callback<String>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub autofocus: bool,
    #[prop_or_default]
    pub disabled: bool,
    /// In a toolbar: the label is for screen readers only.
    #[prop_or_default]
    pub inline: bool,
}

/// What the form gets for typed text.
fn to_form(text: &str, style: DateStyle) -> String {
    date::parse_date(text, style).map_or_else(|_| text.to_owned(), date::iso)
}

/// What the field shows for the form's value.
fn to_text(value: &str, style: DateStyle) -> String {
    date::reformat(value, style, date::format_short)
}

/// A labelled date field (the `Field` look) in the clinic's style: accepts
/// its short form, month names and ISO; an unreadable date is explained
/// under the field with an example in the clinic's style.
#[function_component(DateField)]
pub fn date_field(p: &DateFieldProps) -> Html {
    let style = use_date_style();
    let text = use_state(|| to_text(&p.value, style));
    // Left the field at least once: only then is half-typed text an error.
    let left = use_state(|| false);
    // The form may set the value itself (another day, a reset after a
    // save): show it, unless it is what the typed text already means.
    let shown = if to_form(&text, style) == p.value.as_str() {
        (*text).clone()
    } else {
        to_text(&p.value, style)
    };
    let unreadable = !shown.trim().is_empty() && date::parse_date(&shown, style).is_err();
    let error = if unreadable && (*left || p.error.is_some()) {
        Some(AttrValue::from(date::entry_message(style)))
    } else {
        p.error.clone()
    };
    let on_input = {
        let (cb, text, left) = (p.on_input.clone(), text.clone(), left.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            cb.emit(to_form(&typed, style));
            text.set(typed);
            // Typing again: no scolding until the field is left again.
            left.set(false);
        })
    };
    // On leaving, a readable date is written out in full (`1/12/2026` ->
    // `01/12/2026`), so the person sees what was understood.
    let on_change = {
        let (text, left) = (text.clone(), left.clone());
        Callback::from(move |e: Event| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            left.set(true);
            if let Ok(d) = date::parse_date(&typed, style) {
                text.set(date::format_short(d, style));
            }
        })
    };
    let frame = Frame {
        hint: p.hint.as_ref(),
        inline: p.inline,
        ..Frame::new(&p.id, &p.label, error.as_ref())
    };
    frame.around(html! {
        <input id={p.id.clone()} data-testid={p.id.clone()} type="text" autocomplete="off"
            value={shown} placeholder={date::placeholder(style)} oninput={on_input} onchange={on_change}
            autofocus={p.autofocus} disabled={p.disabled}
            aria-invalid={error.is_some().to_string()} aria-describedby={frame.error_id()} />
    })
}
