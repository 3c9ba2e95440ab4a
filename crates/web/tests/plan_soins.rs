//! The plan de soins pages and API over HTTP, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, message};

use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use parcours_domain::ids::UsagerId;
use reqwest::StatusCode;
use serde_json::json;

impl TestApp {
    async fn resident_of_glycines(&self) -> UsagerId {
        let dir = self.fx.ctx("direction").await;
        self.fx
            .app
            .create_usager(
                &dir,
                &NewUsager {
                    identity: identity("Morel", "Louise", None),
                    placement: self.fx.placement(self.fx.ehpad, self.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap()
    }
}

async fn the_units_day_records_done_and_not_done_and_shows_missed_tasks(t: TestApp) {
    // Tasks written on Friday 20 November at 07:00 in Paris; the day shown is Sunday 22nd, 10:30.
    t.fx.clock.set("2026-11-20T06:00:00Z".parse().unwrap());
    let u = t.resident_of_glycines().await;
    let token = t.token("medecin").await;
    let toilette = t
        .create(
            &token,
            &format!("/usagers/{u}/plan-de-soins"),
            json!({"label": "Aide à la toilette", "intervalle": "1", "heures": "08:00, 20:00",
                   "du": "2026-11-20", "roles": ["aide_soignant", "infirmier"]}),
        )
        .await;
    let pansement = t
        .create(
            &token,
            &format!("/usagers/{u}/plan-de-soins"),
            json!({"label": "Pansement talon droit", "jours": ["dim", "mer"], "heures": "09:00",
                   "du": "2026-11-20", "roles": ["infirmier"]}),
        )
        .await;
    // Refused in French, next to the field.
    let (status, body) = t
        .post(
            &token,
            &format!("/usagers/{u}/plan-de-soins"),
            json!({"label": "Lever", "heures": "25:00", "du": "2026-11-20", "roles": ["aide_soignant"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&body, "heures").contains("n'est pas une heure valide"));
    assert!(message(&body, "jours").contains("au moins un jour"));
    t.fx.clock.set("2026-11-22T09:30:00Z".parse().unwrap());

    // The aide-soignant's day list: the nav link, the 08:00 toilette missed and highlighted, the
    // dressing reserved to nurses.
    let cookie = t.web_login("as.glycines").await;
    let (status, body) = t.page(&cookie, "/plan-de-soins").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<a href=\"/plan-de-soins\">Plan de soins du jour</a>"));
    assert!(
        body.contains("Plan de soins du 22/11/2026 — Les Glycines"),
        "{body}"
    );
    assert!(
        body.contains("<strong>2 tâche(s) manquée(s)</strong>"),
        "{body}"
    );
    assert!(body.contains("<tr class=\"manquee\">"));
    assert!(body.contains("Réservée : Infirmier / infirmière"));
    assert!(body.contains(&format!("/usagers/{u}/plan-de-soins\">MOREL Louise</a>")));

    // One tap: done.
    let unite = t.fx.glycines.to_string();
    let (status, location, _) = t
        .post_form(
            &cookie,
            &format!("/plan-de-soins/taches/{toilette}/realisation"),
            &[
                ("date", "2026-11-22"),
                ("heure", "08:00"),
                ("unite", &unite),
                ("resultat", "fait"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location,
        format!("/plan-de-soins?unite={unite}&date=2026-11-22&ok=realisation")
    );
    // Not done without a reason: the list again, with the French message.
    let (status, _, body) = t
        .post_form(
            &cookie,
            &format!("/plan-de-soins/taches/{toilette}/realisation"),
            &[
                ("date", "2026-11-22"),
                ("heure", "20:00"),
                ("unite", &unite),
                ("motif", ""),
                ("note", ""),
                ("resultat", "non_fait"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Indiquez pourquoi la tâche n&#39;a pas été faite."),
        "{body}"
    );
    // With its reason.
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("/plan-de-soins/taches/{toilette}/realisation"),
            &[
                ("date", "2026-11-22"),
                ("heure", "20:00"),
                ("unite", &unite),
                ("motif", "hospitalisation"),
                ("note", "Partie aux urgences"),
                ("resultat", "non_fait"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, body) = t
        .page(
            &cookie,
            &format!("/plan-de-soins?unite={unite}&date=2026-11-22&ok=realisation"),
        )
        .await;
    assert!(body.contains("Enregistré."));
    assert!(body.contains("par Karim Haddad"));
    assert!(body.contains("Hospitalisation — Partie aux urgences"));
    assert!(body.contains("<strong>1 tâche(s) manquée(s)</strong>"));

    // The dressing is not the aide-soignant's to do: 403 over the API.
    let aide = t.token("as.glycines").await;
    let (status, body) = t
        .post(
            &aide,
            &format!("/plan-de-soins/taches/{pansement}/realisations"),
            json!({"date": "2026-11-22", "heure": "09:00", "resultat": "fait"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        message(&body, "authorization"),
        "Votre rôle ne permet pas cette action."
    );
    // The day over the API.
    let day = t
        .read(
            &aide,
            &format!("/plan-de-soins?unite={unite}&date=2026-11-22"),
        )
        .await;
    let states: Vec<&str> = day["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["fait", "manquee", "non_fait"]);
    assert_eq!(day["manquees"], 1);

    // The person's page: the missed dressing, the tasks, the tab.
    let (status, body) = t
        .page(&cookie, &format!("/usagers/{u}/plan-de-soins"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!(
        "href=\"/usagers/{u}/plan-de-soins\">Plan de soins</a>"
    )));
    // Friday and Saturday's toilettes, Sunday's dressing.
    assert!(body.contains("Tâches manquées (5)"), "{body}");
    assert!(body.contains("tous les jours à 08:00, 20:00"));
    assert!(body.contains("mercredi, dimanche à 09:00"));

    // Described in the OpenAPI document.
    let (status, doc) = t
        .call(reqwest::Method::GET, None, "/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["paths"]["/api/v1/plan-de-soins"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/plan-de-soins/taches/{id}/realisations"]["post"].is_object());
}

async fn tasks_are_added_changed_and_stopped_from_the_persons_page(t: TestApp) {
    let u = t.resident_of_glycines().await;
    let cookie = t.web_login("medecin").await;
    let path = format!("/usagers/{u}/plan-de-soins");
    // Invalid: the form again, in French, the ticked boxes kept.
    let (status, _, body) = t
        .post_form(
            &cookie,
            &path,
            &[
                ("label", "Lever"),
                ("jours", "lun"),
                ("jours", "jeu"),
                ("heures", ""),
                ("du", "2026-11-22"),
                ("roles", "aide_soignant"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Indiquez au moins une heure"), "{body}");
    assert!(body.contains("name=\"jours\" value=\"jeu\" checked"));
    assert!(body.contains("aria-describedby=\"heures-erreur"));
    let (status, location, _) = t
        .post_form(
            &cookie,
            &path,
            &[
                ("label", "Lever"),
                ("jours", "lun"),
                ("jours", "jeu"),
                ("heures", "07h30"),
                ("du", "2026-11-22"),
                ("roles", "aide_soignant"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{path}?ok=ajout"));
    let plan = t.read(&t.token("medecin").await, &path).await;
    let id = plan["taches"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(plan["taches"][0]["quand"], "lundi, jeudi à 07:30");

    // Change it: a new version.
    let (status, body) = t
        .page(&cookie, &format!("/plan-de-soins/taches/{id}/modifier"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Modifier la tâche « Lever »"));
    let (status, location, _) = t
        .post_form(
            &cookie,
            &format!("/plan-de-soins/taches/{id}/modifier"),
            &[
                ("label", "Lever et habillage"),
                ("intervalle", "1"),
                ("heures", "07:30"),
                ("du", "2026-11-22"),
                ("roles", "aide_soignant"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{path}?ok=modification"));
    // Stop it.
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("/plan-de-soins/taches/{id}/arret"),
            &[("version", "2"), ("au", "2026-11-22")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, body) = t.page(&cookie, &format!("{path}?ok=arret")).await;
    assert!(body.contains("Tâche arrêtée."));
    assert!(body.contains("Lever et habillage"));
    assert!(body.contains("<span class=\"badge\">Arrêtée</span>"));
    // A stale version is a conflict.
    let (status, _, _) = t
        .post_form(
            &cookie,
            &format!("/plan-de-soins/taches/{id}/arret"),
            &[("version", "2"), ("au", "2026-11-22")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

both!("plan_soins_http";
    the_units_day_records_done_and_not_done_and_shows_missed_tasks,
    tasks_are_added_changed_and_stopped_from_the_persons_page,
);
