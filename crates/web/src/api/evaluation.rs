//! Evaluations of a person over JSON: needs (SERAFIN-PH, which feed the projet personnalisé) and
//! AGGIR (stored with its letters, rang and GIR, explained, compared with the previous one), their
//! cancellation, and the GMP of an establishment.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use parcours_app::AppError;
use parcours_app::domain::aggir::Evaluation;
use parcours_app::domain::clock::today_in_paris;
use parcours_app::domain::ids::{EtablissementId, EvaluationId, UsagerId};
use parcours_app::domain::input;
use parcours_app::domain::projet::RawNeedLine;
use parcours_app::evaluation::{
    AggirDetail, EvaluationView, GmpView, RawAggir, RawNeedsEvaluation,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Object, Schema};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::admin::Created;
use super::aggir::{AggirIn, AggirOut, ExplanationOut};
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/evaluations",
            get(list_evaluations).post(record_needs_evaluation),
        )
        .route("/usagers/{id}/evaluations/aggir", post(record_aggir))
        .route("/evaluations/{id}/aggir", get(aggir_detail))
        .route("/evaluations/{id}/annulation", post(cancel_evaluation))
        .route("/etablissements/{id}/gmp", get(gmp))
}

/// The schema of the full AGGIR grid, taken from the one `POST /aggir/compute` documents (built
/// from the grid's own tables), so both stay the same.
fn evaluation_schema() -> RefOr<Schema> {
    match AggirIn::schema() {
        RefOr::T(Schema::Object(o)) => o.properties.get("evaluation").cloned(),
        _ => None,
    }
    .unwrap_or_else(|| Object::new().into())
}

/// The evaluations of a person, newest first: needs and AGGIR, the cancelled ones included with
/// their reason (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/evaluations", tag = "evaluation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = [EvaluationView]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_evaluations(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<Vec<EvaluationView>>> {
    Ok(Json(state.app.evaluations(&ctx, id).await?))
}

/// One identified need.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedLineIn {
    /// SERAFIN-PH need (family 1) of the current edition, once per evaluation.
    pub code: String,
    /// `leger`, `modere`, `important` or `majeur`; a level or a comment is required.
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedsEvaluationIn {
    /// `YYYY-MM-DD`, not in the future.
    pub evaluated_on: String,
    #[serde(default)]
    pub context: String,
    /// At least one need.
    #[serde(default)]
    pub lines: Vec<NeedLineIn>,
}

impl From<NeedsEvaluationIn> for RawNeedsEvaluation {
    fn from(b: NeedsEvaluationIn) -> Self {
        RawNeedsEvaluation {
            evaluated_on: b.evaluated_on,
            context: b.context,
            lines: b
                .lines
                .into_iter()
                .map(|l| RawNeedLine {
                    code: l.code,
                    level: l.level,
                    comment: l.comment,
                })
                .collect(),
        }
    }
}

/// Records a needs evaluation: each need a SERAFIN-PH need with a level or a comment. Its needs
/// are then imported into the projet (`POST /projets/{id}/besoins-evalues`).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/evaluations", tag = "evaluation", request_body = NeedsEvaluationIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record_needs_evaluation(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<NeedsEvaluationIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let eid = state
        .app
        .record_needs_evaluation(&ctx, id, &b.into())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: eid.to_string(),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AggirEvaluationIn {
    /// `YYYY-MM-DD`, not in the future.
    pub evaluated_on: String,
    #[serde(default)]
    pub context: String,
    /// The establishment where the person is evaluated (for its GMP); may be left empty when the
    /// person is followed in one establishment only.
    #[serde(default)]
    pub etablissement_id: String,
    /// The full grid, as `POST /aggir/compute` takes it.
    #[schema(schema_with = evaluation_schema)]
    pub evaluation: Evaluation,
}

impl From<AggirEvaluationIn> for RawAggir {
    fn from(b: AggirEvaluationIn) -> Self {
        RawAggir {
            evaluated_on: b.evaluated_on,
            context: b.context,
            etablissement_id: b.etablissement_id,
            evaluation: b.evaluation,
        }
    }
}

