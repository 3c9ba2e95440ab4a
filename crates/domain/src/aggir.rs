//! AGGIR (Autonomie Gérontologique – Groupes Iso-Ressources): from the grid to a GIR 1–6, with an
//! explanation a professional can check line by line.
//!
//! Sources (see `docs/aggir.md`):
//! - the grid, its 10 discriminant and 7 illustrative variables: CASF annexe 2-1 « Grille nationale
//!   AGGIR et son guide de remplissage »; the guide itself is the annex of décret n° 2008-821 du
//!   21 août 2008 (JORF 23/08/2008), « non reproduit, consulter le fac-similé » in the codified text;
//! - the four adverbs (S/T/C/H → A/B/C): the 2008 guide, as summarised by ASH n° 2570;
//! - the combination of sub-variables: no primary text was read; the table follows the reference
//!   implementation OpenXtrem Mediboard `CExamGir::computeAllCodes()`, except where a row says
//!   otherwise ([`COMBINATION_RULES`]); **to be checked against the fac-similé of the 2008 guide**;
//! - the algorithm (values per group, thresholds, rang → GIR): CASF annexe 2-2 « Algorithme de la
//!   grille AGGIR » (same tables in décret n° 97-427 du 28 avril 1997, annexe II), [`GROUPS`] and
//!   [`GIR_OF_RANG`];
//! - GIR points for the GMP: [`GIR_POINTS`] (not verified against the text in this project).
//!
//! Pure: no I/O, no clock. Every rule that comes from a text is a table below.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

// ---------------------------------------------------------------------------------------------
// Letters and adverbs
// ---------------------------------------------------------------------------------------------

/// The modality of a (sub-)variable: A = does alone, B = partially, C = does not do alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Letter {
    A,
    B,
    C,
}

impl Letter {
    pub const ALL: [Letter; 3] = [Letter::A, Letter::B, Letter::C];

    pub fn as_char(self) -> char {
        match self {
            Letter::A => 'A',
            Letter::B => 'B',
            Letter::C => 'C',
        }
    }

    /// `A`, `B` or `C`, upper or lower case.
    pub fn from_char(c: char) -> Option<Letter> {
        match c.to_ascii_uppercase() {
            'A' => Some(Letter::A),
            'B' => Some(Letter::B),
            'C' => Some(Letter::C),
            _ => None,
        }
    }

    /// What the modality means, in French.
    pub fn meaning_fr(self) -> &'static str {
        match self {
            Letter::A => "fait seul(e)",
            Letter::B => "fait partiellement",
            Letter::C => "ne fait pas seul(e)",
        }
    }
}

impl fmt::Display for Letter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_char())
    }
}

/// The four adverbs of the 2008 guide. The evaluator answers, for the person acting **alone**
/// (technical aids count as part of the person, human help does not), whether the activity is done
/// spontanément (without prompting), totalement (all of its field), correctement (quality, usages,
/// safety) and habituellement (each time it is needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Adverb {
    Spontanement,
    Totalement,
    Correctement,
    Habituellement,
}

impl Adverb {
    pub const ALL: [Adverb; 4] = [
        Adverb::Spontanement,
        Adverb::Totalement,
        Adverb::Correctement,
        Adverb::Habituellement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Adverb::Spontanement => "spontanement",
            Adverb::Totalement => "totalement",
            Adverb::Correctement => "correctement",
            Adverb::Habituellement => "habituellement",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Adverb::Spontanement => "spontanément",
            Adverb::Totalement => "totalement",
            Adverb::Correctement => "correctement",
            Adverb::Habituellement => "habituellement",
        }
    }
}

/// The answers for one (sub-)variable: `true` = done alone in that respect.
///
/// JSON: `{"spontanement": true, "totalement": true, "correctement": false, "habituellement": true}`
/// (all four required, nothing else accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adverbs {
    pub spontanement: bool,
    pub totalement: bool,
    pub correctement: bool,
    pub habituellement: bool,
}

impl Adverbs {
    /// All four "yes": coded A.
    pub const ALL_YES: Adverbs = Adverbs {
        spontanement: true,
        totalement: true,
        correctement: true,
        habituellement: true,
    };
    /// All four "no": coded C.
    pub const ALL_NO: Adverbs = Adverbs {
        spontanement: false,
        totalement: false,
        correctement: false,
        habituellement: false,
    };

    pub fn get(&self, adverb: Adverb) -> bool {
        match adverb {
            Adverb::Spontanement => self.spontanement,
            Adverb::Totalement => self.totalement,
            Adverb::Correctement => self.correctement,
            Adverb::Habituellement => self.habituellement,
        }
    }

    /// The adverbs answered "no", in the order S, T, C, H.
    pub fn missing(&self) -> Vec<Adverb> {
        Adverb::ALL.into_iter().filter(|a| !self.get(*a)).collect()
    }

    /// The 2008 guide (ASH n° 2570): four "yes" → A, four "no" → C, one to three "no" → B.
    pub fn letter(&self) -> Letter {
        match self.missing().len() {
            0 => Letter::A,
            4 => Letter::C,
            _ => Letter::B,
        }
    }

