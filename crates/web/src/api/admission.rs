//! Admission over JSON: requests and the waiting list, admissions into one or several modalities,
//! séjours (entry, exit, cancellation, change of modality), contracts, orientation decisions,
//! occupancy and places per modality, and the home board.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::admission::{
    AdmissionFile, OccupancyView, RawAdmission, RawContrat, RawDecision, RawModalityChange,
    RawRequest, RawSejourUpdate, RequestStatusChange, RequestView,
};
use parcours_app::domain::clock::today_in_paris;
use parcours_app::domain::error::FieldErrors;
use parcours_app::domain::ids::{
    ContratId, DecisionId, DemandeId, EtablissementId, SejourId, UsagerId,
};
use parcours_app::domain::input;
use parcours_app::home::HomeBoard;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/demandes", post(create_request))
        .route("/usagers/{id}/admission", get(admission_file))
        .route("/demandes/{id}/statut", post(change_request_status))
        .route("/demandes/{id}/admission", post(admit))
        .route("/sejours/{id}", put(update_sejour))
        .route("/sejours/{id}/annulation", post(cancel_sejour))
        .route("/sejours/{id}/modalite", post(change_modality))
        .route("/sejours/{id}/contrats", post(create_contrat))
        .route("/sejours/{id}/contrats/{contrat_id}", put(update_contrat))
        .route("/usagers/{id}/decisions", post(create_decision))
        .route(
            "/usagers/{id}/decisions/{decision_id}",
            put(update_decision),
        )
        .route("/etablissements/{id}/liste-attente", get(waiting_list))
        .route("/etablissements/{id}/occupation", get(occupancy))
        .route(
            "/etablissements/{id}/capacites/{modalite}",
            put(set_modality_capacity),
        )
        .route("/accueil", get(home_board))
}

/// Records a request for admission of a known person (created first, with their identity).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/demandes", tag = "admission", request_body = RawRequest,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn create_request(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawRequest>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let rid = state.app.create_request(&ctx, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: rid.to_string(),
        }),
    ))
}

/// The person's admission file: requests with their history, séjours, contracts, orientation
/// decisions and alerts in French (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/admission", tag = "admission", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = AdmissionFile), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn admission_file(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<AdmissionFile>> {
    Ok(Json(state.app.admission_file(&ctx, id).await?))
}

/// Moves a request on the waiting list (`en_etude`, `visite_planifiee`, `acceptee`,
/// `en_attente_de_place`, `refusee` with its reason, `annulee`); `version` is the version read.
#[utoipa::path(post, path = "/api/v1/demandes/{id}/statut", tag = "admission", request_body = RequestStatusChange,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de la demande")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn change_request_status(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<DemandeId>,
    ApiJson(b): ApiJson<RequestStatusChange>,
) -> ApiResult<StatusCode> {
    state.app.change_request_status(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AdmittedOut {
    /// One séjour per placement, in the order of `placements`.
    pub sejour_ids: Vec<String>,
}

/// Admits the person of an accepted request: one séjour per (unit, modality), all or nothing.
/// When places are exceeded the answer is 422 on `confirm_over_capacity`: direction or a chef de
/// service sends the admission again with `"confirm_over_capacity": true`.
#[utoipa::path(post, path = "/api/v1/demandes/{id}/admission", tag = "admission", request_body = RawAdmission,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de la demande")),
    responses((status = 201, body = AdmittedOut), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn admit(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<DemandeId>,
    ApiJson(b): ApiJson<RawAdmission>,
) -> ApiResult<(StatusCode, Json<AdmittedOut>)> {
    let ids = state.app.admit(&ctx, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(AdmittedOut {
            sejour_ids: ids.iter().map(ToString::to_string).collect(),
        }),
    ))
}

/// Records the actual entry, the planned exit or the exit (with its mode) of a séjour.
#[utoipa::path(put, path = "/api/v1/sejours/{id}", tag = "admission", request_body = RawSejourUpdate,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du séjour")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_sejour(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<SejourId>,
    ApiJson(b): ApiJson<RawSejourUpdate>,
) -> ApiResult<StatusCode> {
    state.app.update_sejour(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelIn {
    /// Why the planned séjour is cancelled (kept in its history).
    pub reason: String,
    pub version: i64,
}

/// Cancels a planned séjour; it is kept, marked `annule`.
#[utoipa::path(post, path = "/api/v1/sejours/{id}/annulation", tag = "admission", request_body = CancelIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du séjour")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_sejour(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<SejourId>,
    ApiJson(b): ApiJson<CancelIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .cancel_sejour(&ctx, id, &b.reason, b.version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the modality (or unit) of a current séjour on a date: it ends that day and the new
/// séjour, whose id is returned, begins the same day.
#[utoipa::path(post, path = "/api/v1/sejours/{id}/modalite", tag = "admission", request_body = RawModalityChange,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du séjour")),
    responses((status = 201, body = Created), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn change_modality(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<SejourId>,
    ApiJson(b): ApiJson<RawModalityChange>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let next = state.app.change_modality(&ctx, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: next.to_string(),
        }),
    ))
}

/// Records a contrat de séjour, DIPC or avenant of a séjour.
#[utoipa::path(post, path = "/api/v1/sejours/{id}/contrats", tag = "admission", request_body = RawContrat,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du séjour")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn create_contrat(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<SejourId>,
    ApiJson(b): ApiJson<RawContrat>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let cid = state.app.save_contrat(&ctx, id, None, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: cid.to_string(),
        }),
    ))
}

