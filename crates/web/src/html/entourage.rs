//! Pages of the person's circle: entourage and legal protection (with who may consent and sign),
//! the partners following the person, and consents (state per purpose, history, new decision).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use axum::routing::get;
use parcours_app::consent::{PurposeState, RawConsent, SIGNED_BY_PERSON};
use parcours_app::domain::authz::{Action, role_allows};
use parcours_app::domain::codelist;
use parcours_app::domain::consent::ConsentDecision;
use parcours_app::domain::entourage::{MeasureKind, RELATIONS};
use parcours_app::domain::ids::{MesureId, ProcheId, UsagerId};
use parcours_app::domain::partner::LINK_ROLES;
use parcours_app::entourage::{EntourageFile, RawLien, RawMesure, RawProche};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;
use uuid::Uuid;

use super::usager::Banner;
use super::{
    Choice, Errors, Form, HtmlError, HtmlResult, Layout, date_fr, datetime_fr, opt_date_fr, render,
    render_status, tick, ticked,
};
use super::{OkQuery, banner, to};
use crate::AppState;
use crate::auth::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/entourage", get(file_page))
        .route(
            "/usagers/{id}/proches/nouveau",
            get(new_proche_form).post(create_proche),
        )
        .route(
            "/usagers/{id}/proches/{pid}",
            get(edit_proche_form).post(update_proche),
        )
        .route(
            "/usagers/{id}/mesures/nouvelle",
            get(new_mesure_form).post(create_mesure),
        )
        .route(
            "/usagers/{id}/mesures/{mid}",
            get(edit_mesure_form).post(update_mesure),
        )
        .route(
            "/usagers/{id}/liens/nouveau",
            get(new_lien_form).post(create_lien),
        )
        .route(
            "/usagers/{id}/liens/{lid}",
            get(edit_lien_form).post(update_lien),
        )
        .route(
            "/usagers/{id}/consentements",
            get(consents_page).post(record_consent),
        )
}

fn iso(d: Option<jiff::civil::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The entourage tab

#[derive(Template)]
#[template(path = "usager_entourage.html")]
struct FilePage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    file: EntourageFile,
    can_manage: bool,
}

impl FilePage {
    fn d(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
    fn od(&self, d: &Option<jiff::civil::Date>) -> String {
        opt_date_fr(d)
    }
}

async fn file_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let file = state.app.entourage_file(&ctx, id).await?;
    let message = match q.ok.as_str() {
        "proche" => Some("Entourage mis à jour."),
        "mesure" => Some("Mesure de protection enregistrée."),
        "lien" => Some("Partenaire de l'usager enregistré."),
        _ => None,
    };
    Ok(render(&FilePage {
        layout: Layout::for_ctx(&ctx),
        banner,
        message,
        file,
        can_manage: role_allows(ctx.actor.role, Action::ManageEntourage),
    }))
}

// ---------------------------------------------------------------------------------------------
// Members of the entourage

#[derive(Deserialize, Default)]
struct ProcheForm {
    #[serde(default)]
    relation: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    aidant: Option<String>,
    #[serde(default)]
    personne_confiance: Option<String>,
    #[serde(default)]
    personne_a_prevenir: Option<String>,
    #[serde(default)]
    autorite_parentale: Option<String>,
    #[serde(default)]
    partenaire_id: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    inactive: Option<String>,
    #[serde(default)]
    version: Option<i64>,
}

impl ProcheForm {
    fn raw(&self) -> RawProche {
        RawProche {
            relation: self.relation.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            aidant: ticked(&self.aidant),
            personne_confiance: ticked(&self.personne_confiance),
            personne_a_prevenir: ticked(&self.personne_a_prevenir),
            autorite_parentale: ticked(&self.autorite_parentale),
            partenaire_id: self.partenaire_id.clone(),
            notes: self.notes.clone(),
            active: !ticked(&self.inactive),
            version: self.version,
        }
    }
}