    /// Why these answers give their letter, in French.
    pub fn reason_fr(&self) -> String {
        let missing = self.missing();
        match missing.len() {
            0 => "A : fait seul(e) spontanément, totalement, correctement et habituellement."
                .to_string(),
            4 => "C : aucun des quatre adverbes n'est acquis (ni spontanément, ni totalement, \
                  ni correctement, ni habituellement)."
                .to_string(),
            n => format!(
                "B : {} adverbe{} sur 4 non acquis ({}).",
                n,
                if n > 1 { "s" } else { "" },
                missing
                    .iter()
                    .map(|a| a.label_fr())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The grid: variables and sub-variables (CASF annexe 2-1)
// ---------------------------------------------------------------------------------------------

/// The 17 variables of the grid (CASF annexe 2-1): the first 10 are discriminant (they enter the GIR
/// computation), the last 7 illustrative (domestic and social autonomy, used for the aid plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variable {
    Coherence,
    Orientation,
    Toilette,
    Habillage,
    Alimentation,
    Elimination,
    Transferts,
    DeplacementsInterieurs,
    DeplacementsExterieurs,
    CommunicationADistance,
    Gestion,
    Cuisine,
    Menage,
    Transports,
    Achats,
    SuiviDuTraitement,
    ActivitesTempsLibre,
}

/// (variable, stable code, French label, what it covers — CASF annexe 2-1).
const VARIABLES: [(Variable, &str, &str, &str); 17] = [
    (
        Variable::Coherence,
        "coherence",
        "Cohérence",
        "converser et/ou se comporter de façon sensée",
    ),
    (
        Variable::Orientation,
        "orientation",
        "Orientation",
        "se repérer dans le temps, les moments de la journée et dans les lieux",
    ),
    (
        Variable::Toilette,
        "toilette",
        "Toilette",
        "concerne l'hygiène corporelle",
    ),
    (
        Variable::Habillage,
        "habillage",
        "Habillage",
        "s'habiller, se déshabiller, se présenter",
    ),
    (
        Variable::Alimentation,
        "alimentation",
        "Alimentation",
        "manger les aliments préparés",
    ),
    (
        Variable::Elimination,
        "elimination",
        "Élimination",
        "assumer l'hygiène de l'élimination urinaire et fécale",
    ),
    (
        Variable::Transferts,
        "transferts",
        "Transferts",
        "se lever, se coucher, s'asseoir",
    ),
    (
        Variable::DeplacementsInterieurs,
        "deplacements_interieurs",
        "Déplacements à l'intérieur",
        "avec ou sans canne, déambulateur, fauteuil roulant…",
    ),
    (
        Variable::DeplacementsExterieurs,
        "deplacements_exterieurs",
        "Déplacements à l'extérieur",
        "à partir de la porte d'entrée sans moyen de transport",
    ),
    (
        Variable::CommunicationADistance,
        "communication_a_distance",
        "Communication à distance",
        "utiliser les moyens de communication, téléphone, sonnette, alarme…",
    ),
    (
        Variable::Gestion,
        "gestion",
        "Gestion",
        "gérer ses propres affaires, son budget, ses biens",
    ),
    (
        Variable::Cuisine,
        "cuisine",
        "Cuisine",
        "préparer ses repas et les conditionner pour être servis",
    ),
    (
        Variable::Menage,
        "menage",
        "Ménage",
        "effectuer l'ensemble des travaux ménagers",
    ),
    (
        Variable::Transports,
        "transports",
        "Transports",
        "prendre et/ou commander un moyen de transport",
    ),
    (
        Variable::Achats,
        "achats",
        "Achats",
        "acquisition directe ou par correspondance",
    ),
    (
        Variable::SuiviDuTraitement,
        "suivi_du_traitement",
        "Suivi du traitement",
        "se conformer à l'ordonnance du médecin",
    ),
    (
        Variable::ActivitesTempsLibre,
        "activites_temps_libre",
        "Activités de temps libre",
        "activités sportives, culturelles, sociales, de loisir ou de passe-temps",
    ),
];

impl Variable {
    /// All 17, discriminant first, in the order of the grid.
    pub const ALL: [Variable; 17] = [
        Variable::Coherence,
        Variable::Orientation,
        Variable::Toilette,
        Variable::Habillage,
        Variable::Alimentation,
        Variable::Elimination,
        Variable::Transferts,
        Variable::DeplacementsInterieurs,
        Variable::DeplacementsExterieurs,
        Variable::CommunicationADistance,
        Variable::Gestion,
        Variable::Cuisine,
        Variable::Menage,
        Variable::Transports,
        Variable::Achats,
        Variable::SuiviDuTraitement,
        Variable::ActivitesTempsLibre,
    ];

    /// The 10 discriminant variables, in the order of the compact form and of annexe 2-2's tables.
    pub const DISCRIMINANT: [Variable; 10] = [
        Variable::Coherence,
        Variable::Orientation,
        Variable::Toilette,
        Variable::Habillage,
        Variable::Alimentation,
        Variable::Elimination,
        Variable::Transferts,
        Variable::DeplacementsInterieurs,
        Variable::DeplacementsExterieurs,
        Variable::CommunicationADistance,
    ];

    /// The 7 illustrative variables (they never enter the GIR).
    pub const ILLUSTRATIVE: [Variable; 7] = [
        Variable::Gestion,
        Variable::Cuisine,
        Variable::Menage,
        Variable::Transports,
        Variable::Achats,
        Variable::SuiviDuTraitement,
        Variable::ActivitesTempsLibre,
    ];

    /// Position in [`Variable::ALL`] (for the discriminant ones, also in the compact form).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn is_discriminant(self) -> bool {
        self.index() < 10
    }

    /// Stable snake_case ASCII code; also the field name in [`Evaluation`]'s JSON.
    pub fn code(self) -> &'static str {
        VARIABLES[self.index()].1
    }

    pub fn label_fr(self) -> &'static str {
        VARIABLES[self.index()].2
    }

    /// What the variable covers (CASF annexe 2-1).
    pub fn definition_fr(self) -> &'static str {
        VARIABLES[self.index()].3
    }

    pub fn parse_code(code: &str) -> Option<Variable> {
        Variable::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Its sub-variables, in the order of [`COMBINATION_RULES`] patterns; empty when it has none.
    pub fn sub_variables(self) -> &'static [SubVariable] {
        match self {
            Variable::Coherence => &[SubVariable::Communication, SubVariable::Comportement],
            Variable::Orientation => &[SubVariable::Temps, SubVariable::Espace],
            Variable::Toilette => &[SubVariable::ToiletteHaut, SubVariable::ToiletteBas],
            Variable::Habillage => &[
                SubVariable::HabillageHaut,
                SubVariable::HabillageMoyen,
                SubVariable::HabillageBas,
            ],
            Variable::Alimentation => &[SubVariable::SeServir, SubVariable::Manger],
            Variable::Elimination => &[SubVariable::Urinaire, SubVariable::Fecale],
            _ => &[],
        }
    }
}

/// The sub-variables of the 2008 guide (definitions: CNAMTS « Le modèle AGGIR – fiche simplifiée
/// d'évaluation », 2004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubVariable {
    Communication,
    Comportement,
    Temps,
    Espace,
    ToiletteHaut,
    ToiletteBas,
    HabillageHaut,
    HabillageMoyen,
    HabillageBas,
    SeServir,
    Manger,
    Urinaire,
    Fecale,
}

