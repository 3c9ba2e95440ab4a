//! Authentication: password hashing (Argon2id), the password policy, server-side sessions with idle
//! and absolute timeouts, login throttling, and building the acting professional (`Ctx`) of a request.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use parcours_domain::authz::{Actor, Assignment};
use parcours_domain::error::FieldError;
use parcours_domain::ids::{EtablissementId, OrganisationId, UniteId, UserId};
use parcours_domain::professional::Role;
use parcours_store::account::{self, UserRow};
use parcours_store::session::{self, SessionRow};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::AuditAction;
use crate::{App, AppError, AppResult, Ctx};

/// Web (cookie) or API (bearer token) session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Api,
}

impl SessionKind {
    fn code(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// Why a login was refused, worded for the person at the keyboard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("Identifiant ou mot de passe incorrect.")]
    BadCredentials,
    #[error("Ce compte est désactivé. Contactez l'administrateur de Parcours.")]
    Disabled,
    #[error("Trop de tentatives de connexion. Réessayez dans 15 minutes.")]
    Throttled,
}

/// A session just opened: the secret token goes to the client once and is never stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub ctx: Ctx,
    pub expires_at: jiff::Timestamp,
}

/// A session as listed on "Mes sessions".
#[derive(Debug, Clone)]
pub struct SessionView {
    pub current: bool,
    pub kind: String,
    pub created_at: jiff::Timestamp,
    pub last_seen_at: jiff::Timestamp,
    pub ip: String,
    pub user_agent: String,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

/// Argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: OWASP's recommended minimum).
pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the login is unknown, so that the answer takes the same time
/// whether the account exists or not.
fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"
}

/// The password policy: at least 12 characters (CNIL recommendation for passwords alone) and not
/// guessable (zxcvbn score ≥ 3, which refuses common passwords, keyboard walks and the login itself).
pub fn check_password_policy(password: &str, context: &[&str]) -> Result<(), FieldError> {
    let err = |m: &str| FieldError {
        field: "password",
        message: m.to_string(),
    };
    let len = password.chars().count();
    if len < 12 {
        return Err(err(
            "Le mot de passe doit comporter au moins 12 caractères.",
        ));
    }
    if len > 128 {
        return Err(err("Le mot de passe ne doit pas dépasser 128 caractères."));
    }
    let strength = zxcvbn::zxcvbn(password, context);
    if (strength.score() as u8) < 3 {
        return Err(err(
            "Ce mot de passe est trop courant ou trop facile à deviner : choisissez une phrase de passe plus longue.",
        ));
    }
    Ok(())
}

impl App {
    async fn hash_in_background(password: String) -> AppResult<String> {
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    }

    pub(crate) async fn hash_password_async(&self, password: &str) -> AppResult<String> {
        Self::hash_in_background(password.to_string()).await
    }

