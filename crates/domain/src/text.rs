//! Accent- and case-insensitive search forms of names: "Lefèvre", "LEFEVRE" and "lefevre" are one.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Search form: decomposed, combining marks dropped, ligatures expanded, upper case, anything that
/// is not a letter or digit turned into a single space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("OE"),
            'æ' | 'Æ' => out.push_str("AE"),
            'ß' => out.push_str("SS"),
            c if c.is_alphanumeric() => out.extend(c.to_uppercase()),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The distinct words of the search form, in order.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in fold(s).split(' ') {
        if !t.is_empty() && !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_accents_case_ligatures_and_punctuation() {
        assert_eq!(fold("Lefèvre"), "LEFEVRE");
        assert_eq!(fold("  Cœur-de-Lion  d'Arc "), "COEUR DE LION D ARC");
        assert_eq!(fold("Ægir Straße"), "AEGIR STRASSE");
        assert_eq!(fold("Hélène-Noëlle"), "HELENE NOELLE");
    }

    #[test]
    fn tokens_are_distinct_words() {
        assert_eq!(tokens("Marie MARIE Anne-marie"), vec!["MARIE", "ANNE"]);
        assert!(tokens("  -- ").is_empty());
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn tokens_of_the_folded_form_are_the_same(s in "\\PC{0,40}") {
            prop_assert_eq!(tokens(&fold(&s)), tokens(&s));
        }
    }
}
