//! Loading, empty and error states: every data view has all three.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SkeletonProps {
    #[prop_or(5)]
    pub rows: usize,
}

/// Grey bars in the shape of the table that is loading (no spinner).
#[function_component(Skeleton)]
pub fn skeleton(p: &SkeletonProps) -> Html {
    html! {
        <div class="skeleton-list" aria-busy="true" aria-label="Loading" data-testid="loading">
            { for (0..p.rows).map(|_| html! { <div class="skeleton line" /> }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct EmptyProps {
    pub title: AttrValue,
    pub text: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Empty)]
pub fn empty(p: &EmptyProps) -> Html {
    html! {
        <div class="empty" data-testid="empty">
            <h3>{ &p.title }</h3>
            <p>{ &p.text }</p>
            { p.children.clone() }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    pub message: AttrValue,
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

#[function_component(ErrorBox)]
pub fn error_box(p: &ErrorProps) -> Html {
    html! {
        <div class="error-box" role="alert" data-testid="error">
            <p>{ &p.message }</p>
            if let Some(retry) = &p.on_retry {
                <button class="secondary" onclick={retry.reform(|_| ())}>{ "Try again" }</button>
            }
        </div>
    }
}
