//! Transmissions ciblées and the relève over HTTP (pages and API), on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestApp;

use jiff::SignedDuration;
use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use parcours_domain::ids::UsagerId;
use reqwest::StatusCode;
use serde_json::json;

impl TestApp {
    async fn resident(&self) -> UsagerId {
        let dir = self.fx.ctx("direction").await;
        let mut raw = identity("Morel", "Louise", None);
        raw.birth_date = "1940-05-04".into();
        self.fx
            .app
            .create_usager(
                &dir,
                &NewUsager {
                    identity: raw,
                    placement: self.fx.placement(self.fx.ehpad, self.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap()
    }
}

async fn write_read_at_the_releve_and_correct(t: TestApp) {
    let u = t.resident().await;
    let aide = t.web_login("as.glycines").await;
    let path = format!("/usagers/{u}/transmissions");
    let (status, body) = t.page(&aide, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Transmissions ciblées"));
    assert!(body.contains("<option value=\"douleur\">Douleur</option>"));
    assert!(
        !body.contains("value=\"medical\""),
        "an aide-soignant cannot write a medical transmission"
    );
    assert!(body.contains("href=\"/releve\">Relève</a>"));
    // Refused in French, next to the fields.
    let (status, _, body) = t
        .post_form(&aide, &path, &[("cible", ""), ("category", "soins")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Choisissez une valeur dans la liste."));
    assert!(body.contains("aria-describedby=\"donnees-erreur\""));
    let (status, location, _) = t
        .post_form(
            &aide,
            &path,
            &[
                ("cible", "chute"),
                ("category", "soins"),
                ("donnees", "Retrouvée au sol à 6 h"),
                ("actions", "Relevée à deux, constantes prises"),
                ("important", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{path}?ok=ecrite"));
    let (_, body) = t.page(&aide, &path).await;
    assert!(body.contains("Retrouvée au sol à 6 h"));
    assert!(body.contains("Important"));

    // The next shift: the physician of the establishment reads it in the unit's relève.
    t.fx.clock.advance(SignedDuration::from_hours(8));
    let med = t.web_login("medecin").await;
    let releve = format!("/releve?unite={}", t.fx.glycines);
    let (status, body) = t.page(&med, &releve).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Relève : Les Glycines"));
    assert!(body.contains("Retrouvée au sol à 6 h"));
    assert!(body.contains("Non lu"));
    assert!(body.contains("Lue par personne pour l'instant."));
    let tid = body
        .split("action=\"/transmissions/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let (status, location, _) = t
        .post_form(
            &med,
            &format!("/transmissions/{tid}/lu"),
            &[("unite", &t.fx.glycines.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/releve?ok=lu&unite={}", t.fx.glycines));
    let (_, body) = t.page(&med, &location).await;
    assert!(body.contains("Lue par : Paul Lefèvre"));
    assert!(body.contains("0 non lue(s)"));

    // Corrected (the aide-soignant is back for another shift): both versions readable.
    let aide = t.web_login("as.glycines").await;
    let (status, location, _) = t
        .post_form(
            &aide,
            &format!("/transmissions/{tid}/correction"),
            &[
                ("version", "1"),
                ("cible", "chute"),
                ("donnees", "Retrouvée au sol à 5 h 30"),
                ("actions", "Relevée à deux, constantes prises"),
                ("resultats", "Pas de douleur"),
                ("important", "on"),
                ("reason", "Heure exacte"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let (_, body) = t.page(&aide, &location).await;
    assert!(body.contains("Versions (2)"), "{body}");
    assert!(body.contains("Retrouvée au sol à 6 h"));
    assert!(body.contains("Retrouvée au sol à 5 h 30"));
    assert!(body.contains("motif de la correction : Heure exacte"));

    // The secretariat has no access to transmissions.
    let sec = t.web_login("secretariat").await;
    assert_eq!(t.page(&sec, &path).await.0, StatusCode::FORBIDDEN);
}

async fn the_api_keeps_medical_transmissions_under_the_medical_secret(t: TestApp) {
    let u = t.resident().await;
    let med = t.token("medecin").await;
    let aide = t.token("as.glycines").await;
    let path = format!("/usagers/{u}/transmissions");
    let medical = t
        .create(
            &med,
            &path,
            json!({"cible": "sante", "category": "medical", "donnees": "Suspicion d'infection urinaire"}),
        )
        .await;
    t.create(
        &aide,
        &path,
        json!({"cible": "sommeil", "category": "soins", "donnees": "Nuit calme", "important": false}),
    )
    .await;
    let (status, v) = t
        .post(
            &aide,
            &path,
            json!({"cible": "sante", "category": "medical", "donnees": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    let list = t.read(&aide, &path).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains("infection"));
    let r = t
        .read(&aide, &format!("/releve?unite={}", t.fx.glycines))
        .await;
    assert_eq!(r["items"].as_array().unwrap().len(), 1);
    assert_eq!(r["unread"], 1);
    let (status, _) = t.get(&aide, &format!("/transmissions/{medical}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The physician sees both, corrects the medical one, and reads both versions.
    assert_eq!(
        t.read(&med, &path).await["items"].as_array().unwrap().len(),
        2
    );
    let (status, v) = t
        .post(
            &med,
            &format!("/transmissions/{medical}/correction"),
            json!({"version": 1, "cible": "sante", "donnees": "Infection urinaire confirmée",
                   "reason": "Résultat de la bandelette"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["version"], 2);
    let h = t.read(&med, &format!("/transmissions/{medical}")).await;
    assert_eq!(h["versions"].as_array().unwrap().len(), 2);
    // Read receipts over the API.
    let (status, _) = t
        .post(&med, &format!("/transmissions/{medical}/lu"), json!(null))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let r = t
        .read(&med, &format!("/releve?unite={}", t.fx.glycines))
        .await;
    assert_eq!(r["unread"], 1);
    let (status, v) = t
        .post(
            &med,
            "/releve/tout-lu",
            json!({"unite": t.fx.glycines.to_string(), "depuis": r["since"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["marquees"], 1);
    let doc = t.read(&med, "/openapi.json").await;
    assert!(doc["paths"]["/api/v1/usagers/{id}/transmissions"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/releve"]["get"].is_object());
}

both!("transmission"; write_read_at_the_releve_and_correct, the_api_keeps_medical_transmissions_under_the_medical_secret);
