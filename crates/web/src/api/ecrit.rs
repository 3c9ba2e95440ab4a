//! Écrits professionnels over JSON: write, list (keyset pages, filters), a note with its versions,
//! correction, withdrawal. Notes outside the caller's visibility scope are never listed, and
//! asking for one by id answers 404.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_app::domain::ecrit::RawEcrit;
use parcours_app::domain::ids::{EcritId, UsagerId};
use parcours_app::ecrit::{EcritHistory, EcritList, RawFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/ecrits", get(list_ecrits).post(write_ecrit))
        .route("/usagers/{id}/ecrits/{eid}", get(get_ecrit))
        .route("/usagers/{id}/ecrits/{eid}/correction", post(correct_ecrit))
        .route("/usagers/{id}/ecrits/{eid}/retrait", post(withdraw_ecrit))
}

/// A professional note.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EcritIn {
    /// A code of `data/types-ecrit.csv` (`note_observation`, `bilan_psychologique`…).
    pub kind: String,
    pub title: String,
    /// The note itself (medical content belongs in the medical file).
    pub text: String,
    /// `YYYY-MM-DD`, today or earlier (Europe/Paris).
    pub event_date: String,
    /// `equipe`, `encadrement` (the author's profession, direction, chefs de service) or
    /// `profession` (the author's profession only).
    pub scope: String,
}

/// A correction: the whole new content, the version it starts from and why. The scope may be
/// kept or narrowed, never widened.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    pub version: i64,
    pub kind: String,
    pub title: String,
    pub text: String,
    pub event_date: String,
    pub scope: String,
    pub reason: String,
}

/// A withdrawal: the version it was decided on and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalIn {
    pub version: i64,
    pub reason: String,
}

/// The version written by a correction.
#[derive(Serialize, ToSchema)]
pub struct VersionOut {
    pub version: i64,
}

/// Writes a note about a person.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/ecrits", tag = "ecrits", request_body = EcritIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn write_ecrit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<EcritIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let raw = RawEcrit {
        kind: b.kind,
        title: b.title,
        text: b.text,
        event_date: b.event_date,
        scope: b.scope,
        reason: String::new(),
    };
    let eid = state.app.write_ecrit(&ctx, id, &raw).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: eid.to_string(),
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// Only notes of this type.
    #[serde(default, rename = "type")]
    #[param(rename = "type")]
    pub kind: String,
    /// Only notes whose author had this profession.
    #[serde(default)]
    pub profession: String,
    /// The `next` cursor of the previous page.
    #[serde(default)]
    pub apres: String,
}

/// A page of a person's notes the caller may read, newest first (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/ecrits", tag = "ecrits", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"), ListParams),
    responses((status = 200, body = EcritList), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_ecrits(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<EcritList>> {
    let filter = RawFilter {
        kind: q.kind,
        profession: q.profession,
    };
    let after = Some(q.apres.as_str()).filter(|s| !s.is_empty());
    Ok(Json(state.app.ecrits(&ctx, id, &filter, after).await?))
}

/// A note and every version of it (audited read; 404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/ecrits/{eid}", tag = "ecrits", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("eid" = String, Path, description = "Identifiant de l'écrit")),
    responses((status = 200, body = EcritHistory), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_ecrit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, eid)): Path<(UsagerId, EcritId)>,
) -> ApiResult<Json<EcritHistory>> {
    Ok(Json(state.app.ecrit_history(&ctx, id, eid).await?))
}

/// Corrects a note (its author only): a new version; the earlier ones stay readable (409 if it
/// was corrected or withdrawn meanwhile).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/ecrits/{eid}/correction", tag = "ecrits", request_body = CorrectionIn,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("eid" = String, Path, description = "Identifiant de l'écrit")),
    responses((status = 201, body = VersionOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn correct_ecrit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, eid)): Path<(UsagerId, EcritId)>,
    ApiJson(b): ApiJson<CorrectionIn>,
) -> ApiResult<(StatusCode, Json<VersionOut>)> {
    let raw = RawEcrit {
        kind: b.kind,
        title: b.title,
        text: b.text,
        event_date: b.event_date,
        scope: b.scope,
        reason: b.reason,
    };
    let version = state
        .app
        .correct_ecrit(&ctx, id, eid, b.version, &raw)
        .await?;
    Ok((StatusCode::CREATED, Json(VersionOut { version })))
}

/// Withdraws a note (its author, the direction or a chef de service): it stays readable, marked
/// withdrawn.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/ecrits/{eid}/retrait", tag = "ecrits", request_body = WithdrawalIn,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("eid" = String, Path, description = "Identifiant de l'écrit")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn withdraw_ecrit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, eid)): Path<(UsagerId, EcritId)>,
    ApiJson(b): ApiJson<WithdrawalIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .withdraw_ecrit(&ctx, id, eid, b.version, &b.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
