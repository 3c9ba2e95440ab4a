//! The plan de soins: recurring tasks, the unit's day, done / not done with a reason, missed
//! occurrences and who may do a task, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::plan_soins::{RawArret, RawRealisation};
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::authz::DenyReason;
use parcours_domain::ids::{PlanSoinTacheId, UniteId, UsagerId};
use parcours_domain::plan_soins::{RawTache, State};

// The fixture's clock: Sunday 22 November 2026, 09:00 UTC (10:00 in Paris).
// 20 November 2026 is a Friday.

async fn resident(fx: &Fixture, name: &str, unite: UniteId) -> UsagerId {
    let dir = fx.ctx("direction").await;
    fx.app
        .create_usager(
            &dir,
            &NewUsager {
                identity: identity(name, "Louise", None),
                placement: fx.placement(fx.ehpad, unite),
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap()
}

fn tache(label: &str, jours: &[&str], intervalle: &str, heures: &str, roles: &[&str]) -> RawTache {
    RawTache {
        label: label.into(),
        jours: jours.iter().map(|s| s.to_string()).collect(),
        intervalle: intervalle.into(),
        heures: heures.into(),
        du: "2026-11-20".into(),
        roles: roles.iter().map(|s| s.to_string()).collect(),
        ..RawTache::default()
    }
}

fn done(date: &str, heure: &str) -> RawRealisation {
    RawRealisation {
        date: date.into(),
        heure: heure.into(),
        resultat: "fait".into(),
        ..RawRealisation::default()
    }
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

async fn audit_codes(fx: &Fixture, u: UsagerId) -> Vec<String> {
    parcours_store::audit::for_usager(&fx.app.db, fx.org.as_uuid(), u.as_uuid(), None, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// A resident of Les Glycines with three tasks: a daily toilette (08:00, 20:00), a dressing on
/// Monday, Wednesday and Friday (09:00, nurses only), a drink every 2 days (12:00).
/// The tasks are written on Friday 20th at 07:00 in Paris; the clock then goes back to Sunday.
async fn planned(fx: &Fixture, medecin: &Ctx) -> (UsagerId, [PlanSoinTacheId; 3]) {
    fx.clock.set("2026-11-20T06:00:00Z".parse().unwrap());
    let u = resident(fx, "Morel", fx.glycines).await;
    let toilette = fx
        .app
        .add_tache(
            medecin,
            u,
            &tache(
                "Aide à la toilette",
                &[],
                "1",
                "08:00, 20:00",
                &["aide_soignant", "infirmier"],
            ),
        )
        .await
        .unwrap();
    let pansement = fx
        .app
        .add_tache(
            medecin,
            u,
            &tache(
                "Pansement talon droit",
                &["lun", "mer", "ven"],
                "",
                "09:00",
                &["infirmier"],
            ),
        )
        .await
        .unwrap();
    let hydratation = fx
        .app
        .add_tache(
            medecin,
            u,
            &tache("Hydratation", &[], "2", "12:00", &["aide_soignant"]),
        )
        .await
        .unwrap();
    fx.clock.set("2026-11-22T09:00:00Z".parse().unwrap());
    (u, [toilette, pansement, hydratation])
}

async fn recurring_tasks_make_the_units_list_for_the_day(fx: Fixture) {
    let medecin = fx.ctx("medecin").await;
    let aide = fx.ctx("as.glycines").await;
    let (u, [toilette, ..]) = planned(&fx, &medecin).await;
    // A resident of another unit, with a task: not on Les Glycines' list.
    let other = resident(&fx, "Bernard", fx.lilas).await;
    fx.app
        .add_tache(
            &medecin,
            other,
            &tache("Lever", &[], "1", "07:30", &["aide_soignant"]),
        )
        .await
        .unwrap();

    let sunday = jiff::civil::date(2026, 11, 22);
    let day = fx.app.unit_day(&aide, fx.glycines, sunday).await.unwrap();
    assert_eq!(day.unite_name, "Les Glycines");
    let list: Vec<(String, String, State)> = day
        .occurrences
        .iter()
        .map(|o| (o.heure.clone(), o.label.clone(), o.state))
        .collect();
    // Sunday: no dressing; the drink every 2 days from Friday 20th comes back today. It is 10:00
    // in Paris: the 08:00 toilette is missed, the others are still to do.
    assert_eq!(
        list,
        vec![
            ("08:00".into(), "Aide à la toilette".into(), State::Manquee),
            ("12:00".into(), "Hydratation".into(), State::AFaire),
            ("20:00".into(), "Aide à la toilette".into(), State::AFaire),
        ]
    );
    assert_eq!(day.manquees, 1);
    assert!(day.occurrences.iter().all(|o| o.usager == u));
    assert_eq!(day.occurrences[0].usager_name, "MOREL Louise");
    assert!(day.occurrences.iter().all(|o| o.can_do));
    // Monday: the dressing at 09:00, no drink.
    let monday = fx
        .app
        .unit_day(&aide, fx.glycines, jiff::civil::date(2026, 11, 23))
        .await
        .unwrap();
    let labels: Vec<&str> = monday
        .occurrences
        .iter()
        .map(|o| o.label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec![
            "Aide à la toilette",
            "Pansement talon droit",
            "Aide à la toilette"
        ]
    );
    // The aide-soignant may not do the dressing.
    assert!(!monday.occurrences[1].can_do);
    assert_eq!(monday.occurrences[1].roles_label, "Infirmier / infirmière");

    // The person's plan: three tasks, described in French.
    let plan = fx.app.plan_soins(&aide, u).await.unwrap();
    let quand: Vec<&str> = plan.taches.iter().map(|t| t.quand.as_str()).collect();
    assert_eq!(
        quand,
        vec![
            "tous les jours à 08:00, 20:00",
            "tous les 2 jours à 12:00",
            "lundi, mercredi, vendredi à 09:00"
        ]
    );
    assert_eq!(plan.occurrences.len(), 3);

    // Changing a task is a new version; stopping it ends its occurrences.
    let raw = tache("Aide à la toilette", &[], "1", "07:00", &["aide_soignant"]);
    assert!(matches!(
        fx.app.edit_tache(&medecin, toilette, 9, &raw).await,
        Err(AppError::Conflict)
    ));
    fx.app
        .edit_tache(&medecin, toilette, 1, &raw)
        .await
        .unwrap();
    let tomorrow = fx
        .app
        .unit_day(&aide, fx.glycines, jiff::civil::date(2026, 11, 23))
        .await
        .unwrap();
    assert_eq!(tomorrow.occurrences[0].heure, "07:00");
    fx.app
        .stop_tache(
            &medecin,
            toilette,
            &RawArret {
                version: 2,
                au: "2026-11-22".into(),
            },
        )
        .await
        .unwrap();
    let after = fx
        .app
        .unit_day(&aide, fx.glycines, jiff::civil::date(2026, 11, 23))
        .await
        .unwrap();
    assert_eq!(after.occurrences.len(), 1, "only the dressing is left");
    let plan = fx.app.plan_soins(&aide, u).await.unwrap();
    let stopped = plan.taches.iter().find(|t| t.id == toilette).unwrap();
    assert!(stopped.arretee);
    assert_eq!(stopped.version, 3);

    // Every read and change is audited.
    let codes = audit_codes(&fx, u).await;
    assert!(codes.contains(&"plan_soins.modification".to_string()));
    assert!(codes.contains(&"plan_soins.consultation".to_string()));

    // Invalid tasks are refused in French.
    let bad = tache("", &[], "", "8", &[]);
    let e = fx.app.add_tache(&medecin, u, &bad).await.unwrap_err();
    match e {
        AppError::Validation(v) => {
            assert_eq!(v.get("label"), Some("Ce champ est obligatoire."));
            assert!(v.get("jours").is_some() && v.get("heures").is_some());
            assert!(v.get("roles").is_some());
        }
        other => panic!("{other:?}"),
    }
}

async fn each_occurrence_is_done_or_not_done_with_a_reason(fx: Fixture) {
    let medecin = fx.ctx("medecin").await;
    let aide = fx.ctx("as.glycines").await;
    let (u, [toilette, _, hydratation]) = planned(&fx, &medecin).await;

    fx.app
        .record_realisation(&aide, toilette, &done("2026-11-22", "08:00"))
        .await
        .unwrap();
    // Not done needs a reason; "autre" needs a note.
    let mut no = RawRealisation {
        date: "2026-11-22".into(),
        heure: "12:00".into(),
        resultat: "non_fait".into(),
        ..RawRealisation::default()
    };
    let msg = field(
        fx.app
            .record_realisation(&aide, hydratation, &no)
            .await
            .unwrap_err(),
        "motif",
    );
    assert_eq!(msg, "Indiquez pourquoi la tâche n'a pas été faite.");
    no.motif = "autre".into();
    field(
        fx.app
            .record_realisation(&aide, hydratation, &no)
            .await
            .unwrap_err(),
        "note",
    );
    no.motif = "refus".into();
    no.note = "Ne souhaite pas boire pour l'instant".into();
    fx.app
        .record_realisation(&aide, hydratation, &no)
        .await
        .unwrap();
    // Once per occurrence.
    let msg = field(
        fx.app
            .record_realisation(&aide, toilette, &done("2026-11-22", "08:00"))
            .await
            .unwrap_err(),
        "resultat",
    );
    assert!(msg.contains("déjà enregistrée"), "{msg}");
    // Only what is due: not at another time, not on a day to come.
    field(
        fx.app
            .record_realisation(&aide, toilette, &done("2026-11-22", "09:00"))
            .await
            .unwrap_err(),
        "heure",
    );
    field(
        fx.app
            .record_realisation(&aide, toilette, &done("2026-11-23", "08:00"))
            .await
            .unwrap_err(),
        "date",
    );

    let day = fx
        .app
        .unit_day(&aide, fx.glycines, jiff::civil::date(2026, 11, 22))
        .await
        .unwrap();
    let states: Vec<(State, Option<&str>)> = day
        .occurrences
        .iter()
        .map(|o| (o.state, o.motif_label.as_deref()))
        .collect();
    assert_eq!(
        states,
        vec![
            (State::Fait, None),
            (State::NonFait, Some("Refus de la personne")),
            (State::AFaire, None),
        ]
    );
    assert_eq!(day.manquees, 0);
    assert_eq!(
        day.occurrences[0].recorded_by.as_deref(),
        Some("Karim Haddad")
    );
    assert_eq!(
        day.occurrences[1].note.as_deref(),
        Some("Ne souhaite pas boire pour l'instant")
    );
    let codes = audit_codes(&fx, u).await;
    assert_eq!(
        codes
            .iter()
            .filter(|c| *c == "plan_soins.realisation")
            .count(),
        2
    );
}

async fn missed_tasks_show_after_their_time(fx: Fixture) {
    let medecin = fx.ctx("medecin").await;
    let aide = fx.ctx("as.glycines").await;
    let (u, [toilette, ..]) = planned(&fx, &medecin).await;
    fx.app
        .record_realisation(&aide, toilette, &done("2026-11-22", "08:00"))
        .await
        .unwrap();
    // 20:30 in Paris: the 20:00 toilette is not missed yet…
    fx.clock.set("2026-11-22T19:30:00Z".parse().unwrap());
    let plan = fx.app.plan_soins(&aide, u).await.unwrap();
    let today: Vec<(&str, State)> = plan
        .occurrences
        .iter()
        .map(|o| (o.heure.as_str(), o.state))
        .collect();
    assert_eq!(
        today,
        vec![
            ("08:00", State::Fait),
            ("12:00", State::Manquee),
            ("20:00", State::AFaire)
        ]
    );
    // …at 21:30 it is.
    fx.clock.set("2026-11-22T20:30:00Z".parse().unwrap());
    let day = fx
        .app
        .unit_day(&aide, fx.glycines, jiff::civil::date(2026, 11, 22))
        .await
        .unwrap();
    assert_eq!(day.manquees, 2);
    // Two days later, on the person: every unrecorded occurrence since the first day.
    fx.clock.set("2026-11-24T07:30:00Z".parse().unwrap()); // Tuesday 08:30 in Paris.
    let plan = fx.app.plan_soins(&aide, u).await.unwrap();
    let missed: Vec<(String, &str, &str)> = plan
        .manquees
        .iter()
        .map(|o| (o.date.to_string(), o.heure.as_str(), o.label.as_str()))
        .collect();
    assert_eq!(
        missed,
        vec![
            ("2026-11-20".into(), "08:00", "Aide à la toilette"),
            ("2026-11-20".into(), "09:00", "Pansement talon droit"),
            ("2026-11-20".into(), "12:00", "Hydratation"),
            ("2026-11-20".into(), "20:00", "Aide à la toilette"),
            ("2026-11-21".into(), "08:00", "Aide à la toilette"),
            ("2026-11-21".into(), "20:00", "Aide à la toilette"),
            ("2026-11-22".into(), "12:00", "Hydratation"),
            ("2026-11-22".into(), "20:00", "Aide à la toilette"),
            ("2026-11-23".into(), "08:00", "Aide à la toilette"),
            ("2026-11-23".into(), "09:00", "Pansement talon droit"),
            ("2026-11-23".into(), "20:00", "Aide à la toilette"),
        ]
    );
    // A missed occurrence can still be recorded afterwards, and is no longer missed.
    fx.app
        .record_realisation(&aide, toilette, &done("2026-11-23", "20:00"))
        .await
        .unwrap();
    let plan = fx.app.plan_soins(&aide, u).await.unwrap();
    assert_eq!(plan.manquees.len(), 10);
}

async fn a_role_not_among_the_tasks_roles_is_refused(fx: Fixture) {
    let medecin = fx.ctx("medecin").await;
    let aide = fx.ctx("as.glycines").await;
    let (u, [_, pansement, _]) = planned(&fx, &medecin).await;
    fx.clock.set("2026-11-23T09:00:00Z".parse().unwrap()); // Monday.
    let e = fx
        .app
        .record_realisation(&aide, pansement, &done("2026-11-23", "09:00"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, AppError::Forbidden(DenyReason::RoleNotAllowed)),
        "{e:?}"
    );
    assert!(
        audit_codes(&fx, u)
            .await
            .contains(&"acces.refuse".to_string())
    );
    // The physician is not among the roles either; a nurse would be (the fixture has none).
    assert!(matches!(
        fx.app
            .record_realisation(&medecin, pansement, &done("2026-11-23", "09:00"))
            .await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    // The direction reads the care record but does not write it.
    let dir = fx.ctx("direction").await;
    assert!(matches!(
        fx.app
            .add_tache(
                &dir,
                u,
                &tache("Lever", &[], "1", "07:30", &["aide_soignant"])
            )
            .await,
        Err(AppError::Forbidden(DenyReason::RoleNotAllowed))
    ));
    // An educator of the DITEP internat does not follow this person.
    let educ = fx.ctx("educ.internat").await;
    assert!(matches!(
        fx.app.plan_soins(&educ, u).await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
    assert!(matches!(
        fx.app
            .unit_day(&educ, fx.glycines, jiff::civil::date(2026, 11, 23))
            .await,
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    ));
    // The aide-soignant of Les Glycines sees only that unit.
    let units = fx.app.plan_soins_units(&aide).await.unwrap();
    let labels: Vec<&str> = units.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(labels, vec!["EHPAD Les Tilleuls — Les Glycines"]);
}

both!(
    plan_soins_recurrence_and_day => recurring_tasks_make_the_units_list_for_the_day,
    plan_soins_done_or_not => each_occurrence_is_done_or_not_done_with_a_reason,
    plan_soins_missed => missed_tasks_show_after_their_time,
    plan_soins_role_refused => a_role_not_among_the_tasks_roles_is_refused,
);
