//! Real PDFs read back with poppler (`pdftotext`, `pdfinfo`): the text a
//! pharmacist's viewer extracts and the paper size a printer sees.

use std::path::Path;
use std::process::Command;

use contract::print::{
    Align, ItemColumn, Orientation, PageItem, Paper, PatientField, Preset, PrintLayout, Tone,
};

use printing::fonts::{MM_PER_PT, measure};
use printing::prescription_pdf;

mod sample;
use sample::sample_data;

const NAME: &str = "अनिता शर्मा";
const LICENCE: &str = "KMC-12345";
const MEDICINES: [&str; 5] = [
    "Amoxicillin 500 mg",
    "Paracetamol 650 mg",
    "Pantoprazole 40 mg",
    "Cetirizine 10 mg",
    "Azithromycin 250 mg",
];

/// Runs a poppler tool; a missing tool fails the test, since without it
/// nothing here is checked.
fn poppler(tool: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(tool).args(args).arg(file).arg("-").output();
    let out = match out {
        Ok(out) => out,
        Err(e) => panic!("cannot run `{tool}` ({e}): install poppler-utils (apt-get install poppler-utils)"),
    };
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

fn write_pdf(dir: &Path, name: &str, layout: &PrintLayout, items: usize) -> std::path::PathBuf {
    let pdf = prescription_pdf(&sample_data(items), layout).expect("PDF renders");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).expect("PDF written");
    path
}

/// What `pdfinfo` says about a PDF.
#[derive(Debug)]
struct Info {
    /// Width and height in points.
    size: (f32, f32),
    pages: usize,
    title: String,
}

fn info(file: &Path) -> Info {
    let out = Command::new("pdfinfo").arg(file).output();
    let out = match out {
        Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
        Err(e) => panic!("cannot run `pdfinfo` ({e}): install poppler-utils (apt-get install poppler-utils)"),
    };
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no {name} in pdfinfo output:\n{out}"))
            .to_owned()
    };
    let size: Vec<f32> = field("Page size:")
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    Info {
        size: (size[0], size[1]),
        pages: field("Pages:").parse().expect("page count"),
        title: field("Title:"),
    }
}

fn assert_size(file: &Path, expected: (f32, f32)) {
    let (w, h) = info(file).size;
    assert!(
        (w - expected.0).abs() <= 1.0 && (h - expected.1).abs() <= 1.0,
        "{} is {w} x {h} pts, expected {expected:?}",
        file.display()
    );
}

#[test]
fn every_preset_prints_the_patient_medicines_and_licence() {
    let dir = tempfile::tempdir().expect("temp dir");
    for preset in Preset::ALL {
        let layout = PrintLayout::from_preset(*preset);
        let file = write_pdf(dir.path(), preset.as_str(), &layout, MEDICINES.len());
        let text = poppler("pdftotext", &["-layout"], &file);
        assert!(
            text.contains(NAME),
            "{preset:?}: patient name missing from:\n{text}"
        );
        for medicine in MEDICINES {
            assert!(
                text.contains(medicine),
                "{preset:?}: {medicine} missing from:\n{text}"
            );
        }
        assert!(
            text.contains(LICENCE),
            "{preset:?}: licence missing from:\n{text}"
        );
        assert!(
            text.contains("காந்தி"),
            "{preset:?}: Tamil address word missing from:\n{text}"
        );
        assert!(
            text.contains("Allergies: Penicillin, Sulfa drugs"),
            "{preset:?}:\n{text}"
        );
        assert!(
            text.contains("page 1 of 1"),
            "{preset:?}: footer missing from:\n{text}"
        );
        let title = info(&file).title;
        assert_eq!(
            title,
            format!("Prescription RX202611270042 – {NAME}"),
            "{preset:?}"
        );
    }
}

/// A 1×1 PNG, as the settings keep a logo.
const PNG_LOGO: &str = "data:image/png;base64,\
    iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// Images in a PDF, as `pdfimages -list` sees them.
