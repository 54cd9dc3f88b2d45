//! Choose a patient by typing a name or mobile number: the matches appear
//! under the box; arrows and Enter (or a click) choose one.

use contract::app::PatientRow;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::date_field::DateText;
use crate::hooks::use_latest;

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// Test ids and element ids: `{prefix}-search`, `{prefix}-option`,
    /// `{prefix}-chosen`, `{prefix}-change`.
    pub prefix: AttrValue,
    #[prop_or("Patient".into())]
    pub label: AttrValue,
    pub selected: Option<PatientRow>,
    pub on_select: Callback<Option<PatientRow>>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub autofocus: bool,
}

/// How long typing pauses before a search box asks.
pub const SEARCH_PAUSE_MS: u32 = 120;

pub fn full_name(p: &PatientRow) -> String {
    p.full_name()
}

#[function_component(PatientPicker)]
pub fn patient_picker(p: &PickerProps) -> Html {
    let query = use_state(String::new);
    // The matches and the text they answer (no "no match" while searching).
    // Asked when typing pauses, for the 8 rows the list shows.
    let found = use_latest(query.trim().to_owned(), SEARCH_PAUSE_MS, |q| {
        (!q.is_empty()).then_some(async move { api::search_patients(&q, 8).await })
    });
    let highlight = use_state(|| 0usize);
    let options = match &*found {
        Some((_, rows)) if !query.trim().is_empty() => rows.clone(),
        _ => Vec::new(),
    };
    let searched = found.as_ref().is_some_and(|(q, _)| q == query.trim());
    let choose = {
        let (cb, query) = (p.on_select.clone(), query.clone());
        Callback::from(move |row: PatientRow| {
            query.set(String::new());
            cb.emit(Some(row));
        })
    };
    let search_id = format!("{}-search", p.prefix);
    let option_id = format!("{}-option", p.prefix);
    if let Some(chosen) = &p.selected {
        return html! {
            <div class="field">
                <span class="label">{ &p.label }</span>
                <div class="chosen" data-testid={format!("{}-chosen", p.prefix)}>
                    <strong>{ full_name(chosen) }</strong>
                    <span class="muted">{ &chosen.mobile_number }</span>
                    if !chosen.allergies.is_empty() {
                        <span class="chip red">{ format!("Allergies: {}", chosen.allergies.join(", ")) }</span>
                    }
                    <button type="button" class="link" data-testid={format!("{}-change", p.prefix)}
                        onclick={p.on_select.reform(|_| None)}>{ "Change" }</button>
                </div>
            </div>
        };
    }
    let on_input = {
        let (query, highlight) = (query.clone(), highlight.clone());
        Callback::from(move |e: InputEvent| {
            highlight.set(0);
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_key = {
        let (options, highlight, choose, query) =
            (options.clone(), highlight.clone(), choose.clone(), query.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" if !options.is_empty() => {
                e.prevent_default();
                highlight.set((*highlight + 1).min(options.len() - 1));
            }
            "ArrowUp" => {
                e.prevent_default();
                highlight.set(highlight.saturating_sub(1));
            }
            "Enter" => {
                e.prevent_default();
                if let Some(row) = options.get(*highlight) {
                    choose.emit(row.clone());
                }
            }
            "Escape" => {
                query.set(String::new());
            }
            _ => {}
        })
    };
    html! {
        <div class={classes!("field", "combo", p.error.is_some().then_some("has-error"))}>
            <label for={search_id.clone()}>{ &p.label }</label>
            <input id={search_id.clone()} data-testid={search_id.clone()} type="search" autocomplete="off"
                placeholder="Type a name or mobile number" value={(*query).clone()} autofocus={p.autofocus}
                oninput={on_input} onkeydown={on_key} role="combobox" aria-expanded={(!options.is_empty()).to_string()}
                aria-invalid={p.error.is_some().to_string()} />
            if !options.is_empty() {
                <ul class="options" role="listbox">
                    { for options.iter().enumerate().map(|(i, row)| {
                        let r = row.clone();
                        html! {
                            <li role="option" data-testid={option_id.clone()} aria-selected={(i == *highlight).to_string()}
                                class={classes!((i == *highlight).then_some("highlight"))}
                                onclick={choose.reform(move |_| r.clone())}>
                                <strong>{ full_name(row) }</strong>
                                <span class="muted">{ format!(" · {} · born ", row.mobile_number) }<DateText date={row.date_of_birth.clone()} /></span>
                                if !row.allergies.is_empty() {
                                    <span class="warn">{ format!(" · allergic: {}", row.allergies.join(", ")) }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
            } else if searched && !query.trim().is_empty() {
                <p class="hint">{ "No patient matches yet. Register new patients on the Patients page." }</p>
            }
            if let Some(error) = &p.error {
                <p class="error" role="alert" data-testid={format!("{}-error", p.prefix)}>{ error }</p>
            }
        </div>
    }
}
