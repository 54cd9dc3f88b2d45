//! The medicine box: typing searches the catalog (global and the clinic's
//! own); arrows and Enter or a click pick a medicine. Enter on other text
//! (a `/CODE` short key, or a name not in the catalog) goes to `on_text`.

use contract::screens::catalog::MedicineRow;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::hooks::use_latest;

#[derive(Properties, PartialEq)]
pub struct MedicineSearchProps {
    /// The input's id and test id.
    pub id: AttrValue,
    pub option_testid: AttrValue,
    pub label: AttrValue,
    #[prop_or("Type a medicine name".into())]
    pub placeholder: AttrValue,
    pub on_pick: Callback<MedicineRow>,
    /// Enter on text that is a `/CODE` or matches nothing.
    #[prop_or_default]
    pub on_text: Option<Callback<String>>,
    /// A message under the box (e.g. about a short key).
    #[prop_or_default]
    pub message: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub input_ref: NodeRef,
}

/// "Amoxicillin 500 mg (capsule)" for lists and lines.
pub fn medicine_title(m: &MedicineRow) -> String {
    match &m.strength {
        Some(s) if !s.trim().is_empty() && !m.name.contains(s.trim()) => format!("{} {}", m.name, s.trim()),
        _ => m.name.clone(),
    }
}

/// What Enter in the box does with what is typed.
#[derive(Debug, Clone, PartialEq)]
enum Enter {
    Nothing,
    /// A `/CODE` short key, or a name the catalog does not have.
    AsText(String),
    Pick(MedicineRow),
    /// Enter before the matches arrived: look them up now.
    LookUp(String),
}

/// Decides Enter: `answered` are the matches of `typed` if they arrived.
fn on_enter(typed: &str, answered: Option<&[MedicineRow]>, highlight: usize) -> Enter {
    let typed = typed.trim();
    if typed.is_empty() {
        return Enter::Nothing;
    }
    if typed.starts_with('/') {
        return Enter::AsText(typed.to_owned());
    }
    match answered {
        None => Enter::LookUp(typed.to_owned()),
        Some(rows) => rows
            .get(highlight)
            .cloned()
            .map_or_else(|| Enter::AsText(typed.to_owned()), Enter::Pick),
    }
}

#[function_component(MedicineSearch)]
pub fn medicine_search(p: &MedicineSearchProps) -> Html {
    let text = use_state(String::new);
    // Debounced while typing; `/KEY` is a short key, not a search.
    let found = use_latest(text.trim().to_owned(), 150, |q| {
        (!q.is_empty() && !q.starts_with('/')).then_some(async move {
            api::search_medicines(&q)
                .await
                .map(|rows| rows.into_iter().take(10).collect::<Vec<_>>())
        })
    });
    let highlight = use_state(|| 0usize);
    let is_command = text.trim().starts_with('/');
    let options = match &*found {
        Some((_, rows)) if !text.trim().is_empty() && !is_command => rows.clone(),
        _ => Vec::new(),
    };
    let searched = found.as_ref().is_some_and(|(q, _)| q == text.trim());
    let pick = {
        let (cb, text) = (p.on_pick.clone(), text.clone());
        Callback::from(move |m: MedicineRow| {
            text.set(String::new());
            cb.emit(m);
        })
    };
    let on_input = {
        let (text, highlight) = (text.clone(), highlight.clone());
        Callback::from(move |e: InputEvent| {
            highlight.set(0);
            text.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_key = {
        let (text, highlight, pick, on_text) =
            (text.clone(), highlight.clone(), pick.clone(), p.on_text.clone());
        let (options, found) = (options.clone(), found.clone());
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
                // Never submit the surrounding form from the medicine box.
                e.prevent_default();
                let answered = found
                    .as_ref()
                    .filter(|(q, _)| q == text.trim())
                    .map(|_| &options[..]);
                let as_text = {
                    let (text, on_text) = (text.clone(), on_text.clone());
                    move |typed: String| {
                        if let Some(cb) = &on_text {
                            text.set(String::new());
                            cb.emit(typed);
                        }
                    }
                };
                match on_enter(&text, answered, *highlight) {
                    Enter::Nothing => {}
                    Enter::AsText(typed) => as_text(typed),
                    Enter::Pick(m) => pick.emit(m),
                    Enter::LookUp(typed) => {
                        let pick = pick.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            let first = api::search_medicines(&typed)
                                .await
                                .ok()
                                .and_then(|r| r.into_iter().next());
                            match first {
                                Some(m) => pick.emit(m),
                                None => as_text(typed),
                            }
                        });
                    }
                }
            }
            "Escape" => text.set(String::new()),
            _ => {}
        })
    };
    let option_testid = p.option_testid.clone();
    html! {
        <div class="field combo medicine-box">
            <label for={p.id.clone()}>{ &p.label }</label>
            <input id={p.id.clone()} data-testid={p.id.clone()} ref={p.input_ref.clone()} type="text" autocomplete="off"
                placeholder={p.placeholder.clone()} value={(*text).clone()} oninput={on_input} onkeydown={on_key}
                role="combobox" aria-expanded={(!options.is_empty()).to_string()} />
            if !options.is_empty() {
                <ul class="options" role="listbox">
                    { for options.iter().enumerate().map(|(i, m)| {
                        let row = m.clone();
                        html! {
                            <li role="option" data-testid={option_testid.clone()} aria-selected={(i == *highlight).to_string()}
                                class={classes!((i == *highlight).then_some("highlight"))}
                                onclick={pick.reform(move |_| row.clone())}>
                                <strong>{ medicine_title(m) }</strong>
                                <span class="muted">{ format!(" · {}", m.generic_name.clone().unwrap_or_else(|| m.composition.clone())) }</span>
                                if !m.global { <span class="chip small">{ "Clinic" }</span> }
                                if !m.contraindications.is_empty() {
                                    <span class="muted small">{ format!(" · not with: {}", m.contraindications.join(", ")) }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
            } else if is_command {
                <p class="hint">{ format!("Press Enter to add the medicines of short key {}", text.trim().to_uppercase()) }</p>
            } else if searched && !text.trim().is_empty() {
                <p class="hint">{ if p.on_text.is_some() { "Not in the catalog. Press Enter to add it as typed." } else { "No medicine matches." } }</p>
            } else if let Some(hint) = &p.hint {
                <p class="hint">{ hint }</p>
            }
            if let Some(message) = &p.message {
                <p class="box-message" role="status" data-testid={format!("{}-message", p.id)}>{ message }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> MedicineRow {
        MedicineRow {
            id: name.into(),
            name: name.into(),
            generic_name: None,
            composition: name.into(),
            strength: None,
            dosage_forms: Vec::new(),
            category: None,
            contraindications: Vec::new(),
            global: true,
            price_minor: None,
        }
    }

    #[test]
    fn enter_picks_the_highlighted_match_or_keeps_the_text() {
        let rows = [row("Amoxicillin"), row("Ampicillin")];
        assert_eq!(on_enter("amo", Some(&rows), 1), Enter::Pick(rows[1].clone()));
        assert_eq!(on_enter(" /flu ", Some(&rows), 0), Enter::AsText("/flu".into()));
        assert_eq!(on_enter("Zzz", Some(&[]), 0), Enter::AsText("Zzz".into()));
        assert_eq!(on_enter("amo", None, 0), Enter::LookUp("amo".into()));
        assert_eq!(on_enter("  ", None, 0), Enter::Nothing);
    }
}
