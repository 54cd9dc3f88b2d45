//! The admin's "PCs" list: every PC of the clinic with its name, when it
//! was last seen, its app version, how far behind it is, the changes it
//! has not sent and who signed in on it last; removing one asks first and
//! says what happens, including how many unsent changes will be lost.

use domain::api::DeviceView;
use yew::prelude::*;

use crate::api;
use crate::components::confirm::Confirm;
use crate::components::date_field::MomentText;
use crate::components::field::describe;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::{Load, use_load};
use crate::state::{Action, use_app};

fn pc_name(pc: &DeviceView) -> String {
    pc.name.clone().unwrap_or_else(|| {
        let id = pc.id.to_string();
        format!("PC {}", &id[id.len().saturating_sub(6)..])
    })
}

/// What the confirm says: the PC is signed out at once, its copy of the
/// clinic is erased, and what it had not sent is lost.
fn removal_message(pc: &DeviceView) -> String {
    let unsent = match pc.pending_changes {
        Some(0) => "It reported no unsent changes.".to_owned(),
        Some(1) => "It last reported 1 change not yet sent: that change will be lost.".to_owned(),
        Some(n) => format!("It last reported {n} changes not yet sent: they will be lost."),
        None => "It has not reported whether it has unsent changes: any it has will be lost.".to_owned(),
    };
    format!(
        "{} is signed out at once and can no longer sign in or sync. The next time it connects it erases \
         its copy of the clinic's data. {unsent}",
        pc_name(pc)
    )
}

fn behind(pc: &DeviceView) -> String {
    match pc.clinic_seq - pc.last_pulled_seq {
        n if n <= 0 => "Up to date".to_owned(),
        1 => "1 change behind".to_owned(),
        n => format!("{n} changes behind"),
    }
}

#[function_component(ClinicPcs)]
pub fn clinic_pcs() -> Html {
    let app = use_app();
    let (pcs, reload) = use_load((), |_| api::devices());
    let asking = use_state(|| None::<DeviceView>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let remove = {
        let (asking, busy, error, reload, app) = (
            asking.clone(),
            busy.clone(),
            error.clone(),
            reload.clone(),
            app.clone(),
        );
        Callback::from(move |_: Option<String>| {
            let Some(pc) = (*asking).clone() else { return };
            let (asking, busy, error, reload, app) = (
                asking.clone(),
                busy.clone(),
                error.clone(),
                reload.clone(),
                app.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::revoke_device(&pc.id.to_string()).await {
                    Ok(_) => {
                        app.dispatch(Action::Flash(format!(
                            "{} was removed from the clinic.",
                            pc_name(&pc)
                        )));
                        asking.set(None);
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(describe(&e).into())),
                }
                busy.set(false);
            });
        })
    };
    let ask = |pc: &DeviceView| {
        let (asking, error, pc) = (asking.clone(), error.clone(), pc.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            asking.set(Some(pc.clone()));
        })
    };
    html! {
        <section class="clinic-pcs" data-testid="clinic-pcs">
            <h2 class="section">{ "PCs" }</h2>
            <crate::pages::add_pc::AddPc />
            { match &*pcs {
                Load::Loading => html! { <Skeleton rows={3} /> },
                Load::Failed(e) => html! {
                    <ErrorBox message={format!("{} The list of PCs needs the server.", describe(e))} on_retry={reload.clone()} />
                },
                Load::Ready(list) if list.is_empty() => html! {
                    <Empty title="No PCs yet" text="A PC appears here once someone signs in on it." />
                },
                Load::Ready(list) => html! {
                    <table class="dense" data-testid="pc-list">
                        <thead><tr><th>{ "PC" }</th><th>{ "Last seen" }</th><th>{ "Version" }</th><th>{ "Sync" }</th>
                            <th>{ "Unsent" }</th><th>{ "Last signed in" }</th><th>{ "" }</th></tr></thead>
                        <tbody>{ for list.iter().map(|pc| html! {
                            <tr data-testid="pc-row" data-pc={pc.id.to_string()}
                                class={classes!(pc.revoked_at.is_some().then_some("muted"))}>
                                <td>{ pc_name(pc) }if pc.this_pc { <span class="chip small">{ "This PC" }</span> }</td>
                                <td><MomentText at={pc.last_seen_at.to_rfc3339()} /></td>
                                <td>{ pc.app_version.clone().unwrap_or_else(|| "—".into()) }</td>
                                <td>{ behind(pc) }</td>
                                <td>{ pc.pending_changes.map_or_else(|| "—".to_owned(), |n| n.to_string()) }</td>
                                <td>{ pc.last_user_name.clone().unwrap_or_else(|| "—".into()) }</td>
                                <td>{ match (&pc.revoked_at, pc.this_pc) {
                                    (Some(at), _) => html! { <span class="chip red">{ "Removed " }<MomentText at={at.to_rfc3339()} /></span> },
                                    (None, true) => html! {},
                                    (None, false) => html! {
                                        <button class="secondary small danger-text" data-testid="pc-remove" onclick={ask(pc)}>{ "Remove" }</button>
                                    },
                                } }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                },
            } }
            if let Some(pc) = &*asking {
                <Confirm title={format!("Remove {} from the clinic?", pc_name(pc))} message={removal_message(pc)}
                    confirm_label="Remove PC" danger=true busy={*busy} error={(*error).clone()}
                    on_confirm={remove}
                    on_cancel={{ let asking = asking.clone(); Callback::from(move |_| asking.set(None)) }} />
            }
        </section>
    }
}
