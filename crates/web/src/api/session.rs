//! `POST /api/v1/session` (login → bearer token) and `DELETE /api/v1/session` (logout).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use parcours_app::auth::{LoginAttemptError, LoginError, SessionKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiResult, error_response};
use crate::AppState;
use crate::auth::{ApiUser, ClientIp, UserAgent};

pub fn router() -> Router<AppState> {
    Router::new().route("/session", post(create_session).delete(delete_session))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionRequest {
    pub login: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    /// Send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// RFC 3339 instant after which the token is refused (also refused after 30 minutes unused).
    pub expires_at: String,
}

/// Opens an API session.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SessionRequest,
    responses((status = 201, body = SessionResponse), (status = 401, body = super::ErrorBody),
              (status = 403, body = super::ErrorBody), (status = 429, body = super::ErrorBody)))]
pub async fn create_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    UserAgent(ua): UserAgent,
    ApiJson(req): ApiJson<SessionRequest>,
) -> Response {
    match state
        .app
        .login(&req.login, &req.password, &ip, &ua, SessionKind::Api)
        .await
    {
        Ok(s) => (
            StatusCode::CREATED,
            Json(SessionResponse {
                token: s.token,
                expires_at: s.expires_at.to_string(),
            }),
        )
            .into_response(),
        Err(LoginAttemptError::Refused(e)) => {
            let status = match e {
                LoginError::BadCredentials => StatusCode::UNAUTHORIZED,
                LoginError::Disabled => StatusCode::FORBIDDEN,
                LoginError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            };
            error_response(status, "session", &e.to_string())
        }
        Err(LoginAttemptError::App(e)) => super::ApiError(e).into_response(),
    }
}

/// Closes the API session of the bearer token.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = super::ErrorBody)))]
pub async fn delete_session(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<StatusCode> {
    state.app.logout(&ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
