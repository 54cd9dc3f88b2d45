//! A doctor's offices as a short list: rename one, mark the primary one,
//! remove one, add one. Ids stay as they are (appointments name them); a
//! new office gets a fresh id. The server refuses removing an office with
//! appointments still to come, shown under the list.

use domain::doctor::Office;
use yew::prelude::*;

use crate::components::field::Field;

#[derive(Properties, PartialEq)]
pub struct OfficeListProps {
    pub offices: Vec<Office>,
    pub on_change: Callback<Vec<Office>>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A fresh office id: short, stable, unlike the doctor's others.
fn new_office_id() -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("office-{random:x}")
}

fn make_primary(offices: &mut [Office], i: usize) {
    for (j, office) in offices.iter_mut().enumerate() {
        office.is_primary = i == j;
    }
}

/// Removing the primary office makes the first one left primary.
fn remove(offices: &mut Vec<Office>, i: usize, _: String) {
    let gone = offices.remove(i);
    if gone.is_primary
        && let Some(first) = offices.first_mut()
    {
        first.is_primary = true;
    }
}

#[function_component(OfficeList)]
pub fn office_list(p: &OfficeListProps) -> Html {
    let edit = |i: usize, apply: fn(&mut Vec<Office>, usize, String)| {
        let (offices, change) = (p.offices.clone(), p.on_change.clone());
        Callback::from(move |value: String| {
            let mut next = offices.clone();
            apply(&mut next, i, value);
            change.emit(next);
        })
    };
    let add = {
        let (offices, change) = (p.offices.clone(), p.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = offices.clone();
            next.push(Office {
                id: new_office_id(),
                name: String::new(),
                address: None,
                is_primary: next.is_empty(),
            });
            change.emit(next);
        })
    };
    html! {
        <fieldset class="offices" data-testid="profile-offices">
            <legend>{ "Offices" }</legend>
            if p.offices.is_empty() {
                <p class="muted">{ "No office yet: add the one this doctor works at." }</p>
            }
            { for p.offices.iter().enumerate().map(|(i, office)| html! {
                <div class="office-row" key={office.id.clone()}>
                    <Field id={format!("profile-office-name-{i}")} label="Office name" value={office.name.clone()}
                        on_input={edit(i, |o, i, v| o[i].name = v)} />
                    <label class="inline">
                        <input type="radio" name="primary-office" checked={office.is_primary}
                            data-testid={format!("profile-office-primary-{i}")}
                            onchange={edit(i, |o, i, _| make_primary(o, i)).reform(|_: Event| String::new())} />
                        { " Primary" }
                    </label>
                    <button type="button" class="small quiet" data-testid={format!("profile-office-remove-{i}")}
                        onclick={edit(i, remove).reform(|_: MouseEvent| String::new())}>{ "Remove" }</button>
                </div>
            }) }
            <button type="button" class="small" data-testid="profile-office-add" onclick={add}>{ "Add office" }</button>
            if let Some(error) = &p.error {
                <p class="error" role="alert" data-testid="profile-offices-error">{ error }</p>
            }
        </fieldset>
    }
}
