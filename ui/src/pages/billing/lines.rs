//! The lines of a bill as typed: kind, what it is, how many, the price of
//! one; each line's total and the bill's total follow what is typed, in
//! the clinic's money format. A line that cannot be read shows why under it.

use contract::app::CommandError;
use contract::screens::billing::LineForm;
use domain::billing::LineKind;
use domain::money::MoneyFormat;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::field::error_for;

#[derive(Properties, PartialEq)]
pub struct LineTableProps {
    pub lines: Vec<LineForm>,
    pub money: MoneyFormat,
    pub on_change: Callback<Vec<LineForm>>,
    #[prop_or_default]
    pub error: Option<CommandError>,
}

fn kind_value(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Consultation => "consultation",
        LineKind::Procedure => "procedure",
        LineKind::Medicine => "medicine",
        LineKind::Other => "other",
    }
}

/// A line's total as typed, when both numbers can be read.
fn line_total(line: &LineForm, money: MoneyFormat) -> Option<i64> {
    let quantity = line
        .quantity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|q| (1..=1000).contains(q))?;
    let unit = money.parse("unit_price", &line.unit_price).ok()?;
    domain::money::line_total(unit, quantity).ok()
}

#[function_component(LineTable)]
pub fn line_table(p: &LineTableProps) -> Html {
    let edit = |i: usize, apply: fn(&mut LineForm, String)| {
        let (lines, on_change) = (p.lines.clone(), p.on_change.clone());
        Callback::from(move |value: String| {
            let mut lines = lines.clone();
            if let Some(line) = lines.get_mut(i) {
                apply(line, value);
            }
            on_change.emit(lines);
        })
    };
    let add = {
        let (lines, on_change) = (p.lines.clone(), p.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let mut lines = lines.clone();
            lines.push(LineForm::blank());
            on_change.emit(lines);
        })
    };
    let totals: Vec<Option<i64>> = p.lines.iter().map(|l| line_total(l, p.money)).collect();
    let total = totals
        .iter()
        .try_fold(0i64, |sum, t| t.and_then(|t| sum.checked_add(t)));
    html! {
        <table class="dense grid bill-lines" data-testid="bill-lines">
            <thead><tr><th>{ "Kind" }</th><th>{ "Description" }</th><th>{ "Qty" }</th>
                <th>{ format!("Price ({})", p.money.currency.code()) }</th><th class="num">{ "Amount" }</th><th /></tr></thead>
            <tbody>
                { for p.lines.iter().enumerate().map(|(i, line)| {
                    let remove = {
                        let (lines, on_change) = (p.lines.clone(), p.on_change.clone());
                        Callback::from(move |_: MouseEvent| {
                            let mut lines = lines.clone();
                            lines.remove(i);
                            on_change.emit(lines);
                        })
                    };
                    let on_kind = edit(i, |l, v| {
                        l.kind = LineKind::ALL.into_iter().find(|k| kind_value(*k) == v).unwrap_or(LineKind::Other)
                    });
                    let cell = |field: &str, value: &str, on: Callback<String>, class: &'static str| {
                        let name = format!("lines.{i}.{field}");
                        let error = error_for(&p.error, &name);
                        let oninput = on.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
                        html! {
                            <td class={class}>
                                <input data-testid={format!("bill-line-{i}-{field}")} value={value.to_owned()} {oninput}
                                    aria-label={domain::error::field_label(field)} aria-invalid={error.is_some().to_string()} />
                                if let Some(error) = error {
                                    <p class="error" role="alert" data-testid={format!("{name}-error")}>{ error }</p>
                                }
                            </td>
                        }
                    };
                    html! {
                        <tr data-testid="bill-line">
                            <td>
                                <select aria-label="Kind" data-testid={format!("bill-line-{i}-kind")}
                                    onchange={on_kind.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value())}>
                                    { for LineKind::ALL.into_iter().map(|k| html! {
                                        <option value={kind_value(k)} selected={k == line.kind}>{ k.title() }</option>
                                    }) }
                                </select>
                            </td>
                            { cell("description", &line.description, edit(i, |l, v| l.description = v), "") }
                            { cell("quantity", &line.quantity, edit(i, |l, v| l.quantity = v), "qty") }
                            { cell("unit_price", &line.unit_price, edit(i, |l, v| l.unit_price = v), "num") }
                            <td class="num" data-testid={format!("bill-line-{i}-amount")}>
                                { totals[i].map_or_else(|| "—".to_owned(), |t| p.money.format(t)) }
                            </td>
                            <td><button type="button" class="link" aria-label="Remove line" onclick={remove}
                                data-testid={format!("bill-line-{i}-remove")}>{ "Remove" }</button></td>
                        </tr>
                    }
                }) }
            </tbody>
            <tfoot>
                <tr>
                    <td colspan="4"><button type="button" class="secondary small" data-testid="bill-add-line" onclick={add}>{ "Add line" }</button></td>
                    <td class="num strong" data-testid="bill-total">
                        { total.map_or_else(|| "—".to_owned(), |t| p.money.format(t)) }
                    </td>
                    <td />
                </tr>
            </tfoot>
        </table>
    }
}
