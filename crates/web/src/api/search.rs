//! Full-text search over the transmissions and notes the caller may read.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use parcours_app::search::{SearchInput, SearchPage};

use super::{ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/recherche", get(search))
}

/// Transmissions and notes matching every word (accents, case and plurals ignored), newest first,
/// with highlighted extracts; only what the caller may read is searched, and no total is given.
/// `next` is the `apres` cursor of the following page. Audited read.
#[utoipa::path(get, path = "/api/v1/recherche", tag = "recherche", security(("bearer" = [])),
    params(SearchInput),
    responses((status = 200, body = SearchPage), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<SearchInput>,
) -> ApiResult<Json<SearchPage>> {
    Ok(Json(state.app.search_notes(&ctx, &q).await?))
}
