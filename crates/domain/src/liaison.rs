//! The cahier de liaison: short messages between professionals, addressed to ONE destination — a
//! unit (everyone covering it), a team of an establishment (équipe soignante, éducative,
//! administrative, encadrement, or the whole establishment) or a person (whoever may read the
//! person's care record) — with read receipts and follow-up items (à faire / fait).
//!
//! A liaison message is an organisational note, not a care record: it must not carry information
//! covered by the medical secret (that belongs to the medical file or a medical transmission), which
//! the form says. Like every professional writing, a message is never edited in place: a
//! correction is a new version, a removal (retrait) is a logical, dated state with its reason.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{FieldError, FieldErrors};
use crate::input;
use crate::professional::Role;

/// The teams of an establishment a message may be addressed to. A fixed list mapped from the
/// roles, since Parcours has no team table: the usual split of an ESMS's staff meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Equipe {
    /// Physicians, nurses, aides-soignants / AES.
    Soignante,
    /// Éducateurs and psychologists.
    Educative,
    /// Secrétariat and admission.
    Administrative,
    /// Direction and chefs de service.
    Encadrement,
    /// Everyone working in the establishment.
    Etablissement,
}

impl Equipe {
    pub const ALL: &'static [Equipe] = &[
        Equipe::Soignante,
        Equipe::Educative,
        Equipe::Administrative,
        Equipe::Encadrement,
        Equipe::Etablissement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Equipe::Soignante => "soignante",
            Equipe::Educative => "educative",
            Equipe::Administrative => "administrative",
            Equipe::Encadrement => "encadrement",
            Equipe::Etablissement => "etablissement",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Equipe::Soignante => "Équipe soignante",
            Equipe::Educative => "Équipe éducative",
            Equipe::Administrative => "Équipe administrative",
            Equipe::Encadrement => "Encadrement",
            Equipe::Etablissement => "Tout l'établissement",
        }
    }

    pub fn parse(s: &str) -> Option<Equipe> {
        Equipe::ALL.iter().copied().find(|e| e.code() == s.trim())
    }

    /// The team a role belongs to (administrators belong to none: they do not use the notebook).
    pub fn of_role(role: Role) -> Option<Equipe> {
        match role {
            Role::Medecin | Role::Infirmier | Role::AideSoignant => Some(Equipe::Soignante),
            Role::Educateur | Role::Psychologue => Some(Equipe::Educative),
            Role::Secretariat => Some(Equipe::Administrative),
            Role::Direction | Role::ChefDeService => Some(Equipe::Encadrement),
            Role::Administrateur => None,
        }
    }

    /// Whether a professional with this role reads the team's messages: its members, everyone
    /// for the whole establishment, and the encadrement for every team (they lead them).
    pub fn read_by(self, role: Role) -> bool {
        match Equipe::of_role(role) {
            None => false,
            Some(Equipe::Encadrement) => true,
            Some(mine) => self == Equipe::Etablissement || self == mine,
        }
    }

    /// The teams a role reads (for filtering lists in SQL).
    pub fn read_by_role(role: Role) -> Vec<Equipe> {
        Equipe::ALL
            .iter()
            .copied()
            .filter(|e| e.read_by(role))
            .collect()
    }
}

/// Where a message goes. Chosen when it is written and never changed by a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    /// Everyone covering the unit (assigned to it or to its whole establishment).
    Unite(Uuid),
    /// A team of an establishment.
    Equipe { etablissement: Uuid, equipe: Equipe },
    /// Whoever may read the person's care record.
    Usager(Uuid),
}

impl Destination {
    /// The kind stored in `liaison_message.destination`.
    pub fn kind(&self) -> &'static str {
        match self {
            Destination::Unite(_) => "unite",
            Destination::Equipe { .. } => "equipe",
            Destination::Usager(_) => "usager",
        }
    }

    /// The form value: `unite:<id>`, `equipe:<etablissement>:<team>`, `usager:<id>`.
    pub fn value(&self) -> String {
        match self {
            Destination::Unite(u) => format!("unite:{u}"),
            Destination::Equipe {
                etablissement,
                equipe,
            } => format!("equipe:{etablissement}:{}", equipe.code()),
            Destination::Usager(u) => format!("usager:{u}"),
        }
    }

    /// Parses a form value (see [`Destination::value`]).
    pub fn parse(s: &str) -> Result<Destination, FieldError> {
        let bad = || {
            FieldError::new(
                "destination",
                "Choisissez un destinataire dans la liste (une unité, une équipe ou un usager).",
            )
        };
        let mut parts = s.trim().split(':');
        let kind = parts.next().unwrap_or_default();
        let id: Uuid = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
        let d = match kind {
            "unite" => Destination::Unite(id),
            "usager" => Destination::Usager(id),
            "equipe" => Destination::Equipe {
                etablissement: id,
                equipe: parts.next().and_then(Equipe::parse).ok_or_else(bad)?,
            },
            _ => return Err(bad()),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(d)
    }
}

/// The longest subject.
pub const SUBJECT_MAX: usize = 200;
/// The longest body.
pub const BODY_MAX: usize = 4000;
/// The longest follow-up item.
pub const SUIVI_MAX: usize = 500;
/// The most follow-up items written with a message at once.
pub const SUIVIS_MAX: usize = 5;

/// The field names of the follow-up items (`suivi_1_texte`…), as the form names them.
pub const SUIVI_FIELDS: [[&str; 3]; SUIVIS_MAX] = [
    ["suivi_1_texte", "suivi_1_echeance", "suivi_1_assigne"],
    ["suivi_2_texte", "suivi_2_echeance", "suivi_2_assigne"],
    ["suivi_3_texte", "suivi_3_echeance", "suivi_3_assigne"],
    ["suivi_4_texte", "suivi_4_echeance", "suivi_4_assigne"],
    ["suivi_5_texte", "suivi_5_echeance", "suivi_5_assigne"],
];

