//! The demonstration organisation (`parcours serve --demo`), loaded through the use cases, on SQLite
//! and PostgreSQL: it loads once, quickly, and shows what the application is for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::Arc;

use parcours_app::auth::SessionKind;
use parcours_app::demo::DEMO_PASSWORD;
use parcours_app::domain::admission::{RequestStatus, SejourStatus};
use parcours_app::domain::clock::{ManualClock, SeededIds};
use parcours_app::domain::consent::ConsentAnswer;
use parcours_app::domain::ids::{EtablissementId, EvaluationId, ProjetId, UsagerId};
use parcours_app::domain::projet::{Partie, ProjetStatus};
use parcours_app::{App, AppConfig};
use parcours_store::Db;
use parcours_store::records::{BilanRow, Bind, EvaluationRow, MesureRow, ProjetRow, SejourRow};

async fn loads_a_living_organisation(db: Db, now: &str) {
    let app = App::new(
        db,
        Arc::new(ManualClock::new(now.parse().unwrap())),
        Arc::new(SeededIds::new(2026)),
        AppConfig::default(),
    );
    let started = std::time::Instant::now();
    assert!(app.load_demo().await.unwrap());
    let took = started.elapsed();
    eprintln!("demo loaded in {took:?}");
    // A few seconds in a debug build; generous here for busy machines.
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    // Idempotent: a second call changes nothing.
    assert!(!app.load_demo().await.unwrap());

    let ctx = app
        .login(
            "direction",
            DEMO_PASSWORD,
            "192.0.2.1",
            "test",
            SessionKind::Web,
        )
        .await
        .unwrap()
        .ctx;
    let org = ctx.org();
    let etabs = parcours_store::organisation::list_etablissements(&app.db, org)
        .await
        .unwrap();
    assert_eq!(etabs.len(), 2);

    // Both waiting lists hold open requests at several stages.
    let mut statuses = Vec::new();
    for e in &etabs {
        let list = app
            .waiting_list(&ctx, EtablissementId::from_uuid(e.id))
            .await
            .unwrap();
        assert!(list.len() >= 3, "{}: {} open requests", e.name, list.len());
        assert!(list.iter().all(|r| r.status.is_open()));
        statuses.extend(list.iter().map(|r| r.status));
    }
    for s in [
        RequestStatus::Recue,
        RequestStatus::EnEtude,
        RequestStatus::VisitePlanifiee,
        RequestStatus::Acceptee,
        RequestStatus::EnAttenteDePlace,
    ] {
        assert!(statuses.contains(&s), "no request {s:?} on the lists");
    }

    // Séjours: a person with two concurrent open séjours, one planned entry, one change of modality.
    let sejours = SejourRow::select_where(&app.db, org, "1 = 1", &[], "usager_id, id", 10_000)
        .await
        .unwrap();
    let mut open: HashMap<uuid::Uuid, usize> = HashMap::new();
    for s in sejours.iter().filter(|s| s.status == "en_cours") {
        *open.entry(s.usager_id).or_default() += 1;
    }
    let (two, _) = open
        .iter()
        .find(|(_, n)| **n >= 2)
        .expect("someone with two open séjours");
    let file = app
        .admission_file(&ctx, UsagerId::from_uuid(*two))
        .await
        .unwrap();
    let current: Vec<_> = file
        .sejours
        .iter()
        .filter(|s| s.status == SejourStatus::EnCours)
        .collect();
    assert!(current.len() >= 2 && current[0].modalite != current[1].modalite);
    assert!(sejours.iter().any(|s| s.status == "prevu"));
    assert!(sejours.iter().any(|s| s.previous_id.is_some()));

    // Decisions and contracts: alerts that show on the board whenever the demo is loaded.
    let mut ending_soon = false;
    let mut creton = false;
    let mut alerts = Vec::new();
    let mut persons: Vec<uuid::Uuid> = sejours.iter().map(|s| s.usager_id).collect();
    persons.dedup();
    for u in &persons {
        let file = app
            .admission_file(&ctx, UsagerId::from_uuid(*u))
            .await
            .unwrap();
        ending_soon |= file
            .decisions
            .iter()
            .any(|d| d.ending_soon && d.valid_today);
        creton |= file.decisions.iter().any(|d| d.creton && d.valid_today);
        alerts.extend(file.alerts);
    }
    assert!(ending_soon, "a decision ending within six months");
    assert!(creton, "an amendement Creton");
    for expected in [
        "prend fin le",
        "sans décision d'orientation CDAPH valide",
        "non signé plus d'un mois après l'entrée",
    ] {
        assert!(
            alerts.iter().any(|a| a.contains(expected)),
            "no alert « {expected} » in {alerts:?}"
        );
    }
    let board = app.home_board(&ctx).await.unwrap();
    assert!(!board.upcoming_admissions.is_empty());
    assert!(!board.ending_sejours.is_empty());
    assert!(!board.requests_to_admit.is_empty());
    assert!(
        board
            .consents
            .iter()
            .any(|c| c.text.contains("expire bientôt"))
    );
    // A bilan planned within the month (set at the last bilan) shows on the board.
    assert!(
        board
            .projets
            .iter()
            .any(|i| i.text.contains("Bilan du projet personnalisé à faire")),
        "{:?}",
        board.projets
    );

    // A person under tutelle: the tutor (an UDAF mandataire) signed, and `may` says yes.
    let tutelles = MesureRow::select_where(&app.db, org, "kind = 'tutelle'", &[], "id", 10)
        .await
        .unwrap();
    let tutelle = tutelles.first().expect("a tutelle");
    let person = UsagerId::from_uuid(tutelle.usager_id);
    let entourage = app.entourage_file(&ctx, person).await.unwrap();
    let tutor = entourage
        .proches
        .iter()
        .find(|p| p.id.as_uuid() == tutelle.representative_id)
        .unwrap();
    assert_eq!(tutor.relation, "mandataire");
    assert!(
        entourage
            .liens
            .iter()
            .any(|l| l.role == "mandataire" && l.partenaire_name.contains("UDAF"))
    );
    assert!(!entourage.signing.person);
    let answer = app.may(&ctx, person, "dmp", None).await.unwrap();
    assert!(
        matches!(answer, ConsentAnswer::Yes(_)),
        "{:?}",
        answer.code()
    );
    assert_eq!(answer.basis().unwrap().signatory, tutor.name);
    let rows = parcours_store::admission::consents(&app.db, org, person.as_uuid())
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.signatory_id == Some(tutelle.representative_id))
    );

    // Other protections: curatelle renforcée and habilitation familiale.
    for kind in [
        "curatelle_renforcee",
        "habilitation_familiale_representation",
    ] {
        let rows =
            MesureRow::select_where(&app.db, org, "kind = $2", &[Bind::Text(kind)], "id", 10)
                .await
                .unwrap();
        assert_eq!(rows.len(), 1, "{kind}");
    }

    // Consents: withdrawn, refused, expired, given by a parent for a minor; one person never asked.
    let mut answers: Vec<&str> = Vec::new();
    let mut withdrawn = Vec::new();
    let mut never_asked = false;
    let mut by_parent = false;
    for u in &persons {
        let u = UsagerId::from_uuid(*u);
        let states = app.consents(&ctx, u).await.unwrap();
        never_asked |= states.iter().all(|s| s.history.is_empty());
        for s in &states {
            answers.push(s.answer.code());
            if matches!(s.answer, ConsentAnswer::Withdrawn(_)) {
                withdrawn.push((u, s.purpose.clone()));
            }
        }
        let entourage = app.entourage_file(&ctx, u).await.unwrap();
        if entourage.proches.iter().any(|p| p.autorite_parentale) {
            by_parent |= states.iter().any(|s| {
                s.answer.allowed()
                    && s.answer.basis().is_some_and(|b| {
                        entourage
                            .signing
                            .representatives
                            .iter()
                            .any(|(_, name)| &b.signatory == name)
                    })
            });
        }
    }
    for code in ["refused", "expired", "yes"] {
        assert!(answers.contains(&code), "no consent {code}");
    }
    let (u, purpose) = withdrawn.first().expect("a withdrawn consent");
    let answer = app.may(&ctx, *u, purpose, None).await.unwrap();
    assert!(matches!(answer, ConsentAnswer::Withdrawn(_)));
    assert_eq!(answer.basis().unwrap().decision.code(), "retire");
    assert!(never_asked, "a person never asked");
    assert!(by_parent, "a consent given by a parent for a minor");

    // The directory: a doctor with an RPPS, an UDAF, territorial resources.
    let partners = app.search_partners(&ctx, "", None).await.unwrap();
    assert!(partners.len() >= 12);
    assert!(
        partners
            .iter()
            .any(|p| p.kind == "medecin" && p.partner.rpps.is_some())
    );
    assert!(partners.iter().any(|p| p.partner.name.contains("UDAF")));
    assert!(partners.iter().filter(|p| p.resource).count() >= 2);

    // AGGIR: most residents evaluated, every GIR present but mostly 1 to 4, as in an EHPAD.
    let evals = EvaluationRow::select_where(
        &app.db,
        org,
        "status = 'valide'",
        &[],
        "usager_id, evaluated_on, created_at",
        10_000,
    )
    .await
    .unwrap();
    let aggir: Vec<&EvaluationRow> = evals.iter().filter(|e| e.kind == "aggir").collect();
    let mut by_gir = [0usize; 6];
    for e in &aggir {
        by_gir[usize::try_from(e.gir.unwrap() - 1).unwrap()] += 1;
    }
    assert!(by_gir.iter().all(|n| *n > 0), "GIR 1 to 6: {by_gir:?}");
    let dependent: usize = by_gir[..4].iter().sum();
    assert!(dependent * 5 >= aggir.len() * 4, "GIR 1 to 6: {by_gir:?}");
    let ehpad = etabs.iter().find(|e| e.name.contains("EHPAD")).unwrap();
    let gmp = app
        .gmp(&ctx, EtablissementId::from_uuid(ehpad.id), app.today())
        .await
        .unwrap();
    let value = gmp.gmp.expect("a GMP");
    assert!((500.0..=900.0).contains(&value), "GMP {value}");
    assert!(
        gmp.persons >= 20 && gmp.not_evaluated * 10 <= gmp.persons,
        "{gmp:?}"
    );
    eprintln!(
        "GMP {value:.0}, {:?} GIR 1 to 6 of {}",
        gmp.by_gir, gmp.persons
    );
    // Some residents evaluated twice, months apart: the detail says what changed.
    let later = aggir
        .iter()
        .find(|e| {
            aggir.iter().any(|o| {
                o.usager_id == e.usager_id && o.evaluated_on < e.evaluated_on && o.gir != e.gir
            })
        })
        .expect("a resident whose GIR changed");
    let detail = app
        .aggir_detail(&ctx, EvaluationId::from_uuid(later.id))
        .await
        .unwrap();
    let (_, before) = detail.previous.expect("the previous evaluation");
    assert_ne!(i64::from(before), later.gir.unwrap());
    assert!(detail.changes.len() >= 2, "{:?}", detail.changes);

    // Needs evaluations (SERAFIN-PH needs with a level) in both establishments.
    let needs: Vec<&EvaluationRow> = evals.iter().filter(|e| e.kind == "besoins").collect();
    assert!(needs.len() >= 15, "{} needs evaluations", needs.len());
    let evaluated: Vec<uuid::Uuid> = needs.iter().map(|e| e.usager_id).collect();
    let view = app
        .evaluations(&ctx, UsagerId::from_uuid(evaluated[0]))
        .await
        .unwrap();
    let lines = &view.iter().find(|v| v.kind == "besoins").unwrap().needs;
    assert!(
        lines
            .iter()
            .all(|l| l.code.starts_with("1.") && l.level_label.is_some())
    );

    // Projets personnalisés at every stage.
    let projets = ProjetRow::select_where(&app.db, org, "1 = 1", &[], "usager_id, number", 1000)
        .await
        .unwrap();
    for status in ["en_preparation", "en_cours", "en_pause", "termine"] {
        assert!(
            projets.iter().any(|p| p.status == status),
            "no projet {status}"
        );
    }
    for p in &projets {
        assert!(
            evaluated.contains(&p.usager_id) || p.status == "en_preparation",
            "a projet without a needs evaluation"
        );
        let v = app.projet(&ctx, ProjetId::from_uuid(p.id)).await.unwrap();
        assert!(!v.contenu.attentes.is_empty());
        match v.status {
            ProjetStatus::EnPreparation => assert!(v.accords.is_empty()),
            _ => {
                for partie in [Partie::Structure, Partie::Usager] {
                    assert!(v.accords.iter().any(|a| a.partie == partie), "{partie:?}");
                }
                assert!(v.gaps.is_empty(), "{:?}", v.gaps);
                assert!(v.contenu.participants.iter().any(|x| x.role == "usager"));
                assert!(
                    v.contenu
                        .participants
                        .iter()
                        .any(|x| x.role == "famille" || x.role == "representant")
                );
                assert!(v.contenu.actions.iter().all(|a| {
                    !a.prestations.is_empty()
                        && a.prestations.iter().all(|c| c.code.starts_with("2."))
                }));
            }
        }
        if v.status == ProjetStatus::EnPause {
            assert!(v.events.last().unwrap().note.is_some());
        }
    }
    // A projet replaced by its avenant: the first version ended, with its bilan.
    let avenant = projets.iter().find(|p| p.number >= 1).expect("an avenant");
    let avenant = app
        .projet(&ctx, ProjetId::from_uuid(avenant.id))
        .await
        .unwrap();
    assert_eq!(avenant.status, ProjetStatus::EnCours);
    let first = app
        .projet(&ctx, avenant.previous_id.unwrap())
        .await
        .unwrap();
    assert_eq!(first.status, ProjetStatus::Termine);
    assert_eq!(first.avenant_id, Some(avenant.id));
    assert!(!first.bilans.is_empty());
    assert!(avenant.contenu.objectifs.len() > first.contenu.objectifs.len());
    let bilans = BilanRow::select_where(&app.db, org, "1 = 1", &[], "id", 1000)
        .await
        .unwrap();
    assert!(bilans.len() >= 2);
    // Under tutelle, the tutor signed the person's accord.
    let summaries = app.projets(&ctx, person).await.unwrap();
    let projet = app.projet(&ctx, summaries[0].id).await.unwrap();
    assert!(
        projet
            .accords
            .iter()
            .any(|a| a.partie == Partie::Usager && a.signatory_name == tutor.name)
    );
}

#[tokio::test]
async fn demo_sqlite() {
    let (db, _dir) = parcours_store::testing::sqlite().await.unwrap();
    loads_a_living_organisation(db, "2026-11-22T09:00:00Z").await;
}

/// Dates are relative to the app's today: the same alerts show on any day (here, in Paris, the first
/// of March just after midnight).
#[tokio::test]
async fn demo_sqlite_another_day() {
    let (db, _dir) = parcours_store::testing::sqlite().await.unwrap();
    loads_a_living_organisation(db, "2029-02-28T23:30:00Z").await;
}

#[tokio::test]
async fn demo_postgres() {
    let db = parcours_store::testing::postgres("demo").await.unwrap();
    loads_a_living_organisation(db, "2026-11-22T09:00:00Z").await;
}
