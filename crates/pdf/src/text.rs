//! The embedded fonts, text measurement and line breaking.
//!
//! krilla draws a string on one line; breaking paragraphs into lines is ours. Widths come from the fonts'
//! own advance widths (read with skrifa, the parser krilla already uses), so a line never overflows the
//! margin, whatever the size. krilla shapes with kerning, which only ever makes a line a little shorter
//! than measured here.

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

use crate::PdfError;

/// DejaVu Sans 2.37 (see `fonts/README.md`), compiled in so a fresh clone and the server need nothing installed.
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold 2.37.
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The two faces the documents use. Bold carries labels and headings, never meaning alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// A piece of a line in one weight.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Run {
    pub(crate) weight: Weight,
    pub(crate) text: String,
}

/// One laid-out line: runs drawn one after the other.
pub(crate) type Line = Vec<Run>;

struct Face {
    charmap: Charmap<'static>,
    glyphs: GlyphMetrics<'static>,
    units_per_em: f32,
    ascent: f32,
    descent: f32,
}

impl Face {
    fn parse(data: &'static [u8], name: &'static str) -> Result<Self, PdfError> {
        let font = FontRef::new(data).map_err(|_| PdfError::Font(name))?;
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        if metrics.units_per_em == 0 {
            return Err(PdfError::Font(name));
        }
        let units_per_em = f32::from(metrics.units_per_em);
        Ok(Self {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: metrics.descent.abs() / units_per_em,
        })
    }

    fn has(&self, c: char) -> bool {
        self.charmap.map(c).is_some()
    }

    /// Advance width in em.
    fn advance(&self, c: char) -> f32 {
        self.charmap
            .map(c)
            .and_then(|glyph| self.glyphs.advance_width(glyph))
            .unwrap_or(0.0)
            / self.units_per_em
    }
}

/// Measures and breaks text with the metrics of the embedded fonts.
pub(crate) struct Metrics {
    regular: Face,
    bold: Face,
}

/// A word: the text between breakable spaces, possibly in several weights ("(SERAFIN" bold then ")" regular).
type Word = Vec<(Weight, String)>;

enum Token {
    Word(Word),
    Space(Weight),
    Break,
}

