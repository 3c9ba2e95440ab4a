//! Admission, séjours, decisions, entourage, partners and consents, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::AppError;
use parcours_app::Ctx;
use parcours_app::admission::{
    RawAdmission, RawContrat, RawDecision, RawModalityChange, RawPlacement, RawRequest,
    RawSejourUpdate, RequestStatusChange,
};
use parcours_app::consent::RawConsent;
use parcours_app::domain::admission::{RequestStatus, SejourStatus};
use parcours_app::domain::consent::ConsentAnswer;
use parcours_app::domain::ids::{DemandeId, UsagerId};
use parcours_app::domain::partner::RawPartner;
use parcours_app::entourage::{RawLien, RawMesure, RawProche};
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_store::records::SejourRow;

async fn person(fx: &Fixture, ctx: &Ctx, name: &str, birth: &str, placement: String) -> UsagerId {
    let mut raw = identity(name, "Léa", None);
    raw.birth_date = birth.into();
    fx.app
        .create_usager(
            ctx,
            &NewUsager {
                identity: raw,
                placement,
                local_id: String::new(),
                confirm_not_duplicate: false,
            },
        )
        .await
        .unwrap()
}

fn request(
    fx: &Fixture,
    etab: parcours_app::domain::ids::EtablissementId,
    modalite: &str,
) -> RawRequest {
    let _ = fx;
    RawRequest {
        etablissement_id: etab.to_string(),
        modalite: modalite.into(),
        origin: "mdph".into(),
        received_on: "2026-10-01".into(),
        priority: "2".into(),
        expectations: "Je voudrais dormir à l'internat la semaine.".into(),
        ..RawRequest::default()
    }
}

