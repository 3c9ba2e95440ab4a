//! Server-rendered pages (French). Every form posts and redirects (POST-redirect-GET); htmx only
//! enhances (search as you type). One error mapping for the whole page family: [`HtmlError`].

use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use parcours_app::domain::authz::{Action, Decision, DenyReason, Resource, decide};
use parcours_app::domain::error::FieldErrors;
use parcours_app::{AppError, Ctx};
use serde::de::DeserializeOwned;

use crate::AppState;

/// Renders a form page again with its errors (422), or passes other errors on.
macro_rules! form_errors {
    ($result:expr, $ok:expr, |$errors:ident| $page:expr) => {
        match $result {
            Ok(_) => $ok,
            Err(AppError::Validation(e)) => {
                let $errors = Errors(e);
                Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &$page))
            }
            Err(e) => Err(HtmlError(e)),
        }
    };
}

pub mod admin;
pub mod admission;
pub mod aggir;
pub mod ecrit;
pub mod entourage;
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
        .merge(session::router())
        .merge(usager::router())
        .merge(admission::router())
        .merge(entourage::router())
        .merge(partner::router())
        .merge(projet::router())
        .merge(aggir::router())
        .merge(serafin::router())
        .merge(admin::router())
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

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }

    /// The options of a `(code, label)` table.
    pub fn table(t: &[(&str, &str)]) -> Vec<Choice> {
        t.iter().map(|(c, l)| Choice::new(*c, *l)).collect()
    }

    /// The options of a versioned code list of `data/`.
    pub fn codes(list: &parcours_app::domain::codelist::CodeList) -> Vec<Choice> {
        list.codes
            .iter()
            .map(|c| Choice::new(c.code.clone(), c.label.clone()))
            .collect()
    }
}

/// What every page's frame needs: who is logged in and which sections they may open.
pub struct Layout {
    pub user_name: String,
    pub role_label: String,
    pub can_list_usagers: bool,
    pub can_create_usager: bool,
    pub can_admin: bool,
    pub can_view_partners: bool,
    pub can_view_activity: bool,
    /// The relève of the units the professional covers.
    pub can_view_releve: bool,
    /// The cahier de liaison (every role but the administrator).
    pub can_use_liaison: bool,
    pub css: String,
    pub js: String,
    pub htmx: String,
}

impl Layout {
    pub fn for_ctx(ctx: &Ctx) -> Layout {
        let org = Resource::Organisation(ctx.organisation());
        let allowed = |a: Action| decide(&ctx.actor, a, &org) == Decision::Allow;
        Layout {
            user_name: ctx.display_name.clone(),
            role_label: ctx.actor.role.label_fr().to_string(),
            can_list_usagers: allowed(Action::ListUsagers),
            // Creation is decided per placement; the link shows when the role may create somewhere.
            can_create_usager: parcours_app::domain::authz::role_allows(
                ctx.actor.role,
                Action::CreateUsager,
            ),
            can_admin: allowed(Action::ManageStructures) || allowed(Action::ViewStructures),
            can_view_partners: allowed(Action::ViewPartners),
            can_view_activity: parcours_app::domain::authz::role_allows(
                ctx.actor.role,
                Action::ViewEstablishmentActivity,
            ),
            can_view_releve: parcours_app::domain::authz::role_allows(
                ctx.actor.role,
                Action::ReadCareRecord,
            ),
            can_use_liaison: ctx.actor.active
                && parcours_app::domain::authz::role_allows(ctx.actor.role, Action::UseLiaison),
            ..Layout::anonymous()
        }
    }

    pub fn anonymous() -> Layout {
        Layout {
            user_name: String::new(),
            role_label: String::new(),
            can_list_usagers: false,
            can_create_usager: false,
            can_admin: false,
            can_view_partners: false,
            can_view_activity: false,
            can_view_releve: false,
            can_use_liaison: false,
            css: crate::assets::url("app.css"),
            js: crate::assets::url("app.js"),
            htmx: crate::assets::url("htmx.min.js"),
        }
    }

    pub fn logged_in(&self) -> bool {
        !self.user_name.is_empty()
    }
}

/// Renders a template, or a plain error page if rendering fails (never a panic).
pub fn render<T: Template>(t: &T) -> Response {
    render_status(StatusCode::OK, t)
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(error_page("Une erreur interne est survenue.")),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    title: &'a str,
    message: &'a str,
}

/// A minimal error page without session context (used where no `Ctx` exists).
pub fn error_page(message: &str) -> String {
    ErrorPage {
        layout: Layout::anonymous(),
        title: "Erreur",
        message,
    }
    .render()
    .unwrap_or_else(|_| message.to_string())
}

pub fn deny_label(reason: DenyReason) -> &'static str {
    reason.label_fr()
}

