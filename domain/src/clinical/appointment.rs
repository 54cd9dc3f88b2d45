//! Appointments: the status machine, clash detection, free slots.

use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::doctor::TimeSlot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Scheduled,
    Confirmed,
    InProgress,
    Completed,
    Cancelled,
    NoShow,
    Rescheduled,
}

impl AppointmentStatus {
    pub const ALL: [Self; 7] = [
        Self::Scheduled,
        Self::Confirmed,
        Self::InProgress,
        Self::Completed,
        Self::Cancelled,
        Self::NoShow,
        Self::Rescheduled,
    ];

    /// The stored and synced name (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Confirmed => "confirmed",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
            Self::Rescheduled => "rescheduled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [AppointmentStatus] {
        use AppointmentStatus::*;
        match self {
            // Rescheduled: moved to another slot, where a new appointment
            // (pointing back at this one) carries on.
            Scheduled => &[Confirmed, InProgress, Cancelled, NoShow, Rescheduled],
            Confirmed => &[InProgress, Cancelled, NoShow, Rescheduled],
            InProgress => &[Completed, Cancelled],
            Rescheduled => &[Scheduled, Confirmed, Cancelled],
            Completed | Cancelled | NoShow => &[],
        }
    }

    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// Whether the appointment still holds the doctor's time.
    pub fn occupies_slot(self) -> bool {
        !matches!(self, Self::Cancelled | Self::NoShow | Self::Rescheduled)
    }

    pub fn transition(self, to: AppointmentStatus) -> Result<AppointmentStatus, ValidationError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(ValidationError::new(
                "status",
                format!("an appointment that is {self:?} cannot become {to:?}").to_lowercase(),
            ))
        }
    }
}

/// Appointment length: 10 minutes to 8 hours.
pub const DURATION_MINUTES: std::ops::RangeInclusive<u32> = 10..=480;

/// A booked interval of one doctor on one day, in minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub start: u32,
    pub minutes: u32,
}

impl Booking {
    pub fn new(time: NaiveTime, minutes: u32) -> Self {
        Self {
            start: time.hour() * 60 + time.minute(),
            minutes,
        }
    }

    fn end(self) -> u32 {
        self.start + self.minutes
    }

    pub fn overlaps(self, other: Booking) -> bool {
        self.start < other.end() && other.start < self.end()
    }
}

/// Checks a new booking: duration in range, not in the past, no clash with
/// the doctor's other live bookings that day.
pub fn check_booking(
    date: NaiveDate,
    booking: Booking,
    today: NaiveDate,
    taken: &[Booking],
) -> Result<(), ValidationError> {
    if !DURATION_MINUTES.contains(&booking.minutes) {
        return Err(ValidationError::new(
            "duration_minutes",
            "must be between 10 and 480 minutes",
        ));
    }
    if date < today {
        return Err(ValidationError::new("appointment_date", "cannot be in the past"));
    }
    if booking.end() > 24 * 60 {
        return Err(ValidationError::new(
            "appointment_time",
            "must end on the same day",
        ));
    }
    if taken.iter().any(|b| b.overlaps(booking)) {
        return Err(ValidationError::new(
            "appointment_time",
            "the doctor already has an appointment then",
        ));
    }
    Ok(())
}

/// Free slots of `length` minutes inside the doctor's working periods,
/// stepping by `length`, skipping those that clash with `taken`.
pub fn free_slots(periods: &[TimeSlot], taken: &[Booking], length: u32) -> Vec<NaiveTime> {
    let mut free = Vec::new();
    if length == 0 {
        return free;
    }
    for period in periods {
        let (start, end) = (
            Booking::new(period.start, 0).start,
            Booking::new(period.end, 0).start,
        );
        let mut at = start;
        while at + length <= end {
            let candidate = Booking {
                start: at,
                minutes: length,
            };
            if !taken.iter().any(|b| b.overlaps(candidate))
                && let Some(time) = NaiveTime::from_hms_opt(at / 60, at % 60, 0)
            {
                free.push(time);
            }
            at += length;
        }
    }
    free
}

#[cfg(test)]
mod tests {
    use super::AppointmentStatus::*;
    use super::*;

    #[test]
    fn names_are_the_serde_names() {
        for s in AppointmentStatus::ALL {
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(s.as_str()))
            );
            assert_eq!(AppointmentStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AppointmentStatus::parse("Scheduled"), None);
    }

    #[test]
    fn every_transition_of_the_table() {
        let legal = [
            (Scheduled, Confirmed),
            (Scheduled, InProgress),
            (Scheduled, Cancelled),
            (Scheduled, NoShow),
            (Scheduled, Rescheduled),
            (Confirmed, InProgress),
            (Confirmed, Cancelled),
            (Confirmed, NoShow),
            (Confirmed, Rescheduled),
            (InProgress, Completed),
            (InProgress, Cancelled),
            (Rescheduled, Scheduled),
            (Rescheduled, Confirmed),
            (Rescheduled, Cancelled),
        ];
        for from in AppointmentStatus::ALL {
            for to in AppointmentStatus::ALL {
                assert_eq!(
                    from.transition(to).is_ok(),
                    legal.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        assert!(Completed.is_final() && Cancelled.is_final() && NoShow.is_final());
        assert!(!Rescheduled.occupies_slot() && Confirmed.occupies_slot());
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap_or_default()
    }

    #[test]
    fn bookings_clash_only_when_they_overlap() {
        let taken = [Booking::new(t(10, 0), 30)];
        assert!(
            check_booking(d(2), Booking::new(t(10, 30), 30), d(1), &taken).is_ok(),
            "back to back"
        );
        assert!(check_booking(d(2), Booking::new(t(9, 45), 30), d(1), &taken).is_err());
        assert!(check_booking(d(2), Booking::new(t(10, 10), 10), d(1), &taken).is_err());
        assert!(
            check_booking(d(1), Booking::new(t(12, 0), 5), d(1), &[]).is_err(),
            "too short"
        );
        assert!(
            check_booking(d(1), Booking::new(t(12, 0), 30), d(2), &[]).is_err(),
            "in the past"
        );
        assert!(
            check_booking(d(2), Booking::new(t(23, 50), 30), d(1), &[]).is_err(),
            "past midnight"
        );
    }

    #[test]
    fn free_slots_fill_the_working_periods() {
        let periods = [
            TimeSlot {
                start: t(9, 0),
                end: t(11, 0),
                office_id: None,
            },
            TimeSlot {
                start: t(14, 0),
                end: t(15, 0),
                office_id: None,
            },
        ];
        let taken = [Booking::new(t(9, 30), 30), Booking::new(t(14, 15), 10)];
        let free = free_slots(&periods, &taken, 30);
        assert_eq!(free, vec![t(9, 0), t(10, 0), t(10, 30), t(14, 30)]);
        assert!(free_slots(&periods, &[], 0).is_empty());
    }
}
