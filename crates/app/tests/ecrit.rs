//! Écrits professionnels: visibility scopes, versions, withdrawal, validation and audit, on SQLite
//! and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use jiff::SignedDuration;
use parcours_app::ecrit::RawFilter;
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::authz::DenyReason;
use parcours_domain::ecrit::RawEcrit;
use parcours_domain::ids::{EcritId, UsagerId};
use parcours_domain::professional::Role;
use parcours_store::account::{UserRow, insert_user, replace_assignments};
use uuid::Uuid;

/// A young person of the DITEP's internat.
async fn jeune(fx: &Fixture, name: &str) -> UsagerId {
    let dir = fx.ctx("direction").await;
    let mut raw = identity(name, "Lucas", None);
    raw.sex = "M".into();
    raw.birth_date = "2012-04-09".into();
    fx.app
        .create_usager(
            &dir,
            &NewUsager {
                identity: raw,
                placement: fx.placement(fx.ditep, fx.internat),
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap()
}

/// A professional of the DITEP (not among the fixture's accounts), of any role and profession.
async fn pro(fx: &Fixture, n: u128, role: &str, profession: &str) -> Ctx {
    let (org, uid) = (fx.org.as_uuid(), Uuid::from_u128(5000 + n));
    let login = format!("pro{n}");
    let mut tx = fx.app.db.begin().await.unwrap();
    insert_user(
        &mut tx,
        &UserRow {
            organisation_id: org,
            id: uid,
            login: login.clone(),
            first_name: format!("Pro{n}"),
            last_name: "Test".into(),
            profession: profession.into(),
            rpps: None,
            adeli: None,
            role: role.into(),
            active: true,
            password_hash: "-".into(),
            version: 1,
        },
        0,
    )
    .await
    .unwrap();
    let assignments = if role == "administrateur" {
        vec![]
    } else {
        vec![(Uuid::from_u128(6000 + n), fx.ditep.as_uuid(), None)]
    };
    replace_assignments(&mut tx, org, uid, &assignments)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    fx.ctx(&login).await
}

fn note(kind: &str, title: &str, scope: &str) -> RawEcrit {
    RawEcrit {
        kind: kind.into(),
        title: title.into(),
        text: format!("Contenu de « {title} »."),
        event_date: "2026-11-20".into(),
        scope: scope.into(),
        reason: String::new(),
    }
}

async fn visible(fx: &Fixture, ctx: &Ctx, u: UsagerId) -> Result<BTreeSet<EcritId>, AppError> {
    Ok(fx
        .app
        .ecrits(ctx, u, &RawFilter::default(), None)
        .await?
        .items
        .into_iter()
        .map(|e| e.id)
        .collect())
}

async fn audit_events(fx: &Fixture, u: UsagerId) -> Vec<(String, String)> {
    parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), u.as_uuid(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

/// Who reads the care record, written independently of the gate's table.
fn reads_care_record(role: Role) -> bool {
    !matches!(role, Role::Administrateur | Role::Secretariat)
}

/// Every role × every scope × a reader of the author's profession or of another one, plus the
/// author, for authors of two professions: the list, the note page and the SQL filter agree with
/// the expected table.
async fn every_role_and_scope_sees_exactly_what_the_scope_allows(fx: Fixture) {
    let mut n = 0;
    let mut u = None;
    for (author_role, author_profession, other_profession) in [
        ("psychologue", "psychologue", "educateur_specialise"),
        ("educateur", "educateur_specialise", "psychologue"),
    ] {
        n += 1;
        // One person per author, so each list holds that author's three notes only.
        let person = jeune(&fx, if n == 1 { "Garcia" } else { "Guerin" }).await;
        u = Some(person);
        let u = person;
        let author = pro(&fx, 100 * n, author_role, author_profession).await;
        let mut notes = Vec::new();
        for scope in ["equipe", "encadrement", "profession"] {
            let id = fx
                .app
                .write_ecrit(&author, u, &note("note_observation", scope, scope))
                .await
                .unwrap();
            notes.push((scope, id));
        }
        // The author reads all three.
        let all: BTreeSet<_> = notes.iter().map(|(_, id)| *id).collect();
        assert_eq!(visible(&fx, &author, u).await.unwrap(), all);
        for (i, role) in Role::ALL.iter().enumerate() {
            for same in [true, false] {
                let profession = if same {
                    author_profession
                } else {
                    other_profession
                };
                let reader = pro(
                    &fx,
                    100 * n + 2 * i as u128 + u128::from(same) + 1,
                    role.code(),
                    profession,
                )
                .await;
                let got = visible(&fx, &reader, u).await;
                if !reads_care_record(*role) {
                    assert!(
                        matches!(got, Err(AppError::Forbidden(DenyReason::RoleNotAllowed))),
                        "{role:?}: {got:?}"
                    );
                    continue;
                }
                let got = got.unwrap();
                let manager = matches!(role, Role::Direction | Role::ChefDeService);
                for (scope, id) in &notes {
                    let expected = match *scope {
                        "equipe" => true,
                        "encadrement" => same || manager,
                        _ => same,
                    };
                    assert_eq!(
                        got.contains(id),
                        expected,
                        "{scope} note of a {author_profession}, read by {role:?} same={same}"
                    );
                    let page = fx.app.ecrit_history(&reader, u, *id).await;
                    if expected {
                        assert_eq!(page.unwrap().ecrit.id, *id);
                    } else {
                        assert!(matches!(page, Err(AppError::NotFound)), "{page:?}");
                    }
                }
            }
        }
    }
    // A professional of the other establishment sees nothing, not even that notes exist.
    let u = u.unwrap();
    let medecin = fx.ctx("medecin").await;
    assert!(matches!(
        visible(&fx, &medecin, u).await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
}

async fn a_correction_is_a_new_version_and_may_only_narrow_the_scope(fx: Fixture) {
    let u = jeune(&fx, "Lambert").await;
    let psy = fx.ctx("psy.ditep").await;
    let psy2 = fx.ctx("psy2.ditep").await;
    let educ = fx.ctx("educ.internat").await;
    let id = fx
        .app
        .write_ecrit(
            &psy,
            u,
            &note("compte_rendu_entretien", "Entretien du 20/11", "equipe"),
        )
        .await
        .unwrap();
    assert!(visible(&fx, &educ, u).await.unwrap().contains(&id));
    fx.clock.advance(SignedDuration::from_hours(2));
    let mut fix = note(
        "bilan_psychologique",
        "Entretien du 20/11 (confidentiel)",
        "profession",
    );
    fix.text = "Éléments qui relèvent de la psychologue.".into();
    // A reason is required.
    let e = fx
        .app
        .correct_ecrit(&psy, u, id, 1, &fix)
        .await
        .unwrap_err();
    let AppError::Validation(v) = e else {
        panic!("{e:?}")
    };
    assert_eq!(v.get("reason"), Some("Indiquez le motif de la correction."));
    fix.reason = "Contenu réservé aux psychologues".into();
    // Only the author corrects.
    assert!(matches!(
        fx.app.correct_ecrit(&psy2, u, id, 1, &fix).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(fx.app.correct_ecrit(&psy, u, id, 1, &fix).await.unwrap(), 2);
    // Started from version 1 again: someone corrected meanwhile.
    let mut again = fix.clone();
    again.title = "Autre titre".into();
    assert!(matches!(
        fx.app.correct_ecrit(&psy, u, id, 1, &again).await,
        Err(AppError::Conflict)
    ));
    // Narrowed: the éducateur no longer sees it, anywhere.
    assert!(visible(&fx, &educ, u).await.unwrap().is_empty());
    assert!(matches!(
        fx.app.ecrit_history(&educ, u, id).await,
        Err(AppError::NotFound)
    ));
    // The other psychologue reads both versions.
    let h = fx.app.ecrit_history(&psy2, u, id).await.unwrap();
    assert_eq!(h.versions.len(), 2);
    assert_eq!(h.versions[0].title, "Entretien du 20/11");
    assert_eq!(h.versions[0].scope.code(), "equipe");
    assert_eq!(
        h.versions[1].reason.as_deref(),
        Some("Contenu réservé aux psychologues")
    );
    assert_eq!(h.ecrit.version, 2);
    assert_eq!(h.ecrit.kind_label, "Bilan psychologique");
    assert_eq!(h.ecrit.author_profession_label, "Psychologue");
    assert!(!h.can_correct && !h.can_withdraw);
    let mine = fx.app.ecrit_history(&psy, u, id).await.unwrap();
    assert!(mine.can_correct && mine.can_withdraw);
    assert_eq!(
        mine.scopes.iter().map(|s| s.code()).collect::<Vec<_>>(),
        ["profession"]
    );
    // Widening is refused.
    let mut wide = fix.clone();
    wide.scope = "equipe".into();
    let e = fx
        .app
        .correct_ecrit(&psy, u, id, 2, &wide)
        .await
        .unwrap_err();
    let AppError::Validation(v) = e else {
        panic!("{e:?}")
    };
    assert!(
        v.get("scope")
            .unwrap()
            .contains("seulement être restreinte")
    );
    // Nothing changed: refused.
    assert!(matches!(
        fx.app.correct_ecrit(&psy, u, id, 2, &fix).await,
        Err(AppError::Validation(_))
    ));
    // A note of another person addressed under this one's URL: not found.
    let other = jeune(&fx, "Perrin").await;
    assert!(matches!(
        fx.app.ecrit_history(&psy, other, id).await,
        Err(AppError::NotFound)
    ));
}

async fn a_withdrawn_note_stays_readable_marked_withdrawn(fx: Fixture) {
    let u = jeune(&fx, "Roussel").await;
    let educ = fx.ctx("educ.internat").await;
    let psy = fx.ctx("psy.ditep").await;
    let cds = fx.ctx("cds.ditep").await;
    let a = fx
        .app
        .write_ecrit(
            &educ,
            u,
            &note("note_incident", "Incident au repas", "equipe"),
        )
        .await
        .unwrap();
    let b = fx
        .app
        .write_ecrit(
            &educ,
            u,
            &note("note_observation", "Sortie au parc", "equipe"),
        )
        .await
        .unwrap();
    // A reader who is neither the author nor the encadrement cannot withdraw.
    assert!(matches!(
        fx.app
            .withdraw_ecrit(&psy, u, a, 1, "Erreur de dossier")
            .await,
        Err(AppError::Forbidden(_))
    ));
    // A reason is required.
    let e = fx
        .app
        .withdraw_ecrit(&educ, u, a, 1, "  ")
        .await
        .unwrap_err();
    let AppError::Validation(v) = e else {
        panic!("{e:?}")
    };
    assert_eq!(
        v.get("reason"),
        Some("Indiquez pourquoi cet écrit est retiré.")
    );
    fx.app
        .withdraw_ecrit(&educ, u, a, 1, "Écrit dans le dossier d'un autre jeune")
        .await
        .unwrap();
    // The chef de service withdraws the other one.
    fx.app
        .withdraw_ecrit(&cds, u, b, 1, "Doublon d'une transmission")
        .await
        .unwrap();
    // Still listed, marked withdrawn, for everyone who could read it.
    let list = fx
        .app
        .ecrits(&psy, u, &RawFilter::default(), None)
        .await
        .unwrap();
    assert_eq!(list.items.len(), 2);
    let wa = list.items.iter().find(|e| e.id == a).unwrap();
    let w = wa.withdrawn.as_ref().unwrap();
    assert_eq!(w.reason, "Écrit dans le dossier d'un autre jeune");
    assert_eq!(w.by, "Thomas Petit");
    let wb = list.items.iter().find(|e| e.id == b).unwrap();
    assert_eq!(wb.withdrawn.as_ref().unwrap().by, "Nadia Benali");
    // No correction, no second withdrawal.
    let mut fix = note("note_incident", "Incident au repas de midi", "equipe");
    fix.reason = "Précision".into();
    assert!(matches!(
        fx.app.correct_ecrit(&educ, u, a, 1, &fix).await,
        Err(AppError::Validation(_))
    ));
    assert!(matches!(
        fx.app.withdraw_ecrit(&educ, u, a, 1, "Encore").await,
        Err(AppError::Validation(_))
    ));
    let h = fx.app.ecrit_history(&educ, u, a).await.unwrap();
    assert!(h.ecrit.withdrawn.is_some() && !h.can_correct && !h.can_withdraw);
    let codes: Vec<_> = audit_events(&fx, u)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(codes.iter().filter(|c| *c == "ecrit.retrait").count(), 2);
}

async fn bad_input_is_refused_in_french_and_nothing_is_written(fx: Fixture) {
    let u = jeune(&fx, "Fabre").await;
    let educ = fx.ctx("educ.internat").await;
    // The fixture's clock: 22/11/2026 in Paris.
    let mut raw = note("poeme", " ", "tous");
    raw.text = String::new();
    raw.event_date = "2026-11-23".into();
    let e = fx.app.write_ecrit(&educ, u, &raw).await.unwrap_err();
    let AppError::Validation(v) = e else {
        panic!("{e:?}")
    };
    assert_eq!(
        v.get("kind"),
        Some("Cette valeur ne fait pas partie de la liste.")
    );
    assert_eq!(v.get("title"), Some("Donnez un titre à l'écrit."));
    assert_eq!(v.get("text"), Some("Rédigez le contenu de l'écrit."));
    assert_eq!(
        v.get("event_date"),
        Some("La date de l'événement ne peut pas être dans le futur.")
    );
    assert_eq!(v.get("scope"), Some("Choisissez qui peut lire cet écrit."));
    let mut raw = note("note_observation", "Titre", "equipe");
    raw.event_date = "2026-02-30".into();
    assert!(matches!(
        fx.app.write_ecrit(&educ, u, &raw).await,
        Err(AppError::Validation(_))
    ));
    // Today is accepted.
    let mut raw = note("note_observation", "Aujourd'hui", "equipe");
    raw.event_date = "2026-11-22".into();
    fx.app.write_ecrit(&educ, u, &raw).await.unwrap();
    assert_eq!(visible(&fx, &educ, u).await.unwrap().len(), 1);
    // The secretariat may not write (nor read) notes.
    let sec = fx.ctx("secretariat").await;
    assert!(matches!(
        fx.app
            .write_ecrit(&sec, u, &note("note_observation", "x", "equipe"))
            .await,
        Err(AppError::Forbidden(_))
    ));
    // A bad filter or cursor is a French message, not a crash.
    let bad = RawFilter {
        kind: "poeme".into(),
        profession: String::new(),
    };
    assert!(matches!(
        fx.app.ecrits(&educ, u, &bad, None).await,
        Err(AppError::Validation(_))
    ));
    assert!(matches!(
        fx.app
            .ecrits(&educ, u, &RawFilter::default(), Some("x"))
            .await,
        Err(AppError::Validation(_))
    ));
}

async fn lists_are_paginated_newest_first_and_filtered(fx: Fixture) {
    let u = jeune(&fx, "Marchand").await;
    let educ = fx.ctx("educ.internat").await;
    let psy = fx.ctx("psy.ditep").await;
    for i in 0..22 {
        fx.clock.advance(SignedDuration::from_mins(5));
        let who = if i % 2 == 0 { &educ } else { &psy };
        let kind = if i % 2 == 0 {
            "note_observation"
        } else {
            "bilan_psychologique"
        };
        fx.app
            .write_ecrit(who, u, &note(kind, &format!("Écrit {i}"), "equipe"))
            .await
            .unwrap();
    }
    // A psychologue's private note: never counted for the éducateur.
    fx.app
        .write_ecrit(&psy, u, &note("bilan_psychologique", "Privé", "profession"))
        .await
        .unwrap();
    let first = fx
        .app
        .ecrits(&educ, u, &RawFilter::default(), None)
        .await
        .unwrap();
    assert_eq!(first.items.len(), 20);
    assert_eq!(first.items[0].title, "Écrit 21");
    assert!(first.can_write);
    let second = fx
        .app
        .ecrits(&educ, u, &RawFilter::default(), first.next.as_deref())
        .await
        .unwrap();
    assert_eq!(second.items.len(), 2);
    assert_eq!(second.items[1].title, "Écrit 0");
    assert!(second.next.is_none());
    // By type, by the author's profession.
    let by_type = fx
        .app
        .ecrits(
            &educ,
            u,
            &RawFilter {
                kind: "bilan_psychologique".into(),
                profession: String::new(),
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(by_type.items.len(), 11);
    let by_profession = fx
        .app
        .ecrits(
            &psy,
            u,
            &RawFilter {
                kind: String::new(),
                profession: "psychologue".into(),
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(by_profession.items.len(), 12);
    assert_eq!(by_profession.items[0].title, "Privé");
    assert!(
        by_profession
            .items
            .iter()
            .all(|e| e.author_profession == "psychologue")
    );
}

async fn every_read_and_write_is_audited_without_the_content(fx: Fixture) {
    let u = jeune(&fx, "Girard").await;
    let psy = fx.ctx("psy.ditep").await;
    let educ = fx.ctx("educ.internat").await;
    let id = fx
        .app
        .write_ecrit(
            &psy,
            u,
            &note("bilan_psychologique", "Bilan confidentiel", "profession"),
        )
        .await
        .unwrap();
    fx.app
        .ecrits(&psy, u, &RawFilter::default(), None)
        .await
        .unwrap();
    fx.app.ecrit_history(&psy, u, id).await.unwrap();
    let mut fix = note(
        "bilan_psychologique",
        "Bilan confidentiel (v2)",
        "profession",
    );
    fix.reason = "Complément".into();
    fx.app.correct_ecrit(&psy, u, id, 1, &fix).await.unwrap();
    fx.app
        .withdraw_ecrit(&psy, u, id, 2, "Rédigé trop tôt")
        .await
        .unwrap();
    // The éducateur tries the note's address: refused, and traced.
    assert!(matches!(
        fx.app.ecrit_history(&educ, u, id).await,
        Err(AppError::NotFound)
    ));
    let events = audit_events(&fx, u).await;
    let codes: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    for code in [
        "ecrit.ecriture",
        "ecrit.consultation",
        "ecrit.correction",
        "ecrit.retrait",
        "acces.refuse",
    ] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
    let id_text = id.to_string();
    for (code, detail) in &events {
        if code.starts_with("ecrit.") || code == "acces.refuse" {
            assert!(!detail.contains("Bilan"), "{code}: {detail}");
            assert!(!detail.contains("Contenu"), "{code}: {detail}");
            assert!(!detail.contains("Rédigé trop tôt"), "{code}: {detail}");
        }
    }
    assert!(
        events
            .iter()
            .any(|(c, d)| c == "acces.refuse" && d.contains(&id_text))
    );
}

both!(
    scope_matrix => every_role_and_scope_sees_exactly_what_the_scope_allows,
    versions_and_scope => a_correction_is_a_new_version_and_may_only_narrow_the_scope,
    withdrawal => a_withdrawn_note_stays_readable_marked_withdrawn,
    validation => bad_input_is_refused_in_french_and_nothing_is_written,
    pagination_filters => lists_are_paginated_newest_first_and_filtered,
    audit => every_read_and_write_is_audited_without_the_content,
);
