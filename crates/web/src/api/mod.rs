//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//!
//! Bodies are strict: unknown fields are refused. Every error has the same shape,
//! `{"errors": {"field": ["message"]}}`, with stable field names (those of the request bodies, plus
//! `body`, `session`, `authorization`, `resource`, `version`, `duplicates`, `origin`).

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use parcours_app::AppError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

use crate::AppState;

pub mod admin;
pub mod admission;
pub mod aggir;
pub mod ecrit;
pub mod entourage;
pub mod evaluation;
pub mod liaison;
pub mod medical;
pub mod medical_document;
pub mod partner;
pub mod plan_soins;
pub mod projet;
pub mod search;
pub mod serafin;
pub mod session;
pub mod soins;
pub mod timeline;
pub mod transmission;
pub mod usager;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .merge(session::router())
        .merge(usager::router())
        .merge(admin::router())
        .merge(aggir::router())
        .merge(admission::router())
        .merge(entourage::router())
        .merge(partner::router())
        .merge(serafin::router())
        .merge(projet::router())
        .merge(evaluation::router())
        .merge(medical::router())
        .merge(medical_document::router())
        .merge(soins::router())
        .merge(plan_soins::router())
        .merge(transmission::router())
        .merge(search::router())
        .merge(ecrit::router())
        .merge(liaison::router())
        .merge(timeline::router())
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Parcours API", version = "1", description = "API du dossier usager informatisé Parcours. \
        Authentification : `POST /api/v1/session` puis `Authorization: Bearer <token>`."),
    paths(
        session::create_session, session::delete_session,
        usager::list, usager::create, usager::get_one, usager::update, usager::change_status, usager::access,
        admin::update_organisation,
        aggir::compute_aggir,
        admin::list_structures, admin::create_etablissement, admin::update_etablissement,
        admin::create_unite, admin::update_unite, admin::list_accounts, admin::create_account, admin::update_account,
        admission::create_request, admission::admission_file, admission::change_request_status, admission::admit,
        admission::update_sejour, admission::cancel_sejour, admission::change_modality,
        admission::create_contrat, admission::update_contrat, admission::create_decision, admission::update_decision,
        admission::waiting_list, admission::occupancy, admission::set_modality_capacity, admission::home_board,
        entourage::entourage_file, entourage::create_proche, entourage::update_proche,
        entourage::create_mesure, entourage::update_mesure, entourage::create_lien, entourage::update_lien,
        entourage::consents, entourage::record_consent, entourage::may,
        partner::search_partners, partner::get_partner, partner::create_partner, partner::update_partner,
        serafin::list_concepts, serafin::get_concept,
        projet::list_projets, projet::create_projet, projet::get_projet, projet::add_attente,
        projet::add_besoin, projet::add_objectif, projet::add_action, projet::add_participant,
        projet::replace_element, projet::remove_element, projet::import_needs, projet::record_accord,
        projet::change_status, projet::create_avenant, projet::record_bilan,
        evaluation::list_evaluations, evaluation::record_needs_evaluation, evaluation::record_aggir,
        evaluation::aggir_detail, evaluation::cancel_evaluation, evaluation::gmp,
        medical::medical_file, medical::add_entry, medical::correct_entry, medical::resolve_allergy,
        medical::set_treatments, medical::access_settings, medical::set_access,
        medical::list_delegations, medical::grant_delegation, medical::revoke_delegation,
        medical::break_glass, medical::review_queue, medical::review,
        medical_document::list_documents, medical_document::add_document, medical_document::get_document,
        medical_document::download_document, medical_document::correct_document,
        medical_document::replace_document, medical_document::withdraw_document,
        soins::record_releve, soins::summary, soins::series, soins::cancel_mesure, soins::correct_mesure,
        plan_soins::plan, plan_soins::create_tache, plan_soins::update_tache, plan_soins::stop_tache,
        plan_soins::record_realisation, plan_soins::unit_day,
        transmission::write_transmission, transmission::list_transmissions, transmission::get_transmission,
        transmission::correct_transmission, transmission::mark_read, transmission::releve, transmission::mark_all_read,
        search::search,
        ecrit::write_ecrit, ecrit::list_ecrits, ecrit::get_ecrit, ecrit::correct_ecrit, ecrit::withdraw_ecrit,
        liaison::notebook, liaison::write_message, liaison::get_message, liaison::mark_read,
        liaison::correct_message, liaison::remove_message, liaison::set_suivi, liaison::person_messages,
        timeline::timeline,
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// The error body of every API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Messages (in French) per field name.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Possible duplicates, when a creation needs confirmation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<Vec<usager::UsagerItem>>,
}

pub fn error_response(status: StatusCode, field: &str, message: &str) -> Response {
    let mut errors = BTreeMap::new();
    errors.insert(field.to_string(), vec![message.to_string()]);
    (
        status,
        Json(ErrorBody {
            errors,
            duplicates: None,
        }),
    )
        .into_response()
}

/// The error type of every API handler: one mapping from use-case errors to JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.0 {
            AppError::Validation(fields) => {
                let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for e in fields.0 {
                    errors
                        .entry(e.field.to_string())
                        .or_default()
                        .push(e.message);
                }
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(ErrorBody {
                        errors,
                        duplicates: None,
                    }),
                )
                    .into_response()
            }
            AppError::Unauthenticated => error_response(
                StatusCode::UNAUTHORIZED,
                "session",
                "Session absente, expirée ou révoquée : reconnectez-vous.",
            ),
            AppError::Forbidden(reason) => {
                error_response(StatusCode::FORBIDDEN, "authorization", reason.label_fr())
            }
            AppError::NotFound => {
                error_response(StatusCode::NOT_FOUND, "resource", "Ressource introuvable.")
            }
            AppError::Conflict => error_response(
                StatusCode::CONFLICT,
                "version",
                "La ressource a été modifiée entre-temps : relisez-la puis refaites la modification.",
            ),
            AppError::PossibleDuplicates(items) => {
                let mut errors = BTreeMap::new();
                errors.insert(
                    "duplicates".to_string(),
                    vec!["Des usagers semblables existent : confirmez avec \"confirm_not_duplicate\": true.".to_string()],
                );
                let duplicates = Some(items.into_iter().map(usager::UsagerItem::from).collect());
                (StatusCode::CONFLICT, Json(ErrorBody { errors, duplicates })).into_response()
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "storage error");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server",
                    "Erreur interne.",
                )
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                error_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server",
                    "Erreur interne.",
                )
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `axum::Json` whose rejections are answered in the API's error shape, in French: malformed JSON,
/// unknown or missing fields, wrong content type, oversized body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => error_response(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "body",
                    &format!(
                        "Le corps de la requête ne correspond pas au format attendu : {}",
                        e.body_text()
                    ),
                ),
                JsonRejection::JsonSyntaxError(_) => error_response(
                    StatusCode::BAD_REQUEST,
                    "body",
                    "Le corps de la requête n'est pas un JSON valide.",
                ),
                JsonRejection::MissingJsonContentType(_) => error_response(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "body",
                    "Le corps de la requête doit être envoyé avec Content-Type: application/json.",
                ),
                JsonRejection::BytesRejection(_) => error_response(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body",
                    "Le corps de la requête est trop volumineux.",
                ),
                _ => error_response(StatusCode::BAD_REQUEST, "body", "Requête invalide."),
            }),
        }
    }
}
