//! Écrits professionnels over HTTP (pages and API), on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, message};

use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use parcours_domain::ids::UsagerId;
use reqwest::StatusCode;
use serde_json::json;

impl TestApp {
    async fn jeune(&self) -> UsagerId {
        let dir = self.fx.ctx("direction").await;
        let mut raw = identity("Garcia", "Lucas", None);
        raw.sex = "M".into();
        raw.birth_date = "2012-04-09".into();
        self.fx
            .app
            .create_usager(
                &dir,
                &NewUsager {
                    identity: raw,
                    placement: self.fx.placement(self.fx.ditep, self.fx.internat),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap()
    }
}

async fn pages_write_hide_correct_and_withdraw(t: TestApp) {
    let u = t.jeune().await;
    let psy = t.web_login("psy.ditep").await;
    let educ = t.web_login("educ.internat").await;
    let list = format!("/usagers/{u}/ecrits");
    let (status, body) = t.page(&psy, &list).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>Écrits professionnels</h1>"));
    assert!(body.contains(&format!(
        "href=\"/usagers/{u}/ecrits\">Écrits professionnels</a>"
    )));
    assert!(body.contains("Aucun écrit."));
    let (status, body) = t.page(&psy, &format!("{list}/nouveau")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("value=\"2026-11-22\""), "today by default");
    assert!(body.contains("dans le dossier médical, pas ici"));
    assert!(body.contains("<option value=\"bilan_psychologique\">Bilan psychologique</option>"));
    // A future event and no title: refused in French, next to the fields, nothing written.
    let note = |title: &'static str, date: &'static str, scope: &'static str| {
        vec![
            ("kind", "bilan_psychologique"),
            ("title", title),
            (
                "text",
                "Lucas investit les séances.\nPoints d'appui : le dessin.",
            ),
            ("event_date", date),
            ("scope", scope),
        ]
    };
    let (status, _, body) = t
        .post_form(&psy, &list, &note("", "2026-11-23", "profession"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("La date de l&#39;événement ne peut pas être dans le futur."));
    assert!(body.contains("aria-describedby=\"event_date-erreur"));
    assert!(body.contains("Donnez un titre à l&#39;écrit."));
    let (status, location, _) = t
        .post_form(
            &psy,
            &list,
            &note("Bilan du trimestre", "2026-11-20", "profession"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with(&format!("{list}/")) && location.ends_with("?ok=ecrit"));
    let private = location.trim_end_matches("?ok=ecrit").to_string();
    let (status, body) = t.page(&psy, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Écrit enregistré."));
    assert!(body.contains("Diffusion : Même profession uniquement"));
    assert!(body.contains("(Psychologue)"));
    // The éducateur sees neither the note nor a trace of it.
    let (_, body) = t.page(&educ, &list).await;
    assert!(!body.contains("Bilan du trimestre"));
    assert!(body.contains("Aucun écrit."));
    let (status, body) = t.page(&educ, &private).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("Bilan du trimestre"));
    // A team note is seen by both.
    let (_, location, _) = t
        .post_form(&psy, &list, &note("Point d'équipe", "2026-11-21", "equipe"))
        .await;
    let team = location.trim_end_matches("?ok=ecrit").to_string();
    let (_, body) = t.page(&educ, &list).await;
    assert!(body.contains("Point d&#39;équipe"));
    assert!(!body.contains("Bilan du trimestre"));
    // The éducateur may not correct it (no form), the author may.
    let (_, body) = t.page(&educ, &team).await;
    assert!(!body.contains("Enregistrer la correction"));
    let (status, _, _) = t
        .post_form(
            &educ,
            &format!("{team}/correction"),
            &[("version", "1"), ("reason", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut fix = note("Point d'équipe du 21/11", "2026-11-21", "equipe");
    fix.push(("version", "1"));
    let (status, _, body) = t.post_form(&psy, &format!("{team}/correction"), &fix).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Indiquez le motif de la correction."));
    fix.push(("reason", "Date dans le titre"));
    let (status, location, _) = t.post_form(&psy, &format!("{team}/correction"), &fix).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let (_, body) = t.page(&educ, &team).await;
    assert!(body.contains("Versions (2)"));
    assert!(body.contains("Version 1 — Point d&#39;équipe</h3>"));
    assert!(body.contains("motif de la correction : Date dans le titre"));
    // Withdrawn by its author, with a reason: still readable, marked.
    let (status, _, body) = t
        .post_form(
            &psy,
            &format!("{team}/retrait"),
            &[("version", "2"), ("withdrawal_reason", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Indiquez pourquoi cet écrit est retiré."));
    let (status, location, _) = t
        .post_form(
            &psy,
            &format!("{team}/retrait"),
            &[
                ("version", "2"),
                ("withdrawal_reason", "Doublon du compte rendu"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.ends_with("?ok=retire"));
    let (_, body) = t.page(&educ, &list).await;
    assert!(body.contains("Retiré le"));
    assert!(body.contains("Doublon du compte rendu"));
    // Filters.
    let (_, body) = t
        .page(&psy, &format!("{list}?type=note_incident&profession="))
        .await;
    assert!(body.contains("Aucun écrit."));
    let (status, body) = t.page(&psy, &format!("{list}?type=poeme")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Cette valeur ne fait pas partie de la liste."));
}

async fn the_api_keeps_notes_within_their_scope(t: TestApp) {
    let u = t.jeune().await;
    let psy = t.token("psy.ditep").await;
    let psy2 = t.token("psy2.ditep").await;
    let educ = t.token("educ.internat").await;
    let cds = t.token("cds.ditep").await;
    let path = format!("/usagers/{u}/ecrits");
    let body = |title: &str, scope: &str| {
        json!({"kind": "compte_rendu_entretien", "title": title, "text": "Entretien avec la mère.",
               "event_date": "2026-11-19", "scope": scope})
    };
    let (status, v) = t
        .post(
            &psy,
            &path,
            json!({"kind": "compte_rendu_entretien", "title": "x", "text": "y",
                                  "event_date": "2026-12-01", "scope": "profession"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&v, "event_date"),
        "La date de l'événement ne peut pas être dans le futur."
    );
    let (status, _) = t
        .post(&psy, &path, json!({"kind": "x", "unknown": 1}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let private = t.create(&psy, &path, body("Entretien", "profession")).await;
    let managers = t.create(&psy, &path, body("Synthèse", "encadrement")).await;
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&t.read(&psy2, &path).await),
        ["Synthèse", "Entretien"]
    );
    assert_eq!(titles(&t.read(&cds, &path).await), ["Synthèse"]);
    let seen = t.read(&educ, &path).await;
    assert!(titles(&seen).is_empty());
    assert_eq!(seen["can_write"], true);
    let (status, _) = t.get(&educ, &format!("{path}/{private}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = t.get(&cds, &format!("{path}/{private}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let one = t.read(&psy2, &format!("{path}/{managers}")).await;
    assert_eq!(one["ecrit"]["scope"], "encadrement");
    assert_eq!(one["ecrit"]["author_profession"], "psychologue");
    assert_eq!(one["can_correct"], false);
    // Narrowed by a correction: the chef de service loses it.
    let (status, v) = t
        .post(
            &psy,
            &format!("{path}/{managers}/correction"),
            json!({"version": 1, "kind": "compte_rendu_entretien", "title": "Synthèse",
                   "text": "Entretien avec la mère (compléments).", "event_date": "2026-11-19",
                   "scope": "profession", "reason": "Éléments cliniques ajoutés"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["version"], 2);
    assert!(titles(&t.read(&cds, &path).await).is_empty());
    // Widening back: 422.
    let (status, v) = t
        .post(
            &psy,
            &format!("{path}/{managers}/correction"),
            json!({"version": 2, "kind": "compte_rendu_entretien", "title": "Synthèse",
                   "text": "Entretien.", "event_date": "2026-11-19",
                   "scope": "equipe", "reason": "Partage"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&v, "scope").contains("restreinte"));
    // Filters and withdrawal.
    let v = t.read(&psy, &format!("{path}?type=note_incident")).await;
    assert!(titles(&v).is_empty());
    let v = t
        .read(&psy, &format!("{path}?profession=psychologue"))
        .await;
    assert_eq!(titles(&v).len(), 2);
    let (status, _) = t
        .post(
            &psy,
            &format!("{path}/{private}/retrait"),
            json!({"version": 1, "reason": "Rédigé dans le mauvais dossier"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let v = t.read(&psy2, &format!("{path}/{private}")).await;
    assert_eq!(
        v["ecrit"]["withdrawn"]["reason"],
        "Rédigé dans le mauvais dossier"
    );
    // The OpenAPI document lists the routes.
    let doc: serde_json::Value = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for p in [
        "/api/v1/usagers/{id}/ecrits",
        "/api/v1/usagers/{id}/ecrits/{eid}",
        "/api/v1/usagers/{id}/ecrits/{eid}/correction",
        "/api/v1/usagers/{id}/ecrits/{eid}/retrait",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}

both!("ecrit"; pages_write_hide_correct_and_withdraw, the_api_keeps_notes_within_their_scope);
