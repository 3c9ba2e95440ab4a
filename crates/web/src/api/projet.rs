//! The projet personnalisé over JSON: creation, co-writing of its content while in preparation
//! (attentes → besoins → objectifs → actions with their SERAFIN-PH prestations, participants), the
//! needs of the latest needs evaluation, accords of the structure and of the person, status changes,
//! avenants and bilans.
//!
//! Every change of the content names the `version` of the projet read: a stale version is answered
//! 409 and nothing is written. Each change is a new version; the previous ones stay in the record's
//! history.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::domain::ids::{ProjetId, UsagerId};
use parcours_app::domain::projet::{
    Element, Kind, RawAction, RawAttente, RawBesoin, RawBilan, RawObjectif, RawParticipant,
};
use parcours_app::projet::{ProjetSummary, ProjetView, RawAccord, RawNewProjet, RawProjetStatus};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/projets",
            get(list_projets).post(create_projet),
        )
        .route("/projets/{id}", get(get_projet))
        .route("/projets/{id}/attentes", post(add_attente))
        .route("/projets/{id}/besoins", post(add_besoin))
        .route("/projets/{id}/objectifs", post(add_objectif))
        .route("/projets/{id}/actions", post(add_action))
        .route("/projets/{id}/participants", post(add_participant))
        .route(
            "/projets/{id}/{kind}/{element}",
            put(replace_element).delete(remove_element),
        )
        .route("/projets/{id}/besoins-evalues", post(import_needs))
        .route("/projets/{id}/accords", post(record_accord))
        .route("/projets/{id}/statut", post(change_status))
        .route("/projets/{id}/avenants", post(create_avenant))
        .route("/projets/{id}/bilans", post(record_bilan))
}

/// An attente: what the person wishes, in their own words (kept verbatim).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttenteIn {
    /// Who expressed it: `personne`, `representant`, `famille` or `professionnel`.
    pub origine: String,
    pub texte: String,
    /// The version of the projet read.
    pub version: i64,
}

/// A need: a SERAFIN-PH need (family 1) of the current edition, once per projet.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BesoinIn {
    /// SERAFIN-PH code (`1.2.1.3`).
    pub code: String,
    #[serde(default)]
    pub commentaire: String,
    /// The version of the projet read.
    pub version: i64,
}

/// An objective, addressing one or more needs of the projet.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectifIn {
    pub titre: String,
    /// Ids of the needs addressed (at least one).
    #[serde(default)]
    pub besoins: Vec<u32>,
    /// `YYYY-MM-DD`.
    pub echeance: String,
    pub resultat_attendu: String,
    #[serde(default)]
    pub referent: String,
    /// What the person says of it.
    #[serde(default)]
    pub avis_usager: String,
    /// The version of the projet read.
    pub version: i64,
}

/// An action, serving one or more objectives, with its means and SERAFIN-PH prestations.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    pub libelle: String,
    /// Ids of the objectives served (at least one).
    #[serde(default)]
    pub objectifs: Vec<u32>,
    #[serde(default)]
    pub moyens: String,
    #[serde(default)]
    pub referent: String,
    /// SERAFIN-PH prestation codes (families 2 and 3: `2.2.1`, `3.1.6`…).
    #[serde(default)]
    pub prestations: Vec<String>,
    /// The version of the projet read.
    pub version: i64,
}

/// Someone who takes part in writing the projet.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantIn {
    pub nom: String,
    /// `usager`, `representant`, `famille`, `professionnel` or `partenaire`.
    pub role: String,
    #[serde(default)]
    pub contribution: String,
    /// The version of the projet read.
    pub version: i64,
}

fn ids(ids: Vec<u32>) -> Vec<String> {
    ids.into_iter().map(|i| i.to_string()).collect()
}

impl From<AttenteIn> for (Element, i64) {
    fn from(b: AttenteIn) -> Self {
        let AttenteIn {
            origine,
            texte,
            version,
        } = b;
        (Element::Attente(RawAttente { origine, texte }), version)
    }
}