fn image_count(file: &Path) -> usize {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(file)
        .output()
        .expect("pdfimages (poppler-utils) must be installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Two heading lines, then one line per image or transparency mask.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|line| line.split_whitespace().nth(2) == Some("image"))
        .count()
}

#[test]
fn the_clinics_logo_prints_as_an_image_and_a_damaged_one_does_not_stop_printing() {
    let dir = tempfile::tempdir().expect("temp dir");
    for preset in Preset::ALL {
        let layout = PrintLayout::from_preset(*preset);
        let mut data = sample_data(2);
        let none = prescription_pdf(&data, &layout).expect("PDF renders");
        data.logo = Some(PNG_LOGO.into());
        let with_logo = prescription_pdf(&data, &layout).expect("PDF renders");
        data.logo = Some("data:image/png;base64,iVBORw0KGgoAAAAAAAA".into());
        let damaged = prescription_pdf(&data, &layout).expect("a damaged logo still prints");
        let count = |name: &str, pdf: Vec<u8>| {
            let path = dir.path().join(format!("{}-{name}.pdf", preset.as_str()));
            std::fs::write(&path, pdf).expect("PDF written");
            image_count(&path)
        };
        assert_eq!(count("none", none), 0, "{preset:?}: initials, no image");
        // The minimal look has no logo unless the layout asks for one.
        let shown = usize::from(layout.options.show_logo);
        assert_eq!(count("logo", with_logo), shown, "{preset:?}: the logo");
        assert_eq!(count("damaged", damaged), 0, "{preset:?}: an empty square");
    }
}

#[test]
fn the_minimal_look_prints_the_logo_when_the_layout_asks_for_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut layout = PrintLayout::from_preset(Preset::Minimal);
    layout.options.show_logo = true;
    let mut data = sample_data(2);
    data.logo = Some(PNG_LOGO.into());
    let path = dir.path().join("minimal-logo.pdf");
    std::fs::write(&path, prescription_pdf(&data, &layout).expect("PDF renders")).expect("PDF written");
    assert_eq!(image_count(&path), 1, "the logo ticked on the minimal look");
    let text = poppler("pdftotext", &["-layout"], &path);
    assert!(
        text.contains("Sunrise Family") && text.contains("Phone:"),
        "the letterhead beside it:\n{text}"
    );
    // Without the letterhead there is no logo either (pre-printed paper).
    layout.options.show_header = false;
    std::fs::write(&path, prescription_pdf(&data, &layout).expect("PDF renders")).expect("PDF written");
    assert_eq!(image_count(&path), 0, "no letterhead, no logo");
}

#[test]
fn the_licence_is_left_out_when_hidden() {
    let dir = tempfile::tempdir().expect("temp dir");
    for preset in Preset::ALL {
        let mut layout = PrintLayout::from_preset(*preset);
        layout.options.show_licence = false;
        let file = write_pdf(dir.path(), preset.as_str(), &layout, 3);
        let text = poppler("pdftotext", &["-layout"], &file);
        assert!(
            !text.contains(LICENCE),
            "{preset:?}: licence printed although hidden:\n{text}"
        );
        assert!(text.contains(NAME), "{preset:?}:\n{text}");
    }
}

#[test]
fn page_size_follows_paper_and_orientation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (Preset::Classic, Paper::A4, Orientation::Portrait, (595.0, 842.0)),
        (Preset::Minimal, Paper::A5, Orientation::Portrait, (420.0, 595.0)),
        (Preset::Minimal, Paper::A5, Orientation::Landscape, (595.0, 420.0)),
        (
            Preset::Modern,
            Paper::Letter,
            Orientation::Portrait,
            (612.0, 792.0),
        ),
        (Preset::Classic, Paper::A4, Orientation::Landscape, (842.0, 595.0)),
    ];
    for (i, (preset, paper, orientation, points)) in cases.into_iter().enumerate() {
        let layout = PrintLayout {
            paper,
            orientation,
            ..PrintLayout::from_preset(preset)
        };
        let file = write_pdf(dir.path(), &format!("size-{i}"), &layout, 5);
        assert_size(&file, points);
    }
}

