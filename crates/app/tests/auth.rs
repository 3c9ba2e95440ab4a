//! Login, sessions, throttling, accounts and structures, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use jiff::SignedDuration;
use parcours_app::AppError;
use parcours_app::account::AccountInput;
use parcours_app::auth::{LoginAttemptError, LoginError, SessionKind, check_password_policy};
use parcours_app::structure::{EtablissementInput, OrganisationInput, UniteInput};
use parcours_app::testing::{Fixture, PASSWORD};

async fn login(fx: &Fixture, login: &str, password: &str) -> Result<String, LoginAttemptError> {
    fx.app
        .login(login, password, "192.0.2.1", "test", SessionKind::Web)
        .await
        .map(|s| s.token)
}

fn refused(r: Result<String, LoginAttemptError>) -> LoginError {
    match r {
        Err(LoginAttemptError::Refused(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_session_identifies_the_professional_until_it_expires(fx: Fixture) {
    let token = login(&fx, "Direction", PASSWORD).await.unwrap();
    let ctx = fx.app.ctx_from_token(&token, "192.0.2.1").await.unwrap();
    assert_eq!(ctx.display_name, "Hélène Garnier");
    // Activity within the idle timeout keeps it alive…
    fx.clock.advance(SignedDuration::from_mins(25));
    fx.app.ctx_from_token(&token, "192.0.2.1").await.unwrap();
    fx.clock.advance(SignedDuration::from_mins(25));
    fx.app.ctx_from_token(&token, "192.0.2.1").await.unwrap();
    // …30 minutes without activity end it.
    fx.clock.advance(SignedDuration::from_mins(31));
    assert!(matches!(
        fx.app.ctx_from_token(&token, "192.0.2.1").await,
        Err(AppError::Unauthenticated)
    ));
}

async fn a_session_never_outlives_its_absolute_lifetime(fx: Fixture) {
    let token = login(&fx, "direction", PASSWORD).await.unwrap();
    for _ in 0..30 {
        fx.clock.advance(SignedDuration::from_mins(25));
        if fx.app.ctx_from_token(&token, "x").await.is_err() {
            break;
        }
    }
    // 12 h after login, even an active session is over.
    assert!(matches!(
        fx.app.ctx_from_token(&token, "x").await,
        Err(AppError::Unauthenticated)
    ));
}

async fn wrong_passwords_are_refused_then_throttled(fx: Fixture) {
    assert_eq!(
        refused(login(&fx, "direction", "mauvais mot de passe").await),
        LoginError::BadCredentials
    );
    assert_eq!(
        refused(login(&fx, "inconnu", PASSWORD).await),
        LoginError::BadCredentials
    );
    for _ in 0..4 {
        let _ = login(&fx, "direction", "encore faux").await;
    }
    // Five failures: even the right password is refused for a while.
    assert_eq!(
        refused(login(&fx, "direction", PASSWORD).await),
        LoginError::Throttled
    );
    fx.clock.advance(SignedDuration::from_mins(16));
    assert!(login(&fx, "direction", PASSWORD).await.is_ok());
}

async fn logout_and_logout_everywhere_revoke_sessions(fx: Fixture) {
    let a = login(&fx, "direction", PASSWORD).await.unwrap();
    let b = login(&fx, "direction", PASSWORD).await.unwrap();
    let c = login(&fx, "direction", PASSWORD).await.unwrap();
    let ctx_a = fx.app.ctx_from_token(&a, "x").await.unwrap();
    assert_eq!(fx.app.my_sessions(&ctx_a).await.unwrap().len(), 3);
    fx.app.logout(&ctx_a).await.unwrap();
    assert!(fx.app.ctx_from_token(&a, "x").await.is_err());
    let ctx_b = fx.app.ctx_from_token(&b, "x").await.unwrap();
    assert_eq!(fx.app.logout_everywhere(&ctx_b).await.unwrap(), 2);
    assert!(fx.app.ctx_from_token(&b, "x").await.is_err());
    assert!(fx.app.ctx_from_token(&c, "x").await.is_err());
}

fn account(login: &str, role: &str, assignments: Vec<String>) -> AccountInput {
    AccountInput {
        login: login.into(),
        first_name: "Nina".into(),
        last_name: "Simon".into(),
        profession: "infirmier".into(),
        role: role.into(),
        active: true,
        password: "une phrase de passe solide 2026".into(),
        assignments,
        ..AccountInput::default()
    }
}

async fn a_disabled_account_cannot_log_in_and_loses_its_sessions(fx: Fixture) {
    let admin = fx.ctx("admin").await;
    let id = fx
        .app
        .create_account(
            &admin,
            &account("nina", "infirmier", vec![fx.ehpad.to_string()]),
        )
        .await
        .unwrap();
    let token = login(&fx, "nina", "une phrase de passe solide 2026")
        .await
        .unwrap();
    let mut update = account("nina", "infirmier", vec![fx.ehpad.to_string()]);
    update.active = false;
    update.password.clear();
    update.version = 1;
    fx.app.update_account(&admin, id, &update).await.unwrap();
    assert!(fx.app.ctx_from_token(&token, "x").await.is_err());
    assert_eq!(
        refused(login(&fx, "nina", "une phrase de passe solide 2026").await),
        LoginError::Disabled
    );
}

async fn account_input_is_checked(fx: Fixture) {
    let admin = fx.ctx("admin").await;
    let mut bad = account("x", "infirmier", vec![]);
    bad.rpps = "12345678901".into();
    bad.password = "azertyuiop12".into();
    let AppError::Validation(e) = fx.app.create_account(&admin, &bad).await.unwrap_err() else {
        panic!()
    };
    assert!(e.get("login").is_some());
    assert_eq!(
        e.get("rpps"),
        Some("La clé du numéro RPPS est incorrecte : vérifiez la saisie.")
    );
    assert!(e.get("password").unwrap().contains("trop courant"));
    assert_eq!(
        e.get("assignments"),
        Some("Affectez le professionnel à au moins un établissement ou une unité.")
    );
    let taken = account("direction", "infirmier", vec![fx.ehpad.to_string()]);
    let AppError::Validation(e) = fx.app.create_account(&admin, &taken).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(e.get("login"), Some("Cet identifiant est déjà utilisé."));
    // Only administrators manage accounts.
    let direction = fx.ctx("direction").await;
    let ok = account("nina", "infirmier", vec![fx.ehpad.to_string()]);
    assert!(matches!(
        fx.app.create_account(&direction, &ok).await,
        Err(AppError::Forbidden(_))
    ));
}

async fn structures_are_validated_and_versioned(fx: Fixture) {
    let admin = fx.ctx("admin").await;
    let mut input = EtablissementInput {
        name: "MAS Les Sources".into(),
        finess: "750712185".into(),
        category_code: "255".into(),
        capacity: "40".into(),
        active: true,
        version: 0,
    };
    let AppError::Validation(e) = fx
        .app
        .create_etablissement(&admin, &input)
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        e.get("finess"),
        Some("La clé du numéro FINESS est incorrecte : vérifiez la saisie.")
    );
    input.finess = "690781810".into();
    let AppError::Validation(e) = fx
        .app
        .create_etablissement(&admin, &input)
        .await
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        e.get("finess"),
        Some("Un établissement de l'organisation porte déjà ce numéro FINESS.")
    );
    input.finess = "750712184".into();
    let id = fx.app.create_etablissement(&admin, &input).await.unwrap();
    let unit = fx
        .app
        .create_unite(
            &admin,
            &UniteInput {
                etablissement_id: id.to_string(),
                name: "Rez-de-chaussée".into(),
                active: true,
                version: 0,
            },
        )
        .await
        .unwrap();
    input.capacity = "42".into();
    input.version = 1;
    fx.app
        .update_etablissement(&admin, id, &input)
        .await
        .unwrap();
    // A stale form is a conflict, not a silent overwrite.
    assert!(matches!(
        fx.app.update_etablissement(&admin, id, &input).await,
        Err(AppError::Conflict)
    ));
    let s = fx.app.structures(&admin).await.unwrap();
    let mas = s.etablissements.iter().find(|e| e.id == id).unwrap();
    assert_eq!((mas.capacity, mas.version, mas.unites.len()), (42, 2, 1));
    assert_eq!(mas.unites[0].id, unit);
    assert!(matches!(
        fx.app.structures(&fx.ctx("as.glycines").await).await,
        Err(AppError::Forbidden(_))
    ));
    // The organisme gestionnaire and its FINESS juridique.
    let bad = OrganisationInput {
        name: "Association Les Sources".into(),
        finess_ej: "750000524".into(),
    };
    let AppError::Validation(e) = fx.app.update_organisation(&admin, &bad).await.unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        e.get("finess_ej"),
        Some("La clé du numéro FINESS est incorrecte : vérifiez la saisie.")
    );
    assert_eq!(
        fx.app.structures(&admin).await.unwrap().organisation_name,
        "Organisation de test",
        "nothing written"
    );
    let good = OrganisationInput {
        finess_ej: "750000523".into(),
        ..bad
    };
    fx.app.update_organisation(&admin, &good).await.unwrap();
    let s = fx.app.structures(&admin).await.unwrap();
    assert_eq!(
        (
            s.organisation_name.as_str(),
            s.organisation_finess.as_deref()
        ),
        ("Association Les Sources", Some("750000523"))
    );
    assert!(matches!(
        fx.app
            .update_organisation(&fx.ctx("direction").await, &good)
            .await,
        Err(AppError::Forbidden(_))
    ));
}

#[test]
fn the_password_policy_refuses_short_and_common_passwords() {
    assert!(
        check_password_policy("court", &[])
            .unwrap_err()
            .message
            .contains("12 caractères")
    );
    assert!(check_password_policy("password1234", &[]).is_err());
    assert!(check_password_policy("jean.dupont2026", &["jean.dupont"]).is_err());
    assert!(check_password_policy("cheval-agrafe-correct-batterie", &[]).is_ok());
}

both!(
    session_expiry => a_session_identifies_the_professional_until_it_expires,
    absolute_lifetime => a_session_never_outlives_its_absolute_lifetime,
    throttling => wrong_passwords_are_refused_then_throttled,
    logout => logout_and_logout_everywhere_revoke_sessions,
    disabled_account => a_disabled_account_cannot_log_in_and_loses_its_sessions,
    account_validation => account_input_is_checked,
    structures => structures_are_validated_and_versioned,
);
