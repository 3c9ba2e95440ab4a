//! The projet personnalisé (individual support plan), after the chain of the TDDUI model (domain.md
//! §5.2): **attentes** (the person's own words, first and verbatim) → **besoins** (SERAFIN-PH 1.x) →
//! **objectifs** (each addressing needs) → **actions** (serving objectives, with their means) →
//! **prestations** (SERAFIN-PH 2.x/3.x). Its lifecycle is en préparation → en cours ⇄ en pause →
//! terminé; it starts only with the structure's accord, and is reviewed by **bilans** at most twelve
//! months apart (TDDUI-SFE: "au minimum une fois par an"). An **avenant** is a new version: the content
//! is copied into a new projet and the previous one ends when the avenant starts.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};
use crate::input;
use crate::serafin;

/// Where a projet stands (TDDUI JDV_J281 statuses allowed for a projet personnalisé).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjetStatus {
    EnPreparation,
    EnCours,
    EnPause,
    Termine,
}

use ProjetStatus as P;

const TRANSITIONS: &[(ProjetStatus, &[ProjetStatus])] = &[
    (P::EnPreparation, &[P::EnCours, P::Termine]),
    (P::EnCours, &[P::EnPause, P::Termine]),
    (P::EnPause, &[P::EnCours, P::Termine]),
    (P::Termine, &[]),
];

impl ProjetStatus {
    pub const ALL: &'static [ProjetStatus] =
        &[P::EnPreparation, P::EnCours, P::EnPause, P::Termine];

    pub fn code(self) -> &'static str {
        match self {
            P::EnPreparation => "en_preparation",
            P::EnCours => "en_cours",
            P::EnPause => "en_pause",
            P::Termine => "termine",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            P::EnPreparation => "En préparation",
            P::EnCours => "En cours",
            P::EnPause => "En pause",
            P::Termine => "Terminé",
        }
    }

    pub fn parse(s: &str) -> Result<ProjetStatus, FieldError> {
        P::ALL
            .iter()
            .copied()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| FieldError::new("status", "Statut de projet inconnu."))
    }

    pub fn next(self) -> &'static [ProjetStatus] {
        TRANSITIONS
            .iter()
            .find(|(from, _)| *from == self)
            .map(|(_, to)| *to)
            .unwrap_or(&[])
    }

    /// Content (attentes, besoins, objectifs…) is written while the projet is being prepared; once
    /// started, a change is an avenant.
    pub fn editable(self) -> bool {
        self == P::EnPreparation
    }

    /// Checks a status change. Starting needs at least one accord of the structure on this version;
    /// pausing or ending needs a note saying why.
    pub fn check_change(
        self,
        to: ProjetStatus,
        structure_accords: usize,
        note: Option<&str>,
    ) -> Result<(), FieldError> {
        if !self.next().contains(&to) {
            return Err(FieldError::new(
                "status",
                format!(
                    "Un projet « {} » ne peut pas passer à « {} ».",
                    self.label_fr(),
                    to.label_fr()
                ),
            ));
        }
        if to == P::EnCours && self == P::EnPreparation && structure_accords == 0 {
            return Err(FieldError::new(
                "status",
                "Le projet ne peut démarrer qu'avec l'accord signé d'au moins un responsable de \
                 l'établissement.",
            ));
        }
        if matches!(to, P::EnPause | P::Termine) && note.is_none_or(|n| n.trim().is_empty()) {
            return Err(FieldError::new(
                "note",
                "Indiquez pourquoi le projet est mis en pause ou terminé.",
            ));
        }
        Ok(())
    }
}

/// Who expressed an attente.
pub const ORIGINES_ATTENTE: &[(&str, &str)] = &[
    ("personne", "La personne elle-même"),
    ("representant", "Son représentant légal"),
    ("famille", "Sa famille ou ses proches"),
    ("professionnel", "Recueillie par un professionnel"),
];

/// Who takes part in writing the projet.
pub const ROLES_PARTICIPANT: &[(&str, &str)] = &[
    ("usager", "La personne"),
    ("representant", "Représentant légal"),
    ("famille", "Famille, proche"),
    ("professionnel", "Professionnel de l'établissement"),
    ("partenaire", "Partenaire extérieur"),
];

