//! Administration pages: establishments, units and professionals' accounts.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use parcours_app::account::{AccountInput, AccountView, AssignmentView};
use parcours_app::domain::authz::{Action, Decision, Resource, decide};
use parcours_app::domain::ids::{EtablissementId, UniteId, UserId};
use parcours_app::domain::professional::{Profession, Role};
use parcours_app::domain::structure::esms_categories;
use parcours_app::structure::{EtablissementInput, OrganisationInput, Structures, UniteInput};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::{Choice, Errors, Form, HtmlError, HtmlResult, Layout, render, render_status};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(structures))
        .route("/admin/organisation", post(update_organisation))
        .route("/admin/etablissements", post(create_etablissement))
        .route(
            "/admin/etablissements/{id}",
            get(etablissement_form).post(update_etablissement),
        )
        .route(
            "/admin/etablissements/{id}/capacites",
            get(capacities_form).post(update_capacities),
        )
        .route("/admin/unites", post(create_unite))
        .route("/admin/unites/{id}", post(update_unite))
        .route("/admin/comptes", get(accounts).post(create_account))
        .route(
            "/admin/comptes/{id}",
            get(account_form).post(update_account),
        )
}

fn category_choices() -> Vec<Choice> {
    esms_categories()
        .into_iter()
        .filter(|c| !c.deprecated())
        .map(|c| Choice {
            value: c.code().to_string(),
            label: format!("{} — {}", c.code(), c.label()),
        })
        .collect()
}

fn can_manage(ctx: &Ctx) -> bool {
    decide(
        &ctx.actor,
        Action::ManageStructures,
        &Resource::Organisation(ctx.organisation()),
    ) == Decision::Allow
}

#[derive(Template)]
#[template(path = "admin_structures.html")]
struct StructuresPage {
    layout: Layout,
    s: Structures,
    manage: bool,
    form: EtablissementInput,
    unit_form: UniteInput,
    org_form: OrganisationInput,
    errors: Errors,
    unit_errors: Errors,
    org_errors: Errors,
    categories: Vec<Choice>,
}

async fn structures_page(
    state: &AppState,
    ctx: &Ctx,
    form: EtablissementInput,
    errors: Errors,
    unit_form: UniteInput,
    unit_errors: Errors,
) -> Result<StructuresPage, HtmlError> {
    let s = state.app.structures(ctx).await?;
    let org_form = OrganisationInput {
        name: s.organisation_name.clone(),
        finess_ej: s.organisation_finess.clone().unwrap_or_default(),
    };
    Ok(StructuresPage {
        layout: Layout::for_ctx(ctx),
        s,
        manage: can_manage(ctx),
        form,
        unit_form,
        org_form,
        errors,
        unit_errors,
        org_errors: Errors::none(),
        categories: category_choices(),
    })
}

async fn structures(State(state): State<AppState>, CurrentUser(ctx): CurrentUser) -> HtmlResult {
    let page = structures_page(
        &state,
        &ctx,
        EtablissementInput::default(),
        Errors::none(),
        UniteInput::default(),
        Errors::none(),
    )
    .await?;
    Ok(render(&page))
}

#[derive(Deserialize, Default)]
struct OrganisationForm {
    #[serde(default, rename = "org_name")]
    name: String,
    #[serde(default)]
    finess_ej: String,
}