#[derive(Template)]
#[template(path = "proche_form.html")]
struct ProchePage {
    layout: Layout,
    banner: Banner,
    action: String,
    editing: bool,
    form: ProcheForm,
    errors: Errors,
    relations: Vec<Choice>,
    mandataires: Vec<Choice>,
}

async fn proche_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    pid: Option<ProcheId>,
    form: Option<ProcheForm>,
    errors: Errors,
) -> Result<ProchePage, HtmlError> {
    let form = match (form, pid) {
        (Some(f), _) => f,
        (None, None) => ProcheForm::default(),
        (None, Some(pid)) => {
            let file = state.app.entourage_file(ctx, id).await?;
            let p = file
                .proches
                .into_iter()
                .find(|p| p.id == pid)
                .ok_or(HtmlError(AppError::NotFound))?;
            ProcheForm {
                relation: p.relation,
                last_name: p.last_name,
                first_name: p.first_name.unwrap_or_default(),
                phone: p.phone.unwrap_or_default(),
                email: p.email.unwrap_or_default(),
                address: p.address.unwrap_or_default(),
                aidant: tick(p.aidant),
                personne_confiance: tick(p.personne_confiance),
                personne_a_prevenir: tick(p.personne_a_prevenir),
                autorite_parentale: tick(p.autorite_parentale),
                partenaire_id: p.partenaire_id.map(|x| x.to_string()).unwrap_or_default(),
                notes: p.notes.unwrap_or_default(),
                inactive: tick(!p.active),
                version: Some(p.version),
            }
        }
    };
    let mandataires = state
        .app
        .search_partners(ctx, "", Some("mandataire_judiciaire"))
        .await?
        .into_iter()
        .filter(|p| p.active)
        .map(|p| Choice::new(p.id.to_string(), p.partner.name))
        .collect();
    Ok(ProchePage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        action: match pid {
            Some(p) => format!("/usagers/{id}/proches/{p}"),
            None => format!("/usagers/{id}/proches/nouveau"),
        },
        editing: pid.is_some(),
        form,
        errors,
        relations: Choice::table(RELATIONS),
        mandataires,
    })
}

async fn new_proche_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    Ok(render(
        &proche_page(&state, &ctx, id, None, None, Errors::none()).await?,
    ))
}

async fn edit_proche_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProcheId)>,
) -> HtmlResult {
    Ok(render(
        &proche_page(&state, &ctx, id, Some(pid), None, Errors::none()).await?,
    ))
}

async fn create_proche(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<ProcheForm>,
) -> HtmlResult {
    form_errors!(
        state.app.save_proche(&ctx, id, None, &form.raw()).await,
        to(format!("/usagers/{id}/entourage?ok=proche")),
        |errors| proche_page(&state, &ctx, id, None, Some(form), errors).await?
    )
}

async fn update_proche(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProcheId)>,
    Form(form): Form<ProcheForm>,
) -> HtmlResult {
    form_errors!(
        state
            .app
            .save_proche(&ctx, id, Some(pid), &form.raw())
            .await,
        to(format!("/usagers/{id}/entourage?ok=proche")),
        |errors| proche_page(&state, &ctx, id, Some(pid), Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Protection measures

#[derive(Template)]
#[template(path = "mesure_form.html")]
struct MesurePage {
    layout: Layout,
    banner: Banner,
    action: String,
    form: RawMesure,
    errors: Errors,
    kinds: Vec<Choice>,
    representatives: Vec<Choice>,
}

async fn mesure_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    mid: Option<MesureId>,
    form: Option<RawMesure>,
    errors: Errors,
) -> Result<MesurePage, HtmlError> {
    let file = state.app.entourage_file(ctx, id).await?;
    let form = match (form, mid) {
        (Some(f), _) => f,
        (None, None) => RawMesure::default(),
        (None, Some(mid)) => {
            let m = file
                .mesures
                .iter()
                .find(|m| m.id == mid)
                .ok_or(HtmlError(AppError::NotFound))?;
            RawMesure {
                kind: m.kind.code().to_string(),
                start_date: m.start.to_string(),
                end_date: iso(m.end),
                representative_id: m.representative_id.to_string(),
                judgment_ref: m.judgment_ref.clone().unwrap_or_default(),
                court: m.court.clone().unwrap_or_default(),
                version: Some(m.version),
            }
        }
    };
    Ok(MesurePage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        action: match mid {
            Some(m) => format!("/usagers/{id}/mesures/{m}"),
            None => format!("/usagers/{id}/mesures/nouvelle"),
        },
        form,
        errors,
        kinds: MeasureKind::ALL
            .iter()
            .map(|k| Choice::new(k.code(), k.label_fr()))
            .collect(),
        representatives: file
            .proches
            .iter()
            .filter(|p| p.active)
            .map(|p| {
                Choice::new(
                    p.id.to_string(),
                    format!("{} ({})", p.name, p.relation_label),
                )
            })
            .collect(),
    })
}

async fn new_mesure_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    Ok(render(
        &mesure_page(&state, &ctx, id, None, None, Errors::none()).await?,
    ))
}

