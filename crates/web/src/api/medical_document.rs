//! Medical documents over the API (medical secret: every call gated and audited like the pages).
//! Uploads are `multipart/form-data` with the fields `doc_type`, `title`, `date` and the file in
//! `fichier`; the body limit is raised on the upload routes only.

use axum::extract::multipart::Multipart;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::medical_document::RawDocumentMeta;
use parcours_app::medical_document::{DocumentDetail, DocumentItem};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::admin::Created;
use super::{ApiJson, ApiResult, ErrorBody, error_response};
use crate::AppState;
use crate::auth::ApiUser;
use crate::html::medical_document::{Received, UPLOAD_BODY_LIMIT, attachment, read_multipart};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/dossier-medical/documents",
            get(list_documents)
                .post(add_document)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/usagers/{id}/dossier-medical/documents/{did}",
            get(get_document).put(correct_document),
        )
        .route(
            "/usagers/{id}/dossier-medical/documents/{did}/contenu",
            get(download_document),
        )
        .route(
            "/usagers/{id}/dossier-medical/documents/{did}/remplacement",
            post(replace_document).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/usagers/{id}/dossier-medical/documents/{did}/retrait",
            post(withdraw_document),
        )
}

/// A multipart body read, or the API's error shape.
pub struct ApiMultipart(Received);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = || {
            error_response(
                StatusCode::BAD_REQUEST,
                "body",
                "Le corps de la requête doit être un formulaire multipart/form-data valide.",
            )
        };
        let mp = Multipart::from_request(req, state)
            .await
            .map_err(|_| bad())?;
        read_multipart(mp)
            .await
            .map(ApiMultipart)
            .map_err(|_| bad())
    }
}

/// The form of an upload, for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// A code of `data/types-document-medical.csv` (`cr_hospitalisation`, `ordonnance`…).
    doc_type: String,
    title: String,
    /// `YYYY-MM-DD`, not in the future.
    date: String,
    /// The file: PDF, JPEG or PNG (recognised by its content), 10 MiB at most.
    #[schema(value_type = String, format = Binary)]
    fichier: Vec<u8>,
}

/// The new file of a document, for the OpenAPI document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReplaceForm {
    /// The version replaced (a concurrent change answers 409).
    version: i64,
    reason: Option<String>,
    #[schema(value_type = String, format = Binary)]
    fichier: Vec<u8>,
}

/// The medical documents of a person, newest first (withdrawn ones included, marked); never their
/// bytes. Refused (403) to roles without medical access; audited.
#[utoipa::path(get, path = "/api/v1/usagers/{id}/dossier-medical/documents", tag = "medical",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    responses((status = 200, body = [DocumentItem]), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn list_documents(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
) -> ApiResult<Json<Vec<DocumentItem>>> {
    Ok(Json(state.app.medical_documents(&ctx, id).await?))
}

/// Files a document in the person's medical file (`multipart/form-data`). The file's type is read
/// from its content; anything but PDF, JPEG or PNG, or over 10 MiB, answers 422 on `fichier`.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/dossier-medical/documents", tag = "medical",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn add_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path(id): Path<UsagerId>,
    ApiMultipart(r): ApiMultipart,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let raw = RawDocumentMeta {
        doc_type: r.field("doc_type"),
        title: r.field("title"),
        date: r.field("date"),
    };
    let did = state
        .app
        .add_medical_document(&ctx, id, &raw, &r.upload)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: did.to_string(),
        }),
    ))
}

/// A document with every version (oldest first). Audited.
#[utoipa::path(get, path = "/api/v1/usagers/{id}/dossier-medical/documents/{did}", tag = "medical",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("did" = String, Path, description = "Identifiant du document")),
    responses((status = 200, body = DocumentDetail), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
) -> ApiResult<Json<DocumentDetail>> {
    Ok(Json(state.app.medical_document(&ctx, id, did).await?))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct VersionQuery {
    /// The version whose file is wanted (the current one when absent).
    #[serde(default)]
    version: Option<i64>,
}

/// The file of a document (current version, or `?version=n`), as an attachment with its real
/// content type, `Cache-Control: no-store` and its SHA-256 in `X-Content-Sha256`. Audited.
#[utoipa::path(get, path = "/api/v1/usagers/{id}/dossier-medical/documents/{did}/contenu", tag = "medical",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("did" = String, Path, description = "Identifiant du document"), VersionQuery),
    responses((status = 200, description = "Le fichier (application/pdf, image/jpeg ou image/png)"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    Query(q): Query<VersionQuery>,
) -> ApiResult<Response> {
    let file = state
        .app
        .medical_document_file(&ctx, id, did, q.version)
        .await?;
    Ok(attachment(file).into_response())
}

/// A correction of a document's type, title or date: a new version with the same file.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionIn {
    /// The version corrected (a concurrent change answers 409).
    pub version: i64,
    pub doc_type: String,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub reason: String,
}

/// Corrects a document's metadata (a new version; the previous ones stay readable).
#[utoipa::path(put, path = "/api/v1/usagers/{id}/dossier-medical/documents/{did}", tag = "medical",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("did" = String, Path, description = "Identifiant du document")),
    request_body = CorrectionIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    ApiJson(body): ApiJson<CorrectionIn>,
) -> ApiResult<StatusCode> {
    let raw = RawDocumentMeta {
        doc_type: body.doc_type,
        title: body.title,
        date: body.date,
    };
    state
        .app
        .correct_medical_document(&ctx, id, did, body.version, &raw, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Files a new version of a document's file (`multipart/form-data`: `version`, `reason`,
/// `fichier`); every earlier file stays downloadable.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/dossier-medical/documents/{did}/remplacement",
    tag = "medical", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("did" = String, Path, description = "Identifiant du document")),
    request_body(content = ReplaceForm, content_type = "multipart/form-data"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    ApiMultipart(r): ApiMultipart,
) -> ApiResult<Response> {
    let Ok(version) = r.field("version").trim().parse::<i64>() else {
        return Ok(error_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            "version",
            "Indiquez la version remplacée.",
        ));
    };
    state
        .app
        .replace_medical_document(&ctx, id, did, version, &r.upload, &r.field("reason"))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Why a document is withdrawn.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalIn {
    pub reason: String,
}

/// Withdraws a document: it stays kept and readable, marked withdrawn with the reason.
#[utoipa::path(post, path = "/api/v1/usagers/{id}/dossier-medical/documents/{did}/retrait",
    tag = "medical", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'usager"),
           ("did" = String, Path, description = "Identifiant du document")),
    request_body = WithdrawalIn,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn withdraw_document(
    State(state): State<AppState>,
    ApiUser(ctx): ApiUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    ApiJson(body): ApiJson<WithdrawalIn>,
) -> ApiResult<StatusCode> {
    state
        .app
        .withdraw_medical_document(&ctx, id, did, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