async fn status(
    fx: &Fixture,
    ctx: &Ctx,
    id: DemandeId,
    to: &str,
    reason: &str,
) -> Result<(), AppError> {
    let file_version = parcours_store::records::AdmissionRequestRow::get(
        &fx.app.db,
        fx.org.as_uuid(),
        id.as_uuid(),
    )
    .await
    .unwrap()
    .version;
    fx.app
        .change_request_status(
            ctx,
            id,
            &RequestStatusChange {
                status: to.into(),
                reason: reason.into(),
                version: file_version,
            },
        )
        .await
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

async fn sejour_count(fx: &Fixture, u: UsagerId) -> usize {
    SejourRow::list_by(&fx.app.db, fx.org.as_uuid(), "usager_id", u.as_uuid(), "id")
        .await
        .unwrap()
        .len()
}

async fn request_to_two_modality_admission(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let u = person(&fx, &dir, "Martin", "2013-04-02", format!("{}", fx.ditep)).await;
    let educ = fx.ctx("educ.internat").await;
    assert!(
        matches!(
            fx.app.get_usager(&educ, u).await,
            Err(AppError::Forbidden(_))
        ),
        "not yet in the internat"
    );
    let rid = fx
        .app
        .create_request(&dir, u, &request(&fx, fx.ditep, "internat"))
        .await
        .unwrap();
    // A refusal needs its reason; an admission needs an accepted request.
    assert!(
        field(
            status(&fx, &dir, rid, "refusee", "").await.unwrap_err(),
            "reason"
        )
        .contains("motif")
    );
    status(&fx, &dir, rid, "visite_planifiee", "")
        .await
        .unwrap();
    let admission = RawAdmission {
        placements: vec![
            RawPlacement {
                unite_id: fx.internat.to_string(),
                modalite: "internat".into(),
            },
            RawPlacement {
                unite_id: fx.sessad.to_string(),
                modalite: "ambulatoire".into(),
            },
        ],
        planned_entry: "2026-11-02".into(),
        entry_date: "2026-11-02".into(),
        entry_mode: "domicile".into(),
        ..RawAdmission::default()
    };
    assert!(
        field(
            fx.app.admit(&dir, rid, &admission).await.unwrap_err(),
            "status"
        )
        .contains("acceptée")
    );
    status(&fx, &dir, rid, "acceptee", "").await.unwrap();
    // One bad placement refuses the whole admission: nothing half-written.
    let mut bad = admission.clone();
    bad.placements[1].unite_id = fx.glycines.to_string();
    assert!(
        field(fx.app.admit(&dir, rid, &bad).await.unwrap_err(), "unite_id")
            .contains("n'appartient pas")
    );
    assert_eq!(sejour_count(&fx, u).await, 0);
    let ids = fx.app.admit(&dir, rid, &admission).await.unwrap();
    assert_eq!(ids.len(), 2);
    let file = fx.app.admission_file(&dir, u).await.unwrap();
    assert_eq!(file.requests[0].status, RequestStatus::Admise);
    let steps: Vec<_> = file.requests[0].history.iter().map(|h| h.status).collect();
    assert_eq!(
        steps,
        vec![
            RequestStatus::Recue,
            RequestStatus::VisitePlanifiee,
            RequestStatus::Acceptee,
            RequestStatus::Admise
        ]
    );
    assert!(
        file.sejours
            .iter()
            .all(|s| s.status == SejourStatus::EnCours)
    );
    // The internat's educator now sees the person through the séjour.
    fx.app.get_usager(&educ, u).await.unwrap();
    // The DITEP requires a CDAPH orientation: the file and the home board say it is missing.
    assert!(
        file.alerts
            .iter()
            .any(|a| a.contains("sans décision d'orientation"))
    );
    let board = fx.app.home_board(&dir).await.unwrap();
    assert!(board.decisions.iter().any(|i| i.usager_id == u));
    // Overlap in the same unit and modality is refused, nothing written.
    let rid2 = fx
        .app
        .create_request(&dir, u, &request(&fx, fx.ditep, "internat"))
        .await
        .unwrap();
    status(&fx, &dir, rid2, "acceptee", "").await.unwrap();
    let mut again = admission.clone();
    again.placements.truncate(1);
    again.planned_entry = "2026-11-10".into();
    again.entry_date = "2026-11-10".into();
    assert!(
        field(
            fx.app.admit(&dir, rid2, &again).await.unwrap_err(),
            "planned_entry"
        )
        .contains("chevauche")
    );
    assert_eq!(sejour_count(&fx, u).await, 2);
    // Exit before entry is refused.
    let s = &file.sejours[0];
    let e = fx
        .app
        .update_sejour(
            &dir,
            s.id,
            &RawSejourUpdate {
                exit_date: "2026-10-01".into(),
                exit_mode: "retour_domicile".into(),
                version: s.version,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(field(e, "exit_date").contains("précéder"));
    // A change of modality closes one séjour and opens the next, both kept.
    let internat = file
        .sejours
        .iter()
        .find(|s| s.modalite == "internat")
        .unwrap();
    let next = fx
        .app
        .change_modality(
            &dir,
            internat.id,
            &RawModalityChange {
                modalite: "semi_internat".into(),
                unite_id: String::new(),
                on: "2026-11-20".into(),
                version: internat.version,
                confirm_over_capacity: false,
            },
        )
        .await
        .unwrap();
    let file = fx.app.admission_file(&dir, u).await.unwrap();
    assert_eq!(file.sejours.len(), 3);
    let old = file.sejours.iter().find(|s| s.id == internat.id).unwrap();
    assert_eq!(old.status, SejourStatus::Termine);
    assert_eq!(
        file.sejours
            .iter()
            .find(|s| s.id == next)
            .unwrap()
            .previous_id,
        Some(internat.id)
    );
    // Occupancy counts places today and days over the month.
    let occ = fx
        .app
        .occupancy(
            &dir,
            fx.ditep,
            jiff::civil::date(2026, 11, 22),
            jiff::civil::date(2026, 11, 1),
            jiff::civil::date(2026, 11, 30),
        )
        .await
        .unwrap();
    assert_eq!(occ.total.occupied, 2);
    // internat 2/11 → 20/11 (18 days), semi-internat 20/11 → 30/11 (11), SESSAD 2/11 → 30/11 (29).
    assert_eq!(occ.days_total, 18 + 11 + 29);
}

async fn capacity_warns_and_only_direction_confirms(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let sec = fx.ctx("secretariat").await;
    fx.app
        .set_modality_capacity(&fx.ctx("admin").await, fx.ehpad, "internat", "1")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, name) in ["Alpha", "Bravo"].iter().enumerate() {
        let u = person(
            &fx,
            &sec,
            name,
            "1940-01-01",
            fx.placement(fx.ehpad, fx.glycines),
        )
        .await;
        let r = fx
            .app
            .create_request(&sec, u, &request(&fx, fx.ehpad, "internat"))
            .await
            .unwrap();
        status(&fx, &sec, r, "acceptee", "").await.unwrap();
        ids.push((u, r, i));
    }
    let adm = RawAdmission {
        placements: vec![RawPlacement {
            unite_id: fx.glycines.to_string(),
            modalite: "internat".into(),
        }],
        planned_entry: "2026-11-15".into(),
        entry_date: "2026-11-15".into(),
        ..RawAdmission::default()
    };
    fx.app.admit(&sec, ids[0].1, &adm).await.unwrap();
    let warn = field(
        fx.app.admit(&sec, ids[1].1, &adm).await.unwrap_err(),
        "confirm_over_capacity",
    );
    assert!(
        warn.contains("1 places sur 1") || warn.contains("places"),
        "{warn}"
    );
    let mut confirmed = adm.clone();
    confirmed.confirm_over_capacity = true;
    assert!(
        field(
            fx.app.admit(&sec, ids[1].1, &confirmed).await.unwrap_err(),
            "confirm_over_capacity"
        )
        .contains("direction")
    );
    assert_eq!(sejour_count(&fx, ids[1].0).await, 0);
    fx.app.admit(&dir, ids[1].1, &confirmed).await.unwrap();
    let file = fx.app.admission_file(&dir, ids[1].0).await.unwrap();
    assert!(file.sejours[0].over_capacity);
    // Waiting list: the two requests are closed (admitted).
    assert!(
        fx.app
            .waiting_list(&sec, fx.ehpad)
            .await
            .unwrap()
            .is_empty()
    );
    // An aide-soignant may neither manage admissions nor see the waiting list.
    let asg = fx.ctx("as.glycines").await;
    assert!(matches!(
        fx.app
            .create_request(&asg, ids[0].0, &request(&fx, fx.ehpad, "internat"))
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        fx.app.waiting_list(&asg, fx.ehpad).await,
        Err(AppError::Forbidden(_))
    ));
}

async fn decisions_and_contracts_alerts(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let u = person(&fx, &dir, "Durand", "2012-01-15", format!("{}", fx.ditep)).await;
    let bad = RawDecision {
        decision_type: "orientation".into(),
        category_code: "186".into(),
        start_date: "2026-09-01".into(),
        end_date: "2026-08-31".into(),
        ..RawDecision::default()
    };
    assert!(
        field(
            fx.app.save_decision(&dir, u, None, &bad).await.unwrap_err(),
            "end_date"
        )
        .contains("précéder")
    );
    let ok = RawDecision {
        end_date: "2027-03-31".into(),
        creton: false,
        decision_number: "D-2026-001".into(),
        ..bad.clone()
    };
    let did = fx.app.save_decision(&dir, u, None, &ok).await.unwrap();
    let r = fx
        .app
        .create_request(&dir, u, &request(&fx, fx.ditep, "externat"))
        .await
        .unwrap();
    status(&fx, &dir, r, "acceptee", "").await.unwrap();
    let sid = fx
        .app
        .admit(
            &dir,
            r,
            &RawAdmission {
                placements: vec![RawPlacement {
                    unite_id: fx.sessad.to_string(),
                    modalite: "externat".into(),
                }],
                planned_entry: "2026-10-01".into(),
                entry_date: "2026-10-01".into(),
                ..RawAdmission::default()
            },
        )
        .await
        .unwrap()[0];
    let file = fx.app.admission_file(&dir, u).await.unwrap();
    assert!(
        file.alerts
            .iter()
            .any(|a| a.contains("prend fin le 31/03/2027")),
        "{:?}",
        file.alerts
    );
    assert!(
        file.alerts.iter().any(|a| a.contains("non signé")),
        "entry 01/10, today 22/11: {:?}",
        file.alerts
    );
    // A correction is a new version; the first one stays readable.
    let v2 = RawDecision {
        end_date: "2031-08-31".into(),
        version: Some(1),
        ..ok.clone()
    };
    fx.app.save_decision(&dir, u, Some(did), &v2).await.unwrap();
    let versions =
        parcours_store::records::versions(&fx.app.db, fx.org.as_uuid(), "decision", did.as_uuid())
            .await
            .unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0].snapshot.contains("2027-03-31"));
    // Signing the contract clears the alert; signing needs signatories.
    let contrat = RawContrat {
        kind: "dipc".into(),
        signed_on: "2026-11-20".into(),
        ..RawContrat::default()
    };
    assert!(
        field(
            fx.app
                .save_contrat(&dir, sid, None, &contrat)
                .await
                .unwrap_err(),
            "signatories"
        )
        .contains("signé")
    );
    fx.app
        .save_contrat(
            &dir,
            sid,
            None,
            &RawContrat {
                signatories: "M. et Mme Durand, la directrice".into(),
                ..contrat
            },
        )
        .await
        .unwrap();
    let file = fx.app.admission_file(&dir, u).await.unwrap();
    assert!(file.alerts.is_empty(), "{:?}", file.alerts);
}

