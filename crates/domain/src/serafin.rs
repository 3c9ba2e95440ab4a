//! The SERAFIN-PH nomenclatures of needs (besoins, `1.x`) and services (prestations directes `2.x`,
//! prestations indirectes `3.x`), as published by the ANS terminology server (SMT, CodeSystem
//! "terminologie-SERAFINPH", value sets JDV_J285, JDV_J284 and JDV_J283), one [`Nomenclature`] per
//! edition, read from `data/serafin-ph/<version>/` (see its README for source, licence and the
//! numbering caveat).
//!
//! Codes are the SMT codes (those the TDDUI guide binds), never the CNSA guide's numbering. A stored
//! reference is a [`SerafinRef`], a `(version, code)` pair, so a record keeps the meaning it had in the
//! edition it was written with; new input is checked against [`current`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use crate::error::FieldError;
use crate::text::fold;

/// The edition new input is checked against.
pub const CURRENT_VERSION: &str = "2023.1.0";

/// The files of one published edition (`data/serafin-ph/<version>/`).
struct EditionFiles {
    version: &'static str,
    besoins: &'static str,
    prestations: &'static str,
}

/// Editions superseded by a later one, oldest first. They stay embedded so that stored
/// `(version, code)` pairs keep their labels. Empty until a second edition is published.
const PREVIOUS: &[EditionFiles] = &[];

/// The current edition (its version is [`CURRENT_VERSION`]).
const CURRENT: EditionFiles = EditionFiles {
    version: CURRENT_VERSION,
    besoins: include_str!("../../../data/serafin-ph/2023.1.0/besoins.csv"),
    prestations: include_str!("../../../data/serafin-ph/2023.1.0/prestations.csv"),
};

/// The three families of the nomenclatures, told by the first segment of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Family {
    /// Besoins (`1.x`, value set JDV_J285).
    #[serde(rename = "besoins")]
    Besoin,
    /// Prestations directes de soins et d'accompagnement (`2.x`, value set JDV_J284).
    #[serde(rename = "prestations_directes")]
    PrestationDirecte,
    /// Prestations indirectes, pilotage et fonctions support (`3.x`, value set JDV_J283).
    #[serde(rename = "prestations_indirectes")]
    PrestationIndirecte,
}

impl Family {
    pub const ALL: [Family; 3] = [
        Family::Besoin,
        Family::PrestationDirecte,
        Family::PrestationIndirecte,
    ];

    /// Stable name, used in URLs (`famille=`) and the API: `besoins`, `prestations_directes`,
    /// `prestations_indirectes`.
    pub fn code(self) -> &'static str {
        match self {
            Family::Besoin => "besoins",
            Family::PrestationDirecte => "prestations_directes",
            Family::PrestationIndirecte => "prestations_indirectes",
        }
    }

    /// The family of a stable name (see [`Family::code`]).
    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.code() == s.trim())
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Family::Besoin => "Besoins",
            Family::PrestationDirecte => "Prestations directes",
            Family::PrestationIndirecte => "Prestations indirectes",
        }
    }

    /// The code of the family's root concept (`1`, `2`, `3`).
    pub fn root(self) -> &'static str {
        match self {
            Family::Besoin => "1",
            Family::PrestationDirecte => "2",
            Family::PrestationIndirecte => "3",
        }
    }

    /// The family of a code, from its first segment.
    pub fn of_code(code: &str) -> Option<Family> {
        let first = code.split('.').next()?;
        Family::ALL.into_iter().find(|f| f.root() == first)
    }
}

/// One concept of an edition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Concept {
    /// SMT code, dot-separated numbers (`2.3.1.1`).
    pub code: String,
    /// Label, verbatim from the SMT.
    pub label: String,
    /// The code without its last segment; `None` for the roots `1`, `2`, `3`.
    pub parent: Option<String>,
    /// Number of segments of the code (1 to 4 in 2023.1.0).
    pub level: u8,
    pub family: Family,
    /// No concept below this one.
    pub leaf: bool,
    /// Words of the folded label, for search.
    #[serde(skip)]
    words: Vec<String>,
    /// Numeric segments of the code, for ordering (`1.1.10` after `1.1.9`).
    #[serde(skip)]
    key: Vec<u32>,
}

