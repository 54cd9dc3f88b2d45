//! A report on A4: the clinic and the range, then each table under its
//! title, with its bars drawn first when it has them (the chart the page
//! shows, in ink). Long tables continue on further pages under their
//! column heads.

use contract::print::{Align, PageDoc, PageItem, ReportPrint, ReportTable, Tone};

use super::pdf::{PrintError, to_pdf};
use super::pen::{Pen, fit};

const WIDTH: f32 = 210.0;
const HEIGHT: f32 = 297.0;
const MARGIN: f32 = 15.0;
const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;
/// Tables wider than this many columns are set smaller.
const WIDE: usize = 6;
/// Where a bar starts, and the longest bar (mm).
const BAR_X: f32 = MARGIN + 55.0;
const BAR_MAX: f32 = 85.0;
/// Charts of more rows than this are left to the table.
const MAX_BARS: usize = 40;

pub fn report_pdf(data: &ReportPrint) -> Result<Vec<u8>, PrintError> {
    to_pdf(&report(data), &format!("{} — {}", data.title, data.subtitle))
}

/// Lays the report out. Always at least one page.
pub fn report(data: &ReportPrint) -> PageDoc {
    let mut pen = Pen::new(WIDTH, HEIGHT, MARGIN);
    heading(&mut pen, data);
    for table in &data.tables {
        section(&mut pen, table);
    }
    PageDoc { pages: pen.pages }
}

fn heading(pen: &mut Pen, data: &ReportPrint) {
    let width = WIDTH - 2.0 * MARGIN;
    pen.text(
        MARGIN,
        14.0,
        true,
        Tone::Accent,
        Align::Left,
        &fit(&data.clinic_name, 14.0, true, width),
    );
    pen.next_line(14.0);
    pen.text(MARGIN, 12.0, true, Tone::Ink, Align::Left, &data.title);
    pen.text(
        WIDTH - MARGIN,
        BODY,
        false,
        Tone::Ink,
        Align::Right,
        &data.subtitle,
    );
    pen.next_line(12.0);
    pen.text(
        MARGIN,
        SMALL,
        false,
        Tone::Muted,
        Align::Left,
        &format!("Made {}", data.made_at),
    );
    pen.next_line(SMALL);
    pen.y += 1.0;
    pen.rule(Tone::Accent);
    pen.y += 2.0;
}

fn section(pen: &mut Pen, table: &ReportTable) {
    pen.room(Pen::line_height(11.0) + 4.0 * Pen::line_height(BODY));
    pen.text(MARGIN, 11.0, true, Tone::Ink, Align::Left, &table.title);
    pen.next_line(11.0);
    if table.rows.is_empty() {
        pen.text(
            MARGIN,
            BODY,
            false,
            Tone::Muted,
            Align::Left,
            "Nothing in this range.",
        );
        pen.next_line(BODY);
    } else {
        if table.bars.len() == table.rows.len() && table.rows.len() <= MAX_BARS {
            bars(pen, table);
        }
        rows(pen, table);
    }
    pen.y += 5.0;
}

/// One bar per row, as long as its value against the largest, labelled
/// with the row's first cell and its last (the figure).
fn bars(pen: &mut Pen, table: &ReportTable) {
    let most = table.bars.iter().copied().max().unwrap_or(0);
    if most <= 0 {
        return;
    }
    let step = Pen::line_height(SMALL) + 0.6;
    for (row, value) in table.rows.iter().zip(&table.bars) {
        pen.room(step);
        let label = row.first().map(String::as_str).unwrap_or("");
        let figure = row.last().map(String::as_str).unwrap_or("");
        pen.text(
            MARGIN,
            SMALL,
            false,
            Tone::Ink,
            Align::Left,
            &fit(label, SMALL, false, 52.0),
        );
        let length = (*value).max(0) as f32 / most as f32 * BAR_MAX;
        pen.push(PageItem::Rect {
            x_mm: BAR_X,
            y_mm: pen.y + 0.4,
            w_mm: length.max(0.4),
            h_mm: step - 1.4,
            tone: Tone::AccentSoft,
        });
        pen.text(
            BAR_X + length + 2.0,
            SMALL,
            false,
            Tone::Muted,
            Align::Left,
            figure,
        );
        pen.y += step;
    }
    pen.y += 3.0;
}

