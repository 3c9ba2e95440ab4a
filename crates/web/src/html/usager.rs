//! Pages about persons: my persons, search (htmx as you type), creation with duplicate check, the
//! record with its identity banner, identity edit, identity status, history, access history.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use parcours_app::audit::AccessEntry;
use parcours_app::domain::identity::{InsOid, RawIdentity, Sex};
use parcours_app::domain::ids::UsagerId;
use parcours_app::domain::rniv::{IdentityStatus, ValidationMode};
use parcours_app::usager::{
    NewUsager, PlacementOption, StatusChange, UsagerListItem, UsagerRecord, VersionView,
};
use parcours_app::{AppError, Ctx};
use serde::{Deserialize, Serialize};

use super::{
    Choice, Errors, Form, HtmlError, HtmlResult, Layout, date_fr, datetime_fr, render,
    render_status,
};
use crate::AppState;
use crate::auth::{CurrentUser, HxRequest};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/usagers", get(search).post(create))
        .route("/usagers/nouveau", get(new_form))
        .route("/usagers/{id}", get(record))
        .route("/usagers/{id}/modifier", get(edit_form).post(edit))
        .route("/usagers/{id}/statut", get(status_form).post(change_status))
        .route("/usagers/{id}/historique", get(history))
        .route("/usagers/{id}/acces", get(access))
}

/// The identity banner shown on every page of a person.
pub struct Banner {
    pub id: UsagerId,
    pub display_name: String,
    pub birth_names: String,
    pub birth_date: String,
    pub sex: &'static str,
    pub status_code: &'static str,
    pub status_label: &'static str,
    pub ins: Option<String>,
    pub ins_shareable: bool,
    pub attributes: Vec<&'static str>,
    pub placements: Vec<String>,
    /// Active allergies and intolerances: a safety alert shown to every role.
    pub allergies: Vec<parcours_app::medical::AllergyAlert>,
}

