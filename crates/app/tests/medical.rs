//! The medical file under medical secret, on SQLite and PostgreSQL: the access matrix (every role ×
//! read/write × in scope/out of scope, with the permission table and with the organisation's
//! per-role setting), the same matrix with a delegation (during, after expiry), delegation and
//! break-the-glass (time limits, revocation, review queue, access history), the allergies banner
//! for every role, versions, bad input, audit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::authz::{Assignment, DenyReason};
use parcours_domain::ids::UsagerId;
use parcours_domain::medical::{
    RawAllergie, RawAntecedent, RawDelegation, RawEntry, RawObservation, RawVaccination,
};
use parcours_domain::professional::Role;

async fn resident(fx: &Fixture, ctx: &Ctx, name: &str) -> UsagerId {
    fx.app
        .create_usager(
            ctx,
            &NewUsager {
                identity: identity(name, "Jeanne", None),
                placement: fx.placement(fx.ehpad, fx.glycines),
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap()
}

fn allergy(substance: &str, severity: &str) -> RawEntry {
    RawEntry::Allergie(RawAllergie {
        substance: substance.into(),
        reaction: "Urticaire géante".into(),
        severity: severity.into(),
        kind: "allergie".into(),
        noted_on: "2024-03-01".into(),
    })
}

fn observation(texte: &str) -> RawObservation {
    RawObservation {
        date: "2026-11-20".into(),
        kind: "consultation".into(),
        texte: texte.into(),
    }
}

/// A professional of `role`, assigned to the whole EHPAD (where the person lives) or to the DITEP.
async fn actor(fx: &Fixture, role: Role, in_scope: bool) -> Ctx {
    let mut ctx = fx.ctx("medecin").await;
    ctx.actor.role = role;
    ctx.actor.assignments = vec![Assignment {
        etablissement: if in_scope { fx.ehpad } else { fx.ditep },
        unite: None,
    }];
    ctx
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

/// The medical access expected per role, written independently of the gate: the permission table
/// (médecin and infirmier), then the organisation's setting of `overridden`.
fn expected(role: Role, overridden: bool) -> (bool, bool) {
    use Role::*;
    if overridden {
        match role {
            Psychologue => return (true, false),
            Educateur => return (true, true),
            Infirmier => return (false, false),
            Medecin => return (true, false),
            _ => {}
        }
    }
    match role {
        Medecin | Infirmier => (true, true),
        _ => (false, false),
    }
}

async fn the_medical_secret_follows_role_scope_and_the_organisations_setting(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let admin = fx.ctx("admin").await;
    let person = resident(&fx, &direction, "SECRET").await;
    let mut checked = 0;
    for overridden in [false, true] {
        if overridden {
            for (role, r, w) in [
                ("psychologue", true, false),
                ("educateur", true, true),
                ("infirmier", false, false),
                ("medecin", true, false),
            ] {
                fx.app.set_medical_access(&admin, role, r, w).await.unwrap();
            }
        }
        for role in Role::ALL {
            for in_scope in [true, false] {
                let ctx = actor(&fx, *role, in_scope).await;
                let (may_read, may_write) = expected(*role, overridden);
                let what = format!("{role:?} in_scope={in_scope} overridden={overridden}");
                // As in the gate, the role is checked before the scope.
                let role_refusal = DenyReason::RoleNotAllowed;
                let read = fx.app.medical_file(&ctx, person).await;
                match (may_read, in_scope, read) {
                    (true, true, Ok(file)) => assert_eq!(file.can_write, may_write, "{what}"),
                    (true, false, Err(AppError::Forbidden(r))) => {
                        assert_eq!(r, DenyReason::OutOfScope, "{what}")
                    }
                    (false, _, Err(AppError::Forbidden(r))) => {
                        assert_eq!(r, role_refusal, "read {what}")
                    }
                    (_, _, other) => panic!("read {what}: {other:?}"),
                }
                let write = fx
                    .app
                    .add_medical_entry(&ctx, person, &allergy("Latex", "legere"))
                    .await;
                match (may_write, in_scope, write) {
                    (true, true, Ok(_)) => {}
                    (true, false, Err(AppError::Forbidden(r))) => {
                        assert_eq!(r, DenyReason::OutOfScope, "{what}")
                    }
                    (false, _, Err(AppError::Forbidden(r))) => {
                        assert_eq!(r, role_refusal, "write {what}")
                    }
                    (_, _, other) => panic!("write {what}: {other:?}"),
                }
                let access = fx.app.medical_access(&ctx).await.unwrap();
                if *role != Role::Administrateur {
                    assert_eq!((access.read, access.write), (may_read, may_write), "{what}");
                } else {
                    assert!(!access.read && !access.write);
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 9 * 2 * 2);

    // Every read and write is audited, and so is every refusal.
    let events = parcours_store::audit::for_usager(
        &fx.app.db,
        fx.org.as_uuid(),
        person.as_uuid(),
        None,
        1000,
    )
    .await
    .unwrap();
    let count = |code: &str| events.iter().filter(|e| e.action == code).count();
    // Reads allowed in scope: médecin, infirmier (table); psychologue, éducateur, médecin (setting).
    assert_eq!(count("medical.consultation"), 5);
    // Writes allowed in scope: médecin, infirmier (table); éducateur (setting).
    assert_eq!(count("medical.modification"), 3);
    assert_eq!(count("acces.refuse"), 9 * 2 * 2 * 2 - 5 - 3);
}

async fn the_setting_is_for_the_administrator_and_keeps_sense(fx: Fixture) {
    let admin = fx.ctx("admin").await;
    let medecin = fx.ctx("medecin").await;
    let settings = fx.app.medical_access_settings(&admin).await.unwrap();
    assert_eq!(settings.len(), 8, "every role but the administrator");
    let inf = settings.iter().find(|s| s.role == "infirmier").unwrap();
    assert!(inf.read && inf.write && inf.default_read && !inf.customised);
    assert!(matches!(
        fx.app
            .set_medical_access(&medecin, "aide_soignant", true, false)
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        field(
            fx.app
                .set_medical_access(&admin, "aide_soignant", false, true)
                .await
                .unwrap_err(),
            "write"
        ),
        "L'écriture dans le dossier médical suppose sa lecture."
    );
    assert!(
        field(
            fx.app
                .set_medical_access(&admin, "administrateur", true, false)
                .await
                .unwrap_err(),
            "role"
        )
        .contains("administrateurs")
    );
    fx.app
        .set_medical_access(&admin, "aide_soignant", true, false)
        .await
        .unwrap();
    let settings = fx.app.medical_access_settings(&admin).await.unwrap();
    let aes = settings.iter().find(|s| s.role == "aide_soignant").unwrap();
    assert!(aes.read && !aes.write && aes.customised && !aes.default_read);
    // Setting it again replaces it.
    fx.app
        .set_medical_access(&admin, "aide_soignant", false, false)
        .await
        .unwrap();
    let aes_ctx = fx.ctx("as.glycines").await;
    assert!(!fx.app.medical_access(&aes_ctx).await.unwrap().read);
}

async fn active_allergies_are_on_every_roles_record_the_most_severe_first(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let person = resident(&fx, &direction, "ALLERGIQUE").await;
    fx.app
        .add_medical_entry(&medecin, person, &allergy("Pollen", "legere"))
        .await
        .unwrap();
    fx.app
        .add_medical_entry(&medecin, person, &allergy("Pénicilline", "anaphylaxie"))
        .await
        .unwrap();
    let gone = fx
        .app
        .add_medical_entry(&medecin, person, &allergy("Arachide", "severe"))
        .await
        .unwrap();
    fx.app
        .resolve_allergy(&medecin, person, gone, 1, "Tests négatifs")
        .await
        .unwrap();
    // An aide-soignant has no medical access, but sees the active allergies with the record.
    let aes = fx.ctx("as.glycines").await;
    assert!(matches!(
        fx.app.medical_file(&aes, person).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    let record = fx.app.get_usager(&aes, person).await.unwrap();
    let shown: Vec<_> = record
        .allergies
        .iter()
        .map(|a| (a.substance.as_str(), a.severity_label))
        .collect();
    assert_eq!(
        shown,
        vec![("Pénicilline", "Anaphylaxie"), ("Pollen", "Légère")]
    );
    // The resolved one stays in the medical file, resolved, with its earlier version.
    let file = fx.app.medical_file(&medecin, person).await.unwrap();
    let arachide = file
        .allergies
        .iter()
        .find(|a| a.substance == "Arachide")
        .unwrap();
    assert!(!arachide.active);
    assert_eq!(arachide.resolved_on.as_deref(), Some("2026-11-22"));
    assert_eq!(arachide.meta.previous.len(), 1);
    assert_eq!(arachide.meta.reason.as_deref(), Some("Tests négatifs"));
    assert!(matches!(
        fx.app.resolve_allergy(&medecin, person, gone, 2, "").await,
        Err(AppError::Validation(_))
    ));
}

async fn a_correction_is_a_new_version_and_the_old_one_stays_readable(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let person = resident(&fx, &direction, "VERSIONS").await;
    let id = fx
        .app
        .add_medical_entry(
            &medecin,
            person,
            &RawEntry::Observation(observation("Tension 150/90, à recontrôler.")),
        )
        .await
        .unwrap();
    fx.app
        .correct_medical_entry(
            &medecin,
            person,
            id,
            &RawEntry::Observation(observation("Tension 130/80 au contrôle.")),
            1,
            "Erreur de saisie",
        )
        .await
        .unwrap();
    // A stale version is a conflict, never a silent overwrite.
    assert!(matches!(
        fx.app
            .correct_medical_entry(
                &medecin,
                person,
                id,
                &RawEntry::Observation(observation("Autre texte")),
                1,
                "",
            )
            .await,
        Err(AppError::Conflict)
    ));
    let file = fx.app.medical_file(&medecin, person).await.unwrap();
    let o = &file.observations[0];
    assert_eq!(o.texte, "Tension 130/80 au contrôle.");
    assert_eq!(o.author, "Paul Lefèvre");
    assert_eq!(o.kind_label, "Consultation");
    assert_eq!(o.meta.version, 2);
    assert_eq!(o.meta.reason.as_deref(), Some("Erreur de saisie"));
    assert_eq!(o.meta.previous.len(), 1);
    assert!(o.meta.previous[0].text.contains("Tension 150/90"));

    // The summary of treatments: first version, then a new one.
    fx.app
        .set_treatments(
            &medecin,
            person,
            "Metformine 500 mg matin et soir",
            None,
            "",
        )
        .await
        .unwrap();
    assert!(matches!(
        fx.app
            .set_treatments(&medecin, person, "Autre", None, "")
            .await,
        Err(AppError::Conflict)
    ));
    fx.app
        .set_treatments(&medecin, person, "Metformine 850 mg", Some(1), "Adaptation")
        .await
        .unwrap();
    let file = fx.app.medical_file(&medecin, person).await.unwrap();
    let t = file.treatments.unwrap();
    assert_eq!(t.texte, "Metformine 850 mg");
    assert_eq!(t.meta.previous[0].text, "Metformine 500 mg matin et soir");

    // Vaccinations and antécédents are corrected the same way.
    let v = fx
        .app
        .add_medical_entry(
            &medecin,
            person,
            &RawEntry::Vaccination(RawVaccination {
                vaccine: "Grippe".into(),
                date: "2026-10-15".into(),
                lot: "X1".into(),
                dose: "Rappel annuel".into(),
            }),
        )
        .await
        .unwrap();
    fx.app
        .correct_medical_entry(
            &medecin,
            person,
            v,
            &RawEntry::Vaccination(RawVaccination {
                vaccine: "Grippe".into(),
                date: "2026-10-15".into(),
                lot: "X2".into(),
                dose: "Rappel annuel".into(),
            }),
            1,
            "",
        )
        .await
        .unwrap();
    let file = fx.app.medical_file(&medecin, person).await.unwrap();
    assert_eq!(file.vaccinations[0].lot.as_deref(), Some("X2"));
    assert!(
        file.vaccinations[0].meta.previous[0]
            .text
            .contains("lot X1")
    );

    // None of it reaches the record history every role reads.
    let history = fx
        .app
        .record_history(&direction, person, 100)
        .await
        .unwrap();
    assert!(
        history.iter().all(|c| !c.kind.starts_with("medical")),
        "{history:?}"
    );

    // An entry of another person is not found under this one.
    let other = resident(&fx, &direction, "AUTRE").await;
    assert!(matches!(
        fx.app
            .correct_medical_entry(
                &medecin,
                other,
                id,
                &RawEntry::Observation(observation("x")),
                2,
                ""
            )
            .await,
        Err(AppError::NotFound)
    ));
}

async fn bad_input_is_refused_in_french_and_nothing_is_written(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let person = resident(&fx, &direction, "ERREURS").await;
    let e = fx
        .app
        .add_medical_entry(
            &medecin,
            person,
            &RawEntry::Antecedent(RawAntecedent {
                code: "DIABETE".into(),
                texte: "Diabète de type 2".into(),
                date: String::new(),
            }),
        )
        .await
        .unwrap_err();
    assert!(field(e, "code").starts_with("Le code CIM-10 s'écrit"));
    let e = fx
        .app
        .add_medical_entry(
            &medecin,
            person,
            &RawEntry::Allergie(RawAllergie {
                substance: "  ".into(),
                severity: "severe".into(),
                kind: "allergie".into(),
                ..RawAllergie::default()
            }),
        )
        .await
        .unwrap_err();
    assert_eq!(
        field(e, "substance"),
        "Indiquez la substance (médicament, aliment…) en cause."
    );
    let file = fx.app.medical_file(&medecin, person).await.unwrap();
    assert!(file.allergies.is_empty() && file.antecedents.is_empty());
    let events = parcours_store::audit::for_usager(
        &fx.app.db,
        fx.org.as_uuid(),
        person.as_uuid(),
        None,
        100,
    )
    .await
    .unwrap();
    assert!(events.iter().all(|e| e.action != "medical.modification"));
}

async fn a_delegate_reads_during_the_period_only_and_not_once_revoked(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let aes = fx.ctx("as.glycines").await;
    let person = resident(&fx, &direction, "DELEGUE").await;
    let raw = |s: &str, e: &str| RawDelegation {
        delegate: aes.user().to_string(),
        starts_on: s.into(),
        ends_on: e.into(),
        reason: "Absence du médecin, suivi des pansements".into(),
    };
    // An aide-soignant cannot grant; a physician can, within 90 days.
    assert!(matches!(
        fx.app
            .grant_medical_delegation(&aes, person, &raw("2026-11-23", "2026-11-30"))
            .await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    assert!(
        field(
            fx.app
                .grant_medical_delegation(&medecin, person, &raw("2026-11-23", "2027-03-01"))
                .await
                .unwrap_err(),
            "ends_on"
        )
        .contains("90 jours")
    );
    let id = fx
        .app
        .grant_medical_delegation(&medecin, person, &raw("2026-11-23", "2026-11-30"))
        .await
        .unwrap();
    // Before the period: refused.
    assert!(matches!(
        fx.app.medical_file(&aes, person).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    // During: read, never write.
    fx.clock.set("2026-11-25T08:00:00Z".parse().unwrap());
    let file = fx.app.medical_file(&aes, person).await.unwrap();
    assert!(!file.can_write);
    assert!(file.temporary.unwrap().contains("délégation"));
    assert!(matches!(
        fx.app
            .add_medical_entry(&aes, person, &allergy("Latex", "legere"))
            .await,
        Err(AppError::Forbidden(_))
    ));
    // Only this person.
    let other = resident(&fx, &direction, "AUTRE").await;
    assert!(fx.app.medical_file(&aes, other).await.is_err());
    // After the last day: refused.
    fx.clock.set("2026-12-01T08:00:00Z".parse().unwrap());
    assert!(fx.app.medical_file(&aes, person).await.is_err());
    let list = fx.app.medical_delegations(&medecin, person).await.unwrap();
    assert_eq!(list[0].status, "expiree");
    assert_eq!(list[0].delegate, "Karim Haddad");
    // Revoked: refused although within the period.
    fx.clock.set("2026-11-26T08:00:00Z".parse().unwrap());
    assert!(fx.app.medical_file(&aes, person).await.is_ok());
    fx.app
        .revoke_medical_delegation(&medecin, person, id, "Retour du médecin")
        .await
        .unwrap();
    assert!(matches!(
        fx.app.medical_file(&aes, person).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    let list = fx.app.medical_delegations(&medecin, person).await.unwrap();
    assert_eq!(list[0].status, "revoquee");
    assert_eq!(list[0].revoke_reason.as_deref(), Some("Retour du médecin"));
    assert!(
        fx.app
            .revoke_medical_delegation(&medecin, person, id, "")
            .await
            .is_err()
    );
    // Out of scope, a delegation opens nothing.
    let educ = fx.ctx("educ.internat").await;
    let id2 = fx
        .app
        .grant_medical_delegation(
            &medecin,
            person,
            &RawDelegation {
                delegate: educ.user().to_string(),
                ..raw("2026-11-26", "2026-11-27")
            },
        )
        .await
        .unwrap();
    assert!(fx.app.medical_file(&educ, person).await.is_err());
    let codes = audit_codes(&fx, person).await;
    assert_eq!(count(&codes, "medical.delegation"), 2, "{id2}");
    assert_eq!(count(&codes, "medical.delegation_revocation"), 1);
}

async fn audit_codes(fx: &Fixture, person: UsagerId) -> Vec<String> {
    parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), person.as_uuid(), None, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

fn count(codes: &[String], code: &str) -> usize {
    codes.iter().filter(|c| *c == code).count()
}

async fn break_the_glass_is_time_limited_reviewed_and_in_the_access_history(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    let medecin = fx.ctx("medecin").await;
    let aes = fx.ctx("as.glycines").await;
    let person = resident(&fx, &direction, "URGENCE").await;
    assert_eq!(
        field(
            fx.app
                .break_the_glass(&aes, person, "  ")
                .await
                .unwrap_err(),
            "reason"
        ),
        "Indiquez le motif : il sera relu et conservé dans la trace."
    );
    // Whoever already has access does not break the glass; out of scope, nobody does.
    assert!(
        fx.app
            .break_the_glass(&medecin, person, "Malaise en salle à manger")
            .await
            .is_err()
    );
    let educ = fx.ctx("educ.internat").await;
    assert!(matches!(
        fx.app
            .break_the_glass(&educ, person, "Malaise en salle à manger")
            .await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
    let until = fx
        .app
        .break_the_glass(&aes, person, "Malaise en salle à manger, appel du SAMU")
        .await
        .unwrap();
    assert_eq!(until.to_string(), "2026-11-22T11:00:00Z");
    let file = fx.app.medical_file(&aes, person).await.unwrap();
    assert!(!file.can_write && file.temporary.unwrap().contains("bris de glace"));
    fx.clock.advance(jiff::SignedDuration::from_mins(119));
    assert!(fx.app.medical_file(&aes, person).await.is_ok());
    fx.clock.advance(jiff::SignedDuration::from_mins(1));
    assert!(matches!(
        fx.app.medical_file(&aes, person).await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    // The review queue: physicians and the direction, not the aide-soignant.
    assert!(fx.app.emergency_review_queue(&aes).await.is_err());
    let queue = fx.app.emergency_review_queue(&medecin).await.unwrap();
    assert_eq!(queue.len(), 1);
    let q = &queue[0];
    assert_eq!(q.professional, "Karim Haddad");
    assert_eq!(q.person, "URGENCE Jeanne");
    assert!(q.reason.contains("SAMU") && !q.running);
    assert!(
        field(
            fx.app
                .review_emergency_access(&direction, q.id, "")
                .await
                .unwrap_err(),
            "comment"
        )
        .contains("obligatoire")
    );
    fx.app
        .review_emergency_access(&direction, q.id, "Justifié : chute avec malaise")
        .await
        .unwrap();
    assert!(
        fx.app
            .emergency_review_queue(&medecin)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        fx.app
            .review_emergency_access(&medecin, q.id, "Encore")
            .await
            .is_err()
    );
    // The person's access history shows the opening, the reads and the review.
    let history = fx
        .app
        .access_history(&direction, person, None)
        .await
        .unwrap();
    let codes: Vec<_> = history.iter().map(|h| h.action_code.as_str()).collect();
    assert!(codes.contains(&"medical.bris_de_glace"), "{codes:?}");
    assert!(codes.contains(&"medical.bris_de_glace_revue"));
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "medical.consultation")
            .count(),
        2
    );
}

async fn with_a_delegation_every_role_in_scope_reads_and_none_writes(fx: Fixture) {
    let direction = fx.ctx("direction").await;
    // A second physician grants (the fixture's physician account is the delegate below).
    let mut granter = fx.ctx("direction").await;
    granter.actor.role = Role::Medecin;
    let person = resident(&fx, &direction, "MATRICE").await;
    let delegate = fx.ctx("medecin").await.user();
    fx.app
        .grant_medical_delegation(
            &granter,
            person,
            &RawDelegation {
                delegate: delegate.to_string(),
                starts_on: "2026-11-22".into(),
                ends_on: "2026-11-24".into(),
                reason: "Remplacement pendant le congrès".into(),
            },
        )
        .await
        .unwrap();
    for (day, running) in [
        ("2026-11-22T10:00:00Z", true),
        ("2026-11-24T22:00:00Z", true),
        ("2026-11-24T23:30:00Z", false),
    ] {
        fx.clock.set(day.parse().unwrap());
        for role in Role::ALL {
            for in_scope in [true, false] {
                let ctx = actor(&fx, *role, in_scope).await;
                let (table_read, table_write) = expected(*role, false);
                let what = format!("{role:?} in_scope={in_scope} at {day}");
                let may_read =
                    in_scope && (table_read || (running && *role != Role::Administrateur));
                let read = fx.app.medical_file(&ctx, person).await;
                match (may_read, read) {
                    (true, Ok(file)) => {
                        assert_eq!(file.can_write, table_write, "{what}");
                        assert_eq!(file.temporary.is_some(), !table_read, "{what}");
                    }
                    (false, Err(AppError::Forbidden(_))) => {}
                    (_, other) => panic!("read {what}: {other:?}"),
                }
                let write = fx
                    .app
                    .add_medical_entry(&ctx, person, &allergy("Latex", "legere"))
                    .await;
                assert_eq!(write.is_ok(), table_write && in_scope, "write {what}");
            }
        }
    }
}

both!(
    medical_secret_matrix => the_medical_secret_follows_role_scope_and_the_organisations_setting,
    medical_setting => the_setting_is_for_the_administrator_and_keeps_sense,
    allergies_banner => active_allergies_are_on_every_roles_record_the_most_severe_first,
    medical_versions => a_correction_is_a_new_version_and_the_old_one_stays_readable,
    medical_bad_input => bad_input_is_refused_in_french_and_nothing_is_written,
    medical_delegation => a_delegate_reads_during_the_period_only_and_not_once_revoked,
    medical_break_the_glass => break_the_glass_is_time_limited_reviewed_and_in_the_access_history,
    medical_delegation_matrix => with_a_delegation_every_role_in_scope_reads_and_none_writes,
);
