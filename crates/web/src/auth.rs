//! Who is asking: the session cookie (pages) or the bearer token (API) turned into the acting
//! professional (`Ctx`), and the client address recorded in the audit trail.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use parcours_app::{AppError, Ctx};

use crate::AppState;

/// The client's address as seen by this server.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "inconnue".to_string());
        Ok(ClientIp(ip))
    }
}

/// The browser's `User-Agent`, kept with the session so a professional recognises their devices.
#[derive(Debug, Clone)]
pub struct UserAgent(pub String);

impl<S: Send + Sync> FromRequestParts<S> for UserAgent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(UserAgent(
            parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
        ))
    }
}

/// Whether htmx sent the request (then a handler may answer with a fragment only).
#[derive(Debug, Clone, Copy)]
pub struct HxRequest(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for HxRequest {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(HxRequest(
            parts
                .headers
                .get("hx-request")
                .is_some_and(|v| v.as_bytes() == b"true"),
        ))
    }
}

/// The logged-in professional of a page request. Without a valid session the page answers with
/// a redirection to the login page (see `html::HtmlError`).
pub struct CurrentUser(pub Ctx);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = crate::html::HtmlError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state)
            .await
            .unwrap_or(ClientIp(String::new()));
        let token = jar
            .get(state.cookie_name())
            .map(|c| c.value().to_string())
            .ok_or(AppError::Unauthenticated)?;
        Ok(CurrentUser(state.app.ctx_from_token(&token, &ip).await?))
    }
}

/// The professional behind an API request (`Authorization: Bearer TOKEN` from `POST /api/v1/session`).
pub struct ApiUser(pub Ctx);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = crate::api::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state)
            .await
            .unwrap_or(ClientIp(String::new()));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthenticated)?;
        Ok(ApiUser(state.app.ctx_from_token(token, &ip).await?))
    }
}
