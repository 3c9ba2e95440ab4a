//! The cahier de liaison over JSON: the caller's notebook, a person's messages, write (with
//! follow-up items), a message with its versions, read receipts, correction, removal, and the
//! state of follow-up items.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_app::domain::ids::{LiaisonMessageId, LiaisonSuiviId, UsagerId};
use parcours_app::domain::liaison::{RawMessage, RawSuivi};
use parcours_app::liaison::{MessageDetail, Notebook, NotebookFilter, PersonLiaison};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/liaison", get(notebook).post(write_message))
        .route("/liaison/{id}", get(get_message))
        .route("/liaison/{id}/lu", post(mark_read))
        .route("/liaison/{id}/correction", post(correct_message))
        .route("/liaison/{id}/retrait", post(remove_message))
        .route("/liaison/suivis/{id}", post(set_suivi))
        .route("/usagers/{id}/liaison", get(person_messages))
}

/// A follow-up item (à faire).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuiviIn {
    pub texte: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub echeance: String,
    /// The id of the professional it is assigned to.
    #[serde(default)]
    pub assigne: String,
}

/// A message. It must not carry information covered by the medical secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageIn {
    /// `unite:<id>`, `equipe:<etablissement>:<soignante|educative|administrative|encadrement|etablissement>`
    /// or `usager:<id>`.
    pub destination: String,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub important: bool,
    #[serde(default)]
    pub suivis: Vec<SuiviIn>,
}

/// A correction: the whole new content, the version it starts from and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    pub version: i64,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub important: bool,
    pub reason: String,
}

/// A removal (retrait) and its reason.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalIn {
    pub reason: String,
}

/// The new state of a follow-up item and the state it was seen in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuiviStateIn {
    pub done: bool,
    /// The `state_seq` read with the item (409 if it changed meanwhile).
    pub seq: i64,
}

/// The version written by a correction.
#[derive(Serialize, ToSchema)]
pub struct VersionOut {
    pub version: i64,
}

fn flag(b: bool) -> String {
    if b { "on".into() } else { String::new() }
}

#[derive(Deserialize, IntoParams)]
pub struct NotebookParams {
    /// A destination value, or `usager` for every message about a person.
    #[serde(default)]
    pub destination: String,
    /// `true`: only what the caller has not read.
    #[serde(default)]
    pub non_lus: bool,
    /// `true`: only messages with a follow-up item still to do.
    #[serde(default)]
    pub a_faire: bool,
}

/// The caller's notebook: messages of their units, teams and persons, unread first (audited read).
#[utoipa::path(get, path = "/api/v1/liaison", tag = "liaison", security(("bearer" = [])), params(NotebookParams),
    responses((status = 200, body = Notebook), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn notebook(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<NotebookParams>,
) -> ApiResult<Json<Notebook>> {
    let filter = NotebookFilter {
        destination: Some(q.destination).filter(|s| !s.is_empty()),
        unread_only: q.non_lus,
        open_only: q.a_faire,
    };
    Ok(Json(state.app.notebook(&ctx, &filter).await?))
}

/// Writes a message with its follow-up items.
#[utoipa::path(post, path = "/api/v1/liaison", tag = "liaison", request_body = MessageIn, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn write_message(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<MessageIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let raw = RawMessage {
        destination: b.destination,
        subject: b.subject,
        body: b.body,
        important: flag(b.important),
        reason: String::new(),
        suivis: b
            .suivis
            .into_iter()
            .map(|s| RawSuivi {
                texte: s.texte,
                echeance: s.echeance,
                assigne: s.assigne,
            })
            .collect(),
    };
    let id = state.app.write_liaison(&ctx, &raw).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// A message with its versions, readers and follow-up items (audited read).
#[utoipa::path(get, path = "/api/v1/liaison/{id}", tag = "liaison", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du message")),
    responses((status = 200, body = MessageDetail), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_message(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<LiaisonMessageId>,
) -> ApiResult<Json<MessageDetail>> {
    Ok(Json(state.app.liaison_message(&ctx, id).await?))
}

/// Marks a message as read by the caller (a second time changes nothing).
#[utoipa::path(post, path = "/api/v1/liaison/{id}/lu", tag = "liaison", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du message")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<LiaisonMessageId>,
) -> ApiResult<StatusCode> {
    state.app.mark_liaison_read(&ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Corrects a message (its author): a new version; the earlier ones stay readable.
#[utoipa::path(post, path = "/api/v1/liaison/{id}/correction", tag = "liaison", request_body = CorrectionIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du message")),
    responses((status = 201, body = VersionOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn correct_message(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<LiaisonMessageId>,
    ApiJson(b): ApiJson<CorrectionIn>,
) -> ApiResult<(StatusCode, Json<VersionOut>)> {
    let raw = RawMessage {
        subject: b.subject,
        body: b.body,
        important: flag(b.important),
        reason: b.reason,
        ..RawMessage::default()
    };
    let version = state.app.correct_liaison(&ctx, id, b.version, &raw).await?;
    Ok((StatusCode::CREATED, Json(VersionOut { version })))
}

/// Removes a message (its author or the encadrement) with a reason; it stays readable by its id.
#[utoipa::path(post, path = "/api/v1/liaison/{id}/retrait", tag = "liaison", request_body = RemovalIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du message")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_message(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<LiaisonMessageId>,
    ApiJson(b): ApiJson<RemovalIn>,
) -> ApiResult<StatusCode> {
    state.app.remove_liaison(&ctx, id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks a follow-up item done, or to do again (a new dated event either way).
#[utoipa::path(post, path = "/api/v1/liaison/suivis/{id}", tag = "liaison", request_body = SuiviStateIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de la chose à faire")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_suivi(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<LiaisonSuiviId>,
    ApiJson(b): ApiJson<SuiviStateIn>,
) -> ApiResult<StatusCode> {
    state.app.set_liaison_suivi(&ctx, id, b.done, b.seq).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The messages about a person (gated by the person's care record; audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/liaison", tag = "liaison", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = PersonLiaison), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn person_messages(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<PersonLiaison>> {
    Ok(Json(state.app.person_liaison(&ctx, id).await?))
}
