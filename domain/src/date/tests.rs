use super::*;

use DateStyle::{DayMonthYear as Dmy, MonthDayYear as Mdy, YearMonthDay as Ymd};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

fn at(date: NaiveDate, h: u32, min: u32, s: u32) -> NaiveDateTime {
    date.and_hms_opt(h, min, s).expect("a real time")
}

#[test]
fn style_follows_the_clinic_country() {
    assert_eq!(DateStyle::for_calling_code(Some("91")), Dmy);
    assert_eq!(DateStyle::for_calling_code(Some("+44")), Dmy);
    assert_eq!(DateStyle::for_calling_code(Some("1")), Mdy);
    assert_eq!(DateStyle::for_calling_code(Some(" +1 ")), Mdy);
    for code in ["86", "81", "82", "46"] {
        assert_eq!(DateStyle::for_calling_code(Some(code)), Ymd, "{code}");
    }
    assert_eq!(DateStyle::for_calling_code(None), Dmy, "not set: day first");
    assert_eq!(DateStyle::for_calling_code(Some("")), Dmy);
    assert_eq!(DateStyle::default(), Dmy);
}

#[test]
fn style_is_snake_case_on_the_wire() {
    assert_eq!(
        serde_json::to_value(Mdy).expect("serialises"),
        serde_json::json!("month_day_year")
    );
    let back: DateStyle = serde_json::from_str("\"day_month_year\"").expect("reads");
    assert_eq!(back, Dmy);
}

#[test]
fn short_long_and_heading_forms() {
    let d = day(2026, 12, 1);
    assert_eq!(format_short(d, Dmy), "01/12/2026");
    assert_eq!(format_short(d, Mdy), "12/01/2026");
    assert_eq!(format_short(d, Ymd), "2026-12-01");
    assert_eq!(format_long(d, Dmy), "1 Dec 2026");
    assert_eq!(format_long(d, Mdy), "Dec 1, 2026");
    assert_eq!(format_long(d, Ymd), "2026-12-01");
    assert_eq!(format_day_heading(d, Dmy), "Tuesday 1 December 2026");
    assert_eq!(format_day_heading(d, Mdy), "Tuesday, December 1, 2026");
    assert_eq!(format_day_heading(d, Ymd), "2026-12-01 Tuesday");
    assert_eq!(iso(d), "2026-12-01");
}

#[test]
fn date_times_to_the_minute_and_exactly() {
    let t = at(day(2026, 12, 1), 15, 56, 7);
    assert_eq!(format_date_time(t, Dmy), "1 Dec 2026, 15:56");
    assert_eq!(format_date_time(t, Mdy), "Dec 1, 2026, 3:56 PM");
    assert_eq!(format_exact(t, Dmy), "1 Dec 2026, 15:56:07");
    assert_eq!(format_exact(t, Mdy), "Dec 1, 2026, 3:56:07 PM");
    assert_eq!(format_exact(t, Ymd), "2026-12-01, 15:56:07");
}

#[test]
fn stored_dates_are_reformatted_and_anything_else_kept() {
    assert_eq!(reformat("2026-12-01", Dmy, format_short), "01/12/2026");
    assert_eq!(reformat("2026-12-01", Mdy, format_long), "Dec 1, 2026");
    assert_eq!(reformat("", Dmy, format_short), "");
    assert_eq!(reformat("soon", Dmy, format_short), "soon");
    assert_eq!(parse_iso(" 2026-12-01 "), Some(day(2026, 12, 1)));
    assert_eq!(parse_iso("01/12/2026"), None);
}

#[test]
fn the_same_digits_mean_what_the_clinic_means() {
    assert_eq!(parse_date("01/12/2026", Dmy), Ok(day(2026, 12, 1)));
    assert_eq!(parse_date("01/12/2026", Mdy), Ok(day(2026, 1, 12)));
    assert_eq!(parse_date("01/12/2026", Ymd), Err(DateError::Unreadable));
}

#[test]
fn short_forms_with_any_separator_and_short_parts() {
    for text in [
        "1/12/2026",
        "01-12-2026",
        "1.12.2026",
        "01/12/2026",
        " 1/12/2026 ",
    ] {
        assert_eq!(parse_date(text, Dmy), Ok(day(2026, 12, 1)), "{text}");
    }
    for text in ["12/1/2026", "12-01-2026", "12.1.2026"] {
        assert_eq!(parse_date(text, Mdy), Ok(day(2026, 12, 1)), "{text}");
    }
    assert_eq!(parse_date("2026/12/1", Ymd), Ok(day(2026, 12, 1)));
    assert_eq!(parse_date("2026.12.01", Ymd), Ok(day(2026, 12, 1)));
}