/// Records an AGGIR evaluation from the full grid (the four adverbs of every sub-variable): the
/// letters, rang and GIR are computed (CASF annexes 2-1 and 2-2) and stored with it.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/evaluations/aggir", tag = "evaluation",
    request_body = AggirEvaluationIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record_aggir(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<AggirEvaluationIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let eid = state.app.record_aggir(&ctx, id, &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: eid.to_string(),
        }),
    ))
}

/// The previous valid AGGIR evaluation of the person.
#[derive(Serialize, ToSchema)]
pub struct PreviousAggirOut {
    #[schema(value_type = String)]
    pub evaluated_on: Date,
    pub gir: u8,
}

/// One AGGIR evaluation, explained and compared with the previous valid one.
#[derive(Serialize, ToSchema)]
pub struct AggirDetailOut {
    /// The evaluation as listed (date, evaluator, context, cancellation, `version`).
    pub view: EvaluationView,
    pub etablissement_name: Option<String>,
    /// The grid as entered.
    #[schema(schema_with = evaluation_schema)]
    pub evaluation: Evaluation,
    /// 1 (most dependent) to 6.
    pub gir: u8,
    /// 1 to 13 (CASF annexe 2-2).
    pub rang: u8,
    /// The 10 discriminant letters, compact form.
    pub variables: String,
    /// Letter per variable code, the 7 illustrative variables included.
    pub letters: BTreeMap<String, String>,
    /// Why: per variable, per group tried, the decision, and the whole as French lines.
    pub explanation: ExplanationOut,
    pub previous: Option<PreviousAggirOut>,
    /// What changed since the previous one, in French (empty without a previous one).
    pub changes: Vec<String>,
}

impl From<AggirDetail> for AggirDetailOut {
    fn from(d: AggirDetail) -> Self {
        let AggirOut {
            gir,
            rang,
            variables,
            letters,
            explanation,
        } = AggirOut::from(&d.assessment);
        AggirDetailOut {
            view: d.view,
            etablissement_name: d.etablissement_name,
            evaluation: d.evaluation,
            gir,
            rang,
            variables,
            letters,
            explanation,
            previous: d
                .previous
                .map(|(evaluated_on, gir)| PreviousAggirOut { evaluated_on, gir }),
            changes: d.changes,
        }
    }
}

/// One AGGIR evaluation with its explanation and what changed since the previous valid one
/// (audited read).
#[utoipa::path(get, path = "/api/v1/evaluations/{id}/aggir", tag = "evaluation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'évaluation AGGIR")),
    responses((status = 200, body = AggirDetailOut), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn aggir_detail(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<EvaluationId>,
) -> ApiResult<Json<AggirDetailOut>> {
    Ok(Json(state.app.aggir_detail(&ctx, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelIn {
    /// Why the evaluation is cancelled (kept).
    pub reason: String,
    /// The version of the evaluation read.
    pub version: i64,
}

/// Cancels an evaluation recorded by mistake: it is never deleted, the reason is kept, and a
/// cancelled AGGIR no longer counts in the GMP nor as a previous evaluation.
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/annulation", tag = "evaluation", request_body = CancelIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'évaluation")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn cancel_evaluation(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<EvaluationId>,
    ApiJson(b): ApiJson<CancelIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .cancel_evaluation(&ctx, id, &b.reason, b.version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GmpParams {
    /// The day, `YYYY-MM-DD` (default: today).
    #[serde(default)]
    pub date: String,
}

/// The GIR moyen pondéré of an establishment on a day: the latest valid AGGIR (on or before that
/// day) of every person with a séjour covering it, weighted by the GIR points.
#[utoipa::path(get, path = "/api/v1/etablissements/{id}/gmp", tag = "evaluation", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'établissement"), GmpParams),
    responses((status = 200, body = GmpView), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn gmp(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<EtablissementId>,
    Query(p): Query<GmpParams>,
) -> ApiResult<Json<GmpView>> {
    let on = if p.date.trim().is_empty() {
        today_in_paris(state.app.now())
    } else {
        input::date("date", &p.date).map_err(AppError::from)?
    };
    Ok(Json(state.app.gmp(&ctx, id, on).await?))
}
