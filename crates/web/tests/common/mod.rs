//! The test server shared by the HTTP test files: the real router on port 0 over a fixture
//! organisation, a client that does not follow redirects, logins by form and by API, and the
//! `both!` macro that runs each scenario on SQLite and on PostgreSQL.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use parcours_app::testing::{Fixture, PASSWORD};
use parcours_web::{AppState, WebConfig};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub fx: Fixture,
}

impl TestApp {
    pub async fn spawn(fx: Fixture) -> TestApp {
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
        TestApp { base, http, fx }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Logs in through the form and returns the `Cookie` header value.
    pub async fn web_login(&self, login: &str) -> String {
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

    /// An API bearer token for a fixture login.
    pub async fn token(&self, login: &str) -> String {
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

    /// A page with a session cookie: status and body.
    pub async fn page(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let resp = self
            .http
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    /// Posts a form with a session cookie: status, `Location` and body.
    pub async fn post_form(
        &self,
        cookie: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let resp = self
            .http
            .post(self.url(path))
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let location = resp
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location, resp.text().await.unwrap())
    }

    /// One API call under `/api/v1`; the body is `null` when the answer has none.
    pub async fn call(
        &self,
        method: Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, self.url(&format!("/api/v1{path}")));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
        };
        (status, value)
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, Some(token), path, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, Some(token), path, Some(body)).await
    }

    pub async fn put(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, Some(token), path, Some(body)).await
    }

    pub async fn delete(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, Some(token), path, None).await
    }

    /// A GET that must succeed.
    pub async fn read(&self, token: &str, path: &str) -> Value {
        let (status, v) = self.get(token, path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {v}");
        v
    }

    /// A POST that must create: returns the new id.
    pub async fn create(&self, token: &str, path: &str, body: Value) -> String {
        let (status, v) = self.post(token, path, body).await;
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {v}");
        v["id"].as_str().unwrap().to_string()
    }

    /// A change answered 204.
    pub async fn ok(&self, method: Method, token: &str, path: &str, body: Value) {
        let (status, v) = self
            .call(method.clone(), Some(token), path, Some(body))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{method} {path}: {v}");
    }
}

/// The session cookie set by a response, as a `Cookie` header value.
pub fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers
        .get(SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_string()
}

/// The first message on `field` of an API error body.
pub fn message(v: &Value, field: &str) -> String {
    v["errors"][field][0]
        .as_str()
        .unwrap_or_else(|| panic!("no error on {field}: {v}"))
        .to_string()
}

/// `both!("prefix"; a, b)` makes `a::sqlite`, `a::postgres`… calling `a(TestApp)` on each engine;
/// the prefix names the PostgreSQL schemas of the file.
#[macro_export]
macro_rules! both {
    ($prefix:literal; $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (db, _dir) = parcours_store::testing::sqlite().await.unwrap();
                super::$name(super::common::TestApp::spawn(parcours_app::testing::Fixture::new(db).await).await).await;
            }
            #[tokio::test]
            async fn postgres() {
                let db = parcours_store::testing::postgres(concat!($prefix, "_", stringify!($name))).await.unwrap();
                super::$name(super::common::TestApp::spawn(parcours_app::testing::Fixture::new(db).await).await).await;
            }
        }
    )*};
}
