//! Professionals' accounts: creation and edition by an administrator, and the first administrator
//! created from the command line.

use parcours_domain::authz::{Action, Resource};
use parcours_domain::error::FieldErrors;
use parcours_domain::ids::{OrganisationId, UserId};
use parcours_domain::professional::{Adeli, Login, Profession, Role, Rpps};
use parcours_domain::structure;
use parcours_store::StoreError;
use parcours_store::account::{self as store, UserRow};
use parcours_store::organisation::OrganisationRow;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::audit::AuditAction;
use crate::auth::check_password_policy;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize)]
pub struct AssignmentView {
    /// `ETABLISSEMENT_ID` or `ETABLISSEMENT_ID/UNITE_ID`, as the forms send it.
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: UserId,
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub profession: String,
    pub profession_label: String,
    pub rpps: Option<String>,
    pub adeli: Option<String>,
    pub role: Role,
    pub active: bool,
    pub version: i64,
    pub assignments: Vec<AssignmentView>,
}

/// An account as the administration form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    #[serde(default)]
    pub login: String,
    pub first_name: String,
    pub last_name: String,
    pub profession: String,
    #[serde(default)]
    pub rpps: String,
    #[serde(default)]
    pub adeli: String,
    pub role: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// Required at creation; on update, empty keeps the current password.
    #[serde(default)]
    pub password: String,
    /// Each `ETABLISSEMENT_ID` (whole establishment) or `ETABLISSEMENT_ID/UNITE_ID`.
    #[serde(default)]
    pub assignments: Vec<String>,
    #[serde(default)]
    pub version: i64,
}

fn yes() -> bool {
    true
}

struct ValidAccount {
    first_name: String,
    last_name: String,
    profession: Profession,
    rpps: Option<Rpps>,
    adeli: Option<Adeli>,
    role: Role,
    assignments: Vec<(Uuid, Option<Uuid>)>,
}

