//! French full-text search over transmissions and professional notes, scoped by the gate.
//!
//! **Never reveal.** The reader's rights are turned into SQL before the index is read
//! ([`parcours_store::search::Filter`]): the persons whose care record they may read (their
//! establishments and units, as `Actor::covers` decides), the transmission categories (the medical
//! ones need the medical-file permission, or a running delegation or emergency access for that
//! person), and the visibility of each note. A document outside them is never fetched, so it is
//! neither listed, counted nor quoted in an extract. The page shows no total, only "next results".
//!
//! **Same answers on both engines.** Terms are computed in Rust (`parcours_domain::search`); the
//! engines only intersect them.

use std::collections::HashMap;

use jiff::Timestamp;
use parcours_domain::authz::{Action, role_allows};
use parcours_domain::codelist::{cibles_transmission, types_ecrit};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{TransmissionId, UsagerId};
use parcours_domain::search::{Query, Segment, extract, terms_line};
use parcours_domain::transmission::Category;
use parcours_store::ecrit::Content as EcritContent;
use parcours_store::search::{self as store, Filter, Persons, SearchDoc};
use parcours_store::transmission::{self as tstore, Content};
use parcours_store::usager as ustore;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::usager::{micros_to_ts, placements_of};
use crate::{App, AppError, AppResult, Ctx};

/// Results per page.
pub const PAGE_SIZE: i64 = 20;
/// The width of an extract, in bytes of text around the first matched word.
const EXTRACT_WIDTH: usize = 220;

/// What was typed in the search form.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct SearchInput {
    /// The words to find.
    #[serde(default)]
    pub q: String,
    /// Only this person's documents.
    #[serde(default)]
    pub usager: Option<String>,
    /// The cursor of the next page.
    #[serde(default)]
    pub apres: Option<String>,
}

/// One document found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// `transmission` or `ecrit`.
    pub kind: String,
    #[schema(value_type = String)]
    pub id: Uuid,
    #[schema(value_type = String)]
    pub usager: UsagerId,
    pub usager_name: String,
    /// What it is, in French ("Transmission — Douleur (Soins)").
    pub title: String,
    #[schema(value_type = String)]
    pub at: Timestamp,
    pub author: String,
    /// The extract, matched words marked (`hit`).
    #[schema(value_type = Vec<Object>)]
    pub extract: Vec<Segment>,
    /// The page of the document.
    pub link: String,
}

/// A page of results, newest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    pub query: String,
    pub items: Vec<SearchItem>,
    /// The cursor of the next page, if there may be one.
    pub next: Option<String>,
}

/// The transmission content a search indexes and quotes from: the target's label and the D, A and R
/// parts, in reading order.
fn dar_text(cible: &str, donnees: &str, actions: Option<&str>, resultats: Option<&str>) -> String {
    let mut parts = vec![cibles_transmission().label(cible), donnees];
    parts.extend(actions);
    parts.extend(resultats);
    parts.join("\n")
}

/// The start of a text, unmarked (a document matched by a term its extract window missed).
fn plain(text: &str) -> Vec<Segment> {
    vec![Segment {
        text: text.chars().take(EXTRACT_WIDTH).collect(),
        hit: false,
    }]
}

/// The index entry of a transmission written (or corrected) with this content.
pub(crate) fn transmission_doc(
    org: Uuid,
    id: Uuid,
    usager: Uuid,
    category: Category,
    written: (Uuid, i64),
    c: &Content,
) -> SearchDoc {
    SearchDoc {
        organisation_id: org,
        kind: "transmission",
        doc_id: id,
        usager_id: usager,
        scope: category.code().to_string(),
        profession: None,
        written_by: written.0,
        written_at: written.1,
        terms: terms_line(&dar_text(
            &c.cible,
            &c.donnees,
            c.actions.as_deref(),
            c.resultats.as_deref(),
        )),
    }
}

/// The note content a search indexes and quotes from: its type's label, title and text.
fn ecrit_text(kind: &str, title: &str, body: &str) -> String {
    format!("{}\n{title}\n{body}", types_ecrit().label(kind))
}

/// The index entry of a note written (or corrected) with this content.
pub(crate) fn ecrit_doc(
    org: Uuid,
    id: Uuid,
    usager: Uuid,
    c: &EcritContent,
    profession: &str,
    written: (Uuid, i64),
) -> SearchDoc {
    SearchDoc {
        organisation_id: org,
        kind: "ecrit",
        doc_id: id,
        usager_id: usager,
        scope: c.scope.clone(),
        profession: Some(profession.to_string()),
        written_by: written.0,
        written_at: written.1,
        terms: terms_line(&ecrit_text(&c.kind, &c.title, &c.body)),
    }
}