/// Corrects a contract of the séjour (`version` required: the version read).
#[utoipa::path(put, path = "/api/v1/sejours/{id}/contrats/{contrat_id}", tag = "admission", request_body = RawContrat,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du séjour"),
           ("contrat_id" = String, Path, description = "Identifiant du contrat")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_contrat(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, contrat)): Path<(SejourId, ContratId)>,
    ApiJson(b): ApiJson<RawContrat>,
) -> ApiResult<StatusCode> {
    state.app.save_contrat(&ctx, id, Some(contrat), &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records an orientation decision (CDAPH) of the person.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/decisions", tag = "admission", request_body = RawDecision,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn create_decision(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawDecision>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let did = state.app.save_decision(&ctx, id, None, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: did.to_string(),
        }),
    ))
}

/// Corrects an orientation decision (a new version; the previous one is kept). `version` required.
#[utoipa::path(put, path = "/api/v1/usagers/{id}/decisions/{decision_id}", tag = "admission", request_body = RawDecision,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("decision_id" = String, Path, description = "Identifiant de la décision")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_decision(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, decision)): Path<(UsagerId, DecisionId)>,
    ApiJson(b): ApiJson<RawDecision>,
) -> ApiResult<StatusCode> {
    state
        .app
        .save_decision(&ctx, id, Some(decision), &b)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The waiting list of an establishment: open requests, most urgent then oldest first.
#[utoipa::path(get, path = "/api/v1/etablissements/{id}/liste-attente", tag = "admission", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'établissement")),
    responses((status = 200, body = [RequestView]), (status = 403, body = ErrorBody)))]
pub async fn waiting_list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<EtablissementId>,
) -> ApiResult<Json<Vec<RequestView>>> {
    Ok(Json(state.app.waiting_list(&ctx, id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OccupancyParams {
    /// Day of the places count, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub date: String,
    /// Start of the period of days of presence (default: first day of the current month).
    #[serde(default)]
    pub du: String,
    /// End of the period (default: today).
    #[serde(default)]
    pub au: String,
}

/// Places occupied on a day (total, per unit, per modality) and days of presence over a period.
#[utoipa::path(get, path = "/api/v1/etablissements/{id}/occupation", tag = "admission", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'établissement"), OccupancyParams),
    responses((status = 200, body = OccupancyView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn occupancy(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<EtablissementId>,
    Query(p): Query<OccupancyParams>,
) -> ApiResult<Json<OccupancyView>> {
    let today = today_in_paris(state.app.now());
    let mut e = FieldErrors::default();
    let mut day = |field: &'static str, raw: &str, default| {
        if raw.trim().is_empty() {
            Some(default)
        } else {
            e.take(input::date(field, raw))
        }
    };
    let on = day("date", &p.date, today);
    let from = day("du", &p.du, today.first_of_month());
    let to = day("au", &p.au, today);
    let (Some(on), Some(from), Some(to)) = (on, from, to) else {
        return Err(AppError::Validation(e).into());
    };
    let view = state
        .app
        .occupancy(&ctx, id, on, from, to)
        .await
        .map_err(|err| match err {
            // The use case names the period `from`/`to`; the query says `du`/`au`.
            AppError::Validation(mut fields) => {
                for f in &mut fields.0 {
                    f.field = match f.field {
                        "from" => "du",
                        "to" => "au",
                        other => other,
                    };
                }
                AppError::Validation(fields)
            }
            other => other,
        })?;
    Ok(Json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityIn {
    /// Authorised places of this modality (0 to 10 000); `null` removes the figure.
    pub capacity: Option<u32>,
}

/// Sets the authorised places of one modality (`internat`, `externat`…) of an establishment.
#[utoipa::path(put, path = "/api/v1/etablissements/{id}/capacites/{modalite}", tag = "administration",
    request_body = CapacityIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'établissement"),
           ("modalite" = String, Path, description = "Code de la modalité d'accompagnement")),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn set_modality_capacity(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, modalite)): Path<(EtablissementId, String)>,
    ApiJson(b): ApiJson<CapacityIn>,
) -> ApiResult<StatusCode> {
    let capacity = b.capacity.map(|c| c.to_string()).unwrap_or_default();
    state
        .app
        .set_modality_capacity(&ctx, id, &modalite, &capacity)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What needs action in my units: admissions coming, requests to admit, orientation decisions,
/// contracts, consents, séjours ending.
#[utoipa::path(get, path = "/api/v1/accueil", tag = "admission", security(("bearer" = [])),
    responses((status = 200, body = HomeBoard), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn home_board(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<HomeBoard>> {
    Ok(Json(state.app.home_board(&ctx).await?))
}