/// One edition of the nomenclatures: the needs and both families of services, in code order.
#[derive(Debug)]
pub struct Nomenclature {
    version: &'static str,
    concepts: Vec<Concept>,
    by_code: HashMap<String, usize>,
}

impl Nomenclature {
    fn load(files: &EditionFiles) -> Nomenclature {
        let mut concepts: Vec<Concept> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for row in rows(files.besoins)
            .into_iter()
            .chain(rows(files.prestations))
        {
            let Some(key) = code_key(&row.code) else {
                continue;
            };
            let Some(family) = Family::of_code(&row.code) else {
                continue;
            };
            if !seen.insert(row.code.clone()) {
                continue;
            }
            let parent = row.code.rsplit_once('.').map(|(p, _)| p.to_string());
            concepts.push(Concept {
                level: u8::try_from(key.len()).unwrap_or(u8::MAX),
                words: fold(&row.label).split(' ').map(str::to_string).collect(),
                code: row.code,
                label: row.label,
                parent,
                family,
                leaf: true,
                key,
            });
        }
        concepts.sort_by(|a, b| a.key.cmp(&b.key));
        let parents: Vec<String> = concepts.iter().filter_map(|c| c.parent.clone()).collect();
        for c in &mut concepts {
            c.leaf = !parents.contains(&c.code);
        }
        let by_code = concepts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        Nomenclature {
            version: files.version,
            concepts,
            by_code,
        }
    }

    /// The SMT version of this edition (`2023.1.0`).
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// Every concept, in code order (a parent before its children, `1.1.10` after `1.1.9`).
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concepts of one family, in code order.
    pub fn family(&self, family: Family) -> impl Iterator<Item = &Concept> {
        self.concepts.iter().filter(move |c| c.family == family)
    }

    /// A concept by its exact code.
    pub fn get(&self, code: &str) -> Option<&Concept> {
        self.by_code.get(code).and_then(|&i| self.concepts.get(i))
    }

    /// The concepts directly below `code`, in code order (empty for a leaf or an unknown code).
    pub fn children(&self, code: &str) -> Vec<&Concept> {
        self.concepts
            .iter()
            .filter(|c| c.parent.as_deref() == Some(code))
            .collect()
    }

    /// The concepts above `code`, root first, without the concept itself (a breadcrumb).
    pub fn ancestors(&self, code: &str) -> Vec<&Concept> {
        let mut out = Vec::new();
        let mut parent = self.get(code).and_then(|c| c.parent.as_deref());
        while let Some(p) = parent {
            match self.get(p) {
                Some(c) => {
                    out.push(c);
                    parent = c.parent.as_deref();
                }
                None => break,
            }
        }
        out.reverse();
        out
    }

    /// Searches the edition, in code order. Every word of the query must match:
    /// - a word made of numbers and dots is a code prefix: `2.3` finds `2.3` and everything below it
    ///   (not `2.30`), `2` a whole family;
    /// - any other word, accent- and case-insensitively, must start a word of the concept's own label
    ///   (`sante` finds « santé », `auto` « autonomie », `dentaire` « bucco-dentaire »).
    ///
    /// A query without words returns every concept.
    pub fn search(&self, query: &str) -> Vec<&Concept> {
        self.search_in(query, None)
    }

