//! The one confirmation a destructive or irreversible action asks, saying
//! what will happen. Optionally asks for a reason (e.g. cancelling).

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    pub title: AttrValue,
    /// The consequence, in plain words.
    pub message: AttrValue,
    pub confirm_label: AttrValue,
    #[prop_or("Go back".into())]
    pub cancel_label: AttrValue,
    /// Ask for a reason first (required).
    #[prop_or_default]
    pub reason_label: Option<AttrValue>,
    #[prop_or_default]
    pub danger: bool,
    #[prop_or_default]
    pub busy: bool,
    /// Shown when the action failed.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    pub on_confirm: Callback<Option<String>>,
    pub on_cancel: Callback<()>,
}

#[function_component(Confirm)]
pub fn confirm(p: &ConfirmProps) -> Html {
    let reason = use_state(String::new);
    let missing = use_state(|| false);
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with((), move |_| {
            if let Some(el) = first.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let confirm = {
        let (reason, missing, cb, asks) = (
            reason.clone(),
            missing.clone(),
            p.on_confirm.clone(),
            p.reason_label.is_some(),
        );
        Callback::from(move |_: MouseEvent| {
            if asks && reason.trim().is_empty() {
                missing.set(true);
                return;
            }
            cb.emit(asks.then(|| reason.trim().to_owned()));
        })
    };
    let on_key = {
        let cancel = p.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                cancel.emit(());
            }
        })
    };
    let on_reason = {
        let (reason, missing) = (reason.clone(), missing.clone());
        Callback::from(move |e: InputEvent| {
            missing.set(false);
            reason.set(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        })
    };
    html! {
        <div class="modal-backdrop" onkeydown={on_key}>
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog">
                <h2 id="confirm-title">{ &p.title }</h2>
                <p>{ &p.message }</p>
                if let Some(label) = &p.reason_label {
                    <div class={classes!("field", missing.then_some("has-error"))}>
                        <label for="confirm-reason">{ label }</label>
                        <textarea id="confirm-reason" data-testid="confirm-reason" rows="2" ref={first.clone()}
                            value={(*reason).clone()} oninput={on_reason} />
                        if *missing {
                            <p class="error" role="alert" data-testid="confirm-reason-error">{ "Write a short reason first." }</p>
                        }
                    </div>
                }
                if let Some(error) = &p.error { <p class="error" role="alert" data-testid="confirm-error">{ error }</p> }
                <div class="actions">
                    <button type="button" class="secondary" data-testid="confirm-no"
                        onclick={p.on_cancel.reform(|_| ())}>{ &p.cancel_label }</button>
                    if p.reason_label.is_some() {
                        <button type="button" class={if p.danger { "danger" } else { "primary" }} data-testid="confirm-yes"
                            disabled={p.busy} onclick={confirm}>{ &p.confirm_label }</button>
                    } else {
                        <button type="button" class={if p.danger { "danger" } else { "primary" }} data-testid="confirm-yes"
                            disabled={p.busy} onclick={confirm} ref={first}>{ &p.confirm_label }</button>
                    }
                </div>
            </div>
        </div>
    }
}
