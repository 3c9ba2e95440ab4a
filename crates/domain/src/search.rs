//! French full-text search: how a text becomes index terms, how a query becomes term groups, and
//! how an extract is highlighted.
//!
//! **Why in Rust and not in each engine.** SQLite has no French stemmer and PostgreSQL's `french`
//! configuration has its own parser and stop words: two engines would return two different answers.
//! Here a text is cut, folded and stemmed once, in Rust; the engines only store and intersect the
//! resulting terms (SQLite FTS5 over the term list, PostgreSQL a GIN index over the same list taken
//! as lexemes without any parser), so both give exactly the same results.
//!
//! **Accents, case, plurals.** Every word is lower-cased and given two stems with the Snowball
//! French stemmer: the stem of the accented word, folded (accents and ligatures removed), and the
//! stem of the folded word. The first is the better stem of a well-written word ("fatiguée" →
//! `fatigu`); the second is what a word typed without accents gives ("fatiguee" → `fatigue`). A
//! document is indexed under both; a query word matches a document holding either of its own two
//! stems. So "Douleurs", "douleur" and "DOULEUR" meet, and "fatiguee" finds "fatiguée".
//!
//! **Stop words** (le, la, de, pour…) are neither indexed nor searched: a query made of them only is
//! refused with a message rather than matching everything.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::error::FieldError;
use crate::text::fold;

/// Words longer than this are cut (nobody searches a 60-letter word; it bounds the index).
pub const MAX_WORD: usize = 40;
/// The most words a query may have.
pub const MAX_QUERY_WORDS: usize = 8;

/// French function words, in folded form (no accents). Kept short on purpose: words such as `pas`
/// or `sans` carry meaning in a care note ("n'a pas mangé") and stay searchable.
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle",
    "elles", "en", "et", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui",
    "m", "ma", "me", "mes", "mon", "n", "ne", "nous", "on", "ou", "par", "pour", "qu", "que",
    "qui", "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "ton", "tu", "un", "une",
    "vous", "y",
];

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::French))
}

/// Lower case, accents and ligatures removed (`œ` → `oe`).
fn folded(word: &str) -> String {
    fold(word).to_lowercase()
}

/// The words of a text with their byte ranges: maximal runs of letters and digits (an apostrophe,
/// a hyphen or any punctuation separates words: "l'infirmière" is `l` + `infirmière`).
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut begin: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), begin) {
            (true, None) => begin = Some(i),
            (false, Some(b)) => {
                out.push((b, &text[b..i]));
                begin = None;
            }
            _ => {}
        }
    }
    if let Some(b) = begin {
        out.push((b, &text[b..]));
    }
    out.into_iter()
}

/// A stem as an index term: ASCII letters and digits only. A letter left outside ASCII after folding
/// (Greek, Arabic…) is written as its code point, so that no engine's own Unicode folding can make
/// SQLite and PostgreSQL disagree.
fn ascii_term(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            out.push_str(&format!("u{:x}", c as u32));
        }
    }
    out
}

/// The one or two stems of a word, or none for a stop word. Words with digits are kept whole.
fn stems(word: &str) -> Vec<String> {
    stems_raw(word)
        .iter()
        .map(|s| ascii_term(s))
        .filter(|s| !s.is_empty())
        .fold(Vec::new(), |mut acc, s| {
            if !acc.contains(&s) {
                acc.push(s);
            }
            acc
        })
}

fn stems_raw(word: &str) -> Vec<String> {
    let lower: String = word.to_lowercase().chars().take(MAX_WORD).collect();
    let plain = folded(&lower);
    if plain.is_empty() || STOP_WORDS.contains(&plain.as_str()) {
        return Vec::new();
    }
    if plain.chars().any(|c| c.is_ascii_digit()) {
        return vec![plain.replace(' ', "")];
    }
    let a = folded(&stemmer().stem(&lower)).replace(' ', "");
    let b = stemmer().stem(&plain).replace(' ', "");
    if a == b || b.is_empty() {
        vec![a]
    } else if a.is_empty() {
        vec![b]
    } else {
        vec![a, b]
    }
}

