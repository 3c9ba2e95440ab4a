//! The projet personnalisé, laid out to be read by the person it is about.
//!
//! Written in the first person and in easy-to-read style (FALC): short lines, one idea per line, bold labels,
//! generous spacing, and the person's own words first, before anything the professionals wrote. The order is
//! the order of the conversation: what I want, what I need, my objectives and what will be done, who took
//! part, how the last review went, and the signatures.

use krilla::tagging::ListNumbering;

use crate::layout::{Ink, Layout};
use crate::text::{Metrics, Weight};
use crate::{Options, PdfError};

/// A projet personnalisé, as the web layer hands it over: every value already in French and formatted for
/// reading (dates like "12 mars 2026"), nothing left to look up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjetDocument {
    /// The type of projet in full, e.g. "Projet personnalisé d'accompagnement (PPA)".
    pub type_label: String,
    /// The person's name as they use it, e.g. "Marie Dupont".
    pub person_name: String,
    /// The establishment (ESMS) that accompanies the person.
    pub establishment: String,
    /// The unit or service, if any.
    pub unit: Option<String>,
    /// First day of the projet's period, formatted.
    pub period_start: Option<String>,
    /// Last day of the projet's period, formatted.
    pub period_end: Option<String>,
    /// Version number (1 for the first projet, +1 for each avenant).
    pub version: u32,
    /// Status in words, e.g. "validé", "en préparation".
    pub status: String,
    /// What the person wants, in their own words (shown first).
    pub attentes: Vec<Attente>,
    /// The needs retained, against SERAFIN-PH.
    pub besoins: Vec<Besoin>,
    /// The objectives and their actions.
    pub objectifs: Vec<Objectif>,
    /// Who took part in writing the projet.
    pub participants: Vec<Participant>,
    /// The last review (bilan), if there was one.
    pub bilan: Option<Bilan>,
    /// Agreements recorded for the establishment; empty: a box to sign is printed.
    pub accords_etablissement: Vec<Accord>,
    /// Agreements recorded from the person or their representative; empty: a box to sign is printed.
    pub accords_personne: Vec<Accord>,
}

/// Something the person wants, kept verbatim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attente {
    /// The words as they were said or written, unedited. Line breaks are kept.
    pub text: String,
    /// Who said it, in the first person when it is the person: "dit par moi", "dit par ma famille".
    pub origin: String,
    /// When it was said, formatted, if known.
    pub date: Option<String>,
}

/// A code and label of the SERAFIN-PH nomenclature (a need or a service, "prestation").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SerafinItem {
    /// E.g. "1.1.1.2".
    pub code: String,
    /// E.g. "Besoins en lien avec la santé somatique".
    pub label: String,
}

/// A need retained in the projet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Besoin {
    /// SERAFIN-PH code, e.g. "1.3.1.1".
    pub code: String,
    /// SERAFIN-PH label.
    pub label: String,
    /// What this need means for the person, if written.
    pub comment: Option<String>,
}

/// An objective of the projet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Objectif {
    /// What the objective is, e.g. "Aller au marché seul".
    pub title: String,
    /// The result expected, if written.
    pub expected_result: Option<String>,
    /// When it should be reached, formatted.
    pub due_date: Option<String>,
    /// The professional who follows it ("référent"), name and role.
    pub referent: Option<String>,
    /// The needs it answers.
    pub needs: Vec<SerafinItem>,
    /// What will be done.
    pub actions: Vec<Action>,
}

/// An action serving an objective.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Action {
    /// What will be done.
    pub title: String,
    /// With what means (people, time, places, tools), if written.
    pub means: Option<String>,
    /// Who does it, if written.
    pub who: Option<String>,
    /// How often, if written, e.g. "une fois par semaine".
    pub frequency: Option<String>,
    /// The SERAFIN-PH services (prestations) it belongs to.
    pub prestations: Vec<SerafinItem>,
}

/// Someone who took part in writing the projet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participant {
    /// Name, e.g. "Julie Martin".
    pub name: String,
    /// Role, e.g. "éducatrice référente", "ma sœur".
    pub role: Option<String>,
    /// How they took part, e.g. "a donné son avis par téléphone".
    pub contribution: Option<String>,
}

/// The last review of the projet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bilan {
    /// Date of the review, formatted.
    pub date: String,
    /// Where each objective stands.
    pub objectifs: Vec<BilanObjectif>,
    /// The overall conclusion, if written.
    pub synthesis: Option<String>,
    /// Date of the next review, formatted, if planned.
    pub next_date: Option<String>,
}