impl Metrics {
    pub(crate) fn load() -> Result<Self, PdfError> {
        Ok(Self {
            regular: Face::parse(REGULAR_TTF, "DejaVuSans")?,
            bold: Face::parse(BOLD_TTF, "DejaVuSans-Bold")?,
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Distance from the top of the text to the baseline, in em.
    pub(crate) fn ascent(&self) -> f32 {
        self.regular.ascent
    }

    /// Depth below the baseline, in em.
    pub(crate) fn descent(&self) -> f32 {
        self.regular.descent
    }

    /// Width of `text` in points.
    pub(crate) fn width(&self, weight: Weight, size: f32, text: &str) -> f32 {
        let face = self.face(weight);
        text.chars().map(|c| face.advance(c)).sum::<f32>() * size
    }

    /// Makes any text drawable: tabs become spaces, control and invisible format characters go (PDF/UA
    /// forbids U+0000, U+FEFF and U+FFFE in text), and a character the fonts lack becomes U+FFFD, because an
    /// empty glyph would both hide a word and fail PDF/UA validation. Line breaks (`\n`) are kept.
    pub(crate) fn clean(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' | '\u{2028}' | '\u{2029}' => out.push('\n'),
                '\t' => out.push(' '),
                '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {}
                c if c.is_control() => {}
                c if self.regular.has(c) && self.bold.has(c) => out.push(c),
                _ if self.regular.has('\u{FFFD}') && self.bold.has('\u{FFFD}') => {
                    out.push('\u{FFFD}')
                }
                _ => out.push('?'),
            }
        }
        out
    }

    fn word_width(&self, word: &Word, size: f32) -> f32 {
        word.iter()
            .map(|(weight, text)| self.width(*weight, size, text))
            .sum()
    }

    /// Breaks `runs` into lines no wider than `max_width` points: greedily at spaces, at `\n` always, and
    /// inside a word only when the word alone is wider than the line. Runs must be [`Metrics::clean`]ed.
    /// A wrapped line keeps its trailing space, so text extracted from the PDF keeps its word boundaries.
    pub(crate) fn wrap(&self, runs: &[(Weight, &str)], size: f32, max_width: f32) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut line: Line = Vec::new();
        let mut line_width = 0.0;
        let mut pending_space: Option<Weight> = None;

        for token in tokenize(runs) {
            match token {
                Token::Space(weight) => {
                    if !line.is_empty() {
                        pending_space = Some(weight);
                    }
                }
                Token::Break => {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                    pending_space = None;
                }
                Token::Word(word) => {
                    let width = self.word_width(&word, size);
                    let space = pending_space.take();
                    let space_width = space.map_or(0.0, |w| self.width(w, size, " "));
                    if !line.is_empty() && line_width + space_width + width <= max_width {
                        if let Some(weight) = space {
                            push_text(&mut line, weight, " ");
                        }
                        line_width += space_width;
                    } else if !line.is_empty() {
                        if let Some(weight) = space {
                            push_text(&mut line, weight, " ");
                        }
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    if line_width + width <= max_width || !line.is_empty() {
                        for (weight, text) in &word {
                            push_text(&mut line, *weight, text);
                        }
                        line_width += width;
                    } else {
                        // A word longer than a whole line (a long reference, an address): cut it.
                        for (weight, c) in word
                            .iter()
                            .flat_map(|(w, t)| t.chars().map(move |c| (*w, c)))
                        {
                            let mut buf = [0u8; 4];
                            let c = c.encode_utf8(&mut buf);
                            let w = self.width(weight, size, c);
                            if !line.is_empty() && line_width + w > max_width {
                                lines.push(std::mem::take(&mut line));
                                line_width = 0.0;
                            }
                            push_text(&mut line, weight, c);
                            line_width += w;
                        }
                    }
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// `text` cut to `max_width` points, ending with "…" when it had to be cut (for one-line footers).
    pub(crate) fn truncate(&self, weight: Weight, size: f32, text: &str, max_width: f32) -> String {
        if self.width(weight, size, text) <= max_width {
            return text.to_owned();
        }
        let ellipsis = self.width(weight, size, "…");
        let mut out = String::new();
        let mut width = 0.0;
        for c in text.chars() {
            let mut buf = [0u8; 4];
            let w = self.width(weight, size, c.encode_utf8(&mut buf));
            if width + w + ellipsis > max_width {
                break;
            }
            out.push(c);
            width += w;
        }
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }
}

fn push_text(line: &mut Line, weight: Weight, text: &str) {
    match line.last_mut() {
        Some(run) if run.weight == weight => run.text.push_str(text),
        _ => line.push(Run {
            weight,
            text: text.to_owned(),
        }),
    }
}

fn tokenize(runs: &[(Weight, &str)]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Word = Vec::new();
    let flush = |word: &mut Word, tokens: &mut Vec<Token>| {
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(word)));
        }
    };
    for (weight, text) in runs {
        for c in text.chars() {
            match c {
                ' ' => {
                    flush(&mut word, &mut tokens);
                    tokens.push(Token::Space(*weight));
                }
                '\n' => {
                    flush(&mut word, &mut tokens);
                    tokens.push(Token::Break);
                }
                c => match word.last_mut() {
                    Some((w, text)) if w == weight => text.push(c),
                    _ => word.push((*weight, c.to_string())),
                },
            }
        }
    }
    flush(&mut word, &mut tokens);
    tokens
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn joined(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|r| r.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_keeps_every_word() {
        let m = Metrics::load().unwrap();
        let text = "Je voudrais aller voir ma sœur à Épinal plus souvent, et apprendre à cuisiner.";
        let lines = m.wrap(&[(Weight::Regular, text)], 12.0, 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            let s: String = line.iter().map(|r| r.text.as_str()).collect();
            assert!(m.width(Weight::Regular, 12.0, s.trim_end()) <= 150.0, "{s}");
        }
        assert_eq!(joined(&lines).concat(), text);
    }

    #[test]
    fn honours_line_breaks_and_cuts_overlong_words() {
        let m = Metrics::load().unwrap();
        let lines = m.wrap(&[(Weight::Regular, "un\ndeux")], 12.0, 300.0);
        assert_eq!(joined(&lines), ["un", "deux"]);
        let long = "a".repeat(200);
        let lines = m.wrap(&[(Weight::Bold, &long)], 12.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(joined(&lines).concat(), long);
    }

    #[test]
    fn keeps_weights_apart_within_a_line() {
        let m = Metrics::load().unwrap();
        let lines = m.wrap(
            &[
                (Weight::Bold, "Pour quand : "),
                (Weight::Regular, "juin 2026"),
            ],
            12.0,
            400.0,
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0],
            vec![
                Run {
                    weight: Weight::Bold,
                    text: "Pour quand : ".into()
                },
                Run {
                    weight: Weight::Regular,
                    text: "juin 2026".into()
                }
            ]
        );
    }

    #[test]
    fn replaces_what_the_font_cannot_draw() {
        let m = Metrics::load().unwrap();
        assert_eq!(m.clean("é\u{0}\u{FEFF}à\tœ"), "éà œ");
        assert_eq!(m.clean("漢"), "\u{FFFD}");
    }
}
