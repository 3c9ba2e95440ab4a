//! Partners (acteurs externes): outside organisations and professionals the establishment works
//! with, and territorial resources (lieux de vie, services), linked to persons with a role and dates.

use serde::Serialize;

use crate::error::{FieldError, FieldErrors};
use crate::input;
use crate::professional::Rpps;
use crate::structure::Finess;

/// Kinds of partners. `resource` ones are territorial resources rather than actors of the person's
/// care; the directory filters on it.
pub const PARTNER_KINDS: &[(&str, &str, bool)] = &[
    ("medecin", "Médecin (traitant, spécialiste)", false),
    ("paramedical", "Professionnel paramédical libéral", false),
    ("pharmacie", "Pharmacie", false),
    ("hopital", "Établissement de santé", false),
    ("esms", "Établissement ou service médico-social", false),
    ("ecole", "École, établissement scolaire", false),
    ("ase", "Aide sociale à l'enfance", false),
    ("mdph", "MDPH", false),
    ("employeur", "Employeur, ESAT, entreprise adaptée", false),
    (
        "mandataire_judiciaire",
        "Mandataire judiciaire à la protection des majeurs",
        false,
    ),
    ("service_social", "Service social", false),
    ("lieu_de_vie", "Ressource territoriale : lieu de vie", true),
    (
        "service_territorial",
        "Ressource territoriale : service",
        true,
    ),
    ("autre", "Autre", false),
];

/// Roles a partner plays for one person.
pub const LINK_ROLES: &[(&str, &str)] = &[
    ("medecin_traitant", "Médecin traitant"),
    ("specialiste", "Médecin spécialiste"),
    ("pharmacie", "Pharmacie habituelle"),
    ("hopital_reference", "Hôpital de référence"),
    ("scolarite", "Scolarité"),
    ("referent_ase", "Référent ASE"),
    ("mdph", "MDPH"),
    ("employeur", "Employeur"),
    ("mandataire", "Mandataire judiciaire"),
    ("accompagnement", "Accompagnement, soins"),
    ("ressource", "Ressource mobilisée"),
    ("autre", "Autre"),
];

fn pick(
    list: &[(&'static str, &'static str)],
    field: &'static str,
    s: &str,
) -> Result<String, FieldError> {
    list.iter()
        .find(|(c, _)| *c == s.trim())
        .map(|(c, _)| c.to_string())
        .ok_or_else(|| FieldError::new(field, "Choisissez une valeur dans la liste."))
}

pub fn kind_label(code: &str) -> &str {
    PARTNER_KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, l, _)| *l)
        .unwrap_or(code)
}

pub fn is_resource(code: &str) -> bool {
    PARTNER_KINDS.iter().any(|(c, _, r)| *c == code && *r)
}

pub fn role_label(code: &str) -> &str {
    LINK_ROLES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

pub fn parse_role(s: &str) -> Result<String, FieldError> {
    pick(LINK_ROLES, "role", s)
}

/// A partner as typed in a form or an API body.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartner {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub rpps: String,
    #[serde(default)]
    pub finess: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub notes: String,
}

/// A valid partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Partner {
    pub kind: String,
    pub name: String,
    pub rpps: Option<String>,
    pub finess: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
}

impl Partner {
    pub fn parse(r: &RawPartner) -> Result<Partner, FieldErrors> {
        let mut e = FieldErrors::default();
        let kind = e.take(pick(
            &PARTNER_KINDS
                .iter()
                .map(|(c, l, _)| (*c, *l))
                .collect::<Vec<_>>(),
            "kind",
            &r.kind,
        ));
        let name = e.take(input::text("name", &r.name, 200));
        let rpps = match r.rpps.trim() {
            "" => None,
            s => e.take(Rpps::parse(s)).map(|x| x.as_str().to_string()),
        };
        let finess = match r.finess.trim() {
            "" => None,
            s => e.take(Finess::parse(s)).map(|x| x.as_str().to_string()),
        };
        let address = e
            .take(input::opt_line("address", &r.address, 300))
            .flatten();
        let phone = e.take(parse_phone(&r.phone)).flatten();
        let email = e.take(parse_email(&r.email)).flatten();
        let notes = e
            .take(input::opt_text("notes", &r.notes, input::LONG_TEXT))
            .flatten();
        match (kind, name) {
            (Some(kind), Some(name)) if e.is_empty() => Ok(Partner {
                kind,
                name,
                rpps,
                finess,
                address,
                phone,
                email,
                notes,
            }),
            _ => Err(e),
        }
    }

    pub fn to_raw(&self) -> RawPartner {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        RawPartner {
            kind: self.kind.clone(),
            name: self.name.clone(),
            rpps: s(&self.rpps),
            finess: s(&self.finess),
            address: s(&self.address),
            phone: s(&self.phone),
            email: s(&self.email),
            notes: s(&self.notes),
        }
    }
}

/// A French or international phone number: digits, spaces, dots, dashes, a leading +; 10 to 15 digits.
pub fn parse_phone(s: &str) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let ok_chars = t
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " .-".contains(c) || (c == '+' && i == 0));
    if !ok_chars || !(10..=15).contains(&digits) {
        return Err(FieldError::new(
            "phone",
            "Numéro de téléphone invalide (ex. 01 23 45 67 89).",
        ));
    }
    Ok(Some(t.to_string()))
}

/// An e-mail address, checked for shape only (one @, a dot in the domain, no spaces).
pub fn parse_email(s: &str) -> Result<Option<String>, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let valid = t.len() <= 254
        && !t.chars().any(|c| c.is_whitespace() || c.is_control())
        && t.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty()
                && d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && !d.contains('@')
        });
    if valid {
        Ok(Some(t.to_string()))
    } else {
        Err(FieldError::new("email", "Adresse électronique invalide."))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn partner_validation() {
        let ok = RawPartner {
            kind: "pharmacie".into(),
            name: " Pharmacie  du Port ".into(),
            phone: "02 98 00 00 00".into(),
            ..Default::default()
        };
        let p = Partner::parse(&ok).unwrap();
        assert_eq!(p.name, "Pharmacie du Port");
        let bad = RawPartner {
            kind: "x".into(),
            name: "".into(),
            rpps: "12345".into(),
            email: "a@b".into(),
            phone: "12".into(),
            ..Default::default()
        };
        let e = Partner::parse(&bad).unwrap_err();
        for f in ["kind", "name", "rpps", "email", "phone"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        assert!(is_resource("lieu_de_vie") && !is_resource("medecin"));
        assert_eq!(Partner::parse(&p.to_raw()).unwrap(), p);
    }
}
