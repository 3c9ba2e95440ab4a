//! Administration over JSON: establishments, units, accounts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use parcours_app::account::{AccountInput, AccountView};
use parcours_app::domain::ids::{EtablissementId, UniteId, UserId};
use parcours_app::structure::{EtablissementInput, OrganisationInput, Structures, UniteInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/etablissements",
            get(list_structures).post(create_etablissement),
        )
        .route("/etablissements/{id}", put(update_etablissement))
        .route("/unites", axum::routing::post(create_unite))
        .route("/unites/{id}", put(update_unite))
        .route("/comptes", get(list_accounts).post(create_account))
        .route("/comptes/{id}", put(update_account))
}

#[derive(Serialize, ToSchema)]
pub struct UniteOut {
    pub id: String,
    pub name: String,
    pub active: bool,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct EtablissementOut {
    pub id: String,
    pub name: String,
    pub finess: String,
    pub category_code: String,
    pub category_label: String,
    pub capacity: i64,
    pub active: bool,
    pub version: i64,
    pub unites: Vec<UniteOut>,
}

fn structures_out(s: Structures) -> Vec<EtablissementOut> {
    s.etablissements
        .into_iter()
        .map(|e| EtablissementOut {
            id: e.id.to_string(),
            name: e.name,
            finess: e.finess,
            category_code: e.category_code,
            category_label: e.category_label,
            capacity: e.capacity,
            active: e.active,
            version: e.version,
            unites: e
                .unites
                .into_iter()
                .map(|u| UniteOut {
                    id: u.id.to_string(),
                    name: u.name,
                    active: u.active,
                    version: u.version,
                })
                .collect(),
        })
        .collect()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationIn {
    pub name: String,
    /// FINESS juridique (9 characters, key checked); empty to remove it.
    #[serde(default)]
    pub finess_ej: String,
}

/// Renames the organisme gestionnaire or sets its FINESS juridique.
#[utoipa::path(put, path = "/api/v1/organisation", tag = "administration", request_body = OrganisationIn,
    security(("bearer" = [])), responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<OrganisationIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .update_organisation(
            &ctx,
            &OrganisationInput {
                name: b.name,
                finess_ej: b.finess_ej,
            },
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// Establishments and their units.
#[utoipa::path(get, path = "/api/v1/etablissements", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = [EtablissementOut]), (status = 403, body = ErrorBody)))]
pub async fn list_structures(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Vec<EtablissementOut>>> {
    Ok(Json(structures_out(state.app.structures(&ctx).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EtablissementIn {
    pub name: String,
    /// FINESS géographique, 9 characters, key checked.
    pub finess: String,
    /// FINESS category code (500 EHPAD, 186 ITEP…).
    pub category_code: String,
    pub capacity: u32,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub version: i64,
}

fn yes() -> bool {
    true
}

impl EtablissementIn {
    fn input(&self) -> EtablissementInput {
        EtablissementInput {
            name: self.name.clone(),
            finess: self.finess.clone(),
            category_code: self.category_code.clone(),
            capacity: self.capacity.to_string(),
            active: self.active,
            version: self.version,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/etablissements", tag = "administration", request_body = EtablissementIn,
    security(("bearer" = [])), responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn create_etablissement(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<EtablissementIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = state.app.create_etablissement(&ctx, &b.input()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

#[utoipa::path(put, path = "/api/v1/etablissements/{id}", tag = "administration", request_body = EtablissementIn,
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_etablissement(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<EtablissementId>,
    ApiJson(b): ApiJson<EtablissementIn>,
) -> ApiResult<StatusCode> {
    state.app.update_etablissement(&ctx, id, &b.input()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UniteIn {
    #[serde(default)]
    pub etablissement_id: String,
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub version: i64,
}

impl UniteIn {
    fn input(&self) -> UniteInput {
        UniteInput {
            etablissement_id: self.etablissement_id.clone(),
            name: self.name.clone(),
            active: self.active,
            version: self.version,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/unites", tag = "administration", request_body = UniteIn,
    security(("bearer" = [])), responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn create_unite(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<UniteIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = state.app.create_unite(&ctx, &b.input()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

#[utoipa::path(put, path = "/api/v1/unites/{id}", tag = "administration", request_body = UniteIn,
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_unite(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UniteId>,
    ApiJson(b): ApiJson<UniteIn>,
) -> ApiResult<StatusCode> {
    state.app.update_unite(&ctx, id, &b.input()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    pub id: String,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub profession: String,
    pub rpps: Option<String>,
    pub adeli: Option<String>,
    pub role: String,
    pub active: bool,
    pub version: i64,
    /// Each `ETABLISSEMENT_ID` or `ETABLISSEMENT_ID/UNITE_ID`.
    pub assignments: Vec<String>,
}

impl From<AccountView> for AccountOut {
    fn from(a: AccountView) -> Self {
        AccountOut {
            id: a.id.to_string(),
            login: a.login,
            first_name: a.first_name,
            last_name: a.last_name,
            profession: a.profession,
            rpps: a.rpps,
            adeli: a.adeli,
            role: a.role.code().to_string(),
            active: a.active,
            version: a.version,
            assignments: a.assignments.into_iter().map(|x| x.value).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountIn {
    /// Creation only.
    #[serde(default)]
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub profession: String,
    #[serde(default)]
    pub rpps: String,
    #[serde(default)]
    pub adeli: String,
    pub role: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// Required at creation; on update, empty keeps the current password.
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub assignments: Vec<String>,
    #[serde(default)]
    pub version: i64,
}

impl AccountIn {
    fn input(self) -> AccountInput {
        AccountInput {
            login: self.login,
            first_name: self.first_name,
            last_name: self.last_name,
            profession: self.profession,
            rpps: self.rpps,
            adeli: self.adeli,
            role: self.role,
            active: self.active,
            password: self.password,
            assignments: self.assignments,
            version: self.version,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/comptes", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = [AccountOut]), (status = 403, body = ErrorBody)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
) -> ApiResult<Json<Vec<AccountOut>>> {
    Ok(Json(
        state
            .app
            .list_accounts(&ctx)
            .await?
            .into_iter()
            .map(AccountOut::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/comptes", tag = "administration", request_body = AccountIn,
    security(("bearer" = [])), responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(b): ApiJson<AccountIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = state.app.create_account(&ctx, &b.input()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

#[utoipa::path(put, path = "/api/v1/comptes/{id}", tag = "administration", request_body = AccountIn,
    params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_account(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UserId>,
    ApiJson(b): ApiJson<AccountIn>,
) -> ApiResult<StatusCode> {
    state.app.update_account(&ctx, id, &b.input()).await?;
    Ok(StatusCode::NO_CONTENT)
}
