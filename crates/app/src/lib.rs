//! Use cases of Parcours: the only entry point for the web UI, the JSON API and the CLI.
//!
//! Every use case takes the acting professional ([`Ctx`]), asks the one authorization gate
//! ([`parcours_domain::authz::decide`]), runs its change in one transaction, writes the audit event in
//! that same transaction and returns domain values. Reads of a person's data are audited before the
//! data is returned: if the trace cannot be written, nothing is shown.

use std::sync::Arc;

use parcours_domain::authz::{self, Action, Actor, Decision, DenyReason, Resource};
use parcours_domain::clock::{Clock, IdGen};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{OrganisationId, UsagerId, UserId};
use parcours_store::{Db, StoreError, Tx};
use uuid::Uuid;

pub mod account;
pub mod admission;
pub mod audit;
pub mod auth;
pub mod consent;
pub mod demo;
pub mod ecrit;
pub mod entourage;
pub mod evaluation;
pub mod home;
pub mod liaison;
pub mod medical;
pub mod medical_document;
pub mod partner;
pub mod plan_soins;
pub mod projet;
pub mod records;
pub mod search;
pub mod soins;
pub mod structure;
pub mod synthetic;
pub mod testing;
pub mod timeline;
pub mod transmission;
pub mod usager;

pub use parcours_domain as domain;
pub use parcours_store as store;

/// Errors a use case can return; each web route family maps them once to HTML, JSON or FHIR.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input refused at the edge, with a French message per field.
    #[error("invalid input: {0}")]
    Validation(FieldErrors),
    #[error("not authenticated")]
    Unauthenticated,
    #[error("forbidden: {0:?}")]
    Forbidden(DenyReason),
    #[error("not found")]
    NotFound,
    /// Someone else changed the record since it was read (optimistic version check).
    #[error("conflict")]
    Conflict,
    /// Possible duplicates exist; creation needs an explicit confirmation.
    #[error("possible duplicates")]
    PossibleDuplicates(Vec<usager::UsagerListItem>),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { .. } => AppError::Conflict,
            other => AppError::Store(other),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Validation(e)
    }
}

impl From<parcours_domain::error::FieldError> for AppError {
    fn from(e: parcours_domain::error::FieldError) -> Self {
        AppError::Validation(FieldErrors(vec![e]))
    }
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &'static str, message: impl Into<String>) -> AppError {
        let mut errors = FieldErrors::default();
        errors.push(field, message);
        AppError::Validation(errors)
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Tunables that operators may change; defaults are the secure ones.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// A session unused for this long is over (ANSSI/PGSSI-S recommend short idle timeouts).
    pub session_idle: jiff::SignedDuration,
    /// A session never lives longer than this, active or not.
    pub session_absolute: jiff::SignedDuration,
    /// Failed logins of one account within `throttle_window` before it is locked for that window.
    pub max_failures_per_login: i64,
    /// Failed logins from one address within `throttle_window` before the address is refused.
    pub max_failures_per_ip: i64,
    pub throttle_window: jiff::SignedDuration,
    /// Up to this many persons in a reader's scope, the full-text search names them in its
    /// statement (the engines then start from each person's documents); beyond, it filters each
    /// candidate by the reader's establishments and units (see `parcours_store::search`).
    pub search_few_persons: i64,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            session_idle: jiff::SignedDuration::from_mins(30),
            search_few_persons: 500,
            session_absolute: jiff::SignedDuration::from_hours(12),
            max_failures_per_login: 5,
            max_failures_per_ip: 50,
            throttle_window: jiff::SignedDuration::from_mins(15),
        }
    }
}

/// The application: database, time and id sources (injected so tests control them), settings.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    pub config: AppConfig,
}

/// The acting professional of a request, built from a valid session (or by the CLI for itself).
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub display_name: String,
    pub login: String,
    /// Where the request came from, for the audit trail ("from where").
    pub ip: String,
    /// SHA-256 of the session token, when the request carries one.
    pub session_hash: Option<String>,
}

impl Ctx {
    pub fn org(&self) -> Uuid {
        self.actor.organisation.as_uuid()
    }
    pub fn user(&self) -> UserId {
        self.actor.user_id
    }
    pub fn organisation(&self) -> OrganisationId {
        self.actor.organisation
    }
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>, ids: Arc<dyn IdGen>, config: AppConfig) -> App {
        App {
            db,
            clock,
            ids,
            config,
        }
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    pub(crate) fn now_micros(&self) -> i64 {
        self.clock.now().as_microsecond()
    }

    pub(crate) fn new_id(&self) -> Uuid {
        self.ids.new_uuid()
    }

    /// Today in Europe/Paris by the application clock (pages default their periods to it).
    pub fn today(&self) -> jiff::civil::Date {
        parcours_domain::clock::today_in_paris(self.clock.now())
    }

    /// The gate, as every use case calls it: allow, or a `Forbidden` carrying the reason.
    pub(crate) fn authorize(
        &self,
        ctx: &Ctx,
        action: Action,
        resource: &Resource<'_>,
    ) -> AppResult<()> {
        match authz::decide(&ctx.actor, action, resource) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => Err(AppError::Forbidden(reason)),
        }
    }

    pub(crate) async fn begin(&self) -> AppResult<Tx> {
        Ok(self.db.begin().await?)
    }

    /// Appends an audit event in `tx`.
    pub(crate) async fn audit(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        action: audit::AuditAction,
        usager: Option<UsagerId>,
        target: &str,
        detail: serde_json::Value,
    ) -> AppResult<()> {
        let event = parcours_store::audit::NewEvent {
            organisation_id: ctx.org(),
            id: self.new_id(),
            at: self.now_micros(),
            actor_id: Some(ctx.user().as_uuid()),
            actor_label: ctx.display_name.clone(),
            action: action.code().to_string(),
            usager_id: usager.map(|u| u.as_uuid()),
            target: target.to_string(),
            ip: ctx.ip.clone(),
            detail: detail.to_string(),
        };
        parcours_store::audit::append(tx, &event).await?;
        Ok(())
    }

    /// Audits in a transaction of its own: for reads, and for refusals that change nothing else.
    pub(crate) async fn audit_alone(
        &self,
        ctx: &Ctx,
        action: audit::AuditAction,
        usager: Option<UsagerId>,
        target: &str,
        detail: serde_json::Value,
    ) -> AppResult<()> {
        let mut tx = self.begin().await?;
        self.audit(&mut tx, ctx, action, usager, target, detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
