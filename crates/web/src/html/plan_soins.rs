//! The plan de soins pages: a person's tasks (add, change, stop), today's occurrences and the
//! missed ones; the unit's list for a day, with one-tap "fait" and "non fait" with its reason per
//! occurrence, missed ones highlighted.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use jiff::civil::Date;
use parcours_app::domain::authz::{Action, role_allows};
use parcours_app::domain::ids::{PlanSoinTacheId, UniteId, UsagerId};
use parcours_app::domain::input;
use parcours_app::domain::plan_soins::{Motif, RawTache, WEEKDAYS, doer_roles};
use parcours_app::plan_soins::{
    OccurrenceView, PlanSoins, RawArret, RawRealisation, TacheView, UnitDay, UnitOption,
};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{Choice, Errors, Form, HtmlResult, Layout, banner, date_fr, render, render_status, to};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/plan-de-soins",
            get(person_page).post(add_tache),
        )
        .route(
            "/plan-de-soins/taches/{tid}/modifier",
            get(edit_page).post(edit_tache),
        )
        .route("/plan-de-soins/taches/{tid}/arret", post(stop_tache))
        .route(
            "/plan-de-soins/taches/{tid}/realisation",
            post(record_realisation),
        )
        .route("/plan-de-soins", get(unit_page))
}

/// A task form as posted: the task, and the version it started from when it is a change.
#[derive(Deserialize, Default)]
struct TacheForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    jours: Vec<String>,
    #[serde(default)]
    intervalle: String,
    #[serde(default)]
    heures: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    version: i64,
}

impl TacheForm {
    fn raw(&self) -> RawTache {
        RawTache {
            label: self.label.clone(),
            details: self.details.clone(),
            jours: self.jours.clone(),
            intervalle: self.intervalle.clone(),
            heures: self.heures.clone(),
            du: self.du.clone(),
            au: self.au.clone(),
            roles: self.roles.clone(),
        }
    }
}

/// One occurrence's record as posted, with where to go back (the unit's day or the person).
#[derive(Deserialize, Default)]
struct RealisationForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    heure: String,
    #[serde(default)]
    resultat: String,
    #[serde(default)]
    motif: String,
    #[serde(default)]
    note: String,
    /// The unit whose day list the form was on (empty: the person's page).
    #[serde(default)]
    unite: String,
}

/// The task form's fields, shared by the person's page (add) and the edit page.
struct TacheFields {
    action: String,
    submit: &'static str,
    version: Option<i64>,
    raw: RawTache,
    weekdays: Vec<Choice>,
    roles: Vec<Choice>,
}

impl TacheFields {
    fn new(action: String, submit: &'static str, version: Option<i64>, raw: RawTache) -> Self {
        TacheFields {
            action,
            submit,
            version,
            raw,
            weekdays: WEEKDAYS
                .iter()
                .map(|(c, _, l)| Choice::new(*c, *l))
                .collect(),
            roles: doer_roles()
                .iter()
                .map(|r| Choice::new(r.code(), r.label_fr()))
                .collect(),
        }
    }
    fn day_ticked(&self, code: &str) -> bool {
        self.raw.jours.iter().any(|d| d == code)
    }
    fn role_ticked(&self, code: &str) -> bool {
        self.raw.roles.iter().any(|d| d == code)
    }
}

#[derive(Template)]
#[template(path = "plan_soins.html")]
struct PersonPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    plan: PlanSoins,
    form: TacheFields,
    errors: Errors,
    motifs: Vec<Choice>,
    can_write: bool,
    /// Where the occurrence forms send back to: the person's page.
    unite: String,
}

#[derive(Template)]
#[template(path = "plan_soins_tache.html")]
struct EditPage {
    layout: Layout,
    banner: Banner,
    tache: TacheView,
    form: TacheFields,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "plan_soins_jour.html")]
struct UnitPage {
    layout: Layout,
    message: Option<&'static str>,
    units: Vec<UnitOption>,
    day: Option<UnitDay>,
    date: Date,
    errors: Errors,
    motifs: Vec<Choice>,
    can_write: bool,
    unite: String,
    is_future: bool,
}

impl PersonPage {
    fn d(&self, d: &Date) -> String {
        date_fr(d)
    }
    fn actionable(&self, o: &OccurrenceView) -> bool {
        actionable(self.can_write, o, self.plan.today)
    }
}

impl UnitPage {
    fn d(&self, d: &Date) -> String {
        date_fr(d)
    }
    fn actionable(&self, o: &OccurrenceView) -> bool {
        !self.is_future && actionable(self.can_write, o, o.date)
    }
    fn selected(&self, id: &UniteId) -> bool {
        self.unite == id.to_string()
    }
}

/// Whether a "fait / non fait" form is shown: the professional may write and do it, nothing is
/// recorded yet, and it is not on a day to come.
fn actionable(can_write: bool, o: &OccurrenceView, today: Date) -> bool {
    can_write && o.can_do && o.recorded_at.is_none() && o.date <= today
}

fn motifs() -> Vec<Choice> {
    Motif::ALL
        .iter()
        .map(|m| Choice::new(m.code(), m.label_fr()))
        .collect()
}

async fn person(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    message: Option<&'static str>,
    raw: RawTache,
    errors: Errors,
) -> Result<PersonPage, super::HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let plan = state.app.plan_soins(ctx, id).await?;
    let raw = if raw.du.is_empty() && raw.label.is_empty() {
        RawTache {
            du: plan.today.to_string(),
            ..raw
        }
    } else {
        raw
    };
    Ok(PersonPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message,
        plan,
        form: TacheFields::new(
            format!("/usagers/{id}/plan-de-soins"),
            "Ajouter la tâche",
            None,
            raw,
        ),
        errors,
        motifs: motifs(),
        can_write: role_allows(ctx.actor.role, Action::WriteCareRecord),
        unite: String::new(),
    })
}

