//! AGGIR over JSON: a GIR and its explanation, from the 10 letters or from a full evaluation with the
//! four adverbs per sub-variable.
//!
//! The computation is pure (`domain::aggir`) and concerns no person: it needs a session but no access
//! to any record, so there is no use-case call and nothing to audit.

use std::collections::BTreeMap;

use axum::routing::post;
use axum::{Json, Router};
use parcours_app::AppError;
use parcours_app::domain::aggir::{
    Adverb, Assessment, Evaluation, Explanation, GroupExplanation, Letters, SubVariableExplanation,
    Variable, VariableExplanation,
};
use parcours_app::domain::error::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{AdditionalProperties, Object, ObjectBuilder, Schema, Type};

use super::{ApiError, ApiJson, ApiResult, ErrorBody};
use crate::AppState;
use crate::auth::ApiUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/aggir/compute", post(compute_aggir))
}

/// Exactly one of `variables` (compact form) and `evaluation` (full form).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AggirIn {
    /// 10 letters A, B or C (lower case accepted) in the order cohérence, orientation, toilette,
    /// habillage, alimentation, élimination, transferts, déplacements intérieurs, déplacements
    /// extérieurs, communication à distance. Example: `AABBAAAAAA`.
    #[serde(default)]
    pub variables: Option<String>,
    /// The full grid: the four adverbs for every sub-variable and every variable without
    /// sub-variables, the 7 illustrative ones included.
    #[serde(default)]
    #[schema(schema_with = evaluation_schema)]
    pub evaluation: Option<Evaluation>,
}

/// The GIR, the letters and why.
#[derive(Serialize, ToSchema)]
pub struct AggirOut {
    /// 1 (most dependent) to 6.
    pub gir: u8,
    /// 1 to 13 (CASF annexe 2-2).
    pub rang: u8,
    /// The 10 discriminant letters, compact form.
    pub variables: String,
    /// Letter per variable code: the 10 discriminant ones, plus the 7 illustrative ones for a full
    /// evaluation.
    pub letters: BTreeMap<String, String>,
    pub explanation: ExplanationOut,
}