fn label_of<'a>(table: &'a [(&str, &'a str)], code: &'a str) -> &'a str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

pub fn origine_label(code: &str) -> &str {
    label_of(ORIGINES_ATTENTE, code)
}

pub fn role_label(code: &str) -> &str {
    label_of(ROLES_PARTICIPANT, code)
}

fn pick(table: &[(&str, &str)], field: &'static str, s: &str) -> Result<String, FieldError> {
    table
        .iter()
        .find(|(c, _)| *c == s.trim())
        .map(|(c, _)| (*c).to_string())
        .ok_or_else(|| FieldError::new(field, "Choisissez une valeur dans la liste."))
}

/// A SERAFIN-PH concept as stored: its code and the edition it was chosen in, so that a later
/// edition never changes what was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SerafinCode {
    pub code: String,
    pub version: String,
}

impl SerafinCode {
    /// The label in the edition it was chosen in (the code itself if that edition is unknown).
    pub fn label(&self) -> String {
        serafin::SerafinRef::from_stored(&self.version, &self.code)
            .map(|r| r.label().to_string())
            .unwrap_or_else(|| self.code.clone())
    }
}

/// The person's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attente {
    pub id: u32,
    pub origine: String,
    pub texte: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Besoin {
    pub id: u32,
    pub serafin: SerafinCode,
    pub commentaire: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objectif {
    pub id: u32,
    pub titre: String,
    /// The needs it addresses (at least one).
    pub besoins: Vec<u32>,
    pub echeance: Date,
    pub resultat_attendu: String,
    pub referent: Option<String>,
    /// What the person says of it.
    pub avis_usager: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub id: u32,
    pub libelle: String,
    /// The objectives it serves (at least one).
    pub objectifs: Vec<u32>,
    pub moyens: Option<String>,
    pub referent: Option<String>,
    /// SERAFIN-PH prestations (2.x direct, 3.x indirect) that deliver it.
    pub prestations: Vec<SerafinCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: u32,
    pub nom: String,
    pub role: String,
    pub contribution: Option<String>,
}

/// The content of one version of a projet, stored as one JSON document (every version kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contenu {
    #[serde(default)]
    pub attentes: Vec<Attente>,
    #[serde(default)]
    pub besoins: Vec<Besoin>,
    #[serde(default)]
    pub objectifs: Vec<Objectif>,
    #[serde(default)]
    pub actions: Vec<ActionPlan>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// The next element id (ids are never reused, so links stay unambiguous across versions).
    #[serde(default)]
    pub next_id: u32,
}

/// An attente as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttente {
    pub origine: String,
    pub texte: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBesoin {
    pub code: String,
    #[serde(default)]
    pub commentaire: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawObjectif {
    pub titre: String,
    /// Ids of the needs addressed.
    #[serde(default)]
    pub besoins: Vec<String>,
    pub echeance: String,
    pub resultat_attendu: String,
    #[serde(default)]
    pub referent: String,
    #[serde(default)]
    pub avis_usager: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub libelle: String,
    /// Ids of the objectives served.
    #[serde(default)]
    pub objectifs: Vec<String>,
    #[serde(default)]
    pub moyens: String,
    #[serde(default)]
    pub referent: String,
    /// SERAFIN-PH prestation codes (2.x, 3.x).
    #[serde(default)]
    pub prestations: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawParticipant {
    pub nom: String,
    pub role: String,
    #[serde(default)]
    pub contribution: String,
}

/// One element of the content, added or replaced.
#[derive(Debug, Clone)]
pub enum Element {
    Attente(RawAttente),
    Besoin(RawBesoin),
    Objectif(RawObjectif),
    Action(RawAction),
    Participant(RawParticipant),
}

/// Which list an element belongs to (for removal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Attente,
    Besoin,
    Objectif,
    Action,
    Participant,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "attente" | "attentes" => Some(Kind::Attente),
            "besoin" | "besoins" => Some(Kind::Besoin),
            "objectif" | "objectifs" => Some(Kind::Objectif),
            "action" | "actions" => Some(Kind::Action),
            "participant" | "participants" => Some(Kind::Participant),
            _ => None,
        }
    }
}

