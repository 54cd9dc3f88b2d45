//! App-wide state: settings and the session, through a reducer in context.

use std::rc::Rc;

use contract::app::{AppSettings, SessionView};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// `None` until loaded from the shell.
    pub settings: Option<AppSettings>,
    pub session: Option<SessionView>,
    pub loaded: bool,
    /// A short confirmation shown for a few seconds ("Draft saved").
    pub flash: Option<Flash>,
    /// Counts sign-ins and sign-outs. Every screen below the shell is keyed
    /// by it, so nobody's half-filled form, search text or loaded list
    /// survives into the next person's session on a shared PC.
    pub epoch: u32,
    /// Set once, right after this PC registered a clinic: the code to show.
    pub new_clinic_code: Option<String>,
    /// Why the session ended when an admin removed this PC from the
    /// clinic: shown on the sign-in screen until the next sign-in.
    pub removed_notice: Option<String>,
    /// The sync cursor this PC's store has reached, as the header last
    /// heard it. Lists of synced records read again when it moves, so
    /// records that arrive (a first download, another PC's change) show
    /// without leaving the page.
    pub synced: Option<i64>,
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
    /// A clinic was just registered on this PC (its owner is signed in).
    Registered(SessionView),
    /// The owner has read the new clinic's code.
    CodeNoted,
    /// The clinic's settings changed: the session's date style and idle
    /// timeout follow at once, the screens stay.
    ClinicSettings(SessionView),
    SignedOut,
    /// An admin removed this PC from the clinic: signed out, with why.
    Removed(String),
    Flash(String),
    /// Clears the flash with this id (a newer one stays).
    ClearFlash(u32),
    /// The store reached this sync cursor.
    Synced(Option<i64>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Unchanged: the same state, so nothing below renders again.
        if let Action::Synced(cursor) = &action
            && self.synced == *cursor
        {
            return self;
        }
        let mut next = (*self).clone();
        match action {
            Action::Loaded(settings, session) => {
                next.settings = Some(settings);
                next.session = session;
                next.loaded = true;
            }
            Action::Settings(settings) => next.settings = Some(settings),
            Action::SignedIn(session) => {
                next = self.fresh();
                if let Some(notice) = &session.notice {
                    next.flash = Some(Flash {
                        id: 1,
                        text: notice.clone(),
                    });
                }
                next.session = Some(session);
            }
            Action::Registered(session) => {
                next = self.fresh();
                next.new_clinic_code = Some(session.clinic_code.clone());
                next.session = Some(session);
            }
            Action::CodeNoted => next.new_clinic_code = None,
            Action::ClinicSettings(now) => {
                if let Some(session) = next.session.as_mut() {
                    session.date_style = now.date_style;
                    session.idle_minutes = now.idle_minutes;
                }
            }
            // Only what belongs to the PC stays: its settings.
            Action::SignedOut => next = self.fresh(),
            Action::Removed(why) => {
                next = self.fresh();
                next.removed_notice = Some(why);
            }
            Action::Flash(text) => {
                let id = self.flash.as_ref().map_or(1, |f| f.id + 1);
                next.flash = Some(Flash { id, text });
            }
            Action::Synced(cursor) => next.synced = cursor,
            Action::ClearFlash(id) => {
                if self.flash.as_ref().is_some_and(|f| f.id == id) {
                    next.flash = None;
                }
            }
        }
        Rc::new(next)
    }
}

impl AppState {
    /// The PC's settings with nothing of any user's session: the next epoch.
    fn fresh(&self) -> AppState {
        AppState {
            settings: self.settings.clone(),
            loaded: self.loaded,
            epoch: self.epoch.wrapping_add(1),
            ..AppState::default()
        }
    }
}

pub type AppContext = UseReducerHandle<AppState>;

/// Ends the session (the button or the idle timer) and clears every screen.
/// Settings are read again first: the sign-in screen then offers the
/// clinic that was just used.
/// The shell said this PC was removed from the clinic (its data here is
/// already erased): back to sign-in, saying why.
pub async fn removed(app: &AppContext, why: String) {
    if let Ok(settings) = crate::api::settings().await {
        app.dispatch(Action::Settings(settings));
    }
    app.dispatch(Action::Removed(why));
}

pub async fn sign_out(app: &AppContext) {
    let _ = crate::api::sign_out().await;
    if let Ok(settings) = crate::api::settings().await {
        app.dispatch(Action::Settings(settings));
    }
    app.dispatch(Action::SignedOut);
}

#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("App provides the AppContext")
}
