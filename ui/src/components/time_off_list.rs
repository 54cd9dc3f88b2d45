//! A doctor's days off and leave as a short list of date ranges with a
//! reason: booking offers no free time then and the PC books nothing.
//! Dates are typed in the clinic's style; the server refuses new leave
//! over appointments already booked, shown under the list.

use domain::ValidationError;
use domain::time_off::TimeOff;
use yew::prelude::*;

use crate::components::date_field::{DateField, local_now};
use crate::components::field::Field;

/// One stretch as typed: ISO dates (or the unreadable text) and a reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeOffDraft {
    pub from: String,
    pub to: String,
    pub reason: String,
}

impl TimeOffDraft {
    pub fn of(list: &[TimeOff]) -> Vec<Self> {
        list.iter()
            .map(|t| Self {
                from: domain::date::iso(t.from),
                to: domain::date::iso(t.to),
                reason: t.reason.clone().unwrap_or_default(),
            })
            .collect()
    }
}

/// The list to send, or what is wrong with it (under `time_off`). An
/// empty "to" means the single day "from".
pub fn parse(drafts: &[TimeOffDraft]) -> Result<Vec<TimeOff>, ValidationError> {
    let date = |raw: &str, which: &str, row: usize| {
        domain::date::parse_iso(raw).ok_or_else(|| {
            ValidationError::new(
                "time_off",
                format!("Row {}: enter the {which} day as a date", row + 1),
            )
        })
    };
    let list = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let from = date(&d.from, "first", i)?;
            let to = if d.to.trim().is_empty() {
                from
            } else {
                date(&d.to, "last", i)?
            };
            let reason = (!d.reason.trim().is_empty()).then(|| d.reason.trim().to_owned());
            Ok(TimeOff { from, to, reason })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    domain::time_off::validate(list)
}

#[derive(Properties, PartialEq)]
pub struct TimeOffListProps {
    pub rows: Vec<TimeOffDraft>,
    pub on_change: Callback<Vec<TimeOffDraft>>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(TimeOffList)]
pub fn time_off_list(p: &TimeOffListProps) -> Html {
    let edit = |i: usize, apply: fn(&mut TimeOffDraft, String)| {
        let (rows, change) = (p.rows.clone(), p.on_change.clone());
        Callback::from(move |value: String| {
            let mut next = rows.clone();
            apply(&mut next[i], value);
            change.emit(next);
        })
    };
    let remove = |i: usize| {
        let (rows, change) = (p.rows.clone(), p.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = rows.clone();
            next.remove(i);
            change.emit(next);
        })
    };
    let add = {
        let (rows, change) = (p.rows.clone(), p.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let today = domain::date::iso(local_now().date());
            let mut next = rows.clone();
            next.push(TimeOffDraft {
                from: today.clone(),
                to: today,
                reason: String::new(),
            });
            change.emit(next);
        })
    };
    html! {
        <fieldset class="time-off" data-testid="profile-time-off">
            <legend>{ "Days off and leave" }</legend>
            if p.rows.is_empty() {
                <p class="muted">{ "None planned. Booking offers free times on every working day." }</p>
            }
            { for p.rows.iter().enumerate().map(|(i, row)| html! {
                <div class="time-off-row">
                    <DateField id={format!("profile-off-from-{i}")} label="First day" value={row.from.clone()}
                        on_input={edit(i, |r, v| r.from = v)} />
                    <DateField id={format!("profile-off-to-{i}")} label="Last day" value={row.to.clone()}
                        on_input={edit(i, |r, v| r.to = v)} />
                    <Field id={format!("profile-off-reason-{i}")} label="Reason" value={row.reason.clone()}
                        placeholder="e.g. Conference" on_input={edit(i, |r, v| r.reason = v)} />
                    <button type="button" class="small quiet" data-testid={format!("profile-off-remove-{i}")}
                        onclick={remove(i)}>{ "Remove" }</button>
                </div>
            }) }
            <button type="button" class="small" data-testid="profile-off-add" onclick={add}>{ "Add days off" }</button>
            if let Some(error) = &p.error {
                <p class="error" role="alert" data-testid="profile-time-off-error">{ error }</p>
            }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(from: &str, to: &str, reason: &str) -> TimeOffDraft {
        TimeOffDraft {
            from: from.into(),
            to: to.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn typed_rows_become_the_list_and_a_blank_last_day_is_one_day() {
        let list = parse(&[
            row("2026-12-24", "2026-12-26", " Christmas "),
            row("2026-12-03", "", ""),
        ])
        .expect("valid");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].to, list[0].from, "3 Dec alone");
        assert_eq!(list[1].reason.as_deref(), Some("Christmas"));
        assert_eq!(
            TimeOffDraft::of(&list)[1],
            row("2026-12-24", "2026-12-26", "Christmas")
        );
    }

    #[test]
    fn an_unreadable_or_backwards_row_is_named() {
        let unreadable = parse(&[row("2026-12-01", "", ""), row("soon", "", "")]).expect_err("bad");
        assert!(unreadable.message.starts_with("Row 2"), "{}", unreadable.message);
        assert_eq!(unreadable.field, "time_off");
        assert!(parse(&[row("2026-12-05", "2026-12-04", "")]).is_err());
    }
}
