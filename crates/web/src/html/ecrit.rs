//! Écrits professionnels of a person: the list newest first (filters by type and by the author's
//! profession, keyset "older" link), the writing form (type, title, text, date of the event,
//! visibility scope), and a note's page with its versions, the correction form and the withdrawal
//! form. Notes outside the reader's scope are filtered by the use cases: the pages never see them.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::civil::Date;
use parcours_app::domain::codelist::types_ecrit;
use parcours_app::domain::ecrit::{RawEcrit, Scope};
use parcours_app::domain::ids::{EcritId, UsagerId};
use parcours_app::domain::professional::Profession;
use parcours_app::ecrit::{EcritHistory, EcritList, RawFilter};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{Choice, Errors, Form, HtmlResult, Layout, banner, date_fr, datetime_fr, render};
use super::{render_status, to};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/ecrits", get(list_page).post(write_ecrit))
        .route("/usagers/{id}/ecrits/nouveau", get(new_page))
        .route("/usagers/{id}/ecrits/{eid}", get(ecrit_page))
        .route("/usagers/{id}/ecrits/{eid}/correction", post(correct_ecrit))
        .route("/usagers/{id}/ecrits/{eid}/retrait", post(withdraw_ecrit))
}

/// One visibility choice of the form (a radio button).
pub struct ScopeChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

fn scope_choices(scopes: &[Scope]) -> Vec<ScopeChoice> {
    scopes
        .iter()
        .map(|s| ScopeChoice {
            value: s.code(),
            label: s.label_fr(),
            hint: s.hint_fr(),
        })
        .collect()
}

fn profession_choices() -> Vec<Choice> {
    Profession::ALL
        .iter()
        .map(|p| Choice::new(p.code(), p.label_fr()))
        .collect()
}

/// `?type=…&profession=…` (filters), `?apres=…` (the cursor of the next page).
#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    profession: String,
    #[serde(default)]
    apres: String,
}

#[derive(Template)]
#[template(path = "ecrits.html")]
struct ListPage {
    layout: Layout,
    banner: Banner,
    list: EcritList,
    kinds: Vec<Choice>,
    professions: Vec<Choice>,
    kind: String,
    profession: String,
    /// The filters as a query string (`&type=…&profession=…`), for the page links.
    filters: String,
    errors: Errors,
    older: bool,
}

impl ListPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
    fn d(&self, d: &Date) -> String {
        date_fr(d)
    }
}

fn query_part(name: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        let encoded: String = url_encode(value);
        format!("&{name}={encoded}")
    }
}

/// Codes are ASCII letters and underscores; anything else is percent-encoded byte by byte.
fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn list_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<ListQuery>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let filter = RawFilter {
        kind: q.kind.trim().to_string(),
        profession: q.profession.trim().to_string(),
    };
    let after = Some(q.apres.as_str()).filter(|s| !s.is_empty());
    let (list, errors, status) = match state.app.ecrits(&ctx, id, &filter, after).await {
        Ok(list) => (list, Errors::none(), StatusCode::OK),
        Err(AppError::Validation(e)) => {
            // A filter that is not in the lists: say so, and show the unfiltered first page.
            let list = state
                .app
                .ecrits(&ctx, id, &RawFilter::default(), None)
                .await?;
            (list, Errors(e), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return Err(e.into()),
    };
    let filters = format!(
        "{}{}",
        query_part("type", &filter.kind),
        query_part("profession", &filter.profession)
    );
    Ok(render_status(
        status,
        &ListPage {
            layout: Layout::for_ctx(&ctx),
            banner,
            list,
            kinds: Choice::codes(types_ecrit()),
            professions: profession_choices(),
            kind: filter.kind,
            profession: filter.profession,
            filters,
            errors,
            older: after.is_some(),
        },
    ))
}

#[derive(Template)]
#[template(path = "ecrit_form.html")]
struct NewPage {
    layout: Layout,
    banner: Banner,
    kinds: Vec<Choice>,
    scopes: Vec<ScopeChoice>,
    form: RawEcrit,
    errors: Errors,
}

async fn new_form(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    form: RawEcrit,
    errors: Errors,
) -> Result<NewPage, super::HtmlError> {
    Ok(NewPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        kinds: Choice::codes(types_ecrit()),
        scopes: scope_choices(Scope::ALL),
        form,
        errors,
    })
}

async fn new_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let form = RawEcrit {
        event_date: state.app.today().to_string(),
        scope: Scope::Equipe.code().into(),
        ..RawEcrit::default()
    };
    Ok(render(
        &new_form(&state, &ctx, id, form, Errors::none()).await?,
    ))
}

