//! The print preview: the same positioned page description the PDF writer
//! draws (`PageDoc`), as SVG pages at true size (millimetres), with the
//! bundled fonts. SVG needs no inline styles, which the window's CSP forbids.

use contract::print::{Align, PageDoc, PageItem};
use yew::prelude::*;

/// Points to millimetres.
fn mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

fn num(v: f32) -> String {
    format!("{v:.3}")
}

/// The paper's CSS class (for named print pages): `a4`, `a5`, `letter`,
/// with `-landscape` when wider than tall.
fn paper_class(w: f32, h: f32) -> String {
    let (short, long) = if w < h { (w, h) } else { (h, w) };
    let paper = if (short - 148.0).abs() < 2.0 && (long - 210.0).abs() < 2.0 {
        "a5"
    } else if (short - 215.9).abs() < 2.0 {
        "letter"
    } else {
        "a4"
    };
    if w > h {
        format!("paper-{paper}-landscape")
    } else {
        format!("paper-{paper}")
    }
}

fn item(it: &PageItem) -> Html {
    match it {
        PageItem::Text {
            x_mm,
            y_mm,
            size_pt,
            bold,
            tone,
            align,
            text,
        } => {
            let anchor = match align {
                Align::Left => "start",
                Align::Right => "end",
                Align::Center => "middle",
            };
            html! {
                <text x={num(*x_mm)} y={num(*y_mm)} font-size={num(mm(*size_pt))}
                    font-weight={if *bold { "700" } else { "400" }} fill={tone.hex()} text-anchor={anchor}>{ text }</text>
            }
        }
        PageItem::Line {
            x1_mm,
            y1_mm,
            x2_mm,
            y2_mm,
            width_pt,
            tone,
        } => html! {
            <line x1={num(*x1_mm)} y1={num(*y1_mm)} x2={num(*x2_mm)} y2={num(*y2_mm)}
                stroke={tone.hex()} stroke-width={num(mm(*width_pt))} />
        },
        // Fitted and centred in its box, as the PDF writer draws it.
        PageItem::Image {
            x_mm,
            y_mm,
            w_mm,
            h_mm,
            data_url,
        } => html! {
            <image x={num(*x_mm)} y={num(*y_mm)} width={num(*w_mm)} height={num(*h_mm)}
                href={data_url.clone()} preserveAspectRatio="xMidYMid meet" data-testid="rx-logo" />
        },
        PageItem::Rect {
            x_mm,
            y_mm,
            w_mm,
            h_mm,
            tone,
        } => html! {
            <rect x={num(*x_mm)} y={num(*y_mm)} width={num(*w_mm)} height={num(*h_mm)} fill={tone.hex()} />
        },
    }
}

/// The pages of `doc`, each an SVG as large as the paper.
pub fn pages(doc: &PageDoc, on_screen: bool) -> Html {
    html! {
        { for doc.pages.iter().enumerate().map(|(i, page)| {
            let (w, h) = (page.width_mm, page.height_mm);
            html! {
                <svg class={classes!("rx-page", paper_class(w, h))} xmlns="http://www.w3.org/2000/svg"
                    viewBox={format!("0 0 {} {}", num(w), num(h))} width={format!("{}mm", num(w))} height={format!("{}mm", num(h))}
                    role="img" aria-label={format!("Page {} of {}", i + 1, doc.pages.len())}
                    data-testid={on_screen.then_some("rx-page")}>
                    <rect x="0" y="0" width={num(w)} height={num(h)} fill="#ffffff" />
                    { for page.items.iter().map(item) }
                </svg>
            }
        }) }
    }
}

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub doc: PageDoc,
}

/// The on-screen preview (grey desk, white pages).
#[function_component(Preview)]
pub fn preview(p: &PreviewProps) -> Html {
    html! {
        <div class="print-preview" data-testid="rx-preview">
            { pages(&p.doc, true) }
        </div>
    }
}

/// The copy that is printed: a direct child of `<body>` (outside the app's
/// frame), hidden on screen and the only thing shown when printing.
#[function_component(PrintCopy)]
pub fn print_copy(p: &PreviewProps) -> Html {
    let host = use_memo((), |_| {
        let document = web_sys::window()?.document()?;
        let el = document.create_element("div").ok()?;
        el.set_class_name("print-root");
        document.body()?.append_child(&el).ok()?;
        Some(el)
    });
    {
        let host = host.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(el) = &*host {
                    el.remove();
                }
            }
        });
    }
    match &*host {
        Some(el) => create_portal(html! { <>{ pages(&p.doc, false) }</> }, el.clone()),
        None => html! {},
    }
}
