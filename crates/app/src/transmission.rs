//! Transmissions ciblées (DAR) and the relève of a unit.
//!
//! **Who may read and write.** A transmission's category decides the permission: soins, éducatif
//! and social need `ReadCareRecord` / `WriteCareRecord` on the person, médical needs `ReadMedical` /
//! `WriteMedical` through [`App::decide`] (the organisation's medical access setting applies). A
//! medical transmission the reader may not see is left out of every list in SQL or before counting:
//! it is never listed, counted or hinted at.
//!
//! **Versions.** A correction writes a new version (with its reason) and the earlier ones stay
//! readable; the versions live in `transmission_version`, never in the shared record history, so
//! medical content cannot reach the history page.
//!
//! **The relève.** A unit's relève lists what was written or corrected since the start of the
//! reader's current visit, important first. A visit starts when the relève is opened after a pause
//! of [`VISIT_PAUSE`] or more; it then shows everything since the previous visit (the reader's last
//! shift), and reopening it during the same visit keeps the same start. A first visit shows the last
//! [`FIRST_VISIT`]. Each reading is recorded once (who, when) and shown to the team.
//!
//! Every read and write is audited; the audit details name ids and categories, never the content.

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use parcours_domain::authz::{Action, Decision, DenyReason, Placement, Resource, role_allows};
use parcours_domain::codelist::cibles_transmission;
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{EtablissementId, TransmissionId, UniteId, UsagerId};
use parcours_domain::input;
use parcours_domain::transmission::{Category, Dar, RawTransmission};
use parcours_store::lecture::{self, Lu};
use parcours_store::transmission::{self as store, Content, NewTransmission, TransmissionRow};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::search::transmission_doc;
use crate::usager::{micros_to_ts, placements_of, placements_of_many};
use crate::{App, AppError, AppResult, Ctx};

/// A pause after which opening the relève starts a new visit.
pub const VISIT_PAUSE: SignedDuration = SignedDuration::from_hours(2);
/// What a professional's first relève of a unit covers.
pub const FIRST_VISIT: SignedDuration = SignedDuration::from_hours(24);
/// A page of a person's transmissions.
pub const PAGE_SIZE: i64 = 20;
/// The most transmissions a relève shows.
pub const RELEVE_MAX: i64 = 500;

/// Someone who has read a transmission.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReaderView {
    pub name: String,
    #[schema(value_type = String)]
    pub at: Timestamp,
}

/// A transmission with its current version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransmissionView {
    #[schema(value_type = String)]
    pub id: TransmissionId,
    #[schema(value_type = String)]
    pub usager: UsagerId,
    /// The person's name (in the relève).
    pub usager_name: String,
    /// `soins`, `educatif`, `social`, `medical`.
    #[schema(value_type = String)]
    pub category: Category,
    pub category_label: String,
    pub cible: String,
    pub cible_label: String,
    pub donnees: String,
    pub actions: Option<String>,
    pub resultats: Option<String>,
    pub important: bool,
    /// 1 for an uncorrected transmission.
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
}

/// One version of a transmission, as it was written.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub cible: String,
    pub cible_label: String,
    pub donnees: String,
    pub actions: Option<String>,
    pub resultats: Option<String>,
    pub important: bool,
    pub reason: Option<String>,
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub by: String,
}

/// A transmission and every version of it, oldest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransmissionHistory {
    pub transmission: TransmissionView,
    pub versions: Vec<VersionView>,
    pub can_correct: bool,
}

/// A page of a person's transmissions, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransmissionList {
    pub items: Vec<TransmissionView>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
    /// The categories the reader may write for this person.
    #[schema(value_type = Vec<String>)]
    pub writable: Vec<Category>,
}

/// A unit the professional may open the relève of.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UniteChoice {
    #[schema(value_type = String)]
    pub id: UniteId,
    pub name: String,
}

/// A unit's relève.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Releve {
    #[schema(value_type = String)]
    pub unite: UniteId,
    pub unite_name: String,
    /// Where it starts.
    #[schema(value_type = String)]
    pub since: Timestamp,
    /// Important first, then newest first.
    pub items: Vec<TransmissionView>,
    /// How many of them the reader has not read yet.
    pub unread: usize,
    pub units: Vec<UniteChoice>,
}

