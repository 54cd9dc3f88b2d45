//! Print layouts: which layout prints for whom (the most specific wins:
//! doctor at an office, then the doctor, then the clinic default) and the
//! editor.

use contract::print::{Preset, PrintLayout};
use contract::screens::DoctorOption;
use yew::prelude::*;

use super::layout_form::LayoutEditor;
use crate::api;
use crate::components::field::describe;
use crate::components::states::{Empty, ErrorBox, Skeleton};
use crate::hooks::{Load, use_load};
use crate::state::{Action, use_app};

/// "Clinic default", "Dr Rao", "Dr Rao at Main clinic".
pub fn scope(layout: &PrintLayout, doctors: &[DoctorOption]) -> String {
    let doctor = layout
        .doctor_id
        .as_ref()
        .map(|id| doctors.iter().find(|d| &d.id == id));
    match (doctor, &layout.office_id) {
        (None, _) => "Clinic default".into(),
        (Some(None), _) => "A doctor no longer here".into(),
        (Some(Some(d)), None) => d.name.clone(),
        (Some(Some(d)), Some(office)) => format!("{} at {}", d.name, d.office_name(office)),
    }
}

#[function_component(PrintLayouts)]
pub fn print_layouts() -> Html {
    let app = use_app();
    let (load, reload) = use_load((), |_| api::print_layouts());
    let (doctors, _) = use_load((), |_| api::clinic_doctors());
    let editing = use_state(|| None::<PrintLayout>);
    let doctor_list = doctors.ready().cloned().unwrap_or_default();
    let on_saved = {
        let (editing, reload, app) = (editing.clone(), reload.clone(), app.clone());
        Callback::from(move |layout: PrintLayout| {
            app.dispatch(Action::Flash(format!("Layout “{}” is saved.", layout.name)));
            editing.set(None);
            reload.emit(());
        })
    };
    let new = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(Some(PrintLayout::from_preset(Preset::Classic))))
    };
    html! {
        <div class="print-layouts">
            <div class="toolbar">
                <p class="muted grow">{ "A prescription prints with the layout of its doctor at that office, else the doctor's, else the clinic default." }</p>
                <button class="primary" data-testid="layout-new" onclick={new.clone()}>{ "New layout" }</button>
            </div>
            if let Some(layout) = &*editing {
                <LayoutEditor key={layout.id.clone().unwrap_or_else(|| "new".into())} layout={layout.clone()}
                    doctors={doctor_list.clone()} on_saved={on_saved}
                    on_cancel={{ let editing = editing.clone(); Callback::from(move |_| editing.set(None)) }} />
            }
            { match &*load {
                Load::Loading => html! { <Skeleton rows={4} /> },
                Load::Failed(e) => html! { <ErrorBox message={describe(e)} on_retry={reload.clone()} /> },
                Load::Ready(list) if list.is_empty() => html! {
                    <Empty title="No layouts yet" text="Prescriptions print with the classic A4 layout until you make one.">
                        <button class="primary" onclick={new}>{ "New layout" }</button>
                    </Empty>
                },
                Load::Ready(list) => html! {
                    <table class="dense grid cols-layouts" data-testid="layout-list">
                        <thead><tr><th>{ "Name" }</th><th>{ "Used for" }</th><th>{ "Look" }</th><th>{ "Paper" }</th><th /></tr></thead>
                        <tbody>
                            { for list.iter().map(|l| {
                                let (row, editing) = (l.clone(), editing.clone());
                                html! {
                                    <tr data-testid="layout-row">
                                        <td>{ &l.name }</td>
                                        <td>{ scope(l, &doctor_list) }</td>
                                        <td>{ l.preset.as_str() }</td>
                                        <td>{ format!("{} {}", l.paper.as_str().to_uppercase(), l.orientation.as_str()) }</td>
                                        <td class="row-actions">
                                            <button class="small" data-testid="layout-edit"
                                                onclick={Callback::from(move |_| editing.set(Some(row.clone())))}>{ "Edit" }</button>
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </div>
    }
}
