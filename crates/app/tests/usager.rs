//! Persons' identity use cases, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::AppError;
use parcours_app::domain::authz::DenyReason;
use parcours_app::domain::rniv::IdentityStatus;
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::{NewUsager, StatusChange};

fn new(fx: &Fixture, raw: parcours_app::domain::identity::RawIdentity) -> NewUsager {
    NewUsager {
        identity: raw,
        placement: fx.placement(fx.ehpad, fx.glycines),
        local_id: String::new(),
        confirm_not_duplicate: false,
    }
}

async fn audit_actions(fx: &Fixture, usager: parcours_app::domain::ids::UsagerId) -> Vec<String> {
    parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), usager.as_uuid(), None, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn creates_a_provisional_person_and_traces_it(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let id = fx
        .app
        .create_usager(&ctx, &new(&fx, identity("Dupont", "Marie", Some(123))))
        .await
        .unwrap();
    let r = fx.app.get_usager(&ctx, id).await.unwrap();
    assert_eq!(r.status, IdentityStatus::Provisoire);
    assert_eq!(r.version, 1);
    assert_eq!(r.identity.display_name(), "DUPONT Marie");
    assert!(
        !r.ins_shareable(),
        "an INS is not shareable before the identity is qualified"
    );
    assert_eq!(
        audit_actions(&fx, id).await,
        vec!["usager.consultation", "usager.creation"]
    );
    let direction = fx.ctx("direction").await;
    let history = fx.app.access_history(&direction, id, None).await.unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.professional == "Isabelle Mercier" && e.action_label == "Création")
    );
}

async fn refuses_a_wrong_nir_key_and_writes_nothing(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let mut raw = identity("Dupont", "Marie", Some(123));
    raw.ins_matricule.replace_range(13..15, "00");
    let err = fx
        .app
        .create_usager(&ctx, &new(&fx, raw))
        .await
        .unwrap_err();
    let AppError::Validation(errors) = err else {
        panic!("expected a validation error, got {err:?}")
    };
    assert_eq!(
        errors.get("ins_matricule"),
        Some("La clé du matricule INS est incorrecte : vérifiez la saisie.")
    );
    assert_eq!(
        parcours_store::usager::count(&fx.app.db, fx.org.as_uuid())
            .await
            .unwrap(),
        0
    );
}

async fn refuses_a_future_birth_date_and_missing_strict_traits(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let mut raw = identity("", "Marie", None);
    raw.birth_date = "2030-01-01".into();
    raw.sex.clear();
    let AppError::Validation(errors) = fx
        .app
        .create_usager(&ctx, &new(&fx, raw))
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        errors.get("birth_date"),
        Some("La date de naissance ne peut pas être dans le futur.")
    );
    assert_eq!(
        errors.get("birth_name"),
        Some("Le nom de naissance est obligatoire (trait strict).")
    );
    assert!(errors.get("sex").is_some());
    assert_eq!(
        parcours_store::usager::count(&fx.app.db, fx.org.as_uuid())
            .await
            .unwrap(),
        0
    );
}

async fn asks_confirmation_for_possible_duplicates(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    fx.app
        .create_usager(&ctx, &new(&fx, identity("Lefèvre", "Hélène", None)))
        .await
        .unwrap();
    let again = new(&fx, identity("LEFEVRE", "helene", None));
    let AppError::PossibleDuplicates(d) = fx.app.create_usager(&ctx, &again).await.unwrap_err()
    else {
        panic!()
    };
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].display_name, "LEFÈVRE Hélène");
    assert_eq!(
        parcours_store::usager::count(&fx.app.db, fx.org.as_uuid())
            .await
            .unwrap(),
        1
    );
    let confirmed = NewUsager {
        confirm_not_duplicate: true,
        ..again
    };
    fx.app.create_usager(&ctx, &confirmed).await.unwrap();
    assert_eq!(
        parcours_store::usager::count(&fx.app.db, fx.org.as_uuid())
            .await
            .unwrap(),
        2
    );
}

async fn refuses_a_second_person_with_the_same_ins(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    fx.app
        .create_usager(&ctx, &new(&fx, identity("Dupont", "Marie", Some(5))))
        .await
        .unwrap();
    let AppError::Validation(e) = fx
        .app
        .create_usager(&ctx, &new(&fx, identity("Durand", "Anne", Some(5))))
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        e.get("ins_matricule"),
        Some("Ce matricule INS est déjà attribué à un autre usager.")
    );
}

