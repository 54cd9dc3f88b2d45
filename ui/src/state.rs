//! App-wide state: settings and the session, through a reducer in context.

use std::rc::Rc;

use domain::app::{AppSettings, SessionView};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// `None` until loaded from the shell.
    pub settings: Option<AppSettings>,
    pub session: Option<SessionView>,
    pub loaded: bool,
    /// A short confirmation shown for a few seconds ("Draft saved").
    pub flash: Option<Flash>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub id: u32,
    pub text: String,
}

pub enum Action {
    Loaded(AppSettings, Option<SessionView>),
    Settings(AppSettings),
    SignedIn(SessionView),
    SignedOut,
    Flash(String),
    /// Clears the flash with this id (a newer one stays).
    ClearFlash(u32),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Loaded(settings, session) => {
                next.settings = Some(settings);
                next.session = session;
                next.loaded = true;
            }
            Action::Settings(settings) => next.settings = Some(settings),
            Action::SignedIn(session) => next.session = Some(session),
            Action::SignedOut => next.session = None,
            Action::Flash(text) => {
                let id = self.flash.as_ref().map_or(1, |f| f.id + 1);
                next.flash = Some(Flash { id, text });
            }
            Action::ClearFlash(id) => {
                if self.flash.as_ref().is_some_and(|f| f.id == id) {
                    next.flash = None;
                }
            }
        }
        Rc::new(next)
    }
}

pub type AppContext = UseReducerHandle<AppState>;

#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("App provides the AppContext")
}