/// (sub-variable, its variable, stable code, JSON key under its variable, French label, scope).
const SUB_VARIABLES: [(SubVariable, Variable, &str, &str, &str, &str); 13] = [
    (
        SubVariable::Communication,
        Variable::Coherence,
        "coherence_communication",
        "communication",
        "Communication",
        "converser de façon sensée",
    ),
    (
        SubVariable::Comportement,
        Variable::Coherence,
        "coherence_comportement",
        "comportement",
        "Comportement",
        "se comporter de façon sensée",
    ),
    (
        SubVariable::Temps,
        Variable::Orientation,
        "orientation_temps",
        "temps",
        "Orientation dans le temps",
        "se repérer dans le temps et les moments de la journée",
    ),
    (
        SubVariable::Espace,
        Variable::Orientation,
        "orientation_espace",
        "espace",
        "Orientation dans l'espace",
        "se repérer dans les lieux",
    ),
    (
        SubVariable::ToiletteHaut,
        Variable::Toilette,
        "toilette_haut",
        "haut",
        "Toilette du haut",
        "visage, tronc, membres supérieurs, mains",
    ),
    (
        SubVariable::ToiletteBas,
        Variable::Toilette,
        "toilette_bas",
        "bas",
        "Toilette du bas",
        "régions intimes, membres inférieurs, pieds",
    ),
    (
        SubVariable::HabillageHaut,
        Variable::Habillage,
        "habillage_haut",
        "haut",
        "Habillage du haut",
        "vêtements enfilés par la tête ou les bras",
    ),
    (
        SubVariable::HabillageMoyen,
        Variable::Habillage,
        "habillage_moyen",
        "moyen",
        "Habillage moyen",
        "fermetures : boutons, fermeture éclair, ceinture, bretelles, soutien-gorge",
    ),
    (
        SubVariable::HabillageBas,
        Variable::Habillage,
        "habillage_bas",
        "bas",
        "Habillage du bas",
        "vêtements enfilés par le bas du corps, chaussettes et chaussures comprises",
    ),
    (
        SubVariable::SeServir,
        Variable::Alimentation,
        "alimentation_se_servir",
        "se_servir",
        "Se servir",
        "couper la viande, ouvrir un yaourt, peler un fruit, remplir son verre",
    ),
    (
        SubVariable::Manger,
        Variable::Alimentation,
        "alimentation_manger",
        "manger",
        "Manger",
        "porter les aliments et les boissons à la bouche et les avaler",
    ),
    (
        SubVariable::Urinaire,
        Variable::Elimination,
        "elimination_urinaire",
        "urinaire",
        "Élimination urinaire",
        "hygiène de l'élimination urinaire",
    ),
    (
        SubVariable::Fecale,
        Variable::Elimination,
        "elimination_fecale",
        "fecale",
        "Élimination fécale",
        "hygiène de l'élimination fécale",
    ),
];

impl SubVariable {
    pub const ALL: [SubVariable; 13] = [
        SubVariable::Communication,
        SubVariable::Comportement,
        SubVariable::Temps,
        SubVariable::Espace,
        SubVariable::ToiletteHaut,
        SubVariable::ToiletteBas,
        SubVariable::HabillageHaut,
        SubVariable::HabillageMoyen,
        SubVariable::HabillageBas,
        SubVariable::SeServir,
        SubVariable::Manger,
        SubVariable::Urinaire,
        SubVariable::Fecale,
    ];

    fn row(
        self,
    ) -> &'static (
        SubVariable,
        Variable,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        &SUB_VARIABLES[self as usize]
    }

    pub fn variable(self) -> Variable {
        self.row().1
    }

    /// Stable snake_case ASCII code, unique in the grid (`toilette_haut`).
    pub fn code(self) -> &'static str {
        self.row().2
    }

    /// Field name under its variable in [`Evaluation`]'s JSON (`haut`).
    pub fn key(self) -> &'static str {
        self.row().3
    }

    pub fn label_fr(self) -> &'static str {
        self.row().4
    }

    /// What the sub-variable covers.
    pub fn definition_fr(self) -> &'static str {
        self.row().5
    }
}

// ---------------------------------------------------------------------------------------------
// Combining sub-variables (one table)
// ---------------------------------------------------------------------------------------------

/// One row of [`COMBINATION_RULES`]: for `variable`, sub-variable letters matching `pattern` (in
/// [`Variable::sub_variables`] order, `*` = any letter) give `result`. The first matching row wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CombinationRule {
    pub variable: Variable,
    pub pattern: &'static str,
    pub result: Letter,
    /// Why, in French, for the explanation.
    pub reason: &'static str,
}

impl CombinationRule {
    pub fn matches(&self, letters: &[Letter]) -> bool {
        self.pattern.chars().count() == letters.len()
            && self
                .pattern
                .chars()
                .zip(letters)
                .all(|(p, l)| p == '*' || p == l.as_char())
    }
}

const fn rule(
    variable: Variable,
    pattern: &'static str,
    result: Letter,
    reason: &'static str,
) -> CombinationRule {
    CombinationRule {
        variable,
        pattern,
        result,
        reason,
    }
}

/// How sub-variables combine into their variable.
///
/// Source: no primary text was read (the 2008 guide, annex of décret n° 2008-821, is « non reproduit,
/// consulter le fac-similé » in the codified CASF annexe 2-1). The rows follow the reference
/// implementation OpenXtrem Mediboard `CExamGir::computeAllCodes()`, except Alimentation `CA` (see
/// there). **Every row must be checked against the fac-similé of the guide (JORF 23/08/2008)**;
/// changing a rule means changing a row here, nothing else.
pub const COMBINATION_RULES: &[CombinationRule] = &[
    // Cohérence (communication, comportement) — Mediboard: any C → C.
    rule(
        Variable::Coherence,
        "AA",
        Letter::A,
        "les deux sous-variables sont A",
    ),
    rule(
        Variable::Coherence,
        "C*",
        Letter::C,
        "une sous-variable C suffit à coder C",
    ),
    rule(
        Variable::Coherence,
        "*C",
        Letter::C,
        "une sous-variable C suffit à coder C",
    ),
    rule(Variable::Coherence, "**", Letter::B, "ni AA, ni C : B"),
    // Orientation (temps, espace) — Mediboard: any C → C.
    rule(
        Variable::Orientation,
        "AA",
        Letter::A,
        "les deux sous-variables sont A",
    ),
    rule(
        Variable::Orientation,
        "C*",
        Letter::C,
        "une sous-variable C suffit à coder C",
    ),
    rule(
        Variable::Orientation,
        "*C",
        Letter::C,
        "une sous-variable C suffit à coder C",
    ),
    rule(Variable::Orientation, "**", Letter::B, "ni AA, ni C : B"),
    // Toilette (haut, bas) — Mediboard: AA → A, CC → C, otherwise B.
    rule(
        Variable::Toilette,
        "AA",
        Letter::A,
        "les deux sous-variables sont A",
    ),
    rule(
        Variable::Toilette,
        "CC",
        Letter::C,
        "les deux sous-variables sont C",
    ),
    rule(
        Variable::Toilette,
        "**",
        Letter::B,
        "une partie seulement est faite seul(e) : B",
    ),
    // Habillage (haut, moyen, bas) — Mediboard: AAA → A, CCC → C, otherwise B.
    rule(
        Variable::Habillage,
        "AAA",
        Letter::A,
        "les trois sous-variables sont A",
    ),
    rule(
        Variable::Habillage,
        "CCC",
        Letter::C,
        "les trois sous-variables sont C",
    ),
    rule(
        Variable::Habillage,
        "***",
        Letter::B,
        "une partie seulement est faite seul(e) : B",
    ),
    // Alimentation (se servir, manger).
    rule(
        Variable::Alimentation,
        "AA",
        Letter::A,
        "les deux sous-variables sont A",
    ),
    // AC, BC, CC → C. Decision on the AC question of aggir.md §3: AC → C. Reason: the 2008 guide's
    // principle that a C in « manger » means the person cannot feed themselves, whatever « se
    // servir » is — being served does not make a person who cannot bring food to the mouth partly
    // autonomous. Same as Mediboard; departs from the (unverified) practitioner summaries giving
    // AC → B. To be checked against the fac-similé JORF 23/08/2008.
    rule(
        Variable::Alimentation,
        "*C",
        Letter::C,
        "« manger » est C : la personne ne peut pas s'alimenter seule, quelle que soit « se servir » \
         (principe du guide 2008 ; choix Parcours pour AC, à vérifier sur le fac-similé du JORF du 23/08/2008)",
    ),
    // CB → C: Mediboard and the practitioner summaries agree.
    rule(
        Variable::Alimentation,
        "CB",
        Letter::C,
        "ne se sert pas et ne mange que partiellement seul(e) : C",
    ),
    // AB, BA, BB and CA → B. Decision on the CA question: CA → B. Reason: the principle above is about
    // « manger »; a person who eats alone once the meal is cut and served does part of the activity
    // alone, which is what B means. Departs from Mediboard (CA → C), agrees with the practitioner
    // summaries (unverified). To be checked against the fac-similé JORF 23/08/2008.
    rule(
        Variable::Alimentation,
        "**",
        Letter::B,
        "mange seul(e) au moins en partie : B (pour CA, choix Parcours — la personne mange seule une fois \
         servie —, à vérifier sur le fac-similé du JORF du 23/08/2008)",
    ),
    // Élimination (urinaire, fécale) — Mediboard: any C → C.
    rule(
        Variable::Elimination,
        "AA",
        Letter::A,
        "les deux sous-variables sont A",
    ),
    rule(
        Variable::Elimination,
        "C*",
        Letter::C,
        "une sous-variable C suffit à coder C",
    ),
    rule(
        Variable::Elimination,
        "*C",
        Letter::C,
        "une sous-variable C suffit à coder C",
    ),
    rule(Variable::Elimination, "**", Letter::B, "ni AA, ni C : B"),
];

