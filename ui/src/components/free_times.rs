//! The doctor's free times of a day as buttons; a click picks one.

use contract::screens::appointments::FreeTimes;
use yew::prelude::*;

use crate::hooks::Load;

/// `None` in `slots`: not enough chosen yet to ask (doctor, full date).
pub fn slot_buttons(slots: &Load<Option<FreeTimes>>, chosen: &str, pick: Callback<String>) -> Html {
    html! {
        <div class="field">
            <span class="label">{ "Free times" }</span>
            { match slots {
                Load::Loading => html! { <div class="slots"><span class="skeleton chip-skeleton" /><span class="skeleton chip-skeleton" /></div> },
                Load::Failed(e) => html! { <p class="hint warn">{ format!("Free times could not be read: {}", crate::components::field::describe(e)) }</p> },
                Load::Ready(None) => html! {
                    <p class="hint">{ "Choose the doctor and the date to see their free times." }</p>
                },
                Load::Ready(Some(FreeTimes { off: Some(off), .. })) => html! {
                    <p class="hint warn" data-testid="appt-doctor-off">{ format!("{off} Choose another day.") }</p>
                },
                Load::Ready(Some(FreeTimes { times, .. })) if times.is_empty() => html! {
                    <p class="hint" data-testid="appt-no-slots">{ "No free time on this day for this doctor (or they do not work that day). You can still type a time." }</p>
                },
                Load::Ready(Some(FreeTimes { times, .. })) => html! {
                    <div class="slots" role="group" aria-label="Free times">
                        { for times.iter().map(|t| {
                            let time = t.clone();
                            html! {
                                <button type="button" data-testid="appt-slot" aria-pressed={(t == chosen).to_string()}
                                    class={classes!("slot", (t == chosen).then_some("chosen"))}
                                    onclick={pick.reform(move |_| time.clone())}>{ t }</button>
                            }
                        }) }
                    </div>
                },
            } }
        </div>
    }
}
