//! Synthetic transmissions for the benchmark: millions of realistic DAR notes spread over the
//! persons already loaded, written through the bulk store path (the use cases write one at a time,
//! which would take hours at this size). Same tables, same index terms as the use cases write.

use std::collections::BTreeSet;

use parcours_domain::search::terms;
use parcours_store::search::SearchDoc;
use parcours_store::transmission::{Content, NewTransmission};
use uuid::Uuid;

use crate::demo::Seq;
use crate::{App, AppError, AppResult, Ctx};

/// Observations (D), by target.
const DONNEES: &[(&str, &str)] = &[
    (
        "douleur",
        "Se plaint de douleurs au genou droit lors du lever.",
    ),
    (
        "douleur",
        "Douleur évaluée à 6 sur l'échelle numérique, grimaces à la mobilisation.",
    ),
    ("douleur", "Douleurs abdominales après le repas de midi."),
    (
        "alimentation",
        "N'a mangé que la moitié de son repas, refuse la viande.",
    ),
    (
        "alimentation",
        "Bon appétit ce midi, a terminé son dessert.",
    ),
    (
        "alimentation",
        "Fausse route au goûter avec de l'eau plate.",
    ),
    (
        "sommeil",
        "Nuit agitée, s'est levé trois fois, déambulation dans le couloir.",
    ),
    ("sommeil", "A bien dormi, réveil calme vers 7 heures."),
    (
        "sommeil",
        "Endormissement difficile, anxieux avant le coucher.",
    ),
    (
        "comportement",
        "Agressivité verbale envers un autre résident pendant l'activité.",
    ),
    (
        "comportement",
        "Repli sur soi, ne souhaite pas participer à l'atelier.",
    ),
    (
        "comportement",
        "Crise de colère en fin de journée, a jeté son plateau.",
    ),
    (
        "chute",
        "Retrouvée au sol dans sa chambre, pas de perte de connaissance.",
    ),
    ("chute", "Chute dans la salle de bain, hématome au front."),
    ("hygiene", "Toilette faite au lavabo avec aide partielle."),
    (
        "hygiene",
        "Refus de la douche ce matin, reproposée l'après-midi.",
    ),
    (
        "scolarite",
        "Bonne matinée en classe, a participé en mathématiques.",
    ),
    (
        "scolarite",
        "Exclu du cours de français après une altercation.",
    ),
    ("famille", "Visite de sa fille, échanges chaleureux."),
    (
        "famille",
        "Appel de la mère, inquiète de la fatigue de son fils.",
    ),
    (
        "elimination",
        "Constipation depuis trois jours, ventre ballonné.",
    ),
    ("elimination", "Selles normales, diurèse conservée."),
    (
        "sante",
        "Toux grasse, encombrement bronchique, saturation à 93 %.",
    ),
    ("sante", "Rougeur au talon gauche, début d'escarre stade 1."),
    (
        "autonomie",
        "Marche avec déambulateur sur vingt mètres, essoufflement.",
    ),
    (
        "relation",
        "Tristesse exprimée, parle beaucoup de son ancien domicile.",
    ),
    ("relation", "Très souriante, a chanté pendant l'animation."),
    (
        "comportement",
        "Fugue signalée à 16 h, retrouvé devant la boulangerie du village.",
    ),
    (
        "sante",
        "Convulsions généralisées pendant deux minutes, récupération lente.",
    ),
    ("traitement", "Refus du traitement du soir, recraché."),
];

/// Actions (A).
const ACTIONS: &[&str] = &[
    "Antalgique donné selon la prescription, réévaluation dans une heure.",
    "Installation au fauteuil, coussin de positionnement.",
    "Réassurance verbale, présence rassurante en chambre.",
    "Proposition d'un complément nutritionnel oral.",
    "Appel de l'infirmière de garde, surveillance des constantes.",
    "Entretien individuel avec l'éducateur référent.",
    "Mise en place d'un change complet et d'une protection de nuit.",
    "Glace appliquée, surveillance neurologique pendant 24 heures.",
    "Médiation avec l'autre jeune, temps calme proposé.",
    "Information transmise à la famille par téléphone.",
    "Pansement hydrocolloïde posé, effleurage des points d'appui.",
    "Hydratation renforcée, eau gélifiée proposée.",
];

/// Results (R), often empty.
const RESULTATS: &[&str] = &[
    "Apaisé après une demi-heure.",
    "Douleur à 2 sur 10 lors de la réévaluation.",
    "A mangé le complément en entier.",
    "S'est rendormi vers 2 heures.",
    "Pas d'amélioration, à revoir avec le médecin.",
    "A repris l'activité avec le groupe.",
];

