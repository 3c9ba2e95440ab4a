//! The cahier de liaison over HTTP (pages and API), on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, message};

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

async fn write_read_and_tick_in_the_notebook(t: TestApp) {
    let aide = t.web_login("as.glycines").await;
    let (status, body) = t.page(&aide, "/liaison").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>Cahier de liaison</h1>"));
    assert!(body.contains("href=\"/liaison\">Cahier de liaison</a>"));
    assert!(
        body.contains("pas d&#39;information couverte par le secret médical")
            || body.contains("pas d'information couverte par le secret médical")
    );
    let dest = format!("unite:{}", t.fx.glycines);
    assert!(body.contains(&format!(
        "<option value=\"{dest}\">Les Glycines — EHPAD Les Tilleuls</option>"
    )));
    // Refused in French next to the fields, nothing written.
    let (status, _, body) = t
        .post_form(
            &aide,
            "/liaison",
            &[
                ("destination", ""),
                ("subject", ""),
                ("suivi_2_echeance", "2026-02-31"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Choisissez un destinataire dans la liste"));
    assert!(body.contains("aria-describedby=\"body-erreur"));
    assert!(body.contains("id=\"suivi_2_texte-erreur\""));
    let (status, location, _) = t
        .post_form(
            &aide,
            "/liaison",
            &[
                ("destination", dest.as_str()),
                ("subject", "Kiné déplacé"),
                ("body", "Le kiné passe jeudi à 14 h."),
                ("suivi_1_texte", "Prévenir la famille"),
                ("suivi_1_echeance", "2026-11-24"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/liaison?ok=ecrit");

    // Another professional of the establishment reads it and ticks the follow-up item.
    let med = t.web_login("medecin").await;
    let (_, body) = t.page(&med, "/liaison").await;
    assert!(body.contains("Kiné déplacé"));
    assert!(body.contains("Non lu"));
    assert!(body.contains("Prévenir la famille — pour le 24/11/2026"));
    let id = body
        .split("action=\"/liaison/")
        .filter_map(|s| s.split('/').next())
        .find(|s| s.len() == 36 && !s.starts_with("suivis"))
        .unwrap()
        .to_string();
    let (status, location, _) = t
        .post_form(
            &med,
            &format!("/liaison/{id}/lu"),
            &[("retour", "/liaison?non_lus=1")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/liaison?non_lus=1&ok=lu");
    // An address of another site is never followed.
    let (_, location, _) = t
        .post_form(
            &med,
            &format!("/liaison/{id}/lu"),
            &[("retour", "//ailleurs.example/liaison")],
        )
        .await;
    assert_eq!(location, "/liaison?ok=lu");
    let (_, body) = t.page(&med, &format!("/liaison/{id}")).await;
    assert!(body.contains("Lu par : Paul Lefèvre"));
    let suivi = body
        .split("action=\"/liaison/suivis/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let (status, location, _) = t
        .post_form(
            &med,
            &format!("/liaison/suivis/{suivi}"),
            &[
                ("retour", &format!("/liaison/{id}")),
                ("done", "1"),
                ("seq", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let (_, body) = t.page(&med, &location).await;
    assert!(body.contains("Chose à faire marquée comme faite."));
    assert!(body.contains("Fait le "));
    assert!(body.contains("Remettre à faire"));
    // A physician does not correct someone else's message.
    assert!(!body.contains("Enregistrer la correction"));

    // The author corrects: two versions readable.
    let (status, location, _) = t
        .post_form(
            &aide,
            &format!("/liaison/{id}/correction"),
            &[
                ("version", "1"),
                ("subject", "Kiné déplacé à jeudi"),
                ("body", "Le kiné passe jeudi à 14 h."),
                ("reason", "Sujet plus précis"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, body) = t.page(&aide, &location).await;
    assert!(body.contains("Versions (2)"));
    assert!(body.contains("motif de la correction : Sujet plus précis"));

    // A unit elsewhere: the DITEP educator neither sees nor opens it.
    let educ = t.web_login("educ.internat").await;
    let (_, body) = t.page(&educ, "/liaison").await;
    assert!(!body.contains("Kiné"));
    assert!(body.contains("Messages (0, dont 0 non lu(s))"));
    let (status, _) = t.page(&educ, &format!("/liaison/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_persons_tab_and_the_api(t: TestApp) {
    let u = t.resident().await;
    let aide = t.web_login("as.glycines").await;
    let path = format!("/usagers/{u}/liaison");
    let (status, body) = t.page(&aide, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(&format!("href=\"{path}\">Cahier de liaison</a>")));
    let (status, location, _) = t
        .post_form(
            &aide,
            &path,
            &[
                ("subject", "Coiffeur"),
                ("body", "Rendez-vous mardi à 10 h."),
                ("important", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{path}?ok=ecrit"));
    let (_, body) = t.page(&aide, &location).await;
    assert!(body.contains("Coiffeur"));
    assert!(body.contains("Important"));

    // The API: the same rules.
    let token = t.token("medecin").await;
    let v = t.read(&token, &format!("/usagers/{u}/liaison")).await;
    assert_eq!(v["items"][0]["subject"], "Coiffeur");
    let id = t
        .create(
            &token,
            "/liaison",
            json!({"destination": format!("unite:{}", t.fx.glycines), "subject": "Pharmacie",
                   "body": "Livraison demain matin.", "important": true,
                   "suivis": [{"texte": "Ranger la livraison", "echeance": "2026-11-23"}]}),
        )
        .await;
    let (status, v) = t
        .post(
            &token,
            "/liaison",
            json!({"destination": "unite:x", "subject": "", "body": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v, "destination").starts_with("Choisissez un destinataire"));
    assert_eq!(message(&v, "body"), "Écrivez le message.");
    let nb = t.read(&token, "/liaison?a_faire=true").await;
    assert_eq!(nb["items"].as_array().unwrap().len(), 1);
    let suivi = nb["open_suivis"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = t
        .call(
            reqwest::Method::POST,
            Some(&token),
            &format!("/liaison/{id}/lu"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    t.ok(
        reqwest::Method::POST,
        &token,
        &format!("/liaison/suivis/{suivi}"),
        json!({"done": true, "seq": 0}),
    )
    .await;
    let (status, _) = t
        .post(
            &token,
            &format!("/liaison/suivis/{suivi}"),
            json!({"done": false, "seq": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let d = t.read(&token, &format!("/liaison/{id}")).await;
    assert_eq!(d["message"]["readers"][0]["name"], "Paul Lefèvre");
    assert_eq!(d["message"]["suivis"][0]["done"], true);
    let (status, _) = t
        .post(
            &token,
            &format!("/liaison/{id}/retrait"),
            json!({"reason": "Erreur de destinataire"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let d = t.read(&token, &format!("/liaison/{id}")).await;
    assert_eq!(d["message"]["removed"]["reason"], "Erreur de destinataire");
    // Another unit: refused; the secretariat does not read persons' messages.
    let sec = t.token("secretariat").await;
    let (status, _) = t.get(&sec, &format!("/usagers/{u}/liaison")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let nb = t.read(&sec, "/liaison").await;
    assert!(nb["items"].as_array().unwrap().is_empty());
    let admin = t.token("admin").await;
    let (status, _) = t.get(&admin, "/liaison").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let doc = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    let doc: serde_json::Value = doc.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/liaison"].is_object());
}

both!("liaison"; write_read_and_tick_in_the_notebook, the_persons_tab_and_the_api);
