//! Pages of the medical documents (under medical secret): filing a document (multipart upload), a
//! document with its versions (correct the metadata, file a new version, withdraw), and the download
//! of any version's file. The list itself is a section of the medical page.
//!
//! The body limit is raised on the two upload routes only ([`UPLOAD_BODY_LIMIT`]); every other form
//! keeps the application's 64 KiB. CSRF is checked by the application-wide Origin / Fetch-Metadata
//! layer like every other form.

use askama::Template;
use axum::Router;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use parcours_app::domain::authz::DenyReason;
use parcours_app::domain::codelist::types_document_medical;
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::medical_document::{FILE_FIELD, MAX_BYTES, RawDocumentMeta};
use parcours_app::medical_document::{DocumentDetail, DocumentDownload, Upload};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;
use uuid::Uuid;

use super::usager::Banner;
use super::{
    Choice, Errors, Form, HtmlError, HtmlResult, Layout, OkQuery, banner, datetime_fr, render,
    render_status, to,
};
use crate::AppState;
use crate::auth::CurrentUser;

/// Largest upload body: the largest file plus room for the form's other fields and the multipart
/// framing. A file between [`MAX_BYTES`] and this limit gets the French message on its field.
pub const UPLOAD_BODY_LIMIT: usize = MAX_BYTES + 1024 * 1024;

/// Longest text field of an upload form (title, date, type, reason): far above what they accept.
const FIELD_MAX: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/medical/documents/nouveau",
            get(new_form)
                .post(add_document)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/usagers/{id}/medical/documents/{did}",
            get(document_page).post(correct),
        )
        .route(
            "/usagers/{id}/medical/documents/{did}/fichier",
            get(download),
        )
        .route(
            "/usagers/{id}/medical/documents/{did}/remplacement",
            post(replace).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/usagers/{id}/medical/documents/{did}/retrait",
            post(withdraw),
        )
}

// ---------------------------------------------------------------------------------------------
// Multipart bodies (shared with the API)

/// The fields of a multipart upload: its text fields and its file.
#[derive(Debug, Default)]
pub(crate) struct Received {
    pub fields: std::collections::HashMap<String, String>,
    pub upload: Upload,
}

impl Received {
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// Why a multipart body could not be read at all (a file that is merely too large is not one).
#[derive(Debug)]
pub(crate) struct Malformed;

/// Reads a multipart body: the text fields (at most [`FIELD_MAX`] bytes each) and the file field
/// [`FILE_FIELD`]. A file over [`MAX_BYTES`] is not kept: it is marked `truncated`, and the rest of
/// the body is read and dropped so that the browser receives the answer.
pub(crate) async fn read_multipart(mut mp: Multipart) -> Result<Received, Malformed> {
    let mut out = Received::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(out),
            Err(e) => return too_large_or_malformed(e, out),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == FILE_FIELD {
            out.upload.filename = field.file_name().unwrap_or("").to_string();
            if let Err(e) = read_file(field, &mut out.upload).await {
                return too_large_or_malformed(e, out);
            }
        } else {
            match read_text(field).await {
                Ok(Some(t)) => {
                    out.fields.insert(name, t);
                }
                Ok(None) => return Err(Malformed),
                Err(e) => return too_large_or_malformed(e, out),
            }
        }
    }
}

/// The body went over [`UPLOAD_BODY_LIMIT`]: answer with the file's error, not a broken page.
fn too_large_or_malformed(e: MultipartError, mut out: Received) -> Result<Received, Malformed> {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        out.upload.truncated = true;
        out.upload.bytes.clear();
        Ok(out)
    } else {
        Err(Malformed)
    }
}

async fn read_file(mut field: Field<'_>, upload: &mut Upload) -> Result<(), MultipartError> {
    while let Some(chunk) = field.chunk().await? {
        if upload.truncated {
            continue;
        }
        if upload.bytes.len() + chunk.len() > MAX_BYTES {
            upload.truncated = true;
            upload.bytes = Vec::new();
        } else {
            upload.bytes.extend_from_slice(&chunk);
        }
    }
    Ok(())
}