impl App {
    /// Rebuilds the whole search index from the records, a page of transmissions per transaction
    /// (every organisation: a command-line tool, no professional is acting). Returns how many
    /// documents were indexed.
    pub async fn reindex_search(&self) -> AppResult<u64> {
        let mut after = None;
        let mut n = 0u64;
        loop {
            let rows = tstore::page_all(&self.db, after, 1000).await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = Some((last.organisation_id, last.row.id));
            let mut tx = self.begin().await?;
            for r in &rows {
                let category = Category::parse(&r.row.category).map_err(|_| {
                    AppError::Internal(format!("transmission {}: category", r.row.id))
                })?;
                let content = Content {
                    cible: r.row.cible.clone(),
                    donnees: r.row.donnees.clone(),
                    actions: r.row.actions.clone(),
                    resultats: r.row.resultats.clone(),
                    important: r.row.important,
                };
                store::index(
                    &mut tx,
                    &transmission_doc(
                        r.organisation_id,
                        r.row.id,
                        r.row.usager_id,
                        category,
                        (r.row.written_by, r.row.written_at),
                        &content,
                    ),
                )
                .await?;
                n += 1;
            }
            tx.commit().await?;
        }
        let mut after = None;
        loop {
            let rows = parcours_store::ecrit::page_all(&self.db, after, 1000).await?;
            let Some(last) = rows.last() else {
                break;
            };
            after = Some((last.organisation_id, last.row.id));
            let mut tx = self.begin().await?;
            for r in &rows {
                let e = &r.row;
                if e.withdrawn_at.is_some() {
                    store::remove(&mut tx, r.organisation_id, "ecrit", e.id).await?;
                    continue;
                }
                let content = EcritContent {
                    kind: e.kind.clone(),
                    title: e.title.clone(),
                    body: e.body.clone(),
                    event_date: e.event_date.clone(),
                    scope: e.scope.clone(),
                };
                store::index(
                    &mut tx,
                    &ecrit_doc(
                        r.organisation_id,
                        e.id,
                        e.usager_id,
                        &content,
                        &e.author_profession,
                        (e.written_by, e.written_at),
                    ),
                )
                .await?;
                n += 1;
            }
            tx.commit().await?;
        }
        Ok(n)
    }