fn ids(
    field: &'static str,
    raw: &[String],
    known: &[u32],
    what: &str,
) -> Result<Vec<u32>, FieldError> {
    let mut out = Vec::new();
    for r in raw.iter().filter(|r| !r.trim().is_empty()) {
        match r.trim().parse::<u32>() {
            Ok(id) if known.contains(&id) => {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            _ => return Err(FieldError::new(field, format!("{what} inconnu."))),
        }
    }
    if out.is_empty() {
        return Err(FieldError::new(
            field,
            format!("Choisissez au moins un {}.", what.to_lowercase()),
        ));
    }
    Ok(out)
}

fn code_of(r: serafin::SerafinRef) -> SerafinCode {
    SerafinCode {
        code: r.code().to_string(),
        version: r.version().to_string(),
    }
}

impl Contenu {
    /// Adds an element (`existing: None`) or replaces the one with that id, after checking it
    /// against the rest of the content. All errors at once; the content is unchanged on error.
    pub fn put(&mut self, existing: Option<u32>, element: &Element) -> Result<u32, FieldErrors> {
        let mut e = FieldErrors::default();
        let id = existing.unwrap_or(self.next_id.max(1));
        let exists = |list: &[u32]| existing.is_none_or(|x| list.contains(&x));
        macro_rules! require_existing {
            ($list:expr) => {
                if !exists(&$list.iter().map(|x| x.id).collect::<Vec<_>>()) {
                    e.push("id", "Cet élément n'existe pas (ou plus) dans ce projet.");
                    return Err(e);
                }
            };
        }
        match element {
            Element::Attente(r) => {
                require_existing!(self.attentes);
                let origine = e.take(pick(ORIGINES_ATTENTE, "origine", &r.origine));
                // Verbatim: only the surrounding blanks are trimmed, the person's words are kept as said.
                let texte = e.take(
                    input::opt_text("texte", &r.texte, input::LONG_TEXT).and_then(|t| {
                        t.ok_or_else(|| {
                            FieldError::new("texte", "Écrivez ce que la personne souhaite.")
                        })
                    }),
                );
                let (Some(origine), Some(texte)) = (origine, texte) else {
                    return Err(e);
                };
                let a = Attente { id, origine, texte };
                upsert(&mut self.attentes, a, |x| x.id);
            }
            Element::Besoin(r) => {
                require_existing!(self.besoins);
                let code = e.take(serafin::parse_besoin("code", &r.code).map(code_of));
                let commentaire = e.take(input::opt_text(
                    "commentaire",
                    &r.commentaire,
                    input::LONG_TEXT,
                ));
                let (Some(serafin), Some(commentaire)) = (code, commentaire) else {
                    return Err(e);
                };
                if self
                    .besoins
                    .iter()
                    .any(|b| b.serafin.code == serafin.code && Some(b.id) != existing)
                {
                    e.push("code", "Ce besoin figure déjà dans le projet.");
                    return Err(e);
                }
                upsert(
                    &mut self.besoins,
                    Besoin {
                        id,
                        serafin,
                        commentaire,
                    },
                    |x| x.id,
                );
            }
            Element::Objectif(r) => {
                require_existing!(self.objectifs);
                let titre = e.take(input::text("titre", &r.titre, 300));
                let known: Vec<u32> = self.besoins.iter().map(|b| b.id).collect();
                let besoins = e.take(ids("besoins", &r.besoins, &known, "Besoin"));
                let echeance = e.take(input::date("echeance", &r.echeance));
                let resultat = e.take(input::text(
                    "resultat_attendu",
                    &r.resultat_attendu,
                    input::LONG_TEXT,
                ));
                let referent = e.take(input::opt_line("referent", &r.referent, 200));
                let avis = e.take(input::opt_text(
                    "avis_usager",
                    &r.avis_usager,
                    input::LONG_TEXT,
                ));
                let (
                    Some(titre),
                    Some(besoins),
                    Some(echeance),
                    Some(resultat_attendu),
                    Some(referent),
                    Some(avis_usager),
                ) = (titre, besoins, echeance, resultat, referent, avis)
                else {
                    return Err(e);
                };
                upsert(
                    &mut self.objectifs,
                    Objectif {
                        id,
                        titre,
                        besoins,
                        echeance,
                        resultat_attendu,
                        referent,
                        avis_usager,
                    },
                    |x| x.id,
                );
            }
            Element::Action(r) => {
                require_existing!(self.actions);
                let libelle = e.take(input::text("libelle", &r.libelle, 300));
                let known: Vec<u32> = self.objectifs.iter().map(|o| o.id).collect();
                let objectifs = e.take(ids("objectifs", &r.objectifs, &known, "Objectif"));
                let moyens = e.take(input::opt_text("moyens", &r.moyens, input::LONG_TEXT));
                let referent = e.take(input::opt_line("referent", &r.referent, 200));
                let mut prestations = Vec::new();
                for p in r.prestations.iter().filter(|p| !p.trim().is_empty()) {
                    if let Some(c) =
                        e.take(serafin::parse_prestation("prestations", p).map(code_of))
                        && !prestations.contains(&c)
                    {
                        prestations.push(c);
                    }
                }
                let (Some(libelle), Some(objectifs), Some(moyens), Some(referent)) =
                    (libelle, objectifs, moyens, referent)
                else {
                    return Err(e);
                };
                if !e.is_empty() {
                    return Err(e);
                }
                upsert(
                    &mut self.actions,
                    ActionPlan {
                        id,
                        libelle,
                        objectifs,
                        moyens,
                        referent,
                        prestations,
                    },
                    |x| x.id,
                );
            }
            Element::Participant(r) => {
                require_existing!(self.participants);
                let nom = e.take(input::text("nom", &r.nom, 200));
                let role = e.take(pick(ROLES_PARTICIPANT, "role", &r.role));
                let contribution = e.take(input::opt_text(
                    "contribution",
                    &r.contribution,
                    input::LONG_TEXT,
                ));
                let (Some(nom), Some(role), Some(contribution)) = (nom, role, contribution) else {
                    return Err(e);
                };
                upsert(
                    &mut self.participants,
                    Participant {
                        id,
                        nom,
                        role,
                        contribution,
                    },
                    |x| x.id,
                );
            }
        }
        if existing.is_none() {
            self.next_id = id + 1;
        }
        Ok(id)
    }

    /// Removes an element of a projet in preparation. A need still addressed by an objective, or an
    /// objective still served by an action, cannot be removed (the chain would break).
    pub fn remove(&mut self, kind: Kind, id: u32) -> Result<(), FieldError> {
        let missing =
            || FieldError::new("id", "Cet élément n'existe pas (ou plus) dans ce projet.");
        match kind {
            Kind::Attente => remove_from(&mut self.attentes, id, |x| x.id).ok_or_else(missing),
            Kind::Participant => {
                remove_from(&mut self.participants, id, |x| x.id).ok_or_else(missing)
            }
            Kind::Action => remove_from(&mut self.actions, id, |x| x.id).ok_or_else(missing),
            Kind::Besoin => {
                if self.objectifs.iter().any(|o| o.besoins.contains(&id)) {
                    return Err(FieldError::new(
                        "id",
                        "Ce besoin est visé par un objectif : retirez-le d'abord de l'objectif.",
                    ));
                }
                remove_from(&mut self.besoins, id, |x| x.id).ok_or_else(missing)
            }
            Kind::Objectif => {
                if self.actions.iter().any(|a| a.objectifs.contains(&id)) {
                    return Err(FieldError::new(
                        "id",
                        "Cet objectif est servi par une action : retirez-le d'abord de l'action.",
                    ));
                }
                remove_from(&mut self.objectifs, id, |x| x.id).ok_or_else(missing)
            }
        }
    }

    /// What is missing before the projet can be proposed for signature, in French (empty: ready).
    pub fn gaps(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.attentes.is_empty() {
            out.push("Les attentes de la personne ne sont pas recueillies.");
        }
        if self.objectifs.is_empty() {
            out.push("Aucun objectif n'est défini.");
        }
        if self
            .objectifs
            .iter()
            .any(|o| !self.actions.iter().any(|a| a.objectifs.contains(&o.id)))
        {
            out.push("Un objectif n'a encore aucune action.");
        }
        if !self.participants.iter().any(|p| p.role == "usager") {
            out.push("La participation de la personne n'est pas indiquée.");
        }
        out
    }
}

fn upsert<T>(list: &mut Vec<T>, item: T, id: impl Fn(&T) -> u32) {
    let key = id(&item);
    match list.iter_mut().find(|x| id(x) == key) {
        Some(slot) => *slot = item,
        None => list.push(item),
    }
}

fn remove_from<T>(list: &mut Vec<T>, key: u32, id: impl Fn(&T) -> u32) -> Option<()> {
    let before = list.len();
    list.retain(|x| id(x) != key);
    (list.len() < before).then_some(())
}

/// How strong an identified need is, in a needs evaluation.
pub const NEED_LEVELS: &[(&str, &str)] = &[
    ("leger", "Léger"),
    ("modere", "Modéré"),
    ("important", "Important"),
    ("majeur", "Majeur"),
];

pub fn need_level_label(code: &str) -> &str {
    label_of(NEED_LEVELS, code)
}

/// One need identified by a needs evaluation (SERAFIN-PH 1.x), with a level or a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedLine {
    pub serafin: SerafinCode,
    pub level: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawNeedLine {
    pub code: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub comment: String,
}

/// Checks the lines of a needs evaluation: at least one need, each a SERAFIN-PH need (family 1)
/// given once, each with a level or a comment.
pub fn check_needs(lines: &[RawNeedLine]) -> Result<Vec<NeedLine>, FieldErrors> {
    let mut e = FieldErrors::default();
    let mut out: Vec<NeedLine> = Vec::new();
    for l in lines.iter().filter(|l| !l.code.trim().is_empty()) {
        let Some(serafin) = e.take(serafin::parse_besoin("lines", &l.code).map(code_of)) else {
            continue;
        };
        let level = match l.level.trim() {
            "" => None,
            x => e.take(pick(NEED_LEVELS, "lines", x)),
        };
        let comment = e
            .take(input::opt_text("lines", &l.comment, input::LONG_TEXT))
            .flatten();
        if level.is_none() && comment.is_none() {
            e.push(
                "lines",
                format!(
                    "Besoin {} : indiquez un niveau ou un commentaire.",
                    serafin.code
                ),
            );
            continue;
        }
        if out.iter().any(|x| x.serafin.code == serafin.code) {
            e.push(
                "lines",
                format!("Le besoin {} figure deux fois.", serafin.code),
            );
            continue;
        }
        out.push(NeedLine {
            serafin,
            level,
            comment,
        });
    }
    if out.is_empty() && e.is_empty() {
        e.push("lines", "Indiquez au moins un besoin identifié.");
    }
    e.into_result(out)
}

/// Assessment of one objective at a bilan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resultat {
    Atteint,
    PartiellementAtteint,
    NonAtteint,
    Abandonne,
}