async fn edit_mesure_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, mid)): Path<(UsagerId, MesureId)>,
) -> HtmlResult {
    Ok(render(
        &mesure_page(&state, &ctx, id, Some(mid), None, Errors::none()).await?,
    ))
}

async fn create_mesure(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<RawMesure>,
) -> HtmlResult {
    form_errors!(
        state.app.save_mesure(&ctx, id, None, &form).await,
        to(format!("/usagers/{id}/entourage?ok=mesure")),
        |errors| mesure_page(&state, &ctx, id, None, Some(form), errors).await?
    )
}

async fn update_mesure(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, mid)): Path<(UsagerId, MesureId)>,
    Form(form): Form<RawMesure>,
) -> HtmlResult {
    form_errors!(
        state.app.save_mesure(&ctx, id, Some(mid), &form).await,
        to(format!("/usagers/{id}/entourage?ok=mesure")),
        |errors| mesure_page(&state, &ctx, id, Some(mid), Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Partners following the person

#[derive(Template)]
#[template(path = "lien_form.html")]
struct LienPage {
    layout: Layout,
    banner: Banner,
    action: String,
    form: RawLien,
    errors: Errors,
    partners: Vec<Choice>,
    roles: Vec<Choice>,
}

async fn lien_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    lid: Option<Uuid>,
    form: Option<RawLien>,
    errors: Errors,
) -> Result<LienPage, HtmlError> {
    let form = match (form, lid) {
        (Some(f), _) => f,
        (None, None) => RawLien::default(),
        (None, Some(lid)) => {
            let file = state.app.entourage_file(ctx, id).await?;
            let l = file
                .liens
                .iter()
                .find(|l| l.id == lid)
                .ok_or(HtmlError(AppError::NotFound))?;
            RawLien {
                partenaire_id: l.partenaire_id.to_string(),
                role: l.role.clone(),
                start_date: iso(l.start),
                end_date: iso(l.end),
                notes: l.notes.clone().unwrap_or_default(),
                version: Some(l.version),
            }
        }
    };
    let partners = state
        .app
        .search_partners(ctx, "", None)
        .await?
        .into_iter()
        .filter(|p| p.active)
        .map(|p| {
            Choice::new(
                p.id.to_string(),
                format!("{} — {}", p.partner.name, p.kind_label),
            )
        })
        .collect();
    Ok(LienPage {
        layout: Layout::for_ctx(ctx),
        banner: banner(state, ctx, id).await?,
        action: match lid {
            Some(l) => format!("/usagers/{id}/liens/{l}"),
            None => format!("/usagers/{id}/liens/nouveau"),
        },
        form,
        errors,
        partners,
        roles: Choice::table(LINK_ROLES),
    })
}

async fn new_lien_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    Ok(render(
        &lien_page(&state, &ctx, id, None, None, Errors::none()).await?,
    ))
}

async fn edit_lien_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, lid)): Path<(UsagerId, Uuid)>,
) -> HtmlResult {
    Ok(render(
        &lien_page(&state, &ctx, id, Some(lid), None, Errors::none()).await?,
    ))
}