async fn update_organisation(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<OrganisationForm>,
) -> HtmlResult {
    let input = OrganisationInput {
        name: form.name,
        finess_ej: form.finess_ej,
    };
    match state.app.update_organisation(&ctx, &input).await {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Validation(e)) => {
            let mut page = structures_page(
                &state,
                &ctx,
                EtablissementInput::default(),
                Errors::none(),
                UniteInput::default(),
                Errors::none(),
            )
            .await?;
            page.org_form = input;
            page.org_errors = Errors(rename_field(e, "name", "org_name"));
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// Several forms share a page: their fields get distinct ids, and their messages follow.
fn rename_field(
    mut errors: parcours_app::domain::error::FieldErrors,
    from: &str,
    to: &'static str,
) -> parcours_app::domain::error::FieldErrors {
    for e in &mut errors.0 {
        if e.field == from {
            e.field = to;
        }
    }
    errors
}

#[derive(Deserialize, Default)]
struct EtablissementForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    finess: String,
    #[serde(default)]
    category_code: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    version: i64,
}

impl EtablissementForm {
    fn input(&self, creating: bool) -> EtablissementInput {
        EtablissementInput {
            name: self.name.clone(),
            finess: self.finess.clone(),
            category_code: self.category_code.clone(),
            capacity: self.capacity.clone(),
            active: creating || self.active.is_some(),
            version: self.version,
        }
    }
}

async fn create_etablissement(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<EtablissementForm>,
) -> HtmlResult {
    let input = form.input(true);
    match state.app.create_etablissement(&ctx, &input).await {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Validation(e)) => {
            let page = structures_page(
                &state,
                &ctx,
                input,
                Errors(e),
                UniteInput::default(),
                Errors::none(),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin_etablissement.html")]
struct EtablissementPage {
    layout: Layout,
    id: EtablissementId,
    form: EtablissementInput,
    errors: Errors,
    categories: Vec<Choice>,
}

async fn etablissement_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
) -> HtmlResult {
    let s = state.app.structures(&ctx).await?;
    let e = s
        .etablissements
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)?;
    let form = EtablissementInput {
        name: e.name,
        finess: e.finess,
        category_code: e.category_code,
        capacity: e.capacity.to_string(),
        active: e.active,
        version: e.version,
    };
    Ok(render(&EtablissementPage {
        layout: Layout::for_ctx(&ctx),
        id,
        form,
        errors: Errors::none(),
        categories: category_choices(),
    }))
}

async fn update_etablissement(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
    Form(form): Form<EtablissementForm>,
) -> HtmlResult {
    let input = form.input(false);
    match state.app.update_etablissement(&ctx, id, &input).await {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &EtablissementPage {
                layout: Layout::for_ctx(&ctx),
                id,
                form: input,
                errors: Errors(e),
                categories: category_choices(),
            },
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct UniteForm {
    #[serde(default)]
    etablissement_id: String,
    /// `unit_name` in the creation form (the page has other `name` fields), `name` per unit.
    #[serde(default, alias = "unit_name")]
    name: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    version: i64,
}

async fn create_unite(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<UniteForm>,
) -> HtmlResult {
    let input = UniteInput {
        etablissement_id: form.etablissement_id,
        name: form.name,
        active: true,
        version: 0,
    };
    match state.app.create_unite(&ctx, &input).await {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Validation(e)) => {
            let page = structures_page(
                &state,
                &ctx,
                EtablissementInput::default(),
                Errors::none(),
                input,
                Errors(rename_field(e, "name", "unit_name")),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn update_unite(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UniteId>,
    Form(form): Form<UniteForm>,
) -> HtmlResult {
    let input = UniteInput {
        etablissement_id: String::new(),
        name: form.name,
        active: form.active.is_some(),
        version: form.version,
    };
    match state.app.update_unite(&ctx, id, &input).await {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Validation(e)) => {
            let page = structures_page(
                &state,
                &ctx,
                EtablissementInput::default(),
                Errors::none(),
                input,
                Errors(e),
            )
            .await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    layout: Layout,
    accounts: Vec<AccountView>,
}

async fn accounts(State(state): State<AppState>, CurrentUser(ctx): CurrentUser) -> HtmlResult {
    let accounts = state.app.list_accounts(&ctx).await?;
    Ok(render(&AccountsPage {
        layout: Layout::for_ctx(&ctx),
        accounts,
    }))
}

/// The account form; `assignments` repeats (one value per checked box), hence axum-extra's `Form`.
#[derive(Deserialize, Default, Clone)]
struct AccountForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    profession: String,
    #[serde(default)]
    rpps: String,
    #[serde(default)]
    adeli: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    password: String,
    #[serde(default)]
    assignments: Vec<String>,
    #[serde(default)]
    version: i64,
}

impl AccountForm {
    fn input(&self, creating: bool) -> AccountInput {
        AccountInput {
            login: self.login.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            profession: self.profession.clone(),
            rpps: self.rpps.clone(),
            adeli: self.adeli.clone(),
            role: self.role.clone(),
            active: creating || self.active.is_some(),
            password: self.password.clone(),
            assignments: self.assignments.clone(),
            version: self.version,
        }
    }

    fn of(a: &AccountView) -> AccountForm {
        AccountForm {
            login: a.login.clone(),
            first_name: a.first_name.clone(),
            last_name: a.last_name.clone(),
            profession: a.profession.clone(),
            rpps: a.rpps.clone().unwrap_or_default(),
            adeli: a.adeli.clone().unwrap_or_default(),
            role: a.role.code().to_string(),
            active: a.active.then(|| "on".to_string()),
            password: String::new(),
            assignments: a.assignments.iter().map(|x| x.value.clone()).collect(),
            version: a.version,
        }
    }
}

#[derive(Template)]
#[template(path = "admin_account.html")]
struct AccountPage {
    layout: Layout,
    id: Option<UserId>,
    form: AccountForm,
    errors: Errors,
    roles: Vec<Choice>,
    professions: Vec<Choice>,
    options: Vec<AssignmentView>,
}

impl AccountPage {
    fn checked(&self, value: &str) -> bool {
        self.form.assignments.iter().any(|a| a == value)
    }
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    id: Option<UserId>,
    form: AccountForm,
    errors: Errors,
) -> Result<AccountPage, HtmlError> {
    Ok(AccountPage {
        layout: Layout::for_ctx(ctx),
        id,
        form,
        errors,
        roles: Role::ALL
            .iter()
            .map(|r| Choice {
                value: r.code().to_string(),
                label: r.label_fr().to_string(),
            })
            .collect(),
        professions: Profession::ALL
            .iter()
            .map(|p| Choice {
                value: p.code().to_string(),
                label: p.label_fr().to_string(),
            })
            .collect(),
        options: state.app.assignment_options(ctx).await?,
    })
}

async fn account_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<String>,
) -> HtmlResult {
    if id == "nouveau" {
        let form = AccountForm {
            active: Some("on".into()),
            ..AccountForm::default()
        };
        return Ok(render(
            &account_page(&state, &ctx, None, form, Errors::none()).await?,
        ));
    }
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    let account = state
        .app
        .list_accounts(&ctx)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(render(
        &account_page(
            &state,
            &ctx,
            Some(id),
            AccountForm::of(&account),
            Errors::none(),
        )
        .await?,
    ))
}

async fn create_account(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<AccountForm>,
) -> HtmlResult {
    match state.app.create_account(&ctx, &form.input(true)).await {
        Ok(_) => Ok(Redirect::to("/admin/comptes").into_response()),
        Err(AppError::Validation(e)) => {
            let form = AccountForm {
                password: String::new(),
                ..form
            };
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &account_page(&state, &ctx, None, form, Errors(e)).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn update_account(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UserId>,
    Form(form): Form<AccountForm>,
) -> HtmlResult {
    match state.app.update_account(&ctx, id, &form.input(false)).await {
        Ok(()) => Ok(Redirect::to("/admin/comptes").into_response()),
        Err(AppError::Validation(e)) => {
            let form = AccountForm {
                password: String::new(),
                ..form
            };
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &account_page(&state, &ctx, Some(id), form, Errors(e)).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin_capacities.html")]
struct CapacitiesPage {
    layout: Layout,
    id: EtablissementId,
    name: String,
    settings: parcours_app::admission::CapacitySettings,
    errors: Errors,
    can_manage: bool,
}

impl CapacitiesPage {
    fn shown(&self, c: &Option<i64>) -> String {
        c.map(|n| n.to_string()).unwrap_or_default()
    }
}

async fn capacities_page(
    state: &AppState,
    ctx: &Ctx,
    id: EtablissementId,
    errors: Errors,
) -> Result<CapacitiesPage, HtmlError> {
    let settings = state.app.capacity_settings(ctx, id).await?;
    let name = state
        .app
        .structures(ctx)
        .await?
        .etablissements
        .into_iter()
        .find(|e| e.id == id)
        .map(|e| e.name)
        .unwrap_or_default();
    Ok(CapacitiesPage {
        layout: Layout::for_ctx(ctx),
        id,
        name,
        settings,
        errors,
        can_manage: can_manage(ctx),
    })
}

async fn capacities_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
) -> HtmlResult {
    Ok(render(
        &capacities_page(&state, &ctx, id, Errors::none()).await?,
    ))
}

/// Every line of the form is `modalite:<code>` or `unite:<id>` → places (empty: not set).
async fn update_capacities(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<EtablissementId>,
    Form(lines): Form<Vec<(String, String)>>,
) -> HtmlResult {
    match state.app.set_capacities(&ctx, id, &lines).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/etablissements/{id}/capacites")).into_response())
        }
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &capacities_page(&state, &ctx, id, Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
