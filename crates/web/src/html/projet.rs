//! Pages of the projet personnalisé and of needs evaluations: the person's projets, one projet with
//! its chain (attentes → besoins → objectifs → actions → prestations), participants, accords, status,
//! avenants and bilans, one form page per act, and the PDF for the person.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use parcours_app::domain::authz::{Action, role_allows};
use parcours_app::domain::codelist;
use parcours_app::domain::ids::{ProjetId, UsagerId};
use parcours_app::domain::projet::{
    Element, Kind, NEED_LEVELS, ORIGINES_ATTENTE, ROLES_PARTICIPANT, RawAction, RawAttente,
    RawBesoin, RawBilan, RawNeedLine, RawObjectif, RawParticipant, Resultat, ReviewState,
    origine_label, role_label,
};
use parcours_app::domain::serafin::{self, Family};
use parcours_app::evaluation::{EvaluationView, RawNeedsEvaluation};
use parcours_app::projet::{ProjetSummary, ProjetView, RawAccord, RawNewProjet, RawProjetStatus};
use parcours_app::{AppError, Ctx};
use serde::Deserialize;

use super::usager::Banner;
use super::{
    Choice, Errors, Form, HtmlError, HtmlResult, Layout, date_fr, datetime_fr, opt_date_fr, render,
    render_status,
};
use super::{OkQuery, banner, to};
use crate::AppState;
use crate::auth::CurrentUser;
use parcours_app::records::Owned;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/usagers/{id}/evaluations", get(evaluations_page))
        .route(
            "/usagers/{id}/evaluations/besoins",
            get(needs_form).post(record_needs),
        )
        .route(
            "/usagers/{id}/projets",
            get(projets_page).post(create_projet),
        )
        .route("/usagers/{id}/projets/{pid}", get(projet_page))
        .route(
            "/usagers/{id}/projets/{pid}/ajouter/{kind}",
            get(element_form).post(add_element),
        )
        .route(
            "/usagers/{id}/projets/{pid}/modifier/{kind}/{eid}",
            get(edit_element_form).post(edit_element),
        )
        .route(
            "/usagers/{id}/projets/{pid}/retirer/{kind}/{eid}",
            post(remove_element),
        )
        .route(
            "/usagers/{id}/projets/{pid}/besoins-evalues",
            post(import_needs),
        )
        .route("/usagers/{id}/projets/{pid}/statut", post(change_status))
        .route("/usagers/{id}/projets/{pid}/accords", post(record_accord))
        .route("/usagers/{id}/projets/{pid}/avenant", post(create_avenant))
        .route(
            "/usagers/{id}/projets/{pid}/bilan",
            get(bilan_form).post(record_bilan),
        )
        .route("/usagers/{id}/projets/{pid}/document.pdf", get(projet_pdf))
}

