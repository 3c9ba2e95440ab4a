//! `POST /api/v1/aggir/compute` over real HTTP. A database is needed only for the login (SQLite):
//! the computation stores nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use parcours_app::testing::{Fixture, PASSWORD};
use parcours_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct TestApp {
    base: String,
    http: reqwest::Client,
    _fx: Fixture,
}

impl TestApp {
    async fn spawn() -> (TestApp, parcours_store::testing::TempDir) {
        let (db, dir) = parcours_store::testing::sqlite().await.unwrap();
        let fx = Fixture::new(db).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState {
            app: fx.app.clone(),
            config: WebConfig {
                secure_cookies: false,
            },
        };
        tokio::spawn(parcours_web::serve(listener, state, std::future::pending()));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        (
            TestApp {
                base,
                http,
                _fx: fx,
            },
            dir,
        )
    }

    async fn token(&self, login: &str) -> String {
        let resp = self
            .http
            .post(format!("{}/api/v1/session", self.base))
            .json(&json!({"login": login, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::CREATED);
        resp.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn compute(&self, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        let mut req = self
            .http
            .post(format!("{}/api/v1/aggir/compute", self.base))
            .json(&body);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, value)
    }
}

fn yes() -> Value {
    json!({"spontanement": true, "totalement": true, "correctement": true, "habituellement": true})
}

fn no() -> Value {
    json!({"spontanement": false, "totalement": false, "correctement": false, "habituellement": false})
}

/// The full form, every answer "yes", with the field names the app will store.
fn autonomous() -> Value {
    json!({
        "coherence": {"communication": yes(), "comportement": yes()},
        "orientation": {"temps": yes(), "espace": yes()},
        "toilette": {"haut": yes(), "bas": yes()},
        "habillage": {"haut": yes(), "moyen": yes(), "bas": yes()},
        "alimentation": {"se_servir": yes(), "manger": yes()},
        "elimination": {"urinaire": yes(), "fecale": yes()},
        "transferts": yes(),
        "deplacements_interieurs": yes(),
        "deplacements_exterieurs": yes(),
        "communication_a_distance": yes(),
        "gestion": yes(),
        "cuisine": yes(),
        "menage": yes(),
        "transports": yes(),
        "achats": yes(),
        "suivi_du_traitement": yes(),
        "activites_temps_libre": yes()
    })
}

#[tokio::test]
async fn computes_a_gir_from_the_letters_with_its_explanation() {
    let (t, _dir) = TestApp::spawn().await;
    // Any session will do, even one without access to any person (the administrator).
    let token = t.token("admin").await;
    let (status, body) = t
        .compute(Some(&token), json!({"variables": "AABBAAAAAA"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["gir"], 4);
    assert_eq!(body["rang"], 11);
    assert_eq!(body["variables"], "AABBAAAAAA");
    assert_eq!(body["letters"]["toilette"], "B");
    assert_eq!(body["letters"]["coherence"], "A");
    assert_eq!(body["letters"].as_object().unwrap().len(), 10);
    let e = &body["explanation"];
    assert_eq!(
        e["decision"],
        json!({
            "group": "H", "score": 4000, "threshold": 4000, "rang": 11, "gir": 4,
            "text": "Décision : groupe H, score 4000 ≥ seuil 4000 → rang 11 → GIR 4 (annexe 2-2, \
                     passage des rangs aux groupes : rangs 10, 11 → GIR 4)."
        })
    );
    let groups = e["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 8);
    assert_eq!(groups[0]["group"], "A");
    assert_eq!(groups[0]["score"], 32);
    assert_eq!(groups[0]["matched"], false);
    assert_eq!(groups[7]["matched"], true);
    assert_eq!(groups[7]["rang"], 11);
    assert_eq!(
        groups[7]["contributions"],
        json!([
            {"variable": "toilette", "letter": "B", "points": 2000},
            {"variable": "habillage", "letter": "B", "points": 2000}
        ])
    );
    assert_eq!(
        groups[7]["thresholds"],
        json!([{"min": 4000, "rang": 11}, {"min": 2000, "rang": 12}, {"min": null, "rang": 13}])
    );
    assert_eq!(e["variables"][2]["code"], "toilette");
    assert_eq!(e["variables"][2]["letter"], "B");
    assert!(
        e["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().starts_with("  Groupe H : score 4000"))
    );

    let (status, lower) = t
        .compute(Some(&token), json!({"variables": "ccaaaaaaaa"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (lower["gir"].as_u64(), lower["rang"].as_u64()),
        (Some(2), Some(4))
    );
}

#[tokio::test]
async fn computes_a_gir_from_a_full_evaluation() {
    let (t, _dir) = TestApp::spawn().await;
    let token = t.token("as.glycines").await;
    let mut ev = autonomous();
    ev["toilette"]["bas"] = no();
    ev["habillage"]["bas"] = json!({"spontanement": false, "totalement": false, "correctement": true, "habituellement": true});
    ev["menage"] = no();
    let (status, body) = t.compute(Some(&token), json!({"evaluation": ev})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["gir"].as_u64(), body["rang"].as_u64()),
        (Some(4), Some(11))
    );
    assert_eq!(body["variables"], "AABBAAAAAA");
    assert_eq!(body["letters"].as_object().unwrap().len(), 17);
    assert_eq!(body["letters"]["menage"], "C");
    let toilette = &body["explanation"]["variables"][2];
    assert_eq!(toilette["sub_variables"][1]["code"], "toilette_bas");
    assert_eq!(toilette["sub_variables"][1]["letter"], "C");
    assert_eq!(
        toilette["sub_variables"][1]["missing_adverbs"],
        json!([
            "spontanement",
            "totalement",
            "correctement",
            "habituellement"
        ])
    );
    assert!(
        toilette["reason"]
            .as_str()
            .unwrap()
            .contains("combinaison AC → B")
    );
    let habillage_bas = &body["explanation"]["variables"][3]["sub_variables"][2];
    assert_eq!(
        habillage_bas["missing_adverbs"],
        json!(["spontanement", "totalement"])
    );
    let menage = &body["explanation"]["variables"][12];
    assert_eq!(menage["code"], "menage");
    assert_eq!(menage["discriminant"], false);
}

#[tokio::test]
async fn refuses_bad_input_in_the_api_error_shape() {
    let (t, _dir) = TestApp::spawn().await;
    let token = t.token("admin").await;

    let (status, body) = t
        .compute(Some(&token), json!({"variables": "AABDAAAAAA"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let messages = body["errors"]["variables"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0]
            .as_str()
            .unwrap()
            .contains("« D » en position 4 (habillage) n'est pas une modalité AGGIR"),
        "{body}"
    );

    let (status, body) = t.compute(Some(&token), json!({"variables": "AAB"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["variables"][0]
            .as_str()
            .unwrap()
            .contains("10 lettres attendues")
    );

    let (status, body) = t.compute(Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["variables"][0].as_str().is_some(), "{body}");

    let (status, body) = t
        .compute(
            Some(&token),
            json!({"variables": "AAAAAAAAAA", "evaluation": autonomous()}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"]["body"][0],
        "Donnez soit « variables », soit « evaluation », pas les deux."
    );

    // Unknown and missing fields of the full form are refused.
    let mut unknown = autonomous();
    unknown["toilette"]["milieu"] = yes();
    let (status, body) = t
        .compute(Some(&token), json!({"evaluation": unknown}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["errors"]["body"][0].as_str().is_some(), "{body}");
    let mut missing = autonomous();
    missing.as_object_mut().unwrap().remove("achats");
    let (status, body) = t
        .compute(Some(&token), json!({"evaluation": missing}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = t
        .compute(Some(&token), json!({"variables": "AAAAAAAAAA", "gir": 4}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn requires_a_session() {
    let (t, _dir) = TestApp::spawn().await;
    let (status, body) = t.compute(None, json!({"variables": "AABBAAAAAA"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["errors"]["session"][0].as_str().is_some());
    let (status, _) = t
        .compute(Some("not-a-token"), json!({"variables": "AABBAAAAAA"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_describes_the_route_and_the_full_form() {
    let (t, _dir) = TestApp::spawn().await;
    let doc: Value = t
        .http
        .get(format!("{}/api/v1/openapi.json", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let op = &doc["paths"]["/api/v1/aggir/compute"]["post"];
    assert!(op.is_object(), "{}", doc["paths"]);
    let schemas = &doc["components"]["schemas"];
    let evaluation = &schemas["AggirIn"]["properties"]["evaluation"];
    assert_eq!(
        evaluation["properties"]["alimentation"]["required"],
        json!(["se_servir", "manger"])
    );
    assert_eq!(
        evaluation["properties"]["transferts"]["required"],
        json!([
            "spontanement",
            "totalement",
            "correctement",
            "habituellement"
        ])
    );
    assert_eq!(evaluation["required"].as_array().unwrap().len(), 17);
    assert!(schemas["AggirOut"]["properties"]["explanation"].is_object());
}
