//! The cahier de liaison (liaison notebook): messages to a unit, a team of an establishment or
//! about a person, with read receipts and follow-up items (à faire / fait).
//!
//! **Who reads what.** A unit's message: whoever covers the unit (assigned to it or to its whole
//! establishment), `Action::UseLiaison` on `Resource::Workplace` with the unit. A team's message:
//! whoever works anywhere in the establishment (`Workplace` without a unit) and whose role belongs
//! to the team ([`Equipe::read_by`]: members, and the encadrement for every team). A person's
//! message: whoever may read the person's care record (`ReadCareRecord` through the gate). The
//! author of a unit or team message always reads it. One may write only to a destination one may
//! read. The notebook's list is narrowed in SQL to the reader's workplaces, then each message is
//! checked before anything is counted: a message out of reach is never listed, counted or hinted at.
//!
//! **Legal record.** A correction (by its author) writes a new version with its reason, the earlier
//! ones stay readable; a removal (retrait, by its author or the encadrement) is a dated state with
//! its reason, the content stays readable on the message's page. A follow-up item is marked done by
//! anyone who reads the message; undoing it is a new dated event. Every read and write is audited
//! with ids, never content. Messages must not carry information under the medical secret; the form
//! says so (the medical file and medical transmissions are the places for it).

use std::collections::HashMap;

use jiff::Timestamp;
use parcours_domain::authz::{Action, Decision, DenyReason, Placement, Resource, role_allows};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{EtablissementId, LiaisonMessageId, LiaisonSuiviId, UniteId, UsagerId};
use parcours_domain::input;
use parcours_domain::liaison::{Destination, Equipe, RawMessage};
use parcours_domain::professional::Role;
use parcours_store::lecture::{self, Lu};
use parcours_store::liaison::{self as store, MessageRow, NewMessage, NewSuivi, Reach};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::usager::{micros_to_ts, placements_of};
use crate::{App, AppError, AppResult, Ctx};

/// The most recent messages the notebook reads (before the reader's filters).
pub const NOTEBOOK_MAX: i64 = 200;
/// The most recent messages shown on a person's page.
pub const PERSON_MAX: i64 = 100;

/// A destination one may write to (or filter the notebook by).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, PartialEq, Eq)]
pub struct DestinationChoice {
    /// `unite:<id>`, `equipe:<etablissement>:<team>` or `usager:<id>`.
    pub value: String,
    pub label: String,
}

/// A professional one may assign a follow-up item to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssigneeChoice {
    #[schema(value_type = String)]
    pub id: Uuid,
    pub name: String,
}

/// Someone who has read a message.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReaderView {
    pub name: String,
    #[schema(value_type = String)]
    pub at: Timestamp,
}

/// One change of a follow-up item's state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuiviEventView {
    pub done: bool,
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub by: String,
}

/// A follow-up item (à faire) and its state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuiviView {
    #[schema(value_type = String)]
    pub id: LiaisonSuiviId,
    #[schema(value_type = String)]
    pub message: LiaisonMessageId,
    /// The message's subject (in the list of open items).
    pub subject: String,
    pub texte: String,
    /// `YYYY-MM-DD`.
    pub echeance: Option<String>,
    /// `JJ/MM/AAAA`.
    pub echeance_fr: Option<String>,
    /// Past its due date (Europe/Paris) and not done.
    pub late: bool,
    pub assigne: Option<String>,
    pub done: bool,
    /// The latest state change (compared when changing it again).
    pub state_seq: i64,
    /// Every state change, oldest first.
    pub history: Vec<SuiviEventView>,
}

/// A removal (retrait).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RemovalView {
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub by: String,
    pub reason: String,
}