/// A follow-up item as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawSuivi {
    /// What is to be done.
    #[serde(default)]
    pub texte: String,
    /// By when (`YYYY-MM-DD`), optional.
    #[serde(default)]
    pub echeance: String,
    /// The professional's account id it is assigned to, optional.
    #[serde(default)]
    pub assigne: String,
}

impl RawSuivi {
    pub fn is_blank(&self) -> bool {
        self.texte.trim().is_empty()
            && self.echeance.trim().is_empty()
            && self.assigne.trim().is_empty()
    }
}

/// A checked follow-up item (the assignee is checked against the accounts by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suivi {
    pub texte: String,
    pub echeance: Option<jiff::civil::Date>,
    pub assigne: Option<Uuid>,
}

/// A message as typed in a form or a JSON body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMessage {
    /// `unite:<id>`, `equipe:<etablissement>:<team>` or `usager:<id>` (ignored for a correction).
    #[serde(default)]
    pub destination: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
    /// `on`, `true` or `1` when the message must be read first.
    #[serde(default)]
    pub important: String,
    /// Why it is corrected (corrections only).
    #[serde(default)]
    pub reason: String,
    /// Follow-up items written with the message (blank ones are ignored).
    #[serde(default)]
    pub suivis: Vec<RawSuivi>,
}

/// A checked content of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub subject: String,
    pub body: String,
    pub important: bool,
}

/// Checks one follow-up item (`i` is its position, for the field names).
pub fn check_suivi(i: usize, s: &RawSuivi, e: &mut FieldErrors) -> Option<Suivi> {
    let [ft, fe, fa] = SUIVI_FIELDS[i.min(SUIVIS_MAX - 1)];
    let texte = match e.take(input::opt_line(ft, &s.texte, SUIVI_MAX)) {
        Some(Some(t)) => Some(t),
        Some(None) => {
            e.push(ft, "Décrivez ce qui est à faire.");
            None
        }
        None => None,
    };
    let echeance = e.take(input::opt_date(fe, &s.echeance));
    let assigne = match s.assigne.trim() {
        "" => Some(None),
        a => match a.parse::<Uuid>() {
            Ok(u) => Some(Some(u)),
            Err(_) => {
                e.push(fa, "Choisissez un professionnel dans la liste.");
                None
            }
        },
    };
    Some(Suivi {
        texte: texte?,
        echeance: echeance?,
        assigne: assigne?,
    })
}

impl RawMessage {
    /// Checks subject and body (required, at most [`SUBJECT_MAX`] / [`BODY_MAX`] characters).
    pub fn content(&self, e: &mut FieldErrors) -> Option<Content> {
        let subject = e.take(input::text("subject", &self.subject, SUBJECT_MAX));
        let body = match e.take(input::opt_text("body", &self.body, BODY_MAX)) {
            Some(Some(b)) => Some(b),
            Some(None) => {
                e.push("body", "Écrivez le message.");
                None
            }
            None => None,
        };
        Some(Content {
            subject: subject?,
            body: body?,
            important: matches!(self.important.trim(), "on" | "true" | "1"),
        })
    }

    /// Checks the follow-up items, blank ones left out (errors name each item by its position,
    /// blank ones counted, as a form shows them); at most [`SUIVIS_MAX`].
    pub fn suivis(&self, e: &mut FieldErrors) -> Vec<(usize, Suivi)> {
        if self.suivis.len() > SUIVIS_MAX {
            e.push(
                "suivis",
                format!("Au plus {SUIVIS_MAX} choses à faire par message."),
            );
            return Vec::new();
        }
        self.suivis
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_blank())
            .filter_map(|(i, s)| check_suivi(i, s, e).map(|x| (i, x)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn a_destination_round_trips_through_its_form_value() {
        let id = Uuid::from_u128(7);
        for d in [
            Destination::Unite(id),
            Destination::Usager(id),
            Destination::Equipe {
                etablissement: id,
                equipe: Equipe::Soignante,
            },
        ] {
            assert_eq!(Destination::parse(&d.value()).unwrap(), d);
        }
        for bad in [
            "",
            "unite",
            "unite:x",
            "equipe:00000000-0000-0000-0000-000000000007:cuisine",
            "salle:00000000-0000-0000-0000-000000000007",
        ] {
            assert!(Destination::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_encadrement_reads_every_team_and_members_their_own() {
        assert!(Equipe::Soignante.read_by(Role::AideSoignant));
        assert!(!Equipe::Educative.read_by(Role::AideSoignant));
        assert!(Equipe::Etablissement.read_by(Role::Secretariat));
        assert!(Equipe::Educative.read_by(Role::ChefDeService));
        assert!(!Equipe::Etablissement.read_by(Role::Administrateur));
        assert_eq!(Equipe::read_by_role(Role::Direction).len(), 5);
    }

    #[test]
    fn a_message_needs_a_subject_a_body_and_described_follow_ups() {
        let raw = RawMessage {
            subject: " ".into(),
            body: "".into(),
            suivis: vec![
                RawSuivi::default(),
                RawSuivi {
                    echeance: "2026-13-01".into(),
                    assigne: "quelqu'un".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let mut e = FieldErrors::default();
        assert!(raw.content(&mut e).is_none());
        assert!(raw.suivis(&mut e).is_empty());
        assert!(e.get("subject").is_some());
        assert_eq!(e.get("body"), Some("Écrivez le message."));
        assert_eq!(e.get("suivi_2_texte"), Some("Décrivez ce qui est à faire."));
        assert!(e.get("suivi_2_echeance").is_some());
        assert!(e.get("suivi_2_assigne").is_some());
    }
}
