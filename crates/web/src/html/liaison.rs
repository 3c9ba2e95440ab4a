//! The cahier de liaison, made for a tablet: the notebook (filters, unread first, open follow-up
//! items, the write form), a message's page (readers, follow-up items, versions, correction,
//! removal), and the person's tab with the messages about them. Every change is a POST that comes
//! back (redirect) to the page it was made from.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use jiff::Timestamp;
use parcours_app::domain::ids::{LiaisonMessageId, LiaisonSuiviId, UsagerId};
use parcours_app::domain::liaison::{RawMessage, RawSuivi};
use parcours_app::liaison::{
    AssigneeChoice, MessageDetail, Notebook, NotebookFilter, PersonLiaison,
};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{Errors, Form, HtmlResult, Layout, banner, datetime_fr, render, render_status, to};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/liaison", get(notebook_page).post(write_message))
        .route("/liaison/{id}", get(message_page))
        .route("/liaison/{id}/lu", post(mark_read))
        .route("/liaison/{id}/correction", post(correct_message))
        .route("/liaison/{id}/retrait", post(remove_message))
        .route("/liaison/suivis/{id}", post(set_suivi))
        .route(
            "/usagers/{id}/liaison",
            get(person_page).post(write_person_message),
        )
}

/// The hint every write form shows: the notebook is not the place for medical information.
pub const SECRET_HINT: &str = "Message d'organisation entre professionnels : pas d'information couverte par le secret médical (elle va dans le dossier médical).";

/// The write form, flat as an HTML form sends it (three follow-up rows).
#[derive(Deserialize, Default, Clone)]
struct MessageForm {
    #[serde(default)]
    destination: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    important: String,
    #[serde(default)]
    suivi_1_texte: String,
    #[serde(default)]
    suivi_1_echeance: String,
    #[serde(default)]
    suivi_1_assigne: String,
    #[serde(default)]
    suivi_2_texte: String,
    #[serde(default)]
    suivi_2_echeance: String,
    #[serde(default)]
    suivi_2_assigne: String,
    #[serde(default)]
    suivi_3_texte: String,
    #[serde(default)]
    suivi_3_echeance: String,
    #[serde(default)]
    suivi_3_assigne: String,
}

/// One follow-up row of the form, for the template.
struct SuiviRow {
    n: usize,
    texte: String,
    echeance: String,
    assigne: String,
}

impl MessageForm {
    fn raw(&self) -> RawMessage {
        let s = |texte: &str, echeance: &str, assigne: &str| RawSuivi {
            texte: texte.into(),
            echeance: echeance.into(),
            assigne: assigne.into(),
        };
        RawMessage {
            destination: self.destination.clone(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            important: self.important.clone(),
            reason: String::new(),
            // Kept in place (blank rows included) so that errors name the row typed in.
            suivis: vec![
                s(
                    &self.suivi_1_texte,
                    &self.suivi_1_echeance,
                    &self.suivi_1_assigne,
                ),
                s(
                    &self.suivi_2_texte,
                    &self.suivi_2_echeance,
                    &self.suivi_2_assigne,
                ),
                s(
                    &self.suivi_3_texte,
                    &self.suivi_3_echeance,
                    &self.suivi_3_assigne,
                ),
            ],
        }
    }

    fn rows(&self) -> Vec<SuiviRow> {
        [
            (
                &self.suivi_1_texte,
                &self.suivi_1_echeance,
                &self.suivi_1_assigne,
            ),
            (
                &self.suivi_2_texte,
                &self.suivi_2_echeance,
                &self.suivi_2_assigne,
            ),
            (
                &self.suivi_3_texte,
                &self.suivi_3_echeance,
                &self.suivi_3_assigne,
            ),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (t, e, a))| SuiviRow {
            n: i + 1,
            texte: t.clone(),
            echeance: e.clone(),
            assigne: a.clone(),
        })
        .collect()
    }
}

/// `?destination=…&non_lus=1&a_faire=1&ok=…`
#[derive(Deserialize, Default)]
struct NotebookQuery {
    #[serde(default)]
    destination: String,
    #[serde(default)]
    non_lus: String,
    #[serde(default)]
    a_faire: String,
    #[serde(default)]
    ok: String,
}