async fn searches_names_accent_and_case_insensitively_by_prefix_within_scope(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let a = fx
        .app
        .create_usager(&ctx, &new(&fx, identity("Lefèvre", "Hélène", Some(7))))
        .await
        .unwrap();
    let mut other = new(&fx, identity("Martin", "Claire", None));
    other.placement = fx.placement(fx.ehpad, fx.lilas);
    fx.app.create_usager(&ctx, &other).await.unwrap();
    for q in [
        "lef",
        "LEFEVRE",
        "hél lef",
        "12/03/1950 lefe",
        "1950-03-12",
        "2 50 03 75 056",
    ] {
        let page = fx.app.search_usagers(&ctx, q, None, 50).await.unwrap();
        assert!(
            page.items.iter().any(|i| i.id == a),
            "query {q:?} should find Lefèvre"
        );
    }
    assert!(
        fx.app
            .search_usagers(&ctx, "lefz", None, 50)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // The aide-soignant of Les Glycines sees Lefèvre (Glycines), not Martin (Lilas).
    let aide = fx.ctx("as.glycines").await;
    let seen: Vec<_> = fx
        .app
        .search_usagers(&aide, "", None, 50)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.display_name)
        .collect();
    assert_eq!(seen, vec!["LEFÈVRE Hélène"]);
    assert!(
        fx.app
            .search_usagers(&aide, "martin", None, 50)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // The DITEP educator sees nobody of the EHPAD.
    let educ = fx.ctx("educ.internat").await;
    assert!(
        fx.app
            .search_usagers(&educ, "", None, 50)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

async fn lists_persons_in_pages(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    for (i, name) in ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]
        .iter()
        .enumerate()
    {
        let mut raw = identity(name, "Anne", None);
        raw.birth_date = format!("19{:02}-01-01", 40 + i);
        fx.app.create_usager(&ctx, &new(&fx, raw)).await.unwrap();
    }
    let p1 = fx.app.search_usagers(&ctx, "", None, 2).await.unwrap();
    let p2 = fx
        .app
        .search_usagers(&ctx, "", p1.next.as_deref(), 2)
        .await
        .unwrap();
    let p3 = fx
        .app
        .search_usagers(&ctx, "", p2.next.as_deref(), 2)
        .await
        .unwrap();
    let names: Vec<_> = [p1.items, p2.items, p3.items]
        .concat()
        .into_iter()
        .map(|i| i.display_name)
        .collect();
    assert_eq!(
        names,
        vec![
            "ALPHA Anne",
            "BRAVO Anne",
            "CHARLIE Anne",
            "DELTA Anne",
            "ECHO Anne"
        ]
    );
    assert!(p3.next.is_none());
}

async fn keeps_every_version_and_refuses_a_concurrent_edit(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let id = fx
        .app
        .create_usager(&ctx, &new(&fx, identity("Dupont", "Marie", None)))
        .await
        .unwrap();
    let mut raw = identity("Dupont", "Marie", None);
    raw.used_name = "Martin".into();
    let r = fx.app.update_identity(&ctx, id, &raw, 1).await.unwrap();
    assert_eq!(r.version, 2);
    assert_eq!(r.identity.display_name(), "MARTIN Marie");
    // A second professional who opened version 1 saves later: refused, nothing overwritten.
    raw.used_name = "Durand".into();
    assert!(matches!(
        fx.app.update_identity(&ctx, id, &raw, 1).await,
        Err(AppError::Conflict)
    ));
    let history = fx.app.identity_history(&ctx, id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].version, 2);
    assert_eq!(history[0].changed, vec!["Nom utilisé"]);
    assert_eq!(history[0].by, "Isabelle Mercier");
    assert_eq!(
        history[1].row.used_name, None,
        "version 1 stays readable as it was"
    );
    assert!(
        audit_actions(&fx, id)
            .await
            .contains(&"usager.modification_identite".to_string())
    );
}

fn change(status: IdentityStatus, version: i64) -> StatusChange {
    StatusChange {
        status: status.code().into(),
        reason: "Contrôle à l'admission".into(),
        version,
        ..StatusChange::default()
    }
}

async fn identity_status_follows_the_rniv(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let id = fx
        .app
        .create_usager(&ctx, &new(&fx, identity("Dupont", "Marie", Some(9))))
        .await
        .unwrap();
    // Qualifiée needs both INSi and a high-trust document.
    let err = fx
        .app
        .change_identity_status(&ctx, id, &change(IdentityStatus::Qualifiee, 1))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Validation(ref e) if e.get("status").is_some()));
    // A justification is required.
    let mut no_reason = change(IdentityStatus::Recuperee, 1);
    no_reason.reason.clear();
    no_reason.ins_from_insi = true;
    let AppError::Validation(e) = fx
        .app
        .change_identity_status(&ctx, id, &no_reason)
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        e.get("reason"),
        Some("La justification du changement est obligatoire.")
    );
    // Récupérée with INSi, then qualifiée with a passport.
    let recup = StatusChange {
        ins_from_insi: true,
        ..change(IdentityStatus::Recuperee, 1)
    };
    fx.app
        .change_identity_status(&ctx, id, &recup)
        .await
        .unwrap();
    let driving_licence = StatusChange {
        ins_from_insi: true,
        validation_mode: "PC".into(),
        validation_date: "2026-11-20".into(),
        ..change(IdentityStatus::Qualifiee, 2)
    };
    assert!(
        fx.app
            .change_identity_status(&ctx, id, &driving_licence)
            .await
            .is_err(),
        "a driving licence is not high trust"
    );
    let passport = StatusChange {
        validation_mode: "PA".into(),
        ..driving_licence
    };
    fx.app
        .change_identity_status(&ctx, id, &passport)
        .await
        .unwrap();
    let r = fx.app.get_usager(&ctx, id).await.unwrap();
    assert_eq!(r.status, IdentityStatus::Qualifiee);
    assert!(r.ins_shareable());
    // Marking it doubtful without going back to provisoire is refused…
    let doubtful = StatusChange {
        douteuse: true,
        ins_from_insi: true,
        ..change(IdentityStatus::Qualifiee, 3)
    };
    assert!(
        fx.app
            .change_identity_status(&ctx, id, &doubtful)
            .await
            .is_err()
    );
    // …going back to provisoire is accepted.
    let down = StatusChange {
        douteuse: true,
        ..change(IdentityStatus::Provisoire, 3)
    };
    fx.app
        .change_identity_status(&ctx, id, &down)
        .await
        .unwrap();
    let r = fx.app.get_usager(&ctx, id).await.unwrap();
    assert_eq!(r.status, IdentityStatus::Provisoire);
    assert!(r.attributes.douteuse && !r.ins_shareable());
    let history = fx.app.identity_history(&ctx, id).await.unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[0].reason.as_deref(), Some("Contrôle à l'admission"));
}

