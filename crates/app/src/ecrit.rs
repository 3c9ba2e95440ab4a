//! Écrits professionnels: notes about a person written in a professional's trade, with a
//! visibility scope chosen by the author.
//!
//! **Who may read.** Two steps, in this order: the gate (`ReadCareRecord` on the person: role and
//! scope of assignment), then the note's scope by `domain::ecrit::may_read` with the reader's
//! account (its profession, looked up at each request, so a change of profession applies at once)
//! and role. Lists apply the same rule in SQL (`store::ecrit::for_usager`): a note outside the
//! reader's scope is never listed, counted or hinted at; opening one by its id answers "not found"
//! (and the attempt is audited as a refused access).
//!
//! **Who may write.** `WriteEcrit` through the gate; the author's profession is taken from their
//! account and stored on the note, so later changes of the account never move a note in or out of
//! a scope. Only the author corrects a note (a professional writing is signed by its author). The
//! author withdraws it, and so may the direction or a chef de service who may read it (a note
//! written on the wrong person, an author who has left).
//!
//! **Versions and scope.** A correction writes a new version with its reason; earlier versions
//! stay readable to whoever may read the note. The scope may be kept or narrowed, never widened
//! (`Scope::may_become`): the earlier versions were written for the earlier readers only. A
//! withdrawal (logical deletion, with a reason) keeps the note readable, marked "retiré".
//!
//! Every read and write is audited; details name ids, types and scopes, never the content.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use parcours_domain::authz::{Action, Decision, DenyReason, Resource};
use parcours_domain::codelist::types_ecrit;
use parcours_domain::ecrit::{Content, RawEcrit, Scope, is_encadrement, may_read};
use parcours_domain::ids::{EcritId, UsagerId};
use parcours_domain::input;
use parcours_domain::professional::Profession;
use parcours_store::ecrit::{self as store, EcritRow, Filter, NewEcrit, Reader};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::search::ecrit_doc;
use crate::usager::{micros_to_ts, placements_of};
use crate::{App, AppError, AppResult, Ctx};

/// A page of a person's notes.
pub const PAGE_SIZE: i64 = 20;

/// Who withdrew a note, when and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WithdrawalView {
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub by: String,
    pub reason: String,
}

/// A note with its current version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EcritView {
    #[schema(value_type = String)]
    pub id: EcritId,
    #[schema(value_type = String)]
    pub usager: UsagerId,
    /// A code of `data/types-ecrit.csv`.
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub body: String,
    /// The day of what the note reports.
    #[schema(value_type = String)]
    pub event_date: Date,
    /// `equipe`, `encadrement` or `profession`.
    #[schema(value_type = String)]
    pub scope: Scope,
    pub scope_label: String,
    /// The author's profession when the note was written (a profession code).
    pub author_profession: String,
    pub author_profession_label: String,
    /// 1 for an uncorrected note.
    pub version: i64,
    #[schema(value_type = String)]
    pub written_at: Timestamp,
    pub written_by: String,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
    pub updated_by: String,
    /// Why the current version corrects the previous one.
    pub reason: Option<String>,
    /// Set when the note was withdrawn.
    pub withdrawn: Option<WithdrawalView>,
    /// Whether the reader wrote it.
    pub mine: bool,
}

/// One version of a note, as it was written.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub body: String,
    #[schema(value_type = String)]
    pub event_date: Date,
    #[schema(value_type = String)]
    pub scope: Scope,
    pub scope_label: String,
    pub reason: Option<String>,
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub by: String,
}

/// A note and every version of it, oldest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EcritHistory {
    pub ecrit: EcritView,
    pub versions: Vec<VersionView>,
    /// The reader is the author, the note is not withdrawn and the reader may still write.
    pub can_correct: bool,
    pub can_withdraw: bool,
    /// The scopes a correction may choose (the current one and the narrower ones).
    #[schema(value_type = Vec<String>)]
    pub scopes: Vec<Scope>,
}

/// A page of a person's notes, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EcritList {
    pub items: Vec<EcritView>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
    /// Whether the reader may write a note about this person.
    pub can_write: bool,
}

/// Optional filters of a person's list, as typed (empty means all).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RawFilter {
    /// A type code.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// The author's profession code.
    #[serde(default)]
    pub profession: String,
}

fn cursor_of(r: &EcritRow) -> String {
    format!("{}_{}", r.written_at, r.id)
}