/// The x (left edge of the first column, right edges of the others) and
/// the width of each column.
fn columns(count: usize) -> Vec<(f32, f32)> {
    let inner = WIDTH - 2.0 * MARGIN;
    let first = if count > WIDE { 38.0 } else { 60.0 };
    let rest = (inner - first) / (count.saturating_sub(1).max(1)) as f32;
    (0..count)
        .map(|i| match i {
            0 => (MARGIN, first - 2.0),
            _ => (MARGIN + first + rest * i as f32, rest - 2.0),
        })
        .collect()
}

fn row(pen: &mut Pen, cells: &[String], size: f32, bold: bool, tone: Tone) {
    for ((x, width), cell) in columns(cells.len()).into_iter().zip(cells) {
        let align = if x == MARGIN { Align::Left } else { Align::Right };
        pen.text(x, size, bold, tone, align, &fit(cell, size, bold, width));
    }
    pen.next_line(size);
}

fn rows(pen: &mut Pen, table: &ReportTable) {
    let size = if table.columns.len() > WIDE { SMALL } else { BODY };
    let head = |pen: &mut Pen| {
        row(pen, &table.columns, SMALL, true, Tone::Muted);
        pen.rule(Tone::Rule);
    };
    head(pen);
    for cells in &table.rows {
        if !pen.fits(Pen::line_height(size)) {
            pen.page();
            head(pen);
        }
        row(pen, cells, size, false, Tone::Ink);
    }
    pen.rule(Tone::Rule);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize) -> ReportTable {
        ReportTable {
            title: "Money received, by day".into(),
            columns: vec!["Day".into(), "Dr Rao".into(), "Total".into()],
            rows: (0..rows)
                .map(|i| {
                    vec![
                        format!("{} Dec 2026", i + 1),
                        "₹1,000.00".into(),
                        "₹1,25,650.00".into(),
                    ]
                })
                .collect(),
            bars: (0..rows as i64).collect(),
        }
    }

    #[test]
    fn a_long_table_continues_under_its_column_heads() {
        let data = ReportPrint {
            clinic_name: "Rao Family Clinic".into(),
            title: "Reports".into(),
            subtitle: "1 Dec 2026 – 31 Dec 2026, by day".into(),
            made_at: "2 Dec 2026, 10:00".into(),
            tables: vec![table(93), table(0)],
        };
        let doc = report(&data);
        assert!(doc.pages.len() >= 2, "{} pages", doc.pages.len());
        for page in &doc.pages {
            let texts = page.texts();
            if texts.iter().any(|t| t.ends_with("Dec 2026") && !t.contains('–')) {
                assert!(
                    texts.iter().any(|t| t == "Total"),
                    "each page of the table has its heads"
                );
            }
        }
        let all = doc.texts();
        assert!(all.iter().any(|t| t == "Nothing in this range."));
        assert!(all.iter().any(|t| t == "93 Dec 2026"), "no row is lost");
        let bars = doc
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| matches!(i, PageItem::Rect { .. }))
            .count();
        assert_eq!(bars, 0, "93 rows are left to the table");
        assert!(!report_pdf(&data).expect("pdf").is_empty());
    }

    #[test]
    fn a_short_table_draws_a_bar_per_row_within_the_page() {
        let data = ReportPrint {
            tables: vec![table(5)],
            ..ReportPrint::default()
        };
        let doc = report(&data);
        let rects: Vec<f32> = doc.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                PageItem::Rect { x_mm, w_mm, .. } => Some(x_mm + w_mm),
                _ => None,
            })
            .collect();
        assert_eq!(rects.len(), 5);
        assert!(rects.iter().all(|right| *right <= WIDTH - MARGIN));
    }
}