async fn alerts_follow_the_category_and_one_dipc_covers_concurrent_sejours(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let u = person(&fx, &dir, "Lambert", "2011-03-04", format!("{}", fx.ditep)).await;
    // A valid orientation, but towards an ESAT: it does not entitle a DITEP séjour.
    let esat = RawDecision {
        decision_type: "orientation".into(),
        category_code: "246".into(),
        start_date: "2026-01-01".into(),
        end_date: "2030-12-31".into(),
        ..RawDecision::default()
    };
    fx.app.save_decision(&dir, u, None, &esat).await.unwrap();
    let r = fx
        .app
        .create_request(&dir, u, &request(&fx, fx.ditep, "internat"))
        .await
        .unwrap();
    status(&fx, &dir, r, "acceptee", "").await.unwrap();
    let ids = fx
        .app
        .admit(
            &dir,
            r,
            &RawAdmission {
                placements: vec![
                    RawPlacement {
                        unite_id: fx.internat.to_string(),
                        modalite: "internat".into(),
                    },
                    RawPlacement {
                        unite_id: fx.sessad.to_string(),
                        modalite: "ambulatoire".into(),
                    },
                ],
                planned_entry: "2026-10-01".into(),
                entry_date: "2026-10-01".into(),
                ..RawAdmission::default()
            },
        )
        .await
        .unwrap();
    let file = fx.app.admission_file(&dir, u).await.unwrap();
    assert!(
        file.alerts
            .iter()
            .any(|a| a.contains("sans décision d'orientation")),
        "{:?}",
        file.alerts
    );
    assert_eq!(
        file.sejours.iter().filter(|s| s.contract_overdue).count(),
        2
    );
    // One DIPC for the admission covers both concurrent séjours.
    fx.app
        .save_contrat(
            &dir,
            ids[0],
            None,
            &RawContrat {
                kind: "dipc".into(),
                signed_on: "2026-10-15".into(),
                signatories: "Les parents, la directrice".into(),
                ..RawContrat::default()
            },
        )
        .await
        .unwrap();
    fx.app
        .save_decision(
            &dir,
            u,
            None,
            &RawDecision {
                category_code: "186".into(),
                ..esat
            },
        )
        .await
        .unwrap();
    let file = fx.app.admission_file(&dir, u).await.unwrap();
    assert!(file.alerts.is_empty(), "{:?}", file.alerts);
    let board = fx.app.home_board(&dir).await.unwrap();
    assert!(
        !board
            .contracts
            .iter()
            .chain(board.decisions.iter())
            .any(|i| i.usager_id == u),
        "{board:?}"
    );
}

