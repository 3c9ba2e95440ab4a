//! Evaluations of a person: needs against the SERAFIN-PH nomenclature (which feed the projet
//! personnalisé) and AGGIR (with its explanation, history, trend, and the GMP of an establishment).
//! An evaluation is never deleted: a mistaken one is cancelled with its reason, and a correction is a
//! new version.

use jiff::civil::Date;
use parcours_domain::aggir::{self, Assessment};
use parcours_domain::authz::{Action, Resource};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{EtablissementId, EvaluationId, UsagerId};
use parcours_domain::input;
use parcours_domain::projet::{self as rules, NeedLine, RawNeedLine};
use parcours_store::records::{Bind, EvaluationRow, SejourRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::{parse_stored_date, stored_dates};
use crate::audit::AuditAction;
use crate::usager::micros_to_ts;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNeedsEvaluation {
    pub evaluated_on: String,
    #[serde(default)]
    pub context: String,
    #[schema(value_type = Vec<Object>)]
    pub lines: Vec<RawNeedLine>,
}

/// One identified need, as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NeedLineView {
    pub code: String,
    pub label: String,
    pub level: Option<String>,
    pub level_label: Option<String>,
    pub comment: Option<String>,
}

/// An evaluation as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvaluationView {
    #[schema(value_type = String)]
    pub id: EvaluationId,
    pub kind: String,
    #[schema(value_type = String)]
    pub evaluated_on: Date,
    pub evaluator: String,
    pub context: Option<String>,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    /// Needs evaluation: the needs identified.
    pub needs: Vec<NeedLineView>,
    /// AGGIR: the ten letters, rang and GIR.
    pub letters: Option<String>,
    pub rang: Option<i64>,
    pub gir: Option<i64>,
    #[schema(value_type = String)]
    pub recorded_at: jiff::Timestamp,
    pub version: i64,
}

