//! The bundled fonts (assets/fonts): which one draws which characters, and
//! how wide shaped text is. A printout must not depend on the fonts a PC
//! happens to have, and widths must come from the same shaping the PDF
//! uses, or wrapped and right-aligned text would not line up.

use std::sync::OnceLock;

use rustybuzz::{Face, UnicodeBuffer};

/// Millimetres per typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// The writing systems we carry a font for; everything else is drawn with
/// Noto Sans (Latin, digits, punctuation, common symbols).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Devanagari,
    Tamil,
}

impl Script {
    pub const ALL: [Script; 3] = [Script::Latin, Script::Devanagari, Script::Tamil];

    /// The script a character belongs to; `None` for characters that any of
    /// our fonts may draw (spaces, punctuation, joiners), which follow the
    /// text around them so a name is not broken into needless runs.
    fn of(c: char) -> Option<Script> {
        match c {
            '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' => Some(Script::Devanagari),
            '\u{0B80}'..='\u{0BFF}' => Some(Script::Tamil),
            c if c.is_whitespace() || c.is_ascii_punctuation() || is_joiner(c) => None,
            _ => Some(Script::Latin),
        }
    }
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// One font file of the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FontKey {
    pub script: Script,
    pub bold: bool,
}

impl FontKey {
    pub fn all() -> impl Iterator<Item = FontKey> {
        Script::ALL
            .into_iter()
            .flat_map(|script| [false, true].map(|bold| FontKey { script, bold }))
    }

    /// The font file's bytes, compiled into the binary.
    pub fn bytes(self) -> &'static [u8] {
        match (self.script, self.bold) {
            (Script::Latin, false) => include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
            (Script::Latin, true) => include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
            (Script::Devanagari, false) => {
                include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf")
            }
            (Script::Devanagari, true) => {
                include_bytes!("../../assets/fonts/NotoSansDevanagari-Bold.ttf")
            }
            (Script::Tamil, false) => include_bytes!("../../assets/fonts/NotoSansTamil-Regular.ttf"),
            (Script::Tamil, true) => include_bytes!("../../assets/fonts/NotoSansTamil-Bold.ttf"),
        }
    }

    /// The parsed face, for shaping; parsed once per process. `None` only if
    /// a bundled file were damaged, which the tests rule out.
    pub fn face(self) -> Option<&'static Face<'static>> {
        static FACES: OnceLock<Vec<(FontKey, Option<Face<'static>>)>> = OnceLock::new();
        let faces = FACES.get_or_init(|| {
            FontKey::all()
                .map(|k| (k, Face::from_slice(k.bytes(), 0)))
                .collect()
        });
        faces
            .iter()
            .find(|(k, _)| *k == self)
            .and_then(|(_, f)| f.as_ref())
    }

    fn has_glyph(self, c: char) -> bool {
        self.face().is_some_and(|f| f.glyph_index(c).is_some())
    }
}

/// A stretch of text drawn with one font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run<'a> {
    pub text: &'a str,
    pub font: FontKey,
}

/// Splits `text` into runs of one script each. Spaces and punctuation
/// stay with the run they are in when its font has them (Devanagari text
/// keeps its spaces and dandas in one shaped run), otherwise they go to
/// Noto Sans.
pub fn runs(text: &str, bold: bool) -> Vec<Run<'_>> {
    let mut out: Vec<Run<'_>> = Vec::new();
    let mut start = 0;
    let mut current: Option<Script> = None;
    for (i, c) in text.char_indices() {
        let script = match (Script::of(c), current) {
            (Some(s), _) => s,
            (None, Some(s)) if FontKey { script: s, bold }.has_glyph(c) || is_joiner(c) => s,
            (None, _) => Script::Latin,
        };
        if current.is_some_and(|s| s != script) {
            push_run(&mut out, &text[start..i], current, bold);
            start = i;
        }
        current = Some(script);
    }
    push_run(&mut out, &text[start..], current, bold);
    out
}

fn push_run<'a>(out: &mut Vec<Run<'a>>, text: &'a str, script: Option<Script>, bold: bool) {
    if let (false, Some(script)) = (text.is_empty(), script) {
        out.push(Run {
            text,
            font: FontKey { script, bold },
        });
    }
}

/// Advance width of one run in points, as rustybuzz shapes it (the same
/// shaping krilla applies when it draws the run).
pub fn run_width_pt(run: Run<'_>, size_pt: f32) -> f32 {
    let Some(face) = run.font.face() else {
        // A damaged bundle: estimate half an em per character rather than
        // fail the layout; the PDF writer reports the font itself.
        return run.text.chars().count() as f32 * size_pt * 0.5;
    };
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(run.text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(face, &[], buffer);
    let units: i64 = shaped
        .glyph_positions()
        .iter()
        .map(|p| i64::from(p.x_advance))
        .sum();
    units as f32 * size_pt / face.units_per_em().max(1) as f32
}

/// Width of `text` in millimetres at `size_pt`.
pub fn measure(text: &str, size_pt: f32, bold: bool) -> f32 {
    runs(text, bold)
        .into_iter()
        .map(|r| run_width_pt(r, size_pt))
        .sum::<f32>()
        * MM_PER_PT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts(text: &str) -> Vec<(&str, Script)> {
        runs(text, false)
            .into_iter()
            .map(|r| (r.text, r.font.script))
            .collect()
    }

    #[test]
    fn every_bundled_font_parses() {
        for key in FontKey::all() {
            let face = key.face().unwrap_or_else(|| panic!("{key:?} does not parse"));
            assert!(face.units_per_em() > 0);
        }
    }

    #[test]
    fn mixed_text_splits_into_script_runs() {
        assert_eq!(
            scripts("Mrs. अनिता शर्मा (42)"),
            [
                ("Mrs. ", Script::Latin),
                ("अनिता शर्मा (", Script::Devanagari),
                ("42)", Script::Latin),
            ]
        );
        assert_eq!(
            scripts("12, காந்தி சாலை, Chennai"),
            [
                ("12, ", Script::Latin),
                ("காந்தி சாலை, ", Script::Tamil),
                ("Chennai", Script::Latin),
            ]
        );
        assert_eq!(scripts(""), []);
        assert_eq!(scripts("ꣲ"), [("ꣲ", Script::Devanagari)]);
    }

    #[test]
    fn measure_follows_shaping() {
        let narrow = measure("iiii", 10.0, false);
        let wide = measure("MMMM", 10.0, false);
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} vs {wide}");
        assert!(measure("Amoxicillin", 10.0, true) > measure("Amoxicillin", 10.0, false));
        let name = measure("अनिता शर्मा", 10.0, false);
        assert!((10.0..40.0).contains(&name), "Devanagari name is {name} mm");
        assert!((measure("abc", 20.0, false) - 2.0 * measure("abc", 10.0, false)).abs() < 0.01);
    }
}
