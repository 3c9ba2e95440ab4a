//! Full-text search over transmissions, scoped by the gate, on SQLite and PostgreSQL: the same
//! assertions on both engines are what "the same results" means.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use jiff::SignedDuration;
use parcours_app::search::{SearchInput, SearchPage};
use parcours_app::synthetic::SyntheticPerson;
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::ecrit::RawEcrit;
use parcours_domain::ids::UsagerId;
use parcours_domain::medical::RawDelegation;
use parcours_domain::transmission::RawTransmission;

async fn resident(fx: &Fixture, ctx: &Ctx, name: &str) -> UsagerId {
    let mut raw = identity(name, "Louise", None);
    raw.birth_date = "1940-05-04".into();
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
        actions: "Antalgique donné selon la prescription".into(),
        ..RawTransmission::default()
    }
}

async fn find(fx: &Fixture, ctx: &Ctx, q: &str) -> SearchPage {
    find_in(fx, ctx, q, None, None).await.unwrap()
}

async fn find_in(
    fx: &Fixture,
    ctx: &Ctx,
    q: &str,
    usager: Option<UsagerId>,
    apres: Option<String>,
) -> Result<SearchPage, AppError> {
    fx.app
        .search_notes(
            ctx,
            &SearchInput {
                q: q.into(),
                usager: usager.map(|u| u.to_string()),
                apres,
            },
        )
        .await
}

fn hits(p: &SearchPage) -> Vec<String> {
    p.items
        .iter()
        .flat_map(|i| i.extract.iter().filter(|s| s.hit).map(|s| s.text.clone()))
        .collect()
}

async fn french_words_meet(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let aes = fx.ctx("as.glycines").await;
    let person = resident(&fx, &direction, "MARTIN").await;
    fx.app
        .write_transmission(
            &aes,
            person,
            &dar(
                "soins",
                "Mme très fatiguée ce matin, DOULEURS à la hanche droite.",
            ),
        )
        .await
        .unwrap();
    for q in ["douleur", "Fatiguee", "HANCHE douleurs", "fatigués hanches"] {
        let p = find(&fx, &aes, q).await;
        assert_eq!(p.items.len(), 1, "{q}");
        assert_eq!(p.items[0].usager, person);
        assert!(p.items[0].title.contains("Douleur"), "{q}");
    }
    // The target (cible) is part of the text: its label is highlighted too.
    assert_eq!(
        hits(&find(&fx, &aes, "douleur").await),
        vec!["Douleur", "DOULEURS"]
    );
    assert!(find(&fx, &aes, "douleur genou").await.items.is_empty());
    assert!(find(&fx, &aes, "chute").await.items.is_empty());
    // A query of common words only is refused with a message.
    let e = find_in(&fx, &aes, "de la", None, None).await.unwrap_err();
    assert!(matches!(e, AppError::Validation(_)), "{e:?}");
}

async fn newest_first_in_pages(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let aes = fx.ctx("as.glycines").await;
    let person = resident(&fx, &direction, "PAGES").await;
    let mut ids = Vec::new();
    for i in 0..25 {
        fx.clock.advance(SignedDuration::from_mins(10));
        ids.push(
            fx.app
                .write_transmission(
                    &aes,
                    person,
                    &dar("soins", &format!("Sommeil agité, nuit {i}")),
                )
                .await
                .unwrap()
                .as_uuid(),
        );
    }
    let first = find(&fx, &aes, "sommeil").await;
    assert_eq!(first.items.len(), 20);
    assert_eq!(first.items[0].id, ids[24]);
    let second = find_in(&fx, &aes, "sommeil", None, first.next.clone())
        .await
        .unwrap();
    assert_eq!(second.items.len(), 5);
    assert!(second.next.is_none());
    let mut seen: Vec<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|i| i.id)
        .collect();
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected, "newest first, no gap, no duplicate");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 25);
    let e = find_in(&fx, &aes, "sommeil", None, Some("x".into()))
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Validation(_)));
}