#[derive(Deserialize, Default)]
struct OkQuery {
    #[serde(default)]
    ok: String,
}

fn message_of(ok: &str) -> Option<&'static str> {
    match ok {
        "ajout" => Some("Tâche ajoutée au plan de soins."),
        "modification" => Some("Tâche modifiée."),
        "arret" => Some("Tâche arrêtée."),
        "realisation" => Some("Enregistré."),
        _ => None,
    }
}

async fn person_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let page = person(
        &state,
        &ctx,
        id,
        message_of(&q.ok),
        RawTache::default(),
        Errors::none(),
    )
    .await?;
    Ok(render(&page))
}

async fn add_tache(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(f): Form<TacheForm>,
) -> HtmlResult {
    let raw = f.raw();
    match state.app.add_tache(&ctx, id, &raw).await {
        Ok(_) => to(format!("/usagers/{id}/plan-de-soins?ok=ajout")),
        Err(AppError::Validation(e)) => {
            let page = person(&state, &ctx, id, None, raw, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit(
    state: &AppState,
    ctx: &Ctx,
    tid: PlanSoinTacheId,
    raw: Option<RawTache>,
    errors: Errors,
) -> Result<EditPage, super::HtmlError> {
    let (usager, tache) = state.app.tache(ctx, tid).await?;
    let banner = banner(state, ctx, usager).await?;
    let raw = raw.unwrap_or_else(|| tache.to_raw());
    Ok(EditPage {
        layout: Layout::for_ctx(ctx),
        banner,
        form: TacheFields::new(
            format!("/plan-de-soins/taches/{tid}/modifier"),
            "Enregistrer la modification",
            Some(tache.version),
            raw,
        ),
        tache,
        errors,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<PlanSoinTacheId>,
) -> HtmlResult {
    Ok(render(
        &edit(&state, &ctx, tid, None, Errors::none()).await?,
    ))
}

async fn edit_tache(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<PlanSoinTacheId>,
    Form(f): Form<TacheForm>,
) -> HtmlResult {
    let raw = f.raw();
    match state.app.edit_tache(&ctx, tid, f.version, &raw).await {
        Ok(u) => to(format!("/usagers/{u}/plan-de-soins?ok=modification")),
        Err(AppError::Validation(e)) => {
            let page = edit(&state, &ctx, tid, Some(raw), Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn stop_tache(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<PlanSoinTacheId>,
    Form(raw): Form<RawArret>,
) -> HtmlResult {
    let u = state.app.stop_tache(&ctx, tid, &raw).await?;
    to(format!("/usagers/{u}/plan-de-soins?ok=arret"))
}

/// `?unite=…&date=…` (default: the first unit the professional covers, today).
#[derive(Deserialize, Default)]
struct DayQuery {
    #[serde(default)]
    unite: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    ok: String,
}

async fn unit(
    state: &AppState,
    ctx: &Ctx,
    q: &DayQuery,
    errors: Errors,
) -> Result<UnitPage, super::HtmlError> {
    let units = state.app.plan_soins_units(ctx).await?;
    let today = state.app.today();
    let date = input::opt_date("date", &q.date)
        .map_err(AppError::from)?
        .unwrap_or(today);
    let chosen = if q.unite.trim().is_empty() {
        units.first().map(|u| u.id)
    } else {
        Some(
            q.unite
                .trim()
                .parse::<UniteId>()
                .map_err(|_| AppError::field("unite", "Unité inconnue."))?,
        )
    };
    let day = match chosen {
        Some(u) => Some(state.app.unit_day(ctx, u, date).await?),
        None => None,
    };
    Ok(UnitPage {
        layout: Layout::for_ctx(ctx),
        message: message_of(&q.ok),
        units,
        unite: chosen.map(|u| u.to_string()).unwrap_or_default(),
        day,
        date,
        errors,
        motifs: motifs(),
        can_write: role_allows(ctx.actor.role, Action::WriteCareRecord),
        is_future: date > today,
    })
}

async fn unit_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(q): Query<DayQuery>,
) -> HtmlResult {
    Ok(render(&unit(&state, &ctx, &q, Errors::none()).await?))
}

async fn record_realisation(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(tid): Path<PlanSoinTacheId>,
    Form(f): Form<RealisationForm>,
) -> HtmlResult {
    let raw = RawRealisation {
        date: f.date.clone(),
        heure: f.heure.clone(),
        resultat: f.resultat.clone(),
        motif: f.motif.clone(),
        note: f.note.clone(),
    };
    let from_unit = !f.unite.trim().is_empty();
    match state.app.record_realisation(&ctx, tid, &raw).await {
        Ok(_) if from_unit => to(format!(
            "/plan-de-soins?unite={}&date={}&ok=realisation",
            f.unite.trim(),
            f.date.trim()
        )),
        Ok(u) => to(format!("/usagers/{u}/plan-de-soins?ok=realisation")),
        Err(AppError::Validation(e)) if from_unit => {
            let q = DayQuery {
                unite: f.unite,
                date: f.date,
                ok: String::new(),
            };
            let page = unit(&state, &ctx, &q, Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Validation(e)) => {
            let (u, _) = state.app.tache(&ctx, tid).await?;
            let page = person(&state, &ctx, u, None, RawTache::default(), Errors(e)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
