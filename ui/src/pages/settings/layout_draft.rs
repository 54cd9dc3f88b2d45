//! The print layout editor's state and every change to it, as one reducer,
//! and the check that turns a draft (margins typed as text) into a layout
//! to save. Pure, so it is tested without a window.

use std::rc::Rc;

use contract::app::CommandError;
use contract::print::{ItemColumn, Margins, PatientField, Preset, PrintLayout};
use domain::ValidationError;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub struct LayoutDraft {
    pub layout: PrintLayout,
    /// Top, right, bottom, left as typed (millimetres).
    pub margins: [String; 4],
    pub error: Option<CommandError>,
    pub busy: bool,
}

#[derive(Debug, Clone)]
pub enum LayoutAction {
    Edit(fn(&mut PrintLayout, String), String),
    Flag(fn(&mut PrintLayout, bool), bool),
    /// A look chosen: its paper, margins and options; the scope stays, and
    /// a name the user gave stays too.
    Preset(Preset),
    Margin(usize, String),
    PatientField(PatientField, bool),
    Column(ItemColumn, bool),
    Invalid(CommandError),
    Sending,
    Refused(CommandError),
}

pub const MARGIN_FIELDS: [&str; 4] = ["margins.top", "margins.right", "margins.bottom", "margins.left"];

fn margin_text(m: &Margins) -> [String; 4] {
    [m.top, m.right, m.bottom, m.left].map(|v| v.to_string())
}

/// `list` with `value` switched on or off, in the canonical order.
fn toggled<T: Copy + PartialEq>(all: &[T], list: &[T], value: T, on: bool) -> Vec<T> {
    all.iter()
        .copied()
        .filter(|v| if *v == value { on } else { list.contains(v) })
        .collect()
}

impl LayoutDraft {
    pub fn new(layout: PrintLayout) -> Self {
        Self {
            margins: margin_text(&layout.margins),
            layout,
            error: None,
            busy: false,
        }
    }

    /// The layout to save, or every field that is wrong (margins first).
    pub fn checked(&self) -> Result<PrintLayout, Vec<ValidationError>> {
        let mut parsed = [0f32; 4];
        let mut fields = Vec::new();
        for (i, raw) in self.margins.iter().enumerate() {
            match raw.trim().parse::<f32>() {
                Ok(v) => parsed[i] = v,
                Err(_) => fields.push(ValidationError::new(
                    MARGIN_FIELDS[i],
                    "Enter millimetres, e.g. 15.",
                )),
            }
        }
        let mut candidate = self.layout.clone();
        candidate.margins = Margins {
            top: parsed[0],
            right: parsed[1],
            bottom: parsed[2],
            left: parsed[3],
        };
        match candidate.validate() {
            Ok(valid) if fields.is_empty() => Ok(valid),
            Ok(_) => Err(fields),
            Err(more) => {
                for m in more {
                    if !fields.iter().any(|f| f.field == m.field) {
                        fields.push(m);
                    }
                }
                Err(fields)
            }
        }
    }
}

impl Reducible for LayoutDraft {
    type Action = LayoutAction;

    fn reduce(self: Rc<Self>, action: LayoutAction) -> Rc<Self> {
        let mut next = (*self).clone();
        let options = &mut next.layout.options;
        match action {
            LayoutAction::Edit(apply, text) => apply(&mut next.layout, text),
            LayoutAction::Flag(apply, on) => apply(&mut next.layout, on),
            LayoutAction::Preset(preset) => {
                let base = PrintLayout::from_preset(preset);
                let named_by_user = !self.layout.name.trim().is_empty()
                    && !Preset::ALL
                        .iter()
                        .any(|p| PrintLayout::from_preset(*p).name == self.layout.name);
                next.margins = margin_text(&base.margins);
                next.layout = PrintLayout {
                    id: self.layout.id.clone(),
                    doctor_id: self.layout.doctor_id.clone(),
                    office_id: self.layout.office_id.clone(),
                    name: if named_by_user {
                        self.layout.name.clone()
                    } else {
                        base.name.clone()
                    },
                    ..base
                };
            }
            LayoutAction::Margin(i, text) => {
                if let Some(slot) = next.margins.get_mut(i) {
                    *slot = text;
                }
            }
            LayoutAction::PatientField(field, on) => {
                options.patient_fields = toggled(PatientField::ALL, &options.patient_fields, field, on);
            }
            LayoutAction::Column(column, on) => {
                options.columns = toggled(ItemColumn::ALL, &options.columns, column, on);
            }
            LayoutAction::Invalid(error) => next.error = Some(error),
            LayoutAction::Sending => next.busy = true,
            LayoutAction::Refused(error) => {
                next.busy = false;
                next.error = Some(error);
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
    fn a_look_resets_paper_and_margins_but_keeps_a_given_name_and_the_scope() {
        let mut start = PrintLayout::from_preset(Preset::Classic);
        start.doctor_id = Some("dr-1".into());
        let draft = replay(
            LayoutDraft::new(start),
            vec![
                LayoutAction::Edit(|l, v| l.name = v, "Dr Rao's pad".into()),
                LayoutAction::Margin(0, "40".into()),
                LayoutAction::Preset(Preset::Minimal),
            ],
        );
        let minimal = PrintLayout::from_preset(Preset::Minimal);
        assert_eq!(draft.layout.name, "Dr Rao's pad");
        assert_eq!(draft.layout.doctor_id.as_deref(), Some("dr-1"));
        assert_eq!(draft.margins, margin_text(&minimal.margins));
        assert_eq!(draft.layout.preset, Preset::Minimal);
    }

    #[test]
    fn margins_typed_as_text_are_checked_with_the_rest() {
        let draft = replay(
            LayoutDraft::new(PrintLayout::from_preset(Preset::Classic)),
            vec![LayoutAction::Margin(2, "wide".into())],
        );
        let fields: Vec<String> = draft
            .checked()
            .expect_err("not a number")
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, ["margins.bottom"]);
        let fixed = replay(draft, vec![LayoutAction::Margin(2, "12.5".into())]);
        assert_eq!(fixed.checked().map(|l| l.margins.bottom), Ok(12.5));
    }

    #[test]
    fn toggles_keep_the_canonical_order() {
        let draft = replay(
            LayoutDraft::new(PrintLayout::from_preset(Preset::Classic)),
            vec![LayoutAction::Column(ItemColumn::Medicine, true)],
        );
        let mut sorted = draft.layout.options.columns.clone();
        sorted.sort_by_key(|c| ItemColumn::ALL.iter().position(|x| x == c));
        assert_eq!(draft.layout.options.columns, sorted);
    }
}
