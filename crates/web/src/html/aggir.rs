//! AGGIR pages: the full grid form (the four adverbs of every (sub-)variable), one evaluation
//! explained and compared with the previous one, its PDF, and the GMP of an establishment.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use parcours_app::domain::aggir::{Adverb, Evaluation, Variable};
use parcours_app::domain::error::FieldErrors;
use parcours_app::domain::ids::{EtablissementId, EvaluationId, UsagerId};
use parcours_app::evaluation::{AggirDetail, GmpView, RawAggir};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::banner;
use super::usager::Banner;
use super::{Choice, Errors, Form, HtmlError, HtmlResult, Layout, date_fr, render, render_status};
use crate::AppState;
use crate::auth::CurrentUser;
use parcours_app::records::Owned;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/usagers/{id}/evaluations/aggir",
            get(aggir_form).post(record_aggir),
        )
        .route("/usagers/{id}/evaluations/aggir/{eid}", get(aggir_page))
        .route(
            "/usagers/{id}/evaluations/aggir/{eid}/document.pdf",
            get(aggir_pdf),
        )
        .route(
            "/usagers/{id}/evaluations/{eid}/annulation",
            post(cancel_evaluation),
        )
        .route("/etablissements/{id}/gmp", get(gmp_page))
}

/// One block of the grid: a variable without sub-variables, or one sub-variable.
struct GridItem {
    /// Field prefix: `variable` or `variable.sub`.
    name: String,
    label: String,
    definition: String,
}

struct GridVariable {
    label: String,
    definition: String,
    discriminant: bool,
    items: Vec<GridItem>,
}

fn grid() -> Vec<GridVariable> {
    Variable::ALL
        .iter()
        .map(|v| {
            let subs = v.sub_variables();
            GridVariable {
                label: v.label_fr().to_string(),
                definition: v.definition_fr().to_string(),
                discriminant: v.is_discriminant(),
                items: if subs.is_empty() {
                    vec![GridItem {
                        name: v.code().to_string(),
                        label: v.label_fr().to_string(),
                        definition: String::new(),
                    }]
                } else {
                    subs.iter()
                        .map(|s| GridItem {
                            name: format!("{}.{}", v.code(), s.key()),
                            label: s.label_fr().to_string(),
                            definition: s.definition_fr().to_string(),
                        })
                        .collect()
                },
            }
        })
        .collect()
}

/// The posted grid as the domain's evaluation. Every adverb of every item must be answered "oui" or
/// "non": an unanswered grid is refused, never read as "no" (which would give C, the most dependent).
fn evaluation_of(answers: &HashMap<String, String>) -> Result<Evaluation, FieldErrors> {
    let mut missing: Vec<String> = Vec::new();
    let mut adverbs = |prefix: &str, label: String| {
        let mut m = Map::new();
        let mut unanswered = false;
        for a in Adverb::ALL {
            let yes = match answers
                .get(&format!("{prefix}.{}", a.code()))
                .map(String::as_str)
            {
                Some("oui") => true,
                Some("non") => false,
                _ => {
                    unanswered = true;
                    false
                }
            };
            m.insert(a.code().to_string(), Value::Bool(yes));
        }
        if unanswered {
            missing.push(label);
        }
        Value::Object(m)
    };
    let mut root = Map::new();
    for v in Variable::ALL {
        let subs = v.sub_variables();
        let value = if subs.is_empty() {
            adverbs(v.code(), v.label_fr().to_string())
        } else {
            Value::Object(
                subs.iter()
                    .map(|s| {
                        (
                            s.key().to_string(),
                            adverbs(
                                &format!("{}.{}", v.code(), s.key()),
                                format!("{} — {}", v.label_fr(), s.label_fr()),
                            ),
                        )
                    })
                    .collect(),
            )
        };
        root.insert(v.code().to_string(), value);
    }
    let mut errs = FieldErrors::default();
    if !missing.is_empty() {
        errs.push(
            "evaluation",
            format!(
                "Répondez oui ou non aux quatre adverbes de chaque activité. Incomplet : {}.",
                missing.join(", ")
            ),
        );
        return Err(errs);
    }
    serde_json::from_value(Value::Object(root)).map_err(|e| {
        errs.push("evaluation", format!("La grille est incomplète ({e})."));
        errs
    })
}