async fn a_strict_trait_change_puts_a_validated_identity_back_to_provisoire(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let id = fx
        .app
        .create_usager(&ctx, &new(&fx, identity("Dupont", "Marie", None)))
        .await
        .unwrap();
    let vali = StatusChange {
        validation_mode: "CN".into(),
        validation_date: "2026-11-01".into(),
        ..change(IdentityStatus::Validee, 1)
    };
    fx.app
        .change_identity_status(&ctx, id, &vali)
        .await
        .unwrap();
    let mut raw = identity("Dupont", "Marie", None);
    raw.birth_date = "1950-03-13".into();
    let r = fx.app.update_identity(&ctx, id, &raw, 2).await.unwrap();
    assert_eq!(r.status, IdentityStatus::Provisoire);
    // A complementary trait does not.
    let vali = StatusChange { version: 3, ..vali };
    fx.app
        .change_identity_status(&ctx, id, &vali)
        .await
        .unwrap();
    raw.used_first_name = "Marion".into();
    assert_eq!(
        fx.app
            .update_identity(&ctx, id, &raw, 4)
            .await
            .unwrap()
            .status,
        IdentityStatus::Validee
    );
}

async fn an_out_of_scope_read_is_denied_and_traced(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let mut input = new(&fx, identity("Martin", "Claire", None));
    input.placement = fx.placement(fx.ehpad, fx.lilas);
    let id = fx.app.create_usager(&ctx, &input).await.unwrap();
    let aide = fx.ctx("as.glycines").await;
    assert!(matches!(
        fx.app.get_usager(&aide, id).await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
    let educ = fx.ctx("educ.internat").await;
    assert!(matches!(
        fx.app.get_usager(&educ, id).await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
    let admin = fx.ctx("admin").await;
    assert!(matches!(
        fx.app.get_usager(&admin, id).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    assert_eq!(
        audit_actions(&fx, id)
            .await
            .iter()
            .filter(|a| *a == "acces.refuse")
            .count(),
        3
    );
    // An aide-soignant may read in scope but not edit, nor see who accessed.
    let mut mine = new(&fx, identity("Petit", "Anne", None));
    mine.placement = fx.placement(fx.ehpad, fx.glycines);
    let mine = fx.app.create_usager(&ctx, &mine).await.unwrap();
    assert!(fx.app.get_usager(&aide, mine).await.is_ok());
    assert!(matches!(
        fx.app
            .update_identity(&aide, mine, &identity("Petit", "Anne", None), 1)
            .await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    assert!(matches!(
        fx.app.access_history(&aide, mine, None).await,
        Err(AppError::Forbidden(_))
    ));
    // Creating a person where one is not assigned is refused.
    let mut elsewhere = new(&fx, identity("Roux", "Léa", None));
    elsewhere.placement = fx.placement(fx.ditep, fx.internat);
    assert!(matches!(
        fx.app.create_usager(&ctx, &elsewhere).await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
}

async fn refuses_an_unknown_or_foreign_placement(fx: Fixture) {
    let ctx = fx.ctx("secretariat").await;
    let mut input = new(&fx, identity("Martin", "Claire", None));
    input.placement = format!("{}/{}", fx.ehpad, fx.internat);
    let AppError::Validation(e) = fx.app.create_usager(&ctx, &input).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(
        e.get("placement"),
        Some("Choisissez l'établissement et l'unité de l'usager.")
    );
}

async fn the_audit_chain_verifies_after_a_working_session(fx: Fixture) {
    let ctx = fx.ctx("direction").await;
    for i in 0..5 {
        let id = fx
            .app
            .create_usager(
                &ctx,
                &new(
                    &fx,
                    identity("Dupont", &format!("Marie{}", "e".repeat(i)), None),
                ),
            )
            .await
            .unwrap();
        fx.app.get_usager(&ctx, id).await.unwrap();
    }
    let results = fx.app.verify_audit().await.unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].2, Ok(10));
}

/// More matching persons out of scope than one round of candidates: the search goes on until it
/// finds those in scope, and a person matching the prefix twice appears once.
async fn a_name_search_looks_past_persons_out_of_scope(fx: Fixture) {
    let ctx = fx.ctx("direction").await;
    let glycines = fx.placement(fx.ehpad, fx.glycines);
    let lilas = fx.placement(fx.ehpad, fx.lilas);
    for i in 0..230u32 {
        let mut raw = identity("Marchand", "Anne", None);
        raw.birth_date = format!("19{:02}-{:02}-{:02}", 30 + i % 60, 1 + i % 12, 1 + i % 28);
        let input = NewUsager {
            identity: raw,
            placement: lilas.clone(),
            confirm_not_duplicate: true,
            ..Default::default()
        };
        fx.app.create_usager(&ctx, &input).await.unwrap();
    }
    let mut twice = identity("Martin", "Marie", None);
    twice.birth_first_names = "Marie Marion".into();
    let twice = NewUsager {
        identity: twice,
        placement: glycines.clone(),
        ..Default::default()
    };
    let id = fx.app.create_usager(&ctx, &twice).await.unwrap();
    let aide = fx.ctx("as.glycines").await;
    let page = fx.app.search_usagers(&aide, "mar", None, 50).await.unwrap();
    assert_eq!(
        page.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![id]
    );
    let first = fx.app.search_usagers(&ctx, "mar", None, 200).await.unwrap();
    let second = fx
        .app
        .search_usagers(&ctx, "mar", first.next.as_deref(), 200)
        .await
        .unwrap();
    assert_eq!(
        (first.items.len(), second.items.len(), second.next),
        (200, 31, None)
    );
    let first = fx
        .app
        .search_usagers(&ctx, "anne marc", None, 200)
        .await
        .unwrap();
    let second = fx
        .app
        .search_usagers(&ctx, "anne marc", first.next.as_deref(), 200)
        .await
        .unwrap();
    assert_eq!(first.items.len() + second.items.len(), 230);
}

both!(
    search_past_scope => a_name_search_looks_past_persons_out_of_scope,
    creates_a_provisional_person => creates_a_provisional_person_and_traces_it,
    wrong_nir => refuses_a_wrong_nir_key_and_writes_nothing,
    future_birth_date => refuses_a_future_birth_date_and_missing_strict_traits,
    duplicates => asks_confirmation_for_possible_duplicates,
    same_ins => refuses_a_second_person_with_the_same_ins,
    search => searches_names_accent_and_case_insensitively_by_prefix_within_scope,
    paging => lists_persons_in_pages,
    versions_and_conflicts => keeps_every_version_and_refuses_a_concurrent_edit,
    rniv_status => identity_status_follows_the_rniv,
    strict_trait_downgrade => a_strict_trait_change_puts_a_validated_identity_back_to_provisoire,
    out_of_scope => an_out_of_scope_read_is_denied_and_traced,
    foreign_placement => refuses_an_unknown_or_foreign_placement,
    audit_chain => the_audit_chain_verifies_after_a_working_session,
);
