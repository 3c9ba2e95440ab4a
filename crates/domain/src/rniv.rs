//! Identity statuses and their transitions per the RNIV (référentiel national d'identitovigilance),
//! domain.md §2.3: provisoire → récupérée (INS from INSi) / validée (high-trust document) →
//! qualifiée (both). Only a qualified identity may share its INS. Downgrades are always possible.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdentityStatus {
    Provisoire,
    Recuperee,
    Validee,
    Qualifiee,
}

impl IdentityStatus {
    pub const ALL: &'static [IdentityStatus] = &[
        IdentityStatus::Provisoire,
        IdentityStatus::Recuperee,
        IdentityStatus::Validee,
        IdentityStatus::Qualifiee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdentityStatus::Provisoire => "PROV",
            IdentityStatus::Recuperee => "RECUP",
            IdentityStatus::Validee => "VALI",
            IdentityStatus::Qualifiee => "QUAL",
        }
    }
    pub fn parse(s: &str) -> Result<IdentityStatus, FieldError> {
        IdentityStatus::ALL
            .iter()
            .copied()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| FieldError::new("status", "Statut d'identité inconnu."))
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            IdentityStatus::Provisoire => "Identité provisoire",
            IdentityStatus::Recuperee => "Identité récupérée",
            IdentityStatus::Validee => "Identité validée",
            IdentityStatus::Qualifiee => "Identité qualifiée",
        }
    }
    /// RNIV: only a qualified identity may reference and exchange health data with the INS.
    pub fn ins_shareable(self) -> bool {
        self == IdentityStatus::Qualifiee
    }
}

/// Identity document types (FR Core `fr-core-vs-mode-validation-identity`, domain.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValidationMode {
    AN,
    CC,
    CE,
    CM,
    CN,
    CS,
    LE,
    PA,
    PC,
    TC,
    DC,
    AC,
    IE,
}

/// (mode, code, French label, high-trust device?). High trust per RNIV (identito-na, sante-ara 2024):
/// passport, national ID card, residence permit, EU identity card, eIDAS identification, the EHPAD
/// special case "birth certificate + Carte Vitale with photo" and the minor's travel document.
/// Birth certificates and family books (AN, LE) only count together with a parent's high-trust
/// device, which Parcours does not model yet: they are not high trust on their own.
const MODES: &[(ValidationMode, &str, &str, bool)] = &[
    (
        ValidationMode::AN,
        "AN",
        "Extrait d'acte de naissance",
        false,
    ),
    (ValidationMode::CC, "CC", "Carnet de circulation", false),
    (
        ValidationMode::CE,
        "CE",
        "Carte d'identité européenne",
        true,
    ),
    (ValidationMode::CM, "CM", "Carte militaire", false),
    (ValidationMode::CN, "CN", "Carte nationale d'identité", true),
    (ValidationMode::CS, "CS", "Titre de séjour", true),
    (ValidationMode::LE, "LE", "Livret de famille", false),
    (ValidationMode::PA, "PA", "Passeport", true),
    (ValidationMode::PC, "PC", "Permis de conduire", false),
    (ValidationMode::TC, "TC", "Tiers de confiance", false),
    (
        ValidationMode::DC,
        "DC",
        "Document de circulation pour étranger mineur",
        true,
    ),
    (
        ValidationMode::AC,
        "AC",
        "Acte de naissance et carte Vitale avec photo (EHPAD)",
        true,
    ),
    (
        ValidationMode::IE,
        "IE",
        "Identification électronique (eIDAS)",
        true,
    ),
];

impl ValidationMode {
    pub const ALL: &'static [ValidationMode] = &[
        ValidationMode::PA,
        ValidationMode::CN,
        ValidationMode::CE,
        ValidationMode::CS,
        ValidationMode::IE,
        ValidationMode::AC,
        ValidationMode::DC,
        ValidationMode::AN,
        ValidationMode::LE,
        ValidationMode::PC,
        ValidationMode::CM,
        ValidationMode::CC,
        ValidationMode::TC,
    ];

    fn row(self) -> (&'static str, &'static str, bool) {
        MODES
            .iter()
            .find(|m| m.0 == self)
            .map(|m| (m.1, m.2, m.3))
            .unwrap_or(("", "", false))
    }
    pub fn code(self) -> &'static str {
        self.row().0
    }
    pub fn label_fr(self) -> &'static str {
        self.row().1
    }
    pub fn is_high_trust(self) -> bool {
        self.row().2
    }
    pub fn parse(s: &str) -> Result<ValidationMode, FieldError> {
        MODES
            .iter()
            .find(|m| m.1 == s.trim().to_uppercase())
            .map(|m| m.0)
            .ok_or_else(|| {
                FieldError::new(
                    "validation_mode",
                    "Type de justificatif d'identité inconnu.",
                )
            })
    }
}

