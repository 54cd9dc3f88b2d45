//! The state of a saved prescription's action bar, as one reducer: the
//! print preview (closed, loading, shown or failed), the action under way
//! and its error, the status change waiting for its confirm, the PDF just
//! exported and a print waiting for its preview. Pure, so it is tested
//! without a window.

use std::rc::Rc;

use contract::print::PageDoc;
use contract::screens::ExportedFile;
use domain::clinical::prescription::PrescriptionStatus;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Doc {
    #[default]
    Closed,
    Loading,
    Ready(PageDoc),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bar {
    pub doc: Doc,
    /// Counts preview requests: the page loads one whenever it grows.
    pub preview_request: u32,
    pub busy: bool,
    pub error: Option<String>,
    /// A status change that waits for "are you sure".
    pub asking: Option<PrescriptionStatus>,
    pub exported: Option<ExportedFile>,
    /// Print as soon as the preview is on the page.
    pub print_pending: bool,
}

#[derive(Debug, Clone)]
pub enum BarAction {
    TogglePreview,
    RetryPreview,
    /// The preview's answer; ignored when the preview was closed meanwhile.
    PreviewLoaded(Result<PageDoc, String>),
    Ask(PrescriptionStatus),
    CancelAsk,
    Working,
    Failed(String),
    /// An action done that needs nothing more here (amend moves away).
    Done,
    /// Recorded as printed: print once the preview shows.
    Printed,
    /// The print dialog was opened.
    PrintShown,
    Exported(ExportedFile),
    /// The status changed: the preview shows the old state, so it closes.
    StatusChanged,
}

impl Bar {
    pub fn preview_open(&self) -> bool {
        !matches!(self.doc, Doc::Closed)
    }

    pub fn ready_to_print(&self) -> bool {
        self.print_pending && matches!(self.doc, Doc::Ready(_))
    }

    fn load_preview(&mut self) {
        self.doc = Doc::Loading;
        self.preview_request += 1;
    }

    fn finish(&mut self) {
        self.busy = false;
        self.error = None;
    }
}

impl Reducible for Bar {
    type Action = BarAction;

    fn reduce(self: Rc<Self>, action: BarAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BarAction::TogglePreview => match next.doc {
                Doc::Closed | Doc::Failed(_) => next.load_preview(),
                Doc::Loading | Doc::Ready(_) => next.doc = Doc::Closed,
            },
            BarAction::RetryPreview => next.load_preview(),
            BarAction::PreviewLoaded(answer) => {
                if next.doc == Doc::Loading {
                    next.doc = answer.map_or_else(Doc::Failed, Doc::Ready);
                }
            }
            BarAction::Ask(to) => next.asking = Some(to),
            BarAction::CancelAsk => next.asking = None,
            BarAction::Working => next.busy = true,
            BarAction::Failed(message) => {
                next.busy = false;
                next.error = Some(message);
            }
            BarAction::Done => next.finish(),
            BarAction::Printed => {
                next.finish();
                next.print_pending = true;
                if !matches!(next.doc, Doc::Ready(_)) {
                    next.load_preview();
                }
            }
            BarAction::PrintShown => next.print_pending = false,
            BarAction::Exported(file) => {
                next.finish();
                next.exported = Some(file);
            }
            BarAction::StatusChanged => {
                next.finish();
                next.asking = None;
                next.doc = Doc::Closed;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hooks::replay;

    #[test]
    fn printing_without_a_preview_loads_one_and_prints_when_it_shows() {
        let state = replay(Bar::default(), vec![BarAction::Working, BarAction::Printed]);
        assert_eq!((state.doc.clone(), state.preview_request), (Doc::Loading, 1));
        assert!(!state.ready_to_print() && !state.busy);
        let state = replay(
            state,
            vec![BarAction::PreviewLoaded(Ok(PageDoc { pages: Vec::new() }))],
        );
        assert!(state.ready_to_print());
        let state = replay(state, vec![BarAction::PrintShown]);
        assert!(!state.ready_to_print());
    }

    #[test]
    fn a_late_preview_after_closing_is_dropped() {
        let state = replay(
            Bar::default(),
            vec![
                BarAction::TogglePreview,
                BarAction::TogglePreview,
                BarAction::PreviewLoaded(Err("gone".into())),
            ],
        );
        assert_eq!(state.doc, Doc::Closed);
        assert!(!state.preview_open());
    }

    #[test]
    fn a_failed_status_change_keeps_the_confirm_open_with_its_reason() {
        let state = replay(
            Bar::default(),
            vec![
                BarAction::Ask(PrescriptionStatus::Cancelled),
                BarAction::Working,
                BarAction::Failed("The server refused.".into()),
            ],
        );
        assert_eq!(state.asking, Some(PrescriptionStatus::Cancelled));
        assert_eq!(state.error.as_deref(), Some("The server refused."));
        let state = replay(
            state,
            vec![
                BarAction::TogglePreview,
                BarAction::Working,
                BarAction::StatusChanged,
            ],
        );
        assert_eq!((state.asking, state.doc, state.error), (None, Doc::Closed, None));
    }
}
