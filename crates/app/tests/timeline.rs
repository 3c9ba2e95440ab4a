//! The person's timeline (chronologie), on SQLite and PostgreSQL: order across sources, pages
//! without duplicates or gaps (equal instants included), filters, gating, audit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;

use jiff::SignedDuration;
use parcours_app::evaluation::RawNeedsEvaluation;
use parcours_app::projet::RawNewProjet;
use parcours_app::testing::{Fixture, identity};
use parcours_app::timeline::{PAGE_SIZE, TimelineEntry};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::ids::UsagerId;
use parcours_domain::projet::RawNeedLine;
use parcours_domain::serafin;
use parcours_domain::soins::RawReleve;
use parcours_domain::timeline::{Kind, RawFilter};
use parcours_domain::transmission::RawTransmission;
use parcours_store::records::SejourRow;
use uuid::Uuid;

async fn resident(fx: &Fixture, ctx: &Ctx, name: &str) -> UsagerId {
    let mut raw = identity(name, "Louise", None);
    raw.birth_date = "1938-02-14".into();
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

fn dar(category: &str, donnees: &str) -> RawTransmission {
    RawTransmission {
        cible: "douleur".into(),
        category: category.into(),
        donnees: donnees.into(),
        ..RawTransmission::default()
    }
}

fn all() -> RawFilter {
    RawFilter::default()
}

fn only(kinds: &[&str]) -> RawFilter {
    RawFilter {
        kinds: kinds.iter().map(|k| k.to_string()).collect(),
        ..RawFilter::default()
    }
}

fn leaf() -> String {
    serafin::current()
        .concepts()
        .iter()
        .filter(|c| c.code.starts_with("1.2.") && c.leaf)
        .map(|c| c.code.clone())
        .next()
        .unwrap()
}

/// A past séjour (admitted 1 November 2026) written directly in the store.
async fn sejour(fx: &Fixture, u: UsagerId) -> Uuid {
    let by = fx.ctx("direction").await.user().as_uuid();
    let id = Uuid::from_u128(0x5e);
    let row = SejourRow {
        organisation_id: fx.org.as_uuid(),
        id,
        usager_id: u.as_uuid(),
        etablissement_id: fx.ehpad.as_uuid(),
        unite_id: Some(fx.glycines.as_uuid()),
        modalite: "internat".into(),
        request_id: None,
        previous_id: None,
        planned_entry: "2026-11-01".into(),
        entry_date: Some("2026-11-01".into()),
        planned_exit: None,
        exit_date: None,
        entry_mode: None,
        exit_mode: None,
        exit_destination: None,
        status: "en_cours".into(),
        over_capacity: false,
        version: 1,
        created_at: 0,
        created_by: by,
        updated_at: 0,
        updated_by: by,
    };
    let mut tx = fx.app.db.begin().await.unwrap();
    row.insert(&mut tx, Some(u.as_uuid()), None).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Every page, following the cursor; asserts each page's size.
async fn walk(fx: &Fixture, ctx: &Ctx, u: UsagerId, filter: &RawFilter) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = fx
            .app
            .timeline(ctx, u, filter, after.as_deref())
            .await
            .unwrap();
        assert!(page.items.len() <= PAGE_SIZE);
        if page.next.is_some() {
            assert_eq!(page.items.len(), PAGE_SIZE);
        }
        out.extend(page.items);
        match page.next {
            Some(n) => after = Some(n),
            None => return out,
        }
    }
}

async fn last_audit(fx: &Fixture, u: UsagerId) -> (String, String) {
    let e = parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), u.as_uuid(), None, 1)
        .await
        .unwrap()
        .remove(0);
    (e.action, e.detail)
}

