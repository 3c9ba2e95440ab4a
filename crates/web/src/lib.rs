//! The web face of Parcours: server-rendered French HTML (askama + htmx, works without JavaScript)
//! under `/`, and the JSON API under `/api/v1` with its OpenAPI document.
//!
//! Handlers are thin: extractors → one `parcours_app` call → template or JSON. The acting
//! professional comes from the [`auth::CurrentUser`] / [`auth::ApiUser`] extractors; handlers never
//! read cookies or headers themselves.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use parcours_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub mod api;
mod assets;
pub mod auth;
pub mod csrf;
mod documents;
pub mod html;

/// Largest request body accepted (forms and JSON): a person's identity is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Web settings.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// `Secure` + `__Host-` session cookie. Off only for plain-HTTP use on the loopback interface
    /// (a browser would drop a Secure cookie there); production runs behind TLS with it on.
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: WebConfig,
}

impl AppState {
    pub fn cookie_name(&self) -> &'static str {
        if self.config.secure_cookies {
            "__Host-parcours_session"
        } else {
            "parcours_session"
        }
    }
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The whole application: pages, API, static assets, health check, and the security layers
/// (CSRF check on every unsafe method, body size limit, timeouts, security headers).
pub fn router(state: AppState) -> Router {
    let secure = state.config.secure_cookies;
    let mut router = Router::new()
        .merge(html::router())
        .nest("/api/v1", api::router())
        .merge(assets::router())
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
        .layer(axum::middleware::from_fn(csrf::check_origin))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Defence in depth: a bug that panics answers a plain 500 page and is logged; the worker and
        // the other requests carry on (a panic inside a transaction rolls it back when it is dropped).
        .layer(CatchPanicLayer::custom(panic_response));
    if secure {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    router
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::error!("a request handler panicked");
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        axum::response::Html(html::error_page(
            "Une erreur interne est survenue. Réessayez.",
        )),
    )
        .into_response()
}

/// Serves the application on an already bound listener until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
