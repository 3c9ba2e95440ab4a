//! The cahier de liaison, on SQLite and PostgreSQL: scoping of unit, team and person messages,
//! read receipts, follow-up items, versions, removal and validation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use jiff::SignedDuration;
use parcours_app::liaison::NotebookFilter;
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::authz::DenyReason;
use parcours_domain::ids::UsagerId;
use parcours_domain::liaison::{RawMessage, RawSuivi};
use parcours_store::account::{UserRow, insert_user, replace_assignments};
use uuid::Uuid;

/// An AES of the Lilas unit (not among the fixture's accounts).
async fn aes_lilas(fx: &Fixture) -> Ctx {
    let (org, uid) = (fx.org.as_uuid(), Uuid::from_u128(920));
    let mut tx = fx.app.db.begin().await.unwrap();
    insert_user(
        &mut tx,
        &UserRow {
            organisation_id: org,
            id: uid,
            login: "aes.lilas".into(),
            first_name: "Fatou".into(),
            last_name: "Diallo".into(),
            profession: "aide_soignant".into(),
            rpps: None,
            adeli: None,
            role: "aide_soignant".into(),
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
            Uuid::from_u128(921),
            fx.ehpad.as_uuid(),
            Some(fx.lilas.as_uuid()),
        )],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    fx.ctx("aes.lilas").await
}

