//! Versioned code lists read from the project's `data/` files (`code;label;…` lines, `#` comments,
//! one header line). Codes are stored in the database; labels are what professionals read. A later
//! edition adds codes and never reuses one with another meaning, so history stays readable.

use std::sync::OnceLock;

use crate::error::FieldError;

/// One entry of a code list, with the extra columns of its file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Code {
    pub code: String,
    pub label: String,
    #[serde(skip)]
    pub extra: Vec<String>,
}

impl Code {
    /// The n-th extra column (after code and label), empty if absent.
    pub fn extra(&self, n: usize) -> &str {
        self.extra.get(n).map(String::as_str).unwrap_or("")
    }
}

/// A parsed code list.
#[derive(Debug)]
pub struct CodeList {
    /// Stable name, used in error messages and the API.
    pub name: &'static str,
    pub codes: Vec<Code>,
}

impl CodeList {
    fn parse(name: &'static str, csv: &str) -> CodeList {
        let codes = csv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
            .filter_map(|l| {
                let mut parts = l.split(';').map(|p| p.trim().to_string());
                let code = parts.next()?;
                let label = parts.next()?;
                Some(Code {
                    code,
                    label,
                    extra: parts.collect(),
                })
            })
            .collect();
        CodeList { name, codes }
    }

    pub fn get(&self, code: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// The label of a stored code; an unknown code (from a later edition) shows as itself.
    pub fn label<'a>(&'a self, code: &'a str) -> &'a str {
        self.get(code).map(|c| c.label.as_str()).unwrap_or(code)
    }

    /// Validates a code received at the edge.
    pub fn parse_code(&self, field: &'static str, s: &str) -> Result<String, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                field,
                "Choisissez une valeur dans la liste.",
            ));
        }
        self.get(s)
            .map(|c| c.code.clone())
            .ok_or_else(|| FieldError::new(field, "Cette valeur ne fait pas partie de la liste."))
    }
}

macro_rules! code_list {
    ($(#[$doc:meta])* $fn:ident, $name:literal, $file:literal) => {
        $(#[$doc])*
        pub fn $fn() -> &'static CodeList {
            static LIST: OnceLock<CodeList> = OnceLock::new();
            LIST.get_or_init(|| CodeList::parse($name, include_str!(concat!("../../../data/", $file))))
        }
    };
}

code_list!(
    /// Modalités d'accompagnement (internat, semi-internat, SESSAD…): `data/modalites-accompagnement.csv`.
    modalites,
    "modalite",
    "modalites-accompagnement.csv"
);
code_list!(
    /// Modes d'entrée: `data/modes-entree.csv`.
    modes_entree,
    "mode_entree",
    "modes-entree.csv"
);
code_list!(
    /// Modes de sortie: `data/modes-sortie.csv`.
    modes_sortie,
    "mode_sortie",
    "modes-sortie.csv"
);
code_list!(
    /// Origins of an admission request: `data/origines-demande.csv`.
    origines_demande,
    "origine",
    "origines-demande.csv"
);
code_list!(
    /// Consent purposes: `data/consent-purposes.csv`.
    consent_purposes,
    "purpose",
    "consent-purposes.csv"
);
code_list!(
    /// Types of projet personnalisé (TDDUI JDV_J367): `data/projet-types.csv`.
    projet_types,
    "type",
    "projet-types.csv"
);
code_list!(
    /// Targets (cibles) of the transmissions ciblées: `data/cibles-transmission.csv`.
    cibles_transmission,
    "cible",
    "cibles-transmission.csv"
);
code_list!(
    /// Types of the medical documents of the medical file: `data/types-document-medical.csv`.
    types_document_medical,
    "type",
    "types-document-medical.csv"
);
code_list!(
    /// Types of écrits professionnels (note d'observation, bilan…): `data/types-ecrit.csv`.
    types_ecrit,
    "kind",
    "types-ecrit.csv"
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn every_list_loads_with_unique_codes() {
        for list in [
            modalites(),
            modes_entree(),
            modes_sortie(),
            origines_demande(),
            consent_purposes(),
            projet_types(),
            cibles_transmission(),
            types_document_medical(),
            types_ecrit(),
        ] {
            assert!(list.codes.len() >= 5, "{}", list.name);
            let mut codes: Vec<_> = list.codes.iter().map(|c| &c.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), list.codes.len(), "{}", list.name);
        }
        assert_eq!(modalites().get("internat").unwrap().extra(0), "1");
        assert_eq!(
            consent_purposes().label("dmp"),
            "Création et alimentation du DMP (Mon espace santé)"
        );
        assert!(modalites().parse_code("modalite", "piscine").is_err());
        assert_eq!(
            modalites().parse_code("modalite", " externat ").unwrap(),
            "externat"
        );
    }
}
