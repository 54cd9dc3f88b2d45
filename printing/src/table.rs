//! The medicines table: the chosen columns sized by weight, cells wrapped
//! to their column, the header repeated on every page the table reaches.

use contract::print::{Align, ItemColumn, Preset, PrintData, PrintItem, PrintLayout, Tone};

use super::layout::Sheet;
use super::text::{Block, Font};

/// A column of the printed table: the running number or a chosen column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Item(ItemColumn),
}

#[derive(Debug, Clone, Copy)]
struct Column {
    kind: Kind,
    x: f32,
    width: f32,
}

impl Column {
    fn align(self) -> Align {
        match self.kind {
            Kind::Number | Kind::Item(ItemColumn::Quantity) => Align::Right,
            Kind::Item(_) => Align::Left,
        }
    }

    /// The x a cell's text is anchored at.
    fn anchor(self, pad: f32) -> f32 {
        match self.align() {
            Align::Right => self.x + self.width - pad,
            Align::Center => self.x + self.width / 2.0,
            Align::Left => self.x + pad,
        }
    }
}

/// Relative widths of the chosen columns: the medicine and instructions
/// take the room, the quantity only what it needs.
fn weight(kind: ItemColumn) -> f32 {
    match kind {
        ItemColumn::Medicine => 3.2,
        ItemColumn::Dosage => 1.3,
        ItemColumn::Frequency => 1.6,
        ItemColumn::Duration => 1.25,
        ItemColumn::Quantity => 0.55,
        ItemColumn::Instructions => 2.6,
    }
}

/// The running number gets exactly the width of "00."; the chosen columns
/// share the rest by weight, but none is so narrow that its heading or one
/// of its words has to break.
fn columns(sheet: &Sheet, layout: &PrintLayout, items: &[PrintItem]) -> Vec<Column> {
    let (hpad, _) = padding(sheet.style.preset);
    let number = sheet.style.body().width("00.") + 2.0 * hpad;
    let chosen = &layout.options.columns;
    let room = sheet.content_width() - number;
    let mut least: Vec<f32> = chosen
        .iter()
        .map(|c| widest_word(sheet, *c, items) + 2.0 * hpad)
        .collect();
    let needed: f32 = least.iter().sum();
    if needed > room {
        // Some words must break anyway; keep the columns' proportions.
        least.iter_mut().for_each(|l| *l *= room / needed);
    }
    let widths = share_out(room, chosen, &least);
    let mut x = sheet.left;
    std::iter::once((Kind::Number, number))
        .chain(chosen.iter().map(|c| Kind::Item(*c)).zip(widths))
        .map(|(kind, width)| {
            let column = Column { kind, x, width };
            x += width;
            column
        })
        .collect()
}

/// The widest word of a column's heading and cells.
fn widest_word(sheet: &Sheet, column: ItemColumn, items: &[PrintItem]) -> f32 {
    let kind = Kind::Item(column);
    let heading = header_font(sheet);
    let body = cell_font(sheet, kind);
    let cells = items.iter().map(|i| cell_text(kind, 0, i));
    let cell_words = cells.flat_map(|t| t.split_whitespace().map(|w| body.width(w)).collect::<Vec<_>>());
    header_label(sheet, kind)
        .split_whitespace()
        .map(|w| heading.width(w))
        .chain(cell_words)
        .fold(0.0, f32::max)
}

/// Splits `room` by weight; a column whose share is below its least width
/// gets that width and the others share what is left.
fn share_out(room: f32, chosen: &[ItemColumn], least: &[f32]) -> Vec<f32> {
    let mut fixed: Vec<Option<f32>> = vec![None; chosen.len()];
    loop {
        let left = room - fixed.iter().flatten().sum::<f32>();
        let weights: f32 = chosen
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| f.is_none())
            .map(|(c, _)| weight(*c))
            .sum();
        let widths: Vec<f32> = chosen
            .iter()
            .zip(&fixed)
            .map(|(c, f)| f.unwrap_or(weight(*c) * left / weights.max(f32::EPSILON)))
            .collect();
        let narrow = widths
            .iter()
            .zip(least)
            .zip(&fixed)
            .position(|((w, l), f)| f.is_none() && w < l);
        match narrow {
            Some(i) => fixed[i] = least.get(i).copied(),
            None => return widths,
        }
    }
}

fn header_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Number => "#",
        Kind::Item(c) => c.label(),
    }
}

fn cell_text(kind: Kind, n: usize, item: &PrintItem) -> String {
    match kind {
        Kind::Number => format!("{n}."),
        Kind::Item(ItemColumn::Medicine) => item.medicine.clone(),
        Kind::Item(ItemColumn::Dosage) => item.dosage.clone(),
        Kind::Item(ItemColumn::Frequency) => item.frequency.clone(),
        Kind::Item(ItemColumn::Duration) => item.duration.clone(),
        Kind::Item(ItemColumn::Quantity) => item.quantity.map(|q| q.to_string()).unwrap_or_default(),
        Kind::Item(ItemColumn::Instructions) => item.instructions.clone().unwrap_or_default(),
    }
}

/// Cell padding (horizontal, vertical) per preset, in millimetres.
fn padding(preset: Preset) -> (f32, f32) {
    match preset {
        Preset::Classic => (1.8, 1.6),
        Preset::Modern => (2.2, 2.2),
        Preset::Minimal => (1.2, 1.2),
    }
}

