//! Settings: short keys, the medicine catalog and print layouts, as tabs.

mod layout_draft;
mod layout_form;
mod medicines;
mod print_layouts;
mod short_key_form;
mod short_keys;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// `short-keys`, `medicines` or `print-layouts`.
    pub tab: AttrValue,
}

const TABS: [(&str, &str); 3] = [
    ("short-keys", "Short keys"),
    ("medicines", "Medicines"),
    ("print-layouts", "Print layouts"),
];

#[function_component(Settings)]
pub fn settings(p: &SettingsProps) -> Html {
    html! {
        <section class="settings">
            <h1>{ "Settings" }</h1>
            <nav class="tabs" aria-label="Settings">
                { for TABS.iter().map(|(key, label)| {
                    let active = p.tab.as_str() == *key;
                    html! {
                        <Link<Route> to={Route::SettingsTab { tab: (*key).to_owned() }}
                            classes={classes!("tab", active.then_some("active"))}>
                            <span data-testid={format!("settings-{key}")}>{ *label }</span>
                        </Link<Route>>
                    }
                }) }
            </nav>
            { match p.tab.as_str() {
                "medicines" => html! { <medicines::Medicines /> },
                "print-layouts" => html! { <print_layouts::PrintLayouts /> },
                _ => html! { <short_keys::ShortKeys /> },
            } }
        </section>
    }
}
