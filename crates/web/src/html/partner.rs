//! The directory of partners (outside organisations and professionals) and territorial resources:
//! search, create, correct, retire.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use parcours_app::AppError;
use parcours_app::domain::authz::{Action, role_allows};
use parcours_app::domain::ids::PartenaireId;
use parcours_app::domain::partner::{PARTNER_KINDS, RawPartner};
use parcours_app::partner::PartnerView;
use serde::Deserialize;

use super::{Choice, Errors, Form, HtmlResult, Layout, render, render_status, tick, ticked};
use crate::AppState;
use crate::auth::{CurrentUser, HxRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partenaires", get(directory).post(create))
        .route("/partenaires/nouveau", get(new_form))
        .route("/partenaires/{id}", get(detail).post(update))
}

fn kinds() -> Vec<Choice> {
    PARTNER_KINDS
        .iter()
        .map(|(c, l, _)| Choice::new(*c, *l))
        .collect()
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    kind: String,
}

#[derive(Template)]
#[template(path = "partners.html")]
struct DirectoryPage {
    layout: Layout,
    q: String,
    kind: String,
    kinds: Vec<Choice>,
    partners: Vec<PartnerView>,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "partners_results.html")]
struct Results {
    partners: Vec<PartnerView>,
}

async fn directory(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    HxRequest(hx): HxRequest,
    Query(q): Query<SearchQuery>,
) -> HtmlResult {
    let partners = state
        .app
        .search_partners(&ctx, &q.q, Some(q.kind.as_str()))
        .await?;
    if hx {
        return Ok(render(&Results { partners }));
    }
    Ok(render(&DirectoryPage {
        layout: Layout::for_ctx(&ctx),
        q: q.q,
        kind: q.kind,
        kinds: kinds(),
        partners,
        can_manage: role_allows(ctx.actor.role, Action::ManagePartners),
    }))
}

#[derive(Deserialize, Default)]
struct PartnerForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    rpps: String,
    #[serde(default)]
    finess: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    inactive: Option<String>,
    #[serde(default)]
    version: i64,
}

impl PartnerForm {
    fn raw(&self) -> RawPartner {
        RawPartner {
            kind: self.kind.clone(),
            name: self.name.clone(),
            rpps: self.rpps.clone(),
            finess: self.finess.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            notes: self.notes.clone(),
        }
    }

    fn of(p: &PartnerView) -> PartnerForm {
        let raw = p.partner.to_raw();
        PartnerForm {
            kind: raw.kind,
            name: raw.name,
            rpps: raw.rpps,
            finess: raw.finess,
            address: raw.address,
            phone: raw.phone,
            email: raw.email,
            notes: raw.notes,
            inactive: tick(!p.active),
            version: p.version,
        }
    }
}

#[derive(Template)]
#[template(path = "partner_form.html")]
struct PartnerPage {
    layout: Layout,
    partner: Option<PartnerView>,
    form: PartnerForm,
    errors: Errors,
    kinds: Vec<Choice>,
    can_manage: bool,
}

impl PartnerPage {
    fn action(&self) -> String {
        match &self.partner {
            Some(p) => format!("/partenaires/{}", p.id),
            None => "/partenaires".to_string(),
        }
    }
}

async fn new_form(State(_state): State<AppState>, CurrentUser(ctx): CurrentUser) -> HtmlResult {
    if !role_allows(ctx.actor.role, Action::ManagePartners) {
        return Err(
            AppError::Forbidden(parcours_app::domain::authz::DenyReason::RoleNotAllowed).into(),
        );
    }
    Ok(render(&PartnerPage {
        layout: Layout::for_ctx(&ctx),
        partner: None,
        form: PartnerForm::default(),
        errors: Errors::none(),
        kinds: kinds(),
        can_manage: true,
    }))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<PartnerForm>,
) -> HtmlResult {
    match state.app.save_partner(&ctx, None, &form.raw(), true).await {
        Ok(id) => Ok(Redirect::to(&format!("/partenaires/{id}")).into_response()),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PartnerPage {
                layout: Layout::for_ctx(&ctx),
                partner: None,
                form,
                errors: Errors(e),
                kinds: kinds(),
                can_manage: true,
            },
        )),
        Err(e) => Err(e.into()),
    }
}

async fn detail(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<PartenaireId>,
) -> HtmlResult {
    let p = state.app.get_partner(&ctx, id).await?;
    Ok(render(&PartnerPage {
        layout: Layout::for_ctx(&ctx),
        form: PartnerForm::of(&p),
        partner: Some(p),
        errors: Errors::none(),
        kinds: kinds(),
        can_manage: role_allows(ctx.actor.role, Action::ManagePartners),
    }))
}

async fn update(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<PartenaireId>,
    Form(form): Form<PartnerForm>,
) -> HtmlResult {
    let active = !ticked(&form.inactive);
    match state
        .app
        .save_partner(&ctx, Some((id, form.version)), &form.raw(), active)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/partenaires/{id}")).into_response()),
        Err(AppError::Validation(e)) => {
            let p = state.app.get_partner(&ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PartnerPage {
                    layout: Layout::for_ctx(&ctx),
                    partner: Some(p),
                    form,
                    errors: Errors(e),
                    kinds: kinds(),
                    can_manage: true,
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
