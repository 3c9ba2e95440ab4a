//! The full-text search page and API, on SQLite and PostgreSQL: highlighted extracts, escaping,
//! French errors, and nothing of a medical transmission for an aide-soignant.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestApp;

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

async fn the_page_highlights_and_escapes(t: TestApp) {
    let u = t.resident().await;
    let aide = t.token("as.glycines").await;
    let med = t.token("medecin").await;
    let path = format!("/usagers/{u}/transmissions");
    t.create(
        &aide,
        &path,
        json!({"cible": "douleur", "category": "soins",
               "donnees": "Douleurs <b>fortes</b> au genou après la marche"}),
    )
    .await;
    t.create(
        &med,
        &path,
        json!({"cible": "sante", "category": "medical",
               "donnees": "Genou : épanchement, ponction envisagée"}),
    )
    .await;
    let web = t.web_login("as.glycines").await;
    let (status, body) = t.page(&web, "/recherche").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Rechercher dans les transmissions et les écrits"));
    assert!(body.contains("href=\"/recherche\""));
    let (status, body) = t.page(&web, "/recherche?q=DOULEUR").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<mark>Douleurs</mark>"), "{body}");
    assert!(
        body.contains("&#60;b&#62;fortes&#60;/b&#62;"),
        "the content is escaped: {body}"
    );
    assert!(!body.contains("<b>fortes</b>"));
    // The aide-soignant's search for the medical word shows nothing, not even a count.
    let (status, body) = t.page(&web, "/recherche?q=ponction").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Aucun résultat pour « ponction »."));
    assert!(!body.contains("épanchement"));
    let (_, body) = t.page(&web, "/recherche?q=genou").await;
    assert_eq!(body.matches("<article").count(), 1);
    // A question of common words only is refused in French.
    let (status, body) = t.page(&web, "/recherche?q=de+la").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Ces mots sont trop courants"));
    // The physician finds both, through the API too, narrowed to the person.
    let v = t
        .read(&med, &format!("/recherche?q=genou&usager={u}"))
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["items"][0]["kind"], "transmission");
    let v = t.read(&aide, "/recherche?q=genou").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1, "{v}");
    let (status, v) = t.get(&aide, "/recherche?q=").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let educ = t.token("educ.internat").await;
    let (status, _) = t
        .get(&educ, &format!("/recherche?q=genou&usager={u}"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let doc = t.read(&med, "/openapi.json").await;
    assert!(doc["paths"]["/api/v1/recherche"]["get"].is_object());
}

both!("search"; the_page_highlights_and_escapes);
