//! The parts of a prescription between the letterhead and the table and
//! after it, in the look of each preset: classic (labels beside values),
//! modern (small labels above values) and minimal (compact lines for A5).

use contract::print::{Align, PatientField, Preset, PrintData, PrintLayout, Tone};

use super::layout::Sheet;
use super::text::{Block, Font, Labelled};

/// A small label and its value, and the value's font.
type Pair = (String, String, Font);

/// Prescription number, dates and status.
pub fn meta(sheet: &mut Sheet, data: &PrintData) {
    let st = sheet.style;
    let status = match data.status.trim() {
        s if s.is_empty() || s.eq_ignore_ascii_case("active") => None,
        s => Some(s.to_uppercase()),
    };
    match st.preset {
        Preset::Modern => {
            let mut cells = vec![
                ("Prescription", data.prescription_number.clone()),
                ("Date", data.visit_date.clone()),
                ("Valid until", data.valid_until.clone()),
                ("Office", data.office_name.clone()),
            ];
            if let Some(status) = status {
                cells.push(("Status", status));
            }
            let cells: Vec<Pair> = cells
                .into_iter()
                .map(|(l, v)| (l.to_uppercase(), v, st.strong()))
                .collect();
            stacked_cells(sheet, &cells, 4);
        }
        Preset::Classic => {
            let number = [("Rx No.".to_owned(), data.prescription_number.clone(), st.strong())];
            let dates = [
                ("Date".to_owned(), data.visit_date.clone(), st.body()),
                ("Valid until".to_owned(), data.valid_until.clone(), st.body()),
            ];
            let baseline = sheet.y + st.strong().ascent();
            draw_pairs(sheet, sheet.left, baseline, &number);
            let right = sheet.right - pairs_width(sheet, &dates);
            draw_pairs(sheet, right, baseline, &dates);
            sheet.y += st.strong().line_h();
            if let Some(status) = status {
                let font = st.strong().tone(Tone::Accent);
                sheet.text(sheet.left, sheet.y + font.ascent(), font, Align::Left, &status);
                sheet.y += font.line_h();
            }
        }
        Preset::Minimal => {
            let mut line = format!(
                "{}  ·  {}  ·  valid until {}  ·  {}",
                data.prescription_number, data.visit_date, data.valid_until, data.office_name
            );
            if let Some(status) = status {
                line = format!("{status}  ·  {line}");
            }
            let mut block = Block::default();
            block.push(
                st.font(st.small, false, Tone::Muted),
                &line,
                sheet.content_width(),
            );
            sheet.flow(&block, sheet.left);
        }
    }
    sheet.y += st.gap;
}

/// Cells of a small label above a value, `per_row` across.
fn stacked_cells(sheet: &mut Sheet, cells: &[Pair], per_row: usize) {
    let label = sheet.style.label();
    let width = sheet.content_width() / per_row as f32;
    for row in cells.chunks(per_row) {
        let blocks: Vec<Block> = row
            .iter()
            .map(|(l, v, f)| {
                let mut b = Block::default();
                b.push(label, l, width - 3.0).push(*f, v, width - 3.0);
                b
            })
            .collect();
        let h = blocks.iter().map(Block::height).fold(0.0, f32::max);
        sheet.ensure(h);
        let top = sheet.y;
        for (i, block) in blocks.iter().enumerate() {
            block.draw(sheet, sheet.left + i as f32 * width, top, Align::Left);
        }
        sheet.y = top + h + 1.5;
    }
}

/// The patient's name large, under a small label, then the other fields
/// as cells; on wide paper all in one row.
fn modern_patient(sheet: &mut Sheet, shown: Vec<(PatientField, String)>) {
    let st = sheet.style;
    let name_font = st.font(st.body + 4.0, true, Tone::Ink);
    let cell = |(f, v): (PatientField, String)| {
        let font = if f == PatientField::Name {
            name_font
        } else {
            st.strong()
        };
        let label = if f == PatientField::Name {
            "PATIENT".to_owned()
        } else {
            f.label().to_uppercase()
        };
        (label, v, font)
    };
    if sheet.content_width() >= 220.0 {
        let cells: Vec<Pair> = shown.into_iter().map(cell).collect();
        stacked_cells(sheet, &cells, cells.len().max(1));
        return;
    }
    let (names, rest): (Vec<_>, Vec<_>) = shown.into_iter().partition(|(f, _)| *f == PatientField::Name);
    if let Some((_, name)) = names.into_iter().next() {
        stacked_cells(sheet, &[cell((PatientField::Name, name))], 1);
    }
    let cells: Vec<Pair> = rest.into_iter().map(cell).collect();
    stacked_cells(sheet, &cells, 4);
}