fn cursor_of(r: &TransmissionRow) -> String {
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

fn content_of(d: Dar) -> Content {
    Content {
        cible: d.cible,
        donnees: d.donnees,
        actions: d.actions,
        resultats: d.resultats,
        important: d.important,
    }
}

fn category_of(r: &TransmissionRow) -> AppResult<Category> {
    Category::parse(&r.category)
        .map_err(|_| AppError::Internal(format!("transmission {}: category {}", r.id, r.category)))
}

impl App {
    /// Whether the professional may do `action` on this person, without auditing a refusal (used
    /// to filter lists: what is filtered out is simply not there).
    pub(crate) async fn allowed_on(
        &self,
        ctx: &Ctx,
        action: Action,
        usager: UsagerId,
        placements: &[Placement],
    ) -> AppResult<bool> {
        let resource = Resource::Usager {
            organisation: ctx.organisation(),
            placements,
        };
        Ok(matches!(
            self.decide(ctx, action, &resource, usager).await?,
            Decision::Allow
        ))
    }

    fn view_of(
        &self,
        ctx: &Ctx,
        r: TransmissionRow,
        names: &HashMap<Uuid, String>,
        readers: &HashMap<Uuid, Vec<lecture::ReadRow>>,
        person: String,
    ) -> AppResult<TransmissionView> {
        let category = category_of(&r)?;
        let reads = readers.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
        let me = ctx.user().as_uuid();
        Ok(TransmissionView {
            id: TransmissionId::from_uuid(r.id),
            usager: UsagerId::from_uuid(r.usager_id),
            usager_name: person,
            category,
            category_label: category.label_fr().to_string(),
            cible_label: cibles_transmission().label(&r.cible).to_string(),
            cible: r.cible,
            donnees: r.donnees,
            actions: r.actions,
            resultats: r.resultats,
            important: r.important,
            version: r.version,
            written_at: micros_to_ts(r.written_at),
            written_by: names.get(&r.written_by).cloned().unwrap_or_default(),
            updated_at: micros_to_ts(r.updated_at),
            updated_by: names.get(&r.updated_by).cloned().unwrap_or_default(),
            reason: r.reason,
            readers: reads
                .iter()
                .map(|x| ReaderView {
                    name: names.get(&x.user_id).cloned().unwrap_or_default(),
                    at: micros_to_ts(x.read_at),
                })
                .collect(),
            read_by_me: reads.iter().any(|x| x.user_id == me),
        })
    }

    async fn readers_of(
        &self,
        ctx: &Ctx,
        rows: &[TransmissionRow],
    ) -> AppResult<HashMap<Uuid, Vec<lecture::ReadRow>>> {
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut out: HashMap<Uuid, Vec<lecture::ReadRow>> = HashMap::new();
        for r in lecture::readers(&self.db, Lu::Transmission, ctx.org(), &ids).await? {
            out.entry(r.doc_id).or_default().push(r);
        }
        Ok(out)
    }

    /// The categories the professional may write for a person with these placements.
    async fn writable_categories(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        placements: &[Placement],
    ) -> AppResult<Vec<Category>> {
        let mut out = Vec::new();
        for c in Category::ALL {
            if self
                .allowed_on(ctx, c.write_action(), usager, placements)
                .await?
            {
                out.push(*c);
            }
        }
        Ok(out)
    }

    /// Writes a transmission about a person; returns its id. The unit recorded (whose relève shows
    /// it) is the person's unit that the writer covers, else their first unit.
    pub async fn write_transmission(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        raw: &RawTransmission,
    ) -> AppResult<TransmissionId> {
        let category = raw.category();
        let action = category
            .as_ref()
            .map(|c| c.write_action())
            .unwrap_or(Action::WriteCareRecord);
        self.gate_person(ctx, action, usager).await?;
        let mut e = FieldErrors::default();
        let category = e.take(category);
        let dar = match raw.dar() {
            Ok(d) => Some(d),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        let (Some(category), Some(dar)) = (category, dar) else {
            return Err(AppError::Validation(e));
        };
        let placements = placements_of(self, ctx, usager).await?;
        let with_unit = |p: &&Placement| p.unite.is_some();
        let place = placements
            .iter()
            .filter(with_unit)
            .find(|p| ctx.actor.covers(p))
            .or_else(|| placements.iter().find(with_unit))
            .or_else(|| placements.first())
            .copied()
            .ok_or(AppError::NotFound)?;
        let id = self.new_id();
        let new = NewTransmission {
            organisation_id: ctx.org(),
            id,
            usager_id: usager.as_uuid(),
            etablissement_id: place.etablissement.as_uuid(),
            unite_id: place.unite.map(|u| u.as_uuid()),
            category: category.code().to_string(),
            content: content_of(dar),
            at: self.now_micros(),
            by: ctx.user().as_uuid(),
        };
        let mut tx = self.begin().await?;
        store::insert(&mut tx, &new).await?;
        parcours_store::search::index(
            &mut tx,
            &transmission_doc(
                new.organisation_id,
                id,
                new.usager_id,
                category,
                (new.by, new.at),
                &new.content,
            ),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::TransmissionWrite,
            Some(usager),
            "transmission",
            json!({"transmission": id, "categorie": category.code()}),
        )
        .await?;
        tx.commit().await?;
        Ok(TransmissionId::from_uuid(id))
    }

    /// The transmission, after the gate for `action` of its category (a refused professional
    /// learns nothing of it).
    async fn gated_transmission(
        &self,
        ctx: &Ctx,
        id: TransmissionId,
        write: bool,
    ) -> AppResult<(TransmissionRow, Category)> {
        let row = store::get(&self.db, ctx.org(), id.as_uuid()).await?;
        let category = category_of(&row)?;
        let action = if write {
            category.write_action()
        } else {
            category.read_action()
        };
        self.gate_person(ctx, action, UsagerId::from_uuid(row.usager_id))
            .await?;
        Ok((row, category))
    }

    /// Corrects a transmission: a new version with its reason (the category never changes).
    /// `version` is the one the professional started from; a concurrent correction is a conflict.
    pub async fn correct_transmission(
        &self,
        ctx: &Ctx,
        id: TransmissionId,
        version: i64,
        raw: &RawTransmission,
    ) -> AppResult<i64> {
        let (row, category) = self.gated_transmission(ctx, id, true).await?;
        let mut e = FieldErrors::default();
        let reason = e.take(input::text("reason", &raw.reason, input::LONG_TEXT));
        let dar = match raw.dar() {
            Ok(d) => Some(d),
            Err(errs) => {
                e.0.extend(errs.0);
                None
            }
        };
        let (Some(reason), Some(dar)) = (reason, dar) else {
            return Err(AppError::Validation(e));
        };
        if version != row.version {
            return Err(AppError::Conflict);
        }
        let content = content_of(dar);
        let same = content.cible == row.cible
            && content.donnees == row.donnees
            && content.actions == row.actions
            && content.resultats == row.resultats
            && content.important == row.important;
        if same {
            return Err(AppError::field(
                "donnees",
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
        parcours_store::search::index(
            &mut tx,
            &transmission_doc(
                ctx.org(),
                row.id,
                row.usager_id,
                category,
                (row.written_by, row.written_at),
                &content,
            ),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::TransmissionCorrect,
            Some(UsagerId::from_uuid(row.usager_id)),
            "transmission",
            json!({"transmission": id, "categorie": category.code(), "version": new}),
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// A page of a person's transmissions, newest first (`after`: the cursor of the previous
    /// page). The medical ones are there only for a reader of the medical file. Audited read.
    pub async fn transmissions(
        &self,
        ctx: &Ctx,
        usager: UsagerId,
        after: Option<&str>,
    ) -> AppResult<TransmissionList> {
        self.gate_person(ctx, Action::ReadCareRecord, usager)
            .await?;
        let before = after
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_cursor(s.trim()))
            .transpose()?;
        let placements = placements_of(self, ctx, usager).await?;
        let medical = self
            .allowed_on(ctx, Action::ReadMedical, usager, &placements)
            .await?;
        let mut rows = store::for_usager(
            &self.db,
            ctx.org(),
            usager.as_uuid(),
            medical,
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
        let readers = self.readers_of(ctx, &rows).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let items = rows
            .into_iter()
            .map(|r| self.view_of(ctx, r, &names, &readers, String::new()))
            .collect::<AppResult<Vec<_>>>()?;
        let writable = self.writable_categories(ctx, usager, &placements).await?;
        self.audit_alone(
            ctx,
            AuditAction::TransmissionRead,
            Some(usager),
            "transmission",
            json!({"transmissions": ids, "medical": medical}),
        )
        .await?;
        Ok(TransmissionList {
            items,
            next,
            writable,
        })
    }

    /// A transmission and all its versions (gated by its category). Audited read.
    pub async fn transmission_history(
        &self,
        ctx: &Ctx,
        id: TransmissionId,
    ) -> AppResult<TransmissionHistory> {
        let (row, category) = self.gated_transmission(ctx, id, false).await?;
        let usager = UsagerId::from_uuid(row.usager_id);
        let names = self.user_names(ctx).await?;
        let versions = store::versions(&self.db, ctx.org(), row.id)
            .await?
            .into_iter()
            .map(|v| VersionView {
                version: v.version,
                cible_label: cibles_transmission().label(&v.cible).to_string(),
                cible: v.cible,
                donnees: v.donnees,
                actions: v.actions,
                resultats: v.resultats,
                important: v.important,
                reason: v.reason,
                at: micros_to_ts(v.written_at),
                by: names.get(&v.written_by).cloned().unwrap_or_default(),
            })
            .collect();
        let placements = placements_of(self, ctx, usager).await?;
        let can_correct = self
            .allowed_on(ctx, category.write_action(), usager, &placements)
            .await?;
        let readers = self.readers_of(ctx, std::slice::from_ref(&row)).await?;
        let transmission = self.view_of(ctx, row, &names, &readers, String::new())?;
        self.audit_alone(
            ctx,
            AuditAction::TransmissionRead,
            Some(usager),
            "transmission",
            json!({"transmission": id, "versions": true}),
        )
        .await?;
        Ok(TransmissionHistory {
            transmission,
            versions,
            can_correct,
        })
    }

    /// The units whose relève the professional may open (those they cover, with the care record).
    pub async fn releve_units(&self, ctx: &Ctx) -> AppResult<Vec<UniteChoice>> {
        if !ctx.actor.active || !role_allows(ctx.actor.role, Action::ReadCareRecord) {
            return Ok(Vec::new());
        }
        Ok(
            parcours_store::organisation::list_unites(&self.db, ctx.org())
                .await?
                .into_iter()
                .filter(|u| {
                    u.active
                        && ctx.actor.covers(&Placement {
                            etablissement: EtablissementId::from_uuid(u.etablissement_id),
                            unite: Some(UniteId::from_uuid(u.id)),
                        })
                })
                .map(|u| UniteChoice {
                    id: UniteId::from_uuid(u.id),
                    name: u.name,
                })
                .collect(),
        )
    }

    /// The unit asked for (or the first one), if the professional may open its relève.
    async fn releve_unit(
        &self,
        ctx: &Ctx,
        unite: Option<UniteId>,
    ) -> AppResult<(UniteChoice, Vec<UniteChoice>)> {
        let units = self.releve_units(ctx).await?;
        let chosen = match unite {
            Some(u) => units.iter().find(|c| c.id == u),
            None => units.first(),
        }
        .cloned();
        match chosen {
            Some(c) => Ok((c, units)),
            None => {
                self.audit_alone(
                    ctx,
                    AuditAction::AccessDenied,
                    None,
                    "releve",
                    json!({"action": Action::ReadCareRecord.code(), "unite": unite}),
                )
                .await?;
                Err(AppError::Forbidden(DenyReason::OutOfScope))
            }
        }
    }

    /// The transmissions of a unit since `since` that the professional may read, important first.
    async fn releve_rows(
        &self,
        ctx: &Ctx,
        unite: UniteId,
        since: i64,
    ) -> AppResult<Vec<TransmissionRow>> {
        let rows =
            store::for_unite(&self.db, ctx.org(), unite.as_uuid(), since, RELEVE_MAX).await?;
        // One decision per person and permission (a relève has few persons, many transmissions),
        // taken for all the persons at once.
        let rows: Vec<(Action, TransmissionRow)> = rows
            .into_iter()
            .map(|r| Ok((category_of(&r)?.read_action(), r)))
            .collect::<AppResult<_>>()?;
        let mut asked: HashMap<Action, BTreeSet<Uuid>> = HashMap::new();
        for (a, r) in &rows {
            asked.entry(*a).or_default().insert(r.usager_id);
        }
        let persons: BTreeSet<Uuid> = rows.iter().map(|(_, r)| r.usager_id).collect();
        let persons: Vec<Uuid> = persons.into_iter().collect();
        let placements = placements_of_many(self, ctx, &persons).await?;
        let mut allowed: HashSet<(Uuid, Action)> = HashSet::new();
        for (action, who) in asked {
            let ask: Vec<(UsagerId, &[Placement])> = who
                .iter()
                .map(|u| {
                    let p = placements.get(u).map(Vec::as_slice).unwrap_or(&[]);
                    (UsagerId::from_uuid(*u), p)
                })
                .collect();
            let decided = self.decide_each(ctx, action, &ask).await?;
            for ((u, _), d) in ask.iter().zip(decided) {
                if d == Decision::Allow {
                    allowed.insert((u.as_uuid(), action));
                }
            }
        }
        let mut out: Vec<TransmissionRow> = rows
            .into_iter()
            .filter(|(a, r)| allowed.contains(&(r.usager_id, *a)))
            .map(|(_, r)| r)
            .collect();
        // Important first; newest first within each group (the order of the query is kept).
        out.sort_by_key(|r| !r.important);
        Ok(out)
    }

    /// A unit's relève: since `since` if given, else since the start of the current visit (see
    /// the module documentation), which it records. Audited read.
    pub async fn releve(
        &self,
        ctx: &Ctx,
        unite: Option<UniteId>,
        since: Option<Timestamp>,
    ) -> AppResult<Releve> {
        let (unit, units) = self.releve_unit(ctx, unite).await?;
        let (org, me, now) = (ctx.org(), ctx.user().as_uuid(), self.now_micros());
        let previous = store::visit(&self.db, org, me, unit.id.as_uuid()).await?;
        let visit_start = match previous {
            Some(v) if now - v.seen_at < VISIT_PAUSE.as_micros() as i64 => v.since_at,
            Some(v) => v.seen_at,
            None => now - FIRST_VISIT.as_micros() as i64,
        };
        let from = since.map(|t| t.as_microsecond()).unwrap_or(visit_start);
        let rows = self.releve_rows(ctx, unit.id, from).await?;
        let names = self.user_names(ctx).await?;
        let readers = self.readers_of(ctx, &rows).await?;
        let mut ids: Vec<Uuid> = rows.iter().map(|r| r.usager_id).collect();
        ids.sort();
        ids.dedup();
        let people: HashMap<Uuid, String> = parcours_store::usager::summaries(&self.db, org, &ids)
            .await?
            .into_iter()
            .map(|p| {
                let name = format!(
                    "{} {}",
                    p.used_name.unwrap_or(p.birth_name),
                    p.used_first_name.unwrap_or(p.birth_first_name)
                );
                (p.id, name)
            })
            .collect();
        let tids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let items = rows
            .into_iter()
            .map(|r| {
                let person = people.get(&r.usager_id).cloned().unwrap_or_default();
                self.view_of(ctx, r, &names, &readers, person)
            })
            .collect::<AppResult<Vec<_>>>()?;
        let unread = items.iter().filter(|i| !i.read_by_me).count();
        let mut tx = self.begin().await?;
        store::set_visit(
            &mut tx,
            org,
            me,
            unit.id.as_uuid(),
            &store::VisitRow {
                since_at: visit_start,
                seen_at: now,
            },
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::TransmissionReleveRead,
            None,
            "releve",
            json!({"unite": unit.id, "transmissions": tids}),
        )
        .await?;
        tx.commit().await?;
        Ok(Releve {
            unite: unit.id,
            unite_name: unit.name,
            since: micros_to_ts(from),
            items,
            unread,
            units,
        })
    }

    /// Marks a transmission as read by the professional (once; a second tap changes nothing).
    pub async fn mark_transmission_read(&self, ctx: &Ctx, id: TransmissionId) -> AppResult<()> {
        let (row, _) = self.gated_transmission(ctx, id, false).await?;
        let mut tx = self.begin().await?;
        let first = lecture::mark_read(
            &mut tx,
            Lu::Transmission,
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
                AuditAction::TransmissionMarkRead,
                Some(UsagerId::from_uuid(row.usager_id)),
                "transmission",
                json!({"transmissions": [id]}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks every transmission of a unit's relève since `since` that the professional may read
    /// as read by them; returns how many were newly marked.
    pub async fn mark_releve_read(
        &self,
        ctx: &Ctx,
        unite: UniteId,
        since: Timestamp,
    ) -> AppResult<usize> {
        let (unit, _) = self.releve_unit(ctx, Some(unite)).await?;
        let rows = self
            .releve_rows(ctx, unit.id, since.as_microsecond())
            .await?;
        let (org, me, now) = (ctx.org(), ctx.user().as_uuid(), self.now_micros());
        let mut marked = Vec::new();
        let mut tx = self.begin().await?;
        for r in &rows {
            if lecture::mark_read(&mut tx, Lu::Transmission, org, r.id, me, now).await? {
                marked.push(r.id);
            }
        }
        self.audit(
            &mut tx,
            ctx,
            AuditAction::TransmissionMarkRead,
            None,
            "releve",
            json!({"unite": unit.id, "transmissions": marked}),
        )
        .await?;
        tx.commit().await?;
        Ok(marked.len())
    }
}
