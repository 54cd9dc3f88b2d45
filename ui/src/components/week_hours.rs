//! A doctor's weekly hours: one line per weekday, typed as
//! "09:00-13:00, 14:00-18:00" (the gap is the break; empty is a day off).

use domain::doctor::WeeklyAvailability;
pub use domain::hours::WeekLines;
use domain::hours::{capitalised, week_lines};
use web_sys::HtmlInputElement;
use yew::prelude::*;

pub fn lines_of(week: &WeeklyAvailability) -> WeekLines {
    week_lines(|day| week.get(day).cloned().unwrap_or_default())
}

#[derive(Properties, PartialEq)]
pub struct WeekHoursProps {
    pub lines: WeekLines,
    pub on_change: Callback<WeekLines>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Starts every input's id: `hours-monday`, or `hours-east-monday`
    /// for one of several offices.
    #[prop_or(AttrValue::Static("hours"))]
    pub prefix: AttrValue,
    #[prop_or(AttrValue::Static("Weekly hours"))]
    pub title: AttrValue,
}

#[function_component(WeekHours)]
pub fn week_hours(p: &WeekHoursProps) -> Html {
    html! {
        <fieldset class="field week-hours" data-testid={format!("week-{}", p.prefix)}>
            <legend class="label">{ &p.title }</legend>
            <p class="hint">{ "Periods such as 09:00-13:00, 14:00-18:00; leave a day empty when they do not work." }</p>
            { for p.lines.iter().enumerate().map(|(i, (day, text))| {
                let (lines, on_change) = (p.lines.clone(), p.on_change.clone());
                let oninput = Callback::from(move |e: InputEvent| {
                    let mut lines = lines.clone();
                    lines[i].1 = e.target_unchecked_into::<HtmlInputElement>().value();
                    on_change.emit(lines);
                });
                let id = format!("{}-{day}", p.prefix);
                html! {
                    <div class="week-day">
                        <label for={id.clone()}>{ capitalised(day) }</label>
                        <input id={id.clone()} data-testid={id} value={text.clone()} {oninput}
                            placeholder="Day off" aria-invalid={p.error.is_some().to_string()} />
                    </div>
                }
            }) }
            if let Some(error) = &p.error { <p class="error" role="alert" data-testid={format!("{}-error", p.prefix)}>{ error }</p> }
        </fieldset>
    }
}
