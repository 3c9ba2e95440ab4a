//! Login, logout, and the professional's own sessions.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use parcours_app::auth::{LoginAttemptError, SessionKind, SessionView};
use serde::Deserialize;

use super::{Form, HtmlResult, Layout, datetime_fr, render, render_status};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser, UserAgent};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(login_page).post(login))
        .route("/deconnexion", post(logout))
        .route("/sessions", get(sessions))
        .route("/sessions/deconnexion-partout", post(logout_everywhere))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    login: String,
    error: Option<String>,
}

async fn login_page() -> Response {
    render(&LoginPage {
        layout: Layout::anonymous(),
        login: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
}

/// A browser-session cookie (no Max-Age: it dies with the browser, which suits shared tablets);
/// the server enforces the idle and absolute lifetimes itself.
fn session_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((state.cookie_name(), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .build()
}

async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    UserAgent(ua): UserAgent,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    match state
        .app
        .login(&form.login, &form.password, &ip, &ua, SessionKind::Web)
        .await
    {
        Ok(session) => {
            let cookie = session_cookie(&state, session.token);
            (jar.add(cookie), Redirect::to("/")).into_response()
        }
        Err(LoginAttemptError::Refused(e)) => render_status(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                layout: Layout::anonymous(),
                login: form.login,
                error: Some(e.to_string()),
            },
        ),
        Err(LoginAttemptError::App(e)) => super::HtmlError(e).into_response(),
    }
}

async fn logout(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    jar: CookieJar,
) -> HtmlResult {
    state.app.logout(&ctx).await?;
    let removal = session_cookie(&state, String::new());
    Ok((jar.remove(removal), Redirect::to("/connexion")).into_response())
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    layout: Layout,
    sessions: Vec<SessionView>,
}

impl SessionsPage {
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn sessions(State(state): State<AppState>, CurrentUser(ctx): CurrentUser) -> HtmlResult {
    let sessions = state.app.my_sessions(&ctx).await?;
    Ok(render(&SessionsPage {
        layout: Layout::for_ctx(&ctx),
        sessions,
    }))
}

async fn logout_everywhere(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    jar: CookieJar,
) -> HtmlResult {
    state.app.logout_everywhere(&ctx).await?;
    let removal = session_cookie(&state, String::new());
    Ok((jar.remove(removal), Redirect::to("/connexion")).into_response())
}