async fn consents_follow_representation(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let sec = fx.ctx("secretariat").await;
    let adult = person(
        &fx,
        &sec,
        "Bernard",
        "1960-05-05",
        fx.placement(fx.ehpad, fx.glycines),
    )
    .await;
    let tutor = fx
        .app
        .save_proche(
            &sec,
            adult,
            None,
            &RawProche {
                relation: "autre_famille".into(),
                last_name: "Bernard".into(),
                first_name: "Luc".into(),
                ..RawProche::default()
            },
        )
        .await
        .unwrap();
    // A second personne de confiance is refused.
    fx.app
        .save_proche(
            &sec,
            adult,
            None,
            &RawProche {
                relation: "ami".into(),
                last_name: "Roux".into(),
                personne_confiance: true,
                active: true,
                ..RawProche::default()
            },
        )
        .await
        .unwrap();
    let e = fx
        .app
        .save_proche(
            &sec,
            adult,
            None,
            &RawProche {
                relation: "ami".into(),
                last_name: "Noir".into(),
                personne_confiance: true,
                active: true,
                ..RawProche::default()
            },
        )
        .await
        .unwrap_err();
    assert!(field(e, "personne_confiance").contains("Une seule"));
    let consent = |signatory: String, decision: &str| RawConsent {
        purpose: "dmp".into(),
        decision: decision.into(),
        signatory,
        decided_on: "2026-11-22".into(),
        ..RawConsent::default()
    };
    // Before any measure the person consents.
    fx.app
        .record_consent(&sec, adult, &consent("usager".into(), "donne"))
        .await
        .unwrap();
    assert!(
        fx.app
            .may(&sec, adult, "dmp", None)
            .await
            .unwrap()
            .allowed()
    );
    // Under tutelle: the person's earlier consent must be asked again; the person alone is refused.
    let e = fx
        .app
        .save_mesure(
            &sec,
            adult,
            None,
            &RawMesure {
                kind: "tutelle".into(),
                start_date: "2026-11-01".into(),
                end_date: "2026-10-01".into(),
                representative_id: tutor.to_string(),
                ..RawMesure::default()
            },
        )
        .await
        .unwrap_err();
    assert!(field(e, "end_date").contains("précéder"));
    fx.app
        .save_mesure(
            &sec,
            adult,
            None,
            &RawMesure {
                kind: "tutelle".into(),
                start_date: "2026-11-01".into(),
                representative_id: tutor.to_string(),
                ..RawMesure::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        fx.app.may(&sec, adult, "dmp", None).await.unwrap(),
        ConsentAnswer::SignatoryNoLongerEntitled(_)
    ));
    let before = parcours_store::admission::consents(&fx.app.db, fx.org.as_uuid(), adult.as_uuid())
        .await
        .unwrap()
        .len();
    let e = fx
        .app
        .record_consent(&sec, adult, &consent("usager".into(), "donne"))
        .await
        .unwrap_err();
    assert!(field(e, "signatory").contains("Tutelle"));
    assert_eq!(
        parcours_store::admission::consents(&fx.app.db, fx.org.as_uuid(), adult.as_uuid())
            .await
            .unwrap()
            .len(),
        before
    );
    fx.app
        .record_consent(&sec, adult, &consent(tutor.to_string(), "donne"))
        .await
        .unwrap();
    let a = fx.app.may(&sec, adult, "dmp", None).await.unwrap();
    assert!(a.allowed());
    assert_eq!(a.basis().unwrap().signatory, "Luc Bernard");
    // Withdrawal by the tutor.
    fx.app
        .record_consent(&sec, adult, &consent(tutor.to_string(), "retire"))
        .await
        .unwrap();
    assert!(matches!(
        fx.app.may(&sec, adult, "dmp", None).await.unwrap(),
        ConsentAnswer::Withdrawn(_)
    ));
    let states = fx.app.consents(&sec, adult).await.unwrap();
    assert_eq!(
        states
            .iter()
            .find(|s| s.purpose == "dmp")
            .unwrap()
            .history
            .len(),
        3
    );
    // Expiry: the image right lasts 12 months by default.
    fx.app
        .record_consent(
            &sec,
            adult,
            &RawConsent {
                purpose: "droit_image".into(),
                ..consent(tutor.to_string(), "donne")
            },
        )
        .await
        .unwrap();
    assert!(
        fx.app
            .may(&sec, adult, "droit_image", None)
            .await
            .unwrap()
            .allowed()
    );
    fx.clock.advance(jiff::SignedDuration::from_hours(24 * 366));
    assert!(matches!(
        fx.app.may(&sec, adult, "droit_image", None).await.unwrap(),
        ConsentAnswer::Expired(_)
    ));
    // A minor: a holder of parental authority signs, not the child.
    let child = person(&fx, &dir, "Petit", "2015-06-01", format!("{}", fx.ditep)).await;
    let mother = fx
        .app
        .save_proche(
            &dir,
            child,
            None,
            &RawProche {
                relation: "mere".into(),
                last_name: "Petit".into(),
                autorite_parentale: true,
                active: true,
                ..RawProche::default()
            },
        )
        .await
        .unwrap();
    let today = fx
        .app
        .now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    assert!(
        fx.app
            .record_consent(
                &dir,
                child,
                &RawConsent {
                    decided_on: today.clone(),
                    ..consent("usager".into(), "donne")
                }
            )
            .await
            .is_err()
    );
    fx.app
        .record_consent(
            &dir,
            child,
            &RawConsent {
                decided_on: today,
                ..consent(mother.to_string(), "donne")
            },
        )
        .await
        .unwrap();
    // Sharing with named partners only.
    let pharmacie = fx
        .app
        .save_partner(
            &dir,
            None,
            &RawPartner {
                kind: "pharmacie".into(),
                name: "Pharmacie de l'Église".into(),
                ..RawPartner::default()
            },
            true,
        )
        .await
        .unwrap();
    let ecole = fx
        .app
        .save_partner(
            &dir,
            None,
            &RawPartner {
                kind: "ecole".into(),
                name: "École Jules Ferry".into(),
                ..RawPartner::default()
            },
            true,
        )
        .await
        .unwrap();
    let bad = RawPartner {
        kind: "medecin".into(),
        name: "Dr X".into(),
        rpps: "10001234567".into(),
        ..RawPartner::default()
    };
    assert!(
        field(
            fx.app
                .save_partner(&dir, None, &bad, true)
                .await
                .unwrap_err(),
            "rpps"
        )
        .contains("clé")
    );
    assert_eq!(
        fx.app
            .search_partners(&fx.ctx("as.glycines").await, "eglise", None)
            .await
            .unwrap()
            .len(),
        1
    );
    fx.app
        .save_lien(
            &dir,
            child,
            None,
            &RawLien {
                partenaire_id: ecole.to_string(),
                role: "scolarite".into(),
                ..RawLien::default()
            },
        )
        .await
        .unwrap();
    let today = fx
        .app
        .now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let share = RawConsent {
        purpose: "partage_partenaires".into(),
        decided_on: today,
        partners: vec![ecole.to_string()],
        ..consent(mother.to_string(), "donne")
    };
    assert!(
        field(
            fx.app
                .record_consent(
                    &dir,
                    child,
                    &RawConsent {
                        partners: vec![],
                        ..share.clone()
                    }
                )
                .await
                .unwrap_err(),
            "partners"
        )
        .contains("Nommez")
    );
    fx.app.record_consent(&dir, child, &share).await.unwrap();
    assert!(
        fx.app
            .may(&dir, child, "partage_partenaires", Some(ecole))
            .await
            .unwrap()
            .allowed()
    );
    assert!(matches!(
        fx.app
            .may(&dir, child, "partage_partenaires", Some(pharmacie))
            .await
            .unwrap(),
        ConsentAnswer::PartnerNotCovered(_)
    ));
    let file = fx.app.entourage_file(&dir, child).await.unwrap();
    assert_eq!(file.liens.len(), 1);
    assert!(!file.signing.person && file.signing.representatives.len() == 1);
}

