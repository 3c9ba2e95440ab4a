//! The medical file (volet médical), covered by the medical secret (CSP art. L1110-4): antécédents
//! (with an optional CIM-10 code), allergies and intolerances, vaccinations, the summary of current
//! treatments, and medical observations and consultations. Who may read or write it is decided by
//! the gate (`authz::Action::ReadMedical` / `WriteMedical`, per role, adjustable by the organisation);
//! active allergies and intolerances are a safety matter and are shown to every professional who
//! opens the person's record.
//!
//! Entries are never overwritten: a correction is a new version of the entry, the previous ones stay
//! readable (the store keeps every version).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};
use crate::input;

/// Maximum length of a short label (substance, vaccine, lot…).
pub const SHORT_TEXT: usize = 200;

/// A CIM-10 (ICD-10, WHO; French edition by the ATIH) code, checked by its form only: a letter, two
/// digits, then optionally a point and one or two characters of subdivision (`I10`, `E11.9`,
/// `S72.00`). Whether the code exists in the current edition is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cim10Code(String);

impl Cim10Code {
    pub fn parse(field: &'static str, s: &str) -> Result<Cim10Code, FieldError> {
        let code: String = s
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let b = code.as_bytes();
        let head_ok = b.len() >= 3
            && b[0].is_ascii_uppercase()
            && b[1].is_ascii_digit()
            && b[2].is_ascii_digit();
        let tail_ok = match &b[3.min(b.len())..] {
            [] => true,
            [b'.', rest @ ..] => {
                (1..=2).contains(&rest.len())
                    && rest.iter().all(|c| c.is_ascii_digit() || *c == b'X')
            }
            _ => false,
        };
        if head_ok && tail_ok {
            Ok(Cim10Code(code))
        } else {
            Err(FieldError::new(
                field,
                "Le code CIM-10 s'écrit avec une lettre et deux chiffres, éventuellement suivis d'un \
                 point et d'un ou deux chiffres (par exemple I10 ou E11.9).",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! coded {
    ($(#[$doc:meta])* $name:ident, $field:literal, $msg:literal, { $($variant:ident => ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
            pub fn label_fr(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
            pub fn parse(s: &str) -> Result<$name, FieldError> {
                $name::ALL.iter().copied().find(|x| x.code() == s.trim()).ok_or_else(|| FieldError::new($field, $msg))
            }
            /// `(code, label)` pairs, for a list of choices.
            pub fn table() -> Vec<(&'static str, &'static str)> {
                $name::ALL.iter().map(|x| (x.code(), x.label_fr())).collect()
            }
        }
    };
}

coded!(
    /// How severe a reaction is.
    Severity, "severity", "Choisissez la sévérité de la réaction.", {
    Legere => ("legere", "Légère"),
    Moderee => ("moderee", "Modérée"),
    Severe => ("severe", "Sévère"),
    Anaphylaxie => ("anaphylaxie", "Anaphylaxie"),
});

coded!(
    /// An allergy (immune reaction) or an intolerance (non-immune).
    AllergyKind, "kind", "Choisissez « allergie » ou « intolérance ».", {
    Allergie => ("allergie", "Allergie"),
    Intolerance => ("intolerance", "Intolérance"),
});

coded!(
    /// Whether an allergy is still to be taken into account.
    AllergyStatus, "status", "Statut d'allergie inconnu.", {
    Active => ("active", "Active"),
    Resolue => ("resolue", "Résolue"),
});

coded!(
    /// What a medical note records.
    ObservationKind, "kind", "Choisissez « observation » ou « consultation ».", {
    Observation => ("observation", "Observation médicale"),
    Consultation => ("consultation", "Consultation"),
});

/// The parts of the medical file that are lists of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Allergie,
    Antecedent,
    Vaccination,
    Observation,
}

impl EntryKind {
    pub const ALL: &'static [EntryKind] = &[
        EntryKind::Allergie,
        EntryKind::Antecedent,
        EntryKind::Vaccination,
        EntryKind::Observation,
    ];

    /// The path segment of pages and API routes.
    pub fn slug(self) -> &'static str {
        match self {
            EntryKind::Allergie => "allergies",
            EntryKind::Antecedent => "antecedents",
            EntryKind::Vaccination => "vaccinations",
            EntryKind::Observation => "observations",
        }
    }

    pub fn from_slug(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.iter().copied().find(|k| k.slug() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            EntryKind::Allergie => "Allergie ou intolérance",
            EntryKind::Antecedent => "Antécédent",
            EntryKind::Vaccination => "Vaccination",
            EntryKind::Observation => "Observation ou consultation",
        }
    }
}

/// An allergy or intolerance, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAllergie {
    pub substance: String,
    #[serde(default)]
    pub reaction: String,
    pub severity: String,
    pub kind: String,
    /// When it was noted (`YYYY-MM-DD`, optional).
    #[serde(default)]
    pub noted_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allergie {
    pub substance: String,
    pub reaction: Option<String>,
    pub severity: Severity,
    pub kind: AllergyKind,
    pub noted_on: Option<Date>,
}

/// An antécédent (past or chronic condition, surgery…), as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAntecedent {
    /// CIM-10 code, optional.
    #[serde(default)]
    pub code: String,
    pub texte: String,
    /// Since when (`YYYY-MM-DD`, optional).
    #[serde(default)]
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Antecedent {
    pub code: Option<Cim10Code>,
    pub texte: String,
    pub date: Option<Date>,
}

/// A vaccination, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawVaccination {
    pub vaccine: String,
    pub date: String,
    #[serde(default)]
    pub lot: String,
    /// Which dose or booster (`1re dose`, `rappel`…), optional.
    #[serde(default)]
    pub dose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vaccination {
    pub vaccine: String,
    pub date: Date,
    pub lot: Option<String>,
    pub dose: Option<String>,
}

/// A medical observation or consultation, as typed (its author is the professional writing it).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawObservation {
    pub date: String,
    #[serde(default)]
    pub kind: String,
    pub texte: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    pub date: Date,
    pub kind: ObservationKind,
    pub texte: String,
}

fn not_future(e: &mut FieldErrors, field: &'static str, d: Option<Date>, today: Date) {
    if d.is_some_and(|d| d > today) {
        e.push(field, "La date ne peut pas être dans le futur.");
    }
}

impl RawAllergie {
    pub fn parse(&self, today: Date) -> Result<Allergie, FieldErrors> {
        let mut e = FieldErrors::default();
        let substance = e.take(
            input::opt_line("substance", &self.substance, SHORT_TEXT).and_then(|s| {
                s.ok_or_else(|| {
                    FieldError::new(
                        "substance",
                        "Indiquez la substance (médicament, aliment…) en cause.",
                    )
                })
            }),
        );
        let reaction = e.take(input::opt_text(
            "reaction",
            &self.reaction,
            input::LONG_TEXT,
        ));
        let severity = e.take(Severity::parse(&self.severity));
        let kind = e.take(AllergyKind::parse(&self.kind));
        let noted_on = e.take(input::opt_date("noted_on", &self.noted_on));
        not_future(&mut e, "noted_on", noted_on.flatten(), today);
        match (substance, reaction, severity, kind, noted_on) {
            (Some(substance), Some(reaction), Some(severity), Some(kind), Some(noted_on))
                if e.is_empty() =>
            {
                Ok(Allergie {
                    substance,
                    reaction,
                    severity,
                    kind,
                    noted_on,
                })
            }
            _ => Err(e),
        }
    }
}

impl RawAntecedent {
    pub fn parse(&self, today: Date) -> Result<Antecedent, FieldErrors> {
        let mut e = FieldErrors::default();
        let code = if self.code.trim().is_empty() {
            Some(None)
        } else {
            e.take(Cim10Code::parse("code", &self.code)).map(Some)
        };
        let texte = e.take(
            input::opt_text("texte", &self.texte, input::LONG_TEXT)
                .and_then(|t| t.ok_or_else(|| FieldError::new("texte", "Décrivez l'antécédent."))),
        );
        let date = e.take(input::opt_date("date", &self.date));
        not_future(&mut e, "date", date.flatten(), today);
        match (code, texte, date) {
            (Some(code), Some(texte), Some(date)) if e.is_empty() => {
                Ok(Antecedent { code, texte, date })
            }
            _ => Err(e),
        }
    }
}

impl RawVaccination {
    pub fn parse(&self, today: Date) -> Result<Vaccination, FieldErrors> {
        let mut e = FieldErrors::default();
        let vaccine = e.take(input::text("vaccine", &self.vaccine, SHORT_TEXT));
        let date = e.take(input::date("date", &self.date));
        not_future(&mut e, "date", date, today);
        let lot = e.take(input::opt_line("lot", &self.lot, SHORT_TEXT));
        let dose = e.take(input::opt_line("dose", &self.dose, SHORT_TEXT));
        match (vaccine, date, lot, dose) {
            (Some(vaccine), Some(date), Some(lot), Some(dose)) if e.is_empty() => Ok(Vaccination {
                vaccine,
                date,
                lot,
                dose,
            }),
            _ => Err(e),
        }
    }
}

impl RawObservation {
    pub fn parse(&self, today: Date) -> Result<Observation, FieldErrors> {
        let mut e = FieldErrors::default();
        let date = e.take(input::date("date", &self.date));
        not_future(&mut e, "date", date, today);
        let kind = if self.kind.trim().is_empty() {
            Some(ObservationKind::Observation)
        } else {
            e.take(ObservationKind::parse(&self.kind))
        };
        let texte = e.take(
            input::opt_text("texte", &self.texte, input::LONG_TEXT)
                .and_then(|t| t.ok_or_else(|| FieldError::new("texte", "Écrivez l'observation."))),
        );
        match (date, kind, texte) {
            (Some(date), Some(kind), Some(texte)) if e.is_empty() => {
                Ok(Observation { date, kind, texte })
            }
            _ => Err(e),
        }
    }
}

/// The summary of current treatments: free text (the prescription itself lives elsewhere).
pub fn parse_treatments(s: &str) -> Result<String, FieldError> {
    input::opt_text("texte", s, input::LONG_TEXT)?.ok_or_else(|| {
        FieldError::new(
            "texte",
            "Écrivez les traitements en cours (ou « aucun traitement »).",
        )
    })
}

/// An optional reason given with a correction.
pub fn parse_reason(s: &str) -> Result<Option<String>, FieldError> {
    input::opt_line("reason", s, SHORT_TEXT)
}

/// One entry of the medical file, as typed.
#[derive(Debug, Clone)]
pub enum RawEntry {
    Allergie(RawAllergie),
    Antecedent(RawAntecedent),
    Vaccination(RawVaccination),
    Observation(RawObservation),
}

impl RawEntry {
    pub fn kind(&self) -> EntryKind {
        match self {
            RawEntry::Allergie(_) => EntryKind::Allergie,
            RawEntry::Antecedent(_) => EntryKind::Antecedent,
            RawEntry::Vaccination(_) => EntryKind::Vaccination,
            RawEntry::Observation(_) => EntryKind::Observation,
        }
    }
}

/// Whether medical read and write are open to a role: the organisation's setting when there is
/// one, the permission table otherwise. Writing without reading makes no sense and is refused.
pub fn check_access(read: bool, write: bool) -> Result<(), FieldError> {
    if write && !read {
        return Err(FieldError::new(
            "write",
            "L'écriture dans le dossier médical suppose sa lecture.",
        ));
    }
    Ok(())
}

// -------------------------------------------------------------------------------------------------
// Temporary access: delegation and break-the-glass

/// Longest delegation, in days (both ends included): a physician's absence or the term of a DITEP's
/// vacancy of a physician; a longer need is a new, explicit grant. A product choice.
pub const DELEGATION_MAX_DAYS: i64 = 90;

/// How long an emergency (break-the-glass) opening of the medical file lasts: two hours, the time of
/// an emergency and its hand-over to the physician or the SAMU. A product choice.
pub const EMERGENCY_ACCESS: jiff::SignedDuration = jiff::SignedDuration::from_hours(2);

/// A reason for a delegation or an emergency opening must say something: at least this many
/// characters.
pub const MIN_REASON: usize = 10;

/// The reason given for a temporary access: required, one line, at least [`MIN_REASON`] characters.
pub fn parse_access_reason(field: &'static str, s: &str) -> Result<String, FieldError> {
    let t = input::opt_line(field, s, SHORT_TEXT)?.ok_or_else(|| {
        FieldError::new(
            field,
            "Indiquez le motif : il sera relu et conservé dans la trace.",
        )
    })?;
    if t.chars().count() < MIN_REASON {
        return Err(FieldError::new(
            field,
            format!("Le motif doit être explicite ({MIN_REASON} caractères au moins)."),
        ));
    }
    Ok(t)
}

/// A delegation as typed: who, from when to when (`YYYY-MM-DD`, both included), why.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDelegation {
    /// The professional's account id.
    pub delegate: String,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    pub delegate: uuid::Uuid,
    pub starts_on: Date,
    pub ends_on: Date,
    pub reason: String,
}

impl RawDelegation {
    /// Checks the period against `today`: it may not start in the past, must end on or after its
    /// start, and last at most [`DELEGATION_MAX_DAYS`] days.
    pub fn parse(&self, today: Date) -> Result<Delegation, FieldErrors> {
        let mut e = FieldErrors::default();
        let delegate = e.take(uuid::Uuid::parse_str(self.delegate.trim()).map_err(|_| {
            FieldError::new(
                "delegate",
                "Choisissez le professionnel qui recevra l'accès.",
            )
        }));
        let starts_on = e.take(input::date("starts_on", &self.starts_on));
        let ends_on = e.take(input::date("ends_on", &self.ends_on));
        let reason = e.take(parse_access_reason("reason", &self.reason));
        if let Some(s) = starts_on
            && s < today
        {
            e.push(
                "starts_on",
                "La délégation ne peut pas commencer dans le passé.",
            );
        }
        if let (Some(s), Some(end)) = (starts_on, ends_on) {
            if end < s {
                e.push("ends_on", "La fin doit suivre le début.");
            } else if let Ok(span) = s.until((jiff::Unit::Day, end))
                && i64::from(span.get_days()) + 1 > DELEGATION_MAX_DAYS
            {
                e.push(
                    "ends_on",
                    format!("Une délégation dure au plus {DELEGATION_MAX_DAYS} jours ; renouvelez-la ensuite."),
                );
            }
        }
        match (delegate, starts_on, ends_on, reason) {
            (Some(delegate), Some(starts_on), Some(ends_on), Some(reason)) if e.is_empty() => {
                Ok(Delegation {
                    delegate,
                    starts_on,
                    ends_on,
                    reason,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 22)
    }

    #[test]
    fn cim10_codes_are_checked_by_their_form() {
        for ok in ["I10", "e11.9", " S72.00 ", "J45.X", "Z99"] {
            assert!(Cim10Code::parse("code", ok).is_ok(), "{ok}");
        }
        assert_eq!(Cim10Code::parse("code", "e11.9").unwrap().as_str(), "E11.9");
        for bad in [
            "", "10", "I1", "II0", "I10.", "I10.123", "I10-2", "1I0", "É11",
        ] {
            let e = Cim10Code::parse("code", bad).unwrap_err();
            assert!(e.message.contains("CIM-10"), "{bad}");
        }
    }

    #[test]
    fn an_allergy_needs_a_substance_a_severity_and_a_kind() {
        let raw = RawAllergie {
            substance: "  Pénicilline ".into(),
            reaction: "Urticaire".into(),
            severity: "anaphylaxie".into(),
            kind: "allergie".into(),
            noted_on: "2020-05-01".into(),
        };
        let a = raw.parse(today()).unwrap();
        assert_eq!(a.substance, "Pénicilline");
        assert_eq!(a.severity, Severity::Anaphylaxie);
        assert_eq!(a.severity.label_fr(), "Anaphylaxie");
        let e = RawAllergie::default().parse(today()).unwrap_err();
        assert_eq!(
            e.get("substance"),
            Some("Indiquez la substance (médicament, aliment…) en cause.")
        );
        assert!(e.get("severity").is_some() && e.get("kind").is_some());
        let future = RawAllergie {
            noted_on: "2027-01-01".into(),
            ..raw
        };
        assert!(future.parse(today()).unwrap_err().get("noted_on").is_some());
    }

    #[test]
    fn antecedents_vaccinations_and_observations() {
        let a = RawAntecedent {
            code: "e11.9".into(),
            texte: "Diabète de type 2".into(),
            date: String::new(),
        }
        .parse(today())
        .unwrap();
        assert_eq!(a.code.unwrap().as_str(), "E11.9");
        let without_code = RawAntecedent {
            texte: "Appendicectomie".into(),
            ..RawAntecedent::default()
        };
        assert_eq!(without_code.parse(today()).unwrap().code, None);
        let bad = RawAntecedent {
            code: "diabète".into(),
            texte: String::new(),
            date: String::new(),
        }
        .parse(today())
        .unwrap_err();
        assert!(bad.get("code").is_some() && bad.get("texte").is_some());

        let v = RawVaccination {
            vaccine: "Grippe saisonnière".into(),
            date: "2026-10-15".into(),
            lot: "AB123".into(),
            dose: String::new(),
        }
        .parse(today())
        .unwrap();
        assert_eq!(v.lot.as_deref(), Some("AB123"));
        assert_eq!(v.dose, None);
        assert!(
            RawVaccination::default()
                .parse(today())
                .unwrap_err()
                .get("date")
                .is_some()
        );

        let o = RawObservation {
            date: "2026-11-22".into(),
            kind: String::new(),
            texte: "Examen clinique sans particularité.".into(),
        }
        .parse(today())
        .unwrap();
        assert_eq!(o.kind, ObservationKind::Observation);
        assert!(
            RawObservation {
                date: "2026-11-22".into(),
                kind: "autre".into(),
                texte: "x".into()
            }
            .parse(today())
            .is_err()
        );
    }

    #[test]
    fn treatments_reasons_and_access() {
        assert!(parse_treatments("  ").is_err());
        assert_eq!(
            parse_treatments(" Metformine 500 mg ").unwrap(),
            "Metformine 500 mg"
        );
        assert_eq!(parse_reason("").unwrap(), None);
        assert!(check_access(true, true).is_ok());
        assert!(check_access(false, false).is_ok());
        assert!(check_access(false, true).is_err());
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_slug(k.slug()), Some(*k));
        }
        assert_eq!(Severity::parse("moderee").unwrap().label_fr(), "Modérée");
        assert!(Severity::parse("grave").is_err());
    }

    #[test]
    fn a_delegation_lasts_at_most_ninety_days_from_today_on() {
        let raw = |s: &str, e: &str, r: &str| RawDelegation {
            delegate: uuid::Uuid::from_u128(7).to_string(),
            starts_on: s.into(),
            ends_on: e.into(),
            reason: r.into(),
        };
        let ok = raw(
            "2026-11-22",
            "2027-02-19",
            "Absence du médecin coordonnateur",
        )
        .parse(today())
        .unwrap();
        assert_eq!(ok.ends_on, jiff::civil::date(2027, 2, 19));
        let e = raw(
            "2026-11-22",
            "2027-02-20",
            "Absence du médecin coordonnateur",
        )
        .parse(today())
        .unwrap_err();
        assert!(e.get("ends_on").unwrap().contains("90 jours"));
        let e = raw("2026-11-21", "2026-11-20", "court")
            .parse(today())
            .unwrap_err();
        assert!(e.get("starts_on").is_some() && e.get("ends_on").is_some());
        assert!(e.get("reason").unwrap().contains("10 caractères"));
        let e = RawDelegation::default().parse(today()).unwrap_err();
        assert!(e.get("delegate").is_some() && e.get("reason").is_some());
    }

    #[test]
    fn an_emergency_reason_is_required_and_explicit() {
        assert!(parse_access_reason("reason", "  ").is_err());
        assert!(parse_access_reason("reason", "urgence").is_err());
        assert_eq!(
            parse_access_reason("reason", " Chute,  suspicion de fracture ").unwrap(),
            "Chute, suspicion de fracture"
        );
    }
}