#[derive(Serialize, ToSchema)]
pub struct ExplanationOut {
    /// Each variable: its letter and why.
    pub variables: Vec<VariableOut>,
    /// Each group tried, in order A → H, the deciding one last.
    pub groups: Vec<GroupOut>,
    pub decision: DecisionOut,
    /// The whole explanation as French lines (plain-text view).
    pub lines: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VariableOut {
    /// Stable code (`toilette`).
    pub code: String,
    pub label: String,
    /// `A`, `B` or `C`.
    pub letter: String,
    /// Enters the GIR (the 7 illustrative variables do not).
    pub discriminant: bool,
    /// Why, in French.
    pub reason: String,
    pub sub_variables: Vec<SubVariableOut>,
}

#[derive(Serialize, ToSchema)]
pub struct SubVariableOut {
    /// Stable code (`toilette_haut`).
    pub code: String,
    pub label: String,
    pub letter: String,
    /// Adverbs answered "no" (`spontanement`, `totalement`, `correctement`, `habituellement`).
    pub missing_adverbs: Vec<String>,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct GroupOut {
    /// `A` to `H`.
    pub group: String,
    pub score: i32,
    /// The variables that counted in this group.
    pub contributions: Vec<ContributionOut>,
    /// Tested top-down; `min` absent = otherwise.
    pub thresholds: Vec<ThresholdOut>,
    pub matched: bool,
    /// The rang given when `matched`.
    pub rang: Option<u8>,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ContributionOut {
    pub variable: String,
    pub letter: String,
    pub points: i32,
}

#[derive(Serialize, ToSchema)]
pub struct ThresholdOut {
    pub min: Option<i32>,
    pub rang: u8,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionOut {
    pub group: String,
    pub score: i32,
    /// The threshold met; absent for rang 13.
    pub threshold: Option<i32>,
    pub rang: u8,
    pub gir: u8,
    pub text: String,
}

/// Computes a GIR (AGGIR, CASF annexe 2-2) and explains it: send either `{"variables": "AABBAAAAAA"}`
/// or `{"evaluation": {...}}`.
#[utoipa::path(post, path = "/api/v1/aggir/compute", tag = "aggir", request_body = AggirIn,
    security(("bearer" = [])),
    responses((status = 200, body = AggirOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compute_aggir(
    ApiUser(_ctx): ApiUser,
    ApiJson(input): ApiJson<AggirIn>,
) -> ApiResult<Json<AggirOut>> {
    let assessment = match (input.variables, input.evaluation) {
        (Some(v), None) => Letters::parse(&v).map_err(invalid)?.assess(),
        (None, Some(e)) => e.compute(),
        (None, None) => {
            return Err(invalid(FieldError::new(
                "variables",
                "Donnez « variables » (10 lettres A, B ou C) ou « evaluation » (la grille complète \
                 avec les adverbes).",
            )));
        }
        (Some(_), Some(_)) => {
            return Err(invalid(FieldError::new(
                "body",
                "Donnez soit « variables », soit « evaluation », pas les deux.",
            )));
        }
    };
    Ok(Json(AggirOut::from(&assessment)))
}

fn invalid(e: FieldError) -> ApiError {
    ApiError(AppError::Validation(FieldErrors(vec![e])))
}

impl From<&Assessment> for AggirOut {
    fn from(a: &Assessment) -> Self {
        let letters = Variable::ALL
            .iter()
            .filter_map(|v| Some((v.code().to_string(), a.letter(*v)?.to_string())))
            .collect();
        AggirOut {
            gir: a.gir(),
            rang: a.rang(),
            variables: a.letters.to_string(),
            letters,
            explanation: ExplanationOut::from(&a.explanation),
        }
    }
}

impl From<&Explanation> for ExplanationOut {
    fn from(e: &Explanation) -> Self {
        let d = &e.decision;
        ExplanationOut {
            variables: e.variables.iter().map(VariableOut::from).collect(),
            groups: e.groups.iter().map(GroupOut::from).collect(),
            decision: DecisionOut {
                group: d.group.to_string(),
                score: d.score,
                threshold: d.threshold,
                rang: d.rang,
                gir: d.gir,
                text: d.text.clone(),
            },
            lines: e.lines(),
        }
    }
}

impl From<&VariableExplanation> for VariableOut {
    fn from(v: &VariableExplanation) -> Self {
        VariableOut {
            code: v.variable.code().to_string(),
            label: v.variable.label_fr().to_string(),
            letter: v.letter.to_string(),
            discriminant: v.variable.is_discriminant(),
            reason: v.reason.clone(),
            sub_variables: v.sub_variables.iter().map(SubVariableOut::from).collect(),
        }
    }
}

impl From<&SubVariableExplanation> for SubVariableOut {
    fn from(s: &SubVariableExplanation) -> Self {
        SubVariableOut {
            code: s.sub_variable.code().to_string(),
            label: s.sub_variable.label_fr().to_string(),
            letter: s.letter.to_string(),
            missing_adverbs: s.missing.iter().map(|a| a.code().to_string()).collect(),
            reason: s.reason.clone(),
        }
    }
}

impl From<&GroupExplanation> for GroupOut {
    fn from(g: &GroupExplanation) -> Self {
        let t = &g.trial;
        GroupOut {
            group: t.group.to_string(),
            score: t.score,
            contributions: t
                .contributions
                .iter()
                .map(|c| ContributionOut {
                    variable: c.variable.code().to_string(),
                    letter: c.letter.to_string(),
                    points: c.points,
                })
                .collect(),
            thresholds: t
                .thresholds
                .iter()
                .map(|x| ThresholdOut {
                    min: x.min,
                    rang: x.rang,
                })
                .collect(),
            matched: t.met.is_some(),
            rang: t.met.map(|x| x.rang),
            text: g.text.clone(),
        }
    }
}

/// The schema of [`Evaluation`], built from the grid's own tables so it cannot drift from them.
fn evaluation_schema() -> Object {
    let closed = || Some(AdditionalProperties::<Schema>::FreeForm(false));
    let adverbs = |label: &str| {
        let mut b = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(format!(
                "{label} : pour chaque adverbe, `true` si la personne le fait seule en ce sens \
                 (4 oui → A, 4 non → C, sinon B)."
            )))
            .additional_properties(closed());
        for a in Adverb::ALL {
            b = b
                .property(
                    a.code(),
                    ObjectBuilder::new()
                        .schema_type(Type::Boolean)
                        .description(Some(a.label_fr())),
                )
                .required(a.code());
        }
        b.build()
    };
    let mut root = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Grille AGGIR complète : les 10 variables discriminantes puis les 7 illustratives, \
             avec les quatre adverbes par sous-variable. Tous les champs sont obligatoires.",
        ))
        .additional_properties(closed());
    for v in Variable::ALL {
        let subs = v.sub_variables();
        let schema = if subs.is_empty() {
            adverbs(v.label_fr())
        } else {
            let mut b = ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(v.label_fr()))
                .additional_properties(closed());
            for s in subs {
                b = b.property(s.key(), adverbs(s.label_fr())).required(s.key());
            }
            b.build()
        };
        root = root.property(v.code(), schema).required(v.code());
    }
    root.build()
}
