//! The header on every screen: clinic, user and role, subscription and sync.

use contract::app::{CommandCode, RefusedOp, SubscriptionView, SyncStatus};
use domain::date::{self, DateStyle};
use domain::tenant::TenantStatus;
use yew::prelude::*;

use crate::api;
use crate::components::date_field::{local_now, to_local};
use crate::hooks::use_interval;
use crate::state::{self, use_app};

/// "Admin · Doctor" for an owner who also sees patients: every role the
/// person holds, not only the account's.
fn roles_label(user: &contract::app::SessionUser) -> String {
    let role = user.role.title();
    match (&user.doctor_id, user.role) {
        (Some(_), domain::user::Role::Doctor) | (None, _) => role.to_owned(),
        (Some(_), _) => format!("{role} · Doctor"),
    }
}

fn sync_badge(status: &Option<SyncStatus>) -> (&'static str, String) {
    let Some(s) = status else {
        return ("neutral", "Starting…".into());
    };
    if let Some(p) = s.first_sync {
        return (
            "amber",
            format!("First sync: {} of {} records", group(p.done), group(p.total)),
        );
    }
    let changes = |n: i64| {
        if n == 1 {
            "1 change".to_owned()
        } else {
            format!("{n} changes")
        }
    };
    match (s.online, s.pending, s.refused) {
        (_, _, refused) if refused > 0 => ("red", format!("{} need attention", changes(refused))),
        // Not yet tried, nothing failed: starting up, not offline.
        (false, 0, _) if s.last_error.as_deref().unwrap_or("").is_empty() => {
            ("neutral", "Connecting…".into())
        }
        (false, 0, _) => ("amber", "Offline".into()),
        (false, pending, _) => (
            "amber",
            format!("Offline — {} saved on this PC", changes(pending)),
        ),
        (true, 0, _) if s.conflicts > 0 => ("amber", format!("Synced · {} to review", s.conflicts)),
        (true, 0, _) => ("green", "Synced".into()),
        (true, pending, _) => ("amber", format!("Syncing {}", changes(pending))),
    }
}

fn subscription_badge(sub: &SubscriptionView) -> (&'static str, String) {
    let plan = format!("{:?}", sub.plan);
    if sub.status == TenantStatus::Suspended {
        ("red", format!("{plan}: suspended"))
    } else if sub.expired() {
        ("red", format!("{plan}: expired"))
    } else if let Some(days) = sub.days_left {
        let tone = if sub.warning() { "amber" } else { "neutral" };
        (tone, format!("{plan}: {days} days left"))
    } else {
        ("neutral", plan)
    }
}