impl From<BesoinIn> for (Element, i64) {
    fn from(b: BesoinIn) -> Self {
        let BesoinIn {
            code,
            commentaire,
            version,
        } = b;
        (Element::Besoin(RawBesoin { code, commentaire }), version)
    }
}

impl From<ObjectifIn> for (Element, i64) {
    fn from(b: ObjectifIn) -> Self {
        (
            Element::Objectif(RawObjectif {
                titre: b.titre,
                besoins: ids(b.besoins),
                echeance: b.echeance,
                resultat_attendu: b.resultat_attendu,
                referent: b.referent,
                avis_usager: b.avis_usager,
            }),
            b.version,
        )
    }
}

impl From<ActionIn> for (Element, i64) {
    fn from(b: ActionIn) -> Self {
        (
            Element::Action(RawAction {
                libelle: b.libelle,
                objectifs: ids(b.objectifs),
                moyens: b.moyens,
                referent: b.referent,
                prestations: b.prestations,
            }),
            b.version,
        )
    }
}

impl From<ParticipantIn> for (Element, i64) {
    fn from(b: ParticipantIn) -> Self {
        let ParticipantIn {
            nom,
            role,
            contribution,
            version,
        } = b;
        (
            Element::Participant(RawParticipant {
                nom,
                role,
                contribution,
            }),
            version,
        )
    }
}

/// The body of a replacement: the same as the addition of that kind of element (the `kind` of the
/// path says which).
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ElementIn {
    Attente(AttenteIn),
    Besoin(BesoinIn),
    Objectif(ObjectifIn),
    Action(ActionIn),
    Participant(ParticipantIn),
}

impl ElementIn {
    /// Reads the body as the element of `kind`, refusing unknown fields like every other body.
    fn parse(kind: Kind, body: Value) -> ApiResult<ElementIn> {
        fn read<T: DeserializeOwned>(body: Value, f: fn(T) -> ElementIn) -> ApiResult<ElementIn> {
            serde_json::from_value(body).map(f).map_err(|e| {
                AppError::field(
                    "body",
                    format!("Le corps de la requête ne correspond pas au format attendu : {e}"),
                )
                .into()
            })
        }
        match kind {
            Kind::Attente => read(body, ElementIn::Attente),
            Kind::Besoin => read(body, ElementIn::Besoin),
            Kind::Objectif => read(body, ElementIn::Objectif),
            Kind::Action => read(body, ElementIn::Action),
            Kind::Participant => read(body, ElementIn::Participant),
        }
    }
}

impl From<ElementIn> for (Element, i64) {
    fn from(e: ElementIn) -> Self {
        match e {
            ElementIn::Attente(b) => b.into(),
            ElementIn::Besoin(b) => b.into(),
            ElementIn::Objectif(b) => b.into(),
            ElementIn::Action(b) => b.into(),
            ElementIn::Participant(b) => b.into(),
        }
    }
}

/// The kind and id of an element from the path; anything else is not a resource.
fn element_path(kind: &str, element: &str) -> ApiResult<(Kind, u32)> {
    let kind = Kind::parse(kind).ok_or(AppError::NotFound)?;
    let element = element.parse::<u32>().map_err(|_| AppError::NotFound)?;
    Ok((kind, element))
}

/// The projets of a person, newest version first (audited read).
#[utoipa::path(get, path = "/api/v1/usagers/{id}/projets", tag = "projet", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = [ProjetSummary]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_projets(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<Vec<ProjetSummary>>> {
    Ok(Json(state.app.projets(&ctx, id).await?))
}

/// Starts a projet in preparation (`kind`: `PPA`, `PP`, `PPI`…, TDDUI JDV_J367) in an
/// establishment where the person is followed. One projet in preparation or running per
/// establishment: a change of a running projet is an avenant.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/projets", tag = "projet", request_body = RawNewProjet,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_projet(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiJson(b): ApiJson<RawNewProjet>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let pid = state.app.create_projet(&ctx, id, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: pid.to_string(),
        }),
    ))
}

