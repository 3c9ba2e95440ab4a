//! Persons over JSON: search/list, create, read, update identity, change identity status, access history.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_app::audit::AccessEntry;
use parcours_app::domain::identity::RawIdentity;
use parcours_app::domain::ids::UsagerId;
use parcours_app::usager::{NewUsager, StatusChange, UsagerListItem, UsagerRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers", get(list).post(create))
        .route("/usagers/{id}", get(get_one).put(update))
        .route("/usagers/{id}/statut", post(change_status))
        .route("/usagers/{id}/acces", get(access))
}

#[derive(Serialize, ToSchema)]
pub struct UsagerItem {
    pub id: String,
    pub display_name: String,
    /// `YYYY-MM-DD`
    pub birth_date: String,
    /// `M`, `F` or `I`
    pub sex: String,
    /// `PROV`, `RECUP`, `VALI` or `QUAL`
    pub identity_status: String,
}

impl From<UsagerListItem> for UsagerItem {
    fn from(i: UsagerListItem) -> Self {
        UsagerItem {
            id: i.id.to_string(),
            display_name: i.display_name,
            birth_date: i.birth_date.to_string(),
            sex: i.sex,
            identity_status: i.status.code().to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UsagerPageOut {
    pub items: Vec<UsagerItem>,
    /// Cursor of the next page (`after=`), absent on the last page.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Name prefixes (accent- and case-insensitive), a birth date or an INS. Empty lists everyone in scope.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

/// Searches the persons the caller may see (alphabetical, paginated).
#[utoipa::path(get, path = "/api/v1/usagers", tag = "usagers", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = UsagerPageOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<UsagerPageOut>> {
    let page = state
        .app
        .search_usagers(&ctx, &p.q, p.after.as_deref(), p.limit.unwrap_or(50))
        .await?;
    Ok(Json(UsagerPageOut {
        items: page.items.into_iter().map(UsagerItem::from).collect(),
        next: page.next,
    }))
}

/// Identity fields, as strings (empty = absent). Field names are the error keys.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UsagerIn {
    #[serde(default)]
    pub birth_name: String,
    #[serde(default)]
    pub birth_first_name: String,
    /// All birth first names, space-separated, the first one first.
    #[serde(default)]
    pub birth_first_names: String,
    #[serde(default)]
    pub used_name: String,
    #[serde(default)]
    pub used_first_name: String,
    /// `M`, `F` or `I`
    #[serde(default)]
    pub sex: String,
    /// `YYYY-MM-DD`
    #[serde(default)]
    pub birth_date: String,
    /// INSEE COG code of the birth commune, or `99XXX` country code when born abroad.
    #[serde(default)]
    pub birth_place: String,
    /// NIR or NIA, 15 characters with the key.
    #[serde(default)]
    pub ins_matricule: String,
    /// `1.2.250.1.213.1.4.8` (NIR), `.9` (NIA), `.10` (test), `.11` (demo).
    #[serde(default)]
    pub ins_oid: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    /// Creation only: `ETABLISSEMENT_ID` or `ETABLISSEMENT_ID/UNITE_ID`.
    #[serde(default)]
    pub placement: String,
    /// Creation only: local file number in the establishment.
    #[serde(default)]
    pub local_id: String,
    /// Creation only: the caller saw the possible duplicates and confirms it is another person.
    #[serde(default)]
    pub confirm_not_duplicate: bool,
    /// Update only: the version the change is based on (optimistic concurrency).
    #[serde(default)]
    pub version: i64,
}

impl UsagerIn {
    fn raw(&self) -> RawIdentity {
        RawIdentity {
            birth_name: self.birth_name.clone(),
            birth_first_name: self.birth_first_name.clone(),
            birth_first_names: self.birth_first_names.clone(),
            used_name: self.used_name.clone(),
            used_first_name: self.used_first_name.clone(),
            sex: self.sex.clone(),
            birth_date: self.birth_date.clone(),
            birth_place: self.birth_place.clone(),
            ins_matricule: self.ins_matricule.clone(),
            ins_oid: self.ins_oid.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InsOut {
    pub matricule: String,
    pub oid: String,
    /// True only for a qualified identity (RNIV): otherwise the INS must not be shared.
    pub shareable: bool,
    pub from_insi: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementOut {
    pub etablissement_id: String,
    pub etablissement_name: String,
    pub unite_id: Option<String>,
    pub unite_name: Option<String>,
    pub local_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UsagerOut {
    pub id: String,
    pub version: i64,
    pub display_name: String,
    pub birth_name: String,
    pub birth_first_name: String,
    pub birth_first_names: String,
    pub used_name: Option<String>,
    pub used_first_name: Option<String>,
    pub sex: String,
    pub birth_date: String,
    pub birth_place: String,
    pub identity_status: String,
    pub identity_status_label: String,
    pub douteuse: bool,
    pub fictive: bool,
    pub homonyme: bool,
    /// FR Core validation mode code of the identity document checked, and its date.
    pub validation_mode: Option<String>,
    pub validation_date: Option<String>,
    pub ins: Option<InsOut>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub placements: Vec<PlacementOut>,
}

fn none_if_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

impl From<UsagerRecord> for UsagerOut {
    fn from(r: UsagerRecord) -> Self {
        let shareable = r.ins_shareable();
        let raw = r.identity.to_raw();
        UsagerOut {
            id: r.id.to_string(),
            version: r.version,
            display_name: r.identity.display_name(),
            birth_name: raw.birth_name,
            birth_first_name: raw.birth_first_name,
            birth_first_names: raw.birth_first_names,
            used_name: none_if_empty(raw.used_name),
            used_first_name: none_if_empty(raw.used_first_name),
            sex: raw.sex,
            birth_date: raw.birth_date,
            birth_place: raw.birth_place,
            identity_status: r.status.code().to_string(),
            identity_status_label: r.status.label_fr().to_string(),
            douteuse: r.attributes.douteuse,
            fictive: r.attributes.fictive,
            homonyme: r.attributes.homonyme,
            validation_mode: r.validation.map(|(m, _)| m.code().to_string()),
            validation_date: r.validation.map(|(_, d)| d.to_string()),
            ins: r.identity.ins.as_ref().map(|i| InsOut {
                matricule: i.matricule.as_str().to_string(),
                oid: i.oid.oid().to_string(),
                shareable,
                from_insi: r.ins_from_insi,
            }),
            phone: none_if_empty(raw.phone),
            email: none_if_empty(raw.email),
            address: none_if_empty(raw.address),
            postal_code: none_if_empty(raw.postal_code),
            city: none_if_empty(raw.city),
            placements: r
                .placements
                .into_iter()
                .map(|p| PlacementOut {
                    etablissement_id: p.etablissement_id.to_string(),
                    etablissement_name: p.etablissement_name,
                    unite_id: p.unite_id.map(|u| u.to_string()),
                    unite_name: p.unite_name,
                    local_id: p.local_id,
                })
                .collect(),
        }
    }
}

/// Creates a person (identité provisoire). Possible duplicates answer 409 until confirmed.
#[utoipa::path(post, path = "/api/v1/usagers", tag = "usagers", request_body = UsagerIn, security(("bearer" = [])),
    responses((status = 201, body = UsagerOut), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    ApiJson(body): ApiJson<UsagerIn>,
) -> ApiResult<(StatusCode, Json<UsagerOut>)> {
    let input = NewUsager {
        identity: body.raw(),
        placement: body.placement.clone(),
        local_id: body.local_id.clone(),
        confirm_not_duplicate: body.confirm_not_duplicate,
    };
    let id = state.app.create_usager(&ctx, &input).await?;
    let record = state.app.get_usager(&ctx, id).await?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// Reads a person's record (audited).
#[utoipa::path(get, path = "/api/v1/usagers/{id}", tag = "usagers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = UsagerOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<UsagerOut>> {
    Ok(Json(state.app.get_usager(&ctx, id).await?.into()))
}

/// Corrects the identity; `version` must be the version read (409 otherwise). The old version is kept.
#[utoipa::path(put, path = "/api/v1/usagers/{id}", tag = "usagers", request_body = UsagerIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = UsagerOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(body): ApiJson<UsagerIn>,
) -> ApiResult<Json<UsagerOut>> {
    let record = state
        .app
        .update_identity(&ctx, id, &body.raw(), body.version)
        .await?;
    Ok(Json(record.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    /// `PROV`, `RECUP`, `VALI` or `QUAL`
    pub status: String,
    pub reason: String,
    /// FR Core validation mode code (`CN`, `PA`, `CS`…)
    #[serde(default)]
    pub validation_mode: String,
    #[serde(default)]
    pub validation_date: String,
    #[serde(default)]
    pub ins_from_insi: bool,
    #[serde(default)]
    pub douteuse: bool,
    #[serde(default)]
    pub fictive: bool,
    #[serde(default)]
    pub homonyme: bool,
    pub version: i64,
}

/// Changes the identity status (RNIV transitions) with its justification.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/statut", tag = "usagers", request_body = StatusIn, security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = UsagerOut), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<StatusIn>,
) -> ApiResult<Json<UsagerOut>> {
    let input = StatusChange {
        status: b.status,
        reason: b.reason,
        validation_mode: b.validation_mode,
        validation_date: b.validation_date,
        ins_from_insi: b.ins_from_insi,
        douteuse: b.douteuse,
        fictive: b.fictive,
        homonyme: b.homonyme,
        version: b.version,
    };
    state.app.change_identity_status(&ctx, id, &input).await?;
    Ok(Json(state.app.get_usager(&ctx, id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct AccessOut {
    pub seq: i64,
    pub at: String,
    pub professional: String,
    pub action: String,
    pub action_label: String,
    pub ip: String,
}

impl From<AccessEntry> for AccessOut {
    fn from(e: AccessEntry) -> Self {
        AccessOut {
            seq: e.seq,
            at: e.at.to_string(),
            professional: e.professional,
            action: e.action_code,
            action_label: e.action_label,
            ip: e.ip,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct AccessParams {
    /// Only events older than this sequence number (paging).
    pub before: Option<i64>,
}

/// Who read or changed the record, newest first.
#[utoipa::path(get, path = "/api/v1/usagers/{id}/acces", tag = "usagers", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"), AccessParams),
    responses((status = 200, body = [AccessOut]), (status = 403, body = ErrorBody)))]
pub async fn access(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    Query(p): Query<AccessParams>,
) -> ApiResult<Json<Vec<AccessOut>>> {
    Ok(Json(
        state
            .app
            .access_history(&ctx, id, p.before)
            .await?
            .into_iter()
            .map(AccessOut::from)
            .collect(),
    ))
}
