//! The medical file over JSON (medical secret: every call gated and audited like the pages), and
//! the organisation's medical access per role (administrator).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::medical::RawDelegation;
use parcours_app::domain::medical::{
    EntryKind, RawAllergie, RawAntecedent, RawEntry, RawObservation, RawVaccination,
};
use parcours_app::medical::{DelegationView, EmergencyView, MedicalFile, RoleAccessView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/medical", get(medical_file))
        .route("/usagers/{id}/medical/traitements", put(set_treatments))
        .route("/usagers/{id}/medical/{kind}", post(add_entry))
        .route("/usagers/{id}/medical/{kind}/{eid}", put(correct_entry))
        .route(
            "/usagers/{id}/medical/allergies/{eid}/resolution",
            post(resolve_allergy),
        )
        .route("/medical/acces", get(access_settings).post(set_access))
        .route(
            "/usagers/{id}/medical/delegations",
            get(list_delegations).post(grant_delegation),
        )
        .route(
            "/usagers/{id}/medical/delegations/{did}/revocation",
            post(revoke_delegation),
        )
        .route("/usagers/{id}/medical/bris-de-glace", post(break_glass))
        .route("/medical/bris-de-glace", get(review_queue))
        .route("/medical/bris-de-glace/{eid}/revue", post(review))
}

fn kind_of(slug: &str) -> Result<EntryKind, AppError> {
    EntryKind::from_slug(slug).ok_or(AppError::NotFound)
}

/// The medical file of a person: allergies and intolerances, antécédents, vaccinations, current
/// treatments, observations and consultations, each with its earlier versions. Refused (403) to
/// roles without medical access; every read is audited.
#[utoipa::path(get, path = "/api/v1/usagers/{id}/medical", tag = "medical", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = MedicalFile), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn medical_file(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<MedicalFile>> {
    Ok(Json(state.app.medical_file(&ctx, id).await?))
}

/// One entry of the medical file. Fields by kind — `allergies`: `substance`, `reaction`,
/// `severity` (`legere`, `moderee`, `severe`, `anaphylaxie`), `kind` (`allergie`, `intolerance`),
/// `noted_on`; `antecedents`: `code` (CIM-10, optional), `texte`, `date`; `vaccinations`:
/// `vaccine`, `date`, `lot`, `dose`; `observations`: `date`, `kind` (`observation`,
/// `consultation`), `texte`. Dates are `YYYY-MM-DD`, never in the future.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EntryIn {
    #[serde(default)]
    pub substance: String,
    #[serde(default)]
    pub reaction: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub noted_on: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub texte: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub vaccine: String,
    #[serde(default)]
    pub lot: String,
    #[serde(default)]
    pub dose: String,
    /// For a correction: the version corrected.
    #[serde(default)]
    pub version: Option<i64>,
    /// For a correction: why (optional).
    #[serde(default)]
    pub reason: String,
}

impl EntryIn {
    fn raw(self, kind: EntryKind) -> RawEntry {
        match kind {
            EntryKind::Allergie => RawEntry::Allergie(RawAllergie {
                substance: self.substance,
                reaction: self.reaction,
                severity: self.severity,
                kind: self.kind,
                noted_on: self.noted_on,
            }),
            EntryKind::Antecedent => RawEntry::Antecedent(RawAntecedent {
                code: self.code,
                texte: self.texte,
                date: self.date,
            }),
            EntryKind::Vaccination => RawEntry::Vaccination(RawVaccination {
                vaccine: self.vaccine,
                date: self.date,
                lot: self.lot,
                dose: self.dose,
            }),
            EntryKind::Observation => RawEntry::Observation(RawObservation {
                date: self.date,
                kind: self.kind,
                texte: self.texte,
            }),
        }
    }
}

fn required_version(v: Option<i64>) -> Result<i64, AppError> {
    v.ok_or_else(|| AppError::field("version", "Indiquez la version corrigée."))
}

/// Adds an entry: `kind` is `allergies`, `antecedents`, `vaccinations` or `observations`.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/medical/{kind}", tag = "medical", request_body = EntryIn,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("kind" = String, Path, description = "allergies, antecedents, vaccinations ou observations")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_entry(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, kind)): Path<(UsagerId, String)>,
    ApiJson(body): ApiJson<EntryIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let kind = kind_of(&kind)?;
    let eid = state
        .app
        .add_medical_entry(&ctx, id, &body.raw(kind))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: eid.to_string(),
        }),
    ))
}

