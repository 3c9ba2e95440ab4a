//! The AGGIR evaluation (grille nationale, annexe 2-1 du code de l'action sociale et des familles), for the
//! file and for the people it is shared with: who was evaluated, when, by whom and why; the ten discriminant
//! variables with their sub-variables, the seven illustrative ones, the resulting GIR and rang, why, and what
//! changed since the previous evaluation.

use krilla::tagging::ListNumbering;

use crate::layout::{Ink, Layout, Row};
use crate::text::{Metrics, Weight};
use crate::{Options, PdfError};

/// An AGGIR evaluation, as the web layer hands it over (values formatted, in French).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggirDocument {
    /// The person evaluated.
    pub person_name: String,
    /// Their date of birth, formatted, if it helps identify them.
    pub birth_date: Option<String>,
    /// The establishment or service, if any.
    pub establishment: Option<String>,
    /// Date of the evaluation, formatted.
    pub date: String,
    /// Who evaluated, name and role.
    pub evaluator: String,
    /// Why and where, e.g. "Admission", "Révision annuelle", "Changement de situation".
    pub context: Option<String>,
    /// The ten discriminant variables, in the grid's order.
    pub discriminant: Vec<AggirVariable>,
    /// The seven illustrative variables.
    pub illustrative: Vec<AggirVariable>,
    /// The GIR, 1 (most dependent) to 6.
    pub gir: u8,
    /// The rang found by the algorithm, if shown.
    pub rang: Option<u8>,
    /// Why this GIR, one sentence per line.
    pub explanation: Vec<String>,
    /// Date of the previous evaluation, formatted; `None` if this is the first one.
    pub previous_date: Option<String>,
    /// The previous GIR, if there was a previous evaluation.
    pub previous_gir: Option<u8>,
    /// What changed since the previous evaluation, one change per line.
    pub changes: Vec<String>,
}

/// One variable of the grid and its result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggirVariable {
    /// Its name, e.g. "Cohérence", "Toilette".
    pub label: String,
    /// Its letter, "A", "B" or "C".
    pub letter: String,
    /// A remark, e.g. the adverbs not met ("S, C"), if any.
    pub detail: Option<String>,
    /// Its sub-variables (toilette: haut, bas), if it has any.
    pub sub_variables: Vec<AggirSubVariable>,
}

/// A sub-variable and its result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AggirSubVariable {
    /// Its name, e.g. "Haut", "Bas".
    pub label: String,
    /// Its letter, "A", "B" or "C".
    pub letter: String,
    /// A remark, e.g. the adverbs not met, if any.
    pub detail: Option<String>,
}

/// Renders the AGGIR evaluation as a tagged PDF/UA-1 document, A4 portrait.
pub fn aggir_pdf(doc: &AggirDocument, opts: &Options) -> Result<Vec<u8>, PdfError> {
    let metrics = Metrics::load()?;
    let mut l = Layout::new(&metrics, opts.large_type);

    l.title("Évaluation AGGIR");
    l.field("Personne", &doc.person_name);
    if let Some(birth) = non_empty(&doc.birth_date) {
        l.field("Née ou né le", birth);
    }
    if let Some(establishment) = non_empty(&doc.establishment) {
        l.field("Établissement", establishment);
    }
    l.field("Date de l’évaluation", &doc.date);
    l.field("Évaluée par", &doc.evaluator);
    if let Some(context) = non_empty(&doc.context) {
        l.field("Contexte", context);
    }

    l.h2("Variables discriminantes");
    variables_table(
        &mut l,
        "Les dix variables discriminantes",
        &doc.discriminant,
    );

    l.h2("Variables illustratives");
    variables_table(
        &mut l,
        "Les sept variables illustratives",
        &doc.illustrative,
    );

    l.h2("Résultat");
    l.emphasis(&format!("GIR {}", doc.gir));
    if let Some(rang) = doc.rang {
        l.field("Rang", &rang.to_string());
    }
    if !doc.explanation.is_empty() {
        l.paragraph(
            &[(Weight::Bold, "Pourquoi ce GIR\u{a0}:")],
            Ink::Text,
            l.small_gap(),
        );
        bullets(&mut l, &doc.explanation);
    }

    l.h2("Changements depuis l’évaluation précédente");
    match &doc.previous_date {
        None => l.text("C’est la première évaluation."),
        Some(previous) => {
            let previous = match doc.previous_gir {
                Some(gir) => format!("Évaluation précédente\u{a0}: {previous}, GIR {gir}."),
                None => format!("Évaluation précédente\u{a0}: {previous}."),
            };
            l.text(&previous);
            if doc.changes.is_empty() {
                l.text("Aucun changement.");
            } else {
                bullets(&mut l, &doc.changes);
            }
        }
    }

    let title = format!("Évaluation AGGIR – {} – {}", doc.person_name, doc.date);
    l.finish(&title, &title)
}

/// The variables as a table: one row per variable, then one indented row per sub-variable.
fn variables_table(l: &mut Layout<'_>, summary: &str, variables: &[AggirVariable]) {
    if variables.is_empty() {
        l.text("Non renseignées.");
        return;
    }
    // The remarks column only when there is a remark to show.
    let details = variables.iter().any(|v| {
        non_empty(&v.detail).is_some()
            || v.sub_variables
                .iter()
                .any(|s| non_empty(&s.detail).is_some())
    });
    let row = |label: &str, letter: &str, detail: &Option<String>, weight: Weight, indent: f32| {
        let mut cells = vec![(weight, label.to_owned()), (weight, letter.to_owned())];
        if details {
            cells.push((
                Weight::Regular,
                non_empty(detail).unwrap_or_default().to_owned(),
            ));
        }
        Row { cells, indent }
    };
    let indent = l.scale.body * 1.5;
    let mut rows = Vec::new();
    for variable in variables {
        rows.push(row(
            &variable.label,
            &variable.letter,
            &variable.detail,
            Weight::Bold,
            0.0,
        ));
        for sub in &variable.sub_variables {
            rows.push(row(
                &sub.label,
                &sub.letter,
                &sub.detail,
                Weight::Regular,
                indent,
            ));
        }
    }
    if details {
        l.table(
            summary,
            &["Variable", "Résultat", "Précisions"],
            &[0.42, 0.16, 0.42],
            &rows,
        );
    } else {
        l.table(summary, &["Variable", "Résultat"], &[0.6, 0.4], &rows);
    }
}

fn bullets(l: &mut Layout<'_>, lines: &[String]) {
    l.list_begin(ListNumbering::Disc);
    for line in lines {
        l.item_begin("•");
        l.paragraph(&[(Weight::Regular, line)], Ink::Text, 0.0);
        l.item_end();
    }
    l.list_end();
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}
