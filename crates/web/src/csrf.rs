//! Cross-site request forgery protection by Fetch Metadata and Origin, the algorithm of Go 1.25's
//! `http.CrossOriginProtection`: safe methods pass; when the browser says where the request comes
//! from (`Sec-Fetch-Site`), only `same-origin` and `none` (typed URL, bookmark) pass; otherwise an
//! `Origin` header must name this very host; a request with neither comes from a non-browser client
//! (curl, an integration), which cannot carry the user's cookie by accident, and passes.
//! Together with `SameSite=Lax` cookies this needs no token plumbing through forms and htmx.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn check_origin(req: Request, next: Next) -> Response {
    if is_allowed(&req) {
        next.run(req).await
    } else {
        let api = req.uri().path().starts_with("/api/");
        refuse(api)
    }
}

fn is_allowed(req: &Request) -> bool {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://").map(|(_, rest)| rest.to_string()))
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

fn refuse(api: bool) -> Response {
    let message = "Requête refusée : elle provient d'un autre site que Parcours.";
    if api {
        (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({"errors": {"origin": [message]}})),
        )
            .into_response()
    } else {
        (
            StatusCode::FORBIDDEN,
            axum::response::Html(crate::html::error_page(message)),
        )
            .into_response()
    }
}