async fn read_text(mut field: Field<'_>) -> Result<Option<String>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > FIELD_MAX {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8(bytes).ok())
}

/// A multipart form page body; a malformed body is a French error page (400).
struct MultipartForm(Received);

impl<S: Send + Sync> FromRequest<S> for MultipartForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = || {
            (
                StatusCode::BAD_REQUEST,
                Html(super::error_page(
                    "Le formulaire envoyé est incomplet ou mal formé.",
                )),
            )
                .into_response()
        };
        let mp = Multipart::from_request(req, state)
            .await
            .map_err(|_| bad())?;
        read_multipart(mp)
            .await
            .map(MultipartForm)
            .map_err(|_| bad())
    }
}

/// The file of a document as an attachment, never shown inline: its real type, `nosniff`, no
/// caching, a name built from the title (ASCII, with the UTF-8 name per RFC 6266 / RFC 8187).
pub(crate) fn attachment(d: DocumentDownload) -> Response {
    let ascii: String = d
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = d
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = d.bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(d.media_type.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&d.sha256) {
        h.insert("x-content-sha256", v);
    }
    response
}

fn fr(d: &str) -> String {
    d.parse::<jiff::civil::Date>()
        .map(|d| super::date_fr(&d))
        .unwrap_or_else(|_| d.to_string())
}

/// `1,2 Mo`, `35 ko`: sizes as read on a French screen.
fn size_fr(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} Mo", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
    } else {
        format!("{} ko", n / 1024 + i64::from(n % 1024 != 0))
    }
}

// ---------------------------------------------------------------------------------------------
// Filing a document

#[derive(Deserialize, Default, Clone)]
struct MetaForm {
    #[serde(default)]
    doc_type: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
}

impl MetaForm {
    fn raw(&self) -> RawDocumentMeta {
        RawDocumentMeta {
            doc_type: self.doc_type.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
        }
    }

    fn of(r: &Received) -> MetaForm {
        MetaForm {
            doc_type: r.field("doc_type"),
            title: r.field("title"),
            date: r.field("date"),
            version: r.field("version"),
            reason: r.field("reason"),
        }
    }
}

#[derive(Template)]
#[template(path = "medical_document_form.html")]
struct NewPage {
    layout: Layout,
    banner: Banner,
    form: MetaForm,
    errors: Errors,
    types: Vec<Choice>,
    max_mib: usize,
}

fn new_page(ctx: &Ctx, banner: Banner, form: MetaForm, errors: Errors) -> NewPage {
    NewPage {
        layout: Layout::for_ctx(ctx),
        banner,
        form,
        errors,
        types: Choice::codes(types_document_medical()),
        max_mib: MAX_BYTES / (1024 * 1024),
    }
}

async fn new_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    // Reading the file first: no form for who may not write.
    let file = state.app.medical_file(&ctx, id).await?;
    if !file.can_write {
        return Err(HtmlError(AppError::Forbidden(DenyReason::RoleNotAllowed)));
    }
    let form = MetaForm {
        date: state.app.today().to_string(),
        ..MetaForm::default()
    };
    Ok(render(&new_page(&ctx, banner, form, Errors::none())))
}

