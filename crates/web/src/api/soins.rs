//! The care record's vital signs and measures over JSON: a relevé, the summary (latest values,
//! BMI, alerts, undernutrition), a series per kind, the cancellation and correction of a measure.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::ToSpan;
use parcours_app::AppError;
use parcours_app::domain::ids::{SoinMesureId, UsagerId};
use parcours_app::domain::input;
use parcours_app::domain::soins::{Kind, RawReleve};
use parcours_app::soins::{MesureView, RawAnnulation, RawCorrection, SoinsSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/soins", get(summary).post(record_releve))
        .route("/usagers/{id}/soins/{kind}", get(series))
        .route("/soins/mesures/{id}/annulation", post(cancel_mesure))
        .route("/soins/mesures/{id}/correction", post(correct_mesure))
}

/// A relevé: every value optional (empty or absent = not measured), at least one given. Numbers
/// are strings as typed (`"37,5"` or `"37.5"`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleveIn {
    /// `YYYY-MM-DDTHH:MM` (Paris time) or an RFC 3339 instant; absent = now; not in the future.
    #[serde(default)]
    pub measured_at: String,
    /// kg, 0.5–350.
    #[serde(default)]
    pub poids: String,
    /// cm, 30–250.
    #[serde(default)]
    pub taille: String,
    /// Systolic pressure, mmHg, 50–300 (with `tension_diastolique`).
    #[serde(default)]
    pub tension: String,
    /// mmHg, 20–200, below the systolic.
    #[serde(default)]
    pub tension_diastolique: String,
    /// bpm, 20–250.
    #[serde(default)]
    pub pouls: String,
    /// °C, 30–44.
    #[serde(default)]
    pub temperature: String,
    /// %, 50–100.
    #[serde(default)]
    pub spo2: String,
    /// Capillary glycaemia, g/L, 0.10–6.00.
    #[serde(default)]
    pub glycemie: String,
    /// Pain EVA/EN, 0–10.
    #[serde(default)]
    pub eva: String,
    /// Pain Algoplus, 0–5.
    #[serde(default)]
    pub algoplus: String,
    /// Number of stools, 0–20.
    #[serde(default)]
    pub selles: String,
    /// Bristol type 1–7 (optional).
    #[serde(default)]
    pub selles_bristol: String,
    /// Diuresis over 24 h, mL.
    #[serde(default)]
    pub diurese: String,
    #[serde(default)]
    pub note: String,
}

impl From<ReleveIn> for RawReleve {
    fn from(b: ReleveIn) -> Self {
        RawReleve {
            measured_at: b.measured_at,
            poids: b.poids,
            taille: b.taille,
            tension: b.tension,
            tension_diastolique: b.tension_diastolique,
            pouls: b.pouls,
            temperature: b.temperature,
            spo2: b.spo2,
            glycemie: b.glycemie,
            eva: b.eva,
            algoplus: b.algoplus,
            selles: b.selles,
            selles_bristol: b.selles_bristol,
            diurese: b.diurese,
            note: b.note,
        }
    }
}

/// The measures written.
#[derive(Serialize, ToSchema)]
pub struct ReleveOut {
    pub ids: Vec<String>,
}

/// Records a relevé of measures at one time; an impossible value refuses the whole relevé.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/soins", tag = "soins", request_body = ReleveIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = ReleveOut), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record_releve(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<ReleveIn>,
) -> ApiResult<(StatusCode, Json<ReleveOut>)> {
    let ids = state.app.record_releve(&ctx, id, &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(ReleveOut {
            ids: ids.iter().map(ToString::to_string).collect(),
        }),
    ))
}

/// The latest valid value of every kind with its abnormal flags, the BMI, the alerts and the
/// undernutrition criterion (HAS 2021) if met (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/soins", tag = "soins", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = SoinsSummary), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<SoinsSummary>> {
    Ok(Json(state.app.soins_summary(&ctx, id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct PeriodParams {
    /// First day, `YYYY-MM-DD` (default: three months before `au`).
    #[serde(default)]
    pub du: String,
    /// Last day, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub au: String,
}

/// A person's measures of one kind over a period, oldest first, the cancelled ones included with
/// their reason (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/soins/{kind}", tag = "soins", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("kind" = String, Path, description = "poids, taille, tension, pouls, temperature, spo2, glycemie, eva, algoplus, selles, diurese"),
           PeriodParams),
    responses((status = 200, body = [MesureView]), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn series(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, kind)): Path<(UsagerId, String)>,
    Query(q): Query<PeriodParams>,
) -> ApiResult<Json<Vec<MesureView>>> {
    let kind = Kind::parse(&kind).map_err(AppError::from)?;
    let to = input::opt_date("au", &q.au)
        .map_err(AppError::from)?
        .unwrap_or_else(|| state.app.today());
    let from = match input::opt_date("du", &q.du).map_err(AppError::from)? {
        Some(d) => d,
        None => to.checked_sub(3.months()).unwrap_or(to),
    };
    if from > to {
        return Err(AppError::field("du", "La période commence après sa fin.").into());
    }
    Ok(Json(
        state.app.mesure_series(&ctx, id, kind, from, to).await?,
    ))
}

/// Cancels a mistaken measure with its reason; it stays, marked cancelled.
#[utoipa::path(post, path = "/api/v1/soins/mesures/{id}/annulation", tag = "soins", request_body = RawAnnulation,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de la mesure")),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_mesure(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<SoinMesureId>,
    ApiJson(b): ApiJson<RawAnnulation>,
) -> ApiResult<StatusCode> {
    state.app.cancel_mesure(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Corrects a mistaken measure: cancels it with the reason and records the right value (same
/// kind, same time unless `measured_at` is given) as a new measure naming it.
#[utoipa::path(post, path = "/api/v1/soins/mesures/{id}/correction", tag = "soins", request_body = RawCorrection,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de la mesure")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn correct_mesure(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<SoinMesureId>,
    ApiJson(b): ApiJson<RawCorrection>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let new = state.app.correct_mesure(&ctx, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: new.to_string(),
        }),
    ))
}
