//! Evaluations of a person: needs against the SERAFIN-PH nomenclature (which feed the projet
//! personnalisé) and AGGIR (with its explanation, history, trend, and the GMP of an establishment).
//! An evaluation is never deleted: a mistaken one is cancelled with its reason, and a correction is a
//! new version.

use jiff::civil::Date;
use parcours_domain::authz::Action;
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{EvaluationId, UsagerId};
use parcours_domain::input;
use parcours_domain::projet::{self as rules, NeedLine, RawNeedLine};
use parcours_store::records::EvaluationRow;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::parse_stored_date;
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
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
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
            out.push(EvaluationView {
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
            });
        }
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