impl App {
    /// Every possible assignment (each establishment, and each of its units), for the forms.
    pub async fn assignment_options(&self, ctx: &Ctx) -> AppResult<Vec<AssignmentView>> {
        self.authorize(
            ctx,
            Action::ManageAccounts,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let s = self.structures_unchecked(ctx).await?;
        let mut out = Vec::new();
        for e in s.etablissements {
            out.push(AssignmentView {
                value: e.id.to_string(),
                label: format!("{} (tout l'établissement)", e.name),
            });
            for u in e.unites {
                out.push(AssignmentView {
                    value: format!("{}/{}", e.id, u.id),
                    label: format!("{} — {}", e.name, u.name),
                });
            }
        }
        Ok(out)
    }

    pub async fn list_accounts(&self, ctx: &Ctx) -> AppResult<Vec<AccountView>> {
        self.authorize(
            ctx,
            Action::ManageAccounts,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let options = self.assignment_options(ctx).await?;
        let assignments = store::list_all_assignments(&self.db, ctx.org()).await?;
        let users = store::list_users(&self.db, ctx.org()).await?;
        let mut out = Vec::with_capacity(users.len());
        for u in users {
            let role = Role::parse(&u.role)
                .map_err(|_| AppError::Internal(format!("unknown role {}", u.role)))?;
            let assigned = assignments
                .iter()
                .filter(|a| a.user_id == u.id)
                .map(|a| {
                    let value = match a.unite_id {
                        Some(unite) => format!("{}/{}", a.etablissement_id, unite),
                        None => a.etablissement_id.to_string(),
                    };
                    let label = options
                        .iter()
                        .find(|o| o.value == value)
                        .map(|o| o.label.clone())
                        .unwrap_or_default();
                    AssignmentView { value, label }
                })
                .collect();
            out.push(AccountView {
                id: UserId::from_uuid(u.id),
                profession_label: Profession::parse(&u.profession)
                    .map(|p| p.label_fr().to_string())
                    .unwrap_or_default(),
                login: u.login,
                first_name: u.first_name,
                last_name: u.last_name,
                profession: u.profession,
                rpps: u.rpps,
                adeli: u.adeli,
                role,
                active: u.active,
                version: u.version,
                assignments: assigned,
            });
        }
        Ok(out)
    }

    async fn validate_account(
        &self,
        ctx: &Ctx,
        input: &AccountInput,
        errors: &mut FieldErrors,
    ) -> Option<ValidAccount> {
        let first_name = structure::parse_label("first_name", &input.first_name, 100)
            .map_err(|e| errors.push(e.field, e.message))
            .ok();
        let last_name = structure::parse_label("last_name", &input.last_name, 100)
            .map_err(|e| errors.push(e.field, e.message))
            .ok();
        let profession = Profession::parse(input.profession.trim())
            .map_err(|_| errors.push("profession", "Choisissez une profession."))
            .ok();
        let rpps = if input.rpps.trim().is_empty() {
            None
        } else {
            Rpps::parse(&input.rpps)
                .map_err(|e| errors.push(e.field, e.message))
                .ok()
        };
        let adeli = if input.adeli.trim().is_empty() {
            None
        } else {
            Adeli::parse(&input.adeli)
                .map_err(|e| errors.push(e.field, e.message))
                .ok()
        };
        let role = Role::parse(input.role.trim())
            .map_err(|_| errors.push("role", "Choisissez un rôle."))
            .ok();
        let options = self.assignment_options(ctx).await.ok().unwrap_or_default();
        let mut assignments = Vec::new();
        for value in input
            .assignments
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            if !options.iter().any(|o| o.value == value) {
                errors.push(
                    "assignments",
                    "Une affectation choisie n'existe pas dans l'organisation.",
                );
                continue;
            }
            let mut parts = value.splitn(2, '/');
            let etab = parts.next().and_then(|s| s.parse().ok());
            let unite = parts.next().and_then(|s| s.parse().ok());
            if let Some(etab) = etab
                && !assignments.contains(&(etab, unite))
            {
                assignments.push((etab, unite));
            }
        }
        if role.is_some_and(|r| r != Role::Administrateur)
            && assignments.is_empty()
            && errors.get("assignments").is_none()
        {
            errors.push(
                "assignments",
                "Affectez le professionnel à au moins un établissement ou une unité.",
            );
        }
        Some(ValidAccount {
            first_name: first_name?,
            last_name: last_name?,
            profession: profession?,
            rpps,
            adeli,
            role: role?,
            assignments,
        })
        .filter(|_| errors.is_empty())
    }

    pub async fn create_account(&self, ctx: &Ctx, input: &AccountInput) -> AppResult<UserId> {
        self.authorize(
            ctx,
            Action::ManageAccounts,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let mut errors = FieldErrors::default();
        let login = Login::parse(&input.login)
            .map_err(|e| errors.push(e.field, e.message))
            .ok();
        let valid = self.validate_account(ctx, input, &mut errors).await;
        if let Err(e) = check_password_policy(
            &input.password,
            &[&input.login, &input.first_name, &input.last_name],
        ) {
            errors.push(e.field, e.message);
        }
        let (Some(login), Some(v), true) = (login, valid, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let hash = self.hash_password_async(&input.password).await?;
        let id = UserId::from_uuid(self.new_id());
        let row = UserRow {
            organisation_id: ctx.org(),
            id: id.as_uuid(),
            login: login.as_str().to_string(),
            first_name: v.first_name,
            last_name: v.last_name,
            profession: v.profession.code().to_string(),
            rpps: v.rpps.map(|r| r.as_str().to_string()),
            adeli: v.adeli.map(|a| a.as_str().to_string()),
            role: v.role.code().to_string(),
            active: input.active,
            password_hash: hash,
            version: 1,
        };
        let assignments: Vec<_> = v
            .assignments
            .iter()
            .map(|(e, u)| (self.new_id(), *e, *u))
            .collect();
        let mut tx = self.begin().await?;
        store::insert_user(&mut tx, &row, self.now_micros())
            .await
            .map_err(|e| match e {
                StoreError::Unique(_) => {
                    AppError::field("login", "Cet identifiant est déjà utilisé.")
                }
                other => other.into(),
            })?;
        store::replace_assignments(&mut tx, ctx.org(), id.as_uuid(), &assignments).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::AccountChange,
            None,
            &format!("compte:{id}"),
            json!({"op": "creation", "login": row.login, "role": row.role}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Updates an account. Disabling it also ends all of its sessions, in the same transaction.
    pub async fn update_account(
        &self,
        ctx: &Ctx,
        id: UserId,
        input: &AccountInput,
    ) -> AppResult<()> {
        self.authorize(
            ctx,
            Action::ManageAccounts,
            &Resource::Organisation(ctx.organisation()),
        )?;
        let current = store::get_user(&self.db, ctx.org(), id.as_uuid()).await?;
        let mut errors = FieldErrors::default();
        let valid = self.validate_account(ctx, input, &mut errors).await;
        let new_password = !input.password.is_empty();
        if new_password
            && let Err(e) = check_password_policy(
                &input.password,
                &[&current.login, &input.first_name, &input.last_name],
            )
        {
            errors.push(e.field, e.message);
        }
        if id == ctx.user() && !input.active {
            errors.push(
                "active",
                "Vous ne pouvez pas désactiver votre propre compte.",
            );
        }
        let (Some(v), true) = (valid, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let hash = if new_password {
            Some(self.hash_password_async(&input.password).await?)
        } else {
            None
        };
        let row = UserRow {
            first_name: v.first_name,
            last_name: v.last_name,
            profession: v.profession.code().to_string(),
            rpps: v.rpps.map(|r| r.as_str().to_string()),
            adeli: v.adeli.map(|a| a.as_str().to_string()),
            role: v.role.code().to_string(),
            active: input.active,
            version: input.version,
            ..current.clone()
        };
        let assignments: Vec<_> = v
            .assignments
            .iter()
            .map(|(e, u)| (self.new_id(), *e, *u))
            .collect();
        let now = self.now_micros();
        let mut tx = self.begin().await?;
        store::update_user(&mut tx, &row, now).await?;
        store::replace_assignments(&mut tx, ctx.org(), id.as_uuid(), &assignments).await?;
        if let Some(hash) = &hash {
            store::set_password(&mut tx, ctx.org(), id.as_uuid(), hash, now).await?;
        }
        if !row.active || hash.is_some() {
            parcours_store::session::revoke_user_sessions(&mut tx, ctx.org(), id.as_uuid(), now)
                .await?;
        }
        self.audit(&mut tx, ctx, AuditAction::AccountChange, None, &format!("compte:{id}"),
            json!({"op": "modification", "role": row.role, "active": row.active, "password_changed": new_password}))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `parcours admin create`: the first administrator (and the organisation, if there is none yet).
    /// Audited with the command line as the actor.
    pub async fn bootstrap_admin(
        &self,
        organisation_name: &str,
        login: &str,
        password: &str,
        first_name: &str,
        last_name: &str,
    ) -> AppResult<UserId> {
        let mut errors = FieldErrors::default();
        let login_v = Login::parse(login)
            .map_err(|e| errors.push(e.field, e.message))
            .ok();
        if let Err(e) = check_password_policy(password, &[login, first_name, last_name]) {
            errors.push(e.field, e.message);
        }
        let (Some(login_v), true) = (login_v, errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let hash = self.hash_password_async(password).await?;
        let orgs = parcours_store::organisation::list_organisations(&self.db).await?;
        let now = self.now_micros();
        let mut tx = self.begin().await?;
        let org = match orgs.first() {
            Some(o) => o.id,
            None => {
                let name = structure::parse_label("organisation", organisation_name, 150)
                    .map_err(|e| AppError::field(e.field, e.message))?;
                let row = OrganisationRow {
                    id: self.new_id(),
                    name,
                    finess_ej: None,
                };
                parcours_store::organisation::insert_organisation(&mut tx, &row, now).await?;
                row.id
            }
        };
        let id = UserId::from_uuid(self.new_id());
        let row = UserRow {
            organisation_id: org,
            id: id.as_uuid(),
            login: login_v.as_str().to_string(),
            first_name: first_name.to_string(),
            last_name: last_name.to_string(),
            profession: Profession::Administratif.code().to_string(),
            rpps: None,
            adeli: None,
            role: Role::Administrateur.code().to_string(),
            active: true,
            password_hash: hash,
            version: 1,
        };
        store::insert_user(&mut tx, &row, now)
            .await
            .map_err(|e| match e {
                StoreError::Unique(_) => {
                    AppError::field("login", "Cet identifiant est déjà utilisé.")
                }
                other => other.into(),
            })?;
        self.audit_system(
            &mut tx,
            OrganisationId::from_uuid(org),
            AuditAction::AccountChange,
            &format!("compte:{id}"),
            json!({"op": "creation", "login": row.login, "role": row.role, "via": "cli"}),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An audit event whose actor is the installation itself (CLI, demo loader).
    pub(crate) async fn audit_system(
        &self,
        tx: &mut parcours_store::Tx,
        org: OrganisationId,
        action: AuditAction,
        target: &str,
        detail: serde_json::Value,
    ) -> AppResult<()> {
        let event = parcours_store::audit::NewEvent {
            organisation_id: org.as_uuid(),
            id: self.new_id(),
            at: self.now_micros(),
            actor_id: None,
            actor_label: "Parcours (ligne de commande)".to_string(),
            action: action.code().to_string(),
            usager_id: None,
            target: target.to_string(),
            ip: "local".to_string(),
            detail: detail.to_string(),
        };
        parcours_store::audit::append(tx, &event).await?;
        Ok(())
    }
}