/// The first row of [`COMBINATION_RULES`] that matches; `None` for a variable without
/// sub-variables or letters of the wrong count.
pub fn combination_rule(
    variable: Variable,
    letters: &[Letter],
) -> Option<&'static CombinationRule> {
    COMBINATION_RULES
        .iter()
        .find(|r| r.variable == variable && r.matches(letters))
}

/// The letter of a variable from the letters of its sub-variables.
pub fn combine(variable: Variable, letters: &[Letter]) -> Option<Letter> {
    combination_rule(variable, letters).map(|r| r.result)
}

// ---------------------------------------------------------------------------------------------
// The compact form: 10 letters
// ---------------------------------------------------------------------------------------------

/// The letters of the 10 discriminant variables, in [`Variable::DISCRIMINANT`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Letters([Letter; 10]);

impl Letters {
    pub fn new(letters: [Letter; 10]) -> Letters {
        Letters(letters)
    }

    /// Parses the compact form: 10 letters A, B or C (upper or lower case) in the order cohérence,
    /// orientation, toilette, habillage, alimentation, élimination, transferts, déplacements
    /// intérieurs, déplacements extérieurs, communication à distance. Surrounding spaces are ignored.
    pub fn parse(s: &str) -> Result<Letters, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                "variables",
                "Saisissez les 10 modalités AGGIR (lettres A, B ou C), par exemple AABBAAAAAA.",
            ));
        }
        let chars: Vec<char> = s.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if Letter::from_char(*c).is_none() {
                let place = match Variable::DISCRIMINANT.get(i) {
                    Some(v) => format!("position {} ({})", i + 1, v.label_fr().to_lowercase()),
                    None => format!("position {}", i + 1),
                };
                let what = if c.is_whitespace() {
                    "Un espace".to_string()
                } else if c.is_control() {
                    "Un caractère invisible".to_string()
                } else {
                    format!("« {c} »")
                };
                return Err(FieldError::new(
                    "variables",
                    format!(
                        "{what} en {place} n'est pas une modalité AGGIR : seules les lettres A, B et C sont admises."
                    ),
                ));
            }
        }
        if chars.len() != 10 {
            return Err(FieldError::new(
                "variables",
                format!(
                    "10 lettres attendues (cohérence, orientation, toilette, habillage, alimentation, \
                     élimination, transferts, déplacements intérieurs, déplacements extérieurs, \
                     communication à distance), {} reçue{}.",
                    chars.len(),
                    if chars.len() > 1 { "s" } else { "" }
                ),
            ));
        }
        let letters: Vec<Letter> = chars.into_iter().filter_map(Letter::from_char).collect();
        <[Letter; 10]>::try_from(letters)
            .map(Letters)
            .map_err(|_| FieldError::new("variables", "10 lettres A, B ou C attendues."))
    }

    pub fn as_array(&self) -> &[Letter; 10] {
        &self.0
    }

    /// The letter of a discriminant variable; `None` for an illustrative one.
    pub fn get(&self, variable: Variable) -> Option<Letter> {
        self.0.get(variable.index()).copied()
    }

    /// Every one of the 3^10 = 59 049 combinations, `AAAAAAAAAA` first.
    pub fn all() -> impl Iterator<Item = Letters> {
        (0..59_049u32).map(|mut n| {
            let mut letters = [Letter::A; 10];
            for slot in letters.iter_mut().rev() {
                *slot = Letter::ALL[(n % 3) as usize];
                n /= 3;
            }
            Letters(letters)
        })
    }

    /// The GIR and its trace, without French text.
    pub fn gir(&self) -> GirResult {
        compute_gir(self)
    }

    /// GIR and explanation, the letters having been entered directly.
    pub fn assess(&self) -> Assessment {
        let variables = Variable::DISCRIMINANT
            .iter()
            .zip(self.0)
            .map(|(v, l)| VariableExplanation {
                variable: *v,
                letter: l,
                reason: format!("{l} : modalité saisie directement (forme compacte)."),
                sub_variables: Vec::new(),
                rule: None,
            })
            .collect();
        Assessment::build(*self, None, variables)
    }
}

impl fmt::Display for Letters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in self.0 {
            write!(f, "{l}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The algorithm (CASF annexe 2-2)
// ---------------------------------------------------------------------------------------------

/// The eight groups of annexe 2-2 §1, tested in order A → H.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
}

impl Group {
    pub const ALL: [Group; 8] = [
        Group::A,
        Group::B,
        Group::C,
        Group::D,
        Group::E,
        Group::F,
        Group::G,
        Group::H,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Group::A => "A",
            Group::B => "B",
            Group::C => "C",
            Group::D => "D",
            Group::E => "E",
            Group::F => "F",
            Group::G => "G",
            Group::H => "H",
        }
    }

