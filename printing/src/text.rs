//! Setting text: fonts by size, weight and tone, wrapping by shaped
//! width, and wrapped blocks drawn as one unit.

use contract::print::{Align, Tone};

use super::fonts::{MM_PER_PT, measure};
use super::layout::Sheet;

/// How a run of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    pub size: f32,
    pub bold: bool,
    pub tone: Tone,
}

impl Font {
    pub fn tone(self, tone: Tone) -> Self {
        Self { tone, ..self }
    }

    /// Distance between baselines. Generous because Devanagari marks reach
    /// well above and below Latin letters.
    pub fn line_h(self) -> f32 {
        self.size * MM_PER_PT * 1.42
    }

    /// From the top of a line to its baseline.
    pub fn ascent(self) -> f32 {
        self.size * MM_PER_PT * 1.05
    }

    pub fn width(self, text: &str) -> f32 {
        measure(text, self.size, self.bold)
    }
}

/// Lines of text wrapped to a width, drawn as one unit.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub lines: Vec<(Font, String)>,
}

impl Block {
    pub fn push(&mut self, font: Font, text: &str, width: f32) -> &mut Self {
        self.lines
            .extend(wrap(text, font, width).into_iter().map(|l| (font, l)));
        self
    }

    pub fn height(&self) -> f32 {
        self.lines.iter().map(|(f, _)| f.line_h()).sum()
    }

    /// Draws the block with its first line's top at `top`; `x` is the
    /// anchor for `align`.
    pub fn draw(&self, sheet: &mut Sheet, x: f32, top: f32, align: Align) {
        let mut y = top;
        for (font, line) in &self.lines {
            sheet.text(x, y + font.ascent(), *font, align, line);
            y += font.line_h();
        }
    }
}

/// "Label: value" with the value wrapped beside the label.
#[derive(Debug, Clone)]
pub struct Labelled {
    label: String,
    font: Font,
    indent: f32,
    value: Block,
}

impl Labelled {
    pub fn new(label: &str, value: &str, fonts: (Font, Font), width: f32) -> Self {
        let label = format!("{label}: ");
        let indent = fonts.0.width(&label);
        let mut block = Block::default();
        block.push(fonts.1, value, width - indent);
        Self {
            label,
            font: fonts.0,
            indent,
            value: block,
        }
    }

    pub fn height(&self) -> f32 {
        self.value.height().max(self.font.line_h())
    }

    /// Writes the label and value at the cursor's left edge.
    pub fn write(&self, sheet: &mut Sheet) {
        // Keep a short value together with its label; a long one may break.
        let together: f32 = self.value.lines.iter().take(3).map(|(f, _)| f.line_h()).sum();
        sheet.ensure(together.max(self.font.line_h()));
        let first = self.value.lines.first().map_or(self.font, |(f, _)| *f);
        sheet.text(
            sheet.left,
            sheet.y + first.ascent(),
            self.font,
            Align::Left,
            &self.label,
        );
        sheet.flow(&self.value, sheet.left + self.indent);
    }
}

/// Text measured exactly as wide as the room still fits: widths are sums
/// of floats and must not wrap on rounding.
const FIT_SLACK: f32 = 0.05;

/// Breaks `text` into lines no wider than `width` mm: at spaces where it
/// can, inside a word only when the word alone is too wide. Explicit line
/// breaks are kept.
pub fn wrap(text: &str, font: Font, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if font.width(&candidate) <= width + FIT_SLACK {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = break_word(word, font, width, &mut lines);
        }
        lines.push(line);
    }
    lines
}

/// Pushes full-width pieces of an over-long word to `lines` and returns
/// the rest. Never breaks before a combining mark or after a virama, so a
/// Devanagari or Tamil syllable stays whole.
fn break_word(word: &str, font: Font, width: f32, lines: &mut Vec<String>) -> String {
    let mut piece = String::new();
    let mut prev: Option<char> = None;
    for c in word.chars() {
        let joined = is_mark(c) || prev.is_some_and(is_virama);
        if !piece.is_empty() && !joined && font.width(&format!("{piece}{c}")) > width + FIT_SLACK {
            lines.push(std::mem::take(&mut piece));
        }
        piece.push(c);
        prev = Some(c);
    }
    piece
}

fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}'
        | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}' | '\u{0B82}'
        | '\u{0BBE}'..='\u{0BCD}' | '\u{0BD7}' | '\u{200C}' | '\u{200D}')
}

fn is_virama(c: char) -> bool {
    matches!(c, '\u{094D}' | '\u{0BCD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Font {
        Font {
            size: 10.0,
            bold: false,
            tone: Tone::Ink,
        }
    }

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        let text = "Take after food with a full glass of water, avoid driving";
        let lines = wrap(text, body(), 40.0);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| body().width(l) <= 40.0 + FIT_SLACK),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("one\ntwo", body(), 100.0), ["one", "two"]);
        assert_eq!(wrap("", body(), 100.0), [""]);
    }

    #[test]
    fn wrap_splits_an_over_long_word_between_syllables() {
        let lines = wrap("Pneumonoultramicroscopicsilicovolcanoconiosis", body(), 20.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(
            lines.iter().all(|l| body().width(l) <= 20.0 + FIT_SLACK),
            "{lines:?}"
        );
        let name = "शर्माशर्माशर्माशर्माशर्मा";
        let lines = wrap(name, body(), 10.0);
        assert_eq!(lines.concat(), name);
        for line in &lines {
            let first = line.chars().next().expect("non-empty line");
            assert!(!is_mark(first), "{lines:?}");
        }
        assert!(lines.iter().all(|l| !l.ends_with('\u{094D}')), "{lines:?}");
    }
}