fn view_of(
    r: &EvaluationRow,
    names: &std::collections::HashMap<Uuid, String>,
) -> AppResult<EvaluationView> {
    let needs = if r.kind == "besoins" {
        needs_of(r)?
            .into_iter()
            .map(|l| NeedLineView {
                label: l.serafin.label(),
                code: l.serafin.code,
                level_label: l
                    .level
                    .as_deref()
                    .map(|x| rules::need_level_label(x).to_string()),
                level: l.level,
                comment: l.comment,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(EvaluationView {
        id: EvaluationId::from_uuid(r.id),
        kind: r.kind.clone(),
        evaluated_on: parse_stored_date(&r.evaluated_on)?,
        evaluator: names.get(&r.evaluator_id).cloned().unwrap_or_default(),
        context: r.context.clone(),
        cancelled: r.status == "annule",
        cancel_reason: r.status_reason.clone(),
        needs,
        letters: r.letters.clone(),
        rang: r.rang,
        gir: r.gir,
        recorded_at: micros_to_ts(r.created_at),
        version: r.version,
    })
}

fn needs_of(row: &EvaluationRow) -> AppResult<Vec<NeedLine>> {
    serde_json::from_str(&row.content)
        .map_err(|e| AppError::Internal(format!("evaluation {}: {e}", row.id)))
}

impl App {
    /// Records a needs evaluation: each need a SERAFIN-PH 1.x concept, with a level or a comment.
    pub async fn record_needs_evaluation(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawNeedsEvaluation,
    ) -> AppResult<EvaluationId> {
        self.gate_person(ctx, Action::EvaluateNeeds, usager).await?;
        let mut e = FieldErrors::default();
        let on = e.take(input::date("evaluated_on", &raw.evaluated_on));
        if on.is_some_and(|d| d > self.today()) {
            e.push(
                "evaluated_on",
                "La date de l'évaluation ne peut pas être dans le futur.",
            );
        }
        let context = e
            .take(input::opt_text("context", &raw.context, input::LONG_TEXT))
            .flatten();
        let lines = match rules::check_needs(&raw.lines) {
            Ok(l) => Some(l),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        let (Some(on), Some(lines)) = (on, lines) else {
            return Err(AppError::Validation(e));
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let content = serde_json::to_string(&lines)
            .map_err(|err| AppError::Internal(format!("json: {err}")))?;
        self.insert_evaluation(ctx, usager, "besoins", on, context, content, None, None)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_evaluation(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        kind: &str,
        on: Date,
        context: Option<String>,
        content: String,
        etablissement: Option<Uuid>,
        result: Option<(String, i64, i64)>,
    ) -> AppResult<EvaluationId> {
        let (now, by) = (self.now_micros(), ctx.user().as_uuid());
        let id = self.new_id();
        let (letters, rang, gir) = match result {
            Some((l, r, g)) => (Some(l), Some(r), Some(g)),
            None => (None, None, None),
        };
        let row = EvaluationRow {
            organisation_id: ctx.org(),
            id,
            usager_id: usager.as_uuid(),
            etablissement_id: etablissement,
            kind: kind.into(),
            evaluated_on: on.to_string(),
            evaluator_id: by,
            context,
            content,
            letters,
            rang,
            gir,
            status: "valide".into(),
            status_reason: None,
            version: 1,
            created_at: now,
            created_by: by,
            updated_at: now,
            updated_by: by,
        };
        let mut tx = self.begin().await?;
        row.insert(&mut tx, Some(row.usager_id), None).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EvaluationChange,
            Some(usager),
            "evaluation",
            json!({"evaluation": id, "type": kind, "gir": row.gir}),
        )
        .await?;
        tx.commit().await?;
        Ok(EvaluationId::from_uuid(id))
    }

    /// Cancels an evaluation recorded by mistake (never deleted; the reason is kept).
    pub async fn cancel_evaluation(
        &self,
        ctx: &Ctx,
        id: EvaluationId,
        reason: &str,
        version: i64,
    ) -> AppResult<()> {
        let old = EvaluationRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
        let action = if old.kind == "aggir" {
            Action::EvaluateAggir
        } else {
            Action::EvaluateNeeds
        };
        self.gate_person(ctx, action, UsagerId::from_uuid(old.usager_id))
            .await?;
        if old.status == "annule" {
            return Err(AppError::field(
                "reason",
                "Cette évaluation est déjà annulée.",
            ));
        }
        let reason = input::text("reason", reason, input::LONG_TEXT)?;
        if old.version != version {
            return Err(AppError::Conflict);
        }
        let mut row = old.clone();
        row.status = "annule".into();
        row.status_reason = Some(reason.clone());
        row.version += 1;
        row.updated_at = self.now_micros();
        row.updated_by = ctx.user().as_uuid();
        let mut tx = self.begin().await?;
        row.update(&mut tx, Some(old.usager_id), Some(&reason))
            .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EvaluationChange,
            Some(UsagerId::from_uuid(old.usager_id)),
            "evaluation",
            json!({"evaluation": id, "annulation": true}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The evaluations of a person, newest first.
    pub async fn evaluations(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<Vec<EvaluationView>> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let names = self.user_names(ctx).await?;
        let rows = EvaluationRow::list_by(
            &self.db,
            ctx.org(),
            "usager_id",
            usager.as_uuid(),
            "evaluated_on desc, created_at desc",
        )
        .await?;
        let out = rows
            .iter()
            .map(|r| view_of(r, &names))
            .collect::<AppResult<Vec<_>>>()?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "evaluations",
            json!({"evaluations": out.len()}),
        )
        .await?;
        Ok(out)
    }
}

/// An AGGIR evaluation as typed: the four adverbs of every (sub-)variable of the grid.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAggir {
    pub evaluated_on: String,
    #[serde(default)]
    pub context: String,
    /// The establishment where the person is evaluated (for its GMP); may be left empty when the
    /// person is followed in one establishment only.
    #[serde(default)]
    pub etablissement_id: String,
    #[schema(value_type = Object)]
    pub evaluation: aggir::Evaluation,
}

/// One AGGIR evaluation with its explanation and what changed since the previous one.
#[derive(Debug, Clone)]
pub struct AggirDetail {
    pub view: EvaluationView,
    pub evaluation: aggir::Evaluation,
    pub assessment: Assessment,
    /// The previous valid evaluation's date and GIR, and the changes in French.
    pub previous: Option<(Date, u8)>,
    pub changes: Vec<String>,
    pub etablissement_name: Option<String>,
}

/// The GIR moyen pondéré of an establishment on a day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GmpView {
    #[schema(value_type = String)]
    pub etablissement_id: EtablissementId,
    #[schema(value_type = String)]
    pub on: Date,
    /// Persons with a séjour that day.
    pub persons: usize,
    /// Persons evaluated (latest valid AGGIR on or before the day), per GIR 1..6.
    pub by_gir: [usize; 6],
    /// Persons present without any AGGIR evaluation.
    pub not_evaluated: usize,
    pub gmp: Option<f64>,
}

fn aggir_of(row: &EvaluationRow) -> AppResult<aggir::Evaluation> {
    serde_json::from_str(&row.content)
        .map_err(|e| AppError::Internal(format!("aggir {}: {e}", row.id)))
}

impl App {
    /// Records an AGGIR evaluation: the letters, rang and GIR are computed from the adverbs (CASF
    /// annexes 2-1 and 2-2) and stored with them.
    pub async fn record_aggir(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawAggir,
    ) -> AppResult<EvaluationId> {
        self.gate_person(ctx, Action::EvaluateAggir, usager).await?;
        let mut e = FieldErrors::default();
        let on = e.take(input::date("evaluated_on", &raw.evaluated_on));
        if on.is_some_and(|d| d > self.today()) {
            e.push(
                "evaluated_on",
                "La date de l'évaluation ne peut pas être dans le futur.",
            );
        }
        let context = e
            .take(input::opt_text("context", &raw.context, input::LONG_TEXT))
            .flatten();
        let placements = crate::usager::placements_of(self, ctx, usager).await?;
        let mut etabs: Vec<Uuid> = placements
            .iter()
            .map(|p| p.etablissement.as_uuid())
            .collect();
        etabs.sort();
        etabs.dedup();
        let etab = match raw.etablissement_id.trim() {
            "" if etabs.len() == 1 => Some(etabs[0]),
            "" => {
                e.push(
                    "etablissement_id",
                    "Indiquez l'établissement de l'évaluation.",
                );
                None
            }
            s => match s.parse::<Uuid>() {
                Ok(id) if etabs.contains(&id) => Some(id),
                _ => {
                    e.push(
                        "etablissement_id",
                        "La personne n'est pas accompagnée dans cet établissement.",
                    );
                    None
                }
            },
        };
        let (Some(on), Some(etab)) = (on, etab) else {
            return Err(AppError::Validation(e));
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let assessment = raw.evaluation.compute();
        let content = serde_json::to_string(&raw.evaluation)
            .map_err(|err| AppError::Internal(format!("json: {err}")))?;
        self.insert_evaluation(
            ctx,
            usager,
            "aggir",
            on,
            context,
            content,
            Some(etab),
            Some((
                assessment.letters.to_string(),
                i64::from(assessment.rang()),
                i64::from(assessment.gir()),
            )),
        )
        .await
    }

    /// One AGGIR evaluation, explained, compared with the previous valid one of the person.
    pub async fn aggir_detail(&self, ctx: &Ctx, id: EvaluationId) -> AppResult<AggirDetail> {
        let row = EvaluationRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
        let usager = UsagerId::from_uuid(row.usager_id);
        // The gate first: a refused professional learns nothing about the evaluation.
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        if row.kind != "aggir" {
            return Err(AppError::NotFound);
        }
        let view = view_of(&row, &self.user_names(ctx).await?)?;
        let evaluation = aggir_of(&row)?;
        let assessment = evaluation.compute();
        let previous_row = EvaluationRow::select_where(
            &self.db,
            ctx.org(),
            "usager_id = $2 and kind = 'aggir' and status = 'valide' and evaluated_on <= $3 and id <> $4",
            &[
                Bind::Id(row.usager_id),
                Bind::Text(&row.evaluated_on),
                Bind::Id(row.id),
            ],
            "evaluated_on desc, created_at desc",
            50,
        )
        .await?
        .into_iter()
        .find(|p| (p.evaluated_on.as_str(), p.created_at) < (row.evaluated_on.as_str(), row.created_at));
        let (previous, changes) = match previous_row {
            Some(p) => {
                let before = aggir_of(&p)?.compute();
                (
                    Some((parse_stored_date(&p.evaluated_on)?, before.gir())),
                    aggir::changes(&before, &assessment).lines(),
                )
            }
            None => (None, Vec::new()),
        };
        let etablissement_name = match row.etablissement_id {
            Some(e) => Some(
                parcours_store::organisation::get_etablissement(&self.db, ctx.org(), e)
                    .await?
                    .name,
            ),
            None => None,
        };
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "evaluation",
            json!({"evaluation": id}),
        )
        .await?;
        Ok(AggirDetail {
            view,
            evaluation,
            assessment,
            previous,
            changes,
            etablissement_name,
        })
    }

    /// The GMP of an establishment on a day: the latest valid AGGIR (on or before that day) of every
    /// person with a séjour covering it, weighted by the GIR points.
    pub async fn gmp(&self, ctx: &Ctx, etab: EtablissementId, on: Date) -> AppResult<GmpView> {
        self.authorize(
            ctx,
            Action::ViewEstablishmentActivity,
            &Resource::Etablissement {
                organisation: ctx.organisation(),
                etablissement: etab,
            },
        )?;
        let sejours = SejourRow::select_where(
            &self.db,
            ctx.org(),
            "etablissement_id = $2 and status in ('en_cours', 'termine')",
            &[Bind::Id(etab.as_uuid())],
            "id",
            100_000,
        )
        .await?;
        let today = self.today();
        let mut persons: Vec<Uuid> = Vec::new();
        for s in &sejours {
            if stored_dates(s)?.covers_as_of(on, today) && !persons.contains(&s.usager_id) {
                persons.push(s.usager_id);
            }
        }
        let evals = parcours_store::projet::evaluations_of(&self.db, ctx.org(), &persons).await?;
        let day = on.to_string();
        let mut by_gir = [0usize; 6];
        let mut girs = Vec::new();
        for p in &persons {
            let latest = evals
                .iter()
                .filter(|e| {
                    e.usager_id == *p
                        && e.kind == "aggir"
                        && e.status == "valide"
                        && e.evaluated_on <= day
                })
                .max_by(|a, b| {
                    (a.evaluated_on.as_str(), a.created_at)
                        .cmp(&(b.evaluated_on.as_str(), b.created_at))
                });
            if let Some(g) = latest
                .and_then(|e| e.gir)
                .and_then(|g| u8::try_from(g).ok())
                && (1..=6).contains(&g)
            {
                by_gir[usize::from(g - 1)] += 1;
                girs.push(g);
            }
        }
        self.audit_alone(
            ctx,
            AuditAction::ActivityRead,
            None,
            "gmp",
            json!({"etablissement": etab, "date": day, "personnes": persons.len()}),
        )
        .await?;
        Ok(GmpView {
            etablissement_id: etab,
            on,
            persons: persons.len(),
            not_evaluated: persons.len() - girs.len(),
            by_gir,
            gmp: aggir::gmp(&girs),
        })
    }
}