    pub fn table(self) -> &'static GroupTable {
        &GROUPS[self as usize]
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// "Sum ≥ `min` → `rang`"; `min: None` = otherwise (the last line of group H).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    pub min: Option<i32>,
    pub rang: u8,
}

const fn at_least(min: i32, rang: u8) -> Threshold {
    Threshold {
        min: Some(min),
        rang,
    }
}

/// One group of annexe 2-2 §1: the value of each discriminant variable when coded C and when coded
/// B (A is always 0), in [`Variable::DISCRIMINANT`] order, and its thresholds, tested top-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupTable {
    pub group: Group,
    /// `(value if C, value if B)` per discriminant variable.
    pub values: [(i32, i32); 10],
    pub thresholds: &'static [Threshold],
}

impl GroupTable {
    /// The points a variable brings in this group.
    pub fn points(&self, variable: Variable, letter: Letter) -> i32 {
        match (self.values.get(variable.index()), letter) {
            (Some((c, _)), Letter::C) => *c,
            (Some((_, b)), Letter::B) => *b,
            _ => 0,
        }
    }

    pub fn score(&self, letters: &Letters) -> i32 {
        Variable::DISCRIMINANT
            .iter()
            .zip(letters.0)
            .map(|(v, l)| self.points(*v, l))
            .sum()
    }
}

/// CASF annexe 2-2 « Algorithme de la grille AGGIR », §1 « Calcul des rangs » (identical in décret
/// n° 97-427 du 28 avril 1997, annexe II). Columns: cohérence, orientation, toilette, habillage,
/// alimentation, élimination, transfert(s), déplacement intérieur, déplacement extérieur,
/// communication; each `(C, B)`. Thresholds as in the text: « supérieure ou égale à … : rang … ;
/// comprise entre … (exclus) et … (inclus) : rang … ; inférieure à … : tester les valeurs du groupe
/// suivant ».
pub const GROUPS: [GroupTable; 8] = [
    // Groupe A: ≥ 4 380 → rang 1; [4 140, 4 380) → 2; [3 390, 4 140) → 3; else group B.
    GroupTable {
        group: Group::A,
        values: [
            (2000, 0),
            (1200, 0),
            (40, 16),
            (40, 16),
            (60, 20),
            (100, 16),
            (800, 120),
            (200, 32),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(4380, 1), at_least(4140, 2), at_least(3390, 3)],
    },
    // Groupe B: ≥ 2 016 → rang 4; else group C. (Déplacement intérieur is negative here.)
    GroupTable {
        group: Group::B,
        values: [
            (1500, 320),
            (1200, 120),
            (40, 16),
            (40, 16),
            (60, 0),
            (100, 16),
            (800, 120),
            (-80, -40),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(2016, 4)],
    },
    // Groupe C: ≥ 1 700 → rang 5; [1 432, 1 700) → 6; else group D.
    GroupTable {
        group: Group::C,
        values: [
            (0, 0),
            (0, 0),
            (40, 16),
            (40, 16),
            (60, 20),
            (160, 20),
            (1000, 200),
            (400, 40),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(1700, 5), at_least(1432, 6)],
    },
    // Groupe D: ≥ 2 400 → rang 7; else group E.
    GroupTable {
        group: Group::D,
        values: [
            (0, 0),
            (0, 0),
            (0, 0),
            (0, 0),
            (2000, 200),
            (400, 200),
            (2000, 200),
            (200, 0),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(2400, 7)],
    },
    // Groupe E: ≥ 1 200 → rang 8; else group F.
    GroupTable {
        group: Group::E,
        values: [
            (400, 0),
            (400, 0),
            (400, 100),
            (400, 100),
            (400, 100),
            (800, 100),
            (800, 100),
            (200, 0),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(1200, 8)],
    },
    // Groupe F: ≥ 800 → rang 9; else group G.
    GroupTable {
        group: Group::F,
        values: [
            (200, 100),
            (200, 100),
            (500, 100),
            (500, 100),
            (500, 100),
            (500, 100),
            (500, 100),
            (200, 0),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(800, 9)],
    },
    // Groupe G: ≥ 650 → rang 10; else group H. Déplacement intérieur C = 200 as in the official
    // text (Mediboard has 0, a typo that changes no result: those cases stop in an earlier group).
    GroupTable {
        group: Group::G,
        values: [
            (150, 0),
            (150, 0),
            (300, 200),
            (300, 200),
            (500, 200),
            (500, 200),
            (400, 200),
            (200, 100),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[at_least(650, 10)],
    },
    // Groupe H: ≥ 4 000 → rang 11; [2 000, 4 000) → 12; < 2 000 → 13 (always decides).
    // Transfert is 1 000 for C and 2 000 for B here, as printed in the text.
    GroupTable {
        group: Group::H,
        values: [
            (0, 0),
            (0, 0),
            (3000, 2000),
            (3000, 2000),
            (3000, 2000),
            (3000, 2000),
            (1000, 2000),
            (1000, 1000),
            (0, 0),
            (0, 0),
        ],
        thresholds: &[
            at_least(4000, 11),
            at_least(2000, 12),
            Threshold {
                min: None,
                rang: 13,
            },
        ],
    },
];

/// CASF annexe 2-2 §2 « Passage des rangs aux groupes »: GIR of rang 1..=13 (index = rang − 1).
/// Rang 1 → GIR 1; 2–7 → 2; 8, 9 → 3; 10, 11 → 4; 12 → 5; 13 → 6.
pub const GIR_OF_RANG: [u8; 13] = [1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6];

/// The GIR of a rang; `None` outside 1..=13.
pub fn gir_of_rang(rang: u8) -> Option<u8> {
    GIR_OF_RANG.get(usize::from(rang).checked_sub(1)?).copied()
}

/// The points one variable brought to a group's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution {
    pub variable: Variable,
    pub letter: Letter,
    pub points: i32,
}

/// One group tried: its score, the variables that counted, and the rang if a threshold was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTrial {
    pub group: Group,
    pub score: i32,
    /// Non-zero contributions, in variable order.
    pub contributions: Vec<Contribution>,
    pub thresholds: &'static [Threshold],
    /// The threshold met, if any (then the algorithm stops here).
    pub met: Option<Threshold>,
}

/// The outcome of annexe 2-2 for one set of letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GirResult {
    pub gir: u8,
    pub rang: u8,
    /// The deciding group, its score and the threshold met (`None` for rang 13, « inférieure à 2 000 »).
    pub group: Group,
    pub score: i32,
    pub threshold: Option<i32>,
    /// Every group tried, in order, the deciding one last.
    pub trials: Vec<GroupTrial>,
}

