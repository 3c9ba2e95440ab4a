//! Transmissions ciblées and the relève, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use jiff::SignedDuration;
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::authz::DenyReason;
use parcours_domain::ids::UsagerId;
use parcours_domain::medical::RawDelegation;
use parcours_domain::transmission::{Category, RawTransmission};
use parcours_store::account::{UserRow, insert_user, replace_assignments};
use uuid::Uuid;

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

/// A nurse of the Glycines unit (not among the fixture's accounts).
async fn infirmiere(fx: &Fixture) -> Ctx {
    let (org, uid) = (fx.org.as_uuid(), Uuid::from_u128(910));
    let mut tx = fx.app.db.begin().await.unwrap();
    insert_user(
        &mut tx,
        &UserRow {
            organisation_id: org,
            id: uid,
            login: "ide.glycines".into(),
            first_name: "Nadia".into(),
            last_name: "Roux".into(),
            profession: "infirmier".into(),
            rpps: None,
            adeli: None,
            role: "infirmier".into(),
            active: true,
            password_hash: "-".into(),
            version: 1,
        },
        0,
    )
    .await
    .unwrap();
    replace_assignments(
        &mut tx,
        org,
        uid,
        &[(
            Uuid::from_u128(911),
            fx.ehpad.as_uuid(),
            Some(fx.glycines.as_uuid()),
        )],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    fx.ctx("ide.glycines").await
}

fn dar(cible: &str, category: &str, donnees: &str) -> RawTransmission {
    RawTransmission {
        cible: cible.into(),
        category: category.into(),
        donnees: donnees.into(),
        actions: "Antalgique donné selon la prescription".into(),
        ..RawTransmission::default()
    }
}

async fn audit_codes(fx: &Fixture, u: UsagerId) -> Vec<String> {
    parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), u.as_uuid(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn a_correction_is_a_new_version_and_the_original_stays_readable(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let u = resident(&fx, &dir, "Morel").await;
    // Refused: unknown cible, no données; nothing written.
    let e = fx
        .app
        .write_transmission(&aide, u, &dar("piscine", "soins", " "))
        .await
        .unwrap_err();
    let AppError::Validation(v) = e else {
        panic!("{e:?}")
    };
    assert!(v.get("cible").is_some() && v.get("donnees").is_some());
    let id = fx
        .app
        .write_transmission(&aide, u, &dar("douleur", "soins", "Douleur au genou droit"))
        .await
        .unwrap();
    fx.clock.advance(SignedDuration::from_mins(30));
    let mut fix = dar("douleur", "soins", "Douleur au genou gauche");
    fix.resultats = "Soulagée après 30 minutes".into();
    fix.important = "on".into();
    fix.reason = "Erreur de côté".into();
    // Without a reason: refused.
    let mut no_reason = fix.clone();
    no_reason.reason = String::new();
    assert!(matches!(
        fx.app.correct_transmission(&aide, id, 1, &no_reason).await,
        Err(AppError::Validation(_))
    ));
    assert_eq!(
        fx.app
            .correct_transmission(&aide, id, 1, &fix)
            .await
            .unwrap(),
        2
    );
    // Started from version 1 again: someone corrected meanwhile.
    assert!(matches!(
        fx.app.correct_transmission(&aide, id, 1, &fix).await,
        Err(AppError::Conflict)
    ));
    let list = fx.app.transmissions(&aide, u, None).await.unwrap();
    assert_eq!(list.items.len(), 1);
    let t = &list.items[0];
    assert_eq!(t.donnees, "Douleur au genou gauche");
    assert_eq!(t.version, 2);
    assert!(t.important);
    assert_eq!(t.cible_label, "Douleur");
    assert_eq!(t.written_by, "Karim Haddad");
    let h = fx.app.transmission_history(&aide, id).await.unwrap();
    assert_eq!(h.versions.len(), 2);
    assert_eq!(h.versions[0].donnees, "Douleur au genou droit");
    assert!(!h.versions[0].important);
    assert_eq!(h.versions[1].reason.as_deref(), Some("Erreur de côté"));
    assert!(h.can_correct);
    let codes = audit_codes(&fx, u).await;
    for c in [
        "transmission.ecriture",
        "transmission.correction",
        "transmission.consultation",
    ] {
        assert!(codes.contains(&c.to_string()), "{c}: {codes:?}");
    }
}

async fn a_persons_list_is_paginated_newest_first(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let u = resident(&fx, &dir, "Morel").await;
    for i in 0..25 {
        fx.app
            .write_transmission(&aide, u, &dar("sommeil", "soins", &format!("Nuit {i}")))
            .await
            .unwrap();
        fx.clock.advance(SignedDuration::from_mins(1));
    }
    let first = fx.app.transmissions(&aide, u, None).await.unwrap();
    assert_eq!(first.items.len(), 20);
    assert_eq!(first.items[0].donnees, "Nuit 24");
    let next = first.next.clone().unwrap();
    let second = fx.app.transmissions(&aide, u, Some(&next)).await.unwrap();
    assert_eq!(second.items.len(), 5);
    assert_eq!(second.items[4].donnees, "Nuit 0");
    assert!(second.next.is_none());
    assert!(
        fx.app
            .transmissions(&aide, u, Some("n'importe"))
            .await
            .is_err()
    );
}

async fn the_releve_shows_what_was_written_since_my_last_visit_with_read_receipts(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let ide = infirmiere(&fx).await;
    let u = resident(&fx, &dir, "Morel").await;
    let v = resident(&fx, &dir, "Bernard").await;
    let t1 = fx
        .app
        .write_transmission(&aide, u, &dar("sommeil", "soins", "Nuit agitée"))
        .await
        .unwrap();
    let mut chute = dar("chute", "soins", "Chute dans la salle de bain");
    chute.important = "on".into();
    let t2 = fx.app.write_transmission(&aide, v, &chute).await.unwrap();
    fx.clock.advance(SignedDuration::from_hours(1));
    // The nurse's first relève: the last 24 hours, important first.
    let r = fx.app.releve(&ide, None, None).await.unwrap();
    assert_eq!(r.unite, fx.glycines);
    assert_eq!(r.unite_name, "Les Glycines");
    assert_eq!(
        r.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![t2, t1]
    );
    assert_eq!(r.items[0].usager_name, "BERNARD Louise");
    assert_eq!(r.unread, 2);
    // One tap marks one as read; a second tap changes nothing.
    fx.app.mark_transmission_read(&ide, t2).await.unwrap();
    fx.app.mark_transmission_read(&ide, t2).await.unwrap();
    let r = fx.app.releve(&ide, None, None).await.unwrap();
    assert_eq!(r.unread, 1);
    assert_eq!(r.items[0].readers.len(), 1);
    assert_eq!(r.items[0].readers[0].name, "Nadia Roux");
    assert!(r.items[0].read_by_me);
    // The aide-soignant sees who has read what.
    let ra = fx.app.releve(&aide, Some(fx.glycines), None).await.unwrap();
    assert_eq!(ra.items[0].readers[0].name, "Nadia Roux");
    assert!(!ra.items[0].read_by_me);
    // "Tout marquer lu".
    assert_eq!(
        fx.app
            .mark_releve_read(&ide, fx.glycines, r.since)
            .await
            .unwrap(),
        1
    );
    assert_eq!(fx.app.releve(&ide, None, None).await.unwrap().unread, 0);
    // Next shift: only what was written since the previous visit.
    fx.clock.advance(SignedDuration::from_hours(10));
    let t3 = fx
        .app
        .write_transmission(&aide, u, &dar("alimentation", "soins", "N'a pas déjeuné"))
        .await
        .unwrap();
    fx.clock.advance(SignedDuration::from_hours(1));
    let r = fx.app.releve(&ide, None, None).await.unwrap();
    assert_eq!(r.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![t3]);
    // Reopened during the same visit: the same start.
    fx.clock.advance(SignedDuration::from_mins(20));
    let again = fx.app.releve(&ide, None, None).await.unwrap();
    assert_eq!(again.since, r.since);
    assert_eq!(again.items.len(), 1);
    // Or since a time chosen by the reader.
    let all = fx
        .app
        .releve(&ide, None, Some(r.since - SignedDuration::from_hours(24)))
        .await
        .unwrap();
    assert_eq!(all.items.len(), 3);
    // A unit the professional does not cover is refused.
    assert!(matches!(
        fx.app.releve(&ide, Some(fx.internat), None).await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
}

async fn a_medical_transmission_is_hidden_from_an_aide_soignant(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let ide = infirmiere(&fx).await;
    let u = resident(&fx, &dir, "Morel").await;
    let med = fx
        .app
        .write_transmission(
            &ide,
            u,
            &dar("sante", "medical", "Suspicion d'infection urinaire"),
        )
        .await
        .unwrap();
    fx.app
        .write_transmission(&aide, u, &dar("hygiene", "soins", "Toilette au lit"))
        .await
        .unwrap();
    // The aide-soignant may not write one.
    assert!(matches!(
        fx.app
            .write_transmission(&aide, u, &dar("sante", "medical", "x"))
            .await,
        Err(AppError::Forbidden(_))
    ));
    // Not listed, not counted, not openable.
    let list = fx.app.transmissions(&aide, u, None).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert!(list.items.iter().all(|i| i.category != Category::Medical));
    assert!(!list.writable.contains(&Category::Medical));
    let r = fx.app.releve(&aide, None, None).await.unwrap();
    assert_eq!(r.items.len(), 1);
    assert_eq!(r.unread, 1);
    assert!(matches!(
        fx.app.transmission_history(&aide, med).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        fx.app.mark_transmission_read(&aide, med).await,
        Err(AppError::Forbidden(_))
    ));
    // The nurse sees both, and may write medical ones.
    let list = fx.app.transmissions(&ide, u, None).await.unwrap();
    assert_eq!(list.items.len(), 2);
    assert!(list.writable.contains(&Category::Medical));
    let r = fx.app.releve(&ide, None, None).await.unwrap();
    assert_eq!(r.items.len(), 2);
    assert_eq!(
        fx.app
            .transmission_history(&ide, med)
            .await
            .unwrap()
            .versions[0]
            .donnees,
        "Suspicion d'infection urinaire"
    );
    // Nothing of it reaches the shared history of the record.
    let history =
        parcours_store::records::versions_of_usager(&fx.app.db, fx.org.as_uuid(), u.as_uuid(), 500)
            .await
            .unwrap();
    assert!(history.iter().all(|h| !h.snapshot.contains("infection")));
}

/// The relève decides for all its persons at once: a delegation or a break-the-glass opens one
/// person's medical transmissions to the aide-soignant, for its time only, and no one else's.
async fn the_releve_follows_temporary_medical_access(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let ide = infirmiere(&fx).await;
    let medecin = fx.ctx("medecin").await;
    let delegated = resident(&fx, &dir, "Durand").await;
    let other = resident(&fx, &dir, "Petit").await;
    for u in [delegated, other] {
        fx.app
            .write_transmission(&ide, u, &dar("sante", "medical", "Bilan sanguin"))
            .await
            .unwrap();
        fx.app
            .write_transmission(&aide, u, &dar("hygiene", "soins", "Toilette au lit"))
            .await
            .unwrap();
    }
    // A fixed start, so that every reading below covers the four transmissions.
    let since = Some(fx.app.now() - SignedDuration::from_hours(1));
    let releve = async || fx.app.releve(&aide, None, since).await.unwrap();
    let medical_of = |r: &parcours_app::transmission::Releve| -> Vec<UsagerId> {
        r.items
            .iter()
            .filter(|i| i.category == Category::Medical)
            .map(|i| i.usager)
            .collect()
    };
    let r = releve().await;
    assert_eq!(r.items.len(), 2);
    assert!(medical_of(&r).is_empty());
    fx.app
        .grant_medical_delegation(
            &medecin,
            delegated,
            &RawDelegation {
                delegate: aide.user().to_string(),
                starts_on: "2026-11-22".into(),
                ends_on: "2026-11-23".into(),
                reason: "Absence du médecin".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(medical_of(&releve().await), vec![delegated]);
    // After its end, nothing.
    fx.clock.advance(SignedDuration::from_hours(72));
    assert!(medical_of(&releve().await).is_empty());
    // Break-the-glass: the other person, for two hours.
    fx.app
        .break_the_glass(&aide, other, "Malaise, médecin injoignable")
        .await
        .unwrap();
    assert_eq!(medical_of(&releve().await), vec![other]);
    fx.clock.advance(SignedDuration::from_hours(3));
    let r = releve().await;
    assert!(medical_of(&r).is_empty());
    assert_eq!(r.items.len(), 2);
}

both!(
    correction_versions => a_correction_is_a_new_version_and_the_original_stays_readable,
    pagination => a_persons_list_is_paginated_newest_first,
    releve_since_last_visit => the_releve_shows_what_was_written_since_my_last_visit_with_read_receipts,
    medical_hidden => a_medical_transmission_is_hidden_from_an_aide_soignant,
    releve_temporary_medical => the_releve_follows_temporary_medical_access,
);
