//! Transmissions ciblées (DAR) of a person, made for a tablet: the form (cible, category, D/A/R,
//! important), the list newest first with a keyset "older" link, a transmission's versions with
//! the correction form; and the relève of a unit with read receipts (one tap per transmission, or
//! all at once).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use jiff::Timestamp;
use parcours_app::domain::codelist::cibles_transmission;
use parcours_app::domain::ids::{TransmissionId, UniteId, UsagerId};
use parcours_app::domain::transmission::RawTransmission;
use parcours_app::transmission::{Releve, TransmissionHistory, TransmissionList};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{Choice, Errors, Form, HtmlResult, Layout, banner, datetime_fr, render};
use super::{render_status, to};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/transmissions",
            get(list_page).post(write_transmission),
        )
        .route("/transmissions/{tid}", get(history_page))
        .route(
            "/transmissions/{tid}/correction",
            post(correct_transmission),
        )
        .route("/transmissions/{tid}/lu", post(mark_read))
        .route("/releve", get(releve_page))
        .route("/releve/tout-lu", post(mark_all_read))
}

/// `?apres=…` (the cursor of the next page), `?ok=…` after a write.
#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    apres: String,
    #[serde(default)]
    ok: String,
}

#[derive(Template)]
#[template(path = "transmissions.html")]
struct ListPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    list: TransmissionList,
    cibles: Vec<Choice>,
    categories: Vec<Choice>,
    form: RawTransmission,
    errors: Errors,
    older: bool,
}

impl ListPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn list(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    q: &ListQuery,
    form: RawTransmission,
    errors: Errors,
) -> Result<ListPage, super::HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let after = Some(q.apres.as_str()).filter(|s| !s.is_empty());
    let list = state.app.transmissions(ctx, id, after).await?;
    let categories = list
        .writable
        .iter()
        .map(|c| Choice::new(c.code(), c.label_fr()))
        .collect();
    Ok(ListPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message: match q.ok.as_str() {
            "ecrite" => Some("Transmission enregistrée."),
            _ => None,
        },
        cibles: Choice::codes(cibles_transmission()),
        categories,
        form,
        errors,
        older: after.is_some(),
        list,
    })
}

async fn list_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<ListQuery>,
) -> HtmlResult {
    let form = RawTransmission {
        category: "soins".into(),
        ..RawTransmission::default()
    };
    Ok(render(
        &list(&state, &ctx, id, &q, form, Errors::none()).await?,
    ))
}

async fn write_transmission(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(raw): Form<RawTransmission>,
) -> HtmlResult {
    match state.app.write_transmission(&ctx, id, &raw).await {
        Ok(_) => to(format!("/usagers/{id}/transmissions?ok=ecrite")),
        Err(AppError::Validation(e)) => {
            let page = list(&state, &ctx, id, &ListQuery::default(), raw, Errors(e)).await?;
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
    cible: String,
    #[serde(default)]
    donnees: String,
    #[serde(default)]
    actions: String,
    #[serde(default)]
    resultats: String,
    #[serde(default)]
    important: String,
    #[serde(default)]
    reason: String,
}

impl From<CorrectionForm> for RawTransmission {
    fn from(f: CorrectionForm) -> Self {
        RawTransmission {
            cible: f.cible,
            category: String::new(),
            donnees: f.donnees,
            actions: f.actions,
            resultats: f.resultats,
            important: f.important,
            reason: f.reason,
        }
    }
}

#[derive(Template)]
#[template(path = "transmission.html")]
struct HistoryPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    h: TransmissionHistory,
    cibles: Vec<Choice>,
    form: CorrectionForm,
    errors: Errors,
}

impl HistoryPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn history(
    state: &AppState,
    ctx: &Ctx,
    tid: TransmissionId,
    message: Option<&'static str>,
    form: Option<CorrectionForm>,
    errors: Errors,
) -> Result<HistoryPage, super::HtmlError> {
    let h = state.app.transmission_history(ctx, tid).await?;
    let banner = banner(state, ctx, h.transmission.usager).await?;
    let t = &h.transmission;
    let form = form.unwrap_or_else(|| CorrectionForm {
        version: t.version,
        cible: t.cible.clone(),
        donnees: t.donnees.clone(),
        actions: t.actions.clone().unwrap_or_default(),
        resultats: t.resultats.clone().unwrap_or_default(),
        important: if t.important {
            "on".into()
        } else {
            String::new()
        },
        reason: String::new(),
    });
    Ok(HistoryPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message,
        cibles: Choice::codes(cibles_transmission()),
        form,
        errors,
        h,
    })
}