/// One version of a projet: its content with the SERAFIN-PH labels, what is missing before
/// signature (`gaps`), its dated and signed history, accords, bilans, when the next bilan is due,
/// and the avenant that replaces it, if any (audited read). `version` is the one to send back.
#[utoipa::path(get, path = "/api/v1/projets/{id}", tag = "projet", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 200, body = ProjetView), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_projet(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
) -> ApiResult<Json<ProjetView>> {
    Ok(Json(state.app.projet(&ctx, id).await?))
}

/// Adds an element to a projet in preparation (the content of a running projet changes through an
/// avenant). The new element takes the id `max(contenu.next_id, 1)` of the version read.
async fn add(
    state: AppState,
    ctx: parcours_app::Ctx,
    id: ProjetId,
    (element, version): (Element, i64),
) -> ApiResult<StatusCode> {
    state
        .app
        .put_projet_element(&ctx, id, None, &element, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds an attente of the person (verbatim). The new element takes the id
/// `max(contenu.next_id, 1)` of the version read.
#[utoipa::path(post, path = "/api/v1/projets/{id}/attentes", tag = "projet", request_body = AttenteIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_attente(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<AttenteIn>,
) -> ApiResult<StatusCode> {
    add(state, ctx, id, b.into()).await
}

/// Adds a need (SERAFIN-PH family 1). The new element takes the id `max(contenu.next_id, 1)` of
/// the version read.
#[utoipa::path(post, path = "/api/v1/projets/{id}/besoins", tag = "projet", request_body = BesoinIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_besoin(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<BesoinIn>,
) -> ApiResult<StatusCode> {
    add(state, ctx, id, b.into()).await
}

/// Adds an objective addressing needs of the projet. The new element takes the id
/// `max(contenu.next_id, 1)` of the version read.
#[utoipa::path(post, path = "/api/v1/projets/{id}/objectifs", tag = "projet", request_body = ObjectifIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_objectif(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<ObjectifIn>,
) -> ApiResult<StatusCode> {
    add(state, ctx, id, b.into()).await
}

/// Adds an action serving objectives, with its SERAFIN-PH prestations (families 2 and 3). The new
/// element takes the id `max(contenu.next_id, 1)` of the version read.
#[utoipa::path(post, path = "/api/v1/projets/{id}/actions", tag = "projet", request_body = ActionIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_action(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<ActionIn>,
) -> ApiResult<StatusCode> {
    add(state, ctx, id, b.into()).await
}

/// Adds a participant (the person's own participation is role `usager`). The new element takes the
/// id `max(contenu.next_id, 1)` of the version read.
#[utoipa::path(post, path = "/api/v1/projets/{id}/participants", tag = "projet", request_body = ParticipantIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_participant(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<ParticipantIn>,
) -> ApiResult<StatusCode> {
    add(state, ctx, id, b.into()).await
}

