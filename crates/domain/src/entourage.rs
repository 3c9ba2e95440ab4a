//! The person's circle: relatives, aidants, personne de confiance, personne à prévenir, and legal
//! protection measures with the representative they name. What a measure implies for consent and
//! signature is decided here ([`signing_rule`]), once, for every feature that asks.

use jiff::civil::Date;
use serde::Serialize;

use crate::error::FieldError;

/// Relation of a member of the entourage to the person (after TRE_R216-HL7RoleCode, simplified).
pub const RELATIONS: &[(&str, &str)] = &[
    ("mere", "Mère"),
    ("pere", "Père"),
    ("parent", "Parent"),
    ("conjoint", "Conjoint·e"),
    ("enfant", "Enfant"),
    ("fratrie", "Frère / sœur"),
    ("grand_parent", "Grand-parent"),
    ("autre_famille", "Autre membre de la famille"),
    ("famille_accueil", "Assistant·e familial·e"),
    ("ami", "Ami·e, voisin·e"),
    ("mandataire", "Mandataire judiciaire (professionnel)"),
    ("autre", "Autre"),
];

pub fn parse_relation(s: &str) -> Result<String, FieldError> {
    RELATIONS
        .iter()
        .find(|(c, _)| *c == s.trim())
        .map(|(c, _)| c.to_string())
        .ok_or_else(|| FieldError::new("relation", "Choisissez un lien dans la liste."))
}

pub fn relation_label(code: &str) -> &str {
    RELATIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// How a measure affects the person's acts (Code civil, livre Ier, titre XI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Regime {
    /// The person keeps the exercise of their rights (sauvegarde de justice, art. 435).
    None,
    /// The person acts, assisted by the protector (curatelle, art. 467; habilitation familiale
    /// d'assistance, art. 494-1).
    Assistance,
    /// The protector acts for the person (tutelle, art. 473; habilitation familiale de
    /// représentation, art. 494-1; mandat de protection future once in force, art. 477).
    Representation,
}

/// Legal protection measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    SauvegardeJustice,
    CuratelleSimple,
    CuratelleRenforcee,
    Tutelle,
    HabilitationFamilialeAssistance,
    HabilitationFamilialeRepresentation,
    MandatProtectionFuture,
}

impl MeasureKind {
    pub const ALL: &'static [MeasureKind] = &[
        MeasureKind::SauvegardeJustice,
        MeasureKind::CuratelleSimple,
        MeasureKind::CuratelleRenforcee,
        MeasureKind::Tutelle,
        MeasureKind::HabilitationFamilialeAssistance,
        MeasureKind::HabilitationFamilialeRepresentation,
        MeasureKind::MandatProtectionFuture,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeasureKind::SauvegardeJustice => "sauvegarde_justice",
            MeasureKind::CuratelleSimple => "curatelle_simple",
            MeasureKind::CuratelleRenforcee => "curatelle_renforcee",
            MeasureKind::Tutelle => "tutelle",
            MeasureKind::HabilitationFamilialeAssistance => "habilitation_familiale_assistance",
            MeasureKind::HabilitationFamilialeRepresentation => {
                "habilitation_familiale_representation"
            }
            MeasureKind::MandatProtectionFuture => "mandat_protection_future",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            MeasureKind::SauvegardeJustice => "Sauvegarde de justice",
            MeasureKind::CuratelleSimple => "Curatelle simple",
            MeasureKind::CuratelleRenforcee => "Curatelle renforcée",
            MeasureKind::Tutelle => "Tutelle",
            MeasureKind::HabilitationFamilialeAssistance => "Habilitation familiale (assistance)",
            MeasureKind::HabilitationFamilialeRepresentation => {
                "Habilitation familiale (représentation)"
            }
            MeasureKind::MandatProtectionFuture => "Mandat de protection future",
        }
    }

    pub fn parse(s: &str) -> Result<MeasureKind, FieldError> {
        MeasureKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| FieldError::new("kind", "Choisissez une mesure dans la liste."))
    }

    pub fn regime(self) -> Regime {
        match self {
            MeasureKind::SauvegardeJustice => Regime::None,
            MeasureKind::CuratelleSimple
            | MeasureKind::CuratelleRenforcee
            | MeasureKind::HabilitationFamilialeAssistance => Regime::Assistance,
            MeasureKind::Tutelle
            | MeasureKind::HabilitationFamilialeRepresentation
            | MeasureKind::MandatProtectionFuture => Regime::Representation,
        }
    }

    /// What the measure means for the professionals, in one sentence.
    pub fn implication_fr(self) -> &'static str {
        match self.regime() {
            Regime::None => "La personne consent et signe elle-même.",
            Regime::Assistance => {
                "La personne consent et signe elle-même, assistée de la personne chargée de la mesure."
            }
            Regime::Representation => {
                "La personne chargée de la mesure consent et signe au nom de la personne, après l'avoir informée et associée."
            }
        }
    }
}

/// A measure as the signing rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveMeasure<P> {
    pub kind: MeasureKind,
    pub start: Date,
    pub end: Option<Date>,
    /// The member of the entourage in charge (tuteur, curateur, mandataire, personne habilitée).
    pub representative: P,
}

impl<P> ActiveMeasure<P> {
    pub fn in_force(&self, d: Date) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }
}

