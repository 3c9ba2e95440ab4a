//! The projet personnalisé and evaluations API (needs, AGGIR, GMP) over real HTTP, on SQLite and
//! PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, message};

use parcours_app::testing::identity;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

impl TestApp {
    /// An API bearer token for a fixture login.
    /// One API call under `/api/v1`; the body is `null` when the answer has none.
    /// A GET that must succeed.
    /// A POST that must create something; returns its id.
    /// A change answered 204.
    /// Creates a person through the API, placed in `placement` (`ETAB` or `ETAB/UNIT`).
    async fn person(&self, token: &str, name: &str, birth: &str, placement: String) -> String {
        let mut body = serde_json::to_value(identity(name, "Jeanne", None)).unwrap();
        body["birth_date"] = json!(birth);
        body["placement"] = json!(placement);
        body["confirm_not_duplicate"] = json!(true);
        self.create(token, "/usagers", body).await
    }

    /// A resident of the EHPAD, in `Les Glycines`.
    async fn resident(&self, token: &str, name: &str) -> String {
        let placement = self.fx.placement(self.fx.ehpad, self.fx.glycines);
        self.person(token, name, "1938-02-03", placement).await
    }

    /// The projet as read now.
    async fn projet(&self, token: &str, id: &str) -> Value {
        self.read(token, &format!("/projets/{id}")).await
    }

    /// The version of the projet as read now.
    async fn version(&self, token: &str, id: &str) -> i64 {
        self.projet(token, id).await["version"].as_i64().unwrap()
    }

    /// Adds an element (`attentes`, `besoins`…) with the current version; returns its id.
    async fn add(&self, token: &str, id: &str, kind: &str, mut body: Value) -> u64 {
        let p = self.projet(token, id).await;
        body["version"] = p["version"].clone();
        let new_id = p["contenu"]["next_id"].as_u64().unwrap().max(1);
        self.ok(Method::POST, token, &format!("/projets/{id}/{kind}"), body)
            .await;
        new_id
    }

    /// A projet PPA in preparation at the EHPAD.
    async fn new_projet(&self, token: &str, usager: &str) -> String {
        self.create(
            token,
            &format!("/usagers/{usager}/projets"),
            json!({"etablissement_id": self.fx.ehpad.to_string(), "kind": "PPA"}),
        )
        .await
    }

