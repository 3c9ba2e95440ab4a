//! Écrits professionnels: notes about a person written by a professional in their trade
//! (éducateur, psychologue, assistant de service social…), of a type taken from a versioned code
//! list (`data/types-ecrit.csv`), with a **visibility scope** the author chooses.
//!
//! Who reads a note is decided in two steps: the gate first (`Action::ReadCareRecord` on the
//! person: role and scope), then the note's scope by [`may_read`], the one place where the scope
//! rule lives. The store filters lists with the same rule in SQL (tested against this function),
//! so a note outside the reader's scope is never listed, counted or hinted at.
//!
//! A note is never edited in place: a correction is a new version with its reason. A correction
//! may keep or **narrow** the scope, never widen it (see [`Scope::may_become`]); a note is
//! withdrawn (logical deletion with a reason), never deleted.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::codelist::types_ecrit;
use crate::error::{FieldError, FieldErrors};
use crate::ids::UserId;
use crate::input;
use crate::professional::{Profession, Role};

/// Who may read a note, among those who may read the person's care record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The whole team: everyone who may read the person's care record.
    Equipe,
    /// The author's profession plus the direction and the chefs de service.
    Encadrement,
    /// The author's profession only (e.g. the psychologues).
    Profession,
}

impl Scope {
    /// Widest first.
    pub const ALL: &'static [Scope] = &[Scope::Equipe, Scope::Encadrement, Scope::Profession];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Equipe => "equipe",
            Scope::Encadrement => "encadrement",
            Scope::Profession => "profession",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Scope::Equipe => "Équipe",
            Scope::Encadrement => "Même profession et encadrement",
            Scope::Profession => "Même profession uniquement",
        }
    }

    /// What the choice means, in the author's words.
    pub fn hint_fr(self) -> &'static str {
        match self {
            Scope::Equipe => "toute l'équipe qui accède au dossier de soins de la personne",
            Scope::Encadrement => {
                "les professionnels de votre profession, la direction et les chefs de service"
            }
            Scope::Profession => "les professionnels de votre profession uniquement",
        }
    }

    pub fn parse(s: &str) -> Result<Scope, FieldError> {
        Scope::ALL
            .iter()
            .copied()
            .find(|c| c.code() == s.trim())
            .ok_or_else(|| FieldError::new("scope", "Choisissez qui peut lire cet écrit."))
    }

    /// 0 for the widest scope, larger when narrower: each scope's readers include the next one's.
    fn narrowness(self) -> u8 {
        match self {
            Scope::Equipe => 0,
            Scope::Encadrement => 1,
            Scope::Profession => 2,
        }
    }

    /// Whether a correction may move a note from `self` to `to`: keep or narrow, never widen.
    /// Widening would show earlier versions, written for fewer readers, to people the author
    /// never meant to address; to share more widely, the author writes a new note.
    pub fn may_become(self, to: Scope) -> bool {
        to.narrowness() >= self.narrowness()
    }
}

/// Whether a reader who already may read the person's care record (the gate said yes to
/// `ReadCareRecord`) may read a note of this scope. The author always reads their own notes.
pub fn may_read(
    scope: Scope,
    author_profession: Profession,
    author: UserId,
    reader: UserId,
    reader_profession: Profession,
    reader_role: Role,
) -> bool {
    if author == reader {
        return true;
    }
    let same_profession = author_profession == reader_profession;
    match scope {
        Scope::Equipe => true,
        Scope::Encadrement => same_profession || is_encadrement(reader_role),
        Scope::Profession => same_profession,
    }
}

/// The roles that read `encadrement` notes whatever their profession.
pub fn is_encadrement(role: Role) -> bool {
    matches!(role, Role::Direction | Role::ChefDeService)
}

/// The longest title.
pub const TITLE_MAX: usize = 200;
/// The longest text (a bilan runs to a few pages).
pub const TEXT_MAX: usize = 20_000;

/// A note as typed in a form or a JSON body.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEcrit {
    /// A code of `data/types-ecrit.csv`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// `YYYY-MM-DD`: the day of what the note reports (today or earlier).
    #[serde(default)]
    pub event_date: String,
    /// `equipe`, `encadrement` or `profession`.
    #[serde(default)]
    pub scope: String,
    /// Why it is corrected (corrections only).
    #[serde(default)]
    pub reason: String,
}

/// A checked content of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub kind: String,
    pub title: String,
    pub text: String,
    pub event_date: Date,
    pub scope: Scope,
}

