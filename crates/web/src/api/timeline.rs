//! The person's timeline over JSON: one page newest first, filtered by kind, period and author.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use axum_extra::extract::Query;
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::timeline::RawFilter;
use parcours_app::timeline::TimelinePage;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/usagers/{id}/chronologie", get(timeline))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Kinds to show, repeated (`transmission`, `mesure`, `soin`, `evaluation`, `projet`,
    /// `sejour`); none: all those the reader may read.
    #[serde(default, rename = "type")]
    pub kinds: Vec<String>,
    /// From this day (`AAAA-MM-JJ`), included.
    #[serde(default)]
    pub du: String,
    /// To this day, included.
    #[serde(default)]
    pub au: String,
    /// Only what this professional wrote (their id).
    #[serde(default)]
    pub auteur: String,
    /// The `next` cursor of the previous page.
    #[serde(default)]
    pub apres: String,
}

/// A page of the person's timeline, newest first: only the sources the reader may read on their
/// own pages, medical transmissions only for a reader of the medical file (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/chronologie", tag = "chronologie", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"), TimelineParams),
    responses((status = 200, body = TimelinePage), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn timeline(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    Query(p): Query<TimelineParams>,
) -> ApiResult<Json<TimelinePage>> {
    let filter = RawFilter {
        kinds: p.kinds,
        du: p.du,
        au: p.au,
        auteur: p.auteur,
    };
    let after = Some(p.apres.as_str()).filter(|s| !s.trim().is_empty());
    Ok(Json(state.app.timeline(&ctx, id, &filter, after).await?))
}