/// The error type of every page handler: one mapping from use-case errors to what a professional sees.
#[derive(Debug)]
pub struct HtmlError(pub AppError);

impl From<AppError> for HtmlError {
    fn from(e: AppError) -> Self {
        HtmlError(e)
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        let (status, title, message): (StatusCode, &str, String) = match self.0 {
            AppError::Unauthenticated => return Redirect::to("/connexion").into_response(),
            AppError::Forbidden(reason) => (StatusCode::FORBIDDEN, "Accès refusé", deny_label(reason).to_string()),
            AppError::NotFound => {
                (StatusCode::NOT_FOUND, "Page introuvable", "Cette page ou ce dossier n'existe pas.".to_string())
            }
            AppError::Conflict => (
                StatusCode::CONFLICT,
                "Modification concurrente",
                "Ce dossier a été modifié par quelqu'un d'autre pendant votre saisie. Rouvrez-le pour voir la \
                 dernière version, puis refaites votre modification."
                    .to_string(),
            ),
            AppError::Validation(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Saisie incorrecte",
                errors.0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "),
            ),
            AppError::PossibleDuplicates(_) => (
                StatusCode::CONFLICT,
                "Doublons possibles",
                "Des usagers semblables existent déjà.".to_string(),
            ),
            AppError::Store(e) => {
                tracing::error!(error = %e, "storage error");
                (StatusCode::INTERNAL_SERVER_ERROR, "Erreur", "Une erreur interne est survenue. Réessayez.".to_string())
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "Erreur", "Une erreur interne est survenue. Réessayez.".to_string())
            }
        };
        render_status(
            status,
            &ErrorPage {
                layout: Layout::anonymous(),
                title,
                message: &message,
            },
        )
    }
}

pub type HtmlResult = Result<Response, HtmlError>;

/// A posted form (repeated fields, such as several checkboxes of one name, become a `Vec`) whose
/// rejections (oversized, malformed) become a French error page.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum_extra::extract::Form::<T>::from_request(req, state).await {
            Ok(axum_extra::extract::Form(v)) => Ok(Form(v)),
            Err(rejection) => {
                let (status, message) = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "La requête est trop volumineuse.",
                    )
                } else {
                    (
                        StatusCode::BAD_REQUEST,
                        "Le formulaire envoyé est incomplet ou mal formé.",
                    )
                };
                Err((status, Html(error_page(message))).into_response())
            }
        }
    }
}

/// An HTML checkbox: present when ticked.
pub fn ticked(v: &Option<String>) -> bool {
    v.is_some()
}

/// The checkbox value of a boolean, for re-filling a form.
pub fn tick(b: bool) -> Option<String> {
    b.then(|| "on".to_string())
}

/// Optional date for display (`—` when absent).
pub fn opt_date_fr(d: &Option<jiff::civil::Date>) -> String {
    d.as_ref().map(date_fr).unwrap_or_else(|| "—".to_string())
}

/// Error messages of a form, looked up by field name in templates.
pub struct Errors(pub FieldErrors);

impl Errors {
    pub fn none() -> Errors {
        Errors(FieldErrors::default())
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field)
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    pub fn all(&self) -> Vec<(&'static str, String)> {
        self.0
            .0
            .iter()
            .map(|e| (e.field, e.message.clone()))
            .collect()
    }
}

/// French date for display.
pub fn date_fr(d: &jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// French date and time in Europe/Paris, for display.
pub fn datetime_fr(t: &jiff::Timestamp) -> String {
    match t.in_tz("Europe/Paris") {
        Ok(z) => format!(
            "{:02}/{:02}/{:04} à {:02}h{:02}",
            z.day(),
            z.month(),
            z.year(),
            z.hour(),
            z.minute()
        ),
        Err(_) => t.to_string(),
    }
}

/// The identity banner of a person's pages (reading the record is itself gated and audited).
pub async fn banner(
    state: &AppState,
    ctx: &Ctx,
    id: parcours_app::domain::ids::UsagerId,
) -> Result<usager::Banner, HtmlError> {
    Ok(usager::Banner::of(&state.app.get_usager(ctx, id).await?))
}

/// POST-redirect-GET.
pub fn to(path: String) -> HtmlResult {
    Ok(Redirect::to(&path).into_response())
}

/// `?ok=…`: which confirmation a page shows after a redirect.
#[derive(serde::Deserialize, Default)]
pub struct OkQuery {
    #[serde(default)]
    pub ok: String,
}

/// Refuses (404) a record addressed under another person's URL; see [`parcours_app::App::check_belongs`].
pub async fn belongs(
    state: &AppState,
    ctx: &Ctx,
    owned: parcours_app::records::Owned,
    id: uuid::Uuid,
    usager: parcours_app::domain::ids::UsagerId,
) -> Result<(), HtmlError> {
    Ok(state.app.check_belongs(ctx, owned, id, usager).await?)
}