    /// [`Nomenclature::search`] within one family, or all of them.
    pub fn search_in(&self, query: &str, family: Option<Family>) -> Vec<&Concept> {
        let mut codes: Vec<String> = Vec::new();
        let mut words: Vec<String> = Vec::new();
        for raw in query.split_whitespace() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
            if code_key(w).is_some() {
                codes.push(w.to_string());
            } else {
                words.extend(
                    fold(w)
                        .split(' ')
                        .filter(|t| !t.is_empty())
                        .map(str::to_string),
                );
            }
        }
        self.concepts
            .iter()
            .filter(|c| family.is_none_or(|f| c.family == f))
            .filter(|c| codes.iter().all(|p| is_same_or_below(&c.code, p)))
            .filter(|c| {
                words
                    .iter()
                    .all(|w| c.words.iter().any(|cw| cw.starts_with(w.as_str())))
            })
            .collect()
    }

    /// Checks a code received at the edge against this edition and the families allowed.
    pub fn parse_ref(
        &self,
        field: &'static str,
        code: &str,
        families: &[Family],
    ) -> Result<SerafinRef, FieldError> {
        let wants_need = families == [Family::Besoin];
        let code = code.trim();
        if code.is_empty() {
            return Err(FieldError::new(
                field,
                if wants_need {
                    "Choisissez un besoin de la nomenclature SERAFIN-PH."
                } else {
                    "Choisissez une prestation de la nomenclature SERAFIN-PH."
                },
            ));
        }
        let Some(concept) = self.get(code) else {
            return Err(FieldError::new(
                field,
                format!(
                    "Le code « {code} » ne fait pas partie de la nomenclature SERAFIN-PH (édition {}).",
                    self.version
                ),
            ));
        };
        if !families.contains(&concept.family) {
            return Err(FieldError::new(
                field,
                if wants_need {
                    format!(
                        "Le code « {code} » est une prestation, pas un besoin : choisissez un code de besoin (1.x)."
                    )
                } else if concept.family == Family::Besoin {
                    format!(
                        "Le code « {code} » est un besoin, pas une prestation : choisissez une prestation directe (2.x) ou indirecte (3.x)."
                    )
                } else {
                    format!(
                        "Le code « {code} » n'est pas accepté ici : choisissez parmi les {}.",
                        families
                            .iter()
                            .map(|f| f.label_fr().to_lowercase())
                            .collect::<Vec<_>>()
                            .join(" ou les ")
                    )
                },
            ));
        }
        Ok(SerafinRef {
            version: self.version.to_string(),
            code: concept.code.clone(),
            family: concept.family,
        })
    }
}

/// Every embedded edition, oldest first; the last one is [`current`].
pub fn editions() -> Vec<&'static Nomenclature> {
    static PREVIOUS_LOADED: OnceLock<Vec<Nomenclature>> = OnceLock::new();
    PREVIOUS_LOADED
        .get_or_init(|| PREVIOUS.iter().map(Nomenclature::load).collect())
        .iter()
        .chain([current()])
        .collect()
}

/// The edition new input is checked against (2023.1.0).
pub fn current() -> &'static Nomenclature {
    static LOADED: OnceLock<Nomenclature> = OnceLock::new();
    LOADED.get_or_init(|| Nomenclature::load(&CURRENT))
}

/// An edition by its version, if embedded.
pub fn edition(version: &str) -> Option<&'static Nomenclature> {
    editions().into_iter().find(|n| n.version == version.trim())
}

/// A reference to a concept of a given edition, as later features store it (a need of a projet
/// personnalisé, the service of an action or an agenda event): the pair `(version, code)` never
/// changes meaning when a later edition is published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SerafinRef {
    version: String,
    code: String,
    #[serde(skip)]
    family: Family,
}

impl SerafinRef {
    /// A pair read back from storage; `None` if this binary does not embed that edition or the
    /// edition has no such code (the data was not written by Parcours).
    pub fn from_stored(version: &str, code: &str) -> Option<SerafinRef> {
        let concept = edition(version)?.get(code)?;
        Some(SerafinRef {
            version: version.trim().to_string(),
            code: concept.code.clone(),
            family: concept.family,
        })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn family(&self) -> Family {
        self.family
    }

    /// The concept in the reference's own edition.
    pub fn concept(&self) -> Option<&'static Concept> {
        edition(&self.version)?.get(&self.code)
    }

    /// The label in the reference's own edition (the code itself should the edition be missing).
    pub fn label(&self) -> &str {
        match self.concept() {
            Some(c) => c.label.as_str(),
            None => self.code.as_str(),
        }
    }
}

impl fmt::Display for SerafinRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (SERAFIN-PH {})", self.code, self.version)
    }
}

/// A need (family 1) of the current edition.
///
/// Any level is accepted — the root `1`, a domain such as `1.2`, or a leaf such as `1.2.1.3` —
/// because the bound value set JDV_J285 holds all 35 concepts; a feature that wants the finest level
/// checks `concept().leaf` itself.
pub fn parse_besoin(field: &'static str, code: &str) -> Result<SerafinRef, FieldError> {
    current().parse_ref(field, code, &[Family::Besoin])
}

