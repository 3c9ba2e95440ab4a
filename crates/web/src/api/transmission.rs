//! Transmissions ciblées (DAR) and the relève over JSON: write, list (keyset pages), versions,
//! correction, a unit's relève, read receipts.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use parcours_app::domain::ids::{TransmissionId, UniteId, UsagerId};
use parcours_app::domain::transmission::RawTransmission;
use parcours_app::transmission::{Releve, TransmissionHistory, TransmissionList};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/transmissions",
            get(list_transmissions).post(write_transmission),
        )
        .route("/transmissions/{id}", get(get_transmission))
        .route("/transmissions/{id}/correction", post(correct_transmission))
        .route("/transmissions/{id}/lu", post(mark_read))
        .route("/releve", get(releve))
        .route("/releve/tout-lu", post(mark_all_read))
}

/// A DAR transmission.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransmissionIn {
    /// A code of `data/cibles-transmission.csv` (`douleur`, `sommeil`, `chute`…).
    pub cible: String,
    /// `soins`, `educatif`, `social` or `medical` (medical secret: `WriteMedical` needed).
    pub category: String,
    /// Données (required).
    pub donnees: String,
    #[serde(default)]
    pub actions: String,
    #[serde(default)]
    pub resultats: String,
    #[serde(default)]
    pub important: bool,
}

/// A correction: the whole new content, the version it starts from and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    pub version: i64,
    pub cible: String,
    pub donnees: String,
    #[serde(default)]
    pub actions: String,
    #[serde(default)]
    pub resultats: String,
    #[serde(default)]
    pub important: bool,
    pub reason: String,
}

/// The version written by a correction.
#[derive(Serialize, ToSchema)]
pub struct VersionOut {
    pub version: i64,
}

fn flag(b: bool) -> String {
    if b { "on".into() } else { String::new() }
}

/// Writes a transmission about a person.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/transmissions", tag = "transmissions", request_body = TransmissionIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn write_transmission(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<TransmissionIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let raw = RawTransmission {
        cible: b.cible,
        category: b.category,
        donnees: b.donnees,
        actions: b.actions,
        resultats: b.resultats,
        important: flag(b.important),
        reason: String::new(),
    };
    let tid = state.app.write_transmission(&ctx, id, &raw).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: tid.to_string(),
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    /// The `next` cursor of the previous page.
    #[serde(default)]
    pub apres: String,
}

/// A page of a person's transmissions, newest first; the medical ones only for a reader of the
/// medical file (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/transmissions", tag = "transmissions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"), PageParams),
    responses((status = 200, body = TransmissionList), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_transmissions(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<PageParams>,
) -> ApiResult<Json<TransmissionList>> {
    let after = Some(q.apres.as_str()).filter(|s| !s.is_empty());
    Ok(Json(state.app.transmissions(&ctx, id, after).await?))
}

/// A transmission and every version of it (audited read).
#[utoipa::path(get, path = "/api/v1/transmissions/{id}", tag = "transmissions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la transmission")),
    responses((status = 200, body = TransmissionHistory), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_transmission(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<TransmissionId>,
) -> ApiResult<Json<TransmissionHistory>> {
    Ok(Json(state.app.transmission_history(&ctx, id).await?))
}

/// Corrects a transmission: a new version; the earlier ones stay readable (409 if someone
/// corrected it meanwhile).
#[utoipa::path(post, path = "/api/v1/transmissions/{id}/correction", tag = "transmissions", request_body = CorrectionIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de la transmission")),
    responses((status = 201, body = VersionOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn correct_transmission(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<TransmissionId>,
    ApiJson(b): ApiJson<CorrectionIn>,
) -> ApiResult<(StatusCode, Json<VersionOut>)> {
    let raw = RawTransmission {
        cible: b.cible,
        category: String::new(),
        donnees: b.donnees,
        actions: b.actions,
        resultats: b.resultats,
        important: flag(b.important),
        reason: b.reason,
    };
    let version = state
        .app
        .correct_transmission(&ctx, id, b.version, &raw)
        .await?;
    Ok((StatusCode::CREATED, Json(VersionOut { version })))
}

/// Marks a transmission as read by the caller (a second time changes nothing).
#[utoipa::path(post, path = "/api/v1/transmissions/{id}/lu", tag = "transmissions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la transmission")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<TransmissionId>,
) -> ApiResult<StatusCode> {
    state.app.mark_transmission_read(&ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct ReleveParams {
    /// The unit (default: the first the caller covers).
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub unite: Option<UniteId>,
    /// An RFC 3339 instant (default: the start of the caller's current visit of the relève).
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub depuis: Option<Timestamp>,
}

/// A unit's relève: what was written or corrected since the caller's previous visit (or
/// `depuis`), important first, with who has read what (audited read; records the visit).
#[utoipa::path(get, path = "/api/v1/releve", tag = "transmissions", security(("bearer" = [])),
    params(ReleveParams),
    responses((status = 200, body = Releve), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn releve(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<ReleveParams>,
) -> ApiResult<Json<Releve>> {
    Ok(Json(state.app.releve(&ctx, q.unite, q.depuis).await?))
}

/// Marks everything of a unit's relève since `depuis` as read by the caller.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkAllIn {
    #[schema(value_type = String)]
    pub unite: UniteId,
    /// RFC 3339 instant: the `since` of the relève shown.
    #[schema(value_type = String)]
    pub depuis: Timestamp,
}

/// How many transmissions were newly marked as read.
#[derive(Serialize, ToSchema)]
pub struct MarkedOut {
    pub marquees: usize,
}

/// "Tout marquer lu": every transmission of the relève the caller may read.
#[utoipa::path(post, path = "/api/v1/releve/tout-lu", tag = "transmissions", request_body = MarkAllIn,
    security(("bearer" = [])),
    responses((status = 200, body = MarkedOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn mark_all_read(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<MarkAllIn>,
) -> ApiResult<Json<MarkedOut>> {
    let marquees = state.app.mark_releve_read(&ctx, b.unite, b.depuis).await?;
    Ok(Json(MarkedOut { marquees }))
}