async fn unit_places_and_cancelled_admissions(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let admin = fx.ctx("admin").await;
    fx.app
        .set_capacities(
            &admin,
            fx.ditep,
            &[(format!("unite:{}", fx.sessad), "0".to_string())],
        )
        .await
        .unwrap();
    let u = person(&fx, &dir, "Blanc", "2012-02-02", format!("{}", fx.ditep)).await;
    let r = fx
        .app
        .create_request(&dir, u, &request(&fx, fx.ditep, "ambulatoire"))
        .await
        .unwrap();
    status(&fx, &dir, r, "acceptee", "").await.unwrap();
    let admission = RawAdmission {
        placements: vec![RawPlacement {
            unite_id: fx.sessad.to_string(),
            modalite: "ambulatoire".into(),
        }],
        planned_entry: "2026-12-01".into(),
        ..RawAdmission::default()
    };
    let e = fx.app.admit(&dir, r, &admission).await.unwrap_err();
    assert!(field(e, "confirm_over_capacity").contains("unité"));
    let ids = fx
        .app
        .admit(
            &dir,
            r,
            &RawAdmission {
                confirm_over_capacity: true,
                ..admission
            },
        )
        .await
        .unwrap();
    // Cancelling the admission's only séjour puts the request back on the waiting list.
    let s = SejourRow::get(&fx.app.db, fx.org.as_uuid(), ids[0].as_uuid())
        .await
        .unwrap();
    fx.app
        .cancel_sejour(&dir, ids[0], "La famille a déménagé", s.version)
        .await
        .unwrap();
    let req = parcours_store::records::AdmissionRequestRow::get(
        &fx.app.db,
        fx.org.as_uuid(),
        r.as_uuid(),
    )
    .await
    .unwrap();
    assert_eq!(req.status, "en_attente_de_place");
    let list = fx.app.waiting_list(&dir, fx.ditep).await.unwrap();
    assert!(list.iter().any(|x| x.id == r));
}

