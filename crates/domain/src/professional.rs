//! Professionals: national identifiers (RPPS, ADELI), logins, professions, and Parcours roles.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::structure::luhn_valid;

/// RPPS: 11 digits with a Luhn key (domain.md §7.2; the key rule is [M], to be re-checked).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rpps(String);

impl Rpps {
    pub fn parse(s: &str) -> Result<Rpps, FieldError> {
        let code: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 11 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::new(
                "rpps",
                "Le numéro RPPS comporte 11 chiffres.",
            ));
        }
        if !luhn_valid(&code) {
            return Err(FieldError::new(
                "rpps",
                "La clé du numéro RPPS est incorrecte : vérifiez la saisie.",
            ));
        }
        Ok(Rpps(code))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// ADELI: 9 digits (format only; its key rule is not verified).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Adeli(String);

impl Adeli {
    pub fn parse(s: &str) -> Result<Adeli, FieldError> {
        let code: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 9 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::new(
                "adeli",
                "Le numéro ADELI comporte 9 chiffres.",
            ));
        }
        Ok(Adeli(code))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A login: lower-case ASCII letters, digits, `.`, `-`, `_`; 3 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Login(String);

impl Login {
    pub fn parse(s: &str) -> Result<Login, FieldError> {
        let l = s.trim().to_lowercase();
        if l.len() < 3 || l.len() > 64 {
            return Err(FieldError::new(
                "login",
                "L'identifiant comporte de 3 à 64 caractères.",
            ));
        }
        if !l
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        {
            return Err(FieldError::new(
                "login",
                "L'identifiant ne contient que des lettres sans accent, des chiffres, des points, des tirets ou des soulignés.",
            ));
        }
        Ok(Login(l))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal, $msg:literal, { $($variant:ident => ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
            pub fn label_fr(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
            pub fn parse(s: &str) -> Result<$name, FieldError> {
                $name::ALL.iter().copied().find(|x| x.code() == s.trim()).ok_or_else(|| FieldError::new($field, $msg))
            }
        }
    };
}

coded_enum!(
    /// What a professional may do in Parcours; the authorization gate decides from it (see `authz`).
    Role, "role", "Rôle inconnu.", {
    Administrateur => ("administrateur", "Administrateur"),
    Direction => ("direction", "Direction"),
    ChefDeService => ("chef_de_service", "Chef de service"),
    Medecin => ("medecin", "Médecin"),
    Infirmier => ("infirmier", "Infirmier / infirmière"),
    AideSoignant => ("aide_soignant", "Aide-soignant / AES"),
    Educateur => ("educateur", "Éducateur / éducatrice"),
    Psychologue => ("psychologue", "Psychologue"),
    Secretariat => ("secretariat", "Secrétariat / admission"),
});

coded_enum!(
    /// The professional's trade (independent of the role in Parcours).
    Profession, "profession", "Profession inconnue.", {
    Medecin => ("medecin", "Médecin"),
    Infirmier => ("infirmier", "Infirmier / infirmière"),
    AideSoignant => ("aide_soignant", "Aide-soignant / aide-soignante"),
    Aes => ("aes", "Accompagnant éducatif et social (AES)"),
    EducateurSpecialise => ("educateur_specialise", "Éducateur spécialisé / éducatrice spécialisée"),
    MoniteurEducateur => ("moniteur_educateur", "Moniteur-éducateur / monitrice-éducatrice"),
    Psychologue => ("psychologue", "Psychologue"),
    AssistantSocial => ("assistant_social", "Assistant / assistante de service social"),
    Ergotherapeute => ("ergotherapeute", "Ergothérapeute"),
    Psychomotricien => ("psychomotricien", "Psychomotricien / psychomotricienne"),
    Orthophoniste => ("orthophoniste", "Orthophoniste"),
    Secretaire => ("secretaire", "Secrétaire"),
    Directeur => ("directeur", "Directeur / directrice"),
    ChefDeService => ("chef_de_service", "Chef de service"),
    CadreDeSante => ("cadre_de_sante", "Cadre de santé"),
    Administratif => ("administratif", "Personnel administratif"),
    Autre => ("autre", "Autre profession"),
});

impl Profession {
    /// Health professions registered in the RPPS.
    pub fn needs_rpps(self) -> bool {
        matches!(self, Profession::Medecin | Profession::Infirmier)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn rpps_has_eleven_digits_and_a_luhn_key() {
        assert!(Rpps::parse("10003652749").is_ok());
        assert_eq!(
            Rpps::parse("10003652748").unwrap_err().message,
            "La clé du numéro RPPS est incorrecte : vérifiez la saisie."
        );
        assert!(Rpps::parse("1000365274").is_err());
        assert!(Adeli::parse("751234567").is_ok() && Adeli::parse("75123456A").is_err());
    }

    #[test]
    fn logins_are_normalised_and_restricted() {
        assert_eq!(
            Login::parse("  Marie.Dupont ").unwrap().as_str(),
            "marie.dupont"
        );
        assert!(
            Login::parse("ab").is_err()
                && Login::parse("hélène").is_err()
                && Login::parse("a b c").is_err()
        );
    }

    #[test]
    fn roles_and_professions_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()).unwrap(), *r);
        }
        for p in Profession::ALL {
            assert_eq!(Profession::parse(p.code()).unwrap(), *p);
        }
        assert_eq!(Role::ALL.len(), 9);
    }
}