/// The chosen patient fields, then allergies highlighted.
pub fn patient(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    let st = sheet.style;
    let p = &data.patient;
    let fields = &layout.options.patient_fields;
    let shown: Vec<(PatientField, String)> = fields
        .iter()
        .filter_map(|f| match f {
            PatientField::Name => Some((*f, p.name.clone())),
            PatientField::Age => p.age.clone().map(|a| (*f, a)),
            PatientField::Gender => Some((*f, p.gender.clone())),
            PatientField::Mobile => Some((*f, p.mobile.clone())),
            PatientField::BloodGroup => p.blood_group.clone().map(|b| (*f, b)),
            PatientField::Allergies => None,
        })
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    let font_of = |f: PatientField| {
        if f == PatientField::Name {
            st.strong()
        } else {
            st.body()
        }
    };
    match st.preset {
        Preset::Modern => modern_patient(sheet, shown),
        Preset::Classic => {
            let pairs: Vec<Pair> = shown
                .into_iter()
                .map(|(f, v)| (f.label().to_owned(), v, font_of(f)))
                .collect();
            inline_fields(sheet, &pairs);
        }
        Preset::Minimal => {
            let line: Vec<String> = shown.into_iter().map(|(_, v)| v).collect();
            let mut block = Block::default();
            block.push(st.strong(), &line.join("  ·  "), sheet.content_width());
            sheet.flow(&block, sheet.left);
        }
    }
    if fields.contains(&PatientField::Allergies) && !p.allergies.is_empty() {
        allergies(sheet, &p.allergies.join(", "));
    }
    sheet.y += st.gap;
}

/// Space between one "label value" pair and the next.
const PAIR_GAP: f32 = 7.0;

fn pair_width(sheet: &Sheet, label: &str, value: &str, font: Font) -> f32 {
    sheet.style.label().width(&format!("{label} ")) + font.width(value)
}

fn pairs_width(sheet: &Sheet, pairs: &[Pair]) -> f32 {
    let widths: f32 = pairs.iter().map(|(l, v, f)| pair_width(sheet, l, v, *f)).sum();
    widths + PAIR_GAP * pairs.len().saturating_sub(1) as f32
}

/// A small muted label followed by its value, pairs side by side on one
/// baseline.
fn draw_pairs(sheet: &mut Sheet, mut x: f32, baseline: f32, pairs: &[Pair]) {
    let label = sheet.style.label();
    for (l, v, font) in pairs {
        let spaced = format!("{l} ");
        sheet.text(x, baseline, label, Align::Left, &spaced);
        sheet.text(x + label.width(&spaced), baseline, *font, Align::Left, v);
        x += pair_width(sheet, l, v, *font) + PAIR_GAP;
    }
}

/// The patient's pairs across the page, wrapping to a new line when the
/// next pair does not fit, then a rule.
fn inline_fields(sheet: &mut Sheet, pairs: &[Pair]) {
    let line_h = sheet.style.strong().line_h();
    let mut line: Vec<Pair> = Vec::new();
    for pair in pairs {
        let mut wider = line.clone();
        wider.push(pair.clone());
        if !line.is_empty() && pairs_width(sheet, &wider) > sheet.content_width() {
            let baseline = sheet.y + sheet.style.strong().ascent();
            draw_pairs(sheet, sheet.left, baseline, &line);
            sheet.y += line_h;
            wider = vec![pair.clone()];
        }
        line = wider;
    }
    let baseline = sheet.y + sheet.style.strong().ascent();
    draw_pairs(sheet, sheet.left, baseline, &line);
    sheet.y += line_h + 1.0;
    sheet.line((sheet.left, sheet.y), (sheet.right, sheet.y), 0.5, Tone::Rule);
    sheet.y += 1.5;
}

