//! The admission, entourage, consent and partner API over real HTTP, on SQLite and PostgreSQL.
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
        let mut body = serde_json::to_value(identity(name, "Léa", None)).unwrap();
        body["birth_date"] = json!(birth);
        body["placement"] = json!(placement);
        body["confirm_not_duplicate"] = json!(true);
        self.create(token, "/usagers", body).await
    }

    /// A request received on 01/10/2026, moved to `acceptee`; returns its id.
    async fn accepted_request(
        &self,
        token: &str,
        usager: &str,
        etab: String,
        modalite: &str,
    ) -> String {
        let rid = self
            .create(
                token,
                &format!("/usagers/{usager}/demandes"),
                json!({"etablissement_id": etab, "modalite": modalite, "origin": "mdph",
                       "received_on": "2026-10-01", "priority": "2"}),
            )
            .await;
        self.ok(
            Method::POST,
            token,
            &format!("/demandes/{rid}/statut"),
            json!({"status": "acceptee", "version": 1}),
        )
        .await;
        rid
    }
}

async fn an_admission_runs_over_the_api_from_request_to_consent(t: TestApp) {
    let dir = t.token("direction").await;
    let (ditep, internat, sessad) = (t.fx.ditep, t.fx.internat, t.fx.sessad);
    // An adult still accompanied by the DITEP (up to 20).
    let u = t
        .person(&dir, "Martin", "2006-03-12", ditep.to_string())
        .await;
    let rid = t
        .create(
            &dir,
            &format!("/usagers/{u}/demandes"),
            json!({"etablissement_id": ditep.to_string(), "modalite": "internat", "origin": "mdph",
                   "received_on": "2026-10-01", "priority": "2",
                   "expectations": "Dormir à l'internat la semaine."}),
        )
        .await;
    for (status, version) in [("en_etude", 1), ("acceptee", 2)] {
        t.ok(
            Method::POST,
            &dir,
            &format!("/demandes/{rid}/statut"),
            json!({"status": status, "version": version}),
        )
        .await;
    }
    let waiting = t
        .read(&dir, &format!("/etablissements/{ditep}/liste-attente"))
        .await;
    assert_eq!(waiting[0]["id"], rid.as_str());
    assert_eq!(waiting[0]["status"], "acceptee");
    assert!(
        waiting[0]["next"]
            .as_array()
            .unwrap()
            .contains(&json!("en_attente_de_place"))
    );
    // Two modalities at once: internat and SESSAD.
    let (status, admitted) = t
        .post(
            &dir,
            &format!("/demandes/{rid}/admission"),
            json!({"placements": [
                       {"unite_id": internat.to_string(), "modalite": "internat"},
                       {"unite_id": sessad.to_string(), "modalite": "ambulatoire"}],
                   "planned_entry": "2026-11-02", "entry_date": "2026-11-02", "entry_mode": "domicile"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{admitted}");
    assert_eq!(admitted["sejour_ids"].as_array().unwrap().len(), 2);
    let file = t.read(&dir, &format!("/usagers/{u}/admission")).await;
    assert_eq!(file["requests"][0]["status"], "admise");
    let steps: Vec<&str> = file["requests"][0]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["recue", "en_etude", "acceptee", "admise"]);
    let sejours = file["sejours"].as_array().unwrap();
    assert_eq!(sejours.len(), 2);
    assert!(sejours.iter().all(|s| s["status"] == "en_cours"));
    assert!(
        file["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("sans décision d'orientation")),
        "{file}"
    );
    let internat_sejour = sejours
        .iter()
        .find(|s| s["modalite"] == "internat")
        .unwrap();
    let sid = internat_sejour["id"].as_str().unwrap().to_string();
    assert_eq!(internat_sejour["dates"]["entry"], "2026-11-02");
    // Orientation decision, then its correction (a new version).
    let decision = json!({"decision_type": "orientation", "category_code": "186",
                          "start_date": "2026-09-01", "end_date": "2027-03-31",
                          "decision_number": "D-2026-001"});
    let did = t
        .create(&dir, &format!("/usagers/{u}/decisions"), decision.clone())
        .await;
    let mut corrected = decision.clone();
    corrected["end_date"] = json!("2031-08-31");
    corrected["version"] = json!(1);
    t.ok(
        Method::PUT,
        &dir,
        &format!("/usagers/{u}/decisions/{did}"),
        corrected,
    )
    .await;
    // The DIPC handed over, then signed.
    let cid = t
        .create(
            &dir,
            &format!("/sejours/{sid}/contrats"),
            json!({"kind": "dipc", "handed_on": "2026-11-02"}),
        )
        .await;
    t.ok(
        Method::PUT,
        &dir,
        &format!("/sejours/{sid}/contrats/{cid}"),
        json!({"kind": "dipc", "handed_on": "2026-11-02", "signed_on": "2026-11-20",
               "signatories": "M. Martin, la directrice", "version": 1}),
    )
    .await;
    t.ok(
        Method::PUT,
        &dir,
        &format!("/sejours/{sid}"),
        json!({"planned_exit": "2027-07-07", "version": 1}),
    )
    .await;
    // From the internat to the semi-internat on 20/11: one séjour ends, the next begins.
    let next = t
        .create(
            &dir,
            &format!("/sejours/{sid}/modalite"),
            json!({"modalite": "semi_internat", "on": "2026-11-20", "version": 2}),
        )
        .await;
    let file = t.read(&dir, &format!("/usagers/{u}/admission")).await;
    assert_eq!(file["decisions"][0]["version"], 2);
    assert_eq!(file["decisions"][0]["validity"]["end"], "2031-08-31");
    assert_eq!(file["decisions"][0]["valid_today"], true);
    assert_eq!(file["contrats"][0]["signed_on"], "2026-11-20");
    let sejours = file["sejours"].as_array().unwrap();
    assert_eq!(sejours.len(), 3);
    let old = sejours.iter().find(|s| s["id"] == sid.as_str()).unwrap();
    assert_eq!(old["status"], "termine");
    assert_eq!(old["dates"]["exit"], "2026-11-20");
    let new = sejours.iter().find(|s| s["id"] == next.as_str()).unwrap();
    assert_eq!(new["previous_id"], sid.as_str());
    assert_eq!(new["dates"]["planned_exit"], "2027-07-07");
    assert!(
        !file["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("orientation")),
        "{file}"
    );
    // Occupancy on a day and days of presence over November.
    let occ = t
        .read(
            &dir,
            &format!(
                "/etablissements/{ditep}/occupation?date=2026-11-22&du=2026-11-01&au=2026-11-30"
            ),
        )
        .await;
    assert_eq!(occ["total"]["occupied"], 2);
    // internat 2/11 → 20/11 (18 days), semi-internat 20/11 → 30/11 (11), SESSAD 2/11 → 30/11 (29).
    assert_eq!(occ["days_total"], 18 + 11 + 29);
    let default = t
        .read(&dir, &format!("/etablissements/{ditep}/occupation"))
        .await;
    assert_eq!(
        (&default["on"], &default["from"], &default["to"]),
        (
            &json!("2026-11-22"),
            &json!("2026-11-01"),
            &json!("2026-11-22")
        )
    );
    // The tutor and the tutelle: from now on the tutor signs for the person.
    let tutor = t
        .create(
            &dir,
            &format!("/usagers/{u}/proches"),
            json!({"relation": "autre_famille", "last_name": "Martin", "first_name": "Luc"}),
        )
        .await;
    t.create(
        &dir,
        &format!("/usagers/{u}/mesures-protection"),
        json!({"kind": "tutelle", "start_date": "2026-11-01", "representative_id": tutor,
               "court": "Tribunal judiciaire de Lyon"}),
    )
    .await;
    t.ok(
        Method::PUT,
        &dir,
        &format!("/usagers/{u}/proches/{tutor}"),
        json!({"relation": "autre_famille", "last_name": "Martin", "first_name": "Luc",
               "phone": "06 12 34 56 78", "version": 1}),
    )
    .await;
    let entourage = t.read(&dir, &format!("/usagers/{u}/entourage")).await;
    assert_eq!(entourage["mesures"][0]["kind"], "tutelle");
    assert_eq!(entourage["mesures"][0]["in_force"], true);
    assert_eq!(entourage["proches"][0]["version"], 2);
    assert_eq!(entourage["signing"]["person"], false);
    assert_eq!(
        entourage["signing"]["representatives"],
        json!([[tutor, "Luc Martin"]])
    );
    let may = format!("/usagers/{u}/consentements/dmp");
    let answer = t.read(&dir, &may).await;
    assert_eq!(
        (&answer["allowed"], &answer["answer"], &answer["consent"]),
        (&json!(false), &json!("not_asked"), &Value::Null)
    );
    let consent = |signatory: &str, decision: &str| {
        json!({"purpose": "dmp", "decision": decision, "signatory": signatory,
               "decided_on": "2026-11-22"})
    };
    let consents = format!("/usagers/{u}/consentements");
    // The person alone may no longer sign: refused, nothing recorded.
    let (status, refused) = t.post(&dir, &consents, consent("usager", "donne")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        message(&refused, "signatory").contains("Tutelle"),
        "{refused}"
    );
    t.create(&dir, &consents, consent(&tutor, "donne")).await;
    let answer = t.read(&dir, &may).await;
    assert_eq!(answer["allowed"], true);
    assert_eq!(answer["answer"], "yes");
    assert_eq!(answer["label"], "Consentement valide");
    assert_eq!(answer["consent"]["signatory"], "Luc Martin");
    assert_eq!(answer["consent"]["decision"], "donne");
    t.create(&dir, &consents, consent(&tutor, "retire")).await;
    let answer = t.read(&dir, &may).await;
    assert_eq!(
        (&answer["allowed"], &answer["answer"], &answer["label"]),
        (&json!(false), &json!("withdrawn"), &json!("Retiré"))
    );
    assert_eq!(answer["consent"]["decision"], "retire");
    let states = t.read(&dir, &consents).await;
    let dmp = states
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["purpose"] == "dmp")
        .unwrap();
    assert_eq!(dmp["state"]["answer"], "withdrawn");
    assert_eq!(dmp["history"].as_array().unwrap().len(), 2);
    // The home board answers for the professional.
    let board = t.read(&dir, "/accueil").await;
    for section in [
        "upcoming_admissions",
        "requests_to_admit",
        "decisions",
        "contracts",
        "consents",
        "ending_sejours",
    ] {
        assert!(board[section].is_array(), "{section}: {board}");
    }
}

async fn bad_input_is_refused_in_french_and_nothing_is_written(t: TestApp) {
    let dir = t.token("direction").await;
    let admin = t.token("admin").await;
    let ditep = t.fx.ditep;
    let u = t
        .person(&dir, "Durand", "2012-01-15", ditep.to_string())
        .await;
    let requests = format!("/usagers/{u}/demandes");
    let file_path = format!("/usagers/{u}/admission");
    // Unknown field, missing field, bad codes and dates.
    let (status, e) = t
        .post(
            &dir,
            &requests,
            json!({"etablissement_id": ditep.to_string(), "modalite": "internat", "origin": "mdph",
                   "received_on": "2026-10-01", "urgence": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("urgence"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &requests,
            json!({"etablissement_id": ditep.to_string(), "origin": "mdph", "received_on": "2026-10-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("modalite"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &requests,
            json!({"etablissement_id": ditep.to_string(), "modalite": "piscine", "origin": "mdph",
                   "received_on": "2999-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["modalite"].is_array(), "{e}");
    assert_eq!(
        message(&e, "received_on"),
        "La date de réception ne peut pas être dans le futur."
    );
    assert!(
        t.read(&dir, &file_path).await["requests"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A refusal needs its reason; a stale version is a conflict; an unknown request is 404.
    let open = t
        .create(
            &dir,
            &requests,
            json!({"etablissement_id": ditep.to_string(), "modalite": "externat", "origin": "famille",
                   "received_on": "2026-10-02"}),
        )
        .await;
    let (status, e) = t
        .post(
            &dir,
            &format!("/demandes/{open}/statut"),
            json!({"status": "refusee", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "reason").contains("motif"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            &format!("/demandes/{open}/statut"),
            json!({"status": "en_etude", "version": 7}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&e, "version").contains("modifiée"));
    let (status, _) = t
        .post(
            &dir,
            &format!("/demandes/{}/statut", uuid_like(99)),
            json!({"status": "en_etude", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let file = t.read(&dir, &file_path).await;
    assert_eq!(file["requests"][0]["status"], "recue");
    assert_eq!(file["requests"][0]["version"], 1);
    // Exit before entry: refused, the séjour unchanged.
    let rid = t
        .accepted_request(&dir, &u, ditep.to_string(), "ambulatoire")
        .await;
    let (status, admitted) = t
        .post(
            &dir,
            &format!("/demandes/{rid}/admission"),
            json!({"placements": [{"unite_id": t.fx.sessad.to_string(), "modalite": "ambulatoire"}],
                   "planned_entry": "2026-11-02", "entry_date": "2026-11-02"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{admitted}");
    let sid = admitted["sejour_ids"][0].as_str().unwrap().to_string();
    let (status, e) = t
        .put(
            &dir,
            &format!("/sejours/{sid}"),
            json!({"exit_date": "2026-10-01", "exit_mode": "retour_domicile", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "exit_date").contains("précéder"), "{e}");
    // Only a planned séjour is cancelled; a started one ends with an exit.
    let (status, e) = t
        .post(
            &dir,
            &format!("/sejours/{sid}/annulation"),
            json!({"reason": "Erreur", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&e, "reason").contains("Seul un séjour prévu"),
        "{e}"
    );
    let file = t.read(&dir, &file_path).await;
    let sejour = &file["sejours"][0];
    assert_eq!(
        (
            &sejour["version"],
            &sejour["status"],
            &sejour["dates"]["exit"]
        ),
        (&json!(1), &json!("en_cours"), &Value::Null)
    );
    // Decision ending before it starts.
    let (status, e) = t
        .post(
            &dir,
            &format!("/usagers/{u}/decisions"),
            json!({"decision_type": "orientation", "category_code": "186",
                   "start_date": "2026-09-01", "end_date": "2026-08-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&e, "end_date"),
        "La fin de validité ne peut pas précéder son début."
    );
    assert!(
        t.read(&dir, &file_path).await["decisions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // A planned séjour is cancelled with its reason, and kept.
    let later = t
        .accepted_request(&dir, &u, ditep.to_string(), "internat")
        .await;
    let (status, admitted) = t
        .post(
            &dir,
            &format!("/demandes/{later}/admission"),
            json!({"placements": [{"unite_id": t.fx.internat.to_string(), "modalite": "internat"}],
                   "planned_entry": "2026-12-15"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{admitted}");
    let planned = admitted["sejour_ids"][0].as_str().unwrap().to_string();
    let (status, e) = t
        .post(
            &dir,
            &format!("/sejours/{planned}/annulation"),
            json!({"reason": " ", "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["reason"].is_array(), "{e}");
    t.ok(
        Method::POST,
        &dir,
        &format!("/sejours/{planned}/annulation"),
        json!({"reason": "La famille a choisi un autre établissement.", "version": 1}),
    )
    .await;
    let file = t.read(&dir, &file_path).await;
    let cancelled = file["sejours"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == planned.as_str())
        .unwrap();
    assert_eq!(cancelled["status"], "annule");
    // Occupancy: dates in French errors, named like the query.
    let occupation = format!("/etablissements/{ditep}/occupation");
    let (status, e) = t.get(&dir, &format!("{occupation}?date=31/02/2026")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        message(&e, "date"),
        "Ce n'est pas une date valide (JJ/MM/AAAA)."
    );
    let (status, e) = t
        .get(&dir, &format!("{occupation}?du=2026-11-30&au=2026-11-01"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "au").contains("précéder"), "{e}");
    // Places per modality.
    let capacity = format!("/etablissements/{ditep}/capacites/internat");
    let (status, e) = t.put(&admin, &capacity, json!({"capacity": 20000})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "capacity").contains("10 000"), "{e}");
    let (status, e) = t.put(&admin, &capacity, json!({"places": 3})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("places"), "{e}");
    let (status, e) = t
        .put(
            &admin,
            &format!("/etablissements/{ditep}/capacites/piscine"),
            json!({"capacity": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["modalite"].is_array(), "{e}");
    let occ = t.read(&dir, &format!("{occupation}?date=2026-11-22")).await;
    assert!(
        occ["by_modalite"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m[1]["capacity"].is_null()),
        "{occ}"
    );
}

fn uuid_like(n: u128) -> String {
    uuid::Uuid::from_u128(n).to_string()
}

async fn roles_without_rights_are_refused(t: TestApp) {
    let dir = t.token("direction").await;
    let u = t
        .person(
            &dir,
            "Bernard",
            "1940-05-05",
            t.fx.placement(t.fx.ehpad, t.fx.glycines),
        )
        .await;
    let (ehpad, ditep) = (t.fx.ehpad, t.fx.ditep);
    // No token, or a bad one.
    let (status, e) = t.call(Method::GET, None, "/accueil", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(message(&e, "session").contains("reconnectez-vous"));
    let (status, _) = t
        .call(
            Method::POST,
            None,
            &format!("/usagers/{u}/demandes"),
            Some(
                json!({"etablissement_id": ehpad.to_string(), "modalite": "internat",
                        "origin": "mdph", "received_on": "2026-10-01"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = t
        .call(Method::GET, Some("nimporte"), "/partenaires", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The internat's educator sees no waiting list, least of all the EHPAD's.
    let educ = t.token("educ.internat").await;
    for etab in [ehpad, ditep] {
        let (status, e) = t
            .get(&educ, &format!("/etablissements/{etab}/liste-attente"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(e["errors"]["authorization"].is_array(), "{e}");
    }
    // The administrator manages structures but opens no person's file.
    let admin = t.token("admin").await;
    for path in [
        format!("/usagers/{u}/admission"),
        format!("/usagers/{u}/entourage"),
        format!("/usagers/{u}/consentements"),
        format!("/usagers/{u}/consentements/dmp"),
    ] {
        let (status, _) = t.get(&admin, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    t.ok(
        Method::PUT,
        &admin,
        &format!("/etablissements/{ehpad}/capacites/internat"),
        json!({"capacity": 40}),
    )
    .await;
    // The EHPAD's secretariat: its own waiting list only, and no places to set.
    let sec = t.token("secretariat").await;
    let (status, _) = t
        .get(&sec, &format!("/etablissements/{ditep}/liste-attente"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    t.read(&sec, &format!("/etablissements/{ehpad}/liste-attente"))
        .await;
    let (status, _) = t
        .put(
            &sec,
            &format!("/etablissements/{ehpad}/capacites/internat"),
            json!({"capacity": 60}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An aide-soignant reads the directory but records neither requests nor partners.
    let asg = t.token("as.glycines").await;
    let (status, _) = t
        .post(
            &asg,
            &format!("/usagers/{u}/demandes"),
            json!({"etablissement_id": ehpad.to_string(), "modalite": "internat", "origin": "mdph",
                   "received_on": "2026-10-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = t
        .post(
            &asg,
            "/partenaires",
            json!({"kind": "pharmacie", "name": "Pharmacie du Centre"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.read(&asg, "/partenaires").await.as_array().unwrap().len(),
        0
    );
    let file = t.read(&dir, &format!("/usagers/{u}/admission")).await;
    assert!(file["requests"].as_array().unwrap().is_empty());
    let occ = t
        .read(&dir, &format!("/etablissements/{ehpad}/occupation"))
        .await;
    assert!(
        occ["by_modalite"]
            .as_array()
            .unwrap()
            .contains(&json!(["Internat", {"occupied": 0, "capacity": 40}])),
        "{occ}"
    );
}

async fn over_capacity_needs_the_confirmation_of_the_direction(t: TestApp) {
    let admin = t.token("admin").await;
    let sec = t.token("secretariat").await;
    let dir = t.token("direction").await;
    let (ehpad, glycines) = (t.fx.ehpad, t.fx.glycines);
    t.ok(
        Method::PUT,
        &admin,
        &format!("/etablissements/{ehpad}/capacites/internat"),
        json!({"capacity": 1}),
    )
    .await;
    let mut people = Vec::new();
    for name in ["Alpha", "Bravo"] {
        let u = t
            .person(&sec, name, "1940-01-01", t.fx.placement(ehpad, glycines))
            .await;
        let r = t
            .accepted_request(&sec, &u, ehpad.to_string(), "internat")
            .await;
        people.push((u, r));
    }
    let admission = json!({"placements": [{"unite_id": glycines.to_string(), "modalite": "internat"}],
                           "planned_entry": "2026-11-15", "entry_date": "2026-11-15"});
    let (status, v) = t
        .post(
            &sec,
            &format!("/demandes/{}/admission", people[0].1),
            admission.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let second = format!("/demandes/{}/admission", people[1].1);
    let (status, warning) = t.post(&sec, &second, admission.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message(&warning, "confirm_over_capacity").contains("Capacité autorisée atteinte"),
        "{warning}"
    );
    let mut confirmed = admission.clone();
    confirmed["confirm_over_capacity"] = json!(true);
    let (status, e) = t.post(&sec, &second, confirmed.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "confirm_over_capacity").contains("direction"));
    assert!(
        t.read(&dir, &format!("/usagers/{}/admission", people[1].0))
            .await["sejours"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (status, v) = t.post(&dir, &second, confirmed).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let file = t
        .read(&dir, &format!("/usagers/{}/admission", people[1].0))
        .await;
    assert_eq!(file["sejours"][0]["over_capacity"], true);
    let occ = t
        .read(
            &dir,
            &format!("/etablissements/{ehpad}/occupation?date=2026-11-22"),
        )
        .await;
    assert!(
        occ["by_modalite"]
            .as_array()
            .unwrap()
            .contains(&json!(["Internat", {"occupied": 2, "capacity": 1}])),
        "{occ}"
    );
    assert!(
        t.read(&sec, &format!("/etablissements/{ehpad}/liste-attente"))
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

async fn the_partner_directory_and_links_follow_consents(t: TestApp) {
    let dir = t.token("direction").await;
    let pharmacie = t
        .create(
            &dir,
            "/partenaires",
            json!({"kind": "pharmacie", "name": "Pharmacie de l'Église", "phone": "04 72 00 00 00"}),
        )
        .await;
    let ecole = t
        .create(
            &dir,
            "/partenaires",
            json!({"kind": "ecole", "name": "École Jules Ferry", "address": "1 rue des Écoles, Lyon"}),
        )
        .await;
    let (status, e) = t
        .post(
            &dir,
            "/partenaires",
            json!({"kind": "medecin", "name": "Dr X", "rpps": "10001234567"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "rpps").contains("clé"), "{e}");
    let (status, e) = t
        .post(
            &dir,
            "/partenaires",
            json!({"kind": "ecole", "name": "École B", "siret": "1"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "body").contains("siret"), "{e}");
    let asg = t.token("as.glycines").await;
    let found = t.read(&asg, "/partenaires?q=eglise").await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["partner"]["name"], "Pharmacie de l'Église");
    assert_eq!(
        t.read(&asg, "/partenaires?kind=ecole").await[0]["id"],
        ecole.as_str()
    );
    let one = t.read(&dir, &format!("/partenaires/{pharmacie}")).await;
    assert_eq!(
        (&one["kind"], &one["active"], &one["version"]),
        (&json!("pharmacie"), &json!(true), &json!(1))
    );
    let corrected = json!({"kind": "pharmacie", "name": "Pharmacie de l'Église",
                           "notes": "Livre le mardi", "version": 1});
    t.ok(
        Method::PUT,
        &dir,
        &format!("/partenaires/{pharmacie}"),
        corrected.clone(),
    )
    .await;
    let (status, _) = t
        .put(&dir, &format!("/partenaires/{pharmacie}"), corrected)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, e) = t
        .put(
            &dir,
            &format!("/partenaires/{pharmacie}"),
            json!({"kind": "pharmacie", "name": "Pharmacie de l'Église"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "version").contains("version"), "{e}");
    let one = t.read(&dir, &format!("/partenaires/{pharmacie}")).await;
    assert_eq!(one["version"], 2);
    assert_eq!(one["partner"]["notes"], "Livre le mardi");
    // A child of the DITEP: the school is linked, the mother signs for sharing with it only.
    let child = t
        .person(&dir, "Petit", "2015-06-01", t.fx.ditep.to_string())
        .await;
    let mother = t
        .create(
            &dir,
            &format!("/usagers/{child}/proches"),
            json!({"relation": "mere", "last_name": "Petit", "first_name": "Anne",
                   "autorite_parentale": true, "personne_a_prevenir": true}),
        )
        .await;
    let links = format!("/usagers/{child}/liens-partenaires");
    let lien = t
        .create(
            &dir,
            &links,
            json!({"partenaire_id": ecole, "role": "scolarite", "start_date": "2026-09-01"}),
        )
        .await;
    t.ok(
        Method::PUT,
        &dir,
        &format!("{links}/{lien}"),
        json!({"partenaire_id": ecole, "role": "scolarite", "start_date": "2026-09-01",
               "notes": "CM2", "version": 1}),
    )
    .await;
    let entourage = t.read(&dir, &format!("/usagers/{child}/entourage")).await;
    let link = &entourage["liens"][0];
    assert_eq!(
        (
            &link["partenaire_name"],
            &link["role"],
            &link["version"],
            &link["notes"]
        ),
        (
            &json!("École Jules Ferry"),
            &json!("scolarite"),
            &json!(2),
            &json!("CM2")
        )
    );
    assert_eq!(entourage["signing"]["person"], false);
    assert_eq!(
        entourage["signing"]["representatives"],
        json!([[mother, "Anne Petit"]])
    );
    t.create(
        &dir,
        &format!("/usagers/{child}/consentements"),
        json!({"purpose": "partage_partenaires", "decision": "donne", "signatory": mother,
               "decided_on": "2026-11-22", "partners": [ecole]}),
    )
    .await;
    let may = format!("/usagers/{child}/consentements/partage_partenaires");
    let school = t.read(&dir, &format!("{may}?partenaire={ecole}")).await;
    assert_eq!(school["answer"], "yes");
    assert_eq!(school["consent"]["partners"], json!(["École Jules Ferry"]));
    let other = t.read(&dir, &format!("{may}?partenaire={pharmacie}")).await;
    assert_eq!(other["answer"], "partner_not_covered");
    assert_eq!(other["allowed"], false);
    let (status, e) = t
        .get(&dir, &format!("/usagers/{child}/consentements/loterie"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["errors"]["purpose"].is_array(), "{e}");
    // A retired partner can no longer be linked.
    t.ok(
        Method::PUT,
        &dir,
        &format!("/partenaires/{pharmacie}"),
        json!({"kind": "pharmacie", "name": "Pharmacie de l'Église", "active": false, "version": 2}),
    )
    .await;
    let (status, e) = t
        .post(
            &dir,
            &links,
            json!({"partenaire_id": pharmacie, "role": "pharmacie"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&e, "partenaire_id").contains("inactif"), "{e}");
}

async fn the_openapi_document_lists_the_admission_api(t: TestApp) {
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
        ("/api/v1/usagers/{id}/demandes", &["post"]),
        ("/api/v1/usagers/{id}/admission", &["get"]),
        ("/api/v1/demandes/{id}/statut", &["post"]),
        ("/api/v1/demandes/{id}/admission", &["post"]),
        ("/api/v1/sejours/{id}", &["put"]),
        ("/api/v1/sejours/{id}/annulation", &["post"]),
        ("/api/v1/sejours/{id}/modalite", &["post"]),
        ("/api/v1/sejours/{id}/contrats", &["post"]),
        ("/api/v1/sejours/{id}/contrats/{contrat_id}", &["put"]),
        ("/api/v1/usagers/{id}/decisions", &["post"]),
        ("/api/v1/usagers/{id}/decisions/{decision_id}", &["put"]),
        ("/api/v1/etablissements/{id}/liste-attente", &["get"]),
        ("/api/v1/etablissements/{id}/occupation", &["get"]),
        ("/api/v1/etablissements/{id}/capacites/{modalite}", &["put"]),
        ("/api/v1/accueil", &["get"]),
        ("/api/v1/usagers/{id}/entourage", &["get"]),
        ("/api/v1/usagers/{id}/proches", &["post"]),
        ("/api/v1/usagers/{id}/proches/{proche_id}", &["put"]),
        ("/api/v1/usagers/{id}/mesures-protection", &["post"]),
        (
            "/api/v1/usagers/{id}/mesures-protection/{mesure_id}",
            &["put"],
        ),
        ("/api/v1/usagers/{id}/liens-partenaires", &["post"]),
        ("/api/v1/usagers/{id}/liens-partenaires/{lien_id}", &["put"]),
        ("/api/v1/usagers/{id}/consentements", &["get", "post"]),
        ("/api/v1/usagers/{id}/consentements/{purpose}", &["get"]),
        ("/api/v1/partenaires", &["get", "post"]),
        ("/api/v1/partenaires/{id}", &["get", "put"]),
    ];
    for (path, methods) in expected {
        for m in *methods {
            let op = &doc["paths"][path][m];
            assert!(op.is_object(), "{m} {path} missing");
            assert!(op["security"].is_array(), "{m} {path} without bearer");
        }
    }
    let params = doc["paths"]["/api/v1/etablissements/{id}/occupation"]["get"]["parameters"]
        .as_array()
        .unwrap();
    for name in ["date", "du", "au"] {
        let p = params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!((&p["in"], &p["required"]), (&json!("query"), &json!(false)));
    }
    for schema in [
        "RawRequest",
        "RawAdmission",
        "AdmissionFile",
        "RequestView",
        "SejourView",
        "OccupancyView",
        "EntourageFile",
        "SigningView",
        "ConsentView",
        "AnswerOut",
        "PurposeOut",
        "PartnerIn",
        "PartnerView",
        "HomeBoard",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
}

/// JSON carries the same codes as the database and the query strings.
#[test]
fn domain_statuses_serialize_as_their_codes() {
    use parcours_app::domain::admission::{RequestStatus, SejourStatus};
    use parcours_app::domain::consent::{ConsentAnswer, ConsentDecision};
    use parcours_app::domain::entourage::MeasureKind;
    let json = |v: Value| v.as_str().map(str::to_string).unwrap_or(v.to_string());
    for s in RequestStatus::ALL {
        assert_eq!(json(serde_json::to_value(s).unwrap()), s.code());
    }
    for s in ["prevu", "en_cours", "termine", "annule"] {
        let status = SejourStatus::parse(s).unwrap();
        assert_eq!(json(serde_json::to_value(status).unwrap()), s);
    }
    for d in ConsentDecision::ALL {
        assert_eq!(json(serde_json::to_value(d).unwrap()), d.code());
    }
    for k in MeasureKind::ALL {
        assert_eq!(json(serde_json::to_value(k).unwrap()), k.code());
    }
    for a in [
        ConsentAnswer::Yes(()),
        ConsentAnswer::NotAsked,
        ConsentAnswer::Refused(()),
        ConsentAnswer::Withdrawn(()),
        ConsentAnswer::Expired(()),
        ConsentAnswer::PartnerNotCovered(()),
        ConsentAnswer::SignatoryNoLongerEntitled(()),
    ] {
        let v = serde_json::to_value(&a).unwrap();
        let tag = match &v {
            Value::String(s) => s.clone(),
            Value::Object(o) => o.keys().next().unwrap().clone(),
            other => panic!("{other}"),
        };
        assert_eq!(tag, a.code());
    }
}

both!(
    "api_adm";
    an_admission_runs_over_the_api_from_request_to_consent,
    bad_input_is_refused_in_french_and_nothing_is_written,
    roles_without_rights_are_refused,
    over_capacity_needs_the_confirmation_of_the_direction,
    the_partner_directory_and_links_follow_consents,
    the_openapi_document_lists_the_admission_api,
);