impl Resultat {
    pub const ALL: &'static [Resultat] = &[
        Resultat::Atteint,
        Resultat::PartiellementAtteint,
        Resultat::NonAtteint,
        Resultat::Abandonne,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Resultat::Atteint => "atteint",
            Resultat::PartiellementAtteint => "partiellement_atteint",
            Resultat::NonAtteint => "non_atteint",
            Resultat::Abandonne => "abandonne",
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            Resultat::Atteint => "Atteint",
            Resultat::PartiellementAtteint => "Partiellement atteint",
            Resultat::NonAtteint => "Non atteint",
            Resultat::Abandonne => "Abandonné",
        }
    }
    pub fn parse(s: &str) -> Option<Resultat> {
        Resultat::ALL.iter().copied().find(|r| r.code() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appreciation {
    pub objectif: u32,
    pub resultat: Resultat,
    pub commentaire: Option<String>,
}

/// The longest interval between two reviews (TDDUI-SFE: "au minimum une fois par an").
pub const MAX_MONTHS_BETWEEN_BILANS: i8 = 12;
/// The review is announced this many months after the last one (one month ahead of the limit).
pub const NOTICE_MONTHS: i8 = 11;

/// A bilan as typed: one (objective id, result, comment) per objective.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawBilan {
    pub date: String,
    /// `(objective id, result code, comment)`
    pub appreciations: Vec<(String, String, String)>,
    pub synthese: String,
    pub prochain_bilan: String,
}

/// A checked bilan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilan {
    pub date: Date,
    pub appreciations: Vec<Appreciation>,
    pub synthese: String,
    pub prochain_bilan: Date,
}

