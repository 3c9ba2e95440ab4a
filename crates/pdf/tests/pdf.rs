//! Renders both documents and reads them back with poppler (`pdftotext`, `pdfinfo`, `pdffonts`), as a reader
//! would: the words are there, accents intact, pages numbered, fonts embedded, the structure declared.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::Command;

use parcours_pdf::{
    Accord, Action, AggirDocument, AggirSubVariable, AggirVariable, Attente, Besoin, Bilan,
    BilanObjectif, Objectif, Options, Participant, ProjetDocument, SerafinItem, aggir_pdf,
    projet_pdf,
};

const LONG_ATTENTE: &str = "Je voudrais pouvoir aller au marché de la place Saint-Étienne le samedi \
    matin, choisir mes légumes moi-même, parler avec les marchands que je connais depuis longtemps, et \
    rentrer à pied quand il fait beau, sans qu’on me dise toujours de me dépêcher.";

const NORMAL: Options = Options { large_type: false };
const LARGE: Options = Options { large_type: true };

fn projet() -> ProjetDocument {
    let objectifs = [
        "Aller au marché seule le samedi",
        "Préparer un repas simple chaque semaine",
        "Voir ma sœur à Épinal une fois par mois",
        "Gérer mon argent de poche",
        "Reprendre la piscine",
        "Choisir moi-même mes vêtements",
    ]
    .iter()
    .enumerate()
    .map(|(i, title)| Objectif {
        title: (*title).to_owned(),
        expected_result: Some(format!(
            "Je fais cela avec confiance, sans aide, et je suis contente du résultat (étape {}).",
            i + 1
        )),
        due_date: Some("30 juin 2027".into()),
        referent: Some("Julie Martin, éducatrice spécialisée".into()),
        needs: vec![SerafinItem {
            code: "1.3.1.1".into(),
            label: "Besoins en lien avec la vie quotidienne".into(),
        }],
        actions: vec![
            Action {
                title: "S’entraîner avec l’éducatrice".into(),
                means: Some(
                    "Une sortie accompagnée par semaine, puis seule avec un téléphone.".into(),
                ),
                who: Some("Julie Martin".into()),
                frequency: Some("une fois par semaine".into()),
                prestations: vec![SerafinItem {
                    code: "2.3.3.1".into(),
                    label: "Accompagnements pour vivre dans un logement".into(),
                }],
            },
            Action {
                title: "Faire le point en réunion".into(),
                means: None,
                who: None,
                frequency: Some("tous les trois mois".into()),
                prestations: vec![],
            },
        ],
    })
    .collect();

    ProjetDocument {
        type_label: "Projet personnalisé d'accompagnement (PPA)".into(),
        person_name: "Zoé Lefèvre-Hénaut".into(),
        establishment: "Foyer d’accueil médicalisé Les Châtaigniers".into(),
        unit: Some("Unité Les Érables".into()),
        period_start: Some("1er janvier 2027".into()),
        period_end: Some("31 décembre 2027".into()),
        version: 2,
        status: "validé".into(),
        attentes: vec![
            Attente {
                text: "Je veux voir ma sœur plus souvent.".into(),
                origin: "dit par moi".into(),
                date: Some("12 novembre 2026".into()),
            },
            Attente {
                text: LONG_ATTENTE.into(),
                origin: "dit par moi".into(),
                date: None,
            },
            Attente {
                text: "Qu’elle garde sa chambre au rez-de-chaussée.".into(),
                origin: "dit par ma famille".into(),
                date: None,
            },
        ],
        besoins: vec![
            Besoin {
                code: "1.1.1.2".into(),
                label: "Besoins en lien avec la santé somatique".into(),
                comment: Some("Suivi de l’épilepsie.".into()),
            },
            Besoin {
                code: "1.3.2.1".into(),
                label: "Besoins pour la participation sociale".into(),
                comment: None,
            },
        ],
        objectifs,
        participants: vec![
            Participant {
                name: "Zoé Lefèvre-Hénaut".into(),
                role: Some("moi".into()),
                contribution: Some("j’ai dit ce que je voulais".into()),
            },
            Participant {
                name: "Hélène Lefèvre".into(),
                role: Some("ma sœur".into()),
                contribution: Some("a donné son avis par téléphone".into()),
            },
        ],
        bilan: Some(Bilan {
            date: "15 décembre 2026".into(),
            objectifs: vec![BilanObjectif {
                objective: "Reprendre la piscine".into(),
                assessment: "en partie atteint".into(),
                comment: Some("Deux séances sur quatre.".into()),
            }],
            synthesis: Some("Zoé a gagné en autonomie.".into()),
            next_date: Some("juin 2027".into()),
        }),
        accords_etablissement: vec![Accord {
            name: "Claire Dubreuil".into(),
            capacity: Some("directrice".into()),
            date: "20 décembre 2026".into(),
        }],
        accords_personne: vec![],
    }
}