async fn create_lien(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<RawLien>,
) -> HtmlResult {
    form_errors!(
        state.app.save_lien(&ctx, id, None, &form).await,
        to(format!("/usagers/{id}/entourage?ok=lien")),
        |errors| lien_page(&state, &ctx, id, None, Some(form), errors).await?
    )
}

async fn update_lien(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, lid)): Path<(UsagerId, Uuid)>,
    Form(form): Form<RawLien>,
) -> HtmlResult {
    form_errors!(
        state.app.save_lien(&ctx, id, Some(lid), &form).await,
        to(format!("/usagers/{id}/entourage?ok=lien")),
        |errors| lien_page(&state, &ctx, id, Some(lid), Some(form), errors).await?
    )
}

// ---------------------------------------------------------------------------------------------
// Consents

#[derive(Deserialize, Default)]
struct ConsentForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    signatory: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    partners: Vec<String>,
    #[serde(default)]
    document_ref: String,
}

#[derive(Template)]
#[template(path = "usager_consents.html")]
struct ConsentsPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    states: Vec<PurposeState>,
    explanation: String,
    form: ConsentForm,
    errors: Errors,
    purposes: Vec<Choice>,
    decisions: Vec<Choice>,
    signatories: Vec<Choice>,
    partners: Vec<Choice>,
    can_record: bool,
}

impl ConsentsPage {
    fn d(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
    fn partner_checked(&self, id: &str) -> bool {
        self.form.partners.iter().any(|p| p == id)
    }
}

async fn consents_view(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    message: Option<&'static str>,
    form: ConsentForm,
    errors: Errors,
) -> Result<ConsentsPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let states = state.app.consents(ctx, id).await?;
    let file = state.app.entourage_file(ctx, id).await?;
    let mut signatories = vec![Choice::new(SIGNED_BY_PERSON, "La personne elle-même")];
    signatories.extend(file.proches.iter().filter(|p| p.active).map(|p| {
        Choice::new(
            p.id.to_string(),
            format!("{} ({})", p.name, p.relation_label),
        )
    }));
    Ok(ConsentsPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message,
        states,
        explanation: file.signing.explanation,
        form,
        errors,
        purposes: Choice::codes(codelist::consent_purposes()),
        decisions: ConsentDecision::ALL
            .iter()
            .map(|d| Choice::new(d.code(), d.label_fr()))
            .collect(),
        signatories,
        partners: file
            .liens
            .iter()
            .map(|l| {
                Choice::new(
                    l.partenaire_id.to_string(),
                    format!("{} ({})", l.partenaire_name, l.role_label),
                )
            })
            .collect(),
        can_record: role_allows(ctx.actor.role, Action::RecordConsent),
    })
}

async fn consents_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let message = (q.ok == "consentement").then_some("Décision de consentement enregistrée.");
    let form = ConsentForm {
        decided_on: state.app.today().to_string(),
        ..ConsentForm::default()
    };
    Ok(render(
        &consents_view(&state, &ctx, id, message, form, Errors::none()).await?,
    ))
}

async fn record_consent(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<ConsentForm>,
) -> HtmlResult {
    let raw = RawConsent {
        purpose: form.purpose.clone(),
        decision: form.decision.clone(),
        signatory: form.signatory.clone(),
        decided_on: form.decided_on.clone(),
        expires_on: form.expires_on.clone(),
        scope: form.scope.clone(),
        partners: form.partners.clone(),
        document_ref: form.document_ref.clone(),
    };
    form_errors!(
        state.app.record_consent(&ctx, id, &raw).await,
        to(format!("/usagers/{id}/consentements?ok=consentement")),
        |errors| consents_view(&state, &ctx, id, None, form, errors).await?
    )
}
