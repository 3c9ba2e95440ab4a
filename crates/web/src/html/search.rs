//! The full-text search page over transmissions and professional notes: one box, results newest
//! first with the matched words highlighted, a "next results" link and no total (a count would be a
//! hint about what the reader may not see, so none is shown). `?usager=` narrows it to one person.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use jiff::Timestamp;
use parcours_app::search::{SearchInput, SearchPage};
use parcours_app::{AppError, Ctx};

use super::{Errors, HtmlResult, Layout, datetime_fr, render, render_status};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/recherche", get(search_page))
}

#[derive(Template)]
#[template(path = "search_notes.html")]
struct SearchNotesPage {
    layout: Layout,
    q: String,
    usager: String,
    page: Option<SearchPage>,
    errors: Errors,
    /// Whether this page follows another (the cursor was given).
    more: bool,
}

impl SearchNotesPage {
    fn dt(&self, t: &Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn search_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(input): Query<SearchInput>,
) -> HtmlResult {
    let mut page = SearchNotesPage {
        layout: Layout::for_ctx(&ctx),
        q: input.q.clone(),
        usager: input.usager.clone().unwrap_or_default(),
        page: None,
        errors: Errors::none(),
        more: input.apres.as_deref().is_some_and(|s| !s.is_empty()),
    };
    if input.q.trim().is_empty() {
        return Ok(render(&page));
    }
    match run(&state, &ctx, &input).await {
        Ok(p) => {
            page.page = Some(p);
            Ok(render(&page))
        }
        Err(AppError::Validation(e)) => {
            page.errors = Errors(e);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn run(state: &AppState, ctx: &Ctx, input: &SearchInput) -> Result<SearchPage, AppError> {
    state.app.search_notes(ctx, input).await
}