/// Corrects an entry: a new version (`version` = the one corrected); the previous one stays
/// readable. A stale version is a conflict (409).
#[utoipa::path(put, path = "/api/v1/usagers/{id}/medical/{kind}/{eid}", tag = "medical", request_body = EntryIn,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("kind" = String, Path, description = "allergies, antecedents, vaccinations ou observations"),
           ("eid" = String, Path, description = "Identifiant de l'élément")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn correct_entry(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, kind, eid)): Path<(UsagerId, String, Uuid)>,
    ApiJson(body): ApiJson<EntryIn>,
) -> ApiResult<StatusCode> {
    let kind = kind_of(&kind)?;
    let version = required_version(body.version)?;
    let reason = body.reason.clone();
    state
        .app
        .correct_medical_entry(&ctx, id, eid, &body.raw(kind), version, &reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolutionIn {
    pub version: i64,
    #[serde(default)]
    pub reason: String,
}

/// Marks an allergy or intolerance as resolved: it leaves the safety banner, the entry stays.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/medical/allergies/{eid}/resolution", tag = "medical",
    request_body = ResolutionIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("eid" = String, Path, description = "Identifiant de l'allergie")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resolve_allergy(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, eid)): Path<(UsagerId, Uuid)>,
    ApiJson(body): ApiJson<ResolutionIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .resolve_allergy(&ctx, id, eid, body.version, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatmentsIn {
    pub texte: String,
    /// The version updated; absent for the first one.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// Writes the summary of current treatments (a new version each time).
#[utoipa::path(put, path = "/api/v1/usagers/{id}/medical/traitements", tag = "medical",
    request_body = TreatmentsIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_treatments(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(body): ApiJson<TreatmentsIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_treatments(&ctx, id, &body.texte, body.version, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Medical access of every role of the organisation, with the permission table's default
/// (administrator).
#[utoipa::path(get, path = "/api/v1/medical/acces", tag = "medical", security(("bearer" = [])),
    responses((status = 200, body = [RoleAccessView]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn access_settings(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Vec<RoleAccessView>>> {
    Ok(Json(state.app.medical_access_settings(&ctx).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessIn {
    /// A role code other than `administrateur`.
    pub role: String,
    pub read: bool,
    /// Needs `read`.
    pub write: bool,
}

/// Opens or closes the medical file to a role (administrator; audited).
#[utoipa::path(post, path = "/api/v1/medical/acces", tag = "medical", request_body = AccessIn,
    security(("bearer" = [])),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn set_access(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(body): ApiJson<AccessIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_medical_access(&ctx, &body.role, body.read, body.write)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The delegations on a person's medical file, newest first (physicians who may write it).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/medical/delegations", tag = "medical",
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = [DelegationView]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list_delegations(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<Vec<DelegationView>>> {
    Ok(Json(state.app.medical_delegations(&ctx, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationIn {
    /// The professional's account id.
    pub delegate: String,
    /// `YYYY-MM-DD`, today or later.
    pub starts_on: String,
    /// `YYYY-MM-DD`, included; at most 90 days after the start.
    pub ends_on: String,
    /// At least 10 characters.
    pub reason: String,
}

/// A physician lets a named professional read the person's medical file for a period (audited).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/medical/delegations", tag = "medical",
    request_body = DelegationIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn grant_delegation(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(body): ApiJson<DelegationIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let raw = RawDelegation {
        delegate: body.delegate,
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        reason: body.reason,
    };
    let did = state.app.grant_medical_delegation(&ctx, id, &raw).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: did.to_string(),
        }),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReasonIn {
    #[serde(default)]
    pub reason: String,
}

/// Revokes a delegation before its term (physicians; audited).
#[utoipa::path(post, path = "/api/v1/usagers/{id}/medical/delegations/{did}/revocation",
    tag = "medical", request_body = ReasonIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("did" = String, Path, description = "Identifiant de la délégation")),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_delegation(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .revoke_medical_delegation(&ctx, id, did, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct EmergencyOut {
    /// When the emergency access ends (RFC 3339).
    pub ends_at: String,
}

/// Break-the-glass: opens the medical file in an emergency for 2 hours, with a reason (at least
/// 10 characters). Audited on the person and queued for review.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/medical/bris-de-glace", tag = "medical",
    request_body = ReasonIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = EmergencyOut), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn break_glass(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> ApiResult<(StatusCode, Json<EmergencyOut>)> {
    let ends = state.app.break_the_glass(&ctx, id, &body.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(EmergencyOut {
            ends_at: ends.to_string(),
        }),
    ))
}

/// Emergency openings not reviewed yet (physicians and the direction), oldest first.
#[utoipa::path(get, path = "/api/v1/medical/bris-de-glace", tag = "medical",
    security(("bearer" = [])),
    responses((status = 200, body = [EmergencyView]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn review_queue(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Vec<EmergencyView>>> {
    Ok(Json(state.app.emergency_review_queue(&ctx).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewIn {
    pub comment: String,
}

/// Marks an emergency opening reviewed, with a comment (physicians and the direction; audited).
#[utoipa::path(post, path = "/api/v1/medical/bris-de-glace/{eid}/revue", tag = "medical",
    request_body = ReviewIn, security(("bearer" = [])),
    params(("eid" = String, Path, description = "Identifiant de l'accès en urgence")),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(eid): Path<Uuid>,
    ApiJson(body): ApiJson<ReviewIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .review_emergency_access(&ctx, eid, &body.comment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