/// Annexe 2-2: score each group in turn; the first threshold met gives the rang, the rang the GIR.
pub fn compute_gir(letters: &Letters) -> GirResult {
    let mut trials = Vec::with_capacity(8);
    for table in &GROUPS {
        let contributions: Vec<Contribution> = Variable::DISCRIMINANT
            .iter()
            .zip(letters.0)
            .map(|(v, l)| Contribution {
                variable: *v,
                letter: l,
                points: table.points(*v, l),
            })
            .filter(|c| c.points != 0)
            .collect();
        let score = contributions.iter().map(|c| c.points).sum();
        let met = table
            .thresholds
            .iter()
            .find(|t| t.min.is_none_or(|m| score >= m))
            .copied();
        trials.push(GroupTrial {
            group: table.group,
            score,
            contributions,
            thresholds: table.thresholds,
            met,
        });
        if let Some(t) = met {
            return GirResult {
                // Every rang of the tables is in 1..=13 (tested).
                gir: gir_of_rang(t.rang).unwrap_or(6),
                rang: t.rang,
                group: table.group,
                score,
                threshold: t.min,
                trials,
            };
        }
    }
    // Unreachable with the official tables: group H's last line has no minimum (tested).
    let score = trials.last().map_or(0, |t| t.score);
    GirResult {
        gir: 6,
        rang: 13,
        group: Group::H,
        score,
        threshold: None,
        trials,
    }
}

// ---------------------------------------------------------------------------------------------
// The full evaluation (adverbs per sub-variable)
// ---------------------------------------------------------------------------------------------

/// Cohérence: communication, comportement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoherenceAdverbs {
    pub communication: Adverbs,
    pub comportement: Adverbs,
}

/// Orientation: temps, espace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrientationAdverbs {
    pub temps: Adverbs,
    pub espace: Adverbs,
}

/// Toilette: haut, bas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToiletteAdverbs {
    pub haut: Adverbs,
    pub bas: Adverbs,
}

/// Habillage: haut, moyen, bas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HabillageAdverbs {
    pub haut: Adverbs,
    pub moyen: Adverbs,
    pub bas: Adverbs,
}

/// Alimentation: se servir, manger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlimentationAdverbs {
    pub se_servir: Adverbs,
    pub manger: Adverbs,
}

/// Élimination: urinaire, fécale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EliminationAdverbs {
    pub urinaire: Adverbs,
    pub fecale: Adverbs,
}

/// A full AGGIR evaluation: the four adverbs for every sub-variable and every variable without
/// sub-variables, the 7 illustrative ones included. Field names are the [`Variable::code`]s and
/// [`SubVariable::key`]s; every field is required and unknown fields are refused, so a stored
/// evaluation is always complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    pub coherence: CoherenceAdverbs,
    pub orientation: OrientationAdverbs,
    pub toilette: ToiletteAdverbs,
    pub habillage: HabillageAdverbs,
    pub alimentation: AlimentationAdverbs,
    pub elimination: EliminationAdverbs,
    pub transferts: Adverbs,
    pub deplacements_interieurs: Adverbs,
    pub deplacements_exterieurs: Adverbs,
    pub communication_a_distance: Adverbs,
    pub gestion: Adverbs,
    pub cuisine: Adverbs,
    pub menage: Adverbs,
    pub transports: Adverbs,
    pub achats: Adverbs,
    pub suivi_du_traitement: Adverbs,
    pub activites_temps_libre: Adverbs,
}

/// The answers of one variable: directly, or per sub-variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answers {
    Direct(Adverbs),
    Subs(Vec<(SubVariable, Adverbs)>),
}

impl Evaluation {
    /// Every variable and every sub-variable answered with the same adverbs.
    pub fn uniform(adverbs: Adverbs) -> Evaluation {
        let a = adverbs;
        Evaluation {
            coherence: CoherenceAdverbs {
                communication: a,
                comportement: a,
            },
            orientation: OrientationAdverbs {
                temps: a,
                espace: a,
            },
            toilette: ToiletteAdverbs { haut: a, bas: a },
            habillage: HabillageAdverbs {
                haut: a,
                moyen: a,
                bas: a,
            },
            alimentation: AlimentationAdverbs {
                se_servir: a,
                manger: a,
            },
            elimination: EliminationAdverbs {
                urinaire: a,
                fecale: a,
            },
            transferts: a,
            deplacements_interieurs: a,
            deplacements_exterieurs: a,
            communication_a_distance: a,
            gestion: a,
            cuisine: a,
            menage: a,
            transports: a,
            achats: a,
            suivi_du_traitement: a,
            activites_temps_libre: a,
        }
    }

    /// The answers for one variable.
    pub fn answers(&self, variable: Variable) -> Answers {
        use SubVariable as S;
        match variable {
            Variable::Coherence => Answers::Subs(vec![
                (S::Communication, self.coherence.communication),
                (S::Comportement, self.coherence.comportement),
            ]),
            Variable::Orientation => Answers::Subs(vec![
                (S::Temps, self.orientation.temps),
                (S::Espace, self.orientation.espace),
            ]),
            Variable::Toilette => Answers::Subs(vec![
                (S::ToiletteHaut, self.toilette.haut),
                (S::ToiletteBas, self.toilette.bas),
            ]),
            Variable::Habillage => Answers::Subs(vec![
                (S::HabillageHaut, self.habillage.haut),
                (S::HabillageMoyen, self.habillage.moyen),
                (S::HabillageBas, self.habillage.bas),
            ]),
            Variable::Alimentation => Answers::Subs(vec![
                (S::SeServir, self.alimentation.se_servir),
                (S::Manger, self.alimentation.manger),
            ]),
            Variable::Elimination => Answers::Subs(vec![
                (S::Urinaire, self.elimination.urinaire),
                (S::Fecale, self.elimination.fecale),
            ]),
            Variable::Transferts => Answers::Direct(self.transferts),
            Variable::DeplacementsInterieurs => Answers::Direct(self.deplacements_interieurs),
            Variable::DeplacementsExterieurs => Answers::Direct(self.deplacements_exterieurs),
            Variable::CommunicationADistance => Answers::Direct(self.communication_a_distance),
            Variable::Gestion => Answers::Direct(self.gestion),
            Variable::Cuisine => Answers::Direct(self.cuisine),
            Variable::Menage => Answers::Direct(self.menage),
            Variable::Transports => Answers::Direct(self.transports),
            Variable::Achats => Answers::Direct(self.achats),
            Variable::SuiviDuTraitement => Answers::Direct(self.suivi_du_traitement),
            Variable::ActivitesTempsLibre => Answers::Direct(self.activites_temps_libre),
        }
    }