#[test]
fn iso_is_read_in_every_style() {
    for style in [Dmy, Mdy, Ymd] {
        assert_eq!(parse_date("2026-12-01", style), Ok(day(2026, 12, 1)), "{style:?}");
        assert_eq!(parse_date("1990-04-21", style), Ok(day(1990, 4, 21)), "{style:?}");
    }
}

#[test]
fn words_with_month_names_in_any_case() {
    let dec1 = day(2026, 12, 1);
    for text in [
        "1 Dec 2026",
        "1 dec 2026",
        "01 DECEMBER 2026",
        "1-Dec-2026",
        "Dec 1, 2026",
        "December 1, 2026",
        "december 1st 2026",
        "Tuesday 1 December 2026",
        "Tuesday, December 1, 2026",
        "tue 1 dec 2026",
    ] {
        for style in [Dmy, Mdy, Ymd] {
            assert_eq!(parse_date(text, style), Ok(dec1), "{text} ({style:?})");
        }
    }
    assert_eq!(parse_date("25 Sept 1990", Dmy), Ok(day(1990, 9, 25)));
    assert_eq!(parse_date("1 May 2026", Dmy), Ok(day(2026, 5, 1)));
}

#[test]
fn what_is_not_a_date_is_refused() {
    assert_eq!(parse_date("", Dmy), Err(DateError::Empty));
    assert_eq!(parse_date("   ", Mdy), Err(DateError::Empty));
    assert_eq!(parse_date("31/02/2026", Dmy), Err(DateError::NoSuchDay));
    assert_eq!(parse_date("02/31/2026", Mdy), Err(DateError::NoSuchDay));
    assert_eq!(parse_date("13/13/2026", Dmy), Err(DateError::NoSuchDay));
    assert_eq!(parse_date("13/13/2026", Mdy), Err(DateError::NoSuchDay));
    assert_eq!(parse_date("2026-02-30", Dmy), Err(DateError::NoSuchDay));
    assert_eq!(parse_date("31 Feb 2026", Dmy), Err(DateError::NoSuchDay));
    assert_eq!(parse_date("00/12/2026", Dmy), Err(DateError::NoSuchDay));
    assert_eq!(
        parse_date("Monday 1 December 2026", Dmy),
        Err(DateError::WrongWeekday)
    );
    for garbage in [
        "tomorrow",
        "abc",
        "1/12",
        "1/12/26",
        "001/12/2026",
        "1//12/2026",
        "/1/12/2026",
        "1/12/2026/5",
        "1 Foo 2026",
        "Dec Jan 2026",
        "1 2 Dec 2026",
        "1 Dec",
        "2026-12-01T10:00",
        "१/१२/२०२६",
    ] {
        assert_eq!(parse_date(garbage, Dmy), Err(DateError::Unreadable), "{garbage}");
    }
}

#[test]
fn what_a_field_asks_for() {
    assert_eq!(placeholder(Dmy), "DD/MM/YYYY");
    assert_eq!(placeholder(Mdy), "MM/DD/YYYY");
    assert_eq!(placeholder(Ymd), "YYYY-MM-DD");
    assert_eq!(example(Dmy), "25/04/1990");
    assert_eq!(example(Mdy), "04/25/1990");
    assert_eq!(entry_message(Dmy), "Enter a date like 25/04/1990.");
    // The example reads back as the date it shows.
    for style in [Dmy, Mdy, Ymd] {
        assert_eq!(parse_date(&example(style), style), Ok(day(1990, 4, 25)));
    }
}

#[test]
fn how_long_ago_in_words() {
    let now = at(day(2026, 12, 1), 15, 56, 7);
    let ago = |secs: i64| relative_time(now, now - chrono::Duration::seconds(secs), Dmy);
    assert_eq!(ago(0), "just now");
    assert_eq!(ago(59), "just now");
    assert_eq!(ago(-30), "just now", "a clock a little behind");
    assert_eq!(ago(60), "1 minute ago");
    assert_eq!(ago(125), "2 minutes ago");
    assert_eq!(ago(3 * 3600 + 10), "3 hours ago");
    assert_eq!(ago(3600), "1 hour ago");
    let late = at(day(2026, 11, 30), 23, 0, 0);
    assert_eq!(
        relative_time(at(day(2026, 12, 1), 1, 0, 0), late, Dmy),
        "2 hours ago"
    );
    let yesterday = at(day(2026, 11, 30), 9, 0, 0);
    assert_eq!(relative_time(now, yesterday, Dmy), "yesterday");
    let older = at(day(2026, 11, 20), 9, 0, 0);
    assert_eq!(relative_time(now, older, Dmy), "20/11/2026");
    assert_eq!(relative_time(now, older, Mdy), "11/20/2026");
    let ahead = at(day(2026, 12, 1), 16, 30, 0);
    assert_eq!(relative_time(now, ahead, Dmy), "1 Dec 2026, 16:30");
}