impl Banner {
    pub fn of(r: &UsagerRecord) -> Banner {
        let raw = r.identity.to_raw();
        let mut attributes = Vec::new();
        if r.attributes.douteuse {
            attributes.push("Identité douteuse");
        }
        if r.attributes.fictive {
            attributes.push("Identité fictive");
        }
        if r.attributes.homonyme {
            attributes.push("Homonymie");
        }
        Banner {
            id: r.id,
            display_name: r.identity.display_name(),
            birth_names: format!("{} {}", raw.birth_name, raw.birth_first_names),
            birth_date: date_fr(&r.identity.birth_date),
            sex: r.identity.sex.label_fr(),
            status_code: r.status.code(),
            status_label: r.status.label_fr(),
            ins: r.identity.ins.as_ref().map(|i| i.matricule.formatted()),
            ins_shareable: r.ins_shareable(),
            attributes,
            placements: r
                .placements
                .iter()
                .map(|p| match &p.unite_name {
                    Some(u) => format!("{} — {}", p.etablissement_name, u),
                    None => p.etablissement_name.clone(),
                })
                .collect(),
            allergies: r.allergies.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lists and search

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    apres: String,
}

struct Row {
    id: UsagerId,
    name: String,
    birth_date: String,
    status_code: &'static str,
    status_label: &'static str,
}

fn rows(items: Vec<UsagerListItem>) -> Vec<Row> {
    items
        .into_iter()
        .map(|i| Row {
            id: i.id,
            name: i.display_name,
            birth_date: date_fr(&i.birth_date),
            status_code: i.status.code(),
            status_label: i.status.label_fr(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    board: parcours_app::home::HomeBoard,
    rows: Vec<Row>,
    next: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Query(q): Query<ListQuery>,
) -> HtmlResult {
    let layout = Layout::for_ctx(&ctx);
    if !layout.can_list_usagers {
        // Administrators have no access to persons: their home is the administration.
        return Ok(Redirect::to("/admin").into_response());
    }
    let after = (!q.apres.is_empty()).then_some(q.apres.as_str());
    let page = state.app.search_usagers(&ctx, "", after, 50).await?;
    let board = state.app.home_board(&ctx).await?;
    Ok(render(&HomePage {
        layout,
        board,
        rows: rows(page.items),
        next: page.next,
    }))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    rows: Vec<Row>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "search_results.html")]
struct SearchResults {
    q: String,
    rows: Vec<Row>,
    next: Option<String>,
}

async fn search(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    HxRequest(hx): HxRequest,
    Query(q): Query<ListQuery>,
) -> HtmlResult {
    let term = q.q.trim().to_string();
    let (rows_, next) = if term.is_empty() {
        (Vec::new(), None)
    } else {
        let after = (!q.apres.is_empty()).then_some(q.apres.as_str());
        let page = state.app.search_usagers(&ctx, &term, after, 50).await?;
        (rows(page.items), page.next)
    };
    if hx {
        return Ok(render(&SearchResults {
            q: term,
            rows: rows_,
            next,
        }));
    }
    Ok(render(&SearchPage {
        layout: Layout::for_ctx(&ctx),
        q: term,
        rows: rows_,
        next,
    }))
}

// ---------------------------------------------------------------------------------------------
// Creation and edition

/// The identity form, as posted (every field a string; checkboxes present or absent).
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct IdentityForm {
    #[serde(default)]
    birth_name: String,
    #[serde(default)]
    birth_first_name: String,
    #[serde(default)]
    birth_first_names: String,
    #[serde(default)]
    used_name: String,
    #[serde(default)]
    used_first_name: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    birth_place: String,
    #[serde(default)]
    ins_matricule: String,
    #[serde(default)]
    ins_oid: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    placement: String,
    #[serde(default)]
    local_id: String,
    #[serde(default)]
    confirm_not_duplicate: Option<String>,
    #[serde(default)]
    version: i64,
}

impl IdentityForm {
    fn raw(&self) -> RawIdentity {
        RawIdentity {
            birth_name: self.birth_name.clone(),
            birth_first_name: self.birth_first_name.clone(),
            birth_first_names: self.birth_first_names.clone(),
            used_name: self.used_name.clone(),
            used_first_name: self.used_first_name.clone(),
            sex: self.sex.clone(),
            birth_date: self.birth_date.clone(),
            birth_place: self.birth_place.clone(),
            ins_matricule: self.ins_matricule.clone(),
            ins_oid: self.ins_oid.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
        }
    }

    fn from_record(r: &UsagerRecord) -> IdentityForm {
        let raw = r.identity.to_raw();
        IdentityForm {
            birth_name: raw.birth_name,
            birth_first_name: raw.birth_first_name,
            birth_first_names: raw.birth_first_names,
            used_name: raw.used_name,
            used_first_name: raw.used_first_name,
            sex: raw.sex,
            birth_date: raw.birth_date,
            birth_place: raw.birth_place,
            ins_matricule: raw.ins_matricule,
            ins_oid: raw.ins_oid,
            phone: raw.phone,
            email: raw.email,
            address: raw.address,
            postal_code: raw.postal_code,
            city: raw.city,
            version: r.version,
            ..IdentityForm::default()
        }
    }
}

fn sex_choices() -> Vec<Choice> {
    [Sex::Feminin, Sex::Masculin, Sex::Indetermine]
        .iter()
        .map(|s| Choice {
            value: s.code().to_string(),
            label: s.label_fr().to_string(),
        })
        .collect()
}

fn oid_choices() -> Vec<Choice> {
    InsOid::ALL
        .iter()
        .map(|o| Choice {
            value: o.oid().to_string(),
            label: format!("{} ({})", o.label_fr(), o.oid()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "usager_form.html")]
struct IdentityFormPage {
    layout: Layout,
    banner: Option<Banner>,
    creating: bool,
    form: IdentityForm,
    errors: Errors,
    placements: Vec<PlacementOption>,
    sexes: Vec<Choice>,
    oids: Vec<Choice>,
    duplicates: Vec<Row>,
}

impl IdentityFormPage {
    fn action(&self) -> String {
        match &self.banner {
            Some(b) => format!("/usagers/{}/modifier", b.id),
            None => "/usagers".to_string(),
        }
    }
}

async fn new_form(State(state): State<AppState>, CurrentUser(ctx): CurrentUser) -> HtmlResult {
    let placements = state.app.placement_options(&ctx).await?;
    if placements.is_empty() {
        return Err(HtmlError(AppError::Forbidden(
            parcours_app::domain::authz::DenyReason::RoleNotAllowed,
        )));
    }
    Ok(render(&IdentityFormPage {
        layout: Layout::for_ctx(&ctx),
        banner: None,
        creating: true,
        form: IdentityForm::default(),
        errors: Errors::none(),
        placements,
        sexes: sex_choices(),
        oids: oid_choices(),
        duplicates: Vec::new(),
    }))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Form(form): Form<IdentityForm>,
) -> HtmlResult {
    let input = NewUsager {
        identity: form.raw(),
        placement: form.placement.clone(),
        local_id: form.local_id.clone(),
        confirm_not_duplicate: form.confirm_not_duplicate.is_some(),
    };
    let (errors, duplicates) = match state.app.create_usager(&ctx, &input).await {
        Ok(id) => return Ok(Redirect::to(&format!("/usagers/{id}?ok=creation")).into_response()),
        Err(AppError::Validation(e)) => (Errors(e), Vec::new()),
        Err(AppError::PossibleDuplicates(d)) => (Errors::none(), rows(d)),
        Err(e) => return Err(e.into()),
    };
    let placements = state.app.placement_options(&ctx).await?;
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &IdentityFormPage {
            layout: Layout::for_ctx(&ctx),
            banner: None,
            creating: true,
            form,
            errors,
            placements,
            sexes: sex_choices(),
            oids: oid_choices(),
            duplicates,
        },
    ))
}

async fn edit_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let record = state.app.get_usager(&ctx, id).await?;
    Ok(render(&IdentityFormPage {
        layout: Layout::for_ctx(&ctx),
        form: IdentityForm::from_record(&record),
        banner: Some(Banner::of(&record)),
        creating: false,
        errors: Errors::none(),
        placements: Vec::new(),
        sexes: sex_choices(),
        oids: oid_choices(),
        duplicates: Vec::new(),
    }))
}

async fn edit(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<IdentityForm>,
) -> HtmlResult {
    match state
        .app
        .update_identity(&ctx, id, &form.raw(), form.version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/usagers/{id}?ok=identite")).into_response()),
        Err(AppError::Validation(errors)) => {
            let record = state.app.get_usager(&ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &IdentityFormPage {
                    layout: Layout::for_ctx(&ctx),
                    banner: Some(Banner::of(&record)),
                    creating: false,
                    form,
                    errors: Errors(errors),
                    placements: Vec::new(),
                    sexes: sex_choices(),
                    oids: oid_choices(),
                    duplicates: Vec::new(),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The record

#[derive(Deserialize, Default)]
struct RecordQuery {
    #[serde(default)]
    ok: String,
}

#[derive(Template)]
#[template(path = "usager_record.html")]
struct RecordPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    r: RecordView,
}

struct RecordView {
    birth_name: String,
    birth_first_names: String,
    used_name: String,
    used_first_name: String,
    birth_place: String,
    ins_oid: String,
    ins_from_insi: bool,
    validation: Option<String>,
    phone: String,
    email: String,
    address: String,
    local_ids: Vec<String>,
    updated: String,
}

async fn record(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<RecordQuery>,
) -> HtmlResult {
    let r = state.app.get_usager(&ctx, id).await?;
    let raw = r.identity.to_raw();
    let message = match q.ok.as_str() {
        "creation" => Some("Usager créé."),
        "identite" => Some("Identité mise à jour."),
        "statut" => Some("Statut d'identité mis à jour."),
        _ => None,
    };
    let view = RecordView {
        birth_name: raw.birth_name,
        birth_first_names: raw.birth_first_names,
        used_name: raw.used_name,
        used_first_name: raw.used_first_name,
        birth_place: raw.birth_place,
        ins_oid: r
            .identity
            .ins
            .as_ref()
            .map(|i| i.oid.label_fr().to_string())
            .unwrap_or_default(),
        ins_from_insi: r.ins_from_insi,
        validation: r
            .validation
            .map(|(m, d)| format!("{} (vérifié le {})", m.label_fr(), date_fr(&d))),
        phone: raw.phone,
        email: raw.email,
        address: [raw.address, raw.postal_code, raw.city]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        local_ids: r
            .placements
            .iter()
            .filter_map(|p| {
                p.local_id
                    .as_ref()
                    .map(|l| format!("{} : {}", p.etablissement_name, l))
            })
            .collect(),
        updated: format!("{} par {}", datetime_fr(&r.updated_at), r.updated_by),
    };
    Ok(render(&RecordPage {
        layout: Layout::for_ctx(&ctx),
        banner: Banner::of(&r),
        message,
        r: view,
    }))
}

// ---------------------------------------------------------------------------------------------
// Identity status

#[derive(Deserialize, Default, Clone)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    validation_mode: String,
    #[serde(default)]
    validation_date: String,
    #[serde(default)]
    ins_from_insi: Option<String>,
    #[serde(default)]
    douteuse: Option<String>,
    #[serde(default)]
    fictive: Option<String>,
    #[serde(default)]
    homonyme: Option<String>,
    #[serde(default)]
    version: i64,
}

#[derive(Template)]
#[template(path = "usager_status.html")]
struct StatusPage {
    layout: Layout,
    banner: Banner,
    form: StatusForm,
    errors: Errors,
    statuses: Vec<Choice>,
    modes: Vec<Choice>,
    has_ins: bool,
}

fn status_choices() -> Vec<Choice> {
    IdentityStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_string(),
            label: s.label_fr().to_string(),
        })
        .collect()
}

fn mode_choices() -> Vec<Choice> {
    ValidationMode::ALL
        .iter()
        .map(|m| Choice {
            value: m.code().to_string(),
            label: if m.is_high_trust() {
                format!("{} (haut niveau de confiance)", m.label_fr())
            } else {
                m.label_fr().to_string()
            },
        })
        .collect()
}

fn status_page(ctx: &Ctx, r: &UsagerRecord, form: StatusForm, errors: Errors) -> StatusPage {
    StatusPage {
        layout: Layout::for_ctx(ctx),
        banner: Banner::of(r),
        form,
        errors,
        statuses: status_choices(),
        modes: mode_choices(),
        has_ins: r.identity.ins.is_some(),
    }
}

async fn status_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let r = state.app.get_usager(&ctx, id).await?;
    let yes = |b: bool| b.then(|| "on".to_string());
    let form = StatusForm {
        status: r.status.code().to_string(),
        ins_from_insi: yes(r.ins_from_insi),
        douteuse: yes(r.attributes.douteuse),
        fictive: yes(r.attributes.fictive),
        homonyme: yes(r.attributes.homonyme),
        version: r.version,
        ..StatusForm::default()
    };
    Ok(render(&status_page(&ctx, &r, form, Errors::none())))
}

async fn change_status(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<StatusForm>,
) -> HtmlResult {
    let input = StatusChange {
        status: form.status.clone(),
        reason: form.reason.clone(),
        validation_mode: form.validation_mode.clone(),
        validation_date: form.validation_date.clone(),
        ins_from_insi: form.ins_from_insi.is_some(),
        douteuse: form.douteuse.is_some(),
        fictive: form.fictive.is_some(),
        homonyme: form.homonyme.is_some(),
        version: form.version,
    };
    match state.app.change_identity_status(&ctx, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/usagers/{id}?ok=statut")).into_response()),
        Err(AppError::Validation(errors)) => {
            let r = state.app.get_usager(&ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &status_page(&ctx, &r, form, Errors(errors)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Histories

#[derive(Template)]
#[template(path = "usager_history.html")]
struct HistoryPage {
    layout: Layout,
    banner: Banner,
    versions: Vec<VersionView>,
}

impl HistoryPage {
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn history(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let versions = state.app.identity_history(&ctx, id).await?;
    let r = state.app.get_usager(&ctx, id).await?;
    Ok(render(&HistoryPage {
        layout: Layout::for_ctx(&ctx),
        banner: Banner::of(&r),
        versions,
    }))
}

#[derive(Deserialize, Default)]
struct AccessQuery {
    avant: Option<i64>,
}

#[derive(Template)]
#[template(path = "usager_access.html")]
struct AccessPage {
    layout: Layout,
    banner: Banner,
    entries: Vec<AccessEntry>,
    older: Option<i64>,
}

impl AccessPage {
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
}

async fn access(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<AccessQuery>,
) -> HtmlResult {
    let r = state.app.get_usager(&ctx, id).await?;
    let entries = state.app.access_history(&ctx, id, q.avant).await?;
    let older = if entries.len() == 100 {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(render(&AccessPage {
        layout: Layout::for_ctx(&ctx),
        banner: Banner::of(&r),
        entries,
        older,
    }))
}
