//! Charts drawn as SVG from the figures given: columns over time and
//! horizontal bars for a ranking. Each bar carries its figure as a
//! tooltip and in text, so the chart reads without colour; the table
//! under every chart holds the exact numbers.

use yew::prelude::*;

/// One bar: what it is, how long it is, and the figure written beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub bars: Vec<Bar>,
    /// What the chart shows, for screen readers.
    pub title: AttrValue,
    pub testid: AttrValue,
}

fn most(bars: &[Bar]) -> i64 {
    bars.iter().map(|b| b.value).max().unwrap_or(0).max(1)
}

/// Columns left to right (time): labels under some columns, so they
/// never crowd; the tallest column's figure is written at the top.
#[function_component(ColumnChart)]
pub fn column_chart(p: &ChartProps) -> Html {
    const W: f64 = 720.0;
    const H: f64 = 200.0;
    const TOP: f64 = 18.0;
    const BOTTOM: f64 = 22.0;
    let n = p.bars.len().max(1) as f64;
    let slot = W / n;
    let top = most(&p.bars);
    let every = (p.bars.len() / 12).max(1);
    let tallest = p.bars.iter().max_by_key(|b| b.value).map(|b| b.text.clone());
    html! {
        <svg class="chart" viewBox={format!("0 0 {W} {H}")} role="img" aria-label={p.title.clone()}
            data-testid={p.testid.clone()} preserveAspectRatio="none">
            <line x1="0" y1={(H - BOTTOM).to_string()} x2={W.to_string()} y2={(H - BOTTOM).to_string()} class="axis" />
            if let Some(tallest) = tallest {
                <text x="0" y="12" class="chart-note">{ format!("Highest: {tallest}") }</text>
            }
            { for p.bars.iter().enumerate().map(|(i, b)| {
                let height = (b.value.max(0) as f64 / top as f64) * (H - TOP - BOTTOM);
                let x = i as f64 * slot + slot * 0.15;
                html! {
                    <g data-testid="chart-bar">
                        <rect x={x.to_string()} y={(H - BOTTOM - height).to_string()}
                            width={(slot * 0.7).to_string()} height={height.max(0.5).to_string()} class="bar">
                            <title>{ format!("{}: {}", b.label, b.text) }</title>
                        </rect>
                        if i % every == 0 {
                            <text x={(x + slot * 0.35).to_string()} y={(H - 6.0).to_string()} class="chart-label"
                                text-anchor="middle">{ &b.label }</text>
                        }
                    </g>
                }
            }) }
        </svg>
    }
}

/// Horizontal bars, one per row, longest for the largest figure.
#[function_component(BarChart)]
pub fn bar_chart(p: &ChartProps) -> Html {
    const W: f64 = 720.0;
    const ROW: f64 = 24.0;
    const LABEL: f64 = 200.0;
    const FIGURE: f64 = 130.0;
    let top = most(&p.bars);
    let h = ROW * p.bars.len().max(1) as f64;
    html! {
        <svg class="chart" viewBox={format!("0 0 {W} {h}")} role="img" aria-label={p.title.clone()}
            data-testid={p.testid.clone()}>
            { for p.bars.iter().enumerate().map(|(i, b)| {
                let y = i as f64 * ROW;
                let length = (b.value.max(0) as f64 / top as f64) * (W - LABEL - FIGURE);
                html! {
                    <g data-testid="chart-bar">
                        <text x="0" y={(y + ROW * 0.65).to_string()} class="chart-label">{ &b.label }</text>
                        <rect x={LABEL.to_string()} y={(y + 4.0).to_string()} width={length.max(1.0).to_string()}
                            height={(ROW - 8.0).to_string()} class="bar">
                            <title>{ format!("{}: {}", b.label, b.text) }</title>
                        </rect>
                        <text x={(LABEL + length + 6.0).to_string()} y={(y + ROW * 0.65).to_string()}
                            class="chart-figure">{ &b.text }</text>
                    </g>
                }
            }) }
        </svg>
    }
}