/// Where one objective stands at a review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BilanObjectif {
    /// The objective's title.
    pub objective: String,
    /// The assessment in words, e.g. "atteint", "en partie atteint", "à poursuivre".
    pub assessment: String,
    /// Details, if written.
    pub comment: Option<String>,
}

/// A recorded agreement with the projet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accord {
    /// Who agreed, e.g. "Marie Dupont" or "Paul Dupont".
    pub name: String,
    /// In what capacity, e.g. "directrice", "tuteur", if useful.
    pub capacity: Option<String>,
    /// When, formatted.
    pub date: String,
}

/// Renders the projet personnalisé as a tagged PDF/UA-1 document, A4 portrait.
///
/// The person's words come first and are printed as given; sections with nothing recorded say so in one
/// short sentence rather than disappearing, so the reader knows nothing was forgotten.
pub fn projet_pdf(doc: &ProjetDocument, opts: &Options) -> Result<Vec<u8>, PdfError> {
    let metrics = Metrics::load()?;
    let mut l = Layout::new(&metrics, opts.large_type);

    l.title("Mon projet personnalisé");
    if !doc.type_label.is_empty() {
        l.paragraph(&[(Weight::Regular, &doc.type_label)], Ink::Muted, l.gap());
    }
    l.field("Mon nom", &doc.person_name);
    let establishment = match &doc.unit {
        Some(unit) if !unit.is_empty() => format!("{}, {unit}", doc.establishment),
        _ => doc.establishment.clone(),
    };
    l.field("Mon établissement", &establishment);
    match (&doc.period_start, &doc.period_end) {
        (Some(start), Some(end)) => l.text(&format!("Mon projet va du {start} au {end}.")),
        (Some(start), None) => l.text(&format!("Mon projet commence le {start}.")),
        (None, Some(end)) => l.text(&format!("Mon projet va jusqu’au {end}.")),
        (None, None) => {}
    }
    l.text(&format!("C’est la version {} de mon projet.", doc.version));
    if !doc.status.is_empty() {
        l.field("État du projet", &doc.status);
    }

    l.h2("Ce que je souhaite");
    if doc.attentes.is_empty() {
        l.text("Rien n’est encore écrit ici.");
    } else {
        l.list_begin(ListNumbering::Disc);
        for attente in &doc.attentes {
            l.item_begin("•");
            l.paragraph(
                &[(Weight::Regular, &attente.text)],
                Ink::Text,
                l.small_gap(),
            );
            let mut origin = capitalize(&attente.origin);
            if let Some(date) = &attente.date {
                origin = format!("{origin}, le {date}");
            }
            if !origin.is_empty() {
                l.paragraph(&[(Weight::Regular, &format!("{origin}."))], Ink::Muted, 0.0);
            }
            l.item_end();
        }
        l.list_end();
    }

    l.h2("Ce dont j’ai besoin");
    if doc.besoins.is_empty() {
        l.text("Aucun besoin n’est encore noté.");
    } else {
        l.list_begin(ListNumbering::Disc);
        for besoin in &doc.besoins {
            l.item_begin("•");
            l.paragraph(&[(Weight::Bold, &besoin.label)], Ink::Text, l.small_gap());
            if let Some(comment) = non_empty(&besoin.comment) {
                l.paragraph(&[(Weight::Regular, comment)], Ink::Text, l.small_gap());
            }
            if !besoin.code.is_empty() {
                l.paragraph(
                    &[(
                        Weight::Regular,
                        &format!("Code SERAFIN-PH\u{a0}: {}", besoin.code),
                    )],
                    Ink::Muted,
                    0.0,
                );
            }
            l.item_end();
        }
        l.list_end();
    }

    l.h2("Mes objectifs");
    if doc.objectifs.is_empty() {
        l.text("Aucun objectif n’est encore écrit.");
    }
    for (n, objectif) in doc.objectifs.iter().enumerate() {
        l.h3(&format!("Objectif {}\u{a0}: {}", n + 1, objectif.title));
        if let Some(result) = non_empty(&objectif.expected_result) {
            l.field("Ce que je veux obtenir", result);
        }
        if let Some(due) = non_empty(&objectif.due_date) {
            l.field("Pour quand", due);
        }
        if let Some(referent) = non_empty(&objectif.referent) {
            l.field("La personne qui suit cet objectif", referent);
        }
        if !objectif.needs.is_empty() {
            l.paragraph(
                &[(Weight::Bold, "Cet objectif répond à\u{a0}:")],
                Ink::Text,
                l.small_gap(),
            );
            l.list_begin(ListNumbering::Disc);
            for need in &objectif.needs {
                l.item_begin("•");
                l.paragraph(&[(Weight::Regular, &serafin(need))], Ink::Text, 0.0);
                l.item_end();
            }
            l.list_end();
        }
        if objectif.actions.is_empty() {
            l.text("Les actions ne sont pas encore écrites.");
        } else {
            l.paragraph(
                &[(Weight::Bold, "Ce qui va être fait\u{a0}:")],
                Ink::Text,
                l.small_gap(),
            );
            l.list_begin(ListNumbering::Decimal);
            for (i, action) in objectif.actions.iter().enumerate() {
                l.item_begin(&format!("{}.", i + 1));
                l.paragraph(&[(Weight::Bold, &action.title)], Ink::Text, l.small_gap());
                for (label, value) in [
                    ("Avec quels moyens", &action.means),
                    ("Qui", &action.who),
                    ("Quand", &action.frequency),
                ] {
                    if let Some(value) = non_empty(value) {
                        l.paragraph(
                            &[
                                (Weight::Bold, &format!("{label}\u{a0}: ")),
                                (Weight::Regular, value),
                            ],
                            Ink::Text,
                            l.small_gap(),
                        );
                    }
                }
                for prestation in &action.prestations {
                    l.paragraph(
                        &[(
                            Weight::Regular,
                            &format!("Prestation {}", serafin(prestation)),
                        )],
                        Ink::Muted,
                        l.small_gap(),
                    );
                }
                l.item_end();
            }
            l.list_end();
        }
    }

    l.h2("Qui a participé");
    if doc.participants.is_empty() {
        l.text("Personne n’est encore noté.");
    } else {
        l.list_begin(ListNumbering::Disc);
        for participant in &doc.participants {
            l.item_begin("•");
            let who = match non_empty(&participant.role) {
                Some(role) => format!("{}, {role}", participant.name),
                None => participant.name.clone(),
            };
            l.paragraph(&[(Weight::Bold, &who)], Ink::Text, l.small_gap());
            if let Some(contribution) = non_empty(&participant.contribution) {
                l.paragraph(&[(Weight::Regular, contribution)], Ink::Text, 0.0);
            }
            l.item_end();
        }
        l.list_end();
    }

    if let Some(bilan) = &doc.bilan {
        l.h2("Le dernier bilan");
        l.field("Date du bilan", &bilan.date);
        if !bilan.objectifs.is_empty() {
            l.list_begin(ListNumbering::Disc);
            for objectif in &bilan.objectifs {
                l.item_begin("•");
                l.paragraph(
                    &[(Weight::Bold, &objectif.objective)],
                    Ink::Text,
                    l.small_gap(),
                );
                l.paragraph(
                    &[(Weight::Regular, &capitalize(&objectif.assessment))],
                    Ink::Text,
                    l.small_gap(),
                );
                if let Some(comment) = non_empty(&objectif.comment) {
                    l.paragraph(&[(Weight::Regular, comment)], Ink::Text, 0.0);
                }
                l.item_end();
            }
            l.list_end();
        }
        if let Some(synthesis) = non_empty(&bilan.synthesis) {
            l.field("En résumé", synthesis);
        }
        if let Some(next) = non_empty(&bilan.next_date) {
            l.field("Prochain bilan", next);
        }
    }

    l.h2("Signatures");
    signatures(&mut l, "Pour l’établissement", &doc.accords_etablissement);
    signatures(
        &mut l,
        "La personne ou son représentant",
        &doc.accords_personne,
    );

    let title = format!("Mon projet personnalisé – {}", doc.person_name);
    l.finish(&title, &title)
}

/// Recorded agreements, or the blank lines and box to sign by hand.
fn signatures(l: &mut Layout<'_>, heading: &str, accords: &[Accord]) {
    let box_height = l.scale.body * 5.0;
    if accords.is_empty() {
        // Heading, two lines and the box stay together.
        l.keep(5.0, box_height);
    }
    l.h3(heading);
    if accords.is_empty() {
        l.field("Nom", "");
        l.field("Date", "");
        l.paragraph(
            &[(Weight::Bold, "Signature\u{a0}:")],
            Ink::Text,
            l.small_gap(),
        );
        l.signature_box(box_height);
    }
    for accord in accords {
        let who = match non_empty(&accord.capacity) {
            Some(capacity) => format!("{}, {capacity}", accord.name),
            None => accord.name.clone(),
        };
        l.text(&format!("Accord donné par {who}, le {}.", accord.date));
    }
}

fn serafin(item: &SerafinItem) -> String {
    if item.code.is_empty() {
        item.label.clone()
    } else {
        format!("{} ({})", item.label, item.code)
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn capitalize(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
