//! The clinic desktop UI. Routes live in `app.rs`; screens in `pages/`;
//! shared pieces in `components/`; typed command wrappers in `api/`.

mod api;
mod app;
mod components;
mod hooks;
mod pages;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