/// Who may consent or sign for the person on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningRule<P> {
    /// The person may sign themselves.
    pub person: bool,
    /// Members of the entourage who may sign on the person's behalf.
    pub representatives: Vec<P>,
    /// Members who assist the person (they co-sign; they cannot sign alone).
    pub assistants: Vec<P>,
    /// The rule in French, as shown next to the signature.
    pub explanation: String,
}

/// Age of majority (Code civil art. 414).
pub const MAJORITY: i16 = 18;

pub fn is_minor(birth_date: Date, on: Date) -> bool {
    let mut age = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age < MAJORITY
}

/// The rule, in order: a representation measure in force names who signs; a minor is represented by
/// the holders of parental authority (Code civil art. 371-1, 388-1-1); an assistance measure lets the
/// person sign with their assistant; otherwise the person signs.
pub fn signing_rule<P: Copy + PartialEq>(
    minor: bool,
    measures: &[ActiveMeasure<P>],
    parental_authority: &[P],
    on: Date,
) -> SigningRule<P> {
    let in_force: Vec<&ActiveMeasure<P>> = measures.iter().filter(|m| m.in_force(on)).collect();
    let representatives: Vec<P> = in_force
        .iter()
        .filter(|m| m.kind.regime() == Regime::Representation)
        .map(|m| m.representative)
        .collect();
    if !representatives.is_empty() {
        let kinds: Vec<&str> = in_force
            .iter()
            .filter(|m| m.kind.regime() == Regime::Representation)
            .map(|m| m.kind.label_fr())
            .collect();
        return SigningRule {
            person: false,
            representatives,
            assistants: Vec::new(),
            explanation: format!(
                "Mesure en cours ({}) : le représentant légal signe au nom de la personne.",
                kinds.join(", ")
            ),
        };
    }
    if minor {
        return SigningRule {
            person: false,
            representatives: parental_authority.to_vec(),
            assistants: Vec::new(),
            explanation: if parental_authority.is_empty() {
                "Personne mineure : aucun titulaire de l'autorité parentale n'est enregistré dans l'entourage.".into()
            } else {
                "Personne mineure : un titulaire de l'autorité parentale signe pour elle.".into()
            },
        };
    }
    let assistants: Vec<P> = in_force
        .iter()
        .filter(|m| m.kind.regime() == Regime::Assistance)
        .map(|m| m.representative)
        .collect();
    SigningRule {
        person: true,
        explanation: if assistants.is_empty() {
            "La personne signe elle-même.".into()
        } else {
            "La personne signe elle-même, assistée de son curateur ou de la personne habilitée."
                .into()
        },
        representatives: Vec::new(),
        assistants,
    }
}

impl<P: Copy + PartialEq> SigningRule<P> {
    /// Whether `signatory` (None = the person) may sign under this rule.
    pub fn allows(&self, signatory: Option<P>) -> bool {
        match signatory {
            None => self.person,
            Some(p) => self.representatives.contains(&p),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::date;

    const TUTOR: u8 = 1;
    const MOTHER: u8 = 2;
    const CURATOR: u8 = 3;

    fn m(kind: MeasureKind, rep: u8, end: Option<Date>) -> ActiveMeasure<u8> {
        ActiveMeasure {
            kind,
            start: date(2020, 1, 1),
            end,
            representative: rep,
        }
    }

    #[test]
    fn majority_on_the_birthday() {
        assert!(is_minor(date(2008, 11, 23), date(2026, 11, 22)));
        assert!(!is_minor(date(2008, 11, 22), date(2026, 11, 22)));
    }

    #[test]
    fn who_signs() {
        let today = date(2026, 11, 22);
        let tutelle = [m(MeasureKind::Tutelle, TUTOR, None)];
        let r = signing_rule(false, &tutelle, &[], today);
        assert!(!r.allows(None) && r.allows(Some(TUTOR)) && !r.allows(Some(MOTHER)));
        // A minor under tutelle: the tutor, not the parents.
        let r = signing_rule(true, &tutelle, &[MOTHER], today);
        assert!(r.allows(Some(TUTOR)) && !r.allows(Some(MOTHER)));
        // A minor: the holders of parental authority.
        let r = signing_rule(true, &[], &[MOTHER], today);
        assert!(!r.allows(None) && r.allows(Some(MOTHER)));
        assert!(
            signing_rule::<u8>(true, &[], &[], today)
                .representatives
                .is_empty()
        );
        // Curatelle: the person signs, the curator assists and cannot sign alone.
        let r = signing_rule(
            false,
            &[m(MeasureKind::CuratelleRenforcee, CURATOR, None)],
            &[],
            today,
        );
        assert!(r.allows(None) && !r.allows(Some(CURATOR)) && r.assistants == vec![CURATOR]);
        // Sauvegarde de justice: the person.
        assert!(
            signing_rule(
                false,
                &[m(MeasureKind::SauvegardeJustice, TUTOR, None)],
                &[],
                today
            )
            .allows(None)
        );
        // A measure that ended gives no right any more.
        let ended = [m(MeasureKind::Tutelle, TUTOR, Some(date(2025, 12, 31)))];
        let r = signing_rule(false, &ended, &[], today);
        assert!(r.allows(None) && !r.allows(Some(TUTOR)));
        for k in MeasureKind::ALL {
            assert_eq!(MeasureKind::parse(k.code()).unwrap(), *k);
        }
    }
}
