//! The plan de soins over JSON: a person's plan (tasks, today's occurrences, missed ones), adding,
//! changing and stopping a task, recording an occurrence, the unit's list for a day.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::domain::ids::{PlanSoinTacheId, UniteId, UsagerId};
use parcours_app::domain::input;
use parcours_app::domain::plan_soins::RawTache;
use parcours_app::plan_soins::{PlanSoins, RawArret, RawRealisation, UnitDay};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/plan-de-soins", get(plan).post(create_tache))
        .route("/plan-de-soins", get(unit_day))
        .route("/plan-de-soins/taches/{id}", put(update_tache))
        .route("/plan-de-soins/taches/{id}/arret", post(stop_tache))
        .route(
            "/plan-de-soins/taches/{id}/realisations",
            post(record_realisation),
        )
}

/// A care task: what, when (days of the week or every N days, at civil times in Europe/Paris,
/// from and until a day) and who may do it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TacheIn {
    pub label: String,
    #[serde(default)]
    pub details: String,
    /// `lun`, `mar`, `mer`, `jeu`, `ven`, `sam`, `dim` (or use `intervalle`).
    #[serde(default)]
    pub jours: Vec<String>,
    /// Every N days from `du`, 1–365.
    #[serde(default)]
    pub intervalle: String,
    /// `HH:MM`, comma-separated ("08:00, 20:00").
    pub heures: String,
    /// `YYYY-MM-DD`.
    pub du: String,
    /// `YYYY-MM-DD` (optional last day).
    #[serde(default)]
    pub au: String,
    /// Role codes who may do it: `infirmier`, `aide_soignant`, `medecin`, `educateur`.
    pub roles: Vec<String>,
}

impl From<TacheIn> for RawTache {
    fn from(b: TacheIn) -> Self {
        RawTache {
            label: b.label,
            details: b.details,
            jours: b.jours,
            intervalle: b.intervalle,
            heures: b.heures,
            du: b.du,
            au: b.au,
            roles: b.roles,
        }
    }
}

/// A change of a task: the whole task again, and the version it started from.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TacheUpdate {
    pub version: i64,
    pub label: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub jours: Vec<String>,
    #[serde(default)]
    pub intervalle: String,
    pub heures: String,
    pub du: String,
    #[serde(default)]
    pub au: String,
    pub roles: Vec<String>,
}

/// A person's plan de soins: current tasks, today's occurrences and the missed ones of the last
/// seven days (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/plan-de-soins", tag = "plan de soins",
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = PlanSoins), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn plan(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<PlanSoins>> {
    Ok(Json(state.app.plan_soins(&ctx, id).await?))
}

/// Adds a task to a person's plan de soins.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/plan-de-soins", tag = "plan de soins",
    request_body = TacheIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_tache(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<TacheIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let t = state.app.add_tache(&ctx, id, &b.into()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: t.to_string() })))
}

/// Changes a task (a new version; a stale `version` is a conflict).
#[utoipa::path(put, path = "/api/v1/plan-de-soins/taches/{id}", tag = "plan de soins",
    request_body = TacheUpdate, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la tâche")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_tache(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<PlanSoinTacheId>,
    ApiJson(b): ApiJson<TacheUpdate>,
) -> ApiResult<StatusCode> {
    let raw = RawTache {
        label: b.label,
        details: b.details,
        jours: b.jours,
        intervalle: b.intervalle,
        heures: b.heures,
        du: b.du,
        au: b.au,
        roles: b.roles,
    };
    state.app.edit_tache(&ctx, id, b.version, &raw).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops a task after a day (default today).
#[utoipa::path(post, path = "/api/v1/plan-de-soins/taches/{id}/arret", tag = "plan de soins",
    request_body = RawArret, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la tâche")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn stop_tache(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<PlanSoinTacheId>,
    ApiJson(b): ApiJson<RawArret>,
) -> ApiResult<StatusCode> {
    state.app.stop_tache(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records one occurrence: done, or not done with its reason. The professional's role must be
/// among the task's roles (403 otherwise).
#[utoipa::path(post, path = "/api/v1/plan-de-soins/taches/{id}/realisations", tag = "plan de soins",
    request_body = RawRealisation, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la tâche")),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record_realisation(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<PlanSoinTacheId>,
    ApiJson(b): ApiJson<RawRealisation>,
) -> ApiResult<StatusCode> {
    state.app.record_realisation(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct DayParams {
    /// The unit.
    pub unite: String,
    /// The day, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub date: String,
}

/// The unit's list for a day: every occurrence due for the persons of the unit, by time, with
/// what was recorded and the missed ones (audited read).
#[utoipa::path(get, path = "/api/v1/plan-de-soins", tag = "plan de soins", security(("bearer" = [])),
    params(DayParams),
    responses((status = 200, body = UnitDay), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unit_day(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(q): Query<DayParams>,
) -> ApiResult<Json<UnitDay>> {
    let unite: UniteId = q
        .unite
        .trim()
        .parse()
        .map_err(|_| AppError::field("unite", "Unité inconnue."))?;
    let date = input::opt_date("date", &q.date)
        .map_err(AppError::from)?
        .unwrap_or_else(|| state.app.today());
    Ok(Json(state.app.unit_day(&ctx, unite, date).await?))
}