/// A message with its current version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    #[schema(value_type = String)]
    pub id: LiaisonMessageId,
    /// `unite`, `equipe` or `usager`.
    pub destination_kind: String,
    /// The form value of the destination.
    pub destination: String,
    /// "Les Glycines", "Équipe soignante — EHPAD…", "Louise Morel".
    pub destination_label: String,
    #[schema(value_type = Option<String>)]
    pub usager: Option<UsagerId>,
    pub subject: String,
    pub body: String,
    pub important: bool,
    /// 1 for an uncorrected message.
    pub version: i64,
    #[schema(value_type = String)]
    pub written_at: Timestamp,
    pub written_by: String,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
    pub updated_by: String,
    /// Why the current version corrects the previous one.
    pub reason: Option<String>,
    pub readers: Vec<ReaderView>,
    pub read_by_me: bool,
    pub suivis: Vec<SuiviView>,
    /// How many follow-up items are still to do.
    pub open_suivis: usize,
    pub removed: Option<RemovalView>,
}

/// One version of a message, as it was written.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub subject: String,
    pub body: String,
    pub important: bool,
    pub reason: Option<String>,
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub by: String,
}

/// A message, its versions, and what the reader may do with it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MessageDetail {
    pub message: MessageView,
    pub versions: Vec<VersionView>,
    pub can_correct: bool,
    pub can_remove: bool,
}

/// The notebook's filters.
#[derive(Debug, Clone, Default)]
pub struct NotebookFilter {
    /// A destination value (see [`DestinationChoice`]), or `usager` for every person message.
    pub destination: Option<String>,
    pub unread_only: bool,
    /// Only messages with a follow-up item still to do.
    pub open_only: bool,
}

/// The notebook of a professional: the messages of their units, teams and persons.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notebook {
    /// Unread first, then important, then newest.
    pub items: Vec<MessageView>,
    /// How many of the listed messages the reader has not read.
    pub unread: usize,
    /// The follow-up items still to do of every message the reader may read, by due date.
    pub open_suivis: Vec<SuiviView>,
    /// Where the reader may write.
    pub destinations: Vec<DestinationChoice>,
    /// Professionals a follow-up item may be assigned to.
    pub assignees: Vec<AssigneeChoice>,
}

/// The messages about a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonLiaison {
    pub items: Vec<MessageView>,
    pub unread: usize,
    pub assignees: Vec<AssigneeChoice>,
}

/// Names of what messages point to, read once per request.
struct Names {
    users: HashMap<Uuid, String>,
    unites: HashMap<Uuid, (String, Uuid)>,
    etablissements: HashMap<Uuid, String>,
    usagers: HashMap<Uuid, String>,
}

fn destination_of(r: &MessageRow) -> AppResult<Destination> {
    let bad = || AppError::Internal(format!("liaison message {}: destination", r.id));
    Ok(match r.destination.as_str() {
        "unite" => Destination::Unite(r.unite_id.ok_or_else(bad)?),
        "usager" => Destination::Usager(r.usager_id.ok_or_else(bad)?),
        "equipe" => Destination::Equipe {
            etablissement: r.etablissement_id.ok_or_else(bad)?,
            equipe: r
                .equipe
                .as_deref()
                .and_then(Equipe::parse)
                .ok_or_else(bad)?,
        },
        _ => return Err(bad()),
    })
}

fn content_of(c: parcours_domain::liaison::Content) -> store::Content {
    store::Content {
        subject: c.subject,
        body: c.body,
        important: c.important,
    }
}

fn is_encadrement(role: Role) -> bool {
    matches!(role, Role::Direction | Role::ChefDeService)
}

impl App {
    fn liaison_workplace(&self, ctx: &Ctx, etablissement: Uuid, unite: Option<Uuid>) -> bool {
        let resource = Resource::Workplace {
            organisation: ctx.organisation(),
            etablissement: EtablissementId::from_uuid(etablissement),
            unite: unite.map(UniteId::from_uuid),
        };
        parcours_domain::authz::decide(&ctx.actor, Action::UseLiaison, &resource) == Decision::Allow
    }