fn aggir() -> AggirDocument {
    let var = |label: &str, letter: &str| AggirVariable {
        label: label.into(),
        letter: letter.into(),
        detail: None,
        sub_variables: vec![],
    };
    let sub = |label: &str, letter: &str, detail: Option<&str>| AggirSubVariable {
        label: label.into(),
        letter: letter.into(),
        detail: detail.map(Into::into),
    };
    AggirDocument {
        person_name: "René Bérénger".into(),
        birth_date: Some("3 février 1941".into()),
        establishment: Some("EHPAD Les Tilleuls".into()),
        date: "2 décembre 2026".into(),
        evaluator: "Dr Anaïs Château, médecin coordonnateur".into(),
        context: Some("Révision après hospitalisation".into()),
        discriminant: vec![
            var("Cohérence", "B"),
            var("Orientation", "B"),
            AggirVariable {
                label: "Toilette".into(),
                letter: "B".into(),
                detail: None,
                sub_variables: vec![
                    sub("Haut", "B", Some("S et C non faits")),
                    sub("Bas", "C", None),
                ],
            },
            AggirVariable {
                label: "Habillage".into(),
                letter: "B".into(),
                detail: None,
                sub_variables: vec![
                    sub("Haut", "A", None),
                    sub("Moyen", "B", Some("T non fait")),
                    sub("Bas", "B", None),
                ],
            },
            AggirVariable {
                label: "Alimentation".into(),
                letter: "A".into(),
                detail: None,
                sub_variables: vec![sub("Se servir", "A", None), sub("Manger", "A", None)],
            },
            AggirVariable {
                label: "Élimination".into(),
                letter: "B".into(),
                detail: None,
                sub_variables: vec![sub("Urinaire", "B", None), sub("Fécale", "A", None)],
            },
            var("Transferts", "A"),
            var("Déplacements à l’intérieur", "A"),
            var("Déplacements à l’extérieur", "B"),
            var("Alerter", "A"),
        ],
        illustrative: vec![
            var("Gestion", "C"),
            var("Cuisine", "C"),
            var("Ménage", "C"),
            var("Transports", "C"),
            var("Achats", "B"),
            var("Suivi du traitement", "B"),
            var("Activités de temps libre", "B"),
        ],
        gir: 4,
        rang: Some(8),
        explanation: vec![
            "Aide partielle pour la toilette et l’habillage.".into(),
            "Transferts et déplacements intérieurs faits seul.".into(),
        ],
        previous_date: Some("5 janvier 2026".into()),
        previous_gir: Some(5),
        changes: vec![
            "Toilette : passée de A à B.".into(),
            "Élimination urinaire : passée de A à B.".into(),
        ],
    }
}

/// Runs a poppler tool on the PDF and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(pdf).unwrap();
    file.flush().unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(file.path())
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn text_of(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// The text with every run of white space made one space, so wrapped lines read as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One field of `pdfinfo`, e.g. "Title" or "Pages".
fn info(pdf: &[u8], field: &str) -> String {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("pdfinfo shows no {field}"))
        .trim()
        .to_owned()
}

