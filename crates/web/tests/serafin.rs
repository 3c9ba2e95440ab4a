//! The SERAFIN-PH nomenclatures over real HTTP: the tree page, search as you type, concept pages, the
//! JSON API. The nomenclature is embedded reference data, not stored, so SQLite alone is enough.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use parcours_app::testing::{Fixture, PASSWORD};
use parcours_web::{AppState, WebConfig};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

struct TestApp {
    base: String,
    http: reqwest::Client,
    /// Keeps the SQLite file as long as the server runs.
    _dir: parcours_store::testing::TempDir,
}

impl TestApp {
    async fn spawn() -> TestApp {
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
        TestApp {
            base,
            http,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Logs in through the form and returns the `Cookie` header value.
    async fn web_login(&self, login: &str) -> String {
        let resp = self
            .http
            .post(self.url("/connexion"))
            .form(&[("login", login), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        cookie_of(resp.headers())
    }

    async fn api_token(&self, login: &str) -> String {
        let resp = self
            .http
            .post(self.url("/api/v1/session"))
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

    /// A page (or an htmx fragment) with its query parameters.
    async fn page(
        &self,
        cookie: &str,
        path: &str,
        query: &[(&str, &str)],
        htmx: bool,
    ) -> (StatusCode, String) {
        let mut req = self
            .http
            .get(self.url(path))
            .query(query)
            .header("cookie", cookie);
        if htmx {
            req = req.header("hx-request", "true");
        }
        let resp = req.send().await.unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    async fn api(&self, token: &str, path: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        let resp = self
            .http
            .get(self.url(&format!("/api/v1{path}")))
            .query(query)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (resp.status(), resp.json().await.unwrap())
    }
}

fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers
        .get(SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_string()
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn any_logged_in_professional_browses_the_tree_from_the_menu() {
    let t = TestApp::spawn().await;
    for login in ["educ.internat", "admin", "medecin"] {
        let cookie = t.web_login(login).await;
        let (status, page) = t.page(&cookie, "/nomenclatures/serafin", &[], false).await;
        assert_eq!(status, StatusCode::OK, "{login}");
        assert!(
            page.contains(r#"<a href="/nomenclatures/serafin">Nomenclatures</a>"#),
            "menu link for {login}"
        );
        assert!(page.contains("<h1>Nomenclatures SERAFIN-PH</h1>"));
        assert!(page.contains("édition 2023.1.0"));
        // The three families, each level-2 domain collapsible, down to the leaves.
        assert!(page.contains("1 — Besoins</a>"));
        assert!(page.contains("2 — Prestations directes - Soins et d"));
        assert!(page.contains("3 — Prestations indirectes - Pilotage et fonctions supports"));
        assert_eq!(page.matches("<details").count(), 3 + 4 + 2);
        assert!(page.contains(
            "<summary>1.1 — Besoins en matière de santé somatique ou psychique</summary>"
        ));
        assert!(page.contains(
            r#"<a href="/nomenclatures/serafin/1.2.1.3">1.2.1.3 Besoins pour la mobilité</a>"#
        ));
        assert!(page.contains(r#"href="/nomenclatures/serafin/3.2.5""#));
        assert!(
            !page.contains("<h2>Résultats"),
            "no results before a search"
        );
    }
    // One family only.
    let cookie = t.web_login("secretariat").await;
    let (_, page) = t
        .page(
            &cookie,
            "/nomenclatures/serafin",
            &[("famille", "prestations_indirectes")],
            false,
        )
        .await;
    assert!(page.contains("<summary>3.2 — Fonctions logistiques</summary>"));
    assert!(!page.contains("<summary>1.1 —"));
    assert!(page.contains(r#"<option value="prestations_indirectes" selected>"#));
}

#[tokio::test]
async fn search_finds_words_without_accents_and_answers_htmx_with_a_fragment() {
    let t = TestApp::spawn().await;
    let cookie = t.web_login("educ.internat").await;

    // The full page, with results above the tree.
    let (status, page) = t
        .page(
            &cookie,
            "/nomenclatures/serafin",
            &[("q", "autonomie")],
            false,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html") && page.contains("<h2>Résultats"));
    for code in ["1.2", "1.2.1", "2.2", "2.3.4.3", "2.3.5.2", "3.2.4.3"] {
        assert!(
            page.contains(&format!(
                r#"<li><a href="/nomenclatures/serafin/{code}">{code} "#
            )),
            "{code} among the results"
        );
    }

    // As you type: the fragment only, accent-free words, each with its breadcrumb.
    let (status, frag) = t
        .page(&cookie, "/nomenclatures/serafin", &[("q", "sante")], true)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!frag.contains("<html") && !frag.contains("<details"));
    assert!(frag.contains(
        r#"<a href="/nomenclatures/serafin/1.1">1.1 Besoins en matière de santé somatique ou psychique</a>"#
    ));
    assert!(frag.contains("1.1.10 Besoins pour entretenir et prendre soin de sa santé"));
    assert!(
        frag.contains("1 Besoins › 1.1 Besoins en matière de santé somatique ou psychique"),
        "breadcrumb of 1.1.10"
    );
    let (_, accented) = t
        .page(&cookie, "/nomenclatures/serafin", &[("q", "SANTÉ")], true)
        .await;
    assert_eq!(accented, frag);

    // Within one family; a code prefix; nothing found.
    let (_, frag) = t
        .page(
            &cookie,
            "/nomenclatures/serafin",
            &[("q", "autonomie"), ("famille", "besoins")],
            true,
        )
        .await;
    assert!(frag.contains(r#"href="/nomenclatures/serafin/1.2""#));
    assert!(!frag.contains(r#"href="/nomenclatures/serafin/2.2""#));
    let (_, frag) = t
        .page(&cookie, "/nomenclatures/serafin", &[("q", "2.3")], true)
        .await;
    assert!(frag.contains("(22)"));
    assert!(frag.contains(r#"href="/nomenclatures/serafin/2.3.5.3""#));
    assert!(!frag.contains(r#"href="/nomenclatures/serafin/2.4""#));
    let (_, frag) = t
        .page(&cookie, "/nomenclatures/serafin", &[("q", "zzzz")], true)
        .await;
    assert!(frag.contains("Aucun besoin ni aucune prestation ne correspond à « zzzz »."));
}

#[tokio::test]
async fn a_concept_page_shows_its_breadcrumb_and_children() {
    let t = TestApp::spawn().await;
    let cookie = t.web_login("direction").await;
    let (status, page) = t
        .page(&cookie, "/nomenclatures/serafin/2.3.1", &[], false)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>2.3.1 Accompagnements pour exercer ses droits</h1>"));
    let crumbs = page
        .split(r#"<nav aria-label="Fil d'Ariane">"#)
        .nth(1)
        .expect("a breadcrumb")
        .split("</nav>")
        .next()
        .unwrap();
    let root = crumbs
        .find(r#"href="/nomenclatures/serafin/2""#)
        .expect("root");
    let domain = crumbs
        .find(r#"href="/nomenclatures/serafin/2.3""#)
        .expect("domain");
    assert!(root < domain);
    assert!(crumbs.contains(r#"<span aria-current="page">2.3.1</span>"#));
    assert!(page.contains("Prestations directes"));
    assert!(page.contains(
        r#"<a href="/nomenclatures/serafin/2.3.1.1">2.3.1.1 Accompagnements à l&#39;expression du projet personnalisé</a>"#
    ));
    assert!(page.contains(r#"href="/nomenclatures/serafin/2.3.1.2""#));

    let (_, leaf) = t
        .page(&cookie, "/nomenclatures/serafin/1.2.1.3", &[], false)
        .await;
    assert!(leaf.contains("Aucune sous-catégorie"));
    assert!(leaf.contains("4 (niveau le plus fin)"));

    let (status, missing) = t
        .page(&cookie, "/nomenclatures/serafin/9.9", &[], false)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("Page introuvable"));
}

#[tokio::test]
async fn the_api_lists_filters_and_reads_concepts() {
    let t = TestApp::spawn().await;
    let token = t.api_token("as.glycines").await;

    let (status, all) = t.api(&token, "/serafin", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["version"], "2023.1.0");
    assert_eq!(all["concepts"].as_array().unwrap().len(), 107);
    assert_eq!(
        all["concepts"][0],
        json!({"code": "1", "label": "Besoins", "parent": null, "level": 1, "family": "besoins", "leaf": false})
    );

    let (_, needs) = t.api(&token, "/serafin", &[("famille", "besoins")]).await;
    assert_eq!(needs["concepts"].as_array().unwrap().len(), 35);
    let (_, direct) = t
        .api(&token, "/serafin", &[("famille", "prestations_directes")])
        .await;
    assert_eq!(direct["concepts"].as_array().unwrap().len(), 37);
    let (_, indirect) = t
        .api(
            &token,
            "/serafin",
            &[
                ("famille", "prestations_indirectes"),
                ("q", "transports"),
                ("version", "2023.1.0"),
            ],
        )
        .await;
    assert_eq!(
        codes(&indirect["concepts"]),
        ["3.1.6", "3.2.4", "3.2.4.1", "3.2.4.2", "3.2.4.3", "3.2.5"]
    );
    let (_, sante) = t.api(&token, "/serafin", &[("q", "sante")]).await;
    assert!(codes(&sante["concepts"]).contains(&"1.1".to_string()));
    let (_, prefix) = t.api(&token, "/serafin", &[("q", "1.3.3")]).await;
    assert_eq!(codes(&prefix["concepts"]).len(), 6);

    let (status, one) = t.api(&token, "/serafin/2.3.1", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["version"], "2023.1.0");
    assert_eq!(one["label"], "Accompagnements pour exercer ses droits");
    assert_eq!(one["parent"], "2.3");
    assert_eq!(one["level"], 3);
    assert_eq!(one["family"], "prestations_directes");
    assert_eq!(one["leaf"], false);
    assert_eq!(codes(&one["ancestors"]), ["2", "2.3"]);
    assert_eq!(codes(&one["children"]), ["2.3.1.1", "2.3.1.2"]);
    assert_eq!(one["children"][0]["leaf"], true);
}

#[tokio::test]
async fn the_api_answers_404_for_an_unknown_code_and_422_for_unknown_parameters() {
    let t = TestApp::spawn().await;
    let token = t.api_token("medecin").await;

    let (status, body) = t.api(&token, "/serafin/9.9", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["errors"]["resource"][0].is_string());

    let (status, body) = t.api(&token, "/serafin", &[("famille", "soins")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["famille"][0]
            .as_str()
            .unwrap()
            .starts_with("Famille inconnue")
    );

    let (status, body) = t
        .api(
            &token,
            "/serafin",
            &[("version", "2016.1.0"), ("famille", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"]["version"][0]
            .as_str()
            .unwrap()
            .contains("Éditions disponibles : 2023.1.0.")
    );
    assert!(
        body["errors"]["famille"].is_array(),
        "both reported at once"
    );

    let (status, body) = t
        .api(&token, "/serafin/1.1", &[("version", "2016.1.0")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["version"].is_array());

    let doc: Value = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/serafin"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/serafin/{code}"]["get"].is_object());
    assert!(doc["components"]["schemas"]["ConceptDetailOut"].is_object());
}

#[tokio::test]
async fn anonymous_callers_are_sent_to_the_login_page_or_refused() {
    let t = TestApp::spawn().await;
    for path in [
        "/nomenclatures/serafin?q=sante",
        "/nomenclatures/serafin/1.1",
    ] {
        let resp = t.http.get(t.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(resp.headers()[LOCATION], "/connexion");
    }
    for path in ["/api/v1/serafin", "/api/v1/serafin/1.1"] {
        let resp = t.http.get(t.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert!(body["errors"]["session"].is_array());
        let resp = t
            .http
            .get(t.url(path))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}