/// Replaces an element of a projet in preparation; the body is the one of its addition (`kind`
/// says which). Unknown `kind` or element: 404 / 422 on `id`.
#[utoipa::path(put, path = "/api/v1/projets/{id}/{kind}/{element}", tag = "projet", request_body = ElementIn,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du projet"),
           ("kind" = String, Path, description = "`attentes`, `besoins`, `objectifs`, `actions` ou `participants`"),
           ("element" = u32, Path, description = "Identifiant de l'élément dans le projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn replace_element(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, kind, element)): Path<(ProjetId, String, String)>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<StatusCode> {
    let (kind, existing) = element_path(&kind, &element)?;
    let (element, version) = ElementIn::parse(kind, body)?.into();
    state
        .app
        .put_projet_element(&ctx, id, Some(existing), &element, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// The version of the projet read (required).
    #[serde(default)]
    #[param(value_type = i64, required = true)]
    pub version: String,
}

/// Removes an element of a projet in preparation. A need still addressed by an objective, or an
/// objective still served by an action, is kept (422 on `id`). The removal is a new version of the
/// projet: the previous ones stay in the record's history.
#[utoipa::path(delete, path = "/api/v1/projets/{id}/{kind}/{element}", tag = "projet", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant du projet"),
           ("kind" = String, Path, description = "`attentes`, `besoins`, `objectifs`, `actions` ou `participants`"),
           ("element" = u32, Path, description = "Identifiant de l'élément dans le projet"),
           VersionParams),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_element(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, kind, element)): Path<(ProjetId, String, String)>,
    Query(p): Query<VersionParams>,
) -> ApiResult<StatusCode> {
    let (kind, element) = element_path(&kind, &element)?;
    let version = p.version.trim().parse::<i64>().map_err(|_| {
        AppError::field("version", "Indiquez la version du projet lue : ?version=…")
    })?;
    state
        .app
        .remove_projet_element(&ctx, id, kind, element, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionIn {
    /// The version of the projet read.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ImportedOut {
    /// Needs added (those already in the projet are skipped).
    pub added: usize,
}

/// Adds to a projet in preparation the needs of the person's latest needs evaluation that are not
/// already in it, each with its level and comment. 422 on `evaluation` when there is none.
#[utoipa::path(post, path = "/api/v1/projets/{id}/besoins-evalues", tag = "projet", request_body = VersionIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 200, body = ImportedOut), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn import_needs(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<VersionIn>,
) -> ApiResult<Json<ImportedOut>> {
    let added = state.app.import_needs(&ctx, id, b.version).await?;
    Ok(Json(ImportedOut { added }))
}

/// Records an accord on this version: `partie` `structure` (signed by the acting professional:
/// direction or chef de service) or `usager` (`signatory` `usager` for the person, or the id of the
/// member of the entourage entitled to sign for them today — 422 on `signatory` otherwise).
#[utoipa::path(post, path = "/api/v1/projets/{id}/accords", tag = "projet", request_body = RawAccord,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record_accord(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<RawAccord>,
) -> ApiResult<StatusCode> {
    state.app.record_accord(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the status (`en_cours`, `en_pause`, `termine`; the allowed ones are `next` in the
/// projet). Starting needs an accord of the structure on this version and, for an avenant, ends
/// the version it replaces; pausing and ending need a `note`.
#[utoipa::path(post, path = "/api/v1/projets/{id}/statut", tag = "projet", request_body = RawProjetStatus,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<RawProjetStatus>,
) -> ApiResult<StatusCode> {
    state.app.change_projet_status(&ctx, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AvenantIn {
    /// Why the projet changes.
    pub reason: String,
}

/// Creates an avenant of a running (or paused) projet: a new version in preparation with the
/// content copied. The running version stays in force until the avenant starts.
#[utoipa::path(post, path = "/api/v1/projets/{id}/avenants", tag = "projet", request_body = AvenantIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_avenant(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<AvenantIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let aid = state.app.create_avenant(&ctx, id, &b.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: aid.to_string(),
        }),
    ))
}

/// The assessment of one objective at a bilan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppreciationIn {
    /// Id of the objective in the projet.
    pub objectif: u32,
    /// `atteint`, `partiellement_atteint`, `non_atteint` or `abandonne`.
    pub resultat: String,
    #[serde(default)]
    pub commentaire: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BilanIn {
    /// `YYYY-MM-DD`, not in the future.
    pub date: String,
    /// Every objective of the projet, once.
    #[serde(default)]
    pub appreciations: Vec<AppreciationIn>,
    pub synthese: String,
    /// After this bilan and at most twelve months later.
    pub prochain_bilan: String,
}

impl From<BilanIn> for RawBilan {
    fn from(b: BilanIn) -> Self {
        RawBilan {
            date: b.date,
            appreciations: b
                .appreciations
                .into_iter()
                .map(|a| (a.objectif.to_string(), a.resultat, a.commentaire))
                .collect(),
            synthese: b.synthese,
            prochain_bilan: b.prochain_bilan,
        }
    }
}

/// Records a bilan of a running (or paused) projet: every objective assessed, the next bilan
/// within twelve months.
#[utoipa::path(post, path = "/api/v1/projets/{id}/bilans", tag = "projet", request_body = BilanIn,
    security(("bearer" = [])), params(("id" = String, Path, description = "Identifiant du projet")),
    responses((status = 201, body = Created), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record_bilan(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<ProjetId>,
    ApiJson(b): ApiJson<BilanIn>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let bid = state.app.record_bilan(&ctx, id, &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: bid.to_string(),
        }),
    ))
}