fn confirmation(ok: &str) -> Option<&'static str> {
    match ok {
        "ecrit" => Some("Message enregistré."),
        "lu" => Some("Message marqué comme lu."),
        "fait" => Some("Chose à faire marquée comme faite."),
        "a-faire" => Some("Chose à faire remise à faire."),
        "corrige" => Some("Correction enregistrée : la version précédente reste lisible."),
        "retire" => Some("Message retiré : il reste lisible ici avec le motif du retrait."),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "liaison.html")]
struct NotebookPage {
    layout: Layout,
    message: Option<&'static str>,
    nb: Notebook,
    filter_destination: String,
    unread_only: bool,
    open_only: bool,
    /// This page's URL, where changes come back to.
    retour: String,
    form: MessageForm,
    rows: Vec<SuiviRow>,
    errors: Errors,
    hint: &'static str,
    assignees: Vec<AssigneeChoice>,
}

impl NotebookPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

fn notebook_url(q: &NotebookQuery) -> String {
    let mut params = Vec::new();
    if !q.destination.trim().is_empty() {
        params.push(format!(
            "destination={}",
            q.destination.trim().replace(':', "%3A")
        ));
    }
    if q.non_lus == "1" {
        params.push("non_lus=1".to_string());
    }
    if q.a_faire == "1" {
        params.push("a_faire=1".to_string());
    }
    if params.is_empty() {
        "/liaison".to_string()
    } else {
        format!("/liaison?{}", params.join("&"))
    }
}

async fn notebook(
    state: &AppState,
    ctx: &Ctx,
    q: &NotebookQuery,
    form: MessageForm,
    errors: Errors,
) -> Result<NotebookPage, super::HtmlError> {
    let filter = NotebookFilter {
        destination: Some(q.destination.clone()).filter(|s| !s.trim().is_empty()),
        unread_only: q.non_lus == "1",
        open_only: q.a_faire == "1",
    };
    let nb = state.app.notebook(ctx, &filter).await?;
    Ok(NotebookPage {
        layout: Layout::for_ctx(ctx),
        message: confirmation(&q.ok),
        filter_destination: q.destination.trim().to_string(),
        unread_only: filter.unread_only,
        open_only: filter.open_only,
        retour: notebook_url(q),
        rows: form.rows(),
        form,
        errors,
        hint: SECRET_HINT,
        assignees: nb.assignees.clone(),
        nb,
    })
}

async fn notebook_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(q): Query<NotebookQuery>,
) -> HtmlResult {
    Ok(render(
        &notebook(&state, &ctx, &q, MessageForm::default(), Errors::none()).await?,
    ))
}

async fn write_message(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<MessageForm>,
) -> HtmlResult {
    match state.app.write_liaison(&ctx, &form.raw()).await {
        Ok(_) => to("/liaison?ok=ecrit".into()),
        Err(AppError::Validation(e)) => {
            let page = notebook(&state, &ctx, &NotebookQuery::default(), form, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "usager_liaison.html")]
struct PersonPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    p: PersonLiaison,
    retour: String,
    form: MessageForm,
    rows: Vec<SuiviRow>,
    errors: Errors,
    hint: &'static str,
    assignees: Vec<AssigneeChoice>,
}

impl PersonPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn person(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    ok: &str,
    form: MessageForm,
    errors: Errors,
) -> Result<PersonPage, super::HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let p = state.app.person_liaison(ctx, id).await?;
    Ok(PersonPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message: confirmation(ok),
        retour: format!("/usagers/{id}/liaison"),
        rows: form.rows(),
        form,
        errors,
        hint: SECRET_HINT,
        assignees: p.assignees.clone(),
        p,
    })
}

#[derive(Deserialize, Default)]
struct OkOnly {
    #[serde(default)]
    ok: String,
}

async fn person_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkOnly>,
) -> HtmlResult {
    Ok(render(
        &person(
            &state,
            &ctx,
            id,
            &q.ok,
            MessageForm::default(),
            Errors::none(),
        )
        .await?,
    ))
}