/// Checks a bilan: not in the future, every objective assessed once, a synthesis, and the next
/// bilan after this one and at most twelve months later.
pub fn check_bilan(contenu: &Contenu, raw: &RawBilan, today: Date) -> Result<Bilan, FieldErrors> {
    let mut e = FieldErrors::default();
    let date = e.take(input::date("date", &raw.date));
    if let Some(d) = date
        && d > today
    {
        e.push("date", "La date du bilan ne peut pas être dans le futur.");
    }
    let synthese = e.take(input::text("synthese", &raw.synthese, input::LONG_TEXT));
    let next = e.take(input::date("prochain_bilan", &raw.prochain_bilan));
    if let (Some(d), Some(n)) = (date, next) {
        let limit = d
            .checked_add(i32::from(MAX_MONTHS_BETWEEN_BILANS).months())
            .unwrap_or(d);
        if n <= d {
            e.push("prochain_bilan", "Le prochain bilan doit suivre celui-ci.");
        } else if n > limit {
            e.push(
                "prochain_bilan",
                format!(
                    "Le prochain bilan doit avoir lieu au plus tard douze mois après celui-ci, soit le {}.",
                    input::date_fr(limit)
                ),
            );
        }
    }
    let mut appreciations = Vec::new();
    for (oid, code, comment) in &raw.appreciations {
        let Some(o) = oid
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|id| contenu.objectifs.iter().find(|o| o.id == id))
        else {
            e.push("appreciations", "Objectif inconnu.");
            continue;
        };
        let Some(resultat) = Resultat::parse(code) else {
            e.push(
                "appreciations",
                format!("Indiquez si l'objectif « {} » est atteint.", o.titre),
            );
            continue;
        };
        if appreciations
            .iter()
            .any(|a: &Appreciation| a.objectif == o.id)
        {
            e.push(
                "appreciations",
                format!("L'objectif « {} » est évalué deux fois.", o.titre),
            );
            continue;
        }
        let commentaire = e
            .take(input::opt_text("appreciations", comment, input::LONG_TEXT))
            .flatten();
        appreciations.push(Appreciation {
            objectif: o.id,
            resultat,
            commentaire,
        });
    }
    for o in &contenu.objectifs {
        if !appreciations.iter().any(|a| a.objectif == o.id) && e.get("appreciations").is_none() {
            e.push(
                "appreciations",
                format!("L'objectif « {} » n'est pas évalué.", o.titre),
            );
        }
    }
    match (date, synthese, next) {
        (Some(date), Some(synthese), Some(prochain_bilan)) if e.is_empty() => Ok(Bilan {
            date,
            appreciations,
            synthese,
            prochain_bilan,
        }),
        _ => Err(e),
    }
}

