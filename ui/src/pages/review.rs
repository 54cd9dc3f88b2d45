//! "Needs review": clinical values two PCs changed apart, one of which lost
//! the merge. Each shows the patient and field, the kept value and the
//! other one with who wrote it on which PC and when; the reviewer keeps the
//! current value or takes the other. Settled items leave every PC's list.

use contract::screens::review::ReviewItem;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::date_field::MomentText;
use crate::components::field::describe;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::{Load, use_synced_load};
use crate::state::{Action, use_app};

fn value_block(label: &str, value: &str, by: &str, on: &str, at: Option<&String>, testid: &str) -> Html {
    html! {
        <div class="review-value" data-testid={testid.to_owned()}>
            <span class="muted small">{ label }</span>
            <p class="value">{ value }</p>
            <span class="muted small">{ format!("{by} · {on}") }
                if let Some(at) = at { { " · " }<MomentText at={at.clone()} /> }</span>
        </div>
    }
}

#[function_component(NeedsReview)]
pub fn needs_review() -> Html {
    let app = use_app();
    let (items, reload) = use_synced_load((), |_| api::review_items());
    let busy = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);
    let settle = |item: &ReviewItem, take_other: bool| {
        let (id, busy, error, reload, app) = (
            item.id.clone(),
            busy.clone(),
            error.clone(),
            reload.clone(),
            app.clone(),
        );
        let what = format!(
            "{} of {}",
            item.field,
            item.patient_name.clone().unwrap_or_else(|| item.record.clone())
        );
        Callback::from(move |_: MouseEvent| {
            let (id, busy, error, reload, app, what) = (
                id.clone(),
                busy.clone(),
                error.clone(),
                reload.clone(),
                app.clone(),
                what.clone(),
            );
            busy.set(Some(id.clone()));
            wasm_bindgen_futures::spawn_local(async move {
                match api::resolve_review(&id, take_other).await {
                    Ok(()) => {
                        error.set(None);
                        let done = if take_other {
                            "took the other value"
                        } else {
                            "kept the current value"
                        };
                        app.dispatch(Action::Flash(format!("{what}: {done}.")));
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(describe(&e))),
                }
                busy.set(None);
            });
        })
    };
    html! {
        <section class="review">
            <div class="toolbar"><h1>{ "Needs review" }</h1></div>
            <p class="muted">{ "Two PCs changed the same clinical value while apart; the later change was kept. Check each and keep it, or take the other value." }</p>
            if let Some(message) = &*error { <p class="error" role="alert">{ message }</p> }
            { match &*items {
                Load::Loading => html! { <Skeleton rows={4} /> },
                Load::Failed(e) => html! {
                    <ErrorBox message={format!("{} The list needs the server.", describe(e))} on_retry={reload.clone()} />
                },
                Load::Ready(list) if list.is_empty() => html! {
                    <Empty title="Nothing to review" text="When two PCs change the same allergy, diagnosis or dose while apart, it shows here." />
                },
                Load::Ready(list) => html! {
                    <ul class="review-list" data-testid="review-list">
                        { for list.iter().map(|item| {
                            let working = busy.as_deref() == Some(item.id.as_str());
                            html! {
                                <li class="card" data-testid="review-item">
                                    <h3>
                                        { &item.field }{ " · " }
                                        if let Some(id) = &item.patient_id {
                                            <Link<Route> to={Route::PatientChart { id: id.clone() }}>
                                                { item.patient_name.clone().unwrap_or_default() }
                                            </Link<Route>>
                                        } else { { &item.record } }
                                    </h3>
                                    <div class="review-values">
                                        { value_block("Kept", &item.kept_value, &item.kept_by, &item.kept_on, item.kept_at.as_ref(), "review-kept") }
                                        { value_block("Other", &item.lost_value, &item.lost_by, &item.lost_on, Some(&item.detected_at), "review-other") }
                                    </div>
                                    <div class="actions">
                                        <button class="secondary" data-testid="review-keep" disabled={working}
                                            onclick={settle(item, false)}>{ "Keep current" }</button>
                                        <button class="primary" data-testid="review-take-other" disabled={working}
                                            onclick={settle(item, true)}>{ "Take the other value" }</button>
                                    </div>
                                </li>
                            }
                        }) }
                    </ul>
                },
            } }
        </section>
    }
}