fn pages(pdf: &[u8]) -> usize {
    info(pdf, "Pages").parse().unwrap()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A structure element of that type (`/S /H1`) in the structure tree.
fn has_role(pdf: &[u8], role: &str) -> bool {
    contains(pdf, &format!("/S{role}")) || contains(pdf, &format!("/S {role}"))
}

/// `/Lang (fr)` in the catalog (krilla writes dictionaries without spaces).
fn declares_french(pdf: &[u8]) -> bool {
    contains(pdf, "/Lang(fr)") || contains(pdf, "/Lang (fr)")
}

#[test]
fn the_projet_reads_with_the_persons_words_first_and_accents_intact() {
    let pdf = projet_pdf(&projet(), &NORMAL).unwrap();
    let raw = text_of(&pdf);
    let text = flat(&raw);

    assert!(text.contains("Mon projet personnalisé"));
    assert!(text.contains("Projet personnalisé d'accompagnement (PPA)"));
    assert!(text.contains("Zoé Lefèvre-Hénaut"));
    assert!(text.contains("Foyer d’accueil médicalisé Les Châtaigniers, Unité Les Érables"));
    assert!(text.contains("Mon projet va du 1er janvier 2027 au 31 décembre 2027."));
    assert!(text.contains("C’est la version 2 de mon projet."));

    // The person's words, verbatim, before anything else the professionals wrote.
    assert!(
        text.contains("Je veux voir ma sœur plus souvent."),
        "{text}"
    );
    assert!(text.contains(&flat(LONG_ATTENTE)), "{text}");
    assert!(text.contains("Dit par moi, le 12 novembre 2026."));
    assert!(text.contains("Dit par ma famille."));
    let words = text.find("Ce que je souhaite").unwrap();
    assert!(words < text.find("Ce dont j’ai besoin").unwrap());
    assert!(text.find("Ce dont j’ai besoin").unwrap() < text.find("Mes objectifs").unwrap());
    // The long attente really wrapped: no single line holds it.
    assert!(!raw.lines().any(|l| l.contains(LONG_ATTENTE)));

    for label in [
        "Besoins en lien avec la santé somatique",
        "Besoins pour la participation sociale",
    ] {
        assert!(text.contains(label), "{label}");
    }
    assert!(text.contains("Code SERAFIN-PH : 1.1.1.2"));
    for title in [
        "Objectif 1 : Aller au marché seule le samedi",
        "Objectif 3 : Voir ma sœur à Épinal une fois par mois",
        "Objectif 6 : Choisir moi-même mes vêtements",
    ] {
        assert!(text.contains(title), "{title}");
    }
    assert!(text.contains("S’entraîner avec l’éducatrice"));
    assert!(text.contains("Prestation Accompagnements pour vivre dans un logement (2.3.3.1)"));
    assert!(text.contains("Hélène Lefèvre, ma sœur"));
    assert!(text.contains("Le dernier bilan"));
    assert!(text.contains("En partie atteint"));
    assert!(
        text.contains("confiance"),
        "ligatures must extract as letters"
    );

    // Signatures: the recorded accord, and a box for the person who has not signed yet.
    assert!(text.contains("Pour l’établissement"));
    assert!(text.contains("Accord donné par Claire Dubreuil, directrice, le 20 décembre 2026."));
    assert!(text.contains("La personne ou son représentant"));
    assert!(text.contains("Signature :"));

    assert!(text.contains("Page 1 / "));
    assert!(
        text.contains("Page 2 / "),
        "six objectives need a second page"
    );
    let n = pages(&pdf);
    assert!(text.contains(&format!("Page {n} / {n}")));
}

#[test]
fn the_projet_is_tagged_titled_in_french_and_embeds_its_fonts() {
    let pdf = projet_pdf(&projet(), &NORMAL).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    assert!(declares_french(&pdf), "document language");
    let marked = pdf
        .windows(9)
        .position(|w| w == b"/MarkInfo")
        .map(|at| &pdf[at..(at + 40).min(pdf.len())])
        .unwrap();
    assert!(
        contains(marked, "/Marked true"),
        "{}",
        String::from_utf8_lossy(marked)
    );
    assert!(contains(&pdf, "/StructTreeRoot"));
    for role in ["/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Lbl", "/LBody"] {
        assert!(has_role(&pdf, role), "structure element {role}");
    }
    assert!(contains(&pdf, "/FontFile2") || contains(&pdf, "/FontFile3"));
    assert!(contains(&pdf, "pdfuaid:part"), "declares PDF/UA-1");

    assert_eq!(
        info(&pdf, "Title"),
        "Mon projet personnalisé – Zoé Lefèvre-Hénaut"
    );
    assert_eq!(info(&pdf, "Tagged"), "yes");
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        assert!(row.contains("DejaVuSans"), "{row}");
        // Columns: name type encoding emb sub uni object ID.
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
    }
}