async fn every_source_in_one_list_newest_first(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let medecin = fx.ctx("medecin").await;
    let u = resident(&fx, &dir, "Garnier").await;
    sejour(&fx, u).await;
    fx.app
        .record_needs_evaluation(
            &dir,
            u,
            &RawNeedsEvaluation {
                evaluated_on: "2026-11-15".into(),
                context: "Évaluation d'entrée".into(),
                lines: vec![RawNeedLine {
                    code: leaf(),
                    level: "important".into(),
                    comment: String::new(),
                }],
            },
        )
        .await
        .unwrap();
    fx.app
        .create_projet(
            &dir,
            u,
            &RawNewProjet {
                etablissement_id: fx.ehpad.to_string(),
                kind: "PPA".into(),
            },
        )
        .await
        .unwrap();
    fx.app
        .record_releve(
            &aide,
            u,
            &RawReleve {
                measured_at: "2026-11-20T08:00".into(),
                poids: "61,5".into(),
                ..RawReleve::default()
            },
        )
        .await
        .unwrap();
    fx.clock.advance(SignedDuration::from_mins(5));
    fx.app
        .write_transmission(&aide, u, &dar("soins", "Douleur au genou droit"))
        .await
        .unwrap();
    fx.clock.advance(SignedDuration::from_mins(5));
    fx.app
        .write_transmission(&medecin, u, &dar("medical", "Suspicion d'arthrose"))
        .await
        .unwrap();

    let page = fx.app.timeline(&medecin, u, &all(), None).await.unwrap();
    let kinds: Vec<Kind> = page.items.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            Kind::Transmission,
            Kind::Transmission,
            Kind::Projet,
            Kind::Mesure,
            Kind::Evaluation,
            Kind::Sejour
        ]
    );
    assert!(page.items[0].title.contains("Médical"));
    assert_eq!(page.items[0].summary, "Suspicion d'arthrose");
    assert_eq!(page.items[1].author.as_deref(), Some("Karim Haddad"));
    assert_eq!(page.items[3].summary, "61,5 kg");
    assert!(page.items[4].day_only && page.items[5].day_only);
    assert!(page.items[5].title.starts_with("Admission"));
    assert!(page.items.windows(2).all(|w| w[0].at >= w[1].at));
    assert_eq!(page.next, None);

    // The aide-soignant: the same timeline without the medical transmission, not even counted.
    let page = fx.app.timeline(&aide, u, &all(), None).await.unwrap();
    assert_eq!(page.items.len(), 5);
    assert!(page.items.iter().all(|e| !e.title.contains("Médical")));
    assert!(!page.items.iter().any(|e| e.summary.contains("arthrose")));
    let (action, detail) = last_audit(&fx, u).await;
    assert_eq!(action, "chronologie.consultation");
    assert!(!detail.contains("Douleur") && detail.contains("transmission:"));
}

async fn pages_have_no_duplicates_or_gaps_at_equal_instants(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let u = resident(&fx, &dir, "Perrin").await;
    // 40 transmissions and 30 measures at the very same instant, then 5 later transmissions.
    for i in 0..40 {
        fx.app
            .write_transmission(&aide, u, &dar("soins", &format!("Note {i}")))
            .await
            .unwrap();
    }
    for _ in 0..10 {
        fx.app
            .record_releve(
                &aide,
                u,
                &RawReleve {
                    poids: "60".into(),
                    pouls: "72".into(),
                    temperature: "37,2".into(),
                    ..RawReleve::default()
                },
            )
            .await
            .unwrap();
    }
    for i in 0..5 {
        fx.clock.advance(SignedDuration::from_secs(1));
        fx.app
            .write_transmission(&aide, u, &dar("educatif", &format!("Plus tard {i}")))
            .await
            .unwrap();
    }
    let entries = walk(&fx, &aide, u, &all()).await;
    assert_eq!(entries.len(), 75);
    let unique: HashSet<&str> = entries.iter().map(|e| e.cursor.as_str()).collect();
    assert_eq!(unique.len(), 75, "no entry twice");
    assert!(entries.windows(2).all(|w| w[0].at >= w[1].at));
    assert_eq!(
        entries.iter().filter(|e| e.kind == Kind::Mesure).count(),
        30
    );
    assert!(entries[0].summary.starts_with("Plus tard 4"));
    // Same with a filter: only the transmissions, 45 of them.
    let t = walk(&fx, &aide, u, &only(&["transmission"])).await;
    assert_eq!(t.len(), 45);
    assert!(t.iter().all(|e| e.kind == Kind::Transmission));
}