    /// Admits the person into the EHPAD's internat (Les Glycines) on 02/11/2026.
    async fn admit(&self, token: &str, usager: &str) {
        let rid = self
            .create(
                token,
                &format!("/usagers/{usager}/demandes"),
                json!({"etablissement_id": self.fx.ehpad.to_string(), "modalite": "internat",
                       "origin": "mdph", "received_on": "2026-10-01", "priority": "2"}),
            )
            .await;
        self.ok(
            Method::POST,
            token,
            &format!("/demandes/{rid}/statut"),
            json!({"status": "acceptee", "version": 1}),
        )
        .await;
        let (status, v) = self
            .post(
                token,
                &format!("/demandes/{rid}/admission"),
                json!({"placements": [{"unite_id": self.fx.glycines.to_string(), "modalite": "internat"}],
                       "planned_entry": "2026-11-02", "entry_date": "2026-11-02",
                       "entry_mode": "domicile"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
    }
}

fn yes() -> Value {
    json!({"spontanement": true, "totalement": true, "correctement": true, "habituellement": true})
}

fn no() -> Value {
    json!({"spontanement": false, "totalement": false, "correctement": false, "habituellement": false})
}

/// The full AGGIR grid, every answer "yes" (GIR 6).
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

/// The same person later: no longer washes, dresses nor moves alone, and no longer shops.
fn dependent() -> Value {
    let mut e = autonomous();
    e["toilette"] = json!({"haut": no(), "bas": no()});
    e["habillage"] = json!({"haut": no(), "moyen": no(), "bas": no()});
    e["elimination"] = json!({"urinaire": no(), "fecale": yes()});
    e["transferts"] = no();
    e["deplacements_interieurs"] = no();
    e["achats"] = no();
    e
}

async fn a_projet_runs_over_the_api_from_needs_to_avenant(t: TestApp) {
    let dir = t.token("direction").await;
    let asg = t.token("as.glycines").await;
    let u = t.resident(&dir, "Marchand").await;
    // Needs evaluation first.
    let needs = t
        .create(
            &dir,
            &format!("/usagers/{u}/evaluations"),
            json!({"evaluated_on": "2026-11-15", "context": "Évaluation d'entrée",
                   "lines": [{"code": "1.3.1.1", "level": "important", "comment": "Isolement depuis le veuvage"},
                             {"code": "1.2.1.3", "level": "modere"}]}),
        )
        .await;
    let evals = t.read(&dir, &format!("/usagers/{u}/evaluations")).await;
    assert_eq!(evals[0]["id"], needs.as_str());
    assert_eq!(evals[0]["kind"], "besoins");
    assert_eq!(evals[0]["evaluator"], "Hélène Garnier");
    assert_eq!(evals[0]["needs"][0]["code"], "1.3.1.1");
    assert_eq!(evals[0]["needs"][0]["level_label"], "Important");
    // The projet, in preparation.
    let id = t.new_projet(&dir, &u).await;
    let list = t.read(&dir, &format!("/usagers/{u}/projets")).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "en_preparation");
    assert_eq!(list[0]["etablissement_name"], "EHPAD Les Tilleuls");
    let p = t.projet(&asg, &id).await;
    assert_eq!((&p["version"], &p["kind"]), (&json!(1), &json!("PPA")));
    assert_eq!(p["next"], json!(["en_cours", "termine"]));
    // The aide-soignant of the unit writes the content with the person.
    let attente = t
        .add(
            &asg,
            &id,
            "attentes",
            json!({"origine": "personne", "texte": "Je voudrais retourner au marché le samedi."}),
        )
        .await;
    assert_eq!(attente, 1);
    let v = t.version(&asg, &id).await;
    let (status, imported) = t
        .post(
            &asg,
            &format!("/projets/{id}/besoins-evalues"),
            json!({"version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    assert_eq!(imported["added"], 2);
    let p = t.projet(&asg, &id).await;
    let besoins: Vec<u64> = p["contenu"]["besoins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_u64().unwrap())
        .collect();
    assert_eq!(besoins.len(), 2);
    assert!(p["labels"]["1.3.1.1"].as_str().unwrap().contains("droits"));
    let mut objectifs = Vec::new();
    for (titre, b) in [
        ("Sortir au marché", besoins[0]),
        ("Marcher sans aide", besoins[1]),
    ] {
        objectifs.push(
            t.add(
                &asg,
                &id,
                "objectifs",
                json!({"titre": titre, "besoins": [b], "echeance": "2027-06-30",
                       "resultat_attendu": "Une sortie par semaine", "referent": "Karim Haddad"}),
            )
            .await,
        );
    }
    for (o, prestation) in objectifs.iter().zip(["2.3.1.1", "2.2.1"]) {
        t.add(
            &asg,
            &id,
            "actions",
            json!({"libelle": "Accompagnement hebdomadaire", "objectifs": [o],
                   "moyens": "Fauteuil, un professionnel", "prestations": [prestation]}),
        )
        .await;
    }
    let mut participants = Vec::new();
    for (nom, role) in [
        ("Jeanne Marchand", "usager"),
        ("Karim Haddad", "professionnel"),
        ("Paul Marchand", "famille"),
    ] {
        participants.push(
            t.add(
                &asg,
                &id,
                "participants",
                json!({"nom": nom, "role": role, "contribution": "Présent à la réunion"}),
            )
            .await,
        );
    }
    // Corrections while in preparation: one replaced, one removed.
    let v = t.version(&asg, &id).await;
    t.ok(
        Method::PUT,
        &asg,
        &format!("/projets/{id}/attentes/{attente}"),
        json!({"origine": "personne", "texte": "Retourner au marché le samedi matin.", "version": v}),
    )
    .await;
    let (status, e) = t
        .delete(
            &asg,
            &format!("/projets/{id}/objectifs/{}?version={}", objectifs[0], v + 1),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(message(&e, "id").contains("action"), "{e}");
    let (status, e) = t
        .delete(
            &asg,
            &format!(
                "/projets/{id}/participants/{}?version={}",
                participants[2],
                v + 1
            ),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{e}");
    let p = t.projet(&asg, &id).await;
    assert_eq!(p["version"], v + 2);
    assert_eq!(
        p["contenu"]["attentes"][0]["texte"],
        "Retourner au marché le samedi matin."
    );
    assert_eq!(p["contenu"]["participants"].as_array().unwrap().len(), 2);
    assert_eq!(
        p["contenu"]["actions"][1]["prestations"][0]["code"],
        "2.2.1"
    );
    assert!(
        p["labels"]["2.2.1"]
            .as_str()
            .unwrap()
            .contains("vie quotidienne")
    );
    assert_eq!(p["gaps"], json!([]), "{p}");
    // Not started without the structure's accord.
    let start = |v: &Value| json!({"status": "en_cours", "version": v});
    let (status, e) = t
        .post(&dir, &format!("/projets/{id}/statut"), start(&p["version"]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "status").contains("accord"), "{e}");
    // The aide-soignant may not sign for the structure; the direction may; the person signs.
    let structure = json!({"partie": "structure", "signed_on": "2026-11-22"});
    let (status, e) = t
        .post(&asg, &format!("/projets/{id}/accords"), structure.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(e["errors"]["authorization"].is_array(), "{e}");
    t.ok(
        Method::POST,
        &dir,
        &format!("/projets/{id}/accords"),
        structure.clone(),
    )
    .await;
    t.ok(
        Method::POST,
        &asg,
        &format!("/projets/{id}/accords"),
        json!({"partie": "usager", "signatory": "usager", "signed_on": "2026-11-22"}),
    )
    .await;
    t.ok(
        Method::POST,
        &dir,
        &format!("/projets/{id}/statut"),
        start(&p["version"]),
    )
    .await;
    let running = t.projet(&dir, &id).await;
    assert_eq!(running["status"], "en_cours");
    assert_eq!(running["started_on"], "2026-11-22");
    assert_eq!(running["due"], "2027-11-22");
    assert_eq!(running["review"], "up_to_date");
    let accords = running["accords"].as_array().unwrap();
    assert_eq!(accords.len(), 2);
    assert!(accords.iter().any(|a| a["partie"] == "structure"
        && a["signatory_name"] == "Hélène Garnier"
        && a["recorded_by"] == "Hélène Garnier"));
    assert!(
        accords.iter().any(|a| a["partie"] == "usager"
            && a["signatory_name"] == "Jeanne MARCHAND"
            && a["recorded_by"] == "Karim Haddad"),
        "{running}"
    );
    let steps: Vec<&str> = running["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["en_preparation", "en_cours"]);
    // A running projet is not edited in place.
    let (status, e) = t
        .post(
            &asg,
            &format!("/projets/{id}/attentes"),
            json!({"origine": "famille", "texte": "x", "version": running["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "status").contains("avenant"), "{e}");
    // Bilan: every objective assessed, the next one within twelve months.
    let bilan = |next: &str| {
        json!({"date": "2026-11-22",
               "appreciations": [
                   {"objectif": objectifs[0], "resultat": "atteint", "commentaire": "Tous les samedis"},
                   {"objectif": objectifs[1], "resultat": "partiellement_atteint"}],
               "synthese": "Mme Marchand a repris ses habitudes.",
               "prochain_bilan": next})
    };
    let (status, e) = t
        .post(&asg, &format!("/projets/{id}/bilans"), bilan("2027-11-23"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "prochain_bilan").contains("douze mois"), "{e}");
    t.create(&asg, &format!("/projets/{id}/bilans"), bilan("2027-05-22"))
        .await;
    let p = t.projet(&dir, &id).await;
    assert_eq!(p["bilans"].as_array().unwrap().len(), 1);
    assert_eq!(p["bilans"][0]["prochain_bilan"], "2027-05-22");
    assert_eq!(p["bilans"][0]["author"], "Karim Haddad");
    assert_eq!(p["due"], "2027-05-22");
    // Avenant (minutes later): a new version in preparation; the running one stays in force
    // until it starts.
    t.fx.clock.set("2026-11-22T09:05:00Z".parse().unwrap());
    let av = t
        .create(
            &asg,
            &format!("/projets/{id}/avenants"),
            json!({"reason": "Nouvelle activité demandée"}),
        )
        .await;
    let draft = t.projet(&dir, &av).await;
    assert_eq!(draft["status"], "en_preparation");
    assert_eq!(draft["number"], 1);
    assert_eq!(draft["previous_id"], id.as_str());
    t.add(
        &asg,
        &av,
        "attentes",
        json!({"origine": "personne", "texte": "Et aussi chanter à la chorale."}),
    )
    .await;
    let old = t.projet(&dir, &id).await;
    assert_eq!(old["status"], "en_cours");
    assert_eq!(old["avenant_id"], av.as_str());
    assert_eq!(old["contenu"]["attentes"].as_array().unwrap().len(), 1);
    t.ok(
        Method::POST,
        &dir,
        &format!("/projets/{av}/accords"),
        structure,
    )
    .await;
    let v = t.version(&dir, &av).await;
    t.ok(
        Method::POST,
        &dir,
        &format!("/projets/{av}/statut"),
        start(&json!(v)),
    )
    .await;
    let old = t.projet(&dir, &id).await;
    assert_eq!(old["status"], "termine");
    assert_eq!(old["ended_on"], "2026-11-22");
    let last = old["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "termine");
    assert!(
        last["note"].as_str().unwrap().contains("avenant n° 1"),
        "{last}"
    );
    let new = t.projet(&dir, &av).await;
    assert_eq!(new["status"], "en_cours");
    assert_eq!(new["contenu"]["attentes"].as_array().unwrap().len(), 2);
    let list = t.read(&dir, &format!("/usagers/{u}/projets")).await;
    let statuses: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [(av.as_str(), "en_cours"), (id.as_str(), "termine")]
    );
}

async fn aggir_is_recorded_explained_and_compared(t: TestApp) {
    let dir = t.token("direction").await;
    let med = t.token("medecin").await;
    let u = t.resident(&dir, "Roussel").await;
    let path = format!("/usagers/{u}/evaluations/aggir");
    let body = |on: &str, grid: Value| json!({"evaluated_on": on, "evaluation": grid});
    // The direction records needs evaluations, not AGGIR.
    let (status, _) = t.post(&dir, &path, body("2026-10-01", autonomous())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let first = t
        .create(&med, &path, body("2026-10-01", autonomous()))
        .await;
    let d = t.read(&med, &format!("/evaluations/{first}/aggir")).await;
    assert_eq!((&d["gir"], &d["rang"]), (&json!(6), &json!(13)));
    assert_eq!(d["variables"], "AAAAAAAAAA");
    assert_eq!(d["letters"].as_object().unwrap().len(), 17);
    assert_eq!(d["view"]["kind"], "aggir");
    assert_eq!(d["view"]["gir"], 6);
    assert_eq!(d["view"]["evaluator"], "Paul Lefèvre");
    assert_eq!(d["etablissement_name"], "EHPAD Les Tilleuls");
    assert_eq!(d["evaluation"], autonomous());
    assert!(d["previous"].is_null());
    assert_eq!(d["changes"], json!([]));
    let lines = d["explanation"]["lines"].as_array().unwrap();
    assert!(lines.len() > 10, "{d}");
    assert_eq!(lines[0], "Variables discriminantes :");
    assert_eq!(d["explanation"]["decision"]["gir"], 6);
    // Six weeks later: what the grid gives is what `/aggir/compute` says, compared with October.
    let second = t.create(&med, &path, body("2026-11-15", dependent())).await;
    let (status, computed) = t
        .post(&med, "/aggir/compute", json!({"evaluation": dependent()}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let d = t.read(&med, &format!("/evaluations/{second}/aggir")).await;
    assert_eq!(d["gir"], computed["gir"]);
    assert_eq!(d["rang"], computed["rang"]);
    assert_eq!(d["letters"]["toilette"], "C");
    assert_eq!(d["letters"]["achats"], "C");
    assert!(d["gir"].as_u64().unwrap() < 6, "{d}");
    assert_eq!(
        d["previous"],
        json!({"evaluated_on": "2026-10-01", "gir": 6})
    );
    let changes: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        changes[0].starts_with(&format!("GIR 6 → GIR {}", d["gir"])),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c.contains("Toilette")),
        "{changes:?}"
    );
    assert_eq!(d["explanation"]["lines"], computed["explanation"]["lines"]);
    // A mistaken evaluation is cancelled with its reason, never deleted; a stale version is refused.
    let cancel = format!("/evaluations/{second}/annulation");
    let (status, e) = t
        .post(
            &med,
            &cancel,
            json!({"reason": "Mauvaise personne", "version": 7}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(e["errors"]["version"].is_array(), "{e}");
    t.ok(
        Method::POST,
        &med,
        &cancel,
        json!({"reason": "Mauvaise personne", "version": 1}),
    )
    .await;
    let (status, e) = t
        .post(&med, &cancel, json!({"reason": "Encore", "version": 2}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "reason").contains("déjà annulée"), "{e}");
    let evals = t.read(&med, &format!("/usagers/{u}/evaluations")).await;
    assert_eq!(evals.as_array().unwrap().len(), 2);
    assert_eq!(evals[0]["id"], second.as_str());
    assert_eq!(evals[0]["cancelled"], true);
    assert_eq!(evals[0]["cancel_reason"], "Mauvaise personne");
    assert_eq!(evals[0]["version"], 2);
    // A third evaluation is compared with the last valid one (October), not the cancelled one.
    let third = t
        .create(&med, &path, body("2026-11-20", autonomous()))
        .await;
    let d = t.read(&med, &format!("/evaluations/{third}/aggir")).await;
    assert_eq!(
        d["previous"],
        json!({"evaluated_on": "2026-10-01", "gir": 6})
    );
    // A needs evaluation has no AGGIR detail.
    let needs = t
        .create(
            &med,
            &format!("/usagers/{u}/evaluations"),
            json!({"evaluated_on": "2026-11-15", "lines": [{"code": "1.2.1.3", "level": "modere"}]}),
        )
        .await;
    let (status, e) = t.get(&med, &format!("/evaluations/{needs}/aggir")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e["errors"]["resource"].is_array(), "{e}");
}

async fn the_gmp_weights_the_latest_valid_gir_of_each_person_present(t: TestApp) {
    let dir = t.token("direction").await;
    let med = t.token("medecin").await;
    let ehpad = t.fx.ehpad;
    let a = t.resident(&dir, "Aubert").await;
    let b = t.resident(&dir, "Blanc").await;
    let c = t.resident(&dir, "Carpentier").await;
    for u in [&a, &b] {
        t.admit(&dir, u).await;
    }
    // A evaluated GIR 6 in October; B never; C evaluated but not admitted (not counted).
    for u in [&a, &c] {
        t.create(
            &med,
            &format!("/usagers/{u}/evaluations/aggir"),
            json!({"evaluated_on": "2026-10-01", "etablissement_id": ehpad.to_string(),
                   "evaluation": autonomous()}),
        )
        .await;
    }
    let g = t
        .read(
            &dir,
            &format!("/etablissements/{ehpad}/gmp?date=2026-11-22"),
        )
        .await;
    assert_eq!(g["on"], "2026-11-22");
    assert_eq!(g["persons"], 2);
    assert_eq!(g["not_evaluated"], 1);
    assert_eq!(g["by_gir"], json!([0, 0, 0, 0, 0, 1]));
    assert_eq!(g["gmp"], 70.0);
    // Today by default; before any séjour nobody is present.
    let today = t.read(&dir, &format!("/etablissements/{ehpad}/gmp")).await;
    assert_eq!(today["on"], "2026-11-22");
    assert_eq!(today["persons"], 2);
    let before = t
        .read(
            &dir,
            &format!("/etablissements/{ehpad}/gmp?date=2026-10-15"),
        )
        .await;
    assert_eq!(before["persons"], 0);
    assert!(before["gmp"].is_null());
    // A's evaluation is more recent on the 22nd: GIR of the dependent grid.
    let second = t
        .create(
            &med,
            &format!("/usagers/{a}/evaluations/aggir"),
            json!({"evaluated_on": "2026-11-20", "evaluation": dependent()}),
        )
        .await;
    let gir = t.read(&med, &format!("/evaluations/{second}/aggir")).await["gir"]
        .as_u64()
        .unwrap() as usize;
    let g = t
        .read(
            &dir,
            &format!("/etablissements/{ehpad}/gmp?date=2026-11-22"),
        )
        .await;
    assert_eq!(g["by_gir"][gir - 1], 1, "{g}");
    assert_eq!(g["by_gir"][5], 0, "{g}");
    // A bad date, and a role that does not see the establishment's activity.
    let (status, e) = t
        .get(
            &dir,
            &format!("/etablissements/{ehpad}/gmp?date=22/13/2026"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["date"].is_array(), "{e}");
    let (status, _) = t.get(&med, &format!("/etablissements/{ehpad}/gmp")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn bad_input_is_refused_and_nothing_is_written(t: TestApp) {
    let dir = t.token("direction").await;
    let u = t.resident(&dir, "Lemaire").await;
    // Unknown fields are refused everywhere.
    let (status, e) = t
        .post(
            &dir,
            &format!("/usagers/{u}/projets"),
            json!({"etablissement_id": t.fx.ehpad.to_string(), "kind": "PPA", "titre": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("titre"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/usagers/{u}/evaluations"),
            json!({"evaluated_on": "2026-11-15",
                   "lines": [{"code": "1.2.1.3", "level": "modere", "niveau": "x"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("niveau"), "{e}");
    let mut grid = autonomous();
    grid["toilette"]["milieu"] = yes();
    let med = t.token("medecin").await;
    let (status, e) = t
        .post(
            &med,
            &format!("/usagers/{u}/evaluations/aggir"),
            json!({"evaluated_on": "2026-11-15", "evaluation": grid}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("milieu"), "{e}");
    let (status, e) = t
        .post(
            &med,
            &format!("/usagers/{u}/evaluations/aggir"),
            json!({"evaluated_on": "2026-12-15", "evaluation": autonomous()}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "evaluated_on").contains("futur"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/usagers/{u}/evaluations"),
            json!({"evaluated_on": "2026-11-15", "lines": [{"code": "2.2.1", "level": "modere"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["lines"].is_array(), "{e}");
    let id = t.new_projet(&dir, &u).await;
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/attentes"),
            json!({"origine": "personne", "texte": "Lire le journal", "version": 1, "urgent": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("urgent"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/attentes"),
            json!({"origine": "personne", "texte": "Lire le journal"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("version"), "{e}");
    let attente = t
        .add(
            &dir,
            &id,
            "attentes",
            json!({"origine": "personne", "texte": "Lire le journal"}),
        )
        .await;
    let besoin = t
        .add(&dir, &id, "besoins", json!({"code": "1.2.1.3"}))
        .await;
    let objectif = t
        .add(
            &dir,
            &id,
            "objectifs",
            json!({"titre": "Marcher", "besoins": [besoin], "echeance": "2027-06-30",
                   "resultat_attendu": "Aller seule à la salle à manger"}),
        )
        .await;
    let v = t.version(&dir, &id).await;
    let (status, e) = t
        .put(
            &dir,
            &format!("/projets/{id}/attentes/{attente}"),
            json!({"origine": "personne", "texte": "Lire", "version": v, "libelle": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("libelle"), "{e}");
    // A body of another kind than the path says.
    let (status, e) = t
        .put(
            &dir,
            &format!("/projets/{id}/attentes/{attente}"),
            json!({"code": "1.2.1.3", "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["body"].is_array(), "{e}");
    // Unknown SERAFIN codes, in the wrong family or not at all.
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/actions"),
            json!({"libelle": "Marche quotidienne", "objectifs": [objectif],
                   "prestations": ["2.2.1", "9.9.9"], "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["prestations"].is_array(), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/actions"),
            json!({"libelle": "Marche quotidienne", "objectifs": [objectif],
                   "prestations": ["1.2.1.3"], "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["prestations"].is_array(), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/besoins"),
            json!({"code": "9.9", "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["code"].is_array(), "{e}");
    // An objective without needs, an action serving an unknown objective.
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/objectifs"),
            json!({"titre": "Lire", "echeance": "2027-06-30", "resultat_attendu": "Un journal par jour",
                   "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "besoins").contains("besoin"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/actions"),
            json!({"libelle": "Lecture", "objectifs": [99], "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "objectifs").contains("inconnu"), "{e}");
    assert_eq!(t.version(&dir, &id).await, v, "nothing was written");
    // A stale version is a conflict, never a silent overwrite.
    for (status, e) in [
        t.post(
            &dir,
            &format!("/projets/{id}/attentes"),
            json!({"origine": "personne", "texte": "Rester au lit le matin", "version": v - 1}),
        )
        .await,
        t.put(
            &dir,
            &format!("/projets/{id}/attentes/{attente}"),
            json!({"origine": "personne", "texte": "Lire", "version": v - 1}),
        )
        .await,
        t.delete(
            &dir,
            &format!("/projets/{id}/attentes/{attente}?version={}", v - 1),
        )
        .await,
        t.post(
            &dir,
            &format!("/projets/{id}/statut"),
            json!({"status": "termine", "note": "Départ", "version": v - 1}),
        )
        .await,
    ] {
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert!(message(&e, "version").contains("modifiée"), "{e}");
    }
    assert_eq!(t.version(&dir, &id).await, v, "nothing was written");
    // The element of the path: unknown kind or id.
    let (status, _) = t
        .delete(
            &dir,
            &format!("/projets/{id}/souhaits/{attente}?version={v}"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = t
        .delete(&dir, &format!("/projets/{id}/attentes/premier?version={v}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, e) = t
        .delete(
            &dir,
            &format!("/projets/{id}/attentes/{}?version={v}", objectif + 5),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "id").contains("n'existe pas"), "{e}");
    let (status, e) = t
        .delete(&dir, &format!("/projets/{id}/attentes/{attente}"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "version").contains("?version="), "{e}");
    let (status, e) = t
        .put(
            &dir,
            &format!("/projets/{id}/besoins/{}", objectif + 5),
            json!({"code": "1.2.1.3", "version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "id").contains("n'existe pas"), "{e}");
    // A bilan on a projet in preparation; an accord signed in the future; an unknown party.
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/bilans"),
            json!({"date": "2026-11-22", "appreciations": [], "synthese": "x",
                   "prochain_bilan": "2027-05-22"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "date").contains("en cours"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/accords"),
            json!({"partie": "structure", "signed_on": "2026-12-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "signed_on").contains("futur"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/accords"),
            json!({"partie": "famille", "signed_on": "2026-11-22"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["partie"].is_array(), "{e}");
    // An avenant of a projet in preparation; a second projet in the same establishment.
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/avenants"),
            json!({"reason": "Changement"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "reason").contains("directement"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/usagers/{u}/projets"),
            json!({"etablissement_id": t.fx.ehpad.to_string(), "kind": "PPA"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "etablissement_id").contains("avenant"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/usagers/{u}/projets"),
            json!({"etablissement_id": t.fx.ditep.to_string(), "kind": "XYZ"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["kind"].is_array(), "{e}");
    // Importing needs without any needs evaluation.
    let (status, e) = t
        .post(
            &dir,
            &format!("/projets/{id}/besoins-evalues"),
            json!({"version": v}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["evaluation"].is_array(), "{e}");
    // An unknown projet.
    let (status, e) = t
        .get(&dir, "/projets/00000000-0000-7000-8000-000000000999")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e["errors"]["resource"].is_array(), "{e}");
}

async fn only_who_is_entitled_reads_writes_and_signs(t: TestApp) {
    let dir = t.token("direction").await;
    let asg = t.token("as.glycines").await;
    let educ = t.token("educ.internat").await;
    let u = t.resident(&dir, "Bernard").await;
    let id = t.new_projet(&dir, &u).await;
    // Without a token.
    for (method, path) in [
        (Method::GET, format!("/projets/{id}")),
        (Method::GET, format!("/usagers/{u}/projets")),
        (Method::GET, format!("/usagers/{u}/evaluations")),
        (Method::GET, format!("/etablissements/{}/gmp", t.fx.ehpad)),
    ] {
        let (status, e) = t.call(method, None, &path, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(message(&e, "session").contains("reconnectez-vous"));
    }
    let (status, _) = t
        .call(
            Method::POST,
            None,
            &format!("/projets/{id}/attentes"),
            Some(json!({"origine": "personne", "texte": "Lire", "version": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The internat's educator does not see an EHPAD resident's projet nor evaluations.
    for path in [
        format!("/projets/{id}"),
        format!("/usagers/{u}/projets"),
        format!("/usagers/{u}/evaluations"),
    ] {
        let (status, e) = t.get(&educ, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(e["errors"]["authorization"].is_array(), "{e}");
    }
    let (status, _) = t
        .post(
            &educ,
            &format!("/projets/{id}/attentes"),
            json!({"origine": "personne", "texte": "Lire", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The aide-soignant writes the projet of their unit, but neither signs for the structure nor
    // records evaluations.
    t.add(
        &asg,
        &id,
        "attentes",
        json!({"origine": "personne", "texte": "Lire le journal"}),
    )
    .await;
    let (status, e) = t
        .post(
            &asg,
            &format!("/projets/{id}/accords"),
            json!({"partie": "structure", "signed_on": "2026-11-22"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(e["errors"]["authorization"].is_array(), "{e}");
    let (status, _) = t
        .post(
            &asg,
            &format!("/usagers/{u}/evaluations"),
            json!({"evaluated_on": "2026-11-15", "lines": [{"code": "1.2.1.3", "level": "modere"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .post(
            &asg,
            &format!("/usagers/{u}/evaluations/aggir"),
            json!({"evaluated_on": "2026-11-15", "evaluation": autonomous()}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another unit of the same EHPAD is out of the aide-soignant's scope.
    let lilas = t
        .person(
            &dir,
            "Fontaine",
            "1936-07-14",
            t.fx.placement(t.fx.ehpad, t.fx.lilas),
        )
        .await;
    let (status, _) = t.get(&asg, &format!("/usagers/{lilas}/projets")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .post(
            &asg,
            &format!("/usagers/{lilas}/projets"),
            json!({"etablissement_id": t.fx.ehpad.to_string(), "kind": "PPA"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The administrator opens no one's record.
    let admin = t.token("admin").await;
    let (status, _) = t.get(&admin, &format!("/projets/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nothing was written by the refused calls.
    let p = t.projet(&dir, &id).await;
    assert_eq!(p["version"], 2);
    assert!(p["accords"].as_array().unwrap().is_empty());
    assert!(
        t.read(&dir, &format!("/usagers/{u}/evaluations"))
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

async fn the_openapi_document_lists_the_projet_and_evaluation_api(t: TestApp) {
    let doc: Value = t
        .http
        .get(format!("{}/api/v1/openapi.json", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected: &[(&str, &[&str])] = &[
        ("/api/v1/usagers/{id}/projets", &["get", "post"]),
        ("/api/v1/projets/{id}", &["get"]),
        ("/api/v1/projets/{id}/attentes", &["post"]),
        ("/api/v1/projets/{id}/besoins", &["post"]),
        ("/api/v1/projets/{id}/objectifs", &["post"]),
        ("/api/v1/projets/{id}/actions", &["post"]),
        ("/api/v1/projets/{id}/participants", &["post"]),
        ("/api/v1/projets/{id}/{kind}/{element}", &["put", "delete"]),
        ("/api/v1/projets/{id}/besoins-evalues", &["post"]),
        ("/api/v1/projets/{id}/accords", &["post"]),
        ("/api/v1/projets/{id}/statut", &["post"]),
        ("/api/v1/projets/{id}/avenants", &["post"]),
        ("/api/v1/projets/{id}/bilans", &["post"]),
        ("/api/v1/usagers/{id}/evaluations", &["get", "post"]),
        ("/api/v1/usagers/{id}/evaluations/aggir", &["post"]),
        ("/api/v1/evaluations/{id}/aggir", &["get"]),
        ("/api/v1/evaluations/{id}/annulation", &["post"]),
        ("/api/v1/etablissements/{id}/gmp", &["get"]),
    ];
    for (path, methods) in expected {
        for m in *methods {
            let op = &doc["paths"][path][m];
            assert!(op.is_object(), "{m} {path} missing");
            assert!(op["security"].is_array(), "{m} {path} without bearer");
            assert!(
                op["responses"].as_object().unwrap().len() >= 3,
                "{m} {path}: responses not documented"
            );
        }
    }
    let param = |path: &str, method: &str, name: &str| {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{method} {path}: no parameter {name}"))
            .clone()
    };
    let version = param("/api/v1/projets/{id}/{kind}/{element}", "delete", "version");
    assert_eq!(
        (&version["in"], &version["required"]),
        (&json!("query"), &json!(true))
    );
    let date = param("/api/v1/etablissements/{id}/gmp", "get", "date");
    assert_eq!(
        (&date["in"], &date["required"]),
        (&json!("query"), &json!(false))
    );
    let schemas = &doc["components"]["schemas"];
    for schema in [
        "RawNewProjet",
        "ProjetSummary",
        "ProjetView",
        "AttenteIn",
        "BesoinIn",
        "ObjectifIn",
        "ActionIn",
        "ParticipantIn",
        "ElementIn",
        "VersionIn",
        "ImportedOut",
        "RawAccord",
        "RawProjetStatus",
        "AvenantIn",
        "BilanIn",
        "AppreciationIn",
        "EvaluationView",
        "NeedsEvaluationIn",
        "NeedLineIn",
        "AggirEvaluationIn",
        "AggirDetailOut",
        "CancelIn",
        "GmpView",
    ] {
        assert!(schemas[schema].is_object(), "{schema} missing");
    }
    assert_eq!(
        schemas["ElementIn"]["oneOf"].as_array().unwrap().len(),
        5,
        "{}",
        schemas["ElementIn"]
    );
    // The AGGIR grid is described field by field, closed, in the input and in the detail.
    for (schema, field) in [
        ("AggirEvaluationIn", "evaluation"),
        ("AggirDetailOut", "evaluation"),
    ] {
        let grid = &schemas[schema]["properties"][field];
        assert!(
            grid["properties"]["toilette"]["properties"]["haut"]["properties"]["spontanement"]
                .is_object(),
            "{schema}.{field}: {grid}"
        );
        assert_eq!(grid["additionalProperties"], false);
    }
    assert_eq!(
        schemas["AttenteIn"]["required"],
        json!(["origine", "texte", "version"])
    );
}

both!(
    "api_prj";
    a_projet_runs_over_the_api_from_needs_to_avenant,
    aggir_is_recorded_explained_and_compared,
    the_gmp_weights_the_latest_valid_gir_of_each_person_present,
    bad_input_is_refused_and_nothing_is_written,
    only_who_is_entitled_reads_writes_and_signs,
    the_openapi_document_lists_the_projet_and_evaluation_api,
);