    /// Checks a login and a password and opens a session. Throttled per account and per address;
    /// a disabled account cannot log in even with the right password.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        ip: &str,
        user_agent: &str,
        kind: SessionKind,
    ) -> Result<NewSession, LoginAttemptError> {
        let login = login.trim().to_lowercase();
        let now = self.now();
        let since = (now - self.config.throttle_window).as_microsecond();
        if session::recent_failures_for_login(&self.db, &login, since).await?
            >= self.config.max_failures_per_login
            || session::recent_failures_for_ip(&self.db, ip, since).await?
                >= self.config.max_failures_per_ip
        {
            return Err(LoginError::Throttled.into());
        }
        let user = account::find_user_by_login(&self.db, &login).await?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| dummy_hash().to_string());
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let user = match (user, ok) {
            (Some(u), true) => u,
            _ => {
                session::record_login_attempt(
                    &self.db,
                    self.new_id(),
                    &login,
                    ip,
                    now.as_microsecond(),
                    false,
                )
                .await?;
                return Err(LoginError::BadCredentials.into());
            }
        };
        if !user.active {
            return Err(LoginError::Disabled.into());
        }
        session::record_login_attempt(
            &self.db,
            self.new_id(),
            &login,
            ip,
            now.as_microsecond(),
            true,
        )
        .await?;
        let token = random_hex(32);
        let expires_at = now + self.config.session_absolute;
        let row = SessionRow {
            token_hash: hash_token(&token),
            organisation_id: user.organisation_id,
            user_id: user.id,
            kind: kind.code().to_string(),
            created_at: now.as_microsecond(),
            last_seen_at: now.as_microsecond(),
            expires_at: expires_at.as_microsecond(),
            revoked_at: None,
            ip: ip.to_string(),
            user_agent: user_agent.chars().take(300).collect(),
        };
        let ctx = self
            .ctx_for(&user, ip, Some(row.token_hash.clone()))
            .await?;
        let mut tx = self.begin().await?;
        session::insert_session(&mut tx, &row).await?;
        self.audit(
            &mut tx,
            &ctx,
            AuditAction::Login,
            None,
            "session",
            json!({"kind": kind.code()}),
        )
        .await?;
        tx.commit().await?;
        Ok(NewSession {
            token,
            ctx,
            expires_at,
        })
    }

    /// The acting professional for a session token, if the session is still valid: not revoked,
    /// not past its absolute lifetime, not idle for too long, and the account still active.
    pub async fn ctx_from_token(&self, token: &str, ip: &str) -> AppResult<Ctx> {
        let token_hash = hash_token(token);
        let s = session::get_session(&self.db, &token_hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = self.now().as_microsecond();
        let idle = self.config.session_idle.as_micros() as i64;
        if s.revoked_at.is_some() || s.expires_at <= now || s.last_seen_at + idle <= now {
            return Err(AppError::Unauthenticated);
        }
        let user = account::get_user(&self.db, s.organisation_id, s.user_id).await?;
        if !user.active {
            return Err(AppError::Unauthenticated);
        }
        // Recording activity costs a write; once a minute is precise enough for an idle timeout.
        if now - s.last_seen_at > 60_000_000 {
            session::touch_session(&self.db, &token_hash, now).await?;
        }
        self.ctx_for(&user, ip, Some(token_hash)).await
    }

    pub(crate) async fn ctx_for(
        &self,
        user: &UserRow,
        ip: &str,
        session_hash: Option<String>,
    ) -> AppResult<Ctx> {
        let assignments = account::list_assignments(&self.db, user.organisation_id, user.id)
            .await?
            .into_iter()
            .map(|a| Assignment {
                etablissement: EtablissementId::from_uuid(a.etablissement_id),
                unite: a.unite_id.map(UniteId::from_uuid),
            })
            .collect();
        let role = Role::parse(&user.role)
            .map_err(|_| AppError::Internal(format!("unknown role {}", user.role)))?;
        Ok(Ctx {
            actor: Actor {
                user_id: UserId::from_uuid(user.id),
                organisation: OrganisationId::from_uuid(user.organisation_id),
                role,
                assignments,
                active: user.active,
            },
            display_name: format!("{} {}", user.first_name, user.last_name),
            login: user.login.clone(),
            ip: ip.to_string(),
            session_hash,
        })
    }

    /// Ends the current session.
    pub async fn logout(&self, ctx: &Ctx) -> AppResult<()> {
        let Some(hash) = &ctx.session_hash else {
            return Ok(());
        };
        let mut tx = self.begin().await?;
        session::revoke_session(&mut tx, hash, self.now_micros()).await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::Logout,
            None,
            "session",
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of the professional, on every device ("log out everywhere").
    pub async fn logout_everywhere(&self, ctx: &Ctx) -> AppResult<u64> {
        let mut tx = self.begin().await?;
        let n = session::revoke_user_sessions(
            &mut tx,
            ctx.org(),
            ctx.user().as_uuid(),
            self.now_micros(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            AuditAction::LogoutEverywhere,
            None,
            "session",
            json!({"revoked": n}),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The professional's open sessions.
    pub async fn my_sessions(&self, ctx: &Ctx) -> AppResult<Vec<SessionView>> {
        let rows = session::list_active_sessions(
            &self.db,
            ctx.org(),
            ctx.user().as_uuid(),
            self.now_micros(),
        )
        .await?;
        let ts =
            |m: i64| jiff::Timestamp::from_microsecond(m).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        Ok(rows
            .into_iter()
            .map(|s| SessionView {
                current: ctx.session_hash.as_deref() == Some(s.token_hash.as_str()),
                kind: s.kind,
                created_at: ts(s.created_at),
                last_seen_at: ts(s.last_seen_at),
                ip: s.ip,
                user_agent: s.user_agent,
            })
            .collect())
    }
}

/// A login either fails for a reason the user may read, or for an internal one.
#[derive(Debug, thiserror::Error)]
pub enum LoginAttemptError {
    #[error(transparent)]
    Refused(#[from] LoginError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<parcours_store::StoreError> for LoginAttemptError {
    fn from(e: parcours_store::StoreError) -> Self {
        LoginAttemptError::App(e.into())
    }
}
