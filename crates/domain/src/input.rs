//! Small parsers for form and API fields shared by every functional area: dates, optional texts.
//! Text fields refuse control characters (a NUL or an escape sequence has no place in a legal record).

use jiff::civil::Date;

use crate::error::FieldError;

/// Maximum length of a free comment, in characters.
pub const LONG_TEXT: usize = 4000;

/// A required date `YYYY-MM-DD` (what `<input type="date">` sends).
pub fn date(field: &'static str, s: &str) -> Result<Date, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "La date est obligatoire."));
    }
    crate::identity::parse_date(s)
        .ok_or_else(|| FieldError::new(field, "Ce n'est pas une date valide (JJ/MM/AAAA)."))
}

/// An optional date: empty means none.
pub fn opt_date(field: &'static str, s: &str) -> Result<Option<Date>, FieldError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        date(field, s).map(Some)
    }
}

/// A required one-line text of at most `max` characters, whitespace collapsed.
pub fn text(field: &'static str, s: &str, max: usize) -> Result<String, FieldError> {
    match opt_line(field, s, max)? {
        Some(t) => Ok(t),
        None => Err(FieldError::new(field, "Ce champ est obligatoire.")),
    }
}

/// An optional one-line text, whitespace collapsed.
pub fn opt_line(field: &'static str, s: &str, max: usize) -> Result<Option<String>, FieldError> {
    Ok(opt_text(field, s, max)?.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// An optional text: trimmed, empty means none; line breaks kept (comments), other controls refused.
pub fn opt_text(field: &'static str, s: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "Ce champ contient des caractères non autorisés.",
        ));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("Ce champ ne doit pas dépasser {max} caractères."),
        ));
    }
    Ok(Some(t.replace("\r\n", "\n")))
}

/// French display of a civil date: "05/03/2026".
pub fn date_fr(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn dates_and_texts() {
        assert_eq!(
            date("d", "2026-02-28").unwrap(),
            jiff::civil::date(2026, 2, 28)
        );
        assert!(date("d", "2026-02-30").is_err());
        assert!(date("d", "").is_err());
        assert_eq!(opt_date("d", " ").unwrap(), None);
        assert!(opt_text("t", "a\u{0}b", 10).is_err());
        assert_eq!(
            opt_text("t", " ligne 1\r\nligne 2 ", 100).unwrap().unwrap(),
            "ligne 1\nligne 2"
        );
        assert!(text("t", "   ", 10).is_err());
        assert!(text("t", "abcdef", 3).is_err());
        assert_eq!(date_fr(jiff::civil::date(2026, 3, 5)), "05/03/2026");
    }
}
