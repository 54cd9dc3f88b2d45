//! The medicine lines of a prescription: dosage, frequency (1-0-1 or
//! words), duration, quantity, instructions, generic substitution; move up
//! or down, remove; errors and alerts beside the line they concern.

use contract::app::CommandError;
use contract::screens::prescriptions::{ItemForm, MedicineAlert};
use domain::clinical::dosage::{DailyPattern, quantity_for};
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::components::field::error_for;

#[derive(Properties, PartialEq)]
pub struct ItemsProps {
    pub items: Vec<ItemForm>,
    pub on_change: Callback<Vec<ItemForm>>,
    pub error: Option<CommandError>,
    pub alerts: Vec<MedicineAlert>,
    pub readonly: bool,
    /// (line, request number): focus that line's dosage when the number changes.
    pub focus: (usize, u32),
}

#[function_component(Items)]
pub fn items(p: &ItemsProps) -> Html {
    if p.items.is_empty() {
        return html! {
            <p class="muted empty-lines" data-testid="rx-no-items">
                { if p.readonly { "No medicines." } else { "No medicines yet. Type a name or a /CODE in the box above." } }
            </p>
        };
    }
    if p.readonly {
        return readonly_table(&p.items, &p.alerts);
    }
    let change = {
        let (items, cb) = (p.items.clone(), p.on_change.clone());
        Callback::from(move |(i, item): (usize, ItemForm)| {
            let mut next = items.clone();
            if let Some(slot) = next.get_mut(i) {
                *slot = item;
            }
            cb.emit(next);
        })
    };
    let shift = {
        let (items, cb) = (p.items.clone(), p.on_change.clone());
        Callback::from(move |(i, up): (usize, bool)| {
            let mut next = items.clone();
            let j = if up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j.filter(|j| *j < next.len()) {
                next.swap(i, j);
                cb.emit(next);
            }
        })
    };
    let remove = {
        let (items, cb) = (p.items.clone(), p.on_change.clone());
        Callback::from(move |i: usize| {
            let mut next = items.clone();
            if i < next.len() {
                next.remove(i);
            }
            cb.emit(next);
        })
    };
    html! {
        <div class="rx-lines">
            <div class="rx-line head" aria-hidden="true">
                <span>{ "#" }</span><span>{ "Medicine" }</span><span>{ "Dosage" }</span><span>{ "Frequency" }</span>
                <span>{ "Duration" }</span><span>{ "Qty" }</span><span />
            </div>
            { for p.items.iter().enumerate().map(|(i, item)| html! {
                <ItemLine index={i} count={p.items.len()} item={item.clone()}
                    error={error_for(&p.error, &format!("items.{i}"))}
                    alerts={p.alerts.iter().filter(|a| a.item_index == i).map(|a| a.message.clone()).collect::<Vec<_>>()}
                    focus={if p.focus.0 == i { p.focus.1 } else { 0 }}
                    on_change={change.clone()} on_shift={shift.clone()} on_remove={remove.clone()} />
            }) }
        </div>
    }
}