impl RawEcrit {
    /// Checks the content: a known type, a title, a text, an event date not after `today`
    /// (Europe/Paris), a scope.
    pub fn content(&self, today: Date) -> Result<Content, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.take(types_ecrit().parse_code("kind", &self.kind));
        let title = e.take(input::text("title", &self.title, TITLE_MAX).map_err(|f| {
            if self.title.trim().is_empty() {
                FieldError::new("title", "Donnez un titre à l'écrit.")
            } else {
                f
            }
        }));
        let text = match input::opt_text("text", &self.text, TEXT_MAX) {
            Ok(Some(t)) => Some(t),
            Ok(None) => {
                e.push("text", "Rédigez le contenu de l'écrit.");
                None
            }
            Err(f) => {
                e.add(f);
                None
            }
        };
        let event_date = match input::date("event_date", &self.event_date) {
            Ok(d) if d > today => {
                e.push(
                    "event_date",
                    "La date de l'événement ne peut pas être dans le futur.",
                );
                None
            }
            Ok(d) => Some(d),
            Err(f) => {
                e.add(f);
                None
            }
        };
        let scope = e.take(Scope::parse(&self.scope));
        match (kind, title, text, event_date, scope) {
            (Some(kind), Some(title), Some(text), Some(event_date), Some(scope))
                if e.is_empty() =>
            {
                Ok(Content {
                    kind,
                    title,
                    text,
                    event_date,
                    scope,
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
    use uuid::Uuid;

    fn user(n: u128) -> UserId {
        UserId::from_uuid(Uuid::from_u128(n))
    }

    /// The expected answer, written independently of `may_read` as a table of who reads what.
    fn expected(scope: Scope, is_author: bool, same_profession: bool, role: Role) -> bool {
        let manager = role == Role::Direction || role == Role::ChefDeService;
        match (scope, is_author, same_profession, manager) {
            (_, true, _, _) => true,
            (Scope::Equipe, _, _, _) => true,
            (Scope::Encadrement, false, true, _) => true,
            (Scope::Encadrement, false, false, true) => true,
            (Scope::Encadrement, false, false, false) => false,
            (Scope::Profession, false, true, _) => true,
            (Scope::Profession, false, false, _) => false,
        }
    }

    /// Every scope × every reader role × every reader profession × author or not, for authors of
    /// every profession.
    #[test]
    fn scope_matrix() {
        let mut checked = 0;
        for scope in Scope::ALL {
            for author_profession in Profession::ALL {
                for role in Role::ALL {
                    for reader_profession in Profession::ALL {
                        for is_author in [true, false] {
                            let reader = if is_author { user(1) } else { user(2) };
                            // The author's own account has the author's profession.
                            let reader_profession = if is_author {
                                *author_profession
                            } else {
                                *reader_profession
                            };
                            let got = may_read(
                                *scope,
                                *author_profession,
                                user(1),
                                reader,
                                reader_profession,
                                *role,
                            );
                            let want = expected(
                                *scope,
                                is_author,
                                reader_profession == *author_profession,
                                *role,
                            );
                            assert_eq!(
                                got, want,
                                "{scope:?} by {author_profession:?}, read by {role:?} {reader_profession:?} author={is_author}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 17 * 9 * 17 * 2);
    }

    #[test]
    fn a_psychologue_note_of_the_profession_is_hidden_from_the_educateur_and_the_direction() {
        let psy = Profession::Psychologue;
        let educ = Profession::EducateurSpecialise;
        assert!(!may_read(
            Scope::Profession,
            psy,
            user(1),
            user(2),
            educ,
            Role::Educateur
        ));
        assert!(!may_read(
            Scope::Profession,
            psy,
            user(1),
            user(3),
            Profession::Directeur,
            Role::Direction
        ));
        assert!(may_read(
            Scope::Encadrement,
            psy,
            user(1),
            user(3),
            Profession::Directeur,
            Role::Direction
        ));
        assert!(may_read(
            Scope::Profession,
            psy,
            user(1),
            user(4),
            psy,
            Role::Psychologue
        ));
    }

    #[test]
    fn a_correction_keeps_or_narrows_the_scope() {
        use Scope::*;
        assert!(Equipe.may_become(Profession) && Equipe.may_become(Encadrement));
        assert!(Encadrement.may_become(Profession) && Encadrement.may_become(Encadrement));
        assert!(!Profession.may_become(Encadrement) && !Profession.may_become(Equipe));
        assert!(!Encadrement.may_become(Equipe));
    }

    #[test]
    fn a_note_needs_a_type_a_title_a_text_and_a_past_date() {
        let today = jiff::civil::date(2026, 11, 22);
        let e = RawEcrit {
            kind: "poeme".into(),
            event_date: "2026-11-23".into(),
            scope: "tous".into(),
            ..Default::default()
        }
        .content(today)
        .unwrap_err();
        for f in ["kind", "title", "text", "event_date", "scope"] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        assert_eq!(
            e.get("event_date"),
            Some("La date de l'événement ne peut pas être dans le futur.")
        );
        let ok = RawEcrit {
            kind: "bilan_psychologique".into(),
            title: "  Bilan   du trimestre ".into(),
            text: "Ligne 1\r\nLigne 2".into(),
            event_date: "2026-11-22".into(),
            scope: "profession".into(),
            reason: String::new(),
        }
        .content(today)
        .unwrap();
        assert_eq!(ok.title, "Bilan du trimestre");
        assert_eq!(ok.text, "Ligne 1\nLigne 2");
        assert_eq!(ok.scope, Scope::Profession);
    }
}