#[function_component(Header)]
pub fn header() -> Html {
    let app = use_app();
    let status = use_state(|| None::<SyncStatus>);
    let subscription = use_state(|| None::<SubscriptionView>);
    let open = use_state(|| false);
    let refused = use_state(Vec::<RefusedOp>::new);
    let asking_sign_out = use_state(|| false);
    {
        let (status, app) = (status.clone(), app.clone());
        use_interval(
            1000,
            Callback::from(move |_| {
                let (status, app) = (status.clone(), app.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match api::sync_status().await {
                        Ok(s) => status.set(Some(s)),
                        Err(e) if e.code == CommandCode::DeviceRevoked => {
                            state::removed(&app, e.message).await
                        }
                        Err(_) => {}
                    }
                });
            }),
        );
    }
    {
        let subscription = subscription.clone();
        use_interval(
            60_000,
            Callback::from(move |_| {
                let subscription = subscription.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(s) = api::subscription().await {
                        subscription.set(s);
                    }
                });
            }),
        );
    }
    {
        // Lists of synced records follow the store's cursor (AppState::synced).
        let app = app.clone();
        let cursor = status.as_ref().and_then(|s| s.cursor);
        use_effect_with(cursor, move |cursor| app.dispatch(state::Action::Synced(*cursor)));
    }
    let suspended = status.as_ref().and_then(|s| s.clinic_suspended.clone());
    {
        // A suspension or reactivation heard with a pull shows in the
        // plan badge at once, not at the next minute's refresh.
        let subscription = subscription.clone();
        use_effect_with(suspended.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = api::subscription().await {
                    subscription.set(s);
                }
            });
        });
    }
    {
        // The only reason to ask before signing out is changes on their
        // way; once they synced with the question open, sign out as asked
        // (it said "0 change(s) ... not on the server yet").
        let (asking, app) = (asking_sign_out.clone(), app.clone());
        let pending = status.as_ref().map_or(0, |s| s.pending);
        use_effect_with((*asking_sign_out, pending), move |(open, pending)| {
            if *open && *pending == 0 {
                asking.set(false);
                wasm_bindgen_futures::spawn_local(async move {
                    state::sign_out(&app).await;
                });
            }
        });
    }
    let Some(session) = app.session.clone() else {
        return html! {};
    };
    let (tone, text) = sync_badge(&status);
    let toggle = {
        let (open, refused) = (open.clone(), refused.clone());
        Callback::from(move |_| {
            let now_open = !*open;
            open.set(now_open);
            if now_open {
                let refused = refused.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(list) = api::refused().await {
                        refused.set(list);
                    }
                });
                wasm_bindgen_futures::spawn_local(async {
                    let _ = api::sync_now().await;
                });
            }
        })
    };
    // With changes still on their way, signing out asks first (they stay
    // on this PC and sync at the next sign-in here).
    let pending_now = status.as_ref().map_or(0, |s| s.pending);
    let do_sign_out = {
        let app = app.clone();
        Callback::from(move |_: Option<String>| {
            let app = app.clone();
            wasm_bindgen_futures::spawn_local(async move {
                state::sign_out(&app).await;
            });
        })
    };
    let sign_out = {
        let (asking, do_sign_out) = (asking_sign_out.clone(), do_sign_out.clone());
        Callback::from(move |_: MouseEvent| {
            if pending_now == 0 {
                do_sign_out.emit(None);
            } else {
                asking.set(true);
            }
        })
    };
    let discard = {
        let refused = refused.clone();
        Callback::from(move |op_id: String| {
            let refused = refused.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if api::discard_refused(&op_id).await.is_ok()
                    && let Ok(list) = api::refused().await
                {
                    refused.set(list);
                }
            });
        })
    };
    html! {
        <>
        <header class="app-header">
            <div class="clinic">
                <strong data-testid="clinic-name">{ &session.clinic_name }</strong>
                <span class="code">{ &session.clinic_code }</span>
            </div>
            <div class="badges">
                if let Some(sub) = &*subscription {
                    { { let (tone, text) = subscription_badge(sub);
                        html! { <span class={classes!("badge", tone)} data-testid="subscription">{ text }</span> } } }
                }
                <button class={classes!("badge", "button-badge", tone)} data-testid="sync-status" onclick={toggle}
                    aria-expanded={open.to_string()}>{ text }</button>
                <crate::components::update_banner::UpdateBanner />
            </div>
            <div class="user">
                <span data-testid="user-name">{ &session.user.full_name }</span>
                <span class="role" data-testid="user-roles">{ roles_label(&session.user) }</span>
                if session.offline { <span class="badge amber">{ "Signed in offline" }</span> }
                <button class="link" data-testid="sign-out" onclick={sign_out}>{ "Sign out" }</button>
                if *asking_sign_out {
                    <crate::components::confirm::Confirm title="Sign out with changes not yet synced?"
                        message={format!("{pending_now} change(s) made here are not on the server yet. They stay on this PC and sync when someone signs in here again.")}
                        confirm_label="Sign out" on_confirm={do_sign_out}
                        on_cancel={{ let asking = asking_sign_out.clone(); Callback::from(move |_| asking.set(false)) }} />
                }
            </div>
            if let Some(p) = status.as_ref().and_then(|s| s.first_sync) {
                <div class="first-sync" role="progressbar" aria-valuemin="0" aria-valuemax={p.total.to_string()}
                    aria-valuenow={p.done.to_string()} data-testid="first-sync-progress">
                    <span>{ format!("Getting the clinic's records onto this PC: {} of {}", group(p.done), group(p.total)) }</span>
                    <progress max={p.total.max(1).to_string()} value={p.done.to_string()} />
                </div>
            }
            if *open {
                <div class="sync-panel" data-testid="sync-panel">
                    { sync_details(&status, session.date_style) }
                    <crate::components::forget_clinic::ForgetClinic pending={status.as_ref().map_or(0, |s| s.pending)} />
                    if refused.is_empty() {
                        <p class="muted">{ "No refused changes." }</p>
                    } else {
                        <h4>{ "Changes the server refused" }</h4>
                        <ul class="refused">
                            { for refused.iter().map(|r| {
                                let id = r.op_id.to_string();
                                html! { <li>
                                    <span>{ format!("{} ({}): {}", r.table, r.kind, r.message) }</span>
                                    <button class="secondary" onclick={discard.reform(move |_| id.clone())}>{ "Discard" }</button>
                                </li> }
                            }) }
                        </ul>
                    }
                </div>
            }
        </header>
        // Said on every screen, before anyone starts typing: the PC refuses
        // every write while the platform has the clinic suspended.
        if let Some(why) = suspended {
            <div class="suspended-banner" role="alert" data-testid="clinic-suspended">{ why }</div>
        }
        </>
    }
}

/// 12400 -> "12,400", as the guide writes numbers.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The last sync problem in words for the front desk; transport details
/// of an unreachable server help nobody at the desk.
fn problem(online: bool, raw: &str) -> String {
    if online {
        raw.to_owned()
    } else {
        "The clinic server could not be reached. Changes stay on this PC and sync when it is back.".to_owned()
    }
}

/// "2 minutes ago", with the exact moment on this PC's clock on hover
/// (the status carries a UTC timestamp nobody at the desk should read).
fn last_sync(raw: Option<&str>, style: DateStyle) -> Html {
    match raw.map(|r| (r, to_local(r))) {
        None => html! { <dd data-testid="last-sync">{ "Not yet" }</dd> },
        Some((_, Some(at))) => html! {
            <dd data-testid="last-sync" title={date::format_exact(at, style)}>
                { date::relative_time(local_now(), at, style) }
            </dd>
        },
        Some((raw, None)) => html! { <dd data-testid="last-sync">{ raw }</dd> },
    }
}

fn sync_details(status: &Option<SyncStatus>, style: DateStyle) -> Html {
    let Some(s) = status else { return html! {} };
    html! {
        <dl class="sync-details">
            <dt>{ "Connection" }</dt><dd>{ if s.online { "Online" } else { "Offline (work is kept on this PC)" } }</dd>
            <dt>{ "Waiting to sync" }</dt><dd data-testid="pending-count">{ s.pending }</dd>
            <dt>{ "Last sync" }</dt>{ last_sync(s.last_sync_at.as_deref(), style) }
            <dt>{ "Needs review" }</dt><dd data-testid="review-count">
                { s.conflicts }
                if s.conflicts > 0 {
                    { " · " }<yew_router::components::Link<crate::app::Route> to={crate::app::Route::Review}>{ "Open" }</yew_router::components::Link<crate::app::Route>>
                }
            </dd>
            if let Some(e) = &s.last_error { if !e.is_empty() { <dt>{ "Last problem" }</dt><dd>{ problem(s.online, e) }</dd> } }
        </dl>
    }
}
