//! The care record's vital signs and measures, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use parcours_app::soins::{RawAnnulation, RawCorrection};
use parcours_app::testing::{Fixture, identity};
use parcours_app::usager::NewUsager;
use parcours_app::{AppError, Ctx};
use parcours_domain::ids::UsagerId;
use parcours_domain::soins::{Kind, RawReleve, Severity};
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

/// A psychologue assigned to the whole EHPAD (not among the fixture's accounts).
async fn psychologue(fx: &Fixture) -> Ctx {
    let (org, uid) = (fx.org.as_uuid(), Uuid::from_u128(900));
    let mut tx = fx.app.db.begin().await.unwrap();
    insert_user(
        &mut tx,
        &UserRow {
            organisation_id: org,
            id: uid,
            login: "psy.ehpad".into(),
            first_name: "Élise".into(),
            last_name: "Fontaine".into(),
            profession: "autre".into(),
            rpps: None,
            adeli: None,
            role: "psychologue".into(),
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
        &[(Uuid::from_u128(901), fx.ehpad.as_uuid(), None)],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    fx.ctx("psy.ehpad").await
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

fn weight(at: &str, kg: &str) -> RawReleve {
    RawReleve {
        measured_at: at.into(),
        poids: kg.into(),
        ..RawReleve::default()
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

async fn impossible_values_are_refused_and_abnormal_ones_flagged(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let u = resident(&fx, &dir, "Morel").await;
    // 20 °C is a typing error: nothing of the relevé is written, the message is in French.
    let bad = RawReleve {
        measured_at: "2026-11-22T08:30".into(),
        temperature: "20".into(),
        pouls: "72".into(),
        ..RawReleve::default()
    };
    let msg = field(
        fx.app.record_releve(&aide, u, &bad).await.unwrap_err(),
        "temperature",
    );
    assert!(msg.contains("valeur impossible"), "{msg}");
    let s = fx.app.soins_summary(&aide, u).await.unwrap();
    assert!(s.latest.iter().all(|l| l.mesure.is_none()));
    assert!(
        !audit_codes(&fx, u)
            .await
            .contains(&"soins.mesure".to_string())
    );
    // In the future: refused.
    let future = RawReleve {
        measured_at: "2026-11-23T08:30".into(),
        pouls: "72".into(),
        ..RawReleve::default()
    };
    assert!(
        field(
            fx.app.record_releve(&aide, u, &future).await.unwrap_err(),
            "measured_at"
        )
        .contains("futur")
    );
    // The aide-soignant records a relevé; abnormal values are flagged.
    let ok = RawReleve {
        measured_at: "2026-11-22T08:30".into(),
        temperature: "38,6".into(),
        spo2: "88".into(),
        tension: "128".into(),
        tension_diastolique: "76".into(),
        pouls: "84".into(),
        note: "Toux depuis hier".into(),
        ..RawReleve::default()
    };
    let ids = fx.app.record_releve(&aide, u, &ok).await.unwrap();
    assert_eq!(ids.len(), 4);
    let s = fx.app.soins_summary(&aide, u).await.unwrap();
    let latest = |k: Kind| {
        s.latest
            .iter()
            .find(|l| l.kind == k)
            .and_then(|l| l.mesure.clone())
            .unwrap()
    };
    assert!(latest(Kind::Temperature).flags[0].contains("fièvre"));
    assert_eq!(latest(Kind::Temperature).display, "38,6 °C");
    assert!(latest(Kind::Spo2).flags[0].contains("90 %"));
    assert!(latest(Kind::Tension).flags.is_empty());
    assert_eq!(latest(Kind::Tension).display, "128/76 mmHg");
    assert_eq!(latest(Kind::Pouls).recorded_by, "Karim Haddad");
    assert_eq!(s.alerts.len(), 2, "{:?}", s.alerts);
    let codes = audit_codes(&fx, u).await;
    assert!(codes.contains(&"soins.mesure".to_string()));
    assert!(codes.contains(&"soins.consultation".to_string()));

    // A mistaken measure is cancelled with its reason, never deleted; a correction replaces it.
    let spo2 = latest(Kind::Spo2).id;
    assert!(
        field(
            fx.app
                .correct_mesure(
                    &aide,
                    spo2,
                    &RawCorrection {
                        reason: String::new(),
                        value: "120".into(),
                        ..RawCorrection::default()
                    }
                )
                .await
                .unwrap_err(),
            "value"
        )
        .contains("impossible")
    );
    let fixed = fx
        .app
        .correct_mesure(
            &aide,
            spo2,
            &RawCorrection {
                reason: "Capteur mal placé".into(),
                value: "96".into(),
                ..RawCorrection::default()
            },
        )
        .await
        .unwrap();
    let series = fx
        .app
        .mesure_series(
            &aide,
            u,
            Kind::Spo2,
            jiff::civil::date(2026, 11, 1),
            jiff::civil::date(2026, 11, 22),
        )
        .await
        .unwrap();
    assert_eq!(series.len(), 2);
    let old = series.iter().find(|m| m.id == spo2).unwrap();
    assert!(old.cancelled);
    assert_eq!(old.cancel_reason.as_deref(), Some("Capteur mal placé"));
    let new = series.iter().find(|m| m.id == fixed).unwrap();
    assert_eq!(
        (new.corrects, new.value, new.cancelled),
        (Some(spo2), 96.0, false)
    );
    assert_eq!(new.measured_at, old.measured_at);
    let s = fx.app.soins_summary(&aide, u).await.unwrap();
    assert_eq!(s.alerts.len(), 1, "{:?}", s.alerts);
    // Cancelled twice: refused.
    assert!(
        field(
            fx.app
                .cancel_mesure(
                    &aide,
                    spo2,
                    &RawAnnulation {
                        reason: "encore".into()
                    }
                )
                .await
                .unwrap_err(),
            "reason"
        )
        .contains("déjà annulée")
    );
    // A cancellation needs a reason.
    let temp = latest(Kind::Temperature).id;
    assert!(matches!(
        fx.app
            .cancel_mesure(&aide, temp, &RawAnnulation::default())
            .await,
        Err(AppError::Validation(_))
    ));
    fx.app
        .cancel_mesure(
            &aide,
            temp,
            &RawAnnulation {
                reason: "Mauvais résident".into(),
            },
        )
        .await
        .unwrap();
    let s = fx.app.soins_summary(&aide, u).await.unwrap();
    assert!(s.alerts.is_empty(), "{:?}", s.alerts);
    assert!(
        audit_codes(&fx, u)
            .await
            .contains(&"soins.annulation_mesure".to_string())
    );
}

async fn undernutrition_is_alerted_on_weight_loss(fx: Fixture) {
    let ide = fx.ctx("as.glycines").await;
    let dir = fx.ctx("direction").await;
    // 5 % in one month.
    let a = resident(&fx, &dir, "Perrin").await;
    for (at, kg) in [("2026-10-24T10:00", "60"), ("2026-11-21T10:00", "57")] {
        fx.app
            .record_releve(&ide, a, &weight(at, kg))
            .await
            .unwrap();
    }
    let s = fx.app.soins_summary(&ide, a).await.unwrap();
    let alert = s.undernutrition.unwrap();
    assert_eq!((alert.window, alert.loss_percent), ("1 mois", 5.0));
    assert_eq!(alert.severity, Severity::Moderee);
    assert!(alert.message.contains("dénutrition"));
    // 4 % in one month: no alert.
    let b = resident(&fx, &dir, "Lambert").await;
    for (at, kg) in [("2026-10-24T10:00", "50"), ("2026-11-21T10:00", "48")] {
        fx.app
            .record_releve(&ide, b, &weight(at, kg))
            .await
            .unwrap();
    }
    assert!(
        fx.app
            .soins_summary(&ide, b)
            .await
            .unwrap()
            .undernutrition
            .is_none()
    );
    // 10 % in six months, slowly; the clock moves on with the measures.
    let c = resident(&fx, &dir, "Garnier").await;
    for (day, kg) in [
        ("2026-06-01T09:00:00Z", "72"),
        ("2026-08-01T09:00:00Z", "69"),
        ("2026-10-01T09:00:00Z", "67"),
        ("2026-11-20T09:00:00Z", "64.8"),
    ] {
        fx.clock.set(day.parse().unwrap());
        fx.app
            .record_releve(&ide, c, &weight("", kg))
            .await
            .unwrap();
    }
    let s = fx.app.soins_summary(&ide, c).await.unwrap();
    let alert = s.undernutrition.unwrap();
    assert_eq!((alert.window, alert.loss_percent), ("6 mois", 10.0));
    assert_eq!(alert.reference_kg, 72.0);
    // With a height, the BMI is computed and judged for an 86-year-old (HAS 2021: < 22).
    fx.app
        .record_releve(
            &ide,
            c,
            &RawReleve {
                taille: "175".into(),
                ..RawReleve::default()
            },
        )
        .await
        .unwrap();
    let s = fx.app.soins_summary(&ide, c).await.unwrap();
    let bmi = s.bmi.unwrap();
    assert_eq!(bmi.value, 21.2);
    assert!(bmi.flag.unwrap().contains("HAS 2021"));
    // The mistaken last weight cancelled: the alert goes with it.
    let last = s
        .latest
        .iter()
        .find(|l| l.kind == Kind::Poids)
        .and_then(|l| l.mesure.clone())
        .unwrap();
    fx.app
        .cancel_mesure(
            &ide,
            last.id,
            &RawAnnulation {
                reason: "Pesée avec le fauteuil".into(),
            },
        )
        .await
        .unwrap();
    assert!(
        fx.app
            .soins_summary(&ide, c)
            .await
            .unwrap()
            .undernutrition
            .is_none()
    );
}

async fn who_may_read_and_write_the_care_record(fx: Fixture) {
    let dir = fx.ctx("direction").await;
    let aide = fx.ctx("as.glycines").await;
    let psy = psychologue(&fx).await;
    let educ = fx.ctx("educ.internat").await;
    let secretariat = fx.ctx("secretariat").await;
    let u = resident(&fx, &dir, "Roussel").await;
    let releve = RawReleve {
        measured_at: "2026-11-22T08:00".into(),
        pouls: "70".into(),
        ..RawReleve::default()
    };
    let ids = fx.app.record_releve(&aide, u, &releve).await.unwrap();
    // The psychologue reads but may not write, nor cancel.
    let s = fx.app.soins_summary(&psy, u).await.unwrap();
    assert!(s.latest.iter().any(|l| l.mesure.is_some()));
    assert!(matches!(
        fx.app.record_releve(&psy, u, &releve).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        fx.app
            .cancel_mesure(&psy, ids[0], &RawAnnulation { reason: "x".into() })
            .await,
        Err(AppError::Forbidden(_))
    ));
    // The secretariat has no access to the care record.
    assert!(matches!(
        fx.app.soins_summary(&secretariat, u).await,
        Err(AppError::Forbidden(_))
    ));
    // An éducateur of the DITEP: out of scope, for reading and writing; each refusal audited.
    assert!(matches!(
        fx.app.soins_summary(&educ, u).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        fx.app.record_releve(&educ, u, &releve).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        fx.app
            .soins_file(
                &educ,
                u,
                jiff::civil::date(2026, 11, 1),
                jiff::civil::date(2026, 11, 22)
            )
            .await,
        Err(AppError::Forbidden(_))
    ));
    let refused = audit_codes(&fx, u)
        .await
        .iter()
        .filter(|c| *c == "acces.refuse")
        .count();
    assert!(refused >= 5, "{refused}");
    // Nothing was written by the refused ones.
    let file = fx
        .app
        .soins_file(
            &dir,
            u,
            jiff::civil::date(2026, 11, 1),
            jiff::civil::date(2026, 11, 22),
        )
        .await
        .unwrap();
    let pouls = file.series.iter().find(|s| s.kind == Kind::Pouls).unwrap();
    assert_eq!(pouls.mesures.len(), 1);
    assert!(!pouls.mesures[0].cancelled);
}

both!(
    soins_ranges => impossible_values_are_refused_and_abnormal_ones_flagged,
    soins_undernutrition => undernutrition_is_alerted_on_weight_loss,
    soins_gate => who_may_read_and_write_the_care_record,
);
