//! Consents: recording decisions (given, refused, withdrawn) by whom the signing rule allows, and the
//! one question every feature asks before acting: [`App::may`].

use jiff::ToSpan;
use jiff::civil::Date;
use parcours_domain::authz::Action;
use parcours_domain::codelist;
use parcours_domain::consent::{self as rules, ConsentAnswer, ConsentDecision, ConsentEvent};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{ConsentementId, PartenaireId, UsagerId};
use parcours_domain::input;
use parcours_store::admission::{self as q, ConsentRow};
use parcours_store::records::PartenaireRow;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::admission::parse_stored_date;
use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

/// Who signs: `"usager"` for the person, or the id of a member of the entourage.
pub const SIGNED_BY_PERSON: &str = "usager";

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RawConsent {
    pub purpose: String,
    pub decision: String,
    /// "usager" or the id of a member of the entourage.
    pub signatory: String,
    pub decided_on: String,
    /// Empty: the purpose's default validity, if it has one.
    #[serde(default)]
    pub expires_on: String,
    #[serde(default)]
    pub scope: String,
    /// Partner ids, for purposes that name partners.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Reference of the signed document (scan, archive number).
    #[serde(default)]
    pub document_ref: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsentView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ConsentementId,
    #[schema(value_type = String, example = "donne")]
    pub decision: ConsentDecision,
    pub signatory: String,
    #[schema(value_type = String, format = Date)]
    pub decided_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    pub scope: Option<String>,
    pub partners: Vec<String>,
    pub document_ref: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: jiff::Timestamp,
    pub recorded_by: String,
}

/// The state of one purpose for one person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PurposeState {
    pub purpose: String,
    pub label: String,
    #[schema(value_type = Object)]
    pub answer: ConsentAnswer<ConsentView>,
    pub answer_label: &'static str,
    /// Given and expiring within 30 days.
    pub expiring_soon: bool,
    /// Every decision, oldest first.
    pub history: Vec<ConsentView>,
}

fn events(rows: &[&ConsentRow]) -> AppResult<Vec<ConsentEvent<Uuid, Uuid>>> {
    rows.iter()
        .map(|r| {
            Ok(ConsentEvent {
                id: r.id,
                decision: ConsentDecision::parse(&r.decision)?,
                signatory: r.signatory_id,
                decided_on: parse_stored_date(&r.decided_on)?,
                expires_on: r.expires_on.as_deref().map(parse_stored_date).transpose()?,
                partners: partner_ids(&r.partners),
            })
        })
        .collect()
}

fn partner_ids(json: &str) -> Vec<Uuid> {
    serde_json::from_str(json).unwrap_or_default()
}

