//! The person's circle over JSON: entourage, legal protection measures, partner links, who may
//! sign; and consents, with the one question every feature asks (`App::may`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use parcours_app::consent::{ConsentView, PurposeState, RawConsent};
use parcours_app::domain::consent::ConsentAnswer;
use parcours_app::domain::ids::{MesureId, PartenaireId, ProcheId, UsagerId};
use parcours_app::entourage::{EntourageFile, RawLien, RawMesure, RawProche};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/entourage", get(entourage_file))
        .route("/usagers/{id}/proches", post(create_proche))
        .route("/usagers/{id}/proches/{proche_id}", put(update_proche))
        .route("/usagers/{id}/mesures-protection", post(create_mesure))
        .route(
            "/usagers/{id}/mesures-protection/{mesure_id}",
            put(update_mesure),
        )
        .route("/usagers/{id}/liens-partenaires", post(create_lien))
        .route(
            "/usagers/{id}/liens-partenaires/{lien_id}",
            put(update_lien),
        )
        .route(
            "/usagers/{id}/consentements",
            get(consents).post(record_consent),
        )
        .route("/usagers/{id}/consentements/{purpose}", get(may))
}

/// The entourage, the protection measures, the partners linked to the person, and who may sign for
/// them today (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/entourage", tag = "entourage", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = EntourageFile), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn entourage_file(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<EntourageFile>> {
    Ok(Json(state.app.entourage_file(&ctx, id).await?))
}

/// Adds a member of the entourage (family, aidant, personne de confiance, personne à prévenir,
/// holder of parental authority, mandataire).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/proches", tag = "entourage", request_body = RawProche,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_proche(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawProche>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let pid = state.app.save_proche(&ctx, id, None, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: pid.to_string(),
        }),
    ))
}

/// Corrects a member of the entourage, or marks them no longer part of it (`active: false`).
/// `version` required.
#[utoipa::path(put, path = "/api/v1/usagers/{id}/proches/{proche_id}", tag = "entourage", request_body = RawProche,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("proche_id" = String, Path, description = "Identifiant du proche")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_proche(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, proche)): Path<(UsagerId, ProcheId)>,
    ApiJson(b): ApiJson<RawProche>,
) -> ApiResult<StatusCode> {
    state.app.save_proche(&ctx, id, Some(proche), &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a legal protection measure; its representative is a member of the entourage.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/mesures-protection", tag = "entourage", request_body = RawMesure,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_mesure(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawMesure>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let mid = state.app.save_mesure(&ctx, id, None, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: mid.to_string(),
        }),
    ))
}

/// Corrects a protection measure (its end, its representative…). `version` required.
#[utoipa::path(put, path = "/api/v1/usagers/{id}/mesures-protection/{mesure_id}", tag = "entourage",
    request_body = RawMesure, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("mesure_id" = String, Path, description = "Identifiant de la mesure")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_mesure(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, mesure)): Path<(UsagerId, MesureId)>,
    ApiJson(b): ApiJson<RawMesure>,
) -> ApiResult<StatusCode> {
    state.app.save_mesure(&ctx, id, Some(mesure), &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Links a partner of the directory to the person, with its role (médecin traitant, scolarité…).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/liens-partenaires", tag = "entourage", request_body = RawLien,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_lien(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawLien>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let lid = state.app.save_lien(&ctx, id, None, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: lid.to_string(),
        }),
    ))
}

/// Corrects a partner link (role, dates, notes). `version` required.
#[utoipa::path(put, path = "/api/v1/usagers/{id}/liens-partenaires/{lien_id}", tag = "entourage",
    request_body = RawLien, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("lien_id" = String, Path, description = "Identifiant du lien")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_lien(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, lien)): Path<(UsagerId, Uuid)>,
    ApiJson(b): ApiJson<RawLien>,
) -> ApiResult<StatusCode> {
    state.app.save_lien(&ctx, id, Some(lien), &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The answer to "may this be done for this person now?", and the consent it rests on.
#[derive(Serialize, ToSchema)]
pub struct AnswerOut {
    /// True only for `yes`.
    pub allowed: bool,
    /// `yes`, `not_asked`, `refused`, `withdrawn`, `expired`, `partner_not_covered` or
    /// `signatory_no_longer_entitled`.
    pub answer: String,
    /// The answer in French.
    pub label: String,
    /// The decision the answer rests on (absent when never asked).
    pub consent: Option<ConsentView>,
}

impl From<ConsentAnswer<ConsentView>> for AnswerOut {
    fn from(a: ConsentAnswer<ConsentView>) -> Self {
        AnswerOut {
            allowed: a.allowed(),
            answer: a.code().to_string(),
            label: a.label_fr().to_string(),
            consent: a.basis().cloned(),
        }
    }
}

/// One purpose of consent for the person: today's answer and every decision.
#[derive(Serialize, ToSchema)]
pub struct PurposeOut {
    /// Code of the purpose (`dmp`, `partage_partenaires`, `droit_image`…).
    pub purpose: String,
    pub label: String,
    pub state: AnswerOut,
    /// Given and expiring within 30 days.
    pub expiring_soon: bool,
    /// Every decision, oldest first.
    pub history: Vec<ConsentView>,
}

impl From<PurposeState> for PurposeOut {
    fn from(s: PurposeState) -> Self {
        PurposeOut {
            purpose: s.purpose,
            label: s.label,
            state: s.answer.into(),
            expiring_soon: s.expiring_soon,
            history: s.history,
        }
    }
}

/// Every purpose of consent with today's answer and its history (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/consentements", tag = "entourage", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = [PurposeOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn consents(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<Vec<PurposeOut>>> {
    Ok(Json(
        state
            .app
            .consents(&ctx, id)
            .await?
            .into_iter()
            .map(PurposeOut::from)
            .collect(),
    ))
}

/// Records a decision (`donne`, `refuse`, `retire`). The signatory (`usager` or the id of a
/// member of the entourage) must be entitled to sign today, or the answer is 422 on `signatory`.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/consentements", tag = "entourage", request_body = RawConsent,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn record_consent(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawConsent>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let cid = state.app.record_consent(&ctx, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: cid.to_string(),
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MayParams {
    /// For purposes that name partners: the partner the information would go to.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Uuid)]
    pub partenaire: Option<PartenaireId>,
}

/// May `purpose` be done for this person now (for this partner), and on what consent? (audited)
#[utoipa::path(get, path = "/api/v1/usagers/{id}/consentements/{purpose}", tag = "entourage", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("purpose" = String, Path, description = "Code de la finalité (dmp, partage_partenaires…)"),
           MayParams),
    responses((status = 200, body = AnswerOut), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn may(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, purpose)): Path<(UsagerId, String)>,
    Query(p): Query<MayParams>,
) -> ApiResult<Json<AnswerOut>> {
    Ok(Json(
        state
            .app
            .may(&ctx, id, &purpose, p.partenaire)
            .await?
            .into(),
    ))
}