fn readonly_table(items: &[ItemForm], alerts: &[MedicineAlert]) -> Html {
    html! {
        <table class="dense grid cols-rx-items">
            <thead><tr><th>{ "#" }</th><th>{ "Medicine" }</th><th>{ "Dosage" }</th><th>{ "Frequency" }</th>
                <th>{ "Duration" }</th><th>{ "Qty" }</th><th>{ "Instructions" }</th></tr></thead>
            <tbody>
                { for items.iter().enumerate().map(|(i, item)| html! {
                    <tr data-testid="rx-item">
                        <td>{ i + 1 }</td>
                        <td>
                            { &item.medicine_name }
                            if item.generic_substitution_allowed { <span class="muted small">{ " (generic allowed)" }</span> }
                            { for alerts.iter().filter(|a| a.item_index == i).map(|a| html! {
                                <p class="line-alert" data-testid="rx-item-alert">{ &a.message }</p>
                            }) }
                        </td>
                        <td>{ &item.dosage }</td><td>{ &item.frequency }</td><td>{ &item.duration }</td>
                        <td>{ &item.quantity }</td><td>{ &item.instructions }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct LineProps {
    index: usize,
    count: usize,
    item: ItemForm,
    error: Option<AttrValue>,
    alerts: Vec<String>,
    focus: u32,
    on_change: Callback<(usize, ItemForm)>,
    on_shift: Callback<(usize, bool)>,
    on_remove: Callback<usize>,
}

/// The quantity a 1-0-1 pattern over "N days" needs, as a hint.
fn suggested_quantity(item: &ItemForm) -> Option<u32> {
    let pattern = DailyPattern::parse(&item.frequency)?;
    let duration = item.duration.to_lowercase();
    if !duration.contains("day") {
        return None;
    }
    let days: u32 = duration.split_whitespace().next()?.parse().ok()?;
    Some(quantity_for(&pattern, days)).filter(|q| *q > 0)
}

#[function_component(ItemLine)]
fn item_line(p: &LineProps) -> Html {
    let dosage_ref = use_node_ref();
    {
        let dosage_ref = dosage_ref.clone();
        use_effect_with(p.focus, move |focus| {
            if *focus > 0
                && let Some(el) = dosage_ref.cast::<HtmlElement>()
            {
                let _ = el.focus();
            }
        });
    }
    let i = p.index;
    let text = |apply: fn(&mut ItemForm, String)| {
        let (item, cb) = (p.item.clone(), p.on_change.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = item.clone();
            apply(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            cb.emit((i, next));
        })
    };
    let generic = {
        let (item, cb) = (p.item.clone(), p.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = item.clone();
            next.generic_substitution_allowed = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit((i, next));
        })
    };
    let item = &p.item;
    let pattern = DailyPattern::parse(&item.frequency).map(|d| d.describe());
    let suggestion = suggested_quantity(item).map(|q| q.to_string());
    let n = i + 1;
    html! {
        <div class={classes!("rx-line-block", p.error.is_some().then_some("has-error"), (!p.alerts.is_empty()).then_some("has-alert"))}
            data-testid="rx-item">
            <div class="rx-line">
                <span class="line-no">{ n }</span>
                <input data-testid="rx-item-medicine" aria-label={format!("Medicine of line {n}")} value={item.medicine_name.clone()}
                    oninput={text(|f, v| f.medicine_name = v)} title={(item.medicine_id.is_empty()).then_some("Not from the catalog")} />
                <input data-testid="rx-item-dosage" ref={dosage_ref} aria-label={format!("Dosage of line {n}")} placeholder="500 mg"
                    value={item.dosage.clone()} oninput={text(|f, v| f.dosage = v)} />
                <input data-testid="rx-item-frequency" aria-label={format!("Frequency of line {n}")} placeholder="1-0-1"
                    value={item.frequency.clone()} oninput={text(|f, v| f.frequency = v)} />
                <input data-testid="rx-item-duration" aria-label={format!("Duration of line {n}")} placeholder="5 days"
                    value={item.duration.clone()} oninput={text(|f, v| f.duration = v)} />
                <input data-testid="rx-item-quantity" aria-label={format!("Quantity of line {n}")} inputmode="numeric"
                    placeholder={suggestion.clone().unwrap_or_else(|| "Qty".into())}
                    value={item.quantity.clone()} oninput={text(|f, v| f.quantity = v)} />
                <span class="line-tools">
                    <button type="button" class="icon" data-testid="rx-item-up" aria-label={format!("Move line {n} up")}
                        disabled={i == 0} onclick={p.on_shift.reform(move |_| (i, true))}>{ "↑" }</button>
                    <button type="button" class="icon" data-testid="rx-item-down" aria-label={format!("Move line {n} down")}
                        disabled={i + 1 == p.count} onclick={p.on_shift.reform(move |_| (i, false))}>{ "↓" }</button>
                    <button type="button" class="icon danger-text" data-testid="rx-item-remove" aria-label={format!("Remove line {n}")}
                        onclick={p.on_remove.reform(move |_| i)}>{ "✕" }</button>
                </span>
            </div>
            <div class="rx-line second">
                <span />
                <input data-testid="rx-item-instructions" aria-label={format!("Instructions of line {n}")}
                    placeholder="Instructions, e.g. after food" value={item.instructions.clone()}
                    oninput={text(|f, v| f.instructions = v)} />
                <label class="check inline">
                    <input type="checkbox" data-testid="rx-item-generic" checked={item.generic_substitution_allowed} onchange={generic} />
                    <span>{ "Generic substitute allowed" }</span>
                </label>
                if let Some(words) = pattern { <span class="muted small" data-testid="rx-item-pattern">{ words }</span> }
                if let (Some(q), true) = (&suggestion, item.quantity.is_empty()) {
                    <span class="muted small">{ format!("{q} needed") }</span>
                }
            </div>
            if let Some(e) = &p.error { <p class="error" role="alert" data-testid="rx-item-error">{ e }</p> }
            { for p.alerts.iter().map(|a| html! { <p class="line-alert" role="alert" data-testid="rx-item-alert">{ a }</p> }) }
        </div>
    }
}