    /// Searches the transmissions and notes the professional may read (of one person with
    /// `usager`), newest first. Audited: the ids of what was shown, never the words searched.
    pub async fn search_notes(&self, ctx: &Ctx, input: &SearchInput) -> AppResult<SearchPage> {
        let query = Query::parse(&input.q).map_err(|e| {
            let mut errs = FieldErrors::default();
            errs.0.push(e);
            AppError::Validation(errs)
        })?;
        let before =
            match input.apres.as_deref().map(str::trim) {
                Some("") | None => None,
                Some(s) => Some(s.parse::<i64>().map_err(|_| {
                    AppError::field("apres", "Ce curseur de page n'est pas valide.")
                })?),
            };
        let usager = match input.usager.as_deref().map(str::trim) {
            Some("") | None => None,
            Some(s) => Some(UsagerId::from_uuid(s.parse::<Uuid>().map_err(|_| {
                AppError::field("usager", "Cette personne est inconnue.")
            })?)),
        };
        let filter = self.search_filter(ctx, &query, usager, before).await?;
        let mut hits = store::search(&self.db, &filter).await?;
        let next = if hits.len() as i64 > PAGE_SIZE {
            hits.truncate(PAGE_SIZE as usize);
            hits.last().map(|h| h.seq.to_string())
        } else {
            None
        };
        let names = self.user_names(ctx).await?;
        let mut persons: Vec<Uuid> = hits.iter().map(|h| h.usager_id).collect();
        persons.sort();
        persons.dedup();
        let people: HashMap<Uuid, String> = ustore::summaries(&self.db, ctx.org(), &persons)
            .await?
            .into_iter()
            .map(|p| (p.id, p.list_name()))
            .collect();
        let mut items = Vec::with_capacity(hits.len());
        for h in &hits {
            if h.kind == "transmission" {
                let r = tstore::get(&self.db, ctx.org(), h.doc_id).await?;
                let category = Category::parse(&r.category).map_err(|_| {
                    AppError::Internal(format!("transmission {}: category {}", r.id, r.category))
                })?;
                let text = dar_text(
                    &r.cible,
                    &r.donnees,
                    r.actions.as_deref(),
                    r.resultats.as_deref(),
                );
                items.push(SearchItem {
                    kind: "transmission".into(),
                    id: r.id,
                    usager: UsagerId::from_uuid(r.usager_id),
                    usager_name: people.get(&r.usager_id).cloned().unwrap_or_default(),
                    title: format!(
                        "Transmission — {} ({})",
                        cibles_transmission().label(&r.cible),
                        category.label_fr()
                    ),
                    at: micros_to_ts(r.written_at),
                    author: names.get(&r.written_by).cloned().unwrap_or_default(),
                    extract: extract(&query, &text, EXTRACT_WIDTH).unwrap_or_else(|| plain(&text)),
                    link: format!("/transmissions/{}", TransmissionId::from_uuid(r.id)),
                });
            } else {
                let e = parcours_store::ecrit::get(&self.db, ctx.org(), h.doc_id).await?;
                let text = ecrit_text(&e.kind, &e.title, &e.body);
                items.push(SearchItem {
                    kind: "ecrit".into(),
                    id: e.id,
                    usager: UsagerId::from_uuid(e.usager_id),
                    usager_name: people.get(&e.usager_id).cloned().unwrap_or_default(),
                    title: format!(
                        "Écrit professionnel — {} : {}",
                        types_ecrit().label(&e.kind),
                        e.title
                    ),
                    at: micros_to_ts(e.written_at),
                    author: names.get(&e.written_by).cloned().unwrap_or_default(),
                    extract: extract(&query, &text, EXTRACT_WIDTH).unwrap_or_else(|| plain(&text)),
                    link: format!("/usagers/{}/ecrits/{}", e.usager_id, e.id),
                });
            }
        }
        let shown: Vec<_> = hits
            .iter()
            .map(|h| json!({"type": h.kind, "id": h.doc_id, "usager": h.usager_id}))
            .collect();
        self.audit_alone(
            ctx,
            AuditAction::SearchRead,
            usager,
            "recherche",
            json!({"resultats": shown, "mots": query.groups.len()}),
        )
        .await?;
        Ok(SearchPage {
            query: query.text,
            items,
            next,
        })
    }

    /// The reader's rights as a search filter. A person's search passes their gate first.
    async fn search_filter(
        &self,
        ctx: &Ctx,
        query: &Query,
        usager: Option<UsagerId>,
        before: Option<i64>,
    ) -> AppResult<Filter> {
        let (persons, care, medical_all, medical_of) = match usager {
            Some(u) => {
                self.gate_person(ctx, Action::ReadCareRecord, u).await?;
                let placements = placements_of(self, ctx, u).await?;
                let medical = self
                    .allowed_on(ctx, Action::ReadMedical, u, &placements)
                    .await?;
                (Persons::These(vec![u.as_uuid()]), true, medical, Vec::new())
            }
            None => {
                let care = ctx.actor.active && role_allows(ctx.actor.role, Action::ReadCareRecord);
                let scope = ctx.actor.visible_scope();
                let medical_all = care && self.medical_access(ctx).await?.read;
                let medical_of = if care && !medical_all {
                    self.temporary_access_persons(ctx).await?
                } else {
                    Vec::new()
                };
                let etablissements: Vec<Uuid> =
                    scope.etablissements.iter().map(|e| e.as_uuid()).collect();
                let unites: Vec<Uuid> = scope.unites.iter().map(|u| u.as_uuid()).collect();
                let few = store::persons_in(
                    &self.db,
                    ctx.org(),
                    &etablissements,
                    &unites,
                    self.config.search_few_persons + 1,
                )
                .await?;
                let persons = if few.len() as i64 <= self.config.search_few_persons {
                    Persons::These(few)
                } else {
                    Persons::In {
                        etablissements,
                        unites,
                    }
                };
                (persons, care, medical_all, medical_of)
            }
        };
        // Notes: read with the care record, then each within its visibility.
        let notes = if care {
            Some(self.ecrit_reader(ctx).await?.0)
        } else {
            None
        };
        Ok(Filter {
            organisation_id: ctx.org(),
            fts5: query.fts5(),
            tsquery: query.tsquery(),
            groups: query.groups.clone(),
            persons,
            care,
            medical_all,
            medical_of,
            notes,
            before,
            limit: PAGE_SIZE + 1,
        })
    }
}