async fn one_measure_at_a_time_and_its_representative_stays(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let u = person(
        &fx,
        &dir,
        "Roux",
        "1950-01-01",
        fx.placement(fx.ehpad, fx.glycines),
    )
    .await;
    let tutor = fx
        .app
        .save_proche(
            &dir,
            u,
            None,
            &RawProche {
                relation: "enfant".into(),
                last_name: "Roux".into(),
                first_name: "Jean".into(),
                ..RawProche::default()
            },
        )
        .await
        .unwrap();
    let measure = |kind: &str, start: &str| RawMesure {
        kind: kind.into(),
        start_date: start.into(),
        representative_id: tutor.to_string(),
        ..RawMesure::default()
    };
    fx.app
        .save_mesure(&dir, u, None, &measure("tutelle", "2025-01-01"))
        .await
        .unwrap();
    let e = fx
        .app
        .save_mesure(&dir, u, None, &measure("curatelle_renforcee", "2026-01-01"))
        .await
        .unwrap_err();
    assert!(field(e, "start_date").contains("Tutelle"));
    // The tutor cannot leave the entourage while the tutelle is in force.
    let e = fx
        .app
        .save_proche(
            &dir,
            u,
            Some(tutor),
            &RawProche {
                relation: "enfant".into(),
                last_name: "Roux".into(),
                first_name: "Jean".into(),
                active: false,
                version: Some(1),
                ..RawProche::default()
            },
        )
        .await
        .unwrap_err();
    assert!(field(e, "active").contains("mesure"));
}

both!(
    admission_request_to_two_modalities => request_to_two_modality_admission,
    admission_capacity => capacity_warns_and_only_direction_confirms,
    admission_decisions_contracts => decisions_and_contracts_alerts,
    admission_alert_rules => alerts_follow_the_category_and_one_dipc_covers_concurrent_sejours,
    admission_consents => consents_follow_representation,
    admission_unit_places => unit_places_and_cancelled_admissions,
    admission_one_measure => one_measure_at_a_time_and_its_representative_stays,
);
