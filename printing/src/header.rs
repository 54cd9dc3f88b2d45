//! The letterhead of each preset: classic (a box, the clinic centred over
//! the doctor), modern (a colour band running off the page) and minimal
//! (clinic left, doctor right, one rule).

use contract::print::{Align, Preset, PrintData, PrintLayout, Tone};

use super::fonts::MM_PER_PT;
use super::layout::Sheet;
use super::text::{Block, Font};

/// Side of the logo square, in millimetres.
const LOGO: f32 = 16.0;
/// Padding inside the classic header box.
const PAD: f32 = 3.5;

/// The letterhead and the doctor, then a gap.
pub fn header(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    match sheet.style.preset {
        Preset::Classic => classic_header(sheet, data, layout),
        Preset::Modern => modern_header(sheet, data, layout),
        Preset::Minimal => minimal_header(sheet, data, layout),
    }
    sheet.y += sheet.style.gap;
}

/// Clinic name, address and phone (the letterhead). The logo belongs to
/// the letterhead, so a layout without the header shows neither, as on
/// pre-printed paper.
fn clinic_block(sheet: &Sheet, data: &PrintData, width: f32, name: Font) -> Block {
    let st = sheet.style;
    let mut block = Block::default();
    block.push(name, &data.clinic_name, width);
    block.push(st.font(st.body, false, Tone::Muted), &data.clinic_address, width);
    if let Some(phone) = &data.clinic_phone {
        block.push(
            st.font(st.body, false, Tone::Muted),
            &format!("Phone: {phone}"),
            width,
        );
    }
    block
}

/// Doctor's name, qualification, specialization and registration number.
fn doctor_block(sheet: &Sheet, data: &PrintData, width: f32, show_licence: bool) -> Block {
    let st = sheet.style;
    let mut block = Block::default();
    block.push(st.font(st.body + 2.0, true, Tone::Ink), &data.doctor_name, width);
    for line in [&data.doctor_qualification, &data.doctor_specialization]
        .into_iter()
        .flatten()
    {
        block.push(st.body(), line, width);
    }
    if show_licence && let Some(line) = data.registration_line() {
        block.push(st.label(), &line, width);
    }
    block
}

/// The clinic's logo in its square; a square with the clinic's initials
/// when it has none.
fn logo(sheet: &mut Sheet, data: &PrintData, x: f32, y: f32, fill: Tone, ink: Tone) {
    if let Some(logo) = data.logo.as_deref().filter(|l| !l.is_empty()) {
        sheet.image(x, y, LOGO, logo);
        return;
    }
    let initials: String = data
        .clinic_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    sheet.rect(x, y, LOGO, LOGO, fill);
    let font = Font {
        size: 17.0,
        bold: true,
        tone: ink,
    };
    let baseline = y + LOGO / 2.0 + font.size * MM_PER_PT * 0.36;
    sheet.text(x + LOGO / 2.0, baseline, font, Align::Center, &initials);
}

fn boxed(sheet: &mut Sheet, top: f32, bottom: f32) {
    let (l, r) = (sheet.left, sheet.right);
    sheet.line((l, top), (r, top), 0.8, Tone::Ink);
    sheet.line((l, bottom), (r, bottom), 0.8, Tone::Ink);
    sheet.line((l, top), (l, bottom), 0.8, Tone::Ink);
    sheet.line((r, top), (r, bottom), 0.8, Tone::Ink);
}