fn allergies(sheet: &mut Sheet, list: &str) {
    let st = sheet.style;
    let font = st.strong().tone(Tone::Accent);
    let mut block = Block::default();
    block.push(font, &format!("Allergies: {list}"), sheet.content_width() - 6.0);
    sheet.y += 1.5;
    sheet.ensure(block.height() + 2.0);
    let top = sheet.y;
    if st.preset != Preset::Minimal {
        sheet.rect(
            sheet.left,
            top,
            sheet.content_width(),
            block.height() + 2.0,
            Tone::AccentSoft,
        );
        sheet.rect(sheet.left, top, 1.2, block.height() + 2.0, Tone::Accent);
    }
    let x = if st.preset == Preset::Minimal {
        sheet.left
    } else {
        sheet.left + 4.0
    };
    block.draw(sheet, x, top + 1.0, Align::Left);
    sheet.y = top + block.height() + 2.0;
}

fn label_font(sheet: &Sheet) -> Font {
    let st = sheet.style;
    match st.preset {
        Preset::Modern => st.strong().tone(Tone::Accent),
        _ => st.strong(),
    }
}

/// Chief complaint and diagnosis.
pub fn clinical(sheet: &mut Sheet, data: &PrintData) {
    let st = sheet.style;
    let fonts = (label_font(sheet), st.body());
    let width = sheet.content_width();
    if let Some(complaint) = data.chief_complaint.as_deref().filter(|c| !c.trim().is_empty()) {
        Labelled::new("Chief complaint", complaint, fonts, width).write(sheet);
    }
    Labelled::new("Diagnosis", &data.diagnosis, fonts, width).write(sheet);
    sheet.y += st.gap;
}

/// General instructions, the follow-up date and the signature. The
/// signature stands at the right beside the instructions, as on a
/// prescription pad, unless they are too long to share a page with it.
pub fn closing(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    let st = sheet.style;
    let show_signature = layout.options.show_signature;
    let signature_w = 62.0_f32.min(sheet.content_width() / 3.0);
    let signature = signature_block(sheet, data, layout, signature_w);
    let beside = sheet.content_width() - signature_w - 8.0;
    let notes = |width: f32| {
        let mut notes = Vec::new();
        if let Some(text) = data
            .general_instructions
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            notes.push(Labelled::new(
                "Instructions",
                text,
                (label_font(sheet), st.body()),
                width,
            ));
        }
        if let Some(date) = data.follow_up_date.as_deref().filter(|t| !t.trim().is_empty()) {
            let fonts = (label_font(sheet), st.strong().tone(Tone::Accent));
            notes.push(Labelled::new("Follow-up", date, fonts, width));
        }
        notes
    };
    let narrow = notes(if show_signature {
        beside
    } else {
        sheet.content_width()
    });
    let notes_h: f32 = narrow.iter().map(Labelled::height).sum();
    let signature_h = SIGN_SPACE + signature.height();
    let page = sheet.bottom - sheet.top;
    if show_signature && notes_h.max(signature_h) > page * 0.6 {
        // Long instructions: full width, the signature after them.
        notes(sheet.content_width()).iter().for_each(|n| n.write(sheet));
        sheet.ensure(signature_h);
        let line_y = sheet.y + SIGN_SPACE;
        draw_signature(sheet, &signature, signature_w, line_y);
        return;
    }
    if !show_signature {
        narrow.iter().for_each(|n| n.write(sheet));
        return;
    }
    sheet.ensure(notes_h.max(signature_h));
    let top = sheet.y;
    narrow.iter().for_each(|n| n.write(sheet));
    let line_y = top + SIGN_SPACE.max(notes_h - signature.height());
    draw_signature(sheet, &signature, signature_w, line_y);
}

/// Room for the pen above the signature line.
const SIGN_SPACE: f32 = 14.0;

/// The doctor's name (and registration) under the signature line.
fn signature_block(sheet: &Sheet, data: &PrintData, layout: &PrintLayout, width: f32) -> Block {
    let st = sheet.style;
    let mut block = Block::default();
    block.push(st.strong(), &data.doctor_name, width);
    if layout.options.show_licence
        && let Some(line) = data.registration_line()
    {
        block.push(st.label(), &line, width);
    }
    block
}

fn draw_signature(sheet: &mut Sheet, block: &Block, width: f32, line_y: f32) {
    sheet.line(
        (sheet.right - width, line_y),
        (sheet.right, line_y),
        0.6,
        Tone::Ink,
    );
    block.draw(sheet, sheet.right - width / 2.0, line_y + 1.2, Align::Center);
    sheet.y = sheet.y.max(line_y + 1.2 + block.height());
}
