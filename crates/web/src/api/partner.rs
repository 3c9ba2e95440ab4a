//! The directory of partners (acteurs externes, territorial resources) over JSON.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::domain::ids::PartenaireId;
use parcours_app::domain::partner::RawPartner;
use parcours_app::partner::PartnerView;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partenaires", get(search_partners).post(create_partner))
        .route("/partenaires/{id}", get(get_partner).put(update_partner))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words starting the name, the address or the kind (accent- and case-insensitive).
    #[serde(default)]
    pub q: String,
    /// Only this kind (`medecin`, `pharmacie`, `ecole`, `lieu_de_vie`…).
    #[serde(default)]
    pub kind: String,
}

/// Searches the directory (alphabetical).
#[utoipa::path(get, path = "/api/v1/partenaires", tag = "partenaires", params(SearchParams), security(("bearer" = [])),
    responses((status = 200, body = [PartnerView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search_partners(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<SearchParams>,
) -> ApiResult<Json<Vec<PartnerView>>> {
    Ok(Json(
        state
            .app
            .search_partners(&ctx, &p.q, Some(p.kind.as_str()))
            .await?,
    ))
}

/// One partner of the directory.
#[utoipa::path(get, path = "/api/v1/partenaires/{id}", tag = "partenaires", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du partenaire")),
    responses((status = 200, body = PartnerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_partner(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<PartenaireId>,
) -> ApiResult<Json<PartnerView>> {
    Ok(Json(state.app.get_partner(&ctx, id).await?))
}

/// A partner as sent; field names are the error keys.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerIn {
    /// `medecin`, `paramedical`, `pharmacie`, `hopital`, `esms`, `ecole`, `ase`, `mdph`, `employeur`,
    /// `mandataire_judiciaire`, `service_social`, `lieu_de_vie`, `service_territorial` or `autre`.
    pub kind: String,
    pub name: String,
    /// RPPS (11 digits, key checked), for a professional.
    #[serde(default)]
    pub rpps: String,
    /// FINESS (9 characters, key checked), for an establishment.
    #[serde(default)]
    pub finess: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub notes: String,
    /// False retires the partner from the choices (kept in history).
    #[serde(default = "yes")]
    pub active: bool,
    /// Update only: the version read (optimistic concurrency).
    #[serde(default)]
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

impl PartnerIn {
    fn raw(&self) -> RawPartner {
        RawPartner {
            kind: self.kind.clone(),
            name: self.name.clone(),
            rpps: self.rpps.clone(),
            finess: self.finess.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// Adds a partner to the directory.
#[utoipa::path(post, path = "/api/v1/partenaires", tag = "partenaires", request_body = PartnerIn,
    security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_partner(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<PartnerIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = state
        .app
        .save_partner(&ctx, None, &b.raw(), b.active)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Corrects a partner or retires it (`active: false`); `version` is the version read (409 otherwise).
#[utoipa::path(put, path = "/api/v1/partenaires/{id}", tag = "partenaires", request_body = PartnerIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du partenaire")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_partner(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<PartenaireId>,
    ApiJson(b): ApiJson<PartnerIn>,
) -> ApiResult<StatusCode> {
    let Some(version) = b.version else {
        return Err(AppError::field(
            "version",
            "Indiquez la version lue du partenaire (contrôle des modifications concurrentes).",
        )
        .into());
    };
    state
        .app
        .save_partner(&ctx, Some((id, version)), &b.raw(), b.active)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