async fn write_ecrit(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(raw): Form<RawEcrit>,
) -> HtmlResult {
    match state.app.write_ecrit(&ctx, id, &raw).await {
        Ok(eid) => to(format!("/usagers/{id}/ecrits/{eid}?ok=ecrit")),
        Err(AppError::Validation(e)) => {
            let page = new_form(&state, &ctx, id, raw, Errors(e)).await?;
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
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    event_date: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    reason: String,
}

impl From<CorrectionForm> for RawEcrit {
    fn from(f: CorrectionForm) -> Self {
        RawEcrit {
            kind: f.kind,
            title: f.title,
            text: f.text,
            event_date: f.event_date,
            scope: f.scope,
            reason: f.reason,
        }
    }
}

/// The withdrawal form.
#[derive(Deserialize, Default, Clone)]
struct WithdrawForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    withdrawal_reason: String,
}

#[derive(Template)]
#[template(path = "ecrit.html")]
struct EcritPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    h: EcritHistory,
    kinds: Vec<Choice>,
    scopes: Vec<ScopeChoice>,
    form: CorrectionForm,
    errors: Errors,
    withdraw: WithdrawForm,
    withdraw_errors: Errors,
}

impl EcritPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
    fn d(&self, d: &Date) -> String {
        date_fr(d)
    }
}

/// What the note page shows besides the note: a message, and a form given back with its errors.
#[derive(Default)]
struct PageState {
    message: Option<&'static str>,
    form: Option<CorrectionForm>,
    errors: Option<Errors>,
    withdraw: Option<WithdrawForm>,
    withdraw_errors: Option<Errors>,
}

async fn ecrit(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    eid: EcritId,
    s: PageState,
) -> Result<EcritPage, super::HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let h = state.app.ecrit_history(ctx, id, eid).await?;
    let e = &h.ecrit;
    let form = s.form.unwrap_or_else(|| CorrectionForm {
        version: e.version,
        kind: e.kind.clone(),
        title: e.title.clone(),
        text: e.body.clone(),
        event_date: e.event_date.to_string(),
        scope: e.scope.code().to_string(),
        reason: String::new(),
    });
    let withdraw = s.withdraw.unwrap_or(WithdrawForm {
        version: e.version,
        withdrawal_reason: String::new(),
    });
    Ok(EcritPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message: s.message,
        kinds: Choice::codes(types_ecrit()),
        scopes: scope_choices(&h.scopes),
        form,
        errors: s.errors.unwrap_or_else(Errors::none),
        withdraw,
        withdraw_errors: s.withdraw_errors.unwrap_or_else(Errors::none),
        h,
    })
}

#[derive(Deserialize, Default)]
struct OkQuery {
    #[serde(default)]
    ok: String,
}

async fn ecrit_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, EcritId)>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let message = match q.ok.as_str() {
        "ecrit" => Some("Écrit enregistré."),
        "corrige" => Some("Correction enregistrée : la version précédente reste lisible."),
        "retire" => Some("Écrit retiré : il reste lisible, marqué comme retiré."),
        _ => None,
    };
    let s = PageState {
        message,
        ..PageState::default()
    };
    Ok(render(&ecrit(&state, &ctx, id, eid, s).await?))
}

async fn correct_ecrit(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, EcritId)>,
    Form(form): Form<CorrectionForm>,
) -> HtmlResult {
    let raw: RawEcrit = form.clone().into();
    match state
        .app
        .correct_ecrit(&ctx, id, eid, form.version, &raw)
        .await
    {
        Ok(_) => to(format!("/usagers/{id}/ecrits/{eid}?ok=corrige")),
        Err(AppError::Validation(e)) => {
            let s = PageState {
                form: Some(form),
                errors: Some(Errors(e)),
                ..PageState::default()
            };
            let page = ecrit(&state, &ctx, id, eid, s).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn withdraw_ecrit(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, EcritId)>,
    Form(form): Form<WithdrawForm>,
) -> HtmlResult {
    match state
        .app
        .withdraw_ecrit(&ctx, id, eid, form.version, &form.withdrawal_reason)
        .await
    {
        Ok(()) => to(format!("/usagers/{id}/ecrits/{eid}?ok=retire")),
        Err(AppError::Validation(e)) => {
            // The form's field is `withdrawal_reason`; the use case names it `reason`.
            let mut errors = parcours_app::domain::error::FieldErrors::default();
            for f in e.0 {
                errors.push("withdrawal_reason", f.message);
            }
            let s = PageState {
                withdraw: Some(form),
                withdraw_errors: Some(Errors(errors)),
                ..PageState::default()
            };
            let page = ecrit(&state, &ctx, id, eid, s).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