async fn filters_by_kind_period_and_author(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let medecin = fx.ctx("medecin").await;
    let u = resident(&fx, &dir, "Lambert").await;
    sejour(&fx, u).await;
    fx.app
        .write_transmission(&aide, u, &dar("soins", "Écrit par l'aide-soignant"))
        .await
        .unwrap();
    fx.app
        .write_transmission(&medecin, u, &dar("soins", "Écrit par le médecin"))
        .await
        .unwrap();
    fx.app
        .record_releve(
            &medecin,
            u,
            &RawReleve {
                measured_at: "2026-11-10T10:00".into(),
                pouls: "80".into(),
                ..RawReleve::default()
            },
        )
        .await
        .unwrap();
    let page = fx
        .app
        .timeline(&dir, u, &only(&["mesure", "sejour"]), None)
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![Kind::Mesure, Kind::Sejour]
    );
    assert_eq!(page.filter_query, "type=mesure&type=sejour");
    // The period: 1–10 November, both days included.
    let period = RawFilter {
        du: "2026-11-01".into(),
        au: "2026-11-10".into(),
        ..RawFilter::default()
    };
    let page = fx.app.timeline(&dir, u, &period, None).await.unwrap();
    assert_eq!(
        page.items.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![Kind::Mesure, Kind::Sejour]
    );
    // The author.
    let mine = RawFilter {
        auteur: aide.user().as_uuid().to_string(),
        ..RawFilter::default()
    };
    let page = fx.app.timeline(&dir, u, &mine, None).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].summary, "Écrit par l'aide-soignant");
    // Bad input: French messages per field, nothing read.
    let bad = RawFilter {
        kinds: vec!["piscine".into()],
        du: "31/02/2026".into(),
        au: String::new(),
        auteur: "x".into(),
    };
    let Err(AppError::Validation(e)) = fx.app.timeline(&dir, u, &bad, None).await else {
        panic!("refused")
    };
    for field in ["type", "du", "auteur"] {
        assert!(e.get(field).is_some(), "{field}");
    }
    let Err(AppError::Validation(e)) = fx.app.timeline(&dir, u, &all(), Some("n'importe")).await
    else {
        panic!("refused")
    };
    assert!(e.get("apres").is_some());
}

async fn a_source_the_reader_may_not_read_is_absent(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let secretariat = fx.ctx("secretariat").await;
    let educ = fx.ctx("educ.internat").await;
    let u = resident(&fx, &dir, "Roussel").await;
    sejour(&fx, u).await;
    fx.app
        .write_transmission(&aide, u, &dar("soins", "Chute dans la chambre"))
        .await
        .unwrap();
    // The secrétariat does not read the care record: no transmission, not offered as a filter,
    // and asking for it shows nothing rather than an error.
    let page = fx
        .app
        .timeline(&secretariat, u, &all(), None)
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![Kind::Sejour]
    );
    assert!(
        !page
            .choices
            .kinds
            .iter()
            .any(|k| k.code == "transmission" || k.code == "mesure")
    );
    let page = fx
        .app
        .timeline(&secretariat, u, &only(&["transmission"]), None)
        .await
        .unwrap();
    assert!(page.items.is_empty() && page.next.is_none());
    // Out of scope: refused, and the refusal is audited.
    assert!(matches!(
        fx.app.timeline(&educ, u, &all(), None).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        fx.app.timeline_choices(&educ, u).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(last_audit(&fx, u).await.0, "acces.refuse");
}

both!(
    timeline_order => every_source_in_one_list_newest_first,
    timeline_pages => pages_have_no_duplicates_or_gaps_at_equal_instants,
    timeline_filters => filters_by_kind_period_and_author,
    timeline_gating => a_source_the_reader_may_not_read_is_absent,
);
