//! Right after registering, the new clinic's code, shown big once: the
//! owner and every colleague sign in with it.

use yew::prelude::*;

use crate::state::{Action, use_app};

#[function_component(NewClinicCode)]
pub fn new_clinic_code() -> Html {
    let app = use_app();
    let Some(code) = app.new_clinic_code.clone() else {
        return html! {};
    };
    let copied = use_state(|| false);
    let copy = {
        let (code, copied) = (code.clone(), copied.clone());
        Callback::from(move |_| {
            if crate::components::clipboard::copy_text(&code) {
                copied.set(true);
            }
        })
    };
    let done = Callback::from(move |_| app.dispatch(Action::CodeNoted));
    html! {
        <section class="card notice clinic-code" role="status" data-testid="new-clinic-code">
            <h2>{ "Your clinic is registered" }</h2>
            <p>{ "Your clinic code is" }</p>
            <p class="big-code"><code data-testid="new-clinic-code-value">{ &code }</code></p>
            <p>{ "You and your staff sign in with it. We have also sent it to your e-mail address." }</p>
            <div class="actions">
                <button class="secondary" onclick={copy}>{ if *copied { "Copied" } else { "Copy code" } }</button>
                <button class="primary" data-testid="new-clinic-code-done" onclick={done}>{ "I have noted it" }</button>
            </div>
        </section>
    }
}