    /// Letters of the 17 variables (adverbs → sub-variable letters → combination table), the GIR
    /// and its explanation.
    pub fn compute(&self) -> Assessment {
        let explained: Vec<VariableExplanation> =
            Variable::ALL.iter().map(|v| self.explain(*v)).collect();
        let mut discriminant = [Letter::A; 10];
        let mut illustrative = [Letter::A; 7];
        for e in &explained {
            let i = e.variable.index();
            if let Some(slot) = discriminant.get_mut(i) {
                *slot = e.letter;
            } else if let Some(slot) = i.checked_sub(10).and_then(|j| illustrative.get_mut(j)) {
                *slot = e.letter;
            }
        }
        Assessment::build(Letters(discriminant), Some(illustrative), explained)
    }

    fn explain(&self, variable: Variable) -> VariableExplanation {
        match self.answers(variable) {
            Answers::Direct(a) => VariableExplanation {
                variable,
                letter: a.letter(),
                reason: a.reason_fr(),
                sub_variables: Vec::new(),
                rule: None,
            },
            Answers::Subs(subs) => {
                let sub_variables: Vec<SubVariableExplanation> = subs
                    .iter()
                    .map(|(s, a)| SubVariableExplanation {
                        sub_variable: *s,
                        letter: a.letter(),
                        missing: a.missing(),
                        reason: a.reason_fr(),
                    })
                    .collect();
                let letters: Vec<Letter> = sub_variables.iter().map(|s| s.letter).collect();
                let pattern: String = letters.iter().map(|l| l.as_char()).collect();
                let parts = sub_variables
                    .iter()
                    .map(|s| format!("{} {}", s.sub_variable.label_fr().to_lowercase(), s.letter))
                    .collect::<Vec<_>>()
                    .join(", ");
                match combination_rule(variable, &letters) {
                    Some(r) => VariableExplanation {
                        variable,
                        letter: r.result,
                        reason: format!(
                            "{} : {parts} ; combinaison {pattern} → {} ({}).",
                            r.result, r.result, r.reason
                        ),
                        sub_variables,
                        rule: Some(r),
                    },
                    // Not reached: every variable with sub-variables ends with a catch-all row
                    // (tested). Coded C, the cautious reading, and said so.
                    None => VariableExplanation {
                        variable,
                        letter: Letter::C,
                        reason: format!(
                            "C : {parts} ; combinaison {pattern} absente de la table de combinaison."
                        ),
                        sub_variables,
                        rule: None,
                    },
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Assessment and explanation
// ---------------------------------------------------------------------------------------------

/// Why a sub-variable has its letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubVariableExplanation {
    pub sub_variable: SubVariable,
    pub letter: Letter,
    /// Adverbs answered "no".
    pub missing: Vec<Adverb>,
    pub reason: String,
}

/// Why a variable has its letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableExplanation {
    pub variable: Variable,
    pub letter: Letter,
    /// French: the missing adverbs, the combination of sub-variables, or "entered directly".
    pub reason: String,
    /// Empty for a variable without sub-variables or entered directly.
    pub sub_variables: Vec<SubVariableExplanation>,
    /// The combination row applied, if any.
    pub rule: Option<&'static CombinationRule>,
}

/// One group tried, with its French sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupExplanation {
    pub trial: GroupTrial,
    pub text: String,
}

/// The decision: deciding group, score, threshold met, rang, GIR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub group: Group,
    pub score: i32,
    pub threshold: Option<i32>,
    pub rang: u8,
    pub gir: u8,
    pub text: String,
}

/// Everything a professional needs to check a GIR: each variable's letter and why, each group tried
/// with its score and thresholds, and the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The 10 discriminant variables, then the 7 illustrative ones when they were evaluated.
    pub variables: Vec<VariableExplanation>,
    pub groups: Vec<GroupExplanation>,
    pub decision: Decision,
}

impl Explanation {
    /// The explanation as French lines, for a terminal or a plain-text view.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec!["Variables discriminantes :".to_string()];
        let mut illustrative_header = false;
        for v in &self.variables {
            if !v.variable.is_discriminant() && !illustrative_header {
                out.push("Variables illustratives (sans effet sur le GIR) :".to_string());
                illustrative_header = true;
            }
            let note = if matches!(
                v.variable,
                Variable::DeplacementsExterieurs | Variable::CommunicationADistance
            ) {
                " Sans effet sur le GIR (valeur 0 dans tous les groupes de l'annexe 2-2)."
            } else {
                ""
            };
            out.push(format!("  {} : {}{note}", v.variable.label_fr(), v.reason));
            for s in &v.sub_variables {
                out.push(format!("    {} : {}", s.sub_variable.label_fr(), s.reason));
            }
        }
        out.push("Groupes testés (CASF annexe 2-2) :".to_string());
        for g in &self.groups {
            out.push(format!("  {}", g.text));
        }
        out.push(self.decision.text.clone());
        out
    }
}

/// The result of an evaluation: letters, GIR and explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub letters: Letters,
    /// The 7 illustrative letters in [`Variable::ILLUSTRATIVE`] order, when evaluated.
    pub illustrative: Option<[Letter; 7]>,
    pub result: GirResult,
    pub explanation: Explanation,
}

impl Assessment {
    fn build(
        letters: Letters,
        illustrative: Option<[Letter; 7]>,
        variables: Vec<VariableExplanation>,
    ) -> Assessment {
        let result = compute_gir(&letters);
        let groups = result
            .trials
            .iter()
            .map(|t| GroupExplanation {
                text: group_text(t),
                trial: t.clone(),
            })
            .collect();
        let decision = Decision {
            group: result.group,
            score: result.score,
            threshold: result.threshold,
            rang: result.rang,
            gir: result.gir,
            text: decision_text(&result),
        };
        Assessment {
            letters,
            illustrative,
            result,
            explanation: Explanation {
                variables,
                groups,
                decision,
            },
        }
    }

    pub fn gir(&self) -> u8 {
        self.result.gir
    }

    pub fn rang(&self) -> u8 {
        self.result.rang
    }

    /// The letter of any variable; `None` for an illustrative one that was not evaluated.
    pub fn letter(&self, variable: Variable) -> Option<Letter> {
        self.letters.get(variable).or_else(|| {
            let i = variable.index().checked_sub(10)?;
            self.illustrative.and_then(|l| l.get(i).copied())
        })
    }

    /// `GIR 4 (rang 11)`.
    pub fn summary(&self) -> String {
        format!("GIR {} (rang {})", self.result.gir, self.result.rang)
    }
}