#[derive(Template)]
#[template(path = "aggir_form.html")]
struct AggirFormPage {
    layout: Layout,
    banner: Banner,
    evaluated_on: String,
    context: String,
    etablissement_id: String,
    etablissements: Vec<Choice>,
    grid: Vec<GridVariable>,
    adverbs: Vec<(&'static str, String)>,
    answers: HashMap<String, String>,
    errors: Errors,
}

impl AggirFormPage {
    fn is(&self, prefix: &str, adverb: &str, value: &str) -> bool {
        self.answers
            .get(&format!("{prefix}.{adverb}"))
            .is_some_and(|v| v == value)
    }
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    fields: Vec<(String, String)>,
    errors: Errors,
) -> Result<AggirFormPage, HtmlError> {
    let record = state.app.get_usager(ctx, id).await?;
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut etablissements: Vec<Choice> = Vec::new();
    for p in &record.placements {
        if !etablissements
            .iter()
            .any(|c| c.value == p.etablissement_id.to_string())
        {
            etablissements.push(Choice::new(
                p.etablissement_id.to_string(),
                p.etablissement_name.clone(),
            ));
        }
    }
    Ok(AggirFormPage {
        layout: Layout::for_ctx(ctx),
        banner: Banner::of(&record),
        evaluated_on: field("evaluated_on").unwrap_or_else(|| state.app.today().to_string()),
        context: field("context").unwrap_or_default(),
        etablissement_id: field("etablissement_id")
            .or_else(|| etablissements.first().map(|c| c.value.clone()))
            .unwrap_or_default(),
        etablissements,
        grid: grid(),
        adverbs: Adverb::ALL
            .iter()
            .map(|a| (a.code(), capitalized(a.label_fr())))
            .collect(),
        answers: fields.into_iter().collect(),
        errors,
    })
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

async fn aggir_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    Ok(render(
        &form_page(&state, &ctx, id, Vec::new(), Errors::none()).await?,
    ))
}

async fn record_aggir(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> HtmlResult {
    let answers: HashMap<String, String> = fields.iter().cloned().collect();
    let value = |n: &str| {
        fields
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let result = match evaluation_of(&answers) {
        Ok(evaluation) => {
            let raw = RawAggir {
                evaluated_on: value("evaluated_on"),
                context: value("context"),
                etablissement_id: value("etablissement_id"),
                evaluation,
            };
            state.app.record_aggir(&ctx, id, &raw).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(eid) => {
            Ok(Redirect::to(&format!("/usagers/{id}/evaluations/aggir/{eid}")).into_response())
        }
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(&state, &ctx, id, fields, Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

struct VariableRow {
    label: String,
    letter: char,
    reason: String,
    discriminant: bool,
    subs: Vec<(String, char, String)>,
}

#[derive(Template)]
#[template(path = "aggir_detail.html")]
struct AggirPage {
    layout: Layout,
    banner: Banner,
    d: AggirDetail,
    rows: Vec<VariableRow>,
    groups: Vec<String>,
    decision: String,
    can_cancel: bool,
}

impl AggirPage {
    fn date(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
}

fn rows_of(d: &AggirDetail) -> Vec<VariableRow> {
    d.assessment
        .explanation
        .variables
        .iter()
        .map(|v| VariableRow {
            label: v.variable.label_fr().to_string(),
            letter: v.letter.as_char(),
            reason: v.reason.clone(),
            discriminant: v.variable.is_discriminant(),
            subs: v
                .sub_variables
                .iter()
                .map(|s| {
                    (
                        s.sub_variable.label_fr().to_string(),
                        s.letter.as_char(),
                        s.reason.clone(),
                    )
                })
                .collect(),
        })
        .collect()
}

async fn detail(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    eid: EvaluationId,
) -> Result<(Banner, AggirDetail), HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let d = state.app.aggir_detail(ctx, eid).await?;
    Ok((banner, d))
}

async fn aggir_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, EvaluationId)>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Evaluation, eid.as_uuid(), id).await?;
    let (banner, d) = detail(&state, &ctx, id, eid).await?;
    Ok(render(&AggirPage {
        layout: Layout::for_ctx(&ctx),
        rows: rows_of(&d),
        groups: d
            .assessment
            .explanation
            .groups
            .iter()
            .map(|g| g.text.clone())
            .collect(),
        decision: d.assessment.explanation.decision.text.clone(),
        banner,
        d,
        can_cancel: parcours_app::domain::authz::role_allows(
            ctx.actor.role,
            parcours_app::domain::authz::Action::EvaluateAggir,
        ),
    }))
}

async fn aggir_pdf(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, EvaluationId)>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Evaluation, eid.as_uuid(), id).await?;
    let record = state.app.get_usager(&ctx, id).await?;
    let d = state.app.aggir_detail(&ctx, eid).await?;
    let bytes =
        crate::documents::aggir_pdf(&record, &d).map_err(|e| HtmlError(AppError::Internal(e)))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"aggir-{}.pdf\"", d.view.evaluated_on),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
struct CancelForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: i64,
}

async fn cancel_evaluation(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, eid)): Path<(UsagerId, EvaluationId)>,
    Form(form): Form<CancelForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Evaluation, eid.as_uuid(), id).await?;
    match state
        .app
        .cancel_evaluation(&ctx, eid, &form.reason, form.version)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/usagers/{id}/evaluations")).into_response()),
        Err(AppError::Validation(e)) => Err(HtmlError(AppError::Validation(e))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct GmpQuery {
    #[serde(default)]
    date: String,
}

#[derive(Template)]
#[template(path = "etablissement_gmp.html")]
struct GmpPage {
    layout: Layout,
    g: GmpView,
    date: String,
    errors: Errors,
}

impl GmpPage {
    fn gmp(&self) -> String {
        self.g
            .gmp
            .map(|v| format!("{v:.0}"))
            .unwrap_or_else(|| "—".to_string())
    }
    fn day(&self) -> String {
        date_fr(&self.g.on)
    }
}

async fn gmp_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
    Query(q): Query<GmpQuery>,
) -> HtmlResult {
    let today = state.app.today();
    let (on, errors) = match q.date.trim() {
        "" => (today, Errors::none()),
        s => match parcours_app::domain::input::date("date", s) {
            Ok(d) => (d, Errors::none()),
            Err(e) => (today, Errors(FieldErrors(vec![e]))),
        },
    };
    let g = state.app.gmp(&ctx, id, on).await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render_status(
        status,
        &GmpPage {
            layout: Layout::for_ctx(&ctx),
            date: q.date,
            g,
            errors,
        },
    ))
}
