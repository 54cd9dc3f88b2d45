//! The day page's state and every change to it, as one reducer: the day
//! shown, the day field's text, the doctor and office filters, and whether
//! the booking form is open (and for which patient). Pure, so it is tested
//! without a window; `today` is passed in rather than read.

use std::rc::Rc;

use chrono::{Days, NaiveDate};
use yew::Reducible;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayPage {
    /// The day shown (ISO); moves only to days that read as dates.
    pub date: String,
    /// The day field's text as the form sees it (ISO once it reads).
    pub day_input: String,
    pub doctor: String,
    pub office: String,
    pub booking: bool,
    pub book_patient: Option<String>,
}

#[derive(Debug, Clone)]
pub enum DayAction {
    /// The day field typed: a readable date moves the page, other text
    /// stays in the field.
    Typed(String),
    /// One day forward (`true`) or back from the day shown.
    Shift(bool),
    Go(NaiveDate),
    /// A doctor filter clears the office filter (offices are per doctor).
    Doctor(String),
    Office(String),
    OpenBooking,
    CancelBooking,
    /// Booked: the form closes and the page moves to the booked day.
    Booked(String),
}

impl DayPage {
    pub fn new(date: String, booking: bool, book_patient: Option<String>) -> Self {
        Self {
            day_input: date.clone(),
            date,
            booking,
            book_patient,
            ..Self::default()
        }
    }

    /// The day a new booking starts on: the day shown, never a past one.
    pub fn book_date(&self, today: NaiveDate) -> String {
        let today = today.to_string();
        if self.date < today {
            today
        } else {
            self.date.clone()
        }
    }

    fn show(&mut self, day: String) {
        self.day_input.clone_from(&day);
        self.date = day;
    }
}

impl Reducible for DayPage {
    type Action = DayAction;

    fn reduce(self: Rc<Self>, action: DayAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            DayAction::Typed(text) => {
                // The page keeps the canonical day (chrono also reads
                // "2030-3-1"); the field keeps what was typed.
                if let Some(day) = domain::date::parse_iso(&text) {
                    next.date = day.to_string();
                }
                next.day_input = text;
            }
            DayAction::Shift(forward) => {
                if let Some(day) = domain::date::parse_iso(&next.date) {
                    let moved = if forward {
                        day.checked_add_days(Days::new(1))
                    } else {
                        day.checked_sub_days(Days::new(1))
                    };
                    next.show(moved.unwrap_or(day).to_string());
                }
            }
            DayAction::Go(day) => next.show(day.to_string()),
            DayAction::Doctor(id) => {
                next.doctor = id;
                next.office.clear();
            }
            DayAction::Office(id) => next.office = id,
            DayAction::OpenBooking => next.booking = true,
            DayAction::CancelBooking => next.booking = false,
            DayAction::Booked(day) => {
                next.booking = false;
                next.book_patient = None;
                next.show(day);
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
    fn half_typed_days_stay_in_the_field_and_whole_ones_move_the_page() {
        let state = replay(
            DayPage::new("2030-03-01".into(), false, None),
            vec![DayAction::Typed("2030-03-1".into())],
        );
        assert_eq!(
            (state.date.as_str(), state.day_input.as_str()),
            ("2030-03-01", "2030-03-1")
        );
        let state = replay(
            state,
            vec![DayAction::Typed("2030-03-10".into()), DayAction::Shift(false)],
        );
        assert_eq!(
            (state.date.as_str(), state.day_input.as_str()),
            ("2030-03-09", "2030-03-09")
        );
        let state = replay(state, vec![DayAction::Shift(true), DayAction::Shift(true)]);
        assert_eq!(state.date, "2030-03-11");
    }

    #[test]
    fn a_booking_closes_the_form_and_shows_its_day_never_booking_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2030, 3, 5).expect("a date");
        let state = DayPage::new("2030-03-01".into(), true, Some("p1".into()));
        assert_eq!(state.book_date(today), "2030-03-05");
        let state = replay(
            state,
            vec![
                DayAction::Doctor("d1".into()),
                DayAction::Office("north".into()),
                DayAction::Doctor("d2".into()),
                DayAction::Booked("2030-03-07".into()),
            ],
        );
        assert_eq!((state.doctor.as_str(), state.office.as_str()), ("d2", ""));
        assert!(!state.booking && state.book_patient.is_none());
        assert_eq!(state.book_date(today), "2030-03-07");
    }
}