impl App {
    /// Records a decision. The signatory must be entitled today (the person, a representative under
    /// a representation measure, a holder of parental authority for a minor), checked in the same
    /// transaction as the write.
    pub async fn record_consent(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawConsent,
    ) -> AppResult<ConsentementId> {
        self.gate_person(ctx, Action::RecordConsent, usager).await?;
        let today = self.today();
        let mut e = FieldErrors::default();
        let purpose = e.take(codelist::consent_purposes().parse_code("purpose", &raw.purpose));
        let decision = e.take(ConsentDecision::parse(&raw.decision));
        let signatory = match raw.signatory.trim() {
            SIGNED_BY_PERSON => Some(None),
            s => match s.parse::<Uuid>() {
                Ok(u) => Some(Some(u)),
                Err(_) => {
                    e.push("signatory", "Indiquez qui signe.");
                    None
                }
            },
        };
        let decided_on = e.take(input::date("decided_on", &raw.decided_on));
        let mut expires_on = e
            .take(input::opt_date("expires_on", &raw.expires_on))
            .flatten();
        let scope = e
            .take(input::opt_text("scope", &raw.scope, input::LONG_TEXT))
            .flatten();
        let document_ref = e
            .take(input::opt_line("document_ref", &raw.document_ref, 300))
            .flatten();
        let mut partners = Vec::new();
        for p in &raw.partners {
            match p.trim().parse::<Uuid>() {
                Ok(u) if self.partner_exists(ctx, u).await? => partners.push(u),
                _ => e.push("partners", "Partenaire inconnu."),
            }
        }
        let (Some(purpose), Some(decision), Some(signatory), Some(decided_on)) =
            (purpose, decision, signatory, decided_on)
        else {
            return Err(e.into());
        };
        let entry = codelist::consent_purposes()
            .get(&purpose)
            .ok_or(AppError::NotFound)?;
        let named = entry.extra(1) == "1";
        if named && decision == ConsentDecision::Donne && partners.is_empty() {
            e.push(
                "partners",
                "Nommez les partenaires avec qui les informations peuvent être partagées.",
            );
        }
        if decision == ConsentDecision::Donne
            && expires_on.is_none()
            && let Ok(months) = entry.extra(0).parse::<i8>()
        {
            expires_on = decided_on.checked_add(months.months()).ok();
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let (rule, proches) = self
            .signing_rule(ctx.org(), usager.as_uuid(), today)
            .await?;
        if let Some(s) = signatory
            && !proches.iter().any(|p| p.id == s)
        {
            return Err(AppError::field(
                "signatory",
                "Cette personne ne fait pas partie de l'entourage de l'usager.",
            ));
        }
        let mut tx = self.begin().await?;
        let previous = q::consents_in(&mut tx, ctx.org(), usager.as_uuid()).await?;
        let previous: Vec<&ConsentRow> = previous.iter().filter(|r| r.purpose == purpose).collect();
        rules::check_new(
            &events(&previous)?,
            decision,
            signatory,
            decided_on,
            expires_on,
            &rule,
            today,
        )?;
        let id = self.new_id();
        let row = ConsentRow {
            organisation_id: ctx.org(),
            id,
            usager_id: usager.as_uuid(),
            purpose: purpose.clone(),
            decision: decision.code().into(),
            signatory_id: signatory,
            decided_on: decided_on.to_string(),
            expires_on: expires_on.map(|d| d.to_string()),
            scope,
            partners: json!(partners).to_string(),
            document_ref,
            recorded_at: self.now_micros(),
            recorded_by: ctx.user().as_uuid(),
        };
        q::insert_consent(&mut tx, &row).await?;
        self.audit(&mut tx, ctx, AuditAction::ConsentRecord, Some(usager), "consentement",
            json!({"consentement": id, "finalite": purpose, "decision": row.decision,
                   "signataire": signatory.map(|s| s.to_string()).unwrap_or(SIGNED_BY_PERSON.into())})).await?;
        tx.commit().await?;
        Ok(ConsentementId::from_uuid(id))
    }

    /// The one question: may `purpose` be done for this person now (for this partner, when the
    /// purpose names partners), and on what consent? Audited like any read of the person's file.
    pub async fn may(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        purpose: &str,
        partner: Option<PartenaireId>,
    ) -> AppResult<ConsentAnswer<ConsentView>> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let purpose = codelist::consent_purposes().parse_code("purpose", purpose)?;
        let states = self
            .purpose_states(ctx, usager, partner.map(|p| p.as_uuid()))
            .await?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "consentement",
            json!({"question": purpose}),
        )
        .await?;
        Ok(states
            .into_iter()
            .find(|s| s.purpose == purpose)
            .map(|s| s.answer)
            .unwrap_or(ConsentAnswer::NotAsked))
    }

    /// Every purpose with its answer today and its history.
    pub async fn consents(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<Vec<PurposeState>> {
        self.gate_person(ctx, Action::ReadUsager, usager).await?;
        let states = self.purpose_states(ctx, usager, None).await?;
        self.audit_alone(
            ctx,
            AuditAction::UsagerRead,
            Some(usager),
            "consentement",
            json!({"section": "consentements"}),
        )
        .await?;
        Ok(states)
    }

    pub(crate) async fn purpose_states(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        partner: Option<Uuid>,
    ) -> AppResult<Vec<PurposeState>> {
        let today = self.today();
        let (rule, proches) = self
            .signing_rule(ctx.org(), usager.as_uuid(), today)
            .await?;
        let rows = q::consents(&self.db, ctx.org(), usager.as_uuid()).await?;
        let users = self.user_names(ctx).await?;
        let partner_rows =
            PartenaireRow::select_where(&self.db, ctx.org(), "1 = 1", &[], "name", 10_000).await?;
        let view = |r: &ConsentRow| -> AppResult<ConsentView> {
            Ok(ConsentView {
                id: ConsentementId::from_uuid(r.id),
                decision: ConsentDecision::parse(&r.decision)?,
                signatory: match r.signatory_id {
                    None => "La personne elle-même".into(),
                    Some(p) => proches
                        .iter()
                        .find(|x| x.id == p)
                        .map(crate::entourage::proche_name)
                        .unwrap_or_default(),
                },
                decided_on: parse_stored_date(&r.decided_on)?,
                expires_on: r.expires_on.as_deref().map(parse_stored_date).transpose()?,
                scope: r.scope.clone(),
                partners: partner_ids(&r.partners)
                    .iter()
                    .filter_map(|p| {
                        partner_rows
                            .iter()
                            .find(|x| x.id == *p)
                            .map(|x| x.name.clone())
                    })
                    .collect(),
                document_ref: r.document_ref.clone(),
                recorded_at: jiff::Timestamp::from_microsecond(r.recorded_at).unwrap_or_default(),
                recorded_by: users.get(&r.recorded_by).cloned().unwrap_or_default(),
            })
        };
        let mut out = Vec::new();
        for p in &codelist::consent_purposes().codes {
            let mine: Vec<&ConsentRow> = rows.iter().filter(|r| r.purpose == p.code).collect();
            let ev = events(&mine)?;
            let views: Vec<ConsentView> = mine.iter().map(|r| view(r)).collect::<AppResult<_>>()?;
            let answer =
                match rules::answer(&ev, &rule, today, partner.filter(|_| p.extra(1) == "1")) {
                    ConsentAnswer::NotAsked => ConsentAnswer::NotAsked,
                    a => {
                        let basis = a
                            .basis()
                            .and_then(|id| views.iter().find(|v| v.id.as_uuid() == *id))
                            .cloned()
                            .ok_or_else(|| AppError::Internal("consent basis missing".into()))?;
                        map_answer(&a, basis)
                    }
                };
            let expiring_soon = answer.allowed()
                && answer
                    .basis()
                    .and_then(|b| b.expires_on)
                    .is_some_and(|x| x <= today.checked_add(30.days()).unwrap_or(today));
            out.push(PurposeState {
                purpose: p.code.clone(),
                label: p.label.clone(),
                answer_label: answer.label_fr(),
                answer,
                expiring_soon,
                history: views,
            });
        }
        Ok(out)
    }
}

fn map_answer<A, B>(a: &ConsentAnswer<A>, b: B) -> ConsentAnswer<B> {
    match a {
        ConsentAnswer::Yes(_) => ConsentAnswer::Yes(b),
        ConsentAnswer::NotAsked => ConsentAnswer::NotAsked,
        ConsentAnswer::Refused(_) => ConsentAnswer::Refused(b),
        ConsentAnswer::Withdrawn(_) => ConsentAnswer::Withdrawn(b),
        ConsentAnswer::Expired(_) => ConsentAnswer::Expired(b),
        ConsentAnswer::PartnerNotCovered(_) => ConsentAnswer::PartnerNotCovered(b),
        ConsentAnswer::SignatoryNoLongerEntitled(_) => ConsentAnswer::SignatoryNoLongerEntitled(b),
    }
}