async fn resident(fx: &Fixture) -> UsagerId {
    let dir = fx.ctx("direction").await;
    let mut raw = identity("Morel", "Louise", None);
    raw.birth_date = "1940-05-04".into();
    fx.app
        .create_usager(
            &dir,
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

fn message(destination: String, subject: &str) -> RawMessage {
    RawMessage {
        destination,
        subject: subject.into(),
        body: "Le kinésithérapeute passe jeudi à 14 h au lieu de mardi.".into(),
        ..RawMessage::default()
    }
}

fn all() -> NotebookFilter {
    NotebookFilter::default()
}

async fn a_unit_message_is_seen_and_counted_only_in_its_unit(fx: Fixture) {
    let aide = fx.ctx("as.glycines").await;
    let lilas = aes_lilas(&fx).await;
    let mut raw = message(format!("unite:{}", fx.glycines), "Kiné déplacé");
    raw.suivis = vec![RawSuivi {
        texte: "Prévenir la famille de Mme Morel".into(),
        echeance: "2026-11-24".into(),
        ..RawSuivi::default()
    }];
    let id = fx.app.write_liaison(&aide, &raw).await.unwrap();

    // Whoever covers the unit: assigned to it, or to the whole establishment.
    for login in ["direction", "medecin"] {
        let ctx = fx.ctx(login).await;
        let nb = fx.app.notebook(&ctx, &all()).await.unwrap();
        assert_eq!(nb.items.len(), 1, "{login}");
        assert_eq!(nb.unread, 1, "{login}");
        assert_eq!(
            nb.items[0].destination_label,
            "Les Glycines — EHPAD Les Tilleuls"
        );
        assert_eq!(nb.open_suivis.len(), 1);
        assert_eq!(nb.open_suivis[0].echeance_fr.as_deref(), Some("24/11/2026"));
    }
    // Another unit, another establishment: never listed, never counted, refused by id.
    for ctx in [lilas.clone(), fx.ctx("educ.internat").await] {
        let nb = fx.app.notebook(&ctx, &all()).await.unwrap();
        assert!(nb.items.is_empty());
        assert_eq!(nb.unread, 0);
        assert!(nb.open_suivis.is_empty());
        assert!(matches!(
            fx.app.liaison_message(&ctx, id).await,
            Err(AppError::Forbidden(DenyReason::OutOfScope))
        ));
        assert!(matches!(
            fx.app.mark_liaison_read(&ctx, id).await,
            Err(AppError::Forbidden(_))
        ));
    }
    // One writes only where one works.
    assert!(matches!(
        fx.app
            .write_liaison(
                &lilas,
                &message(format!("unite:{}", fx.glycines), "Hors unité")
            )
            .await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
    let choices = fx.app.liaison_destinations(&lilas).await.unwrap();
    assert!(
        choices
            .iter()
            .any(|c| c.label == "Les Lilas — EHPAD Les Tilleuls")
    );
    assert!(!choices.iter().any(|c| c.label.starts_with("Les Glycines")));
    // Administrators do not use the notebook.
    let admin = fx.ctx("admin").await;
    assert!(matches!(
        fx.app.notebook(&admin, &all()).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
}

async fn a_team_message_reaches_its_members_and_the_encadrement(fx: Fixture) {
    let aide = fx.ctx("as.glycines").await;
    let dest = format!("equipe:{}:administrative", fx.ehpad);
    let id = fx
        .app
        .write_liaison(&aide, &message(dest.clone(), "Mutuelle de M. Blanc"))
        .await
        .unwrap();
    let count = |login: &'static str| {
        let fx = &fx;
        async move {
            let ctx = fx.ctx(login).await;
            fx.app.notebook(&ctx, &all()).await.unwrap().items.len()
        }
    };
    assert_eq!(count("secretariat").await, 1, "the administrative team");
    assert_eq!(
        count("direction").await,
        1,
        "the encadrement reads every team"
    );
    assert_eq!(count("medecin").await, 0, "not the care team");
    assert_eq!(count("educ.internat").await, 0, "not another establishment");
    assert_eq!(count("as.glycines").await, 1, "its author");
    let med = fx.ctx("medecin").await;
    assert!(fx.app.liaison_message(&med, id).await.is_err());
    // A unit assignment is enough to write to the establishment's teams, not to another one's.
    let educ = fx.ctx("educ.internat").await;
    assert!(matches!(
        fx.app.write_liaison(&educ, &message(dest, "x")).await,
        Err(AppError::Forbidden(_))
    ));
    fx.app
        .write_liaison(
            &educ,
            &message(
                format!("equipe:{}:etablissement", fx.ditep),
                "Fête de l'internat",
            ),
        )
        .await
        .unwrap();
    assert_eq!(count("direction").await, 2);
    assert_eq!(
        count("secretariat").await,
        1,
        "the secretariat does not work at the DITEP here"
    );
}

async fn a_person_message_follows_the_persons_gate(fx: Fixture) {
    let u = resident(&fx).await;
    let aide = fx.ctx("as.glycines").await;
    let id = fx
        .app
        .write_liaison(
            &aide,
            &message(format!("usager:{u}"), "Rendez-vous coiffeur"),
        )
        .await
        .unwrap();
    let med = fx.ctx("medecin").await;
    let nb = fx.app.notebook(&med, &all()).await.unwrap();
    assert_eq!(nb.items.len(), 1);
    assert_eq!(nb.items[0].destination_label, "MOREL Louise");
    let page = fx.app.person_liaison(&med, u).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.unread, 1);
    // The secretariat does not read the care record; the internat's educator is out of scope.
    for login in ["secretariat", "educ.internat"] {
        let ctx = fx.ctx(login).await;
        assert!(
            fx.app
                .notebook(&ctx, &all())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert!(matches!(
            fx.app.person_liaison(&ctx, u).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(fx.app.liaison_message(&ctx, id).await.is_err());
        assert!(
            fx.app
                .write_liaison(&ctx, &message(format!("usager:{u}"), "x"))
                .await
                .is_err()
        );
    }
}

async fn read_receipts_and_follow_ups_are_dated_events(fx: Fixture) {
    let aide = fx.ctx("as.glycines").await;
    let mut raw = message(format!("unite:{}", fx.glycines), "Matériel");
    raw.important = "on".into();
    raw.suivis = vec![
        RawSuivi {
            texte: "Commander des alèses".into(),
            assigne: Uuid::from_u128(100 + 4).to_string(),
            ..RawSuivi::default()
        },
        RawSuivi::default(),
    ];
    // The fixture's account ids are not known here: take the assignee from the choices.
    let dir = fx.ctx("direction").await;
    let choices = fx.app.liaison_assignees(&dir).await.unwrap();
    let karim = choices.iter().find(|c| c.name == "Karim Haddad").unwrap();
    raw.suivis[0].assigne = karim.id.to_string();
    assert!(!choices.iter().any(|c| c.name == "Alice Admin"));
    let id = fx.app.write_liaison(&aide, &raw).await.unwrap();
    fx.clock.advance(SignedDuration::from_mins(30));
    fx.app
        .write_liaison(
            &aide,
            &message(format!("unite:{}", fx.glycines), "Ordinaire"),
        )
        .await
        .unwrap();

    // Unread first, important first among them.
    let nb = fx.app.notebook(&dir, &all()).await.unwrap();
    assert_eq!(nb.unread, 2);
    assert_eq!(nb.items[0].subject, "Matériel");
    fx.app.mark_liaison_read(&dir, id).await.unwrap();
    fx.app.mark_liaison_read(&dir, id).await.unwrap();
    let nb = fx.app.notebook(&dir, &all()).await.unwrap();
    assert_eq!(nb.unread, 1);
    assert_eq!(nb.items[0].subject, "Ordinaire", "unread first");
    let read = &nb.items[1];
    assert_eq!(read.readers.len(), 1, "a second tap changes nothing");
    assert_eq!(read.readers[0].name, "Hélène Garnier");
    let unread_only = NotebookFilter {
        unread_only: true,
        ..NotebookFilter::default()
    };
    assert_eq!(
        fx.app
            .notebook(&dir, &unread_only)
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // The follow-up item: done by one, undone by another; every change stays.
    let s = &read.suivis[0];
    assert_eq!(read.suivis.len(), 1, "blank items are ignored");
    assert_eq!(s.assigne.as_deref(), Some("Karim Haddad"));
    let med = fx.ctx("medecin").await;
    fx.app.set_liaison_suivi(&med, s.id, true, 0).await.unwrap();
    assert!(matches!(
        fx.app.set_liaison_suivi(&dir, s.id, true, 1).await,
        Err(AppError::Validation(_))
    ));
    assert!(matches!(
        fx.app.set_liaison_suivi(&dir, s.id, false, 0).await,
        Err(AppError::Conflict)
    ));
    let open = NotebookFilter {
        open_only: true,
        ..NotebookFilter::default()
    };
    assert!(fx.app.notebook(&dir, &open).await.unwrap().items.is_empty());
    fx.clock.advance(SignedDuration::from_mins(5));
    fx.app
        .set_liaison_suivi(&dir, s.id, false, 1)
        .await
        .unwrap();
    let d = fx.app.liaison_message(&dir, id).await.unwrap();
    let s = &d.message.suivis[0];
    assert!(!s.done);
    assert_eq!(s.history.len(), 2);
    assert!(s.history[0].done);
    assert_eq!(s.history[0].by, "Paul Lefèvre");
    assert_eq!(s.history[1].by, "Hélène Garnier");
    assert_eq!(fx.app.notebook(&dir, &open).await.unwrap().items.len(), 1);
    // Out of scope: the Lilas AES cannot tick it.
    let lilas = aes_lilas(&fx).await;
    assert!(
        fx.app
            .set_liaison_suivi(&lilas, s.id, true, 2)
            .await
            .is_err()
    );
}

async fn a_correction_keeps_the_old_version_and_a_removal_its_reason(fx: Fixture) {
    let aide = fx.ctx("as.glycines").await;
    let id = fx
        .app
        .write_liaison(&aide, &message(format!("unite:{}", fx.glycines), "Kiné"))
        .await
        .unwrap();
    let mut fix = message(String::new(), "Kiné déplacé");
    fix.reason = "Précision du sujet".into();
    let med = fx.ctx("medecin").await;
    assert!(matches!(
        fx.app.correct_liaison(&med, id, 1, &fix).await,
        Err(AppError::Forbidden(_))
    ));
    let mut no_reason = fix.clone();
    no_reason.reason.clear();
    assert!(matches!(
        fx.app.correct_liaison(&aide, id, 1, &no_reason).await,
        Err(AppError::Validation(_))
    ));
    assert_eq!(fx.app.correct_liaison(&aide, id, 1, &fix).await.unwrap(), 2);
    assert!(matches!(
        fx.app.correct_liaison(&aide, id, 1, &fix).await,
        Err(AppError::Conflict)
    ));
    let d = fx.app.liaison_message(&med, id).await.unwrap();
    assert_eq!(d.message.subject, "Kiné déplacé");
    assert_eq!(d.versions.len(), 2);
    assert_eq!(d.versions[0].subject, "Kiné");
    assert_eq!(d.versions[1].reason.as_deref(), Some("Précision du sujet"));
    assert!(
        !d.can_correct && !d.can_remove,
        "a physician neither corrects nor removes"
    );

    // Removed by the encadrement with a reason: out of the lists, still readable by id.
    let dir = fx.ctx("direction").await;
    assert!(matches!(
        fx.app.remove_liaison(&dir, id, "  ").await,
        Err(AppError::Validation(_))
    ));
    fx.app
        .remove_liaison(&dir, id, "Doublon du message d'hier")
        .await
        .unwrap();
    assert!(matches!(
        fx.app.remove_liaison(&aide, id, "encore").await,
        Err(AppError::Conflict)
    ));
    assert!(
        fx.app
            .notebook(&med, &all())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let d = fx.app.liaison_message(&med, id).await.unwrap();
    let removed = d.message.removed.unwrap();
    assert_eq!(removed.reason, "Doublon du message d'hier");
    assert_eq!(removed.by, "Hélène Garnier");
    assert!(fx.app.correct_liaison(&aide, id, 2, &fix).await.is_err());
}

async fn bad_input_is_refused_in_french_and_writes_nothing(fx: Fixture) {
    let aide = fx.ctx("as.glycines").await;
    let raw = RawMessage {
        destination: "salle:12".into(),
        subject: "".into(),
        body: " ".into(),
        suivis: vec![RawSuivi {
            echeance: "31/02/2026".into(),
            ..RawSuivi::default()
        }],
        ..RawMessage::default()
    };
    let Err(AppError::Validation(e)) = fx.app.write_liaison(&aide, &raw).await else {
        panic!("refused")
    };
    assert!(
        e.get("destination")
            .unwrap()
            .starts_with("Choisissez un destinataire")
    );
    assert_eq!(e.get("subject"), Some("Ce champ est obligatoire."));
    assert_eq!(e.get("body"), Some("Écrivez le message."));
    assert_eq!(e.get("suivi_1_texte"), Some("Décrivez ce qui est à faire."));
    assert!(e.get("suivi_1_echeance").is_some());
    // A valid message with an unknown assignee: refused as a whole.
    let mut raw = message(format!("unite:{}", fx.glycines), "Sujet");
    raw.suivis = vec![RawSuivi {
        texte: "Faire".into(),
        assigne: Uuid::from_u128(999_999).to_string(),
        ..RawSuivi::default()
    }];
    let Err(AppError::Validation(e)) = fx.app.write_liaison(&aide, &raw).await else {
        panic!("refused")
    };
    assert!(e.get("suivi_1_assigne").is_some());
    assert!(
        fx.app
            .notebook(&aide, &all())
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

both!(
    unit_scope => a_unit_message_is_seen_and_counted_only_in_its_unit,
    team_scope => a_team_message_reaches_its_members_and_the_encadrement,
    person_scope => a_person_message_follows_the_persons_gate,
    receipts_and_follow_ups => read_receipts_and_follow_ups_are_dated_events,
    versions_and_removal => a_correction_keeps_the_old_version_and_a_removal_its_reason,
    validation => bad_input_is_refused_in_french_and_writes_nothing,
);