/// One row's wrapped cells and height.
struct Row {
    cells: Vec<Block>,
    height: f32,
}

fn row(sheet: &Sheet, columns: &[Column], texts: &[(String, Font)]) -> Row {
    let (hpad, vpad) = padding(sheet.style.preset);
    let cells: Vec<Block> = columns
        .iter()
        .zip(texts)
        .map(|(c, (text, font))| {
            let mut block = Block::default();
            block.push(*font, text, c.width - 2.0 * hpad);
            block
        })
        .collect();
    let height = cells.iter().map(Block::height).fold(0.0, f32::max) + 2.0 * vpad;
    Row { cells, height }
}

fn header_font(sheet: &Sheet) -> Font {
    let st = sheet.style;
    match st.preset {
        Preset::Classic => st.font(st.small + 0.5, true, Tone::Ink),
        Preset::Modern => st.font(st.small, true, Tone::Accent),
        Preset::Minimal => st.font(st.small, true, Tone::Muted),
    }
}

fn header_label(sheet: &Sheet, kind: Kind) -> String {
    let label = header_text(kind);
    if sheet.style.preset == Preset::Modern {
        label.to_uppercase()
    } else {
        label.to_owned()
    }
}

fn header_row(sheet: &Sheet, columns: &[Column]) -> Row {
    let font = header_font(sheet);
    let texts: Vec<(String, Font)> = columns
        .iter()
        .map(|c| (header_label(sheet, c.kind), font))
        .collect();
    row(sheet, columns, &texts)
}

fn cell_font(sheet: &Sheet, kind: Kind) -> Font {
    let st = sheet.style;
    match kind {
        Kind::Item(ItemColumn::Medicine) => st.strong(),
        Kind::Number => st.body().tone(Tone::Muted),
        Kind::Item(_) => st.body(),
    }
}

fn item_row(sheet: &Sheet, columns: &[Column], n: usize, item: &PrintItem) -> Row {
    let texts: Vec<(String, Font)> = columns
        .iter()
        .map(|c| (cell_text(c.kind, n, item), cell_font(sheet, c.kind)))
        .collect();
    row(sheet, columns, &texts)
}

/// Draws a row at the cursor with the preset's decoration.
fn draw_row(sheet: &mut Sheet, columns: &[Column], row: &Row, header: bool) {
    let preset = sheet.style.preset;
    let (hpad, vpad) = padding(preset);
    let top = sheet.y;
    let bottom = top + row.height;
    if header && preset != Preset::Minimal {
        sheet.rect(
            sheet.left,
            top,
            sheet.content_width(),
            row.height,
            Tone::AccentSoft,
        );
    }
    for (column, cell) in columns.iter().zip(&row.cells) {
        cell.draw(sheet, column.anchor(hpad), top + vpad, column.align());
    }
    match preset {
        Preset::Classic => {
            // A full grid: each row rules its own bottom and column edges,
            // so the grid stays whole across a page break.
            if header {
                sheet.line((sheet.left, top), (sheet.right, top), 0.8, Tone::Ink);
            }
            let width = if header { 0.8 } else { 0.5 };
            let tone = if header { Tone::Ink } else { Tone::Rule };
            sheet.line((sheet.left, bottom), (sheet.right, bottom), width, tone);
            for x in columns.iter().map(|c| c.x).chain([sheet.right]) {
                sheet.line((x, top), (x, bottom), 0.5, Tone::Rule);
            }
        }
        Preset::Minimal if header => {
            sheet.line((sheet.left, bottom), (sheet.right, bottom), 0.5, Tone::Rule);
        }
        Preset::Modern | Preset::Minimal => {}
    }
    sheet.y = bottom;
}

/// The ℞ mark that opens the medicines.
fn caption(sheet: &mut Sheet) {
    let st = sheet.style;
    let size = if st.preset == Preset::Minimal {
        st.body + 3.0
    } else {
        st.title
    };
    let font = st.font(size, true, Tone::Accent);
    sheet.ensure(font.line_h() * 3.0);
    sheet.text(sheet.left, sheet.y + font.ascent(), font, Align::Left, "℞");
    sheet.y += font.line_h();
}

pub fn items(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    caption(sheet);
    if data.items.is_empty() {
        let font = sheet.style.label();
        sheet.text(
            sheet.left,
            sheet.y + font.ascent(),
            font,
            Align::Left,
            "No medicines prescribed.",
        );
        sheet.y += font.line_h() + sheet.style.gap;
        return;
    }
    let columns = columns(sheet, layout, &data.items);
    let header = header_row(sheet, &columns);
    let mut first = true;
    for (i, item) in data.items.iter().enumerate() {
        let row = item_row(sheet, &columns, i + 1, item);
        // The header never stands alone at the foot of a page.
        let broke = sheet.ensure(if first {
            header.height + row.height
        } else {
            row.height
        });
        if first || broke {
            draw_row(sheet, &columns, &header, true);
        }
        draw_row(sheet, &columns, &row, false);
        first = false;
    }
    if sheet.style.preset == Preset::Minimal {
        sheet.line((sheet.left, sheet.y), (sheet.right, sheet.y), 0.5, Tone::Rule);
    }
    sheet.y += sheet.style.gap;
}