    async fn liaison_person_allowed(
        &self,
        ctx: &Ctx,
        usager: Uuid,
        cache: &mut HashMap<Uuid, bool>,
    ) -> AppResult<bool> {
        if let Some(a) = cache.get(&usager) {
            return Ok(*a);
        }
        let id = UsagerId::from_uuid(usager);
        let placements: Vec<Placement> = placements_of(self, ctx, id).await?;
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements: &placements,
        };
        let a = matches!(
            self.decide(ctx, Action::ReadCareRecord, &resource, id)
                .await?,
            Decision::Allow
        );
        cache.insert(usager, a);
        Ok(a)
    }

    /// Whether the professional may read this message (see the module documentation).
    async fn liaison_may_read(
        &self,
        ctx: &Ctx,
        d: &Destination,
        author: Uuid,
        cache: &mut HashMap<Uuid, bool>,
    ) -> AppResult<bool> {
        let mine = author == ctx.user().as_uuid() && ctx.actor.active;
        Ok(match d {
            Destination::Unite(u) => {
                let etab = parcours_store::organisation::get_unite(&self.db, ctx.org(), *u)
                    .await?
                    .etablissement_id;
                mine || self.liaison_workplace(ctx, etab, Some(*u))
            }
            Destination::Equipe {
                etablissement,
                equipe,
            } => {
                mine || (self.liaison_workplace(ctx, *etablissement, None)
                    && equipe.read_by(ctx.actor.role))
            }
            Destination::Usager(u) => self.liaison_person_allowed(ctx, *u, cache).await?,
        })
    }

    async fn liaison_names(&self, ctx: &Ctx, rows: &[MessageRow]) -> AppResult<Names> {
        let org = ctx.org();
        let mut ids: Vec<Uuid> = rows.iter().filter_map(|r| r.usager_id).collect();
        ids.sort();
        ids.dedup();
        Ok(Names {
            users: self.user_names(ctx).await?,
            unites: parcours_store::organisation::list_unites(&self.db, org)
                .await?
                .into_iter()
                .map(|u| (u.id, (u.name, u.etablissement_id)))
                .collect(),
            etablissements: parcours_store::organisation::list_etablissements(&self.db, org)
                .await?
                .into_iter()
                .map(|e| (e.id, e.name))
                .collect(),
            usagers: parcours_store::usager::summaries(&self.db, org, &ids)
                .await?
                .into_iter()
                .map(|p| (p.id, p.list_name()))
                .collect(),
        })
    }

    fn liaison_destination_label(names: &Names, d: &Destination) -> String {
        match d {
            Destination::Unite(u) => match names.unites.get(u) {
                Some((name, etab)) => format!(
                    "{name} — {}",
                    names.etablissements.get(etab).cloned().unwrap_or_default()
                ),
                None => String::new(),
            },
            Destination::Equipe {
                etablissement,
                equipe,
            } => format!(
                "{} — {}",
                equipe.label_fr(),
                names
                    .etablissements
                    .get(etablissement)
                    .cloned()
                    .unwrap_or_default()
            ),
            Destination::Usager(u) => names.usagers.get(u).cloned().unwrap_or_default(),
        }
    }

    /// The views of readable rows, with their readers and follow-up items.
    async fn liaison_views(
        &self,
        ctx: &Ctx,
        rows: Vec<(MessageRow, Destination)>,
        names: &Names,
    ) -> AppResult<Vec<MessageView>> {
        let org = ctx.org();
        let ids: Vec<Uuid> = rows.iter().map(|(r, _)| r.id).collect();
        let mut readers: HashMap<Uuid, Vec<lecture::ReadRow>> = HashMap::new();
        for r in lecture::readers(&self.db, Lu::Liaison, org, &ids).await? {
            readers.entry(r.doc_id).or_default().push(r);
        }
        let suivi_rows = store::suivis(&self.db, org, &ids).await?;
        let suivi_ids: Vec<Uuid> = suivi_rows.iter().map(|s| s.id).collect();
        let mut events: HashMap<Uuid, Vec<SuiviEventView>> = HashMap::new();
        for e in store::suivi_events(&self.db, org, &suivi_ids).await? {
            events.entry(e.suivi_id).or_default().push(SuiviEventView {
                done: e.done,
                at: micros_to_ts(e.changed_at),
                by: names.users.get(&e.changed_by).cloned().unwrap_or_default(),
            });
        }
        let subjects: HashMap<Uuid, String> = rows
            .iter()
            .map(|(r, _)| (r.id, r.subject.clone()))
            .collect();
        let today = self.today();
        let mut suivis: HashMap<Uuid, Vec<SuiviView>> = HashMap::new();
        for s in suivi_rows {
            let due = s
                .echeance
                .as_deref()
                .and_then(|d| d.parse::<jiff::civil::Date>().ok());
            suivis.entry(s.message_id).or_default().push(SuiviView {
                id: LiaisonSuiviId::from_uuid(s.id),
                message: LiaisonMessageId::from_uuid(s.message_id),
                subject: subjects.get(&s.message_id).cloned().unwrap_or_default(),
                texte: s.texte,
                echeance_fr: due.map(input::date_fr),
                late: !s.done && due.is_some_and(|d| d < today),
                echeance: s.echeance,
                assigne: s
                    .assigne_id
                    .map(|a| names.users.get(&a).cloned().unwrap_or_default()),
                done: s.done,
                state_seq: s.state_seq,
                history: events.remove(&s.id).unwrap_or_default(),
            });
        }
        let me = ctx.user().as_uuid();
        Ok(rows
            .into_iter()
            .map(|(r, d)| {
                let reads = readers.remove(&r.id).unwrap_or_default();
                let suivis = suivis.remove(&r.id).unwrap_or_default();
                let name = |u: &Uuid| names.users.get(u).cloned().unwrap_or_default();
                MessageView {
                    id: LiaisonMessageId::from_uuid(r.id),
                    destination_kind: d.kind().to_string(),
                    destination: d.value(),
                    destination_label: Self::liaison_destination_label(names, &d),
                    usager: r.usager_id.map(UsagerId::from_uuid),
                    subject: r.subject,
                    body: r.body,
                    important: r.important,
                    version: r.version,
                    written_at: micros_to_ts(r.written_at),
                    written_by: name(&r.written_by),
                    updated_at: micros_to_ts(r.updated_at),
                    updated_by: name(&r.updated_by),
                    reason: r.reason,
                    read_by_me: reads.iter().any(|x| x.user_id == me),
                    readers: reads
                        .iter()
                        .map(|x| ReaderView {
                            name: name(&x.user_id),
                            at: micros_to_ts(x.read_at),
                        })
                        .collect(),
                    open_suivis: suivis.iter().filter(|s| !s.done).count(),
                    suivis,
                    removed: match (r.removed_at, r.removed_by, r.removed_reason) {
                        (Some(at), Some(by), Some(reason)) => Some(RemovalView {
                            at: micros_to_ts(at),
                            by: name(&by),
                            reason,
                        }),
                        _ => None,
                    },
                }
            })
            .collect())
    }

    /// Active professionals of the organisation a follow-up item may be assigned to.
    pub async fn liaison_assignees(&self, ctx: &Ctx) -> AppResult<Vec<AssigneeChoice>> {
        let mut out: Vec<AssigneeChoice> = parcours_store::account::list_users(&self.db, ctx.org())
            .await?
            .into_iter()
            .filter(|u| u.active && u.role != Role::Administrateur.code())
            .map(|u| AssigneeChoice {
                id: u.id,
                name: format!("{} {}", u.first_name, u.last_name),
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The units and teams the professional may write to (persons are written to from their page).
    pub async fn liaison_destinations(&self, ctx: &Ctx) -> AppResult<Vec<DestinationChoice>> {
        if !ctx.actor.active || !role_allows(ctx.actor.role, Action::UseLiaison) {
            return Ok(Vec::new());
        }
        let org = ctx.org();
        let etabs = parcours_store::organisation::list_etablissements(&self.db, org).await?;
        let unites = parcours_store::organisation::list_unites(&self.db, org).await?;
        let mut out = Vec::new();
        for e in etabs.iter().filter(|e| e.active) {
            for u in unites
                .iter()
                .filter(|u| u.active && u.etablissement_id == e.id)
            {
                if self.liaison_workplace(ctx, e.id, Some(u.id)) {
                    out.push(DestinationChoice {
                        value: Destination::Unite(u.id).value(),
                        label: format!("{} — {}", u.name, e.name),
                    });
                }
            }
            if self.liaison_workplace(ctx, e.id, None) {
                for q in Equipe::ALL {
                    out.push(DestinationChoice {
                        value: Destination::Equipe {
                            etablissement: e.id,
                            equipe: *q,
                        }
                        .value(),
                        label: format!("{} — {}", q.label_fr(), e.name),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Refuses (audited) a destination out of the professional's workplaces.
    async fn deny_liaison_workplace(&self, ctx: &Ctx, d: &Destination) -> AppResult<()> {
        self.audit_alone(
            ctx,
            AuditAction::AccessDenied,
            None,
            "liaison",
            json!({"action": Action::UseLiaison.code(), "destination": d.value()}),
        )
        .await?;
        Err(AppError::Forbidden(DenyReason::OutOfScope))
    }

    /// Checks that the professional may write to `d` (a refusal is audited).
    async fn gate_liaison_destination(&self, ctx: &Ctx, d: &Destination) -> AppResult<()> {
        let org = ctx.org();
        let allowed = match d {
            Destination::Unite(u) => {
                let unite = match parcours_store::organisation::get_unite(&self.db, org, *u).await {
                    Ok(u) => u,
                    Err(parcours_store::StoreError::NotFound) => {
                        return Err(AppError::field("destination", "Cette unité n'existe pas."));
                    }
                    Err(e) => return Err(e.into()),
                };
                unite.active && self.liaison_workplace(ctx, unite.etablissement_id, Some(*u))
            }
            Destination::Equipe { etablissement, .. } => {
                match parcours_store::organisation::get_etablissement(&self.db, org, *etablissement)
                    .await
                {
                    Ok(_) => {}
                    Err(parcours_store::StoreError::NotFound) => {
                        return Err(AppError::field(
                            "destination",
                            "Cet établissement n'existe pas.",
                        ));
                    }
                    Err(e) => return Err(e.into()),
                }
                self.liaison_workplace(ctx, *etablissement, None)
            }
            Destination::Usager(u) => {
                return self
                    .gate_person(ctx, Action::ReadCareRecord, UsagerId::from_uuid(*u))
                    .await;
            }
        };
        if allowed {
            Ok(())
        } else {
            self.deny_liaison_workplace(ctx, d).await
        }
    }

    /// Writes a message with its follow-up items, in one transaction; returns its id.
    pub async fn write_liaison(&self, ctx: &Ctx, raw: &RawMessage) -> AppResult<LiaisonMessageId> {
        let mut e = FieldErrors::default();
        let destination = e.take(Destination::parse(&raw.destination));
        if let Some(d) = &destination {
            self.gate_liaison_destination(ctx, d).await?;
        }
        let content = raw.content(&mut e);
        let suivis = raw.suivis(&mut e);
        let assignees: Vec<Uuid> = self
            .liaison_assignees(ctx)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        for (i, s) in &suivis {
            if s.assigne.is_some_and(|a| !assignees.contains(&a)) {
                e.push(
                    parcours_domain::liaison::SUIVI_FIELDS[*i][2],
                    "Choisissez un professionnel dans la liste.",
                );
            }
        }
        let (Some(d), Some(content)) = (destination, content) else {
            return Err(AppError::Validation(e));
        };
        if !e.is_empty() {
            return Err(AppError::Validation(e));
        }
        let (etablissement_id, unite_id, equipe, usager_id) = match d {
            Destination::Unite(u) => (
                Some(
                    parcours_store::organisation::get_unite(&self.db, ctx.org(), u)
                        .await?
                        .etablissement_id,
                ),
                Some(u),
                None,
                None,
            ),
            Destination::Equipe {
                etablissement,
                equipe,
            } => (
                Some(etablissement),
                None,
                Some(equipe.code().to_string()),
                None,
            ),
            Destination::Usager(u) => (None, None, None, Some(u)),
        };
        let (id, at, by) = (self.new_id(), self.now_micros(), ctx.user().as_uuid());
        let mut tx = self.begin().await?;
        store::insert(
            &mut tx,
            &NewMessage {
                organisation_id: ctx.org(),
                id,
                destination: d.kind().to_string(),
                etablissement_id,
                unite_id,
                equipe,
                usager_id,
                content: content_of(content),
                at,
                by,
            },
        )
        .await?;
        let mut suivi_ids = Vec::new();
        for (_, s) in suivis {
            let sid = self.new_id();
            store::insert_suivi(
                &mut tx,
                &NewSuivi {
                    organisation_id: ctx.org(),
                    id: sid,
                    message_id: id,
                    texte: s.texte,
                    echeance: s.echeance.map(|d| d.to_string()),
                    assigne_id: s.assigne,
                    at,
                    by,
                },
            )
            .await?;
            suivi_ids.push(sid);
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::LiaisonWrite,
            usager_id.map(UsagerId::from_uuid),
            "liaison",
            json!({"message": id, "destination": d.value(), "suivis": suivi_ids}),
        )
        .await?;
        tx.commit().await?;
        Ok(LiaisonMessageId::from_uuid(id))
    }

    /// The message, if the professional may read it (a refusal is audited; for a person's message
    /// it is the person's gate that refuses).
    async fn gated_liaison(
        &self,
        ctx: &Ctx,
        id: LiaisonMessageId,
    ) -> AppResult<(MessageRow, Destination)> {
        let row = store::get(&self.db, ctx.org(), id.as_uuid()).await?;
        let d = destination_of(&row)?;
        if let Destination::Usager(u) = d {
            self.gate_person(ctx, Action::ReadCareRecord, UsagerId::from_uuid(u))
                .await?;
            return Ok((row, d));
        }
        if self
            .liaison_may_read(ctx, &d, row.written_by, &mut HashMap::new())
            .await?
        {
            Ok((row, d))
        } else {
            self.deny_liaison_workplace(ctx, &d).await?;
            Err(AppError::Forbidden(DenyReason::OutOfScope))
        }
    }

    fn liaison_can_correct(ctx: &Ctx, row: &MessageRow) -> bool {
        row.removed_at.is_none() && row.written_by == ctx.user().as_uuid()
    }

    fn liaison_can_remove(ctx: &Ctx, row: &MessageRow) -> bool {
        row.removed_at.is_none()
            && (row.written_by == ctx.user().as_uuid() || is_encadrement(ctx.actor.role))
    }

    /// The professional's notebook (the latest [`NOTEBOOK_MAX`] messages of their workplaces and
    /// persons, then the filters). Audited read.
    pub async fn notebook(&self, ctx: &Ctx, filter: &NotebookFilter) -> AppResult<Notebook> {
        if !ctx.actor.active {
            return Err(AppError::Forbidden(DenyReason::Inactive));
        }
        if !role_allows(ctx.actor.role, Action::UseLiaison) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let scope = ctx.actor.visible_scope();
        let mut team_etabs: Vec<Uuid> = ctx
            .actor
            .assignments
            .iter()
            .map(|a| a.etablissement.as_uuid())
            .collect();
        team_etabs.sort();
        team_etabs.dedup();
        let reach = Reach {
            unites: scope.unites.iter().map(|u| u.as_uuid()).collect(),
            whole_etablissements: scope.etablissements.iter().map(|e| e.as_uuid()).collect(),
            team_etablissements: team_etabs,
            equipes: Equipe::read_by_role(ctx.actor.role)
                .into_iter()
                .map(|q| q.code().to_string())
                .collect(),
            persons: role_allows(ctx.actor.role, Action::ReadCareRecord),
            me: ctx.user().as_uuid(),
        };
        let rows = store::list(&self.db, ctx.org(), &reach, NOTEBOOK_MAX).await?;
        let mut cache = HashMap::new();
        let mut readable = Vec::new();
        for r in rows {
            let d = destination_of(&r)?;
            if self
                .liaison_may_read(ctx, &d, r.written_by, &mut cache)
                .await?
            {
                readable.push((r, d));
            }
        }
        let names = self
            .liaison_names(
                ctx,
                &readable.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>(),
            )
            .await?;
        let all = self.liaison_views(ctx, readable, &names).await?;
        let mut open_suivis: Vec<SuiviView> = all
            .iter()
            .flat_map(|m| m.suivis.iter().filter(|s| !s.done).cloned())
            .collect();
        open_suivis.sort_by(|a, b| match (&a.echeance, &b.echeance) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let wanted = filter
            .destination
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let mut items: Vec<MessageView> = all
            .into_iter()
            .filter(|m| match wanted {
                None => true,
                Some("usager") => m.destination_kind == "usager",
                Some(v) => m.destination == v,
            })
            .filter(|m| !filter.unread_only || !m.read_by_me)
            .filter(|m| !filter.open_only || m.open_suivis > 0)
            .collect();
        // Unread first, then important; newest first within (the query's order is kept).
        items.sort_by_key(|m| (m.read_by_me, !m.important));
        let unread = items.iter().filter(|m| !m.read_by_me).count();
        let ids: Vec<LiaisonMessageId> = items.iter().map(|m| m.id).collect();
        let mut persons: Vec<UsagerId> = items.iter().filter_map(|m| m.usager).collect();
        persons.sort();
        persons.dedup();
        self.audit_alone(
            ctx,
            AuditAction::LiaisonRead,
            None,
            "liaison",
            json!({"messages": ids, "usagers": persons}),
        )
        .await?;
        Ok(Notebook {
            items,
            unread,
            open_suivis,
            destinations: self.liaison_destinations(ctx).await?,
            assignees: self.liaison_assignees(ctx).await?,
        })
    }

    /// The messages about a person, newest first (gated by the person's care record). Audited.
    pub async fn person_liaison(&self, ctx: &Ctx, usager: UsagerId) -> AppResult<PersonLiaison> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let rows = store::for_usager(&self.db, ctx.org(), usager.as_uuid(), PERSON_MAX).await?;
        let names = self.liaison_names(ctx, &rows).await?;
        let rows = rows
            .into_iter()
            .map(|r| destination_of(&r).map(|d| (r, d)))
            .collect::<AppResult<Vec<_>>>()?;
        let mut items = self.liaison_views(ctx, rows, &names).await?;
        items.sort_by_key(|m| (m.read_by_me, !m.important));
        let ids: Vec<LiaisonMessageId> = items.iter().map(|m| m.id).collect();
        self.audit_alone(
            ctx,
            AuditAction::LiaisonRead,
            Some(usager),
            "liaison",
            json!({"messages": ids}),
        )
        .await?;
        Ok(PersonLiaison {
            unread: items.iter().filter(|m| !m.read_by_me).count(),
            items,
            assignees: self.liaison_assignees(ctx).await?,
        })
    }

    /// A message with all its versions, readers and follow-up items. Audited read.
    pub async fn liaison_message(
        &self,
        ctx: &Ctx,
        id: LiaisonMessageId,
    ) -> AppResult<MessageDetail> {
        let (row, d) = self.gated_liaison(ctx, id).await?;
        let names = self.liaison_names(ctx, std::slice::from_ref(&row)).await?;
        let versions = store::versions(&self.db, ctx.org(), row.id)
            .await?
            .into_iter()
            .map(|v| VersionView {
                version: v.version,
                subject: v.subject,
                body: v.body,
                important: v.important,
                reason: v.reason,
                at: micros_to_ts(v.written_at),
                by: names.users.get(&v.written_by).cloned().unwrap_or_default(),
            })
            .collect();
        let (can_correct, can_remove) = (
            Self::liaison_can_correct(ctx, &row),
            Self::liaison_can_remove(ctx, &row),
        );
        let usager = row.usager_id.map(UsagerId::from_uuid);
        let message = self
            .liaison_views(ctx, vec![(row, d)], &names)
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        self.audit_alone(
            ctx,
            AuditAction::LiaisonRead,
            usager,
            "liaison",
            json!({"message": id, "versions": true}),
        )
        .await?;
        Ok(MessageDetail {
            message,
            versions,
            can_correct,
            can_remove,
        })
    }

    /// Marks a message as read by the professional (once; a second tap changes nothing).
    pub async fn mark_liaison_read(&self, ctx: &Ctx, id: LiaisonMessageId) -> AppResult<()> {
        let (row, _) = self.gated_liaison(ctx, id).await?;
        let mut tx = self.begin().await?;
        let first = lecture::mark_read(
            &mut tx,
            Lu::Liaison,
            ctx.org(),
            row.id,
            ctx.user().as_uuid(),
            self.now_micros(),
        )
        .await?;
        if first {
            self.audit(
                &mut tx,
                ctx,
                AuditAction::LiaisonMarkRead,
                row.usager_id.map(UsagerId::from_uuid),
                "liaison",
                json!({"message": id}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Corrects a message (its author only): a new version with its reason; the destination never
    /// changes. `version` is the one the author started from; a concurrent correction conflicts.
    pub async fn correct_liaison(
        &self,
        ctx: &Ctx,
        id: LiaisonMessageId,
        version: i64,
        raw: &RawMessage,
    ) -> AppResult<i64> {
        let (row, _) = self.gated_liaison(ctx, id).await?;
        if !Self::liaison_can_correct(ctx, &row) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let mut e = FieldErrors::default();
        let reason = e.take(input::text("reason", &raw.reason, input::LONG_TEXT));
        let content = raw.content(&mut e);
        let (Some(reason), Some(content)) = (reason, content) else {
            return Err(AppError::Validation(e));
        };
        if version != row.version {
            return Err(AppError::Conflict);
        }
        let content = content_of(content);
        if content.subject == row.subject
            && content.body == row.body
            && content.important == row.important
        {
            return Err(AppError::field(
                "body",
                "Aucune modification à enregistrer.",
            ));
        }
        let mut tx = self.begin().await?;
        let new = store::correct(
            &mut tx,
            ctx.org(),
            row.id,
            version,
            &content,
            &reason,
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::LiaisonCorrect,
            row.usager_id.map(UsagerId::from_uuid),
            "liaison",
            json!({"message": id, "version": new}),
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Removes a message (its author, or the encadrement) with a reason: it leaves the lists, its
    /// content and versions stay readable on its page.
    pub async fn remove_liaison(
        &self,
        ctx: &Ctx,
        id: LiaisonMessageId,
        reason: &str,
    ) -> AppResult<()> {
        let (row, _) = self.gated_liaison(ctx, id).await?;
        if row.removed_at.is_some() {
            return Err(AppError::Conflict);
        }
        if !Self::liaison_can_remove(ctx, &row) {
            return Err(AppError::Forbidden(DenyReason::RoleNotAllowed));
        }
        let reason = input::text("removal_reason", reason, input::LONG_TEXT)?;
        let mut tx = self.begin().await?;
        store::remove(
            &mut tx,
            ctx.org(),
            row.id,
            &reason,
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::LiaisonRemove,
            row.usager_id.map(UsagerId::from_uuid),
            "liaison",
            json!({"message": id}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a follow-up item done (`done`) or to do again, by anyone who reads its message.
    /// `seq` is the state the professional saw: a change made meanwhile is a conflict. Returns the
    /// message's id.
    pub async fn set_liaison_suivi(
        &self,
        ctx: &Ctx,
        id: LiaisonSuiviId,
        done: bool,
        seq: i64,
    ) -> AppResult<LiaisonMessageId> {
        let suivi = store::get_suivi(&self.db, ctx.org(), id.as_uuid()).await?;
        let message = LiaisonMessageId::from_uuid(suivi.message_id);
        let (row, _) = self.gated_liaison(ctx, message).await?;
        if row.removed_at.is_some() {
            return Err(AppError::field("done", "Ce message a été retiré."));
        }
        if suivi.done == done {
            return Err(AppError::field(
                "done",
                if done {
                    "C'est déjà fait."
                } else {
                    "C'est déjà à faire."
                },
            ));
        }
        if seq != suivi.state_seq {
            return Err(AppError::Conflict);
        }
        let mut tx = self.begin().await?;
        store::set_suivi(
            &mut tx,
            ctx.org(),
            suivi.id,
            seq,
            done,
            self.now_micros(),
            ctx.user().as_uuid(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::LiaisonSuivi,
            row.usager_id.map(UsagerId::from_uuid),
            "liaison",
            json!({"message": message, "suivi": id, "fait": done}),
        )
        .await?;
        tx.commit().await?;
        Ok(message)
    }
}