fn classic_header(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    let o = &layout.options;
    let top = sheet.y;
    let centre = (sheet.left + sheet.right) / 2.0;
    if o.show_header {
        // The letterhead is centred; the logo's side is kept free on both
        // sides so the centred text never runs into it.
        let logo_room = if o.show_logo { LOGO + 2.0 * PAD } else { PAD };
        let width = sheet.content_width() - 2.0 * logo_room;
        let st = sheet.style;
        let block = clinic_block(sheet, data, width, st.font(st.title, true, Tone::Accent));
        let h = block.height().max(if o.show_logo { LOGO } else { 0.0 });
        block.draw(
            sheet,
            centre,
            top + PAD + (h - block.height()) / 2.0,
            Align::Center,
        );
        if o.show_logo {
            logo(
                sheet,
                data,
                sheet.left + PAD,
                top + PAD + (h - LOGO) / 2.0,
                Tone::AccentSoft,
                Tone::Accent,
            );
        }
        sheet.y = top + h + 2.0 * PAD;
        sheet.line((sheet.left, sheet.y), (sheet.right, sheet.y), 0.5, Tone::Rule);
    }
    let half = sheet.content_width() / 2.0 - PAD;
    let doctor = doctor_block(sheet, data, half, false);
    let mut right = Block::default();
    if o.show_licence
        && let Some(line) = data.registration_line()
    {
        right.push(sheet.style.strong(), &line, half);
    }
    right.push(sheet.style.body(), &data.office_name, half);
    let row = sheet.y + PAD * 0.7;
    doctor.draw(sheet, sheet.left + PAD, row, Align::Left);
    right.draw(sheet, sheet.right - PAD, row, Align::Right);
    sheet.y = row + doctor.height().max(right.height()) + PAD * 0.7;
    boxed(sheet, top, sheet.y);
}

fn modern_header(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    let o = &layout.options;
    let st = sheet.style;
    let logo_room = if o.show_header && o.show_logo {
        LOGO + 5.0
    } else {
        0.0
    };
    let width = (sheet.content_width() - logo_room) * 0.55;
    let left = if o.show_header {
        clinic_block(sheet, data, width, st.font(st.title, true, Tone::Accent))
    } else {
        doctor_block(sheet, data, width, o.show_licence)
    };
    let right_width = sheet.content_width() - logo_room - width - 4.0;
    let right = if o.show_header {
        doctor_block(sheet, data, right_width, o.show_licence)
    } else {
        Block::default()
    };
    let top = sheet.y;
    let h = left
        .height()
        .max(right.height())
        .max(if logo_room > 0.0 { LOGO } else { 0.0 });
    // The band runs off the page edges and up to the paper's top.
    let band = top + h + 6.0;
    sheet.rect(0.0, 0.0, sheet.width, band, Tone::AccentSoft);
    sheet.rect(0.0, band, sheet.width, 1.2, Tone::Accent);
    if logo_room > 0.0 {
        logo(
            sheet,
            data,
            sheet.left,
            top + (h - LOGO) / 2.0,
            Tone::Accent,
            Tone::AccentSoft,
        );
    }
    left.draw(
        sheet,
        sheet.left + logo_room,
        top + (h - left.height()) / 2.0,
        Align::Left,
    );
    right.draw(sheet, sheet.right, top + (h - right.height()) / 2.0, Align::Right);
    sheet.y = band + 1.2;
}

fn minimal_header(sheet: &mut Sheet, data: &PrintData, layout: &PrintLayout) {
    let o = &layout.options;
    let st = sheet.style;
    // The logo, when asked for, stands left of the clinic's lines.
    let logo_room = if o.show_header && o.show_logo {
        LOGO + 4.0
    } else {
        0.0
    };
    let half = sheet.content_width() / 2.0 - 2.0;
    let left = if o.show_header {
        clinic_block(sheet, data, half - logo_room, st.font(st.title, true, Tone::Ink))
    } else {
        Block::default()
    };
    let right = doctor_block(sheet, data, half, o.show_licence);
    let top = sheet.y;
    if logo_room > 0.0 {
        logo(sheet, data, sheet.left, top, Tone::Rule, Tone::Ink);
    }
    left.draw(sheet, sheet.left + logo_room, top, Align::Left);
    right.draw(sheet, sheet.right, top, Align::Right);
    let logo_height = if logo_room > 0.0 { LOGO } else { 0.0 };
    sheet.y = top + left.height().max(right.height()).max(logo_height) + 1.5;
    sheet.line((sheet.left, sheet.y), (sheet.right, sheet.y), 0.6, Tone::Ink);
}
