//! The prescription's medicine box: a catalog pick adds one line (and the
//! dosage gets the focus); `/CODE` and Enter adds every line of that short
//! key; a name not in the catalog is added as typed, and said so.

use contract::app::CommandCode;
use contract::screens::catalog::MedicineRow;
use contract::screens::prescriptions::ItemForm;
use yew::prelude::*;

use crate::api;
use crate::components::field::describe;
use crate::components::medicine_search::{MedicineSearch, medicine_title};

#[derive(Properties, PartialEq)]
pub struct MedicineBoxProps {
    /// New lines, and whether to focus the first of them.
    pub on_add: Callback<(Vec<ItemForm>, bool)>,
}

fn unknown_key(code: &str) -> String {
    format!("There is no short key /{code}. Short keys are kept under Settings → Short keys.")
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 medicine".into()
    } else {
        format!("{n} medicines")
    }
}

#[function_component(MedicineBox)]
pub fn medicine_box(p: &MedicineBoxProps) -> Html {
    let message = use_state(|| None::<String>);
    let on_pick = {
        let (add, message) = (p.on_add.clone(), message.clone());
        Callback::from(move |m: MedicineRow| {
            message.set(None);
            let line = ItemForm {
                medicine_id: m.id.clone(),
                medicine_name: medicine_title(&m),
                generic_substitution_allowed: true,
                ..ItemForm::default()
            };
            add.emit((vec![line], true));
        })
    };
    let on_text = {
        let (add, message) = (p.on_add.clone(), message.clone());
        Callback::from(move |typed: String| {
            let Some(code) = typed.strip_prefix('/') else {
                let line = ItemForm {
                    medicine_name: typed.clone(),
                    ..ItemForm::default()
                };
                add.emit((vec![line], true));
                message.set(Some(format!(
                    "“{typed}” is not in the catalog; it was added as typed."
                )));
                return;
            };
            let code = code.trim().to_uppercase();
            let (add, message) = (add.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::expand_short_key(&code).await {
                    Ok(lines) if lines.is_empty() => message.set(Some(unknown_key(&code))),
                    Ok(lines) => {
                        message.set(Some(format!(
                            "Added {} from short key /{code}.",
                            plural(lines.len())
                        )));
                        add.emit((lines, false));
                    }
                    Err(e) if matches!(e.code, CommandCode::NotFound | CommandCode::ValidationFailed) => {
                        message.set(Some(unknown_key(&code)))
                    }
                    Err(e) => message.set(Some(describe(&e))),
                }
            });
        })
    };
    html! {
        <MedicineSearch id="rx-medicine-input" option_testid="rx-medicine-option" label="Add a medicine"
            placeholder="Medicine name, or /CODE for a short key" on_pick={on_pick} on_text={on_text}
            hint="Type a name and press Enter to pick it; /RCA adds every medicine of short key RCA."
            message={(*message).clone().map(AttrValue::from)} />
    }
}
