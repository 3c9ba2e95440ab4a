//! Transmissions ciblées: a note about a person written in the DAR form (Données, Actions,
//! Résultats) on a target (cible) taken from a versioned code list (`data/cibles-transmission.csv`),
//! in a category that decides who may read it: soins, éducatif and social follow the care record's
//! permissions, médical follows the medical secret. A transmission is never edited in place: a
//! correction is a new version and the earlier ones stay readable.

use serde::{Deserialize, Serialize};

use crate::authz::Action;
use crate::codelist::cibles_transmission;
use crate::error::{FieldError, FieldErrors};
use crate::input;

/// The category of a transmission. It is chosen when the transmission is written and never
/// changes, so a correction can never move a note in or out of the medical secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Soins,
    Educatif,
    Social,
    /// Under the medical secret: readable with `ReadMedical` only.
    Medical,
}

impl Category {
    pub const ALL: &'static [Category] = &[
        Category::Soins,
        Category::Educatif,
        Category::Social,
        Category::Medical,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Soins => "soins",
            Category::Educatif => "educatif",
            Category::Social => "social",
            Category::Medical => "medical",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Category::Soins => "Soins",
            Category::Educatif => "Éducatif",
            Category::Social => "Social",
            Category::Medical => "Médical (secret médical)",
        }
    }

    pub fn parse(s: &str) -> Result<Category, FieldError> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.code() == s.trim())
            .ok_or_else(|| FieldError::new("category", "Choisissez une catégorie dans la liste."))
    }

    /// The permission needed to read transmissions of this category.
    pub fn read_action(self) -> Action {
        match self {
            Category::Medical => Action::ReadMedical,
            _ => Action::ReadCareRecord,
        }
    }

    /// The permission needed to write (or correct) transmissions of this category.
    pub fn write_action(self) -> Action {
        match self {
            Category::Medical => Action::WriteMedical,
            _ => Action::WriteCareRecord,
        }
    }
}

/// The longest D, A or R part.
pub const PART_MAX: usize = 4000;

/// A transmission as typed in a form or a JSON body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransmission {
    /// A code of `data/cibles-transmission.csv` (`douleur`, `sommeil`…).
    #[serde(default)]
    pub cible: String,
    /// `soins`, `educatif`, `social` or `medical` (ignored for a correction: it never changes).
    #[serde(default)]
    pub category: String,
    /// Données: what was observed.
    #[serde(default)]
    pub donnees: String,
    /// Actions: what was done.
    #[serde(default)]
    pub actions: String,
    /// Résultats: what came of it (may be written later, in a correction).
    #[serde(default)]
    pub resultats: String,
    /// `on`, `true` or `1` when the transmission must be read first at the relève.
    #[serde(default)]
    pub important: String,
    /// Why it is corrected (corrections only).
    #[serde(default)]
    pub reason: String,
}

/// A checked DAR content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dar {
    pub cible: String,
    pub donnees: String,
    pub actions: Option<String>,
    pub resultats: Option<String>,
    pub important: bool,
}

impl RawTransmission {
    /// Checks the content: a known cible, the Données required, every part at most
    /// [`PART_MAX`] characters.
    pub fn dar(&self) -> Result<Dar, FieldErrors> {
        let mut e = FieldErrors::default();
        let cible = e.take(cibles_transmission().parse_code("cible", &self.cible));
        let donnees = e.take(input::opt_text("donnees", &self.donnees, PART_MAX));
        let actions = e.take(input::opt_text("actions", &self.actions, PART_MAX));
        let resultats = e.take(input::opt_text("resultats", &self.resultats, PART_MAX));
        let donnees = match donnees {
            Some(Some(d)) => Some(d),
            Some(None) => {
                e.push(
                    "donnees",
                    "Décrivez les données observées (le D de la transmission).",
                );
                None
            }
            None => None,
        };
        match (cible, donnees, actions, resultats) {
            (Some(cible), Some(donnees), Some(actions), Some(resultats)) if e.is_empty() => {
                Ok(Dar {
                    cible,
                    donnees,
                    actions,
                    resultats,
                    important: matches!(self.important.trim(), "on" | "true" | "1"),
                })
            }
            _ => Err(e),
        }
    }

    pub fn category(&self) -> Result<Category, FieldError> {
        Category::parse(&self.category)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_dar_needs_a_known_cible_and_the_donnees() {
        let raw = RawTransmission {
            cible: "piscine".into(),
            donnees: "  ".into(),
            ..Default::default()
        };
        let e = raw.dar().unwrap_err();
        assert!(e.get("cible").is_some());
        assert!(e.get("donnees").is_some());
        let ok = RawTransmission {
            cible: "douleur".into(),
            donnees: "Se plaint du genou".into(),
            important: "on".into(),
            ..Default::default()
        }
        .dar()
        .unwrap();
        assert!(ok.important);
        assert_eq!(ok.actions, None);
    }

    #[test]
    fn medical_transmissions_follow_the_medical_secret() {
        assert_eq!(Category::Medical.read_action(), Action::ReadMedical);
        assert_eq!(Category::Educatif.read_action(), Action::ReadCareRecord);
        assert_eq!(Category::Soins.write_action(), Action::WriteCareRecord);
        assert!(Category::parse("juridique").is_err());
    }
}