async fn history_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<TransmissionId>,
    Query(q): Query<ListQuery>,
) -> HtmlResult {
    let message = match q.ok.as_str() {
        "corrigee" => Some("Correction enregistrée : la version précédente reste lisible."),
        _ => None,
    };
    Ok(render(
        &history(&state, &ctx, tid, message, None, Errors::none()).await?,
    ))
}

async fn correct_transmission(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<TransmissionId>,
    Form(form): Form<CorrectionForm>,
) -> HtmlResult {
    let raw: RawTransmission = form.clone().into();
    match state
        .app
        .correct_transmission(&ctx, tid, form.version, &raw)
        .await
    {
        Ok(_) => to(format!("/transmissions/{tid}?ok=corrigee")),
        Err(AppError::Validation(e)) => {
            let page = history(&state, &ctx, tid, None, Some(form), Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// `?unite=…&depuis=…` (`YYYY-MM-DDTHH:MM`, Paris time, or an RFC 3339 instant); `?ok=…`.
#[derive(Deserialize, Default)]
struct ReleveQuery {
    #[serde(default)]
    unite: String,
    #[serde(default)]
    depuis: String,
    #[serde(default)]
    ok: String,
}

/// A time typed in a form: `YYYY-MM-DDTHH:MM` in Paris time, or an RFC 3339 instant.
fn parse_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    s.parse::<Timestamp>().ok().or_else(|| {
        s.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.in_tz("Europe/Paris").ok())
            .map(|z| z.timestamp())
    })
}

/// `YYYY-MM-DDTHH:MM` in Paris time, for a `datetime-local` input.
fn local_input(t: &Timestamp) -> String {
    t.in_tz("Europe/Paris")
        .map(|z| z.datetime().strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

fn unite_of(s: &str) -> Result<Option<UniteId>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<uuid::Uuid>()
        .map(|u| Some(UniteId::from_uuid(u)))
        .map_err(|_| AppError::NotFound)
}

#[derive(Template)]
#[template(path = "releve.html")]
struct RelevePage {
    layout: Layout,
    message: Option<&'static str>,
    r: Releve,
    since_input: String,
    since_exact: String,
    /// The reader chose the start: marking as read comes back to the same view.
    explicit: bool,
}

impl RelevePage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn releve_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(q): Query<ReleveQuery>,
) -> HtmlResult {
    let unite = unite_of(&q.unite)?;
    let since = parse_time(&q.depuis);
    let r = state.app.releve(&ctx, unite, since).await?;
    let message = match q.ok.as_str() {
        "lu" => Some("Transmission marquée comme lue."),
        "tout-lu" => Some("Toutes les transmissions de la relève sont marquées comme lues."),
        _ => None,
    };
    Ok(render(&RelevePage {
        layout: Layout::for_ctx(&ctx),
        message,
        since_input: local_input(&r.since),
        since_exact: r.since.to_string(),
        explicit: since.is_some(),
        r,
    }))
}

/// Where to come back after marking as read: the relève it was marked from.
#[derive(Deserialize, Default)]
struct BackForm {
    #[serde(default)]
    unite: String,
    #[serde(default)]
    depuis: String,
    /// `1` when the relève was shown since a chosen time (`depuis`).
    #[serde(default)]
    retour: String,
}

fn back(f: &BackForm, ok: &str) -> String {
    let mut url = format!("/releve?ok={ok}");
    if let Ok(Some(u)) = unite_of(&f.unite) {
        url.push_str(&format!("&unite={u}"));
    }
    if let (Some(t), "1") = (parse_time(&f.depuis), f.retour.as_str()) {
        url.push_str(&format!("&depuis={}", t.to_string().replace('+', "%2B")));
    }
    url
}

async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<TransmissionId>,
    Form(f): Form<BackForm>,
) -> HtmlResult {
    state.app.mark_transmission_read(&ctx, tid).await?;
    to(back(&f, "lu"))
}

async fn mark_all_read(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(f): Form<BackForm>,
) -> HtmlResult {
    let unite = unite_of(&f.unite)?.ok_or(AppError::NotFound)?;
    let since = parse_time(&f.depuis)
        .ok_or_else(|| AppError::field("depuis", "Ce n'est pas une date et heure valides."))?;
    state.app.mark_releve_read(&ctx, unite, since).await?;
    to(back(&f, "tout-lu"))
}