fn parse_cursor(s: &str) -> AppResult<(i64, Uuid)> {
    let bad = || AppError::field("apres", "Ce curseur de page n'est pas valide.");
    let (at, id) = s.split_once('_').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

fn scope_of(code: &str, id: Uuid) -> AppResult<Scope> {
    Scope::parse(code).map_err(|_| AppError::Internal(format!("ecrit {id}: scope {code}")))
}

fn profession_of(code: &str) -> AppResult<Profession> {
    Profession::parse(code).map_err(|_| AppError::Internal(format!("profession {code}")))
}

fn date_of(s: &str, id: Uuid) -> AppResult<Date> {
    s.parse()
        .map_err(|_| AppError::Internal(format!("ecrit {id}: date {s}")))
}

fn store_content(c: &Content) -> store::Content {
    store::Content {
        kind: c.kind.clone(),
        title: c.title.clone(),
        body: c.text.clone(),
        event_date: c.event_date.to_string(),
        scope: c.scope.code().to_string(),
    }
}

impl RawFilter {
    fn parse(&self) -> AppResult<Filter> {
        let mut e = parcours_domain::error::FieldErrors::default();
        let kind = match self.kind.trim() {
            "" => None,
            k => e.take(types_ecrit().parse_code("type", k)),
        };
        let profession = match self.profession.trim() {
            "" => None,
            p => e.take(Profession::parse(p)).map(|p| p.code().to_string()),
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        Ok(Filter { kind, profession })
    }
}

impl App {
    /// The reader as the scope rule needs them: account, profession (from the account now), role.
    pub(crate) async fn ecrit_reader(&self, ctx: &Ctx) -> AppResult<(Reader, Profession)> {
        let user =
            parcours_store::account::get_user(&self.db, ctx.org(), ctx.user().as_uuid()).await?;
        let profession = profession_of(&user.profession)?;
        Ok((
            Reader {
                user: user.id,
                profession: profession.code().to_string(),
                encadrement: is_encadrement(ctx.actor.role),
            },
            profession,
        ))
    }

    /// Whether the gate allows `action` on this person (no audit: used to show or hide forms).
    async fn ecrit_allowed(&self, ctx: &Ctx, action: Action, usager: UsagerId) -> AppResult<bool> {
        let placements = placements_of(self, ctx, usager).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        Ok(matches!(
            self.decide(ctx, action, &resource, usager).await?,
            Decision::Allow
        ))
    }

    fn ecrit_view(
        &self,
        ctx: &Ctx,
        r: EcritRow,
        names: &HashMap<Uuid, String>,
    ) -> AppResult<EcritView> {
        let scope = scope_of(&r.scope, r.id)?;
        let name = |u: &Uuid| names.get(u).cloned().unwrap_or_default();
        let withdrawn = match (r.withdrawn_at, r.withdrawn_by, r.withdrawal_reason) {
            (Some(at), Some(by), Some(reason)) => Some(WithdrawalView {
                at: micros_to_ts(at),
                by: name(&by),
                reason,
            }),
            _ => None,
        };
        let author_profession_label = Profession::parse(&r.author_profession)
            .map(|p| p.label_fr().to_string())
            .unwrap_or_else(|_| r.author_profession.clone());
        Ok(EcritView {
            id: EcritId::from_uuid(r.id),
            usager: UsagerId::from_uuid(r.usager_id),
            kind_label: types_ecrit().label(&r.kind).to_string(),
            kind: r.kind,
            title: r.title,
            body: r.body,
            event_date: date_of(&r.event_date, r.id)?,
            scope,
            scope_label: scope.label_fr().to_string(),
            author_profession_label,
            author_profession: r.author_profession,
            version: r.version,
            written_at: micros_to_ts(r.written_at),
            written_by: name(&r.written_by),
            updated_at: micros_to_ts(r.updated_at),
            updated_by: name(&r.updated_by),
            reason: r.reason,
            withdrawn,
            mine: r.written_by == ctx.user().as_uuid(),
        })
    }

    /// Writes a note about a person; returns its id.
    pub async fn write_ecrit(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawEcrit,
    ) -> AppResult<EcritId> {
        self.gate_person(ctx, Action::WriteEcrit, usager).await?;
        let content = raw.content(self.today())?;
        let (_, profession) = self.ecrit_reader(ctx).await?;
        let id = self.new_id();
        let mut tx = self.begin().await?;
        store::insert(
            &mut tx,
            &NewEcrit {
                organisation_id: ctx.org(),
                id,
                usager_id: usager.as_uuid(),
                author_profession: profession.code().to_string(),
                content: store_content(&content),
                at: self.now_micros(),
                by: ctx.user().as_uuid(),
            },
        )
        .await?;
        parcours_store::search::index(
            &mut tx,
            &ecrit_doc(
                ctx.org(),
                id,
                usager.as_uuid(),
                &store_content(&content),
                profession.code(),
                (ctx.user().as_uuid(), self.now_micros()),
            ),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EcritWrite,
            Some(usager),
            "ecrit",
            json!({"ecrit": id, "type": content.kind, "portee": content.scope.code()}),
        )
        .await?;
        tx.commit().await?;
        Ok(EcritId::from_uuid(id))
    }

    /// The note, after the gate for `action` on the person and the note's scope. A note of
    /// another person, or outside the reader's scope, is "not found" (the second is audited as
    /// a refused access): nothing tells that it exists.
    async fn gated_ecrit(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: EcritId,
        action: Action,
    ) -> AppResult<EcritRow> {
        self.gate_person(ctx, action, usager).await?;
        let row = store::get(&self.db, ctx.org(), id.as_uuid()).await?;
        if row.usager_id != usager.as_uuid() {
            return Err(AppError::NotFound);
        }
        let (_, profession) = self.ecrit_reader(ctx).await?;
        let readable = may_read(
            scope_of(&row.scope, row.id)?,
            profession_of(&row.author_profession)?,
            parcours_domain::ids::UserId::from_uuid(row.written_by),
            ctx.user(),
            profession,
            ctx.actor.role,
        );
        if !readable {
            self.audit_alone(
                ctx,
                AuditAction::AccessDenied,
                Some(usager),
                "ecrit",
                json!({"action": action.code(), "ecrit": id, "reason": "scope"}),
            )
            .await?;
            return Err(AppError::NotFound);
        }
        Ok(row)
    }

    /// Corrects a note: a new version with its reason; only its author, never once withdrawn.
    /// The scope may be kept or narrowed. `version` is the one the author started from; a
    /// concurrent correction is a conflict.
    pub async fn correct_ecrit(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: EcritId,
        version: i64,
        raw: &RawEcrit,
    ) -> AppResult<i64> {
        let row = self
            .gated_ecrit(ctx, usager, id, Action::WriteEcrit)
            .await?;
        if row.written_by != ctx.user().as_uuid() {
            self.audit_alone(
                ctx,
                AuditAction::AccessDenied,
                Some(usager),
                "ecrit",
                json!({"action": "correct_ecrit", "ecrit": id, "reason": "not_author"}),
            )
            .await?;
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        if row.withdrawn_at.is_some() {
            return Err(AppError::field(
                "reason",
                "Cet écrit a été retiré : il ne peut plus être corrigé.",
            ));
        }
        let mut e = parcours_domain::error::FieldErrors::default();
        let reason = e.take(
            input::text("reason", &raw.reason, input::LONG_TEXT).map_err(|f| {
                if raw.reason.trim().is_empty() {
                    parcours_domain::error::FieldError::new(
                        "reason",
                        "Indiquez le motif de la correction.",
                    )
                } else {
                    f
                }
            }),
        );
        let content = match raw.content(self.today()) {
            Ok(c) => Some(c),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        let (Some(reason), Some(content)) = (reason, content) else {
            return Err(AppError::Validation(e));
        };
        let old_scope = scope_of(&row.scope, row.id)?;
        if !old_scope.may_become(content.scope) {
            return Err(AppError::field(
                "scope",
                "La diffusion d'un écrit peut seulement être restreinte : pour le partager plus \
                 largement, rédigez un nouvel écrit.",
            ));
        }
        if version != row.version {
            return Err(AppError::Conflict);
        }
        let new = store_content(&content);
        if new.kind == row.kind
            && new.title == row.title
            && new.body == row.body
            && new.event_date == row.event_date
            && new.scope == row.scope
        {
            return Err(AppError::field(
                "text",
                "Aucune modification à enregistrer.",
            ));
        }
        let mut tx = self.begin().await?;
        let v = store::correct(
            &mut tx,
            ctx.org(),
            row.id,
            version,
            &new,
            &reason,
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        parcours_store::search::index(
            &mut tx,
            &ecrit_doc(
                ctx.org(),
                row.id,
                row.usager_id,
                &new,
                &row.author_profession,
                (row.written_by, row.written_at),
            ),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EcritCorrect,
            Some(usager),
            "ecrit",
            json!({"ecrit": id, "version": v, "type": new.kind, "portee": new.scope}),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Whether the reader may withdraw this (readable) note: its author, or the direction or a
    /// chef de service.
    fn may_withdraw(ctx: &Ctx, row: &EcritRow) -> bool {
        row.written_by == ctx.user().as_uuid() || is_encadrement(ctx.actor.role)
    }

    /// Withdraws a note (logical deletion with a reason): it stays readable, marked "retiré", to
    /// whoever may read it, and can no longer be corrected.
    pub async fn withdraw_ecrit(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: EcritId,
        version: i64,
        reason: &str,
    ) -> AppResult<()> {
        let row = self
            .gated_ecrit(ctx, usager, id, Action::WriteEcrit)
            .await?;
        if !Self::may_withdraw(ctx, &row) {
            self.audit_alone(
                ctx,
                AuditAction::AccessDenied,
                Some(usager),
                "ecrit",
                json!({"action": "withdraw_ecrit", "ecrit": id, "reason": "not_author"}),
            )
            .await?;
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        if row.withdrawn_at.is_some() {
            return Err(AppError::field("reason", "Cet écrit est déjà retiré."));
        }
        let reason = input::text("reason", reason, input::LONG_TEXT).map_err(|f| {
            if reason.trim().is_empty() {
                parcours_domain::error::FieldError::new(
                    "reason",
                    "Indiquez pourquoi cet écrit est retiré.",
                )
            } else {
                f
            }
        })?;
        if version != row.version {
            return Err(AppError::Conflict);
        }
        let mut tx = self.begin().await?;
        store::withdraw(
            &mut tx,
            ctx.org(),
            row.id,
            version,
            &reason,
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        parcours_store::search::remove(&mut tx, ctx.org(), "ecrit", row.id).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::EcritWithdraw,
            Some(usager),
            "ecrit",
            json!({"ecrit": id, "version": version}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A page of a person's notes the reader may read, newest first (`after`: the cursor of the
    /// previous page), optionally of one type or one author profession. Audited read.
    pub async fn ecrits(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        filter: &RawFilter,
        after: Option<&str>,
    ) -> AppResult<EcritList> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let filter = filter.parse()?;
        let before = after
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_cursor(s.trim()))
            .transpose()?;
        let (reader, _) = self.ecrit_reader(ctx).await?;
        let mut rows = store::for_usager(
            &self.db,
            ctx.org(),
            usager.as_uuid(),
            &reader,
            &filter,
            before,
            PAGE_SIZE + 1,
        )
        .await?;
        let next = if rows.len() as i64 > PAGE_SIZE {
            rows.truncate(PAGE_SIZE as usize);
            rows.last().map(cursor_of)
        } else {
            None
        };
        let names = self.user_names(ctx).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let items = rows
            .into_iter()
            .map(|r| self.ecrit_view(ctx, r, &names))
            .collect::<AppResult<Vec<_>>>()?;
        let can_write = self.ecrit_allowed(ctx, Action::WriteEcrit, usager).await?;
        self.audit_alone(
            ctx,
            AuditAction::EcritRead,
            Some(usager),
            "ecrit",
            json!({"ecrits": ids, "type": filter.kind, "profession": filter.profession}),
        )
        .await?;
        Ok(EcritList {
            items,
            next,
            can_write,
        })
    }

    /// A note and all its versions, if the reader may read it. Audited read.
    pub async fn ecrit_history(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        id: EcritId,
    ) -> AppResult<EcritHistory> {
        let row = self
            .gated_ecrit(ctx, usager, id, Action::ReadCareRecord)
            .await?;
        let names = self.user_names(ctx).await?;
        let versions = store::versions(&self.db, ctx.org(), row.id)
            .await?
            .into_iter()
            .map(|v| {
                let scope = scope_of(&v.scope, row.id)?;
                Ok(VersionView {
                    version: v.version,
                    kind_label: types_ecrit().label(&v.kind).to_string(),
                    kind: v.kind,
                    title: v.title,
                    body: v.body,
                    event_date: date_of(&v.event_date, row.id)?,
                    scope,
                    scope_label: scope.label_fr().to_string(),
                    reason: v.reason,
                    at: micros_to_ts(v.written_at),
                    by: names.get(&v.written_by).cloned().unwrap_or_default(),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let may_write = self.ecrit_allowed(ctx, Action::WriteEcrit, usager).await?;
        let open = row.withdrawn_at.is_none();
        let can_correct = may_write && open && row.written_by == ctx.user().as_uuid();
        let can_withdraw = may_write && open && Self::may_withdraw(ctx, &row);
        let current = scope_of(&row.scope, row.id)?;
        let scopes = Scope::ALL
            .iter()
            .copied()
            .filter(|s| current.may_become(*s))
            .collect();
        let ecrit = self.ecrit_view(ctx, row, &names)?;
        self.audit_alone(
            ctx,
            AuditAction::EcritRead,
            Some(usager),
            "ecrit",
            json!({"ecrit": id, "versions": true}),
        )
        .await?;
        Ok(EcritHistory {
            ecrit,
            versions,
            can_correct,
            can_withdraw,
            scopes,
        })
    }
}