/// RNIV attributes, independent of the status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityAttributes {
    pub douteuse: bool,
    pub fictive: bool,
    pub homonyme: bool,
}

/// What is known when a status change is asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusFacts {
    pub has_ins: bool,
    /// The INS was returned or verified by the INSi teleservice (not merely typed).
    pub ins_from_insi: bool,
    /// The identity document checked, and when.
    pub document: Option<(ValidationMode, Date)>,
    pub attributes: IdentityAttributes,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Le statut est déjà celui demandé.")]
    SameStatus,
    #[error("Une identité douteuse ou fictive reste provisoire.")]
    DoubtfulOrFictive,
    #[error("Ce statut exige un INS récupéré ou vérifié par le téléservice INSi.")]
    NeedsInsi,
    #[error("Ce statut exige le contrôle d'un justificatif d'identité à haut niveau de confiance.")]
    NeedsHighTrustDocument,
    #[error("Transition non prévue par le RNIV : repassez d'abord en identité provisoire.")]
    NotAllowed,
}

/// What each target status requires: (needs INS from INSi, needs a high-trust document).
fn requirements(to: IdentityStatus) -> (bool, bool) {
    match to {
        IdentityStatus::Provisoire => (false, false),
        IdentityStatus::Recuperee => (true, false),
        IdentityStatus::Validee => (false, true),
        IdentityStatus::Qualifiee => (true, true),
    }
}

/// The transition table: upgrades that add one proof (or both from provisoire), and downgrades.
/// Récupérée ⇄ validée is not a transition: the other proof makes it qualifiée instead.
fn allowed(from: IdentityStatus, to: IdentityStatus) -> bool {
    use IdentityStatus::*;
    matches!(
        (from, to),
        (Provisoire, Recuperee | Validee | Qualifiee)
            | (Recuperee | Validee, Qualifiee)
            | (Recuperee | Validee | Qualifiee, Provisoire)
            | (Qualifiee, Recuperee | Validee)
    )
}

pub fn check_transition(
    from: IdentityStatus,
    to: IdentityStatus,
    facts: &StatusFacts,
) -> Result<(), TransitionError> {
    if from == to {
        return Err(TransitionError::SameStatus);
    }
    if (facts.attributes.douteuse || facts.attributes.fictive) && to != IdentityStatus::Provisoire {
        return Err(TransitionError::DoubtfulOrFictive);
    }
    if !allowed(from, to) {
        return Err(TransitionError::NotAllowed);
    }
    let (needs_insi, needs_document) = requirements(to);
    if needs_insi && !(facts.has_ins && facts.ins_from_insi) {
        return Err(TransitionError::NeedsInsi);
    }
    if needs_document && !facts.document.is_some_and(|(m, _)| m.is_high_trust()) {
        return Err(TransitionError::NeedsHighTrustDocument);
    }
    Ok(())
}

/// A doubtful or fictitious identity can only be provisoire.
pub fn required_status_after_attributes(
    current: IdentityStatus,
    attrs: &IdentityAttributes,
) -> IdentityStatus {
    if attrs.douteuse || attrs.fictive {
        IdentityStatus::Provisoire
    } else {
        current
    }
}