#[test]
fn forty_items_run_onto_more_pages_with_the_table_header_repeated() {
    let dir = tempfile::tempdir().expect("temp dir");
    for preset in Preset::ALL {
        let layout = PrintLayout::from_preset(*preset);
        let file = write_pdf(dir.path(), preset.as_str(), &layout, 40);
        let pages = info(&file).pages;
        assert!(pages >= 2, "{preset:?}: 40 items on {pages} page(s)");
        let second = poppler("pdftotext", &["-layout", "-f", "2", "-l", "2"], &file);
        assert!(
            second.contains(&format!("page 2 of {pages}")),
            "{preset:?}:\n{second}"
        );
        assert!(
            second.to_lowercase().contains("medicine"),
            "{preset:?}: no table header:\n{second}"
        );
        assert!(
            second.contains("continued") && second.contains(NAME),
            "{preset:?}:\n{second}"
        );
        let all = poppler("pdftotext", &["-layout"], &file);
        assert!(
            all.contains("Zinc 20 mg, pack 40"),
            "{preset:?}: the last item is missing"
        );
    }
}

#[test]
fn only_the_chosen_patient_fields_and_columns_are_printed() {
    let mut layout = PrintLayout::from_preset(Preset::Classic);
    layout.options.patient_fields = vec![PatientField::Name, PatientField::Mobile];
    layout.options.columns = vec![ItemColumn::Medicine, ItemColumn::Duration];
    let doc = printing::layout(&sample_data(3), &layout);
    let text = doc.texts().join("\n");
    assert!(text.contains(NAME) && text.contains("+91 98450 12345"), "{text}");
    for hidden in [
        "Female",
        "34 years",
        "B+",
        "Penicillin",
        "1-0-1",
        "After food",
        "Dosage",
    ] {
        assert!(
            !text.contains(hidden),
            "{hidden} printed although not chosen:\n{text}"
        );
    }
    assert!(text.contains("5 days") && text.contains("Duration"), "{text}");
}

#[test]
fn allergies_are_in_the_accent_colour() {
    let doc = printing::layout(&sample_data(1), &PrintLayout::from_preset(Preset::Modern));
    let accent = doc.pages[0].items.iter().any(|i| {
        matches!(i, PageItem::Text { text, tone: Tone::Accent, .. } if text.starts_with("Allergies: Penicillin"))
    });
    assert!(accent, "allergies not highlighted");
}

/// The box a text item's glyphs occupy (left, top, right, bottom), mm.
fn text_box(item: &PageItem) -> Option<(f32, f32, f32, f32)> {
    let PageItem::Text {
        x_mm,
        y_mm,
        size_pt,
        bold,
        align,
        text,
        ..
    } = item
    else {
        return None;
    };
    let w = measure(text, *size_pt, *bold);
    let left = match align {
        Align::Left => *x_mm,
        Align::Right => x_mm - w,
        Align::Center => x_mm - w / 2.0,
    };
    let em = size_pt * MM_PER_PT;
    Some((left, y_mm - 0.75 * em, left + w, y_mm + 0.2 * em))
}

#[test]
fn no_text_overlaps_or_leaves_the_margins() {
    let mut landscape = PrintLayout::from_preset(Preset::Minimal);
    landscape.orientation = Orientation::Landscape;
    let layouts = Preset::ALL
        .iter()
        .map(|p| PrintLayout::from_preset(*p))
        .chain([landscape]);
    for layout in layouts {
        let doc = printing::layout(&sample_data(40), &layout);
        let m = layout.margins;
        for (n, page) in doc.pages.iter().enumerate() {
            let boxes: Vec<_> = page.items.iter().filter_map(text_box).collect();
            for (i, a) in boxes.iter().enumerate() {
                // Wrapping allows a line a hair (0.05 mm) past its room.
                let inside = a.0 >= m.left - 0.06
                    && a.2 <= page.width_mm - m.right + 0.06
                    && a.3 <= page.height_mm - m.bottom + 0.06;
                assert!(
                    inside,
                    "{:?} page {n}: text outside the margins at {a:?}",
                    layout.preset
                );
                for b in &boxes[i + 1..] {
                    let overlap = a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
                    assert!(!overlap, "{:?} page {n}: {a:?} overlaps {b:?}", layout.preset);
                }
            }
        }
    }
}
