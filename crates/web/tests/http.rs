//! The real server on port 0, spoken to over HTTP, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, cookie_of};

use parcours_app::testing::{PASSWORD, identity};
use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use serde_json::{Value, json};

impl TestApp {
    /// Logs in through the form and returns the `Cookie` header value.
    async fn count(&self) -> i64 {
        parcours_store::usager::count(&self.fx.app.db, self.fx.org.as_uuid())
            .await
            .unwrap()
    }

    fn usager_json(&self, raw: &parcours_app::domain::identity::RawIdentity) -> Value {
        let mut v = serde_json::to_value(raw).unwrap();
        v["placement"] = json!(self.fx.placement(self.fx.ehpad, self.fx.glycines));
        v
    }
}

async fn pages_carry_security_headers(t: TestApp) {
    let resp = t.http.get(t.url("/connexion")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["cache-control"], "no-store");
    let body = resp.text().await.unwrap();
    assert!(body.contains("<label for=\"login\">Identifiant</label>"));
}

async fn login_opens_a_cookie_session_and_logout_ends_it(t: TestApp) {
    let resp = t.http.get(t.url("/")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/connexion");
    let resp = t
        .http
        .post(t.url("/connexion"))
        .form(&[("login", "direction"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let set = resp.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    let cookie = cookie_of(resp.headers());
    let home = t
        .http
        .get(t.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("<h1>Accueil</h1>"));
    let out = t
        .http
        .post(t.url("/deconnexion"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = t
        .http
        .get(t.url("/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the old cookie no longer opens anything"
    );
}

async fn a_wrong_password_shows_an_error_in_french(t: TestApp) {
    let resp = t
        .http
        .post(t.url("/connexion"))
        .form(&[("login", "direction"), ("password", "faux")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Identifiant ou mot de passe incorrect.")
    );
}

async fn a_cross_site_post_is_refused_and_writes_nothing(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let raw = identity("Dupont", "Marie", None);
    let mut form: Vec<(String, String)> = serde_json::to_value(&raw)
        .unwrap()
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    form.push((
        "placement".into(),
        t.fx.placement(t.fx.ehpad, t.fx.glycines),
    ));
    let evil = t
        .http
        .post(t.url("/usagers"))
        .header("cookie", &cookie)
        .header("origin", "https://attaquant.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    assert!(
        evil.text()
            .await
            .unwrap()
            .contains("un autre site que Parcours")
    );
    let evil = t
        .http
        .post(t.url("/usagers"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.count().await, 0);
    // The same form from the same origin goes through.
    let host = t.base.trim_start_matches("http://").to_string();
    let ok = t
        .http
        .post(t.url("/usagers"))
        .header("cookie", &cookie)
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(t.count().await, 1);
}

async fn the_creation_form_shows_field_errors_and_writes_nothing(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let form = [
        ("birth_name", "Dupont"),
        ("birth_first_name", "Marie"),
        ("sex", "F"),
        ("birth_date", "2999-01-01"),
        ("birth_place", "75056"),
        ("ins_matricule", "2 50 03 75 056 123 00"),
        ("ins_oid", "1.2.250.1.213.1.4.10"),
    ];
    let mut form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, v.to_string())).collect();
    form.push(("placement", t.fx.placement(t.fx.ehpad, t.fx.glycines)));
    let resp = t
        .http
        .post(t.url("/usagers"))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Le formulaire contient des erreurs"));
    assert!(body.contains("La clé du matricule INS est incorrecte : vérifiez la saisie."));
    assert!(body.contains("La date de naissance ne peut pas être dans le futur."));
    assert!(body.contains("id=\"birth_date\" name=\"birth_date\" type=\"date\" value=\"2999-01-01\" required aria-invalid=\"true\" aria-describedby=\"birth_date-erreur\""));
    assert_eq!(t.count().await, 0);
}

async fn search_answers_a_fragment_to_htmx_and_a_page_otherwise(t: TestApp) {
    let ctx = t.fx.ctx("direction").await;
    let input = parcours_app::usager::NewUsager {
        identity: identity("Lefèvre", "Hélène", None),
        placement: t.fx.placement(t.fx.ehpad, t.fx.glycines),
        ..Default::default()
    };
    t.fx.app.create_usager(&ctx, &input).await.unwrap();
    let cookie = t.web_login("direction").await;
    let page = t
        .http
        .get(t.url("/usagers?q=lefe"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<html") && page.contains("LEFÈVRE Hélène"));
    let frag = t
        .http
        .get(t.url("/usagers?q=LEFEV"))
        .header("cookie", &cookie)
        .header("hx-request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!frag.contains("<html") && frag.contains("LEFÈVRE Hélène"));
    let none = t
        .http
        .get(t.url("/usagers?q=zzzz"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(none.contains("Aucun usager ne correspond à votre recherche."));
}

async fn the_api_creates_reads_and_updates_with_version_checks(t: TestApp) {
    let token = t.token("direction").await;
    let auth = format!("Bearer {token}");
    let body = t.usager_json(&identity("Dupont", "Marie", Some(42)));
    let created = t
        .http
        .post(t.url("/api/v1/usagers"))
        .header("authorization", &auth)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["identity_status"], "PROV");
    assert_eq!(created["ins"]["shareable"], false);
    let id = created["id"].as_str().unwrap();
    let list: Value = t
        .http
        .get(t.url("/api/v1/usagers?q=dupont"))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["id"], id);
    let mut update = t.usager_json(&identity("Dupont", "Marie", Some(42)));
    update.as_object_mut().unwrap().remove("placement");
    update["used_name"] = json!("Martin");
    update["version"] = json!(1);
    let ok = t
        .http
        .put(t.url(&format!("/api/v1/usagers/{id}")))
        .header("authorization", &auth)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.json::<Value>().await.unwrap()["version"], 2);
    let stale = t
        .http
        .put(t.url(&format!("/api/v1/usagers/{id}")))
        .header("authorization", &auth)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(
        stale.json::<Value>().await.unwrap()["errors"]["version"][0]
            .as_str()
            .unwrap()
            .contains("modifiée")
    );
    let access: Value = t
        .http
        .get(t.url(&format!("/api/v1/usagers/{id}/acces")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        access
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "usager.creation")
    );
}

async fn the_api_refuses_bad_input_with_stable_field_errors_and_writes_nothing(t: TestApp) {
    let token = t.token("direction").await;
    let auth = format!("Bearer {token}");
    let post = |body: reqwest::Body, ct: &'static str| {
        t.http
            .post(t.url("/api/v1/usagers"))
            .header("authorization", &auth)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    // Wrong NIR key and future birth date.
    let mut wrong = t.usager_json(&identity("Dupont", "Marie", Some(42)));
    let m = wrong["ins_matricule"].as_str().unwrap().to_string();
    wrong["ins_matricule"] = json!(format!("{}00", &m[..13]));
    wrong["birth_date"] = json!("2999-01-01");
    let resp = post(wrong.to_string().into(), "application/json")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = resp.json().await.unwrap();
    assert_eq!(
        e["errors"]["ins_matricule"][0],
        "La clé du matricule INS est incorrecte : vérifiez la saisie."
    );
    assert_eq!(
        e["errors"]["birth_date"][0],
        "La date de naissance ne peut pas être dans le futur."
    );
    // Unknown field.
    let mut unknown = t.usager_json(&identity("Dupont", "Marie", None));
    unknown["numero_secu"] = json!("x");
    let resp = post(unknown.to_string().into(), "application/json")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.json::<Value>().await.unwrap()["errors"]["body"][0]
            .as_str()
            .unwrap()
            .contains("numero_secu")
    );
    // Malformed JSON, wrong content type, oversized body.
    let resp = post("{\"birth_name\": ".into(), "application/json")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["errors"]["body"][0],
        "Le corps de la requête n'est pas un JSON valide."
    );
    let resp = post("birth_name=x".into(), "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = json!({"birth_name": "A".repeat(200_000)}).to_string();
    let resp = post(huge.into(), "application/json").await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["errors"]["body"][0],
        "Le corps de la requête est trop volumineux."
    );
    // No or bad token.
    let resp = t.http.get(t.url("/api/v1/usagers")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = t
        .http
        .get(t.url("/api/v1/usagers"))
        .header("authorization", "Bearer nimporte")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(t.count().await, 0);
}

async fn a_disabled_account_gets_a_clear_refusal(t: TestApp) {
    sqlx_disable(&t, "medecin").await;
    let resp = t
        .http
        .post(t.url("/api/v1/session"))
        .json(&json!({"login": "medecin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["errors"]["session"][0],
        "Ce compte est désactivé. Contactez l'administrateur de Parcours."
    );
    let resp = t
        .http
        .post(t.url("/connexion"))
        .form(&[("login", "medecin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Ce compte est désactivé.")
    );
}

async fn sqlx_disable(t: &TestApp, login: &str) {
    let admin = t.fx.ctx("admin").await;
    let accounts = t.fx.app.list_accounts(&admin).await.unwrap();
    let a = accounts.iter().find(|a| a.login == login).unwrap();
    let input = parcours_app::account::AccountInput {
        first_name: a.first_name.clone(),
        last_name: a.last_name.clone(),
        profession: a.profession.clone(),
        role: a.role.code().into(),
        active: false,
        assignments: a.assignments.iter().map(|x| x.value.clone()).collect(),
        version: a.version,
        ..Default::default()
    };
    t.fx.app.update_account(&admin, a.id, &input).await.unwrap();
}

async fn the_openapi_document_describes_the_api(t: TestApp) {
    let doc: Value = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/session",
        "/api/v1/usagers",
        "/api/v1/usagers/{id}",
        "/api/v1/etablissements",
        "/api/v1/comptes",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["UsagerIn"].is_object());
}

async fn record_pages_show_the_identity_banner_and_histories(t: TestApp) {
    let ctx = t.fx.ctx("direction").await;
    let input = parcours_app::usager::NewUsager {
        identity: identity("Dupont", "Marie", Some(3)),
        placement: t.fx.placement(t.fx.ehpad, t.fx.glycines),
        ..Default::default()
    };
    let id = t.fx.app.create_usager(&ctx, &input).await.unwrap();
    let cookie = t.web_login("direction").await;
    for (path, text) in [
        (format!("/usagers/{id}"), "Identité provisoire"),
        (format!("/usagers/{id}/modifier"), "Enregistrer"),
        (format!("/usagers/{id}/statut"), "Nouveau statut"),
        (format!("/usagers/{id}/historique"), "Version 1"),
        (format!("/usagers/{id}/acces"), "Consultation du dossier"),
    ] {
        let resp = t
            .http
            .get(t.url(&path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let body = resp.text().await.unwrap();
        assert!(
            body.contains("aria-label=\"Identité de l'usager\""),
            "{path} has the banner"
        );
        assert!(body.contains(text), "{path} shows {text}");
    }
    // Out of scope: the aide-soignant of another unit gets a refusal page.
    let other = t.web_login("educ.internat").await;
    let resp = t
        .http
        .get(t.url(&format!("/usagers/{id}")))
        .header("cookie", &other)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

// ---------------------------------------------------------------------------------------------
// Admission, entourage, partners and consents through the pages

impl TestApp {
    /// Posts a form with a session cookie; returns the status, the `Location` and the body.
    async fn ditep_person(&self, name: &str, birth: &str) -> parcours_app::domain::ids::UsagerId {
        let dir = self.fx.ctx("direction").await;
        let mut raw = identity(name, "Léo", None);
        raw.birth_date = birth.into();
        self.fx
            .app
            .create_usager(
                &dir,
                &parcours_app::usager::NewUsager {
                    identity: raw,
                    placement: self.fx.ditep.to_string(),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap()
    }
}

async fn request_version(t: &TestApp, u: parcours_app::domain::ids::UsagerId) -> (String, String) {
    let rows = parcours_store::records::AdmissionRequestRow::list_by(
        &t.fx.app.db,
        t.fx.org.as_uuid(),
        "usager_id",
        u.as_uuid(),
        "id",
    )
    .await
    .unwrap();
    let r = rows.last().unwrap();
    (r.id.to_string(), r.version.to_string())
}

async fn the_admission_pages_take_a_request_to_a_two_modality_admission(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let u = t.ditep_person("Moreau", "2012-05-06").await;
    let base = format!("/usagers/{u}");
    let (status, body) = t.page(&cookie, &format!("{base}/demandes/nouvelle")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Attentes de la personne"));
    // A request without its date is refused with a French message, nothing written.
    let ditep = t.fx.ditep.to_string();
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/demandes/nouvelle"),
            &[
                ("etablissement_id", &ditep),
                ("modalite", "internat"),
                ("origin", "mdph"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Le formulaire contient des erreurs"),
        "{body}"
    );
    let none = parcours_store::records::AdmissionRequestRow::list_by(
        &t.fx.app.db,
        t.fx.org.as_uuid(),
        "usager_id",
        u.as_uuid(),
        "id",
    )
    .await
    .unwrap();
    assert!(none.is_empty());
    let (status, location, _) = t
        .post_form(
            &cookie,
            &format!("{base}/demandes/nouvelle"),
            &[
                ("etablissement_id", &ditep),
                ("modalite", "internat"),
                ("origin", "mdph"),
                ("received_on", "2026-10-01"),
                ("priority", "2"),
                ("expectations", "Je veux aller à l'école avec mes copains."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{base}/admission?ok=demande"));
    for next in ["en_etude", "acceptee"] {
        let (rid, version) = request_version(&t, u).await;
        let (status, _, body) = t
            .post_form(
                &cookie,
                &format!("{base}/demandes/{rid}/statut"),
                &[("status", next), ("version", &version)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{next}: {body}");
    }
    let (rid, _) = request_version(&t, u).await;
    let (status, body) = t
        .page(&cookie, &format!("{base}/demandes/{rid}/admission"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Deuxième modalité"));
    let (internat, sessad) = (t.fx.internat.to_string(), t.fx.sessad.to_string());
    let (status, location, body) = t
        .post_form(
            &cookie,
            &format!("{base}/demandes/{rid}/admission"),
            &[
                ("unite_1", &internat),
                ("modalite_1", "internat"),
                ("unite_2", &sessad),
                ("modalite_2", "ambulatoire"),
                ("planned_entry", "2026-11-23"),
                ("entry_mode", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location, format!("{base}/admission?ok=admission"));
    let (_, body) = t.page(&cookie, &format!("{base}/admission")).await;
    assert!(body.contains("Internat") && body.contains("Ambulatoire / SESSAD en milieu ordinaire"));
    assert!(body.contains("Admise"));
    // An exit before the entry: a clear refusal, the séjour unchanged.
    let sejours = parcours_store::records::SejourRow::list_by(
        &t.fx.app.db,
        t.fx.org.as_uuid(),
        "usager_id",
        u.as_uuid(),
        "id",
    )
    .await
    .unwrap();
    assert_eq!(sejours.len(), 2);
    let s = &sejours[0];
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/sejours/{}", s.id),
            &[
                ("entry_date", ""),
                ("planned_exit", "2026-11-01"),
                ("version", &s.version.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    let after = parcours_store::records::SejourRow::get(&t.fx.app.db, t.fx.org.as_uuid(), s.id)
        .await
        .unwrap();
    assert_eq!(after.version, s.version);
    // The history of the record shows the request's versions.
    let (status, body) = t.page(&cookie, &format!("{base}/historique-dossier")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Demande d&#39;admission — version 3"),
        "{body}"
    );
    // The educator of the internat now sees the person; the EHPAD's waiting list stays closed.
    let educ = t.web_login("educ.internat").await;
    let (status, _) = t.page(&educ, &format!("{base}/admission")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = t
        .page(
            &educ,
            &format!("/etablissements/{}/liste-attente", t.fx.ehpad),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Accès refusé"));
}

async fn the_consent_page_enforces_who_may_sign(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let u = t.ditep_person("Petit", "1990-02-03").await;
    let base = format!("/usagers/{u}");
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/proches/nouveau"),
            &[
                ("relation", "mere"),
                ("last_name", "Petit"),
                ("first_name", "Anne"),
                ("personne_a_prevenir", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, body) = t.page(&cookie, &format!("{base}/entourage")).await;
    assert!(body.contains("Anne Petit") && body.contains("Personne à prévenir"));
    let proche = parcours_store::records::ProcheRow::list_by(
        &t.fx.app.db,
        t.fx.org.as_uuid(),
        "usager_id",
        u.as_uuid(),
        "id",
    )
    .await
    .unwrap()[0]
        .id
        .to_string();
    // A measure ending before it starts is refused.
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("{base}/mesures/nouvelle"),
            &[
                ("kind", "tutelle"),
                ("start_date", "2026-01-01"),
                ("end_date", "2025-01-01"),
                ("representative_id", &proche),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/mesures/nouvelle"),
            &[
                ("kind", "tutelle"),
                ("start_date", "2024-01-01"),
                ("end_date", "2029-01-01"),
                ("representative_id", &proche),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    // Under tutelle the person cannot sign alone; the tutor can.
    let consent = |who: &'static str, decision: &'static str| {
        vec![
            ("purpose", "droit_image"),
            ("decision", decision),
            ("signatory", who),
            ("decided_on", "2026-11-20"),
        ]
    };
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/consentements"),
            &consent("usager", "donne"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("ne peut pas signer seule"), "{body}");
    let mut by_tutor = consent("usager", "donne");
    by_tutor[2].1 = Box::leak(proche.clone().into_boxed_str());
    let (status, _, body) = t
        .post_form(&cookie, &format!("{base}/consentements"), &by_tutor)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, body) = t.page(&cookie, &format!("{base}/consentements")).await;
    assert!(body.contains("consent-yes"), "{body}");
    by_tutor[1].1 = "retire";
    let (status, _, _) = t
        .post_form(&cookie, &format!("{base}/consentements"), &by_tutor)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, body) = t.page(&cookie, &format!("{base}/consentements")).await;
    assert!(
        body.contains("consent-withdrawn") && body.contains("2 décision(s)"),
        "{body}"
    );
}

async fn the_partner_directory_searches_and_refuses_bad_input(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let (status, _, body) = t
        .post_form(
            &cookie,
            "/partenaires",
            &[("kind", "medecin"), ("name", "Dr Durand"), ("rpps", "12")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("RPPS"), "{body}");
    let (status, location, body) = t
        .post_form(
            &cookie,
            "/partenaires",
            &[
                ("kind", "medecin"),
                ("name", "Dr Élise Durand"),
                ("phone", "04 72 00 00 00"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(location.starts_with("/partenaires/"));
    let (status, body) = t.page(&cookie, "/partenaires?q=elise").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Dr Élise Durand") && body.contains("<h1>"));
    let fragment = t
        .http
        .get(t.url("/partenaires?q=dur"))
        .header("cookie", &cookie)
        .header("hx-request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fragment.contains("Dr Élise Durand") && !fragment.contains("<h1>"));
}

async fn waiting_list_and_occupancy_pages(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let u = t.ditep_person("Garcia", "2011-07-08").await;
    let dir = t.fx.ctx("direction").await;
    t.fx.app
        .create_request(
            &dir,
            u,
            &parcours_app::admission::RawRequest {
                etablissement_id: t.fx.ditep.to_string(),
                modalite: "semi_internat".into(),
                origin: "famille".into(),
                received_on: "2026-09-15".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (status, body) = t
        .page(
            &cookie,
            &format!("/etablissements/{}/liste-attente", t.fx.ditep),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("GARCIA Léo") && body.contains("Semi-internat"),
        "{body}"
    );
    let (status, body) = t
        .page(
            &cookie,
            &format!("/etablissements/{}/occupation", t.fx.ditep),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("places occupées"));
    let (status, body) = t
        .page(
            &cookie,
            &format!("/etablissements/{}/occupation?date=hier", t.fx.ditep),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Le formulaire contient des erreurs"));
    let (status, body) = t.page(&cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("À faire dans mes unités"));
}

async fn the_administrator_sets_places_per_modality_and_unit_in_one_go(t: TestApp) {
    let cookie = t.web_login("admin").await;
    let path = format!("/admin/etablissements/{}/capacites", t.fx.ditep);
    let (status, body) = t.page(&cookie, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Ambulatoire / SESSAD en milieu ordinaire"));
    let unit_key = format!("unite:{}", t.fx.internat);
    // One bad line: nothing at all is written.
    let (status, _, body) = t
        .post_form(
            &cookie,
            &path,
            &[("modalite:internat", "12"), (&unit_key, "beaucoup")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("nombre de places"), "{body}");
    let settings =
        t.fx.app
            .capacity_settings(&t.fx.ctx("admin").await, t.fx.ditep)
            .await
            .unwrap();
    assert!(settings.modalites.iter().all(|l| l.capacity.is_none()));
    let (status, _, _) = t
        .post_form(
            &cookie,
            &path,
            &[("modalite:internat", "12"), (&unit_key, "10")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let settings =
        t.fx.app
            .capacity_settings(&t.fx.ctx("admin").await, t.fx.ditep)
            .await
            .unwrap();
    let internat = settings
        .modalites
        .iter()
        .find(|l| l.key == "modalite:internat")
        .unwrap();
    assert_eq!(internat.capacity, Some(12));
    let unit = settings.unites.iter().find(|l| l.key == unit_key).unwrap();
    assert_eq!(unit.capacity, Some(10));
    // A professional without administration rights cannot change them.
    let educ = t.web_login("educ.internat").await;
    let (status, _, _) = t
        .post_form(&educ, &path, &[("modalite:internat", "99")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

fn leaf(prefix: &str) -> String {
    parcours_app::domain::serafin::current()
        .concepts()
        .iter()
        .find(|c| c.code.starts_with(prefix) && c.leaf)
        .map(|c| c.code.clone())
        .unwrap()
}

async fn projet_id(t: &TestApp, u: parcours_app::domain::ids::UsagerId) -> (String, String) {
    let rows = parcours_store::records::ProjetRow::list_by(
        &t.fx.app.db,
        t.fx.org.as_uuid(),
        "usager_id",
        u.as_uuid(),
        "created_at desc, id",
    )
    .await
    .unwrap();
    (rows[0].id.to_string(), rows[0].version.to_string())
}

/// Text of a PDF, through poppler's pdftotext.
fn pdf_text(bytes: &[u8]) -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "parcours-http-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by .ci/run");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn the_projet_pages_go_from_needs_to_bilan_and_print_for_the_person(t: TestApp) {
    let cookie = t.web_login("direction").await;
    let dir = t.fx.ctx("direction").await;
    let mut raw = identity("Fabre", "Louise", None);
    raw.birth_date = "1940-06-01".into();
    let u =
        t.fx.app
            .create_usager(
                &dir,
                &parcours_app::usager::NewUsager {
                    identity: raw,
                    placement: t.fx.placement(t.fx.ehpad, t.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap();
    let base = format!("/usagers/{u}");
    // Needs evaluation: a row without level nor comment is refused, nothing written.
    let (b1, b2) = (leaf("1.3."), leaf("1.2."));
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/evaluations/besoins"),
            &[
                ("evaluated_on", "2026-11-20"),
                ("code", &b1),
                ("level", ""),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("niveau ou un commentaire"), "{body}");
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{base}/evaluations/besoins"),
            &[
                ("evaluated_on", "2026-11-20"),
                ("code", &b1),
                ("level", "important"),
                ("comment", "Se sent seule"),
                ("code", &b2),
                ("level", "modere"),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, body) = t.page(&cookie, &format!("{base}/evaluations")).await;
    assert!(body.contains("Se sent seule"));
    // The projet.
    let ehpad = t.fx.ehpad.to_string();
    let (status, location, _) = t
        .post_form(
            &cookie,
            &format!("{base}/projets"),
            &[("etablissement_id", &ehpad), ("kind", "PPA")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (pid, v) = projet_id(&t, u).await;
    assert!(location.starts_with(&format!("{base}/projets/{pid}")));
    let pbase = format!("{base}/projets/{pid}");
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("{pbase}/ajouter/attente"),
            &[
                ("origine", "personne"),
                ("texte", "Je veux revoir la mer cet été."),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, v) = projet_id(&t, u).await;
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("{pbase}/besoins-evalues"),
            &[("version", &v)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let p = t.fx.app.projet(&dir, pid.parse().unwrap()).await.unwrap();
    assert_eq!(p.contenu.besoins.len(), 2);
    // An objective without a need is refused with the reason next to the checkboxes.
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{pbase}/ajouter/objectif"),
            &[
                ("titre", "Partir en séjour au bord de la mer"),
                ("echeance", "2027-07-31"),
                ("resultat_attendu", "Une semaine à la mer"),
                ("version", &p.version.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("besoins-erreur"), "{body}");
    for (i, titre) in ["Partir en séjour au bord de la mer", "Marcher chaque jour"]
        .iter()
        .enumerate()
    {
        let (_, v) = projet_id(&t, u).await;
        let need = p.contenu.besoins[i].id.to_string();
        let (status, _, body) = t
            .post_form(
                &cookie,
                &format!("{pbase}/ajouter/objectif"),
                &[
                    ("titre", titre),
                    ("besoins", &need),
                    ("echeance", "2027-07-31"),
                    ("resultat_attendu", "Réalisé avant l'été"),
                    ("version", &v),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }
    let p = t.fx.app.projet(&dir, pid.parse().unwrap()).await.unwrap();
    // A correction of a draft objective; the previous version of the projet is kept.
    let o1 = p.contenu.objectifs[0].id;
    let (status, body) = t
        .page(&cookie, &format!("{pbase}/modifier/objectif/{o1}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Partir en séjour au bord de la mer"));
    let need = p.contenu.besoins[0].id.to_string();
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{pbase}/modifier/objectif/{o1}"),
            &[
                ("titre", "Partir une semaine au bord de la mer"),
                ("besoins", &need),
                ("echeance", "2027-07-31"),
                ("resultat_attendu", "Réalisé avant l'été"),
                ("version", &p.version.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, body) = t.page(&cookie, &format!("{base}/historique-dossier")).await;
    assert!(body.contains("Projet personnalisé — version"), "{body}");
    let p = t.fx.app.projet(&dir, pid.parse().unwrap()).await.unwrap();
    assert_eq!(
        p.contenu.objectifs[0].titre,
        "Partir une semaine au bord de la mer"
    );
    let prestation = leaf("2.2.");
    for o in &p.contenu.objectifs {
        let (_, v) = projet_id(&t, u).await;
        let oid = o.id.to_string();
        let (status, _, body) = t
            .post_form(
                &cookie,
                &format!("{pbase}/ajouter/action"),
                &[
                    ("libelle", "Accompagnement individuel"),
                    ("objectifs", &oid),
                    ("prestations", &prestation),
                    ("version", &v),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }
    let (_, v) = projet_id(&t, u).await;
    t.post_form(
        &cookie,
        &format!("{pbase}/ajouter/participant"),
        &[("nom", "Louise Fabre"), ("role", "usager"), ("version", &v)],
    )
    .await;
    // Starting without the structure's accord is refused; then signed, started.
    let (_, v) = projet_id(&t, u).await;
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{pbase}/statut"),
            &[("status", "en_cours"), ("version", &v)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("accord"), "{body}");
    for partie in ["structure", "usager"] {
        let (status, _, body) = t
            .post_form(
                &cookie,
                &format!("{pbase}/accords"),
                &[
                    ("partie", partie),
                    ("signatory", "usager"),
                    ("signed_on", "2026-11-22"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{partie}: {body}");
    }
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("{pbase}/statut"),
            &[("status", "en_cours"), ("version", &v)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Bilan.
    let p = t.fx.app.projet(&dir, pid.parse().unwrap()).await.unwrap();
    let (o1, o2) = (
        p.contenu.objectifs[0].id.to_string(),
        p.contenu.objectifs[1].id.to_string(),
    );
    let (status, body) = t.page(&cookie, &format!("{pbase}/bilan")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Marcher chaque jour"));
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("{pbase}/bilan"),
            &[
                ("date", "2026-11-22"),
                ("objectif", &o1),
                ("resultat", "atteint"),
                ("commentaire", ""),
                ("objectif", &o2),
                ("resultat", "non_atteint"),
                ("commentaire", "Douleurs"),
                ("synthese", "Une belle année"),
                ("prochain_bilan", "2027-06-01"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, body) = t.page(&cookie, &pbase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Bilan du 22/11/2026") && body.contains("Douleurs"));
    // The document for the person: her words and the objectives, in the extracted text.
    for url in [
        format!("{pbase}/document.pdf"),
        format!("{pbase}/document.pdf?gros=1"),
    ] {
        let resp = t
            .http
            .get(t.url(&url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        let text = pdf_text(&resp.bytes().await.unwrap());
        assert!(text.contains("Je veux revoir la mer cet été."), "{text}");
        assert!(text.contains("Marcher chaque jour"), "{text}");
    }
    // The projet addressed under another person's URL is not found, and nothing is signed.
    let other =
        t.fx.app
            .create_usager(
                &dir,
                &parcours_app::usager::NewUsager {
                    identity: identity("Autre", "Personne", None),
                    placement: t.fx.placement(t.fx.ehpad, t.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap();
    let accords_before =
        t.fx.app
            .projet(&dir, pid.parse().unwrap())
            .await
            .unwrap()
            .accords
            .len();
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("/usagers/{other}/projets/{pid}/accords"),
            &[("partie", "structure"), ("signed_on", "2026-11-22")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = t
        .page(&cookie, &format!("/usagers/{other}/projets/{pid}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.fx.app
            .projet(&dir, pid.parse().unwrap())
            .await
            .unwrap()
            .accords
            .len(),
        accords_before
    );
    // An educator of the DITEP cannot open it.
    let educ = t.web_login("educ.internat").await;
    let (status, _) = t.page(&educ, &pbase).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn an_aggir_evaluation_is_explained_and_counts_in_the_gmp(t: TestApp) {
    let cookie = t.web_login("medecin").await;
    let dir = t.fx.ctx("direction").await;
    let u =
        t.fx.app
            .create_usager(
                &dir,
                &parcours_app::usager::NewUsager {
                    identity: identity("Giraud", "Paul", None),
                    placement: t.fx.placement(t.fx.ehpad, t.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap();
    let base = format!("/usagers/{u}/evaluations/aggir");
    let (status, body) = t.page(&cookie, &base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Spontanément") && body.contains("Se servir"));
    // Everything done alone except toilette and habillage, partly: AABBAAAAAA → GIR 4.
    let mut form: Vec<(String, String)> = vec![
        ("evaluated_on".into(), "2026-11-20".into()),
        ("etablissement_id".into(), t.fx.ehpad.to_string()),
    ];
    for v in parcours_app::domain::aggir::Variable::ALL {
        let prefixes: Vec<String> = if v.sub_variables().is_empty() {
            vec![v.code().to_string()]
        } else {
            v.sub_variables()
                .iter()
                .map(|s| format!("{}.{}", v.code(), s.key()))
                .collect()
        };
        for p in prefixes {
            for a in parcours_app::domain::aggir::Adverb::ALL {
                let partial = (p.starts_with("toilette") || p.starts_with("habillage"))
                    && a.code() == "totalement";
                let answer = if partial { "non" } else { "oui" };
                form.push((format!("{p}.{}", a.code()), answer.into()));
            }
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // An unanswered item is refused, never computed as "no".
    let (status, _, body) = t.post_form(&cookie, &base, &pairs[..pairs.len() - 1]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Incomplet"), "{body}");
    let (status, location, body) = t.post_form(&cookie, &base, &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, body) = t.page(&cookie, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("GIR 4") && body.contains("rang 11"), "{body}");
    assert!(body.contains("AABBAAAAAA"));
    let pdf = t
        .http
        .get(t.url(&format!("{location}/document.pdf")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert!(pdf_text(&pdf.bytes().await.unwrap()).contains("GIR 4"));
    // An aide-soignant may read but not record an evaluation.
    let aide = t.web_login("as.glycines").await;
    let (status, _, _) = t.post_form(&aide, &base, &pairs).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The GMP of the EHPAD counts persons with a séjour: none here yet, so no GMP but a page.
    let direction = t.web_login("direction").await;
    let (status, body) = t
        .page(&direction, &format!("/etablissements/{}/gmp", t.fx.ehpad))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("GIR moyen pondéré"));
}

both!(
    "http";
    pages_carry_security_headers,
    login_opens_a_cookie_session_and_logout_ends_it,
    a_wrong_password_shows_an_error_in_french,
    a_cross_site_post_is_refused_and_writes_nothing,
    the_creation_form_shows_field_errors_and_writes_nothing,
    search_answers_a_fragment_to_htmx_and_a_page_otherwise,
    the_api_creates_reads_and_updates_with_version_checks,
    the_api_refuses_bad_input_with_stable_field_errors_and_writes_nothing,
    a_disabled_account_gets_a_clear_refusal,
    the_openapi_document_describes_the_api,
    record_pages_show_the_identity_banner_and_histories,
    the_admission_pages_take_a_request_to_a_two_modality_admission,
    the_consent_page_enforces_who_may_sign,
    the_partner_directory_searches_and_refuses_bad_input,
    waiting_list_and_occupancy_pages,
    the_administrator_sets_places_per_modality_and_unit_in_one_go,
    the_projet_pages_go_from_needs_to_bilan_and_print_for_the_person,
    an_aggir_evaluation_is_explained_and_counts_in_the_gmp,
);