/// When the next bilan is due: the date set at the last bilan, or twelve months after the start.
pub fn next_review(started: Date, last_planned: Option<Date>) -> Date {
    last_planned.unwrap_or_else(|| {
        started
            .checked_add(i32::from(MAX_MONTHS_BETWEEN_BILANS).months())
            .unwrap_or(started)
    })
}

/// Where a running projet stands with its reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    UpToDate,
    /// Due within a month (eleven months after the last review).
    DueSoon,
    Overdue,
}

pub fn review_state(due: Date, today: Date) -> ReviewState {
    let notice = due
        .checked_sub(i32::from(MAX_MONTHS_BETWEEN_BILANS - NOTICE_MONTHS).months())
        .unwrap_or(due);
    if today > due {
        ReviewState::Overdue
    } else if today >= notice {
        ReviewState::DueSoon
    } else {
        ReviewState::UpToDate
    }
}

/// The two parties whose accord a projet records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Partie {
    /// The establishment (direction or chef de service).
    Structure,
    /// The person, or whoever may sign for them.
    Usager,
}

impl Partie {
    pub fn code(self) -> &'static str {
        match self {
            Partie::Structure => "structure",
            Partie::Usager => "usager",
        }
    }
    pub fn parse(s: &str) -> Result<Partie, FieldError> {
        match s.trim() {
            "structure" => Ok(Partie::Structure),
            "usager" => Ok(Partie::Usager),
            _ => Err(FieldError::new(
                "partie",
                "Choisissez l'établissement ou la personne.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use jiff::civil::date;

    fn besoin_code() -> String {
        serafin::current()
            .concepts()
            .iter()
            .find(|c| c.code.starts_with("1.2.") && c.leaf)
            .map(|c| c.code.to_string())
            .unwrap()
    }

    fn prestation_code() -> String {
        serafin::current()
            .concepts()
            .iter()
            .find(|c| c.code.starts_with("2.2.") && c.leaf)
            .map(|c| c.code.to_string())
            .unwrap()
    }

    fn filled() -> Contenu {
        let mut c = Contenu::default();
        c.put(
            None,
            &Element::Attente(RawAttente {
                origine: "personne".into(),
                texte: "  Je veux  aller à la piscine.  ".into(),
            }),
        )
        .unwrap();
        let b = c
            .put(
                None,
                &Element::Besoin(RawBesoin {
                    code: besoin_code(),
                    commentaire: String::new(),
                }),
            )
            .unwrap();
        let o = c
            .put(
                None,
                &Element::Objectif(RawObjectif {
                    titre: "Nager seul".into(),
                    besoins: vec![b.to_string()],
                    echeance: "2027-06-30".into(),
                    resultat_attendu: "Nager 25 m".into(),
                    ..RawObjectif::default()
                }),
            )
            .unwrap();
        c.put(
            None,
            &Element::Action(RawAction {
                libelle: "Séances hebdomadaires".into(),
                objectifs: vec![o.to_string()],
                prestations: vec![prestation_code()],
                ..RawAction::default()
            }),
        )
        .unwrap();
        c.put(
            None,
            &Element::Participant(RawParticipant {
                nom: "Léa".into(),
                role: "usager".into(),
                contribution: "A choisi l'activité".into(),
            }),
        )
        .unwrap();
        c
    }

    #[test]
    fn the_chain_links_are_checked_and_ids_never_reused() {
        let mut c = filled();
        assert_eq!(
            c.attentes[0].texte, "Je veux  aller à la piscine.",
            "verbatim"
        );
        assert!(c.gaps().is_empty(), "{:?}", c.gaps());
        let bad = c
            .put(
                None,
                &Element::Objectif(RawObjectif {
                    titre: "X".into(),
                    besoins: vec!["99".into()],
                    echeance: "2027-01-01".into(),
                    resultat_attendu: "Y".into(),
                    ..RawObjectif::default()
                }),
            )
            .unwrap_err();
        assert!(bad.get("besoins").is_some());
        let no_need = c
            .put(
                None,
                &Element::Objectif(RawObjectif {
                    titre: "X".into(),
                    echeance: "2027-01-01".into(),
                    resultat_attendu: "Y".into(),
                    ..RawObjectif::default()
                }),
            )
            .unwrap_err();
        assert!(no_need.get("besoins").unwrap().contains("au moins un"));
        // A need addressed by an objective cannot be removed; the attente can.
        let b = c.besoins[0].id;
        assert!(c.remove(Kind::Besoin, b).is_err());
        let a = c.attentes[0].id;
        c.remove(Kind::Attente, a).unwrap();
        let again = c
            .put(
                None,
                &Element::Attente(RawAttente {
                    origine: "famille".into(),
                    texte: "Qu'il soit heureux".into(),
                }),
            )
            .unwrap();
        assert!(again > a, "ids are never reused");
        // A need code must be a need, a prestation a prestation.
        let wrong = c
            .put(
                None,
                &Element::Besoin(RawBesoin {
                    code: prestation_code(),
                    commentaire: String::new(),
                }),
            )
            .unwrap_err();
        assert!(wrong.get("code").is_some());
    }

    #[test]
    fn a_projet_starts_only_with_the_structures_accord() {
        let err = P::EnPreparation
            .check_change(P::EnCours, 0, None)
            .unwrap_err();
        assert!(err.message.contains("accord"));
        P::EnPreparation.check_change(P::EnCours, 1, None).unwrap();
        assert!(
            P::EnCours.check_change(P::EnPause, 1, None).is_err(),
            "a pause needs a note"
        );
        P::EnCours
            .check_change(P::EnPause, 1, Some("Hospitalisation"))
            .unwrap();
        P::EnPause.check_change(P::EnCours, 1, None).unwrap();
        assert!(P::Termine.check_change(P::EnCours, 1, None).is_err());
        assert!(
            P::EnPreparation
                .check_change(P::EnPause, 1, Some("x"))
                .is_err()
        );
    }

    #[test]
    fn a_bilan_assesses_every_objective_and_plans_the_next_within_twelve_months() {
        let c = filled();
        let o = c.objectifs[0].id.to_string();
        let today = date(2027, 3, 1);
        let ok = RawBilan {
            date: "2027-02-15".into(),
            appreciations: vec![(o.clone(), "partiellement_atteint".into(), "Progrès".into())],
            synthese: "Bonne année".into(),
            prochain_bilan: "2028-02-15".into(),
        };
        let b = check_bilan(&c, &ok, today).unwrap();
        assert_eq!(b.appreciations[0].resultat, Resultat::PartiellementAtteint);
        let late = RawBilan {
            prochain_bilan: "2028-02-16".into(),
            ..ok.clone()
        };
        assert!(
            check_bilan(&c, &late, today)
                .unwrap_err()
                .get("prochain_bilan")
                .unwrap()
                .contains("15/02/2028")
        );
        let missing = RawBilan {
            appreciations: vec![],
            ..ok.clone()
        };
        assert!(
            check_bilan(&c, &missing, today)
                .unwrap_err()
                .get("appreciations")
                .is_some()
        );
        let future = RawBilan {
            date: "2027-03-02".into(),
            ..ok
        };
        assert!(
            check_bilan(&c, &future, today)
                .unwrap_err()
                .get("date")
                .is_some()
        );
    }

    #[test]
    fn a_needs_evaluation_has_needs_with_a_level_or_a_comment() {
        let b = besoin_code();
        let ok = check_needs(&[RawNeedLine {
            code: b.clone(),
            level: "modere".into(),
            comment: String::new(),
        }])
        .unwrap();
        assert_eq!(ok[0].level.as_deref(), Some("modere"));
        let bare = check_needs(&[RawNeedLine {
            code: b.clone(),
            ..RawNeedLine::default()
        }])
        .unwrap_err();
        assert!(
            bare.get("lines")
                .unwrap()
                .contains("niveau ou un commentaire")
        );
        assert!(check_needs(&[]).is_err());
        let twice = vec![
            RawNeedLine {
                code: b.clone(),
                comment: "x".into(),
                ..RawNeedLine::default()
            };
            2
        ];
        assert!(
            check_needs(&twice)
                .unwrap_err()
                .get("lines")
                .unwrap()
                .contains("deux fois")
        );
        let prestation = check_needs(&[RawNeedLine {
            code: prestation_code(),
            comment: "x".into(),
            ..RawNeedLine::default()
        }]);
        assert!(prestation.is_err());
    }

    #[test]
    fn reviews_are_announced_at_eleven_months_and_overdue_after_twelve() {
        let start = date(2026, 1, 10);
        let due = next_review(start, None);
        assert_eq!(due, date(2027, 1, 10));
        assert_eq!(review_state(due, date(2026, 12, 9)), ReviewState::UpToDate);
        assert_eq!(review_state(due, date(2026, 12, 10)), ReviewState::DueSoon);
        assert_eq!(review_state(due, date(2027, 1, 10)), ReviewState::DueSoon);
        assert_eq!(review_state(due, date(2027, 1, 11)), ReviewState::Overdue);
        assert_eq!(next_review(start, Some(date(2026, 9, 1))), date(2026, 9, 1));
    }
}
