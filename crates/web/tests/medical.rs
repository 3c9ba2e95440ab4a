//! The medical file over HTTP, on SQLite and PostgreSQL: the allergies banner shown to an
//! aide-soignant who cannot read the medical file, corrections that keep the old version, bad
//! input refused in French with nothing written, the API and the administrator's setting;
//! break-the-glass and its review queue, delegation granted and revoked by a physician.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestApp;

use parcours_app::domain::ids::UsagerId;
use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};

impl TestApp {
    /// Posts a form with a session cookie and returns the whole response.
    async fn submit(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    async fn person(&self) -> UsagerId {
        let ctx = self.fx.ctx("direction").await;
        self.fx
            .app
            .create_usager(
                &ctx,
                &NewUsager {
                    identity: identity("MEDICAL", "Jeanne", None),
                    placement: self.fx.placement(self.fx.ehpad, self.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap()
    }
}

async fn an_aide_soignant_sees_the_allergies_but_not_the_medical_file(t: TestApp) {
    let id = t.person().await;
    let doc = t.web_login("medecin").await;
    let base = format!("/usagers/{id}/medical");
    let resp = t
        .submit(
            &doc,
            &format!("{base}/allergies/nouveau"),
            &[
                ("substance", "Pénicilline"),
                ("kind", "allergie"),
                ("severity", "anaphylaxie"),
                ("reaction", "Œdème de Quincke"),
                ("noted_on", "2020-01-15"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], format!("{base}?ok=ajout"));
    let resp = t
        .submit(
            &doc,
            &format!("{base}/antecedents/nouveau"),
            &[("code", "E11.9"), ("texte", "Diabète de type 2")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    let aes = t.web_login("as.glycines").await;
    // Every page of the person carries the allergy alert.
    for page in [format!("/usagers/{id}"), format!("/usagers/{id}/projets")] {
        let (status, body) = t.page(&aes, &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(
            body.contains("class=\"allergy-alert\" role=\"alert\""),
            "{page}"
        );
        assert!(body.contains("<strong>Allergies :</strong>"), "{page}");
        assert!(body.contains("Pénicilline"), "{page}");
        assert!(body.contains("anaphylaxie"), "{page}");
        assert!(body.contains("Dossier médical</a>"), "{page}");
    }
    // The medical section exists, its content does not show.
    let (status, body) = t.page(&aes, &base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Contenu couvert par le secret médical"));
    assert!(!body.contains("Diabète"));
    assert!(!body.contains("E11.9"));
    let (status, _) = t.page(&aes, &format!("{base}/antecedents/nouveau")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let resp = t
        .submit(
            &aes,
            &format!("{base}/antecedents/nouveau"),
            &[("texte", "Essai")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The physician reads it.
    let (status, body) = t.page(&doc, &base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Diabète de type 2") && body.contains("E11.9"));

    // Over the API too: refused to the aide-soignant, open to the physician.
    let token = t.token("as.glycines").await;
    let resp = t
        .http
        .get(t.url(&format!("/api/v1/usagers/{id}/medical")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let token = t.token("medecin").await;
    let file: Value = t
        .http
        .get(t.url(&format!("/api/v1/usagers/{id}/medical")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(file["allergies"][0]["substance"], "Pénicilline");
    assert_eq!(file["antecedents"][0]["code"], "E11.9");

    // The administrator opens reading to aides-soignants: the content shows, writing stays closed.
    let admin = t.web_login("admin").await;
    let (status, body) = t.page(&admin, "/admin/acces-medical").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Aide-soignant / AES"));
    let resp = t
        .submit(
            &admin,
            "/admin/acces-medical",
            &[("role", "aide_soignant"), ("write", "on")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("L&#39;écriture dans le dossier médical suppose sa lecture.")
    );
    let resp = t
        .submit(
            &admin,
            "/admin/acces-medical",
            &[("role", "aide_soignant"), ("read", "on")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, body) = t.page(&aes, &base).await;
    assert!(body.contains("Diabète de type 2"));
    assert!(!body.contains("Ajouter un antécédent"));
}

async fn a_correction_keeps_the_old_version_and_bad_input_writes_nothing(t: TestApp) {
    let id = t.person().await;
    let doc = t.web_login("medecin").await;
    let base = format!("/usagers/{id}/medical");
    // Bad CIM-10 code: 422, the message next to the field, nothing written.
    let resp = t
        .submit(
            &doc,
            &format!("{base}/antecedents/nouveau"),
            &[("code", "diabete"), ("texte", "Diabète")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Le code CIM-10 s&#39;écrit avec une lettre et deux chiffres"));
    assert!(body.contains("aria-invalid=\"true\""));
    // Missing substance.
    let resp = t
        .submit(
            &doc,
            &format!("{base}/allergies/nouveau"),
            &[
                ("substance", ""),
                ("kind", "allergie"),
                ("severity", "severe"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Indiquez la substance (médicament, aliment…) en cause.")
    );
    // Over the API: the same refusal in the API's shape.
    let token = t.token("medecin").await;
    let resp = t
        .http
        .post(t.url(&format!("/api/v1/usagers/{id}/medical/antecedents")))
        .bearer_auth(&token)
        .json(&json!({"code": "12A", "texte": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Value = resp.json().await.unwrap();
    assert!(
        errors["errors"]["code"][0]
            .as_str()
            .unwrap()
            .starts_with("Le code CIM-10")
    );
    let ctx = t.fx.ctx("medecin").await;
    let file = t.fx.app.medical_file(&ctx, id).await.unwrap();
    assert!(file.allergies.is_empty() && file.antecedents.is_empty());

    // An observation, then its correction: both versions are readable.
    let resp = t
        .submit(
            &doc,
            &format!("{base}/observations/nouveau"),
            &[
                ("date", "2026-11-21"),
                ("kind", "observation"),
                ("texte", "Chute sans gravité, hématome du bras gauche."),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let file = t.fx.app.medical_file(&ctx, id).await.unwrap();
    let eid = file.observations[0].meta.id;
    let (status, body) = t.page(&doc, &format!("{base}/observations/{eid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("name=\"version\" value=\"1\""));
    let resp = t
        .submit(
            &doc,
            &format!("{base}/observations/{eid}"),
            &[
                ("date", "2026-11-21"),
                ("kind", "observation"),
                ("texte", "Chute sans gravité, hématome du bras droit."),
                ("version", "1"),
                ("reason", "Côté erroné"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, body) = t.page(&doc, &base).await;
    assert!(body.contains("hématome du bras droit"));
    assert!(body.contains("Versions précédentes (1)"));
    assert!(body.contains("hématome du bras gauche"));
    assert!(body.contains("Côté erroné"));
    // The same stale version again is a conflict.
    let resp = t
        .submit(
            &doc,
            &format!("{base}/observations/{eid}"),
            &[("date", "2026-11-21"), ("texte", "Autre"), ("version", "1")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let (status, body) = t.page(&doc, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("/api/v1/usagers/{id}/medical/{kind}/{eid}"));
    assert!(body.contains("/api/v1/medical/acces"));
}

async fn break_the_glass_and_its_review_over_http(t: TestApp) {
    let id = t.person().await;
    let base = format!("/usagers/{id}/medical");
    let doc = t.web_login("medecin").await;
    let resp = t
        .submit(
            &doc,
            &format!("{base}/antecedents/nouveau"),
            &[("texte", "Diabète de type 2")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let aes = t.web_login("as.glycines").await;
    let (status, body) = t.page(&aes, &base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Accès en urgence (bris de glace)"));
    assert!(!body.contains("Diabète"));
    // No reason: the form again, with the message next to the field.
    let resp = t
        .submit(&aes, &format!("{base}/bris-de-glace"), &[("reason", "")])
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Indiquez le motif"));
    assert!(body.contains("aria-invalid=\"true\""));
    let resp = t
        .submit(
            &aes,
            &format!("{base}/bris-de-glace"),
            &[("reason", "Malaise, appel du SAMU en cours")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], format!("{base}?ok=urgence"));
    let (_, body) = t.page(&aes, &base).await;
    assert!(body.contains("Diabète de type 2"));
    assert!(body.contains("bris de glace) jusqu"));
    // Two hours later, closed again.
    t.fx.clock.advance(jiff::SignedDuration::from_hours(2));
    // (sessions time out meanwhile: log in again)
    let aes = t.web_login("as.glycines").await;
    let doc = t.web_login("medecin").await;
    let (status, body) = t.page(&aes, &base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("Diabète") && body.contains("Contenu couvert par le secret médical"));
    // The review queue: refused to the aide-soignant, listed for the physician.
    let (status, _) = t.page(&aes, "/revue-bris-de-glace").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = t.page(&doc, "/revue-bris-de-glace").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Karim Haddad") && body.contains("appel du SAMU"));
    let token = t.token("direction").await;
    let queue: Value = t
        .http
        .get(t.url("/api/v1/medical/bris-de-glace"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let eid = queue[0]["id"].as_str().unwrap().to_string();
    let resp = t
        .submit(
            &doc,
            &format!("/revue-bris-de-glace/{eid}"),
            &[("comment", "")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = t
        .submit(
            &doc,
            &format!("/revue-bris-de-glace/{eid}"),
            &[("comment", "Justifié")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, body) = t.page(&doc, "/revue-bris-de-glace").await;
    assert!(body.contains("Aucun accès en urgence à relire"));
    // The person's access history shows the opening and its review.
    let (status, body) = t.page(&doc, &format!("/usagers/{id}/acces")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Accès en urgence au dossier médical (bris de glace)"));
    assert!(body.contains("Revue d"));

    // Over the API: break-the-glass needs a reason.
    let token = t.token("as.glycines").await;
    let url = t.url(&format!("/api/v1/usagers/{id}/medical/bris-de-glace"));
    let resp = t
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"reason": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = t
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"reason": "Chute dans la chambre, saignement"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let resp = t
        .http
        .get(t.url(&format!("/api/v1/usagers/{id}/medical")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

async fn a_physician_delegates_and_revokes_over_http(t: TestApp) {
    let id = t.person().await;
    let base = format!("/usagers/{id}/medical");
    let doc = t.web_login("medecin").await;
    let aes_id = t.fx.ctx("as.glycines").await.user().to_string();
    let (_, body) = t.page(&doc, &base).await;
    assert!(body.contains("Délégations d"));
    assert!(body.contains("Karim Haddad (Aide-soignant"));
    // Over 90 days: refused next to the field.
    let resp = t
        .submit(
            &doc,
            &format!("{base}/delegations"),
            &[
                ("delegate", aes_id.as_str()),
                ("starts_on", "2026-11-22"),
                ("ends_on", "2027-06-01"),
                ("reason", "Absence du médecin"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("90 jours"));
    let resp = t
        .submit(
            &doc,
            &format!("{base}/delegations"),
            &[
                ("delegate", aes_id.as_str()),
                ("starts_on", "2026-11-22"),
                ("ends_on", "2026-11-29"),
                ("reason", "Absence du médecin"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let aes = t.web_login("as.glycines").await;
    let (_, body) = t.page(&aes, &base).await;
    assert!(body.contains("Accès par délégation d"));
    assert!(!body.contains("Accès en urgence (bris de glace)"));
    // An aide-soignant cannot grant, neither by the page nor by the API.
    let resp = t
        .submit(
            &aes,
            &format!("{base}/delegations"),
            &[
                ("delegate", aes_id.as_str()),
                ("starts_on", "2026-11-22"),
                ("ends_on", "2026-11-29"),
                ("reason", "Absence du médecin"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let aes_token = t.token("as.glycines").await;
    let api = t.url(&format!("/api/v1/usagers/{id}/medical/delegations"));
    let body = json!({"delegate": aes_id, "starts_on": "2026-11-22", "ends_on": "2026-11-23",
                      "reason": "Absence du médecin"});
    let resp = t
        .http
        .post(&api)
        .bearer_auth(&aes_token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The physician lists and revokes over the API.
    let token = t.token("medecin").await;
    let list: Value = t
        .http
        .get(&api)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["status"], "en_cours");
    let did = list[0]["id"].as_str().unwrap().to_string();
    let resp = t
        .http
        .post(format!("{api}/{did}/revocation"))
        .bearer_auth(&token)
        .json(&json!({"reason": "Retour"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let (_, body) = t.page(&aes, &base).await;
    assert!(body.contains("Contenu couvert par le secret médical"));
    let resp = t
        .http
        .post(&api)
        .bearer_auth(&token)
        .json(&body_with(&aes_id))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let (_, doc_page) = t.page(&doc, &base).await;
    assert!(doc_page.contains("(révoquée)") && doc_page.contains("(en cours)"));
    let (_, openapi) = t.page(&doc, "/api/v1/openapi.json").await;
    assert!(openapi.contains("/api/v1/medical/bris-de-glace/{eid}/revue"));
}

fn body_with(delegate: &str) -> Value {
    json!({"delegate": delegate, "starts_on": "2026-11-22", "ends_on": "2026-11-23",
           "reason": "Absence du médecin"})
}

both!(
    "medical";
    an_aide_soignant_sees_the_allergies_but_not_the_medical_file,
    a_correction_keeps_the_old_version_and_bad_input_writes_nothing,
    break_the_glass_and_its_review_over_http,
    a_physician_delegates_and_revokes_over_http,
);