#[test]
fn large_type_makes_a_longer_document() {
    let doc = projet();
    let normal = projet_pdf(&doc, &NORMAL).unwrap();
    let large = projet_pdf(&doc, &LARGE).unwrap();
    assert!(
        pages(&large) > pages(&normal),
        "{} vs {}",
        pages(&large),
        pages(&normal)
    );
    let text = flat(&text_of(&large));
    assert!(text.contains(&flat(LONG_ATTENTE)));
    assert!(text.contains("Objectif 6 : Choisir moi-même mes vêtements"));
}

#[test]
fn the_same_projet_gives_the_same_bytes() {
    let doc = projet();
    assert_eq!(
        projet_pdf(&doc, &NORMAL).unwrap(),
        projet_pdf(&doc, &NORMAL).unwrap()
    );
}

#[test]
fn an_empty_projet_still_renders_and_says_what_is_missing() {
    let doc = ProjetDocument {
        person_name: "Sam".into(),
        establishment: "IME".into(),
        version: 1,
        ..ProjetDocument::default()
    };
    let pdf = projet_pdf(&doc, &NORMAL).unwrap();
    let text = flat(&text_of(&pdf));
    assert!(text.contains("Rien n’est encore écrit ici."));
    assert!(text.contains("Aucun objectif n’est encore écrit."));
    assert!(!text.contains("Le dernier bilan"));
    // Both signature boxes are printed, the second one on a new page if need be.
    assert_eq!(text.matches("Signature :").count(), 2);
    let n = pages(&pdf);
    assert!(text.contains(&format!("Page 1 / {n}")));
}

#[test]
fn text_the_fonts_cannot_draw_does_not_break_the_document() {
    let mut doc = projet();
    doc.attentes[0].text = "Aller au concert 漢\u{0} avec\tmes amis\u{FEFF}".into();
    let pdf = projet_pdf(&doc, &NORMAL).unwrap();
    let text = flat(&text_of(&pdf));
    assert!(
        text.contains("Aller au concert \u{FFFD} avec mes amis"),
        "{text}"
    );
}

#[test]
fn the_aggir_evaluation_shows_variables_gir_and_changes() {
    let pdf = aggir_pdf(&aggir(), &NORMAL).unwrap();
    // Physical layout keeps each table row on one line of text.
    let text = flat(&poppler("pdftotext", &["-enc", "UTF-8", "-layout"], &pdf));
    for expected in [
        "Évaluation AGGIR",
        "René Bérénger",
        "2 décembre 2026",
        "Dr Anaïs Château, médecin coordonnateur",
        "Révision après hospitalisation",
        "Variables discriminantes",
        "Cohérence B",
        "Déplacements à l’intérieur A",
        "Toilette B",
        "Haut B S et C non faits",
        "Moyen B T non fait",
        "Variables illustratives",
        "Suivi du traitement B",
        "GIR 4",
        "Rang : 8",
        "Aide partielle pour la toilette et l’habillage.",
        "Évaluation précédente : 5 janvier 2026, GIR 5.",
        "Élimination urinaire : passée de A à B.",
        "Page 1 / ",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(has_role(&pdf, "/Table"));
    assert!(has_role(&pdf, "/TH"));
    assert!(has_role(&pdf, "/TD"));
    assert!(declares_french(&pdf));
    assert_eq!(
        info(&pdf, "Title"),
        "Évaluation AGGIR – René Bérénger – 2 décembre 2026"
    );
}

#[test]
fn a_first_aggir_evaluation_says_so_and_large_type_spreads_the_tables() {
    let mut doc = aggir();
    doc.previous_date = None;
    doc.previous_gir = None;
    doc.changes.clear();
    let normal = aggir_pdf(&doc, &NORMAL).unwrap();
    let large = aggir_pdf(&doc, &LARGE).unwrap();
    assert!(flat(&text_of(&normal)).contains("C’est la première évaluation."));
    assert!(pages(&large) > pages(&normal));
    let text = flat(&text_of(&large));
    assert!(text.contains("Page 2 / "));
    assert!(text.contains("Activités de temps libre B"));
}