/// The date an identity document was checked: a real date, not in the future.
pub fn parse_document_date(s: &str, today: Date) -> Result<Date, FieldError> {
    let d = crate::identity::parse_date(s.trim()).ok_or_else(|| {
        FieldError::new(
            "document_date",
            "La date du contrôle n'est pas une date valide.",
        )
    })?;
    if d > today {
        return Err(FieldError::new(
            "document_date",
            "La date du contrôle ne peut pas être dans le futur.",
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use IdentityStatus::*;

    fn facts(insi: bool, doc: Option<ValidationMode>) -> StatusFacts {
        StatusFacts {
            has_ins: insi,
            ins_from_insi: insi,
            document: doc.map(|m| (m, Date::constant(2025, 1, 1))),
            attributes: IdentityAttributes::default(),
        }
    }

    /// Expected outcome of every (from, to) pair with each combination of proofs, written out.
    #[test]
    fn transition_table() {
        let passport = Some(ValidationMode::PA);
        // (from, to, insi, document, ok)
        let cases: &[(
            IdentityStatus,
            IdentityStatus,
            bool,
            Option<ValidationMode>,
            bool,
        )] = &[
            (Provisoire, Recuperee, true, None, true),
            (Provisoire, Recuperee, false, None, false),
            (Provisoire, Validee, false, passport, true),
            (Provisoire, Validee, false, Some(ValidationMode::PC), false),
            (Provisoire, Validee, false, None, false),
            (Provisoire, Qualifiee, true, passport, true),
            (Provisoire, Qualifiee, true, None, false),
            (Provisoire, Qualifiee, false, passport, false),
            (Recuperee, Qualifiee, true, passport, true),
            (Recuperee, Qualifiee, true, Some(ValidationMode::LE), false),
            (Validee, Qualifiee, true, passport, true),
            (Validee, Qualifiee, false, passport, false),
            (Recuperee, Validee, true, passport, false),
            (Validee, Recuperee, true, passport, false),
            (Recuperee, Provisoire, false, None, true),
            (Validee, Provisoire, false, None, true),
            (Qualifiee, Provisoire, false, None, true),
            (Qualifiee, Recuperee, true, None, true),
            (Qualifiee, Validee, false, passport, true),
        ];
        for (from, to, insi, doc, ok) in cases {
            let r = check_transition(*from, *to, &facts(*insi, *doc));
            assert_eq!(
                r.is_ok(),
                *ok,
                "{from:?} -> {to:?} insi={insi} doc={doc:?}: {r:?}"
            );
        }
        for s in IdentityStatus::ALL {
            assert_eq!(
                check_transition(*s, *s, &facts(true, passport)),
                Err(TransitionError::SameStatus)
            );
        }
    }

    #[test]
    fn a_doubtful_or_fictitious_identity_stays_provisoire() {
        for attrs in [
            IdentityAttributes {
                douteuse: true,
                ..Default::default()
            },
            IdentityAttributes {
                fictive: true,
                ..Default::default()
            },
        ] {
            let f = StatusFacts {
                attributes: attrs,
                ..facts(true, Some(ValidationMode::PA))
            };
            for to in [Recuperee, Validee, Qualifiee] {
                assert_eq!(
                    check_transition(Provisoire, to, &f),
                    Err(TransitionError::DoubtfulOrFictive)
                );
            }
            assert!(check_transition(Qualifiee, Provisoire, &f).is_ok());
            assert_eq!(
                required_status_after_attributes(Qualifiee, &attrs),
                Provisoire
            );
        }
        let homonyme = IdentityAttributes {
            homonyme: true,
            ..Default::default()
        };
        assert_eq!(
            required_status_after_attributes(Qualifiee, &homonyme),
            Qualifiee
        );
    }

    #[test]
    fn only_a_qualified_identity_shares_its_ins() {
        assert!(Qualifiee.ins_shareable());
        assert!(
            !Recuperee.ins_shareable() && !Validee.ins_shareable() && !Provisoire.ins_shareable()
        );
    }

    #[test]
    fn every_validation_mode_round_trips() {
        assert_eq!(ValidationMode::ALL.len(), 13);
        for m in ValidationMode::ALL {
            assert_eq!(ValidationMode::parse(m.code()).unwrap(), *m);
            assert!(!m.label_fr().is_empty());
        }
    }

    #[test]
    fn document_date_is_not_in_the_future() {
        let today = Date::constant(2026, 11, 22);
        assert!(parse_document_date("2026-11-23", today).is_err());
        assert!(parse_document_date("15/09/2025", today).is_ok());
    }
}
