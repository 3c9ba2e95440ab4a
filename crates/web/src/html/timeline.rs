//! The person's timeline (*Chronologie* tab): every source of the record in one list newest first,
//! a filter form sent by GET (kinds, period, author) and a plain "Plus ancien" link carrying the
//! filter and the cursor, so it works without JavaScript and each page can be bookmarked.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum_extra::extract::Query;
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::timeline::RawFilter;
use parcours_app::timeline::{TimelineChoices, TimelineEntry, TimelinePage};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{
    Choice, Errors, HtmlResult, Layout, banner, date_fr, datetime_fr, render, render_status,
};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/usagers/{id}/chronologie", get(timeline_page))
}

/// The query string: the filter (`type` repeated, one per ticked kind) and the cursor.
#[derive(Deserialize, Default)]
struct TimelineQuery {
    #[serde(default, rename = "type")]
    kinds: Vec<String>,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    #[serde(default)]
    auteur: String,
    #[serde(default)]
    apres: String,
}

#[derive(Template)]
#[template(path = "chronologie.html")]
struct TimelineView {
    layout: Layout,
    banner: Banner,
    /// `None` when the filter was refused.
    page: Option<TimelinePage>,
    choices: TimelineChoices,
    authors: Vec<Choice>,
    form: RawFilter,
    errors: Errors,
    older: bool,
}

impl TimelineView {
    fn when(&self, e: &TimelineEntry) -> String {
        if e.day_only {
            format!(
                "le {}",
                date_fr(&parcours_app::domain::clock::today_in_paris(e.at))
            )
        } else {
            format!("le {}", datetime_fr(&e.at))
        }
    }

    fn kind_checked(&self, code: &str) -> bool {
        self.form.kinds.iter().any(|k| k == code)
    }

    fn base(&self) -> String {
        format!("/usagers/{}/chronologie", self.banner.id)
    }

    /// The first page with the same filter.
    fn first_link(&self) -> String {
        match self.page.as_ref().map(|p| p.filter_query.as_str()) {
            Some(q) if !q.is_empty() => format!("{}?{q}", self.base()),
            _ => self.base(),
        }
    }

    /// The next (older) page with the same filter.
    fn next_link(&self, cursor: &str) -> String {
        match self.page.as_ref().map(|p| p.filter_query.as_str()) {
            Some(q) if !q.is_empty() => format!("{}?{q}&apres={cursor}", self.base()),
            _ => format!("{}?apres={cursor}", self.base()),
        }
    }
}

async fn timeline_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<TimelineQuery>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let form = RawFilter {
        kinds: q.kinds,
        du: q.du,
        au: q.au,
        auteur: q.auteur,
    };
    let after = Some(q.apres.as_str()).filter(|s| !s.trim().is_empty());
    match state.app.timeline(&ctx, id, &form, after).await {
        Ok(page) => {
            let choices = page.choices.clone();
            Ok(render(&view(
                &ctx,
                banner,
                Some(page),
                choices,
                form,
                Errors::none(),
                after.is_some(),
            )))
        }
        Err(AppError::Validation(e)) => {
            let choices = state.app.timeline_choices(&ctx, id).await?;
            let page = view(&ctx, banner, None, choices, form, Errors(e), false);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

fn view(
    ctx: &Ctx,
    banner: Banner,
    page: Option<TimelinePage>,
    choices: TimelineChoices,
    form: RawFilter,
    errors: Errors,
    older: bool,
) -> TimelineView {
    TimelineView {
        layout: Layout::for_ctx(ctx),
        banner,
        page,
        authors: choices
            .authors
            .iter()
            .map(|a| Choice::new(a.id.clone(), a.name.clone()))
            .collect(),
        choices,
        form,
        errors,
        older,
    }
}