/// A service (family 2, prestation directe, or 3, prestation indirecte) of the current edition, at
/// any level (JDV_J284 ∪ JDV_J283, as TDDUI binds them for a projet's prestations and events).
pub fn parse_prestation(field: &'static str, code: &str) -> Result<SerafinRef, FieldError> {
    current().parse_ref(
        field,
        code,
        &[Family::PrestationDirecte, Family::PrestationIndirecte],
    )
}

/// Whether `code` is `prefix` or below it (`2.3.1` is below `2.3`, `2.30` is not).
fn is_same_or_below(code: &str, prefix: &str) -> bool {
    code == prefix
        || code
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The numeric segments of a well-formed code (`2.3.10` → `[2, 3, 10]`).
fn code_key(code: &str) -> Option<Vec<u32>> {
    if code.is_empty() {
        return None;
    }
    code.split('.')
        .map(|s| {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                s.parse::<u32>().ok()
            }
        })
        .collect()
}

/// One line of an edition's file, as written (`code,label,parent_code,level`).
#[derive(Debug)]
struct Row {
    code: String,
    label: String,
    #[cfg_attr(not(test), allow(dead_code))]
    parent: String,
    #[cfg_attr(not(test), allow(dead_code))]
    level: String,
}

/// The data lines of a file (the header line skipped).
fn rows(csv: &str) -> Vec<Row> {
    csv.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .skip(1)
        .filter_map(|l| {
            let mut fields = split_csv_line(l).into_iter();
            Some(Row {
                code: fields.next()?.trim().to_string(),
                label: fields.next()?.trim().to_string(),
                parent: fields.next().unwrap_or_default().trim().to_string(),
                level: fields.next().unwrap_or_default().trim().to_string(),
            })
        })
        .collect()
}