async fn medical_ones_stay_secret(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let aes = fx.ctx("as.glycines").await;
    let person = resident(&fx, &direction, "SECRET").await;
    fx.app
        .write_transmission(
            &medecin,
            person,
            &dar("medical", "Hémoglobine basse, bilan à refaire"),
        )
        .await
        .unwrap();
    fx.app
        .write_transmission(&aes, person, &dar("soins", "Pâleur, bilan sanguin prévu"))
        .await
        .unwrap();
    // The aide-soignant's search never returns, counts or quotes the medical transmission.
    let p = find(&fx, &aes, "hemoglobine").await;
    assert!(p.items.is_empty() && p.next.is_none());
    let p = find(&fx, &aes, "bilan").await;
    assert_eq!(p.items.len(), 1);
    assert!(p.items[0].title.contains("Soins"));
    let p = find_in(&fx, &aes, "hemoglobine", Some(person), None)
        .await
        .unwrap();
    assert!(p.items.is_empty());
    // The physician finds both.
    assert_eq!(find(&fx, &medecin, "bilan").await.items.len(), 2);
    assert_eq!(find(&fx, &medecin, "hémoglobines").await.items.len(), 1);
    // With a delegation the aide-soignant finds it, until it expires.
    fx.app
        .grant_medical_delegation(
            &medecin,
            person,
            &RawDelegation {
                delegate: aes.user().to_string(),
                starts_on: "2026-11-22".into(),
                ends_on: "2026-11-23".into(),
                reason: "Absence du médecin".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(find(&fx, &aes, "hemoglobine").await.items.len(), 1);
    fx.clock.advance(SignedDuration::from_hours(72));
    assert!(find(&fx, &aes, "hemoglobine").await.items.is_empty());
    // Break-the-glass opens it for its two hours only.
    fx.app
        .break_the_glass(&aes, person, "Malaise, médecin injoignable")
        .await
        .unwrap();
    assert_eq!(find(&fx, &aes, "hemoglobine").await.items.len(), 1);
    fx.clock.advance(SignedDuration::from_hours(3));
    assert!(find(&fx, &aes, "hemoglobine").await.items.is_empty());
}

async fn scope_and_corrections(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let aes = fx.ctx("as.glycines").await;
    let educ = fx.ctx("educ.internat").await;
    let person = resident(&fx, &direction, "PORTEE").await;
    let t = fx
        .app
        .write_transmission(&aes, person, &dar("soins", "Refus du repas de midi"))
        .await
        .unwrap();
    // Another establishment's educator finds nothing, and may not search this person.
    assert!(find(&fx, &educ, "repas").await.items.is_empty());
    assert!(matches!(
        find_in(&fx, &educ, "repas", Some(person), None).await,
        Err(AppError::Forbidden(_))
    ));
    // The direction covers the establishment.
    assert_eq!(find(&fx, &direction, "repas").await.items.len(), 1);
    // A correction is what is searched from then on.
    fx.app
        .correct_transmission(
            &aes,
            t,
            1,
            &RawTransmission {
                donnees: "Refus du goûter".into(),
                reason: "Erreur de repas".into(),
                ..dar("soins", "")
            },
        )
        .await
        .unwrap();
    assert!(find(&fx, &aes, "midi").await.items.is_empty());
    let p = find(&fx, &aes, "gouter").await;
    assert_eq!(p.items.len(), 1);
    assert_eq!(hits(&p), vec!["goûter"]);
    // Rebuilding the index changes nothing of the answers (each document once, at its place).
    assert_eq!(fx.app.reindex_search().await.unwrap(), 1);
    assert_eq!(find(&fx, &aes, "gouter").await.items.len(), 1);
    assert!(find(&fx, &aes, "midi").await.items.is_empty());
    // Searches are audited without the words searched.
    let rows = parcours_store::audit::page(&fx.app.db, fx.org.as_uuid(), 0, 10_000)
        .await
        .unwrap();
    let searches: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "recherche.plein_texte")
        .collect();
    assert!(!searches.is_empty());
    assert!(searches.iter().all(|r| !r.detail.contains("gouter")));
}

async fn notes_follow_their_visibility(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let psy = fx.ctx("psy.ditep").await;
    let psy2 = fx.ctx("psy2.ditep").await;
    let educ = fx.ctx("educ.internat").await;
    let mut raw = identity("JEUNE", "Noah", None);
    raw.birth_date = "2012-05-04".into();
    let young = fx
        .app
        .create_usager(
            &direction,
            &NewUsager {
                identity: raw,
                placement: fx.placement(fx.ditep, fx.internat),
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap();
    let note = |scope: &str, text: &str| RawEcrit {
        kind: "note_observation".into(),
        title: "Entretien du mardi".into(),
        text: text.into(),
        event_date: "2026-11-20".into(),
        scope: scope.into(),
        reason: String::new(),
    };
    let private = fx
        .app
        .write_ecrit(
            &psy,
            young,
            &note("profession", "Angoisses de séparation très présentes"),
        )
        .await
        .unwrap();
    // Another psychologue finds it; the éducateur finds nothing, not even a count.
    assert_eq!(find(&fx, &psy2, "angoisse").await.items.len(), 1);
    assert!(find(&fx, &educ, "angoisse").await.items.is_empty());
    assert!(
        find_in(&fx, &educ, "angoisse", Some(young), None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // A note for the whole team is found by the éducateur, with its link.
    fx.app
        .write_ecrit(&psy, young, &note("equipe", "Progrès à l'atelier théâtre"))
        .await
        .unwrap();
    let p = find(&fx, &educ, "theatre").await;
    assert_eq!(p.items.len(), 1);
    assert_eq!(p.items[0].kind, "ecrit");
    assert!(
        p.items[0]
            .link
            .starts_with(&format!("/usagers/{young}/ecrits/"))
    );
    // A withdrawn note leaves the search.
    fx.app
        .withdraw_ecrit(&psy, young, private, 1, "Saisie en double")
        .await
        .unwrap();
    assert!(find(&fx, &psy2, "angoisse").await.items.is_empty());
    assert_eq!(fx.app.reindex_search().await.unwrap(), 1);
    assert!(find(&fx, &psy2, "angoisse").await.items.is_empty());
}

/// The same rules through the other statement: a reader whose scope is filtered by establishment
/// and unit rather than by a list of persons.
fn wide(mut fx: Fixture) -> Fixture {
    fx.app.config.search_few_persons = 0;
    fx
}

async fn medical_ones_stay_secret_in_a_wide_scope(fx: Fixture) {
    medical_ones_stay_secret(wide(fx)).await
}

async fn scope_and_corrections_in_a_wide_scope(fx: Fixture) {
    scope_and_corrections(wide(fx)).await
}

async fn notes_follow_their_visibility_in_a_wide_scope(fx: Fixture) {
    notes_follow_their_visibility(wide(fx)).await
}

/// Tens of thousands of documents over three months: a rare word written two months ago is found
/// behind all the recent ones (on PostgreSQL, through the term index of the later windows), and a
/// common word gives the newest first.
async fn rare_and_common_words_over_months(fx: Fixture) {
    let fx = wide(fx);
    let direction = fx.ctx("direction").await;
    let aes = fx.ctx("as.glycines").await;
    let a = resident(&fx, &direction, "ANCIEN").await;
    let b = resident(&fx, &direction, "RECENT").await;
    let now = fx.app.now();
    let mut rare = Vec::new();
    for (days, person) in [(61, a), (60, b)] {
        fx.clock.set(now - SignedDuration::from_hours(24 * days));
        rare.push(
            fx.app
                .write_transmission(
                    &aes,
                    person,
                    &dar("soins", "Ornithorynque en peluche retrouvé sous le lit"),
                )
                .await
                .unwrap()
                .as_uuid(),
        );
    }
    fx.clock.set(now);
    let persons: Vec<SyntheticPerson> = [a, b]
        .iter()
        .map(|u| SyntheticPerson {
            usager: u.as_uuid(),
            etablissement: fx.ehpad.as_uuid(),
            unite: Some(fx.glycines.as_uuid()),
        })
        .collect();
    // Loaded as the benchmark does: indexes dropped, then built again (and FTS5 rebuilt).
    let bulk = parcours_store::bulk::start(&fx.app.db).await.unwrap();
    let written = fx
        .app
        .load_synthetic_transmissions(&direction, &persons, &[aes.user().as_uuid()], 30_000, 90, 5)
        .await
        .unwrap();
    assert_eq!(written, 30_000);
    parcours_store::bulk::finish(&fx.app.db, bulk)
        .await
        .unwrap();
    fx.app.db.optimize().await.unwrap();
    // The writers' indexing is back in step after the load.
    fx.clock.advance(SignedDuration::from_mins(1));
    let newest = fx
        .app
        .write_transmission(&aes, a, &dar("soins", "Douleur zygomatique au réveil"))
        .await
        .unwrap()
        .as_uuid();
    let found = find(&fx, &direction, "zygomatique").await;
    assert_eq!(
        found.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![newest]
    );

    let found = find(&fx, &direction, "ornithorynques").await;
    let ids: Vec<_> = found.items.iter().map(|i| i.id).collect();
    assert_eq!(ids, vec![rare[1], rare[0]], "both, the newer first");

    let common = find(&fx, &direction, "douleurs").await;
    assert_eq!(common.items.len(), 20);
    assert!(common.next.is_some());
    assert!(
        common.items.windows(2).all(|w| w[0].at >= w[1].at),
        "newest first"
    );
    assert_eq!(common.items[0].id, newest);
}

both!(
    search_medical_wide => medical_ones_stay_secret_in_a_wide_scope,
    search_scope_wide => scope_and_corrections_in_a_wide_scope,
    search_notes_wide => notes_follow_their_visibility_in_a_wide_scope,
    search_notes => notes_follow_their_visibility,
    search_french => french_words_meet,
    search_pages => newest_first_in_pages,
    search_medical => medical_ones_stay_secret,
    search_scope => scope_and_corrections,
    search_over_months => rare_and_common_words_over_months,
);