async fn write_person_message(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(mut form): Form<MessageForm>,
) -> HtmlResult {
    // The destination is the person of the URL, whatever the form says.
    form.destination = format!("usager:{id}");
    match state.app.write_liaison(&ctx, &form.raw()).await {
        Ok(_) => to(format!("/usagers/{id}/liaison?ok=ecrit")),
        Err(AppError::Validation(e)) => {
            let page = person(&state, &ctx, id, "", form, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// The correction form: the content, its reason and the version it starts from.
#[derive(Deserialize, Default, Clone)]
struct CorrectionForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    important: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize, Default, Clone)]
struct RemovalForm {
    #[serde(default)]
    removal_reason: String,
}

#[derive(Template)]
#[template(path = "liaison_message.html")]
struct MessagePage {
    layout: Layout,
    message: Option<&'static str>,
    d: MessageDetail,
    retour: String,
    form: CorrectionForm,
    removal: RemovalForm,
    errors: Errors,
}

impl MessagePage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn message(
    state: &AppState,
    ctx: &Ctx,
    id: LiaisonMessageId,
    ok: &str,
    form: Option<CorrectionForm>,
    removal: RemovalForm,
    errors: Errors,
) -> Result<MessagePage, super::HtmlError> {
    let d = state.app.liaison_message(ctx, id).await?;
    let m = &d.message;
    let form = form.unwrap_or_else(|| CorrectionForm {
        version: m.version,
        subject: m.subject.clone(),
        body: m.body.clone(),
        important: if m.important {
            "on".into()
        } else {
            String::new()
        },
        reason: String::new(),
    });
    Ok(MessagePage {
        layout: Layout::for_ctx(ctx),
        message: confirmation(ok),
        retour: format!("/liaison/{id}"),
        form,
        removal,
        errors,
        d,
    })
}

async fn message_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<LiaisonMessageId>,
    Query(q): Query<OkOnly>,
) -> HtmlResult {
    Ok(render(
        &message(
            &state,
            &ctx,
            id,
            &q.ok,
            None,
            RemovalForm::default(),
            Errors::none(),
        )
        .await?,
    ))
}

async fn correct_message(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<LiaisonMessageId>,
    Form(form): Form<CorrectionForm>,
) -> HtmlResult {
    let raw = RawMessage {
        subject: form.subject.clone(),
        body: form.body.clone(),
        important: form.important.clone(),
        reason: form.reason.clone(),
        ..RawMessage::default()
    };
    match state
        .app
        .correct_liaison(&ctx, id, form.version, &raw)
        .await
    {
        Ok(_) => to(format!("/liaison/{id}?ok=corrige")),
        Err(AppError::Validation(e)) => {
            let page = message(
                &state,
                &ctx,
                id,
                "",
                Some(form),
                RemovalForm::default(),
                Errors(e),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove_message(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<LiaisonMessageId>,
    Form(form): Form<RemovalForm>,
) -> HtmlResult {
    match state
        .app
        .remove_liaison(&ctx, id, &form.removal_reason)
        .await
    {
        Ok(_) => to(format!("/liaison/{id}?ok=retire")),
        Err(AppError::Validation(e)) => {
            let page = message(&state, &ctx, id, "", None, form, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// Where a change comes back to: a path of this site (a notebook, a message, a person's tab),
/// never another site.
#[derive(Deserialize, Default)]
struct BackForm {
    #[serde(default)]
    retour: String,
    #[serde(default)]
    done: String,
    #[serde(default)]
    seq: i64,
}

fn back(retour: &str, ok: &str) -> String {
    let r = retour.trim();
    let safe = (r.starts_with("/liaison") || r.starts_with("/usagers/"))
        && !r.contains("//")
        && !r.contains('\\')
        && !r.contains("ok=");
    let base = if safe { r } else { "/liaison" };
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}ok={ok}")
}

async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<LiaisonMessageId>,
    Form(f): Form<BackForm>,
) -> HtmlResult {
    state.app.mark_liaison_read(&ctx, id).await?;
    to(back(&f.retour, "lu"))
}

async fn set_suivi(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<LiaisonSuiviId>,
    Form(f): Form<BackForm>,
) -> HtmlResult {
    let done = f.done == "1";
    state.app.set_liaison_suivi(&ctx, id, done, f.seq).await?;
    to(back(&f.retour, if done { "fait" } else { "a-faire" }))
}