fn thresholds_text(thresholds: &[Threshold]) -> String {
    thresholds
        .iter()
        .map(|t| match t.min {
            Some(m) => format!("≥ {m} → rang {}", t.rang),
            None => format!("sinon rang {}", t.rang),
        })
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn group_text(t: &GroupTrial) -> String {
    let detail = if t.contributions.is_empty() {
        "aucune variable ne compte dans ce groupe".to_string()
    } else {
        t.contributions
            .iter()
            .map(|c| format!("{} {} : {}", c.variable.label_fr(), c.letter, c.points))
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let seuil = if t.thresholds.len() > 1 {
        "seuils"
    } else {
        "seuil"
    };
    let outcome = match t.met {
        Some(Threshold { min: Some(m), rang }) => {
            format!("{} ≥ {m} : atteint, rang {rang}.", t.score)
        }
        Some(Threshold { min: None, rang }) => {
            let lowest = t.thresholds.iter().filter_map(|x| x.min).min().unwrap_or(0);
            format!("{} < {lowest} : rang {rang}.", t.score)
        }
        None => {
            let next = Group::ALL
                .iter()
                .find(|g| **g > t.group)
                .map_or(String::new(), |g| format!(", on passe au groupe {g}"));
            let lowest = t.thresholds.iter().filter_map(|x| x.min).min().unwrap_or(0);
            format!("{} < {lowest} : non atteint{next}.", t.score)
        }
    };
    format!(
        "Groupe {} : score {} ({detail}) ; {seuil} {} ; {outcome}",
        t.group,
        t.score,
        thresholds_text(t.thresholds)
    )
}

fn decision_text(r: &GirResult) -> String {
    let rangs: Vec<String> = GIR_OF_RANG
        .iter()
        .enumerate()
        .filter(|(_, g)| **g == r.gir)
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    let rangs = if rangs.len() > 1 {
        format!("rangs {}", rangs.join(", "))
    } else {
        format!("rang {}", rangs.join(""))
    };
    let why = match r.threshold {
        Some(m) => format!("score {} ≥ seuil {m}", r.score),
        None => {
            let lowest = r
                .group
                .table()
                .thresholds
                .iter()
                .filter_map(|t| t.min)
                .min()
                .unwrap_or(0);
            format!("score {} < {lowest}", r.score)
        }
    };
    format!(
        "Décision : groupe {}, {why} → rang {} → GIR {} (annexe 2-2, passage des rangs aux groupes : {rangs} → GIR {}).",
        r.group, r.rang, r.gir, r.gir
    )
}

// ---------------------------------------------------------------------------------------------
// Comparing two evaluations
// ---------------------------------------------------------------------------------------------

/// One variable whose letter changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterChange {
    pub variable: Variable,
    pub before: Letter,
    pub after: Letter,
}

impl LetterChange {
    /// C is more dependent than B, B than A.
    pub fn worsened(&self) -> bool {
        self.after > self.before
    }
}

/// What changed between two evaluations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Variables whose letter changed; illustrative ones only when both evaluations have them.
    pub variables: Vec<LetterChange>,
    pub gir_before: u8,
    pub gir_after: u8,
    pub rang_before: u8,
    pub rang_after: u8,
}

impl Changes {
    pub fn gir_changed(&self) -> bool {
        self.gir_before != self.gir_after
    }

    /// In French, the GIR first.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.push(if self.gir_after < self.gir_before {
            format!(
                "GIR {} → GIR {} : perte d'autonomie plus importante (rang {} → {}).",
                self.gir_before, self.gir_after, self.rang_before, self.rang_after
            )
        } else if self.gir_after > self.gir_before {
            format!(
                "GIR {} → GIR {} : autonomie plus grande (rang {} → {}).",
                self.gir_before, self.gir_after, self.rang_before, self.rang_after
            )
        } else if self.rang_after != self.rang_before {
            format!(
                "GIR inchangé : {} (rang {} → {}).",
                self.gir_after, self.rang_before, self.rang_after
            )
        } else {
            format!(
                "GIR inchangé : {} (rang {}).",
                self.gir_after, self.rang_after
            )
        });
        if self.variables.is_empty() {
            out.push("Aucune variable n'a changé de modalité.".to_string());
        }
        for c in &self.variables {
            let trend = if c.worsened() {
                "aggravation"
            } else {
                "amélioration"
            };
            let note = if !c.variable.is_discriminant() {
                " ; variable illustrative, sans effet sur le GIR"
            } else if matches!(
                c.variable,
                Variable::DeplacementsExterieurs | Variable::CommunicationADistance
            ) {
                " ; sans effet sur le GIR"
            } else {
                ""
            };
            out.push(format!(
                "{} : {} → {} ({trend}{note}).",
                c.variable.label_fr(),
                c.before,
                c.after
            ));
        }
        out
    }
}

/// What changed from `previous` to `current`: variables whose letter changed, old and new GIR.
pub fn changes(previous: &Assessment, current: &Assessment) -> Changes {
    let variables = Variable::ALL
        .iter()
        .filter_map(|v| {
            let before = previous.letter(*v)?;
            let after = current.letter(*v)?;
            (before != after).then_some(LetterChange {
                variable: *v,
                before,
                after,
            })
        })
        .collect();
    Changes {
        variables,
        gir_before: previous.gir(),
        gir_after: current.gir(),
        rang_before: previous.rang(),
        rang_after: current.rang(),
    }
}

// ---------------------------------------------------------------------------------------------
// GIR points and GMP
// ---------------------------------------------------------------------------------------------

/// GIR points used for the GMP (GIR moyen pondéré) of an EHPAD: (GIR, points).
///
/// Source: CASF annexe 3-6 / tarification EHPAD, barème GIR points. **Not verified against the text
/// in this project** (values from the reference notes, aggir.md §7).
pub const GIR_POINTS: [(u8, u32); 6] = [(1, 1000), (2, 840), (3, 660), (4, 420), (5, 250), (6, 70)];

/// The points of a GIR; `None` outside 1..=6.
pub fn gir_points(gir: u8) -> Option<u32> {
    GIR_POINTS.iter().find(|(g, _)| *g == gir).map(|(_, p)| *p)
}

/// GIR moyen pondéré: Σ points / number of persons. `None` for an empty list or a value outside 1..=6.
pub fn gmp(girs: &[u8]) -> Option<f64> {
    if girs.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    for g in girs {
        total += u64::from(gir_points(*g)?);
    }
    Some(total as f64 / girs.len() as f64)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn the_tables_are_consistent() {
        for (i, v) in Variable::ALL.iter().enumerate() {
            assert_eq!(v.index(), i);
            assert_eq!(VARIABLES[i].0, *v);
            assert_eq!(Variable::parse_code(v.code()), Some(*v));
        }
        for (i, s) in SubVariable::ALL.iter().enumerate() {
            assert_eq!(SUB_VARIABLES[i].0, *s);
            assert!(s.variable().sub_variables().contains(s));
        }
        for (i, g) in GROUPS.iter().enumerate() {
            assert_eq!(g.group, Group::ALL[i]);
        }
        assert_eq!(GROUPS[7].thresholds.last().unwrap().min, None);
    }
}