/// Splits one CSV line on commas, honouring double quotes (`""` inside quotes is a quote).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn codes(concepts: &[&Concept]) -> Vec<String> {
        concepts.iter().map(|c| c.code.clone()).collect()
    }

    /// (rows, L1, L2, L3, L4, leaves)
    fn counts<'a>(concepts: impl Iterator<Item = &'a Concept>) -> [usize; 6] {
        let mut out = [0; 6];
        for c in concepts {
            out[0] += 1;
            out[usize::from(c.level)] += 1;
            if c.leaf {
                out[5] += 1;
            }
        }
        out
    }

    #[test]
    fn the_2023_edition_has_the_published_counts_per_level() {
        let n = current();
        assert_eq!(n.version(), "2023.1.0");
        assert_eq!(counts(n.family(Family::Besoin)), [35, 1, 3, 16, 15, 25]);
        let prestations = n.concepts().iter().filter(|c| c.family != Family::Besoin);
        assert_eq!(counts(prestations), [72, 2, 6, 22, 42, 48]);
        // The value sets: J284 (direct) 37 concepts, 25 leaves; J283 (indirect) 35, 23 leaves.
        assert_eq!(counts(n.family(Family::PrestationDirecte))[0], 37);
        assert_eq!(counts(n.family(Family::PrestationDirecte))[5], 25);
        assert_eq!(counts(n.family(Family::PrestationIndirecte))[0], 35);
        assert_eq!(counts(n.family(Family::PrestationIndirecte))[5], 23);
        assert_eq!(n.concepts().len(), 107);
        assert!(n.concepts().iter().all(|c| (1..=4).contains(&c.level)));
    }

    #[test]
    fn every_row_is_kept_and_agrees_with_its_declared_parent_and_level() {
        for files in PREVIOUS.iter().chain([&CURRENT]) {
            let n = Nomenclature::load(files);
            let all: Vec<Row> = rows(files.besoins)
                .into_iter()
                .chain(rows(files.prestations))
                .collect();
            assert_eq!(all.len(), n.concepts().len(), "no row dropped or doubled");
            for row in &all {
                let c = n.get(&row.code).expect("row loaded");
                assert_eq!(c.label, row.label);
                assert_eq!(
                    c.parent.clone().unwrap_or_default(),
                    row.parent,
                    "{}",
                    row.code
                );
                assert_eq!(c.level.to_string(), row.level, "{}", row.code);
            }
        }
    }

    #[test]
    fn every_parent_exists_and_leaves_have_no_children() {
        for n in editions() {
            for c in n.concepts() {
                match &c.parent {
                    Some(p) => {
                        let parent = n.get(p).expect("parent exists");
                        assert_eq!(parent.family, c.family);
                        assert_eq!(parent.level + 1, c.level);
                        assert!(!parent.leaf);
                    }
                    None => assert_eq!(c.level, 1, "{}", c.code),
                }
                assert_eq!(c.leaf, n.children(&c.code).is_empty(), "{}", c.code);
            }
        }
    }

    #[test]
    fn labels_with_commas_and_accents_are_read_whole() {
        let n = current();
        assert_eq!(
            n.get("1.1.4").unwrap().label,
            "Besoins relatifs à la voix, à la parole et à l'appareil bucco-dentaire"
        );
        assert_eq!(n.get("1").unwrap().label, "Besoins");
        assert_eq!(
            n.get("3.1.3.2").unwrap().label,
            "Gestion des données des personnes accueillies, système d'information, informatique, TIC, archivage informatique des données, GED"
        );
    }

    #[test]
    fn concepts_are_in_numeric_code_order() {
        let n = current();
        let pos = |code: &str| n.concepts().iter().position(|c| c.code == code).unwrap();
        assert!(pos("1.1.9") < pos("1.1.10"));
        assert!(pos("1.1.10") < pos("1.2"));
        assert!(pos("1.3.5.1") < pos("2"));
        assert_eq!(n.concepts()[0].code, "1");
    }

    #[test]
    fn children_and_ancestors_give_the_tree_and_the_breadcrumb() {
        let n = current();
        assert_eq!(codes(&n.children("1")), ["1.1", "1.2", "1.3"]);
        assert_eq!(codes(&n.children("2.3.1")), ["2.3.1.1", "2.3.1.2"]);
        assert!(n.children("2.3.1.1").is_empty());
        assert!(n.children("9").is_empty());
        assert_eq!(codes(&n.ancestors("2.3.1.1")), ["2", "2.3", "2.3.1"]);
        assert!(n.ancestors("3").is_empty());
        assert!(n.ancestors("inconnu").is_empty());
    }

    #[test]
    fn search_folds_accents_and_case_and_matches_word_prefixes() {
        let n = current();
        let with_accents = codes(&n.search("santé"));
        assert_eq!(with_accents, codes(&n.search("sante")));
        assert_eq!(with_accents, codes(&n.search("SANTE")));
        assert!(with_accents.contains(&"1.1".to_string()));
        assert!(with_accents.contains(&"1.1.10".to_string()));
        // Every word must match, as the start of a word of the label.
        assert_eq!(codes(&n.search("mobilite")), ["1.2.1.3"]);
        assert_eq!(codes(&n.search("besoins mobil")), ["1.2.1.3"]);
        assert!(n.search("mobilite soins").is_empty());
        assert_eq!(codes(&n.search("dentaire")), ["1.1.4"]);
        assert!(
            n.search("obilite").is_empty(),
            "prefix of a word, not a substring"
        );
        let autonomie = codes(&n.search("autonomie"));
        for code in ["1.2", "1.2.1", "2.2", "2.3.4.3", "2.3.5.2", "3.2.4.3"] {
            assert!(autonomie.contains(&code.to_string()), "{code}");
        }
        assert!(
            !autonomie.contains(&"1.2.1.3".to_string()),
            "own label only"
        );
        assert_eq!(n.search("").len(), 107);
        assert_eq!(n.search("  ").len(), 107);
    }

    #[test]
    fn a_code_prefix_lists_the_concept_and_what_is_below_it() {
        let n = current();
        let under = codes(&n.search("2.3"));
        assert_eq!(under.first().map(String::as_str), Some("2.3"));
        assert_eq!(under.len(), 1 + 5 + 16);
        assert!(under.iter().all(|c| c == "2.3" || c.starts_with("2.3.")));
        assert_eq!(codes(&n.search("1.1.1")), ["1.1.1"], "not 1.1.10");
        assert_eq!(n.search("3").len(), 35);
        assert_eq!(codes(&n.search("2.3. logement")), ["2.3.2", "2.3.2.1"]);
        assert!(n.search("9.1").is_empty());
    }

    #[test]
    fn search_within_a_family() {
        let n = current();
        assert!(
            n.search_in("autonomie", Some(Family::Besoin))
                .iter()
                .all(|c| c.code.starts_with("1."))
        );
        assert_eq!(n.search_in("", Some(Family::PrestationIndirecte)).len(), 35);
        assert!(n.search_in("2.3", Some(Family::Besoin)).is_empty());
    }

    #[test]
    fn families_have_stable_names() {
        for f in Family::ALL {
            assert_eq!(Family::parse(f.code()), Some(f));
            assert_eq!(Family::of_code(f.root()), Some(f));
        }
        assert_eq!(Family::parse("prestations"), None);
        assert_eq!(Family::of_code("4.1"), None);
    }

    #[test]
    fn a_need_is_a_code_of_family_one_at_any_level() {
        let r = parse_besoin("besoin", " 1.2.1.3 ").unwrap();
        assert_eq!((r.version(), r.code()), ("2023.1.0", "1.2.1.3"));
        assert_eq!(r.family(), Family::Besoin);
        assert_eq!(r.label(), "Besoins pour la mobilité");
        assert!(r.concept().unwrap().leaf);
        assert!(parse_besoin("besoin", "1.2").is_ok(), "any level");
        assert_eq!(r.to_string(), "1.2.1.3 (SERAFIN-PH 2023.1.0)");
    }

    #[test]
    fn refuses_a_prestation_code_as_a_need() {
        let e = parse_besoin("besoin", "2.3.1").unwrap_err();
        assert_eq!(e.field, "besoin");
        assert_eq!(
            e.message,
            "Le code « 2.3.1 » est une prestation, pas un besoin : choisissez un code de besoin (1.x)."
        );
        assert!(parse_besoin("besoin", "3.2.2").is_err());
    }

    #[test]
    fn a_prestation_is_direct_or_indirect_never_a_need() {
        assert_eq!(
            parse_prestation("prestation", "2.3.1.1").unwrap().family(),
            Family::PrestationDirecte
        );
        assert_eq!(
            parse_prestation("prestation", "3.2.4.1").unwrap().family(),
            Family::PrestationIndirecte
        );
        let e = parse_prestation("prestation", "1.1.3").unwrap_err();
        assert!(
            e.message.contains("est un besoin, pas une prestation"),
            "{}",
            e.message
        );
        let only_direct = current()
            .parse_ref("prestation", "3.1", &[Family::PrestationDirecte])
            .unwrap_err();
        assert!(
            only_direct.message.contains("prestations directes"),
            "{}",
            only_direct.message
        );
    }

    #[test]
    fn refuses_empty_and_unknown_codes_in_french() {
        assert_eq!(
            parse_besoin("besoin", "  ").unwrap_err().message,
            "Choisissez un besoin de la nomenclature SERAFIN-PH."
        );
        assert_eq!(
            parse_prestation("prestation", "").unwrap_err().message,
            "Choisissez une prestation de la nomenclature SERAFIN-PH."
        );
        for bad in ["1.1.1.1", "4", "1.", "abc", "1..2"] {
            let e = parse_besoin("besoin", bad).unwrap_err();
            assert!(
                e.message.contains(
                    "ne fait pas partie de la nomenclature SERAFIN-PH (édition 2023.1.0)"
                ),
                "{bad}: {}",
                e.message
            );
        }
    }

    #[test]
    fn a_stored_pair_is_read_back_in_its_own_edition() {
        let r = SerafinRef::from_stored("2023.1.0", "2.4.1").unwrap();
        assert_eq!(r, parse_prestation("p", "2.4.1").unwrap());
        assert_eq!(r.family(), Family::PrestationDirecte);
        assert!(SerafinRef::from_stored("2016.1.0", "2.4.1").is_none());
        assert!(SerafinRef::from_stored("2023.1.0", "2.9").is_none());
    }

    #[test]
    fn editions_end_with_the_current_one() {
        let all = editions();
        assert_eq!(all.last().unwrap().version(), CURRENT_VERSION);
        assert!(edition("2023.1.0").is_some());
        assert!(edition("1999").is_none());
    }

    #[test]
    fn csv_lines_honour_quotes() {
        assert_eq!(
            split_csv_line(r#"1.1,"a, b ""c""",1,2"#),
            ["1.1", r#"a, b "c""#, "1", "2"]
        );
        assert_eq!(split_csv_line("1,Besoins,,1"), ["1", "Besoins", "", "1"]);
    }
}
