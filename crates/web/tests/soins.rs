//! The care record's page and API over HTTP, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestApp;

use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use parcours_domain::ids::UsagerId;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

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

async fn the_care_page_records_charts_and_refuses_in_french(t: TestApp) {
    let u = t.resident().await;
    let cookie = t.web_login("as.glycines").await;
    let page = |cookie: String| {
        let req = t
            .http
            .get(t.url(&format!("/usagers/{u}/soins")))
            .header("cookie", cookie);
        async move { req.send().await.unwrap() }
    };
    let resp = page(cookie.clone()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Soins : constantes et mesures"));
    assert!(body.contains(&format!("href=\"/usagers/{u}/soins\">Soins</a>")));
    assert!(body.contains("Aucune mesure sur la période."));
    assert!(!body.contains("<svg"));

    // An impossible temperature: the form again, in French, next to the field; nothing written.
    let resp = t
        .http
        .post(t.url(&format!("/usagers/{u}/soins")))
        .header("cookie", &cookie)
        .form(&[
            ("measured_at", "2026-11-22T08:30"),
            ("temperature", "20"),
            ("pouls", "72"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("Température : 20,0 °C est une valeur impossible"),
        "{body}"
    );
    assert!(body.contains("aria-describedby=\"temperature-erreur\""));
    assert!(body.contains("value=\"72\""), "the typed values are kept");
    assert!(
        !page(cookie.clone())
            .await
            .text()
            .await
            .unwrap()
            .contains("<svg")
    );

    // Two weighings a month apart (5 % lost) and a low saturation.
    for (at, kg, spo2) in [
        ("2026-10-24T10:00", "60", ""),
        ("2026-11-21T10:00", "57", "88"),
    ] {
        let resp = t
            .http
            .post(t.url(&format!("/usagers/{u}/soins")))
            .header("cookie", &cookie)
            .form(&[("measured_at", at), ("poids", kg), ("spo2", spo2)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            resp.headers()[LOCATION],
            format!("/usagers/{u}/soins?ok=mesure").as_str()
        );
    }
    let body = page(cookie.clone()).await.text().await.unwrap();
    assert!(body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(body.contains("role=\"img\" aria-label=\"Poids du "));
    assert!(body.contains("Alerte dénutrition"));
    assert!(body.contains("Perte de poids de 5,0 % en 1 mois"));
    assert!(body.contains("Anormal : saturation basse"));
    assert!(
        body.contains("<caption>Poids du "),
        "a data table alternative"
    );
    assert!(!body.contains("style="), "the CSP forbids inline styles");

    // The secretariat has no access to the care record.
    let sec = t.web_login("secretariat").await;
    assert_eq!(page(sec).await.status(), StatusCode::FORBIDDEN);

    // Over the API: the same rules, the same messages.
    let token = t.token("as.glycines").await;
    let resp = t
        .http
        .post(t.url(&format!("/api/v1/usagers/{u}/soins")))
        .bearer_auth(&token)
        .json(&json!({"spo2": "120"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = resp.json().await.unwrap();
    assert!(
        v["errors"]["spo2"][0]
            .as_str()
            .unwrap()
            .contains("valeur impossible")
    );
    let v: Value = t
        .http
        .get(t.url(&format!("/api/v1/usagers/{u}/soins")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["undernutrition"]["window"], "1 mois");
    let series: Value = t
        .http
        .get(t.url(&format!(
            "/api/v1/usagers/{u}/soins/poids?du=2026-10-01&au=2026-11-22"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(series.as_array().unwrap().len(), 2);
    let last = series[1]["id"].as_str().unwrap().to_string();
    // Cancelled from the page, with its reason: the alert goes.
    let resp = t
        .http
        .post(t.url(&format!("/soins/mesures/{last}/annulation")))
        .header("cookie", &cookie)
        .form(&[("reason", "Pesée avec le fauteuil")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let body = page(cookie.clone()).await.text().await.unwrap();
    assert!(!body.contains("Alerte dénutrition"));
    assert!(body.contains("annulée : Pesée avec le fauteuil"));
    let doc: Value = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/usagers/{id}/soins"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/soins/mesures/{id}/correction"]["post"].is_object());
}

both!("soins"; the_care_page_records_charts_and_refuses_in_french);