/// The concepts of some families of the current SERAFIN-PH edition, for a `<select>`.
fn serafin_choices(families: &[Family]) -> Vec<Choice> {
    serafin::current()
        .concepts()
        .iter()
        .filter(|c| families.contains(&c.family) && c.level >= 2)
        .map(|c| {
            let indent = "\u{a0}\u{a0}".repeat(usize::from(c.level.saturating_sub(2)));
            Choice::new(c.code.clone(), format!("{indent}{} {}", c.code, c.label))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Evaluations

#[derive(Template)]
#[template(path = "usager_evaluations.html")]
struct EvaluationsPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    evaluations: Vec<EvaluationView>,
    can_needs: bool,
    can_aggir: bool,
}

impl EvaluationsPage {
    fn d(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
    fn needs(&self) -> Vec<&EvaluationView> {
        self.evaluations
            .iter()
            .filter(|e| e.kind == "besoins")
            .collect()
    }
    fn aggirs(&self) -> Vec<&EvaluationView> {
        self.evaluations
            .iter()
            .filter(|e| e.kind == "aggir")
            .collect()
    }
}

async fn evaluations_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let evaluations = state.app.evaluations(&ctx, id).await?;
    let message = match q.ok.as_str() {
        "besoins" => Some("Évaluation des besoins enregistrée."),
        "aggir" => Some("Évaluation AGGIR enregistrée."),
        _ => None,
    };
    Ok(render(&EvaluationsPage {
        layout: Layout::for_ctx(&ctx),
        banner,
        message,
        evaluations,
        can_needs: role_allows(ctx.actor.role, Action::EvaluateNeeds),
        can_aggir: role_allows(ctx.actor.role, Action::EvaluateAggir),
    }))
}

/// The needs form: rows of (need, level, comment); rows left empty are ignored.
#[derive(Deserialize, Default)]
struct NeedsForm {
    #[serde(default)]
    evaluated_on: String,
    #[serde(default)]
    context: String,
    #[serde(default)]
    code: Vec<String>,
    #[serde(default)]
    level: Vec<String>,
    #[serde(default)]
    comment: Vec<String>,
}

/// Rows offered by the form.
const NEED_ROWS: usize = 8;

struct NeedRow {
    code: String,
    level: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "needs_form.html")]
struct NeedsPage {
    layout: Layout,
    banner: Banner,
    evaluated_on: String,
    context: String,
    rows: Vec<NeedRow>,
    errors: Errors,
    needs: Vec<Choice>,
    levels: Vec<Choice>,
}

fn needs_page(ctx: &Ctx, banner: Banner, form: NeedsForm, errors: Errors) -> NeedsPage {
    let rows = (0..NEED_ROWS.max(form.code.len()))
        .map(|i| NeedRow {
            code: form.code.get(i).cloned().unwrap_or_default(),
            level: form.level.get(i).cloned().unwrap_or_default(),
            comment: form.comment.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    NeedsPage {
        layout: Layout::for_ctx(ctx),
        banner,
        evaluated_on: form.evaluated_on,
        context: form.context,
        rows,
        errors,
        needs: serafin_choices(&[Family::Besoin]),
        levels: Choice::table(NEED_LEVELS),
    }
}

async fn needs_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    let banner = banner(&state, &ctx, id).await?;
    let form = NeedsForm {
        evaluated_on: state.app.today().to_string(),
        ..NeedsForm::default()
    };
    Ok(render(&needs_page(&ctx, banner, form, Errors::none())))
}

async fn record_needs(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<NeedsForm>,
) -> HtmlResult {
    let raw = RawNeedsEvaluation {
        evaluated_on: form.evaluated_on.clone(),
        context: form.context.clone(),
        lines: form
            .code
            .iter()
            .enumerate()
            .map(|(i, code)| RawNeedLine {
                code: code.clone(),
                level: form.level.get(i).cloned().unwrap_or_default(),
                comment: form.comment.get(i).cloned().unwrap_or_default(),
            })
            .collect(),
    };
    match state.app.record_needs_evaluation(&ctx, id, &raw).await {
        Ok(_) => to(format!("/usagers/{id}/evaluations?ok=besoins")),
        Err(AppError::Validation(e)) => {
            let banner = banner(&state, &ctx, id).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &needs_page(&ctx, banner, form, Errors(e)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The person's projets

#[derive(Deserialize, Default)]
struct NewProjetForm {
    #[serde(default)]
    etablissement_id: String,
    #[serde(default)]
    kind: String,
}

#[derive(Template)]
#[template(path = "usager_projets.html")]
struct ProjetsPage {
    layout: Layout,
    banner: Banner,
    projets: Vec<ProjetSummary>,
    form: NewProjetForm,
    errors: Errors,
    etablissements: Vec<Choice>,
    kinds: Vec<Choice>,
    can_write: bool,
}

impl ProjetsPage {
    fn od(&self, d: &Option<jiff::civil::Date>) -> String {
        opt_date_fr(d)
    }
}

async fn projets_view(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    form: NewProjetForm,
    errors: Errors,
) -> Result<ProjetsPage, HtmlError> {
    let record = state.app.get_usager(ctx, id).await?;
    let projets = state.app.projets(ctx, id).await?;
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
    Ok(ProjetsPage {
        layout: Layout::for_ctx(ctx),
        banner: Banner::of(&record),
        projets,
        form,
        errors,
        etablissements,
        kinds: Choice::codes(codelist::projet_types()),
        can_write: role_allows(ctx.actor.role, Action::WriteProjet),
    })
}

async fn projets_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
) -> HtmlResult {
    Ok(render(
        &projets_view(&state, &ctx, id, NewProjetForm::default(), Errors::none()).await?,
    ))
}

async fn create_projet(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path(id): Path<UsagerId>,
    Form(form): Form<NewProjetForm>,
) -> HtmlResult {
    let raw = RawNewProjet {
        etablissement_id: form.etablissement_id.clone(),
        kind: form.kind.clone(),
    };
    match state.app.create_projet(&ctx, id, &raw).await {
        Ok(pid) => to(format!("/usagers/{id}/projets/{pid}?ok=creation")),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &projets_view(&state, &ctx, id, form, Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One projet

#[derive(Template)]
#[template(path = "projet.html")]
struct ProjetPage {
    layout: Layout,
    banner: Banner,
    message: Option<&'static str>,
    p: ProjetView,
    errors: Errors,
    can_write: bool,
    can_sign_structure: bool,
    signatories: Vec<Choice>,
    signing_explanation: String,
    today: String,
}

impl ProjetPage {
    fn d(&self, d: &jiff::civil::Date) -> String {
        date_fr(d)
    }
    fn when(&self, t: &jiff::Timestamp) -> String {
        datetime_fr(t)
    }
    fn origine(&self, code: &str) -> String {
        origine_label(code).to_string()
    }
    fn role(&self, code: &str) -> String {
        role_label(code).to_string()
    }
    fn editable(&self) -> bool {
        self.can_write && self.p.status.editable()
    }
    fn running(&self) -> bool {
        matches!(
            self.p.status,
            parcours_app::domain::projet::ProjetStatus::EnCours
                | parcours_app::domain::projet::ProjetStatus::EnPause
        )
    }
    fn review_label(&self) -> &'static str {
        match self.p.review {
            Some(ReviewState::Overdue) => "Bilan en retard",
            Some(ReviewState::DueSoon) => "Bilan à faire dans le mois",
            _ => "",
        }
    }
    fn besoin_title(&self, id: &u32) -> String {
        self.p
            .contenu
            .besoins
            .iter()
            .find(|b| b.id == *id)
            .map(|b| format!("{} {}", b.serafin.code, self.p.label(&b.serafin.code)))
            .unwrap_or_default()
    }
    fn actions_of(&self, objectif: &u32) -> Vec<&parcours_app::domain::projet::ActionPlan> {
        self.p
            .contenu
            .actions
            .iter()
            .filter(|a| a.objectifs.contains(objectif))
            .collect()
    }
}

async fn projet_view(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    pid: ProjetId,
    message: Option<&'static str>,
    errors: Errors,
) -> Result<ProjetPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let p = state.app.projet(ctx, pid).await?;
    if p.usager_id != id {
        return Err(HtmlError(AppError::NotFound));
    }
    let file = state.app.entourage_file(ctx, id).await?;
    let mut signatories = Vec::new();
    if file.signing.person {
        signatories.push(Choice::new("usager", "La personne elle-même"));
    }
    for (pid, name) in &file.signing.representatives {
        signatories.push(Choice::new(pid.to_string(), name.clone()));
    }
    Ok(ProjetPage {
        layout: Layout::for_ctx(ctx),
        banner,
        message,
        p,
        errors,
        can_write: role_allows(ctx.actor.role, Action::WriteProjet),
        can_sign_structure: role_allows(ctx.actor.role, Action::SignProjetForStructure),
        signatories,
        signing_explanation: file.signing.explanation,
        today: state.app.today().to_string(),
    })
}

async fn projet_page(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Query(q): Query<OkQuery>,
) -> HtmlResult {
    let message = match q.ok.as_str() {
        "creation" => Some("Projet créé : recueillez d'abord les attentes de la personne."),
        "element" => Some("Projet mis à jour."),
        "import" => Some("Besoins de la dernière évaluation ajoutés."),
        "statut" => Some("Statut du projet mis à jour."),
        "accord" => Some("Accord enregistré."),
        "avenant" => Some("Avenant créé : modifiez-le, puis faites-le signer."),
        "bilan" => Some("Bilan enregistré."),
        _ => None,
    };
    Ok(render(
        &projet_view(&state, &ctx, id, pid, message, Errors::none()).await?,
    ))
}

/// Re-renders the projet page with the errors of an inline form (422), or passes other errors on.
async fn or_projet_errors(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    pid: ProjetId,
    result: Result<(), AppError>,
    ok: &str,
) -> HtmlResult {
    match result {
        Ok(()) => to(format!("/usagers/{id}/projets/{pid}?ok={ok}")),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &projet_view(state, ctx, id, pid, None, Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct VersionForm {
    #[serde(default)]
    version: i64,
}

async fn import_needs(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Form(form): Form<VersionForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let r = state
        .app
        .import_needs(&ctx, pid, form.version)
        .await
        .map(|_| ());
    or_projet_errors(&state, &ctx, id, pid, r, "import").await
}

async fn remove_element(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid, kind, eid)): Path<(UsagerId, ProjetId, String, u32)>,
    Form(form): Form<VersionForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let kind = Kind::parse(&kind).ok_or(HtmlError(AppError::NotFound))?;
    let r = state
        .app
        .remove_projet_element(&ctx, pid, kind, eid, form.version)
        .await;
    or_projet_errors(&state, &ctx, id, pid, r, "element").await
}

async fn change_status(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Form(form): Form<RawProjetStatus>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let r = state.app.change_projet_status(&ctx, pid, &form).await;
    or_projet_errors(&state, &ctx, id, pid, r, "statut").await
}

async fn record_accord(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Form(form): Form<RawAccord>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let r = state.app.record_accord(&ctx, pid, &form).await;
    or_projet_errors(&state, &ctx, id, pid, r, "accord").await
}

#[derive(Deserialize, Default)]
struct AvenantForm {
    #[serde(default)]
    reason: String,
}

async fn create_avenant(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Form(form): Form<AvenantForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    match state.app.create_avenant(&ctx, pid, &form.reason).await {
        Ok(av) => to(format!("/usagers/{id}/projets/{av}?ok=avenant")),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &projet_view(&state, &ctx, id, pid, None, Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Adding an element: one form page per kind

/// Every field any element form may send.
#[derive(Deserialize, Default)]
struct ElementForm {
    #[serde(default)]
    origine: String,
    #[serde(default)]
    texte: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    commentaire: String,
    #[serde(default)]
    titre: String,
    #[serde(default)]
    besoins: Vec<String>,
    #[serde(default)]
    echeance: String,
    #[serde(default)]
    resultat_attendu: String,
    #[serde(default)]
    referent: String,
    #[serde(default)]
    avis_usager: String,
    #[serde(default)]
    libelle: String,
    #[serde(default)]
    objectifs: Vec<String>,
    #[serde(default)]
    moyens: String,
    #[serde(default)]
    prestations: Vec<String>,
    #[serde(default)]
    nom: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    contribution: String,
    #[serde(default)]
    version: i64,
}

impl ElementForm {
    fn element(&self, kind: Kind) -> Element {
        match kind {
            Kind::Attente => Element::Attente(RawAttente {
                origine: self.origine.clone(),
                texte: self.texte.clone(),
            }),
            Kind::Besoin => Element::Besoin(RawBesoin {
                code: self.code.clone(),
                commentaire: self.commentaire.clone(),
            }),
            Kind::Objectif => Element::Objectif(RawObjectif {
                titre: self.titre.clone(),
                besoins: self.besoins.clone(),
                echeance: self.echeance.clone(),
                resultat_attendu: self.resultat_attendu.clone(),
                referent: self.referent.clone(),
                avis_usager: self.avis_usager.clone(),
            }),
            Kind::Action => Element::Action(RawAction {
                libelle: self.libelle.clone(),
                objectifs: self.objectifs.clone(),
                moyens: self.moyens.clone(),
                referent: self.referent.clone(),
                prestations: self.prestations.clone(),
            }),
            Kind::Participant => Element::Participant(RawParticipant {
                nom: self.nom.clone(),
                role: self.role.clone(),
                contribution: self.contribution.clone(),
            }),
        }
    }
    fn has(&self, list: &[String], v: &str) -> bool {
        list.iter().any(|x| x == v)
    }
}

#[derive(Template)]
#[template(path = "projet_element_form.html")]
struct ElementPage {
    layout: Layout,
    banner: Banner,
    p: ProjetView,
    kind: &'static str,
    title: String,
    action: String,
    editing: bool,
    form: ElementForm,
    errors: Errors,
    choices_a: Vec<Choice>,
    choices_b: Vec<Choice>,
}

/// The form values of an existing element, to correct it.
fn form_of(p: &ProjetView, kind: Kind, eid: u32) -> Option<ElementForm> {
    let c = &p.contenu;
    let base = ElementForm {
        version: p.version,
        ..ElementForm::default()
    };
    let ids = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>();
    Some(match kind {
        Kind::Attente => {
            let a = c.attentes.iter().find(|x| x.id == eid)?;
            ElementForm {
                origine: a.origine.clone(),
                texte: a.texte.clone(),
                ..base
            }
        }
        Kind::Besoin => {
            let b = c.besoins.iter().find(|x| x.id == eid)?;
            ElementForm {
                code: b.serafin.code.clone(),
                commentaire: b.commentaire.clone().unwrap_or_default(),
                ..base
            }
        }
        Kind::Objectif => {
            let o = c.objectifs.iter().find(|x| x.id == eid)?;
            ElementForm {
                titre: o.titre.clone(),
                besoins: ids(&o.besoins),
                echeance: o.echeance.to_string(),
                resultat_attendu: o.resultat_attendu.clone(),
                referent: o.referent.clone().unwrap_or_default(),
                avis_usager: o.avis_usager.clone().unwrap_or_default(),
                ..base
            }
        }
        Kind::Action => {
            let a = c.actions.iter().find(|x| x.id == eid)?;
            ElementForm {
                libelle: a.libelle.clone(),
                objectifs: ids(&a.objectifs),
                moyens: a.moyens.clone().unwrap_or_default(),
                referent: a.referent.clone().unwrap_or_default(),
                prestations: a.prestations.iter().map(|x| x.code.clone()).collect(),
                ..base
            }
        }
        Kind::Participant => {
            let x = c.participants.iter().find(|x| x.id == eid)?;
            ElementForm {
                nom: x.nom.clone(),
                role: x.role.clone(),
                contribution: x.contribution.clone().unwrap_or_default(),
                ..base
            }
        }
    })
}

fn kind_code(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Attente => ("attente", "Ajouter une attente de la personne"),
        Kind::Besoin => ("besoin", "Ajouter un besoin"),
        Kind::Objectif => ("objectif", "Ajouter un objectif"),
        Kind::Action => ("action", "Ajouter une action"),
        Kind::Participant => ("participant", "Ajouter un participant"),
    }
}

#[allow(clippy::too_many_arguments)]
async fn element_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    pid: ProjetId,
    kind: Kind,
    existing: Option<u32>,
    form: Option<ElementForm>,
    errors: Errors,
) -> Result<ElementPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let p = state.app.projet(ctx, pid).await?;
    if p.usager_id != id {
        return Err(HtmlError(AppError::NotFound));
    }
    let (code, title) = kind_code(kind);
    let (choices_a, choices_b) = match kind {
        Kind::Attente => (Choice::table(ORIGINES_ATTENTE), Vec::new()),
        Kind::Besoin => (serafin_choices(&[Family::Besoin]), Vec::new()),
        Kind::Objectif => (
            p.contenu
                .besoins
                .iter()
                .map(|b| {
                    Choice::new(
                        b.id.to_string(),
                        format!("{} {}", b.serafin.code, p.label(&b.serafin.code)),
                    )
                })
                .collect(),
            Vec::new(),
        ),
        Kind::Action => (
            p.contenu
                .objectifs
                .iter()
                .map(|o| Choice::new(o.id.to_string(), o.titre.clone()))
                .collect(),
            serafin_choices(&[Family::PrestationDirecte, Family::PrestationIndirecte]),
        ),
        Kind::Participant => (Choice::table(ROLES_PARTICIPANT), Vec::new()),
    };
    let form = match (form, existing) {
        (Some(f), _) => f,
        (None, Some(eid)) => form_of(&p, kind, eid).ok_or(HtmlError(AppError::NotFound))?,
        (None, None) => ElementForm {
            version: p.version,
            ..ElementForm::default()
        },
    };
    Ok(ElementPage {
        layout: Layout::for_ctx(ctx),
        banner,
        action: match existing {
            Some(eid) => format!("/usagers/{id}/projets/{pid}/modifier/{code}/{eid}"),
            None => format!("/usagers/{id}/projets/{pid}/ajouter/{code}"),
        },
        editing: existing.is_some(),
        title: match existing {
            Some(_) => title.replacen("Ajouter", "Modifier", 1),
            None => title.to_string(),
        },
        p,
        kind: code,
        form,
        errors,
        choices_a,
        choices_b,
    })
}

async fn element_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid, kind)): Path<(UsagerId, ProjetId, String)>,
) -> HtmlResult {
    let kind = Kind::parse(&kind).ok_or(HtmlError(AppError::NotFound))?;
    Ok(render(
        &element_page(&state, &ctx, id, pid, kind, None, None, Errors::none()).await?,
    ))
}

async fn add_element(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid, kind)): Path<(UsagerId, ProjetId, String)>,
    Form(form): Form<ElementForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let kind = Kind::parse(&kind).ok_or(HtmlError(AppError::NotFound))?;
    match state
        .app
        .put_projet_element(&ctx, pid, None, &form.element(kind), form.version)
        .await
    {
        Ok(_) => to(format!("/usagers/{id}/projets/{pid}?ok=element")),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &element_page(&state, &ctx, id, pid, kind, None, Some(form), Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

async fn edit_element_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid, kind, eid)): Path<(UsagerId, ProjetId, String, u32)>,
) -> HtmlResult {
    let kind = Kind::parse(&kind).ok_or(HtmlError(AppError::NotFound))?;
    Ok(render(
        &element_page(&state, &ctx, id, pid, kind, Some(eid), None, Errors::none()).await?,
    ))
}

/// A correction of an element of a projet in preparation (the previous version of the projet is kept).
async fn edit_element(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid, kind, eid)): Path<(UsagerId, ProjetId, String, u32)>,
    Form(form): Form<ElementForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let kind = Kind::parse(&kind).ok_or(HtmlError(AppError::NotFound))?;
    match state
        .app
        .put_projet_element(&ctx, pid, Some(eid), &form.element(kind), form.version)
        .await
    {
        Ok(_) => to(format!("/usagers/{id}/projets/{pid}?ok=element")),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &element_page(
                &state,
                &ctx,
                id,
                pid,
                kind,
                Some(eid),
                Some(form),
                Errors(e),
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Bilan

/// The bilan form: one result and comment per objective (`resultat_<id>`, `commentaire_<id>`).
#[derive(Deserialize, Default)]
struct BilanForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    synthese: String,
    #[serde(default)]
    prochain_bilan: String,
    #[serde(default)]
    objectif: Vec<String>,
    #[serde(default)]
    resultat: Vec<String>,
    #[serde(default)]
    commentaire: Vec<String>,
}

#[derive(Template)]
#[template(path = "projet_bilan_form.html")]
struct BilanPage {
    layout: Layout,
    banner: Banner,
    p: ProjetView,
    form: BilanForm,
    errors: Errors,
    results: Vec<Choice>,
}

impl BilanPage {
    fn value(list: &[String], i: usize) -> String {
        list.get(i).cloned().unwrap_or_default()
    }
    fn resultat(&self, i: &usize) -> String {
        Self::value(&self.form.resultat, *i)
    }
    fn commentaire(&self, i: &usize) -> String {
        Self::value(&self.form.commentaire, *i)
    }
}

async fn bilan_page(
    state: &AppState,
    ctx: &Ctx,
    id: UsagerId,
    pid: ProjetId,
    form: Option<BilanForm>,
    errors: Errors,
) -> Result<BilanPage, HtmlError> {
    let banner = banner(state, ctx, id).await?;
    let p = state.app.projet(ctx, pid).await?;
    if p.usager_id != id {
        return Err(HtmlError(AppError::NotFound));
    }
    let form = form.unwrap_or(BilanForm {
        date: state.app.today().to_string(),
        ..BilanForm::default()
    });
    Ok(BilanPage {
        layout: Layout::for_ctx(ctx),
        banner,
        p,
        form,
        errors,
        results: Resultat::ALL
            .iter()
            .map(|r| Choice::new(r.code(), r.label_fr()))
            .collect(),
    })
}

async fn bilan_form(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
) -> HtmlResult {
    Ok(render(
        &bilan_page(&state, &ctx, id, pid, None, Errors::none()).await?,
    ))
}

async fn record_bilan(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Form(form): Form<BilanForm>,
) -> HtmlResult {
    super::belongs(&state, &ctx, Owned::Projet, pid.as_uuid(), id).await?;
    let raw = RawBilan {
        date: form.date.clone(),
        appreciations: form
            .objectif
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    o.clone(),
                    form.resultat.get(i).cloned().unwrap_or_default(),
                    form.commentaire.get(i).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        synthese: form.synthese.clone(),
        prochain_bilan: form.prochain_bilan.clone(),
    };
    match state.app.record_bilan(&ctx, pid, &raw).await {
        Ok(_) => to(format!("/usagers/{id}/projets/{pid}?ok=bilan")),
        Err(AppError::Validation(e)) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &bilan_page(&state, &ctx, id, pid, Some(form), Errors(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The document

#[derive(Deserialize, Default)]
struct PdfQuery {
    #[serde(default)]
    gros: Option<String>,
}

async fn projet_pdf(
    State(state): State<AppState>,
    CurrentUser(ctx): CurrentUser,
    Path((id, pid)): Path<(UsagerId, ProjetId)>,
    Query(q): Query<PdfQuery>,
) -> HtmlResult {
    let record = state.app.get_usager(&ctx, id).await?;
    let p = state.app.projet(&ctx, pid).await?;
    if p.usager_id != id {
        return Err(HtmlError(AppError::NotFound));
    }
    let bytes = crate::documents::projet_pdf(&record, &p, q.gros.is_some())
        .map_err(|e| HtmlError(AppError::Internal(e)))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"projet-personnalise-{}.pdf\"", p.number),
            ),
        ],
        bytes,
    )
        .into_response())
}