/// The index terms of a text: every stem of every word, once, sorted. Terms are lower-case ASCII
/// letters and digits only (`[a-z0-9]+` after folding), so they are safe in an FTS5 or tsquery
/// expression once quoted.
pub fn terms(text: &str) -> BTreeSet<String> {
    words(text)
        .flat_map(|(_, w)| stems(w))
        .filter(|t| !t.is_empty())
        .collect()
}

/// The index terms of a text as stored: space-separated.
pub fn terms_line(text: &str) -> String {
    terms(text).into_iter().collect::<Vec<_>>().join(" ")
}

/// A checked query: for each meaningful word, the stems any of which a document must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The words as typed (for the page).
    pub text: String,
    /// One group per word; a document matches when it holds a term of every group.
    pub groups: Vec<Vec<String>>,
}

impl Query {
    /// Parses what was typed in the search box.
    pub fn parse(q: &str) -> Result<Query, FieldError> {
        let text = q.trim().to_string();
        if text.is_empty() {
            return Err(FieldError::new(
                "q",
                "Saisissez un ou plusieurs mots à rechercher.",
            ));
        }
        if text.chars().count() > 200 {
            return Err(FieldError::new(
                "q",
                "La recherche est limitée à 200 caractères.",
            ));
        }
        let mut groups: Vec<Vec<String>> = Vec::new();
        for (_, w) in words(&text) {
            let s = stems(w);
            if !s.is_empty() && !groups.contains(&s) {
                groups.push(s);
            }
        }
        if groups.is_empty() {
            return Err(FieldError::new(
                "q",
                "Ces mots sont trop courants pour être recherchés : précisez votre recherche.",
            ));
        }
        if groups.len() > MAX_QUERY_WORDS {
            return Err(FieldError::new(
                "q",
                format!("La recherche est limitée à {MAX_QUERY_WORDS} mots."),
            ));
        }
        Ok(Query { text, groups })
    }

    /// The query in SQLite FTS5 syntax: `("a" OR "b") AND "c"`.
    pub fn fts5(&self) -> String {
        self.expression(" OR ", " AND ", '"')
    }

    /// The query in PostgreSQL tsquery syntax, read as lexemes without a parser (`$1::tsquery`):
    /// `('a' | 'b') & 'c'`.
    pub fn tsquery(&self) -> String {
        self.expression(" | ", " & ", '\'')
    }

    fn expression(&self, or: &str, and: &str, quote: char) -> String {
        self.groups
            .iter()
            .map(|g| {
                let alts: Vec<String> = g.iter().map(|t| format!("{quote}{t}{quote}")).collect();
                if alts.len() == 1 {
                    alts.join("")
                } else {
                    format!("({})", alts.join(or))
                }
            })
            .collect::<Vec<_>>()
            .join(and)
    }

    /// Whether a text matches the query (what the engines decide, in Rust: used by the tests and
    /// to choose which field to extract from).
    pub fn matches(&self, text: &str) -> bool {
        let t = terms(text);
        self.groups.iter().all(|g| g.iter().any(|s| t.contains(s)))
    }

    fn hits(&self, word: &str) -> bool {
        stems(word)
            .iter()
            .any(|s| self.groups.iter().any(|g| g.contains(s)))
    }
}

