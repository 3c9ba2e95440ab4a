//! The organisation's structures: FINESS numbers, ESMS categories, capacities.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The Luhn check (mod 10) used by FINESS keys (domain.md §7.1, verified on real numbers) and, as
/// assumed [M], by RPPS numbers.
pub(crate) fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

/// A FINESS number (juridique or géographique): 9 characters, département first (2A/2B for
/// Corsica), Luhn key over the 9 digits. For Corsican numbers the key handling is unverified [M],
/// so they are checked on format only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finess(String);

impl Finess {
    pub fn parse(s: &str) -> Result<Finess, FieldError> {
        let err = |m: &str| FieldError::new("finess", m);
        let code: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if code.is_empty() {
            return Err(err("Le numéro FINESS est obligatoire."));
        }
        if code.chars().count() != 9 {
            return Err(err("Le numéro FINESS comporte 9 caractères."));
        }
        // Byte slicing below needs ASCII; any other character is refused here, never a panic.
        if !code.is_ascii() {
            return Err(err(
                "Le numéro FINESS ne contient que des chiffres (2A ou 2B pour la Corse).",
            ));
        }
        let corsica = code.starts_with("2A") || code.starts_with("2B");
        let rest_digits = code[2..].chars().all(|c| c.is_ascii_digit());
        if corsica {
            return if rest_digits {
                Ok(Finess(code))
            } else {
                Err(err(
                    "Le numéro FINESS ne contient que des chiffres (2A ou 2B pour la Corse).",
                ))
            };
        }
        if !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(
                "Le numéro FINESS ne contient que des chiffres (2A ou 2B pour la Corse).",
            ));
        }
        if !luhn_valid(&code) {
            return Err(err(
                "La clé du numéro FINESS est incorrecte : vérifiez la saisie.",
            ));
        }
        Ok(Finess(code))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ESMS category (FINESS TRE_R66), from `data/finess-categories.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EsmsCategory {
    code: String,
    label: String,
    deprecated: bool,
}

impl EsmsCategory {
    pub fn code(&self) -> &str {
        &self.code
    }
    pub fn label(&self) -> &str {
        &self.label
    }
    pub fn deprecated(&self) -> bool {
        self.deprecated
    }
}

const CATEGORIES_CSV: &str = include_str!("../../../data/finess-categories.csv");

fn parse_line(line: &str) -> Option<EsmsCategory> {
    let mut parts = line.split(';');
    let code = parts.next()?.trim();
    let label = parts.next()?.trim();
    let deprecated = parts.next()?.trim();
    if code.len() != 3
        || !code.chars().all(|c| c.is_ascii_digit())
        || label.is_empty()
        || parts.next().is_some()
    {
        return None;
    }
    Some(EsmsCategory {
        code: code.to_string(),
        label: label.to_string(),
        deprecated: deprecated == "1",
    })
}

/// Every category, current ones first, in file order.
pub fn esms_categories() -> Vec<EsmsCategory> {
    let mut all: Vec<EsmsCategory> = CATEGORIES_CSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(parse_line)
        .collect();
    all.sort_by_key(|c| c.deprecated);
    all
}

pub fn esms_category(code: &str) -> Option<EsmsCategory> {
    esms_categories().into_iter().find(|c| c.code == code)
}

pub fn parse_capacity(s: &str) -> Result<u32, FieldError> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= 10_000 => Ok(n),
        _ => Err(FieldError::new(
            "capacity",
            "La capacité autorisée est un nombre de places entre 0 et 10 000.",
        )),
    }
}

/// A required free label (a name), trimmed, at most `max` characters.
pub fn parse_label(field: &'static str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(FieldError::new(field, "Ce champ est obligatoire."));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("Ce champ ne doit pas dépasser {max} caractères."),
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn accepts_real_finess_numbers() {
        for f in [
            "010780914",
            "750712184",
            "130786049",
            "690781810",
            "330781196",
            "750100018",
            "750000523",
        ] {
            assert!(Finess::parse(f).is_ok(), "{f}");
        }
    }

    #[test]
    fn refuses_a_finess_with_a_wrong_key() {
        let e = Finess::parse("010780915").unwrap_err();
        assert_eq!(
            e.message,
            "La clé du numéro FINESS est incorrecte : vérifiez la saisie."
        );
        assert!(Finess::parse("01078091").is_err());
        assert!(Finess::parse("2A0000001").is_ok());
    }

    #[test]
    fn the_category_file_has_no_malformed_line() {
        let data: Vec<&str> = CATEGORIES_CSV
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .collect();
        for l in &data {
            assert!(parse_line(l).is_some(), "malformed line: {l}");
        }
        assert_eq!(esms_categories().len(), data.len());
        assert_eq!(
            esms_category("500").unwrap().label(),
            "EHPAD — Établissement d'hébergement pour personnes âgées dépendantes"
        );
        assert!(esms_category("186").is_some());
        assert!(esms_category("437").unwrap().deprecated());
        assert!(!esms_categories()[0].deprecated());
    }

    #[test]
    fn capacity_and_labels() {
        assert_eq!(parse_capacity(" 80 ").unwrap(), 80);
        assert!(
            parse_capacity("-1").is_err()
                && parse_capacity("abc").is_err()
                && parse_capacity("10001").is_err()
        );
        assert_eq!(
            parse_label("name", "  Les   Lilas ", 10).unwrap(),
            "Les Lilas"
        );
        assert!(parse_label("name", "  ", 10).is_err());
    }
}