async fn add_document(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    MultipartForm(received): MultipartForm,
) -> HtmlResult {
    let form = MetaForm::of(&received);
    match state
        .app
        .add_medical_document(&ctx, id, &form.raw(), &received.upload)
        .await
    {
        Ok(_) => to(format!("/usagers/{id}/medical?ok=document#documents-titre")),
        Err(AppError::Validation(e)) => {
            let banner = banner(&state, &ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_page(&ctx, banner, form, Errors(e)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One document: versions, correction, new file, withdrawal

#[derive(Template)]
#[template(path = "medical_document.html")]
struct DocumentPage {
    layout: Layout,
    banner: Banner,
    doc: DocumentDetail,
    message: Option<&'static str>,
    form: MetaForm,
    errors: Errors,
    types: Vec<Choice>,
    max_mib: usize,
}

impl DocumentPage {
    fn d(&self, s: &str) -> String {
        fr(s)
    }
    fn t(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
    fn size(&self, n: &i64) -> String {
        size_fr(*n)
    }
}

async fn document_page_for(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    did: Uuid,
    message: Option<&'static str>,
    form: Option<MetaForm>,
    errors: Errors,
) -> Result<DocumentPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let doc = state.app.medical_document(ctx, id, did).await?;
    let form = form.unwrap_or_else(|| MetaForm {
        doc_type: doc.item.doc_type.clone(),
        title: doc.item.title.clone(),
        date: doc.item.date.clone(),
        version: doc.item.version.to_string(),
        reason: String::new(),
    });
    Ok(DocumentPage {
        layout: Layout::for_ctx(ctx),
        banner,
        doc,
        message,
        form,
        errors,
        types: Choice::codes(types_document_medical()),
        max_mib: MAX_BYTES / (1024 * 1024),
    })
}

async fn document_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let message = match q.ok.as_str() {
        "correction" => Some("Correction enregistrée ; la version précédente reste consultable."),
        "remplacement" => {
            Some("Nouvelle version du fichier enregistrée ; l'ancienne reste téléchargeable.")
        }
        "retrait" => Some("Document retiré ; il reste conservé et consultable."),
        _ => None,
    };
    let page = document_page_for(&state, &ctx, id, did, message, None, Errors::none()).await?;
    Ok(render(&page))
}

fn version_of(s: &str) -> Result<i64, HtmlError> {
    s.trim().parse().map_err(|_| {
        HtmlError(AppError::field(
            "version",
            "Version manquante : rouvrez la page.",
        ))
    })
}

async fn correct(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    Form(form): Form<MetaForm>,
) -> HtmlResult {
    let version = version_of(&form.version)?;
    match state
        .app
        .correct_medical_document(&ctx, id, did, version, &form.raw(), &form.reason)
        .await
    {
        Ok(()) => to(format!(
            "/usagers/{id}/medical/documents/{did}?ok=correction"
        )),
        Err(AppError::Validation(e)) => {
            let page =
                document_page_for(&state, &ctx, id, did, None, Some(form), Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn replace(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    MultipartForm(received): MultipartForm,
) -> HtmlResult {
    let version = version_of(&received.field("version"))?;
    match state
        .app
        .replace_medical_document(
            &ctx,
            id,
            did,
            version,
            &received.upload,
            &received.field("reason"),
        )
        .await
    {
        Ok(()) => to(format!(
            "/usagers/{id}/medical/documents/{did}?ok=remplacement"
        )),
        Err(AppError::Validation(e)) => {
            let page = document_page_for(&state, &ctx, id, did, None, None, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    Form(form): Form<WithdrawForm>,
) -> HtmlResult {
    match state
        .app
        .withdraw_medical_document(&ctx, id, did, &form.reason)
        .await
    {
        Ok(()) => to(format!("/usagers/{id}/medical/documents/{did}?ok=retrait")),
        Err(AppError::Validation(e)) => {
            let page = document_page_for(&state, &ctx, id, did, None, None, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct VersionQuery {
    #[serde(default)]
    version: Option<i64>,
}

async fn download(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, did)): Path<(UsagerId, Uuid)>,
    Query(q): Query<VersionQuery>,
) -> HtmlResult {
    let file = state
        .app
        .medical_document_file(&ctx, id, did, q.version)
        .await?;
    Ok(attachment(file))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shows_sizes_in_french() {
        assert_eq!(size_fr(1), "1 ko");
        assert_eq!(size_fr(1536 * 1024), "1,5 Mo");
    }
}
