//! The projet personnalisé and needs evaluations, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::AppError;
use parcours_app::Ctx;
use parcours_app::entourage::{RawMesure, RawProche};
use parcours_app::evaluation::RawNeedsEvaluation;
use parcours_app::projet::{RawAccord, RawNewProjet, RawProjetStatus};
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_domain::ids::{ProjetId, UsagerId};
use parcours_domain::projet::{
    Element, ProjetStatus, RawAction, RawAttente, RawBesoin, RawBilan, RawNeedLine, RawObjectif,
    RawParticipant, ReviewState,
};
use parcours_domain::serafin;

async fn resident(fx: &Fixture, ctx: &Ctx, name: &str) -> UsagerId {
    let mut raw = identity(name, "Jeanne", None);
    raw.birth_date = "1938-02-03".into();
    fx.app
        .create_usager(
            ctx,
            &NewUsager {
                identity: raw,
                placement: fx.placement(fx.ehpad, fx.glycines),
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap()
}

fn field(e: AppError, f: &str) -> String {
    match e {
        AppError::Validation(v) => v
            .get(f)
            .unwrap_or_else(|| panic!("no error on {f}: {v}"))
            .to_string(),
        other => panic!("expected a validation error on {f}, got {other:?}"),
    }
}

fn leaf(prefix: &str) -> String {
    serafin::current()
        .concepts()
        .iter()
        .filter(|c| c.code.starts_with(prefix) && c.leaf)
        .map(|c| c.code.clone())
        .next()
        .unwrap()
}

async fn version(fx: &Fixture, ctx: &Ctx, id: ProjetId) -> i64 {
    fx.app.projet(ctx, id).await.unwrap().version
}

async fn put(fx: &Fixture, ctx: &Ctx, id: ProjetId, e: Element) -> Result<(), AppError> {
    let v = version(fx, ctx, id).await;
    fx.app
        .put_projet_element(ctx, id, None, &e, v)
        .await
        .map(|_| ())
}

/// Writes the chain attente → 2 besoins → 2 objectifs → 2 actions → prestations, and the participants.
async fn write_content(fx: &Fixture, ctx: &Ctx, id: ProjetId) {
    put(
        fx,
        ctx,
        id,
        Element::Attente(RawAttente {
            origine: "personne".into(),
            texte: "Je voudrais retourner au marché le samedi.".into(),
        }),
    )
    .await
    .unwrap();
    // Needs come from the needs evaluation.
    let v = version(fx, ctx, id).await;
    assert_eq!(fx.app.import_needs(ctx, id, v).await.unwrap(), 2);
    let p = fx.app.projet(ctx, id).await.unwrap();
    let (b1, b2) = (p.contenu.besoins[0].id, p.contenu.besoins[1].id);
    for (titre, b) in [("Sortir au marché", b1), ("Marcher sans aide", b2)] {
        put(
            fx,
            ctx,
            id,
            Element::Objectif(RawObjectif {
                titre: titre.into(),
                besoins: vec![b.to_string()],
                echeance: "2027-06-30".into(),
                resultat_attendu: "Une sortie par semaine".into(),
                referent: "Karim Haddad".into(),
                ..RawObjectif::default()
            }),
        )
        .await
        .unwrap();
    }
    let p = fx.app.projet(ctx, id).await.unwrap();
    for o in &p.contenu.objectifs {
        put(
            fx,
            ctx,
            id,
            Element::Action(RawAction {
                libelle: format!("Accompagnement : {}", o.titre),
                objectifs: vec![o.id.to_string()],
                moyens: "Fauteuil, un professionnel".into(),
                prestations: vec![leaf("2.2.")],
                ..RawAction::default()
            }),
        )
        .await
        .unwrap();
    }
    for (nom, role) in [("Jeanne", "usager"), ("Karim Haddad", "professionnel")] {
        put(
            fx,
            ctx,
            id,
            Element::Participant(RawParticipant {
                nom: nom.into(),
                role: role.into(),
                contribution: "Présent à la réunion".into(),
            }),
        )
        .await
        .unwrap();
    }
}

async fn a_projet_from_expectations_to_review(fx: Fixture) {
    let cds = fx.ctx("direction").await;
    let ide = fx.ctx("as.glycines").await;
    let u = resident(&fx, &cds, "Marchand").await;
    // Needs evaluation first (the aide-soignant may not record one).
    let eval = RawNeedsEvaluation {
        evaluated_on: "2026-11-15".into(),
        context: "Évaluation d'entrée".into(),
        lines: vec![
            RawNeedLine {
                code: leaf("1.3."),
                level: "important".into(),
                comment: "Isolement depuis le veuvage".into(),
            },
            RawNeedLine {
                code: leaf("1.2."),
                level: "modere".into(),
                comment: String::new(),
            },
        ],
    };
    assert!(matches!(
        fx.app.record_needs_evaluation(&ide, u, &eval).await,
        Err(AppError::Forbidden(_))
    ));
    fx.app
        .record_needs_evaluation(&cds, u, &eval)
        .await
        .unwrap();
    let id = fx
        .app
        .create_projet(
            &cds,
            u,
            &RawNewProjet {
                etablissement_id: fx.ehpad.to_string(),
                kind: "PPA".into(),
            },
        )
        .await
        .unwrap();
    // Only one open projet per establishment.
    assert!(
        field(
            fx.app
                .create_projet(
                    &cds,
                    u,
                    &RawNewProjet {
                        etablissement_id: fx.ehpad.to_string(),
                        kind: "PPA".into(),
                    },
                )
                .await
                .unwrap_err(),
            "etablissement_id"
        )
        .contains("avenant")
    );
    write_content(&fx, &ide, id).await;
    let p = fx.app.projet(&cds, id).await.unwrap();
    assert!(p.gaps.is_empty(), "{:?}", p.gaps);
    assert_eq!(
        p.contenu.attentes[0].texte,
        "Je voudrais retourner au marché le samedi."
    );
    // Cannot start without the structure's accord.
    let start = |v: i64| RawProjetStatus {
        status: "en_cours".into(),
        note: String::new(),
        version: v,
    };
    assert!(
        field(
            fx.app
                .change_projet_status(&cds, id, &start(p.version))
                .await
                .unwrap_err(),
            "status"
        )
        .contains("accord")
    );
    // The aide-soignant may not sign for the structure; the direction may.
    let structure = RawAccord {
        partie: "structure".into(),
        signatory: String::new(),
        signed_on: "2026-11-22".into(),
    };
    assert!(matches!(
        fx.app.record_accord(&ide, id, &structure).await,
        Err(AppError::Forbidden(_))
    ));
    fx.app.record_accord(&cds, id, &structure).await.unwrap();
    fx.app
        .record_accord(
            &ide,
            id,
            &RawAccord {
                partie: "usager".into(),
                signatory: "usager".into(),
                signed_on: "2026-11-22".into(),
            },
        )
        .await
        .unwrap();
    fx.app
        .change_projet_status(&cds, id, &start(p.version))
        .await
        .unwrap();
    let running = fx.app.projet(&cds, id).await.unwrap();
    assert_eq!(running.status, ProjetStatus::EnCours);
    assert_eq!(running.accords.len(), 2);
    assert!(
        running.accords.iter().all(|a| a.current),
        "starting does not change the content signed"
    );
    assert_eq!(
        running.events.len(),
        2,
        "préparation then en cours, each dated and signed"
    );
    assert!(running.events.iter().all(|e| !e.by.is_empty()));
    // A running projet is not edited in place.
    assert!(
        field(
            put(
                &fx,
                &ide,
                id,
                Element::Attente(RawAttente {
                    origine: "famille".into(),
                    texte: "x".into(),
                }),
            )
            .await
            .unwrap_err(),
            "status"
        )
        .contains("avenant")
    );
    // Bilan: every objective, next bilan within 12 months.
    let o: Vec<String> = running
        .contenu
        .objectifs
        .iter()
        .map(|o| o.id.to_string())
        .collect();
    let bilan = RawBilan {
        date: "2026-11-22".into(),
        appreciations: vec![
            (o[0].clone(), "atteint".into(), "Tous les samedis".into()),
            (o[1].clone(), "partiellement_atteint".into(), String::new()),
        ],
        synthese: "Mme Marchand a repris ses habitudes.".into(),
        prochain_bilan: "2027-11-23".into(),
    };
    assert!(
        field(
            fx.app.record_bilan(&ide, id, &bilan).await.unwrap_err(),
            "prochain_bilan"
        )
        .contains("douze mois")
    );
    fx.app
        .record_bilan(
            &ide,
            id,
            &RawBilan {
                prochain_bilan: "2027-05-22".into(),
                ..bilan
            },
        )
        .await
        .unwrap();
    let p = fx.app.projet(&cds, id).await.unwrap();
    assert_eq!(p.bilans.len(), 1);
    assert_eq!(p.review, Some(ReviewState::UpToDate));
    // Avenant: a new version; the running one stays in force until the avenant starts.
    let av = fx
        .app
        .create_avenant(&ide, id, "Nouvelle activité demandée")
        .await
        .unwrap();
    put(
        &fx,
        &ide,
        av,
        Element::Attente(RawAttente {
            origine: "personne".into(),
            texte: "Et aussi chanter à la chorale.".into(),
        }),
    )
    .await
    .unwrap();
    let draft = fx.app.projet(&cds, av).await.unwrap();
    assert_eq!(draft.number, 1);
    assert_eq!(draft.contenu.attentes.len(), 2);
    assert_eq!(
        fx.app
            .projet(&cds, id)
            .await
            .unwrap()
            .contenu
            .attentes
            .len(),
        1,
        "the running version is untouched"
    );
    fx.app.record_accord(&cds, av, &structure).await.unwrap();
    fx.app
        .change_projet_status(&cds, av, &start(draft.version))
        .await
        .unwrap();
    let old = fx.app.projet(&cds, id).await.unwrap();
    assert_eq!(old.status, ProjetStatus::Termine);
    assert_eq!(old.avenant_id, Some(av));
    assert!(
        old.events
            .last()
            .unwrap()
            .note
            .as_deref()
            .unwrap()
            .contains("avenant n° 1")
    );
    assert_eq!(
        old.contenu.attentes.len(),
        1,
        "the old version stays readable"
    );
    // The home board says when the bilan is due: at eleven months, then overdue.
    fx.clock.set("2027-10-25T09:00:00Z".parse().unwrap());
    let board = fx.app.home_board(&cds).await.unwrap();
    assert!(
        board
            .projets
            .iter()
            .any(|i| i.usager_id == u && i.text.contains("avant le 22/11/2027")),
        "{:?}",
        board.projets
    );
    fx.clock.set("2027-11-23T09:00:00Z".parse().unwrap());
    let board = fx.app.home_board(&cds).await.unwrap();
    assert!(board.projets.iter().any(|i| i.text.contains("en retard")));
}

async fn only_who_may_sign_gives_the_persons_accord(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let u = resident(&fx, &dir, "Lemaire").await;
    let tutor = fx
        .app
        .save_proche(
            &dir,
            u,
            None,
            &RawProche {
                relation: "enfant".into(),
                last_name: "Lemaire".into(),
                first_name: "Paul".into(),
                ..RawProche::default()
            },
        )
        .await
        .unwrap();
    let other = fx
        .app
        .save_proche(
            &dir,
            u,
            None,
            &RawProche {
                relation: "enfant".into(),
                last_name: "Lemaire".into(),
                first_name: "Anne".into(),
                ..RawProche::default()
            },
        )
        .await
        .unwrap();
    fx.app
        .save_mesure(
            &dir,
            u,
            None,
            &RawMesure {
                kind: "tutelle".into(),
                start_date: "2025-01-01".into(),
                representative_id: tutor.to_string(),
                ..RawMesure::default()
            },
        )
        .await
        .unwrap();
    let id = fx
        .app
        .create_projet(
            &dir,
            u,
            &RawNewProjet {
                etablissement_id: fx.ehpad.to_string(),
                kind: "PP".into(),
            },
        )
        .await
        .unwrap();
    let accord = |who: String| RawAccord {
        partie: "usager".into(),
        signatory: who,
        signed_on: "2026-11-22".into(),
    };
    for who in ["usager".to_string(), other.to_string()] {
        let e = fx
            .app
            .record_accord(&dir, id, &accord(who))
            .await
            .unwrap_err();
        let msg = field(e, "signatory");
        assert!(
            msg.contains("utelle"),
            "the reason names the measure: {msg}"
        );
    }
    fx.app
        .record_accord(&dir, id, &accord(tutor.to_string()))
        .await
        .unwrap();
    let p = fx.app.projet(&dir, id).await.unwrap();
    assert_eq!(p.accords.len(), 1);
    assert_eq!(p.accords[0].signatory_name, "Paul Lemaire");
    // Bad input writes nothing: an unknown need code, an objective without a need.
    let v = p.version;
    let e = fx
        .app
        .put_projet_element(
            &dir,
            id,
            None,
            &Element::Besoin(RawBesoin {
                code: "9.9".into(),
                commentaire: String::new(),
            }),
            v,
        )
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Validation(_)));
    assert_eq!(fx.app.projet(&dir, id).await.unwrap().version, v);
    // The structure signs, then the content changes: the accord no longer counts.
    fx.app
        .record_accord(
            &dir,
            id,
            &RawAccord {
                partie: "structure".into(),
                signatory: String::new(),
                signed_on: "2026-11-22".into(),
            },
        )
        .await
        .unwrap();
    put(
        &fx,
        &dir,
        id,
        Element::Attente(RawAttente {
            origine: "representant".into(),
            texte: "Qu'elle garde sa chambre au rez-de-chaussée.".into(),
        }),
    )
    .await
    .unwrap();
    let p = fx.app.projet(&dir, id).await.unwrap();
    assert!(p.accords.iter().all(|a| !a.current));
    let e = fx
        .app
        .change_projet_status(
            &dir,
            id,
            &RawProjetStatus {
                status: "en_cours".into(),
                note: String::new(),
                version: p.version,
            },
        )
        .await
        .unwrap_err();
    assert!(field(e, "status").contains("accord"));
    let v = p.version;
    // A stale version is a conflict, never a silent overwrite.
    let stale = fx
        .app
        .put_projet_element(
            &dir,
            id,
            None,
            &Element::Attente(RawAttente {
                origine: "personne".into(),
                texte: "Rester dans ma chambre le matin.".into(),
            }),
            v - 1,
        )
        .await;
    assert!(matches!(stale, Err(AppError::Conflict)));
    assert_eq!(fx.app.projet(&dir, id).await.unwrap().version, v);
}

both!(
    projet_lifecycle => a_projet_from_expectations_to_review,
    projet_accords => only_who_may_sign_gives_the_persons_accord,
);
