//! Maps the app's views into the documents of `parcours-pdf`, in French, as the person reads them.
//! The access decision was made by the use cases that produced the views; this only lays them out.

use parcours_app::domain::input::date_fr;
use parcours_app::domain::projet::{origine_label, role_label};
use parcours_app::projet::ProjetView;
use parcours_app::usager::UsagerRecord;
use parcours_pdf as pdf;

/// The projet personnalisé as a PDF for the person (`large`: large type).
pub fn projet_pdf(person: &UsagerRecord, p: &ProjetView, large: bool) -> Result<Vec<u8>, String> {
    let c = &p.contenu;
    let item = |code: &str| pdf::SerafinItem {
        code: code.to_string(),
        label: p.label(code),
    };
    let objectifs = c
        .objectifs
        .iter()
        .map(|o| pdf::Objectif {
            title: o.titre.clone(),
            expected_result: Some(o.resultat_attendu.clone()),
            due_date: Some(date_fr(o.echeance)),
            referent: o.referent.clone(),
            needs: o
                .besoins
                .iter()
                .filter_map(|b| c.besoins.iter().find(|x| x.id == *b))
                .map(|b| item(&b.serafin.code))
                .collect(),
            actions: c
                .actions
                .iter()
                .filter(|a| a.objectifs.contains(&o.id))
                .map(|a| pdf::Action {
                    title: a.libelle.clone(),
                    means: a.moyens.clone(),
                    who: a.referent.clone(),
                    frequency: None,
                    prestations: a.prestations.iter().map(|x| item(&x.code)).collect(),
                })
                .collect(),
        })
        .collect();
    let accords = |partie: parcours_app::domain::projet::Partie| {
        p.accords
            .iter()
            .filter(|a| a.partie == partie)
            .map(|a| pdf::Accord {
                name: a.signatory_name.clone(),
                capacity: None,
                date: date_fr(a.signed_on),
            })
            .collect::<Vec<_>>()
    };
    let doc = pdf::ProjetDocument {
        type_label: p.kind_label.clone(),
        person_name: person.identity.display_name(),
        establishment: p.etablissement_name.clone(),
        unit: None,
        period_start: p.started_on.map(date_fr),
        period_end: p.ended_on.map(date_fr),
        version: u32::try_from(p.number).unwrap_or(0),
        status: p.status.label_fr().to_string(),
        attentes: c
            .attentes
            .iter()
            .map(|a| pdf::Attente {
                text: a.texte.clone(),
                origin: origine_label(&a.origine).to_string(),
                date: None,
            })
            .collect(),
        besoins: c
            .besoins
            .iter()
            .map(|b| pdf::Besoin {
                code: b.serafin.code.clone(),
                label: p.label(&b.serafin.code),
                comment: b.commentaire.clone(),
            })
            .collect(),
        objectifs,
        participants: c
            .participants
            .iter()
            .map(|x| pdf::Participant {
                name: x.nom.clone(),
                role: Some(role_label(&x.role).to_string()),
                contribution: x.contribution.clone(),
            })
            .collect(),
        bilan: p.bilans.first().map(|b| pdf::Bilan {
            date: date_fr(b.date),
            objectifs: b
                .appreciations
                .iter()
                .map(|a| pdf::BilanObjectif {
                    objective: a.objectif.clone(),
                    assessment: a.resultat_label.to_lowercase(),
                    comment: a.commentaire.clone(),
                })
                .collect(),
            synthesis: Some(b.synthese.clone()),
            next_date: Some(date_fr(b.prochain_bilan)),
        }),
        accords_etablissement: accords(parcours_app::domain::projet::Partie::Structure),
        accords_personne: accords(parcours_app::domain::projet::Partie::Usager),
    };
    pdf::projet_pdf(&doc, &pdf::Options { large_type: large }).map_err(|e| e.to_string())
}

/// An AGGIR evaluation as a PDF (letters, explanation, changes since the previous one).
pub fn aggir_pdf(
    person: &UsagerRecord,
    d: &parcours_app::evaluation::AggirDetail,
) -> Result<Vec<u8>, String> {
    let variable = |v: &parcours_app::domain::aggir::VariableExplanation| pdf::AggirVariable {
        label: v.variable.label_fr().to_string(),
        letter: v.letter.as_char().to_string(),
        detail: Some(v.reason.clone()),
        sub_variables: v
            .sub_variables
            .iter()
            .map(|s| pdf::AggirSubVariable {
                label: s.sub_variable.label_fr().to_string(),
                letter: s.letter.as_char().to_string(),
                detail: Some(s.reason.clone()),
            })
            .collect(),
    };
    let vars = &d.assessment.explanation.variables;
    let doc = pdf::AggirDocument {
        person_name: person.identity.display_name(),
        birth_date: Some(date_fr(person.identity.birth_date)),
        establishment: d.etablissement_name.clone(),
        date: date_fr(d.view.evaluated_on),
        evaluator: d.view.evaluator.clone(),
        context: d.view.context.clone(),
        discriminant: vars
            .iter()
            .filter(|v| v.variable.is_discriminant())
            .map(variable)
            .collect(),
        illustrative: vars
            .iter()
            .filter(|v| !v.variable.is_discriminant())
            .map(variable)
            .collect(),
        gir: d.assessment.gir(),
        rang: Some(d.assessment.rang()),
        explanation: d.assessment.explanation.lines(),
        previous_date: d.previous.map(|(date, _)| date_fr(date)),
        previous_gir: d.previous.map(|(_, gir)| gir),
        changes: d.changes.clone(),
    };
    pdf::aggir_pdf(&doc, &pdf::Options::default()).map_err(|e| e.to_string())
}