/// A piece of an extract: plain text, or a matched word to highlight. The page escapes both.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// An extract of about `width` characters around the first matched word of `text`, matched words
/// marked; `None` if no word of the text matches.
pub fn extract(query: &Query, text: &str, width: usize) -> Option<Vec<Segment>> {
    let found: Vec<(usize, usize)> = words(text)
        .filter(|(_, w)| query.hits(w))
        .map(|(at, w)| (at, at + w.len()))
        .collect();
    let first = found.first()?;
    // Start a third of the width before the first hit, on a char boundary, at a word start.
    let mut start = first.0.saturating_sub(width / 3);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        // After the first space (which may be several bytes long: a no-break space…).
        start = text[start..first.0]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(first.0, |(i, c)| start + i + c.len_utf8());
    }
    let mut end = (start + width).min(text.len()).max(first.1);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut out = Vec::new();
    if start > 0 {
        out.push(Segment {
            text: "… ".into(),
            hit: false,
        });
    }
    let mut pos = start;
    for &(a, b) in found.iter().filter(|(a, b)| *a >= start && *b <= end) {
        if a > pos {
            out.push(Segment {
                text: text[pos..a].to_string(),
                hit: false,
            });
        }
        out.push(Segment {
            text: text[a..b].to_string(),
            hit: true,
        });
        pos = b;
    }
    if end > pos {
        out.push(Segment {
            text: text[pos..end].to_string(),
            hit: false,
        });
    }
    if end < text.len() {
        out.push(Segment {
            text: " …".into(),
            hit: false,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    fn q(s: &str) -> Query {
        Query::parse(s).unwrap()
    }

    #[test]
    fn accents_case_and_plurals_meet() {
        let doc = "Mme a des DOULEURS au genou ; très fatiguée ce matin, œdème des chevilles.";
        for query in [
            "douleur",
            "Douleurs",
            "DOULEUR genou",
            "fatiguee",
            "fatigue",
            "Fatigués",
            "oedeme",
            "Œdèmes",
            "cheville",
        ] {
            assert!(q(query).matches(doc), "{query}");
        }
        assert!(!q("douleur hanche").matches(doc));
        assert!(q("scolarite").matches("Scolarité : bonne semaine"));
        assert!(q("évaluations").matches("evaluation faite"));
    }

    #[test]
    fn stop_words_are_not_searched_alone() {
        assert_eq!(
            Query::parse("de la").unwrap_err().message,
            "Ces mots sont trop courants pour être recherchés : précisez votre recherche."
        );
        assert!(Query::parse("   ").is_err());
        assert_eq!(q("la chute de Mme").groups.len(), 2);
        assert!(Query::parse(&"mot ".repeat(9).replace("mot", "a1")).is_ok());
        let many: String = (0..9).map(|i| format!("mot{i} ")).collect();
        assert!(Query::parse(&many).is_err());
    }

    #[test]
    fn the_engine_expressions_are_quoted_terms() {
        let query = q("fatiguée chute");
        assert_eq!(query.fts5(), "(\"fatigu\" OR \"fatigue\") AND \"chut\"");
        assert_eq!(query.tsquery(), "('fatigu' | 'fatigue') & 'chut'");
    }

    #[test]
    fn extracts_mark_matched_words_and_keep_the_text() {
        let text = "Nuit agitée. Douleur à la hanche droite vers 3 h, paracétamol donné. Douleurs calmées à 4 h.";
        let ex = extract(&q("douleur"), text, 60).unwrap();
        let hits: Vec<&str> = ex
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, vec!["Douleur"]);
        let joined: String = ex.iter().map(|s| s.text.as_str()).collect();
        assert!(joined.contains("Douleur à la hanche"), "{joined}");
        assert!(extract(&q("chute"), text, 60).is_none());
        let all = extract(&q("douleur"), text, 500).unwrap();
        assert_eq!(all.iter().filter(|s| s.hit).count(), 2);
    }

    proptest! {
        #[test]
        fn terms_are_safe_ascii_words(s in "\\PC{0,80}") {
            for t in terms(&s) {
                prop_assert!(!t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{t:?}");
            }
        }

        #[test]
        fn a_text_matches_a_query_made_of_its_own_words(s in "[a-zA-Zéèàçô ]{1,60}") {
            if let Ok(query) = Query::parse(&s) {
                prop_assert!(query.matches(&s));
                prop_assert!(extract(&query, &s, 80).is_some());
            }
        }

        #[test]
        fn extracts_never_panic(s in "\\PC{0,120}", w in "\\PC{1,12}", width in 1usize..200) {
            if let Ok(query) = Query::parse(&w) {
                let _ = extract(&query, &s, width);
            }
        }
    }
}
