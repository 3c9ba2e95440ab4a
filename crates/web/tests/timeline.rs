//! The person's timeline over HTTP (the *Chronologie* page and the API), on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, message};

use jiff::SignedDuration;
use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use parcours_domain::ids::UsagerId;
use parcours_domain::transmission::RawTransmission;
use reqwest::StatusCode;

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

    /// `n` transmissions a minute apart, then one medical one by the physician.
    async fn notes(&self, u: UsagerId, n: usize) {
        let aide = self.fx.ctx("as.glycines").await;
        let med = self.fx.ctx("medecin").await;
        for i in 0..n {
            self.fx.clock.advance(SignedDuration::from_mins(1));
            self.fx
                .app
                .write_transmission(
                    &aide,
                    u,
                    &RawTransmission {
                        cible: "sommeil".into(),
                        category: "soins".into(),
                        donnees: format!("Nuit calme numéro {i}"),
                        ..RawTransmission::default()
                    },
                )
                .await
                .unwrap();
        }
        self.fx
            .app
            .write_transmission(
                &med,
                u,
                &RawTransmission {
                    cible: "douleur".into(),
                    category: "medical".into(),
                    donnees: "Secret : bilan rhumatologique".into(),
                    ..RawTransmission::default()
                },
            )
            .await
            .unwrap();
    }
}

async fn the_chronologie_page_filters_and_pages(t: TestApp) {
    let u = t.resident().await;
    t.notes(u, 35).await;
    let aide = t.web_login("as.glycines").await;
    let path = format!("/usagers/{u}/chronologie");
    let (status, body) = t.page(&aide, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>Chronologie</h1>"));
    assert!(body.contains(&format!("href=\"{path}\">Chronologie</a>")));
    assert!(body.contains("Nuit calme numéro 34"));
    assert!(!body.contains("Secret"), "the aide-soignant never sees it");
    assert!(body.contains("id=\"type-transmission\""));
    // Filtered to transmissions, the next page keeps the filter.
    let (status, body) = t.page(&aide, &format!("{path}?type=transmission")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("id=\"type-transmission\" name=\"type\" value=\"transmission\" checked"));
    let start = body
        .find("?type=transmission&#38;apres=")
        .expect("older link");
    let href: String = body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect::<String>()
        .replace("&#38;", "&");
    let (status, older) = t.page(&aide, &format!("{path}{href}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(older.contains("Nuit calme numéro 4<"), "{older}");
    assert!(!older.contains("Nuit calme numéro 34"));
    assert!(older.contains("Revenir aux plus récents"));
    // A wrong filter: the form again with the message next to the field.
    let (status, body) = t.page(&aide, &format!("{path}?du=2026-13-45")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("aria-describedby=\"du-erreur\""));
    // Out of scope: refused.
    let educ = t.web_login("educ.internat").await;
    let (status, _) = t.page(&educ, &path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_api_pages_and_keeps_the_medical_secret(t: TestApp) {
    let u = t.resident().await;
    t.notes(u, 31).await;
    let med = t.token("medecin").await;
    let v = t.read(&med, &format!("/usagers/{u}/chronologie")).await;
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 30);
    assert_eq!(items[0]["summary"], "Secret : bilan rhumatologique");
    let next = v["next"].as_str().unwrap().to_string();
    let v2 = t
        .read(&med, &format!("/usagers/{u}/chronologie?apres={next}"))
        .await;
    assert_eq!(v2["items"].as_array().unwrap().len(), 2);
    assert!(v2["next"].is_null());
    let aide = t.token("as.glycines").await;
    let v = t
        .read(
            &aide,
            &format!("/usagers/{u}/chronologie?type=transmission&type=mesure"),
        )
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 30);
    assert!(!v.to_string().contains("Secret"));
    let (status, e) = t
        .get(&aide, &format!("/usagers/{u}/chronologie?type=piscine"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(message(&e, "type"), "Choisissez des types dans la liste.");
    let educ = t.token("educ.internat").await;
    let (status, _) = t.get(&educ, &format!("/usagers/{u}/chronologie")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let doc = t.read(&med, "/openapi.json").await;
    assert!(doc["paths"]["/api/v1/usagers/{id}/chronologie"]["get"].is_object());
}

both!("timeline"; the_chronologie_page_filters_and_pages, the_api_pages_and_keeps_the_medical_secret);