const CATEGORIES: &[(&str, u64)] = &[
    ("soins", 50),
    ("educatif", 25),
    ("social", 15),
    ("medical", 10),
];

/// One person the generator writes about.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticPerson {
    pub usager: Uuid,
    pub etablissement: Uuid,
    pub unite: Option<Uuid>,
}

impl App {
    /// Writes `n` transmissions about `persons`, by `authors`, evenly over the `days` before the
    /// application clock, oldest first (so that each has a distinct writing time), in transactions
    /// of `batch`. Returns the number written.
    pub async fn load_synthetic_transmissions(
        &self,
        ctx: &Ctx,
        persons: &[SyntheticPerson],
        authors: &[Uuid],
        n: u64,
        days: i64,
        seed: u64,
    ) -> AppResult<u64> {
        if persons.is_empty() || authors.is_empty() {
            return Err(AppError::Internal(
                "load_synthetic_transmissions needs persons and authors".into(),
            ));
        }
        let org = ctx.org();
        let label = |code: &str| {
            parcours_domain::codelist::cibles_transmission()
                .label(code)
                .to_string()
        };
        // The terms of each phrase, computed once: a note's terms are the union of its phrases'.
        let d_terms: Vec<BTreeSet<String>> = DONNEES
            .iter()
            .map(|(c, d)| {
                let mut t = terms(d);
                t.extend(terms(&label(c)));
                t
            })
            .collect();
        let a_terms: Vec<BTreeSet<String>> = ACTIONS.iter().map(|a| terms(a)).collect();
        let r_terms: Vec<BTreeSet<String>> = RESULTATS.iter().map(|r| terms(r)).collect();
        let end = self.now_micros();
        let span = days * 86_400_000_000;
        let step = (span / n.max(1) as i64).max(1);
        let mut seq = Seq::new(seed);
        let mut written = 0u64;
        let batch = 5_000u64;
        while written < n {
            let count = batch.min(n - written);
            let mut rows = Vec::with_capacity(count as usize);
            let mut docs = Vec::with_capacity(count as usize);
            for i in 0..count {
                let k = written + i;
                let at = end - span + k as i64 * step + seq.below(step.max(1) as u64) as i64 / 2;
                let p = persons[seq.below(persons.len() as u64) as usize];
                let d = seq.below(DONNEES.len() as u64) as usize;
                let a = seq.below(ACTIONS.len() as u64 + 3) as usize;
                let r = seq.below(RESULTATS.len() as u64 * 3) as usize;
                let mut roll = seq.below(100);
                let category = CATEGORIES
                    .iter()
                    .find(|(_, w)| {
                        if roll < *w {
                            true
                        } else {
                            roll -= w;
                            false
                        }
                    })
                    .map_or("soins", |(c, _)| *c);
                let (cible, donnees) = DONNEES[d];
                let mut t = d_terms[d].clone();
                let actions = ACTIONS.get(a).map(|s| {
                    t.extend(a_terms[a].iter().cloned());
                    s.to_string()
                });
                let resultats = RESULTATS.get(r).map(|s| {
                    t.extend(r_terms[r].iter().cloned());
                    s.to_string()
                });
                let id = self.new_id();
                let by = authors[seq.below(authors.len() as u64) as usize];
                docs.push(SearchDoc {
                    organisation_id: org,
                    kind: "transmission",
                    doc_id: id,
                    usager_id: p.usager,
                    scope: category.to_string(),
                    profession: None,
                    written_by: by,
                    written_at: at,
                    terms: t.into_iter().collect::<Vec<_>>().join(" "),
                });
                rows.push(NewTransmission {
                    organisation_id: org,
                    id,
                    usager_id: p.usager,
                    etablissement_id: p.etablissement,
                    unite_id: p.unite,
                    category: category.to_string(),
                    content: Content {
                        cible: cible.to_string(),
                        donnees: donnees.to_string(),
                        actions,
                        resultats,
                        important: seq.below(20) == 0,
                    },
                    at,
                    by,
                });
            }
            let mut tx = self.begin().await?;
            parcours_store::transmission::bulk_insert(&mut tx, &rows).await?;
            parcours_store::search::bulk_index(&mut tx, &docs).await?;
            tx.commit().await?;
            written += count;
        }
        Ok(written)
    }
}
