//! The identity of a person per the RNIV: strict traits (birth name, birth first names, sex, birth
//! date, birth place), complementary traits (used name and first name), the INS (matricule + OID)
//! and contact details. `Identity::parse` checks everything a professional types, field by field.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};
use crate::text;

/// Sex as the INS knows it (FR Core `fr-core-vs-patient-gender-INS`: male, female, unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    Masculin,
    Feminin,
    Indetermine,
}

impl Sex {
    pub const ALL: &'static [Sex] = &[Sex::Feminin, Sex::Masculin, Sex::Indetermine];

    pub fn code(self) -> &'static str {
        match self {
            Sex::Masculin => "M",
            Sex::Feminin => "F",
            Sex::Indetermine => "I",
        }
    }
    pub fn parse(s: &str) -> Result<Sex, FieldError> {
        match s.trim() {
            "M" | "m" => Ok(Sex::Masculin),
            "F" | "f" => Ok(Sex::Feminin),
            "I" | "i" => Ok(Sex::Indetermine),
            "" => Err(FieldError::new(
                "sex",
                "Le sexe est obligatoire (trait strict).",
            )),
            _ => Err(FieldError::new(
                "sex",
                "Choisissez Féminin, Masculin ou Indéterminé.",
            )),
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            Sex::Masculin => "Masculin",
            Sex::Feminin => "Féminin",
            Sex::Indetermine => "Indéterminé",
        }
    }
    pub fn fhir_code(self) -> &'static str {
        match self {
            Sex::Masculin => "male",
            Sex::Feminin => "female",
            Sex::Indetermine => "unknown",
        }
    }
}

/// The authority that assigned the matricule INS (domain.md §2.1, FR Core INS profile slices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InsOid {
    Nir,
    Nia,
    NirTest,
    NirDemo,
}

impl InsOid {
    pub const ALL: &'static [InsOid] =
        &[InsOid::Nir, InsOid::Nia, InsOid::NirTest, InsOid::NirDemo];

    pub fn oid(self) -> &'static str {
        match self {
            InsOid::Nir => "1.2.250.1.213.1.4.8",
            InsOid::Nia => "1.2.250.1.213.1.4.9",
            InsOid::NirTest => "1.2.250.1.213.1.4.10",
            InsOid::NirDemo => "1.2.250.1.213.1.4.11",
        }
    }
    pub fn parse(s: &str) -> Result<InsOid, FieldError> {
        let s = s.trim();
        let s = s.strip_prefix("urn:oid:").unwrap_or(s);
        InsOid::ALL
            .iter()
            .copied()
            .find(|o| o.oid() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "ins_oid",
                    "OID INS inconnu : choisissez NIR, NIA, test ou démonstration.",
                )
            })
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            InsOid::Nir => "INS-NIR",
            InsOid::Nia => "INS-NIA",
            InsOid::NirTest => "INS-NIR de test",
            InsOid::NirDemo => "INS-NIR de démonstration",
        }
    }
}

/// The NIR key: 97 − (N mod 97) over the 13 first characters, Corsica 2A → 19 and 2B → 18
/// (CNAM `nir-validation`, `src/NirKey.php`; domain.md §2.2). `None` if the body is malformed.
pub fn compute_nir_key(body13: &str) -> Option<u8> {
    if body13.len() != 13 || !body13.is_ascii() {
        return None;
    }
    let dept = &body13[5..7];
    let replaced = match dept {
        "2A" | "2a" => format!("{}19{}", &body13[..5], &body13[7..]),
        "2B" | "2b" => format!("{}18{}", &body13[..5], &body13[7..]),
        _ => body13.to_string(),
    };
    if !replaced.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u64 = replaced.parse().ok()?;
    Some((97 - (n % 97)) as u8)
}

/// A matricule INS: a NIR, or a NIA (first digit 7 or 8 — same key algorithm, structure rules of
/// the NIA not verified [M], domain.md §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InsMatricule(String);

impl InsMatricule {
    pub fn parse(s: &str) -> Result<InsMatricule, FieldError> {
        let err = |m: &str| FieldError::new("ins_matricule", m);
        let compact: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        if compact.chars().count() != 15 {
            return Err(err(
                "Le matricule INS doit comporter 15 caractères (13 + clé de 2 chiffres).",
            ));
        }
        // Byte slicing below needs ASCII; any other character is refused here, never a panic.
        if !compact.is_ascii() {
            return Err(err(
                "Le matricule INS ne contient que des chiffres (2A ou 2B pour la Corse).",
            ));
        }
        let (body, key) = compact.split_at(13);
        if !matches!(&body[..1], "1" | "2" | "7" | "8") {
            return Err(err(
                "Le matricule INS doit commencer par 1 ou 2 (NIR), ou 7 ou 8 (NIA).",
            ));
        }
        let dept = &body[5..7];
        let digits_ok = body
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || ((i == 6) && (dept == "2A" || dept == "2B")));
        if !digits_ok || !key.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(
                "Le matricule INS ne contient que des chiffres (2A ou 2B pour la Corse).",
            ));
        }
        let expected =
            compute_nir_key(body).ok_or_else(|| err("Le matricule INS est mal formé."))?;
        if key.parse::<u8>().ok() != Some(expected) {
            return Err(err(
                "La clé du matricule INS est incorrecte : vérifiez la saisie.",
            ));
        }
        Ok(InsMatricule(compact))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `2 84 05 88 321 025 32`
    pub fn formatted(&self) -> String {
        let s = &self.0;
        format!(
            "{} {} {} {} {} {} {}",
            &s[0..1],
            &s[1..3],
            &s[3..5],
            &s[5..7],
            &s[7..10],
            &s[10..13],
            &s[13..15]
        )
    }
    pub fn sex_digit(&self) -> char {
        self.0.chars().next().unwrap_or('0')
    }
    pub fn birth_year_2(&self) -> &str {
        &self.0[1..3]
    }
    pub fn birth_month(&self) -> &str {
        &self.0[3..5]
    }
}

/// Birth place: an INSEE COG commune code, or a country code (`99XXX`) for a birth abroad.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BirthPlace {
    Commune(String),
    Abroad(String),
}

impl BirthPlace {
    pub fn parse(s: &str) -> Result<BirthPlace, FieldError> {
        let err = |m: &str| FieldError::new("birth_place", m);
        let code = s.trim().to_uppercase();
        if code.is_empty() {
            return Err(err(
                "Le lieu de naissance est obligatoire (trait strict) : code INSEE de la commune ou du pays.",
            ));
        }
        let well_formed = code.len() == 5
            && (code.chars().all(|c| c.is_ascii_digit())
                || ((code.starts_with("2A") || code.starts_with("2B"))
                    && code[2..].chars().all(|c| c.is_ascii_digit())));
        if !well_formed {
            return Err(err(
                "Le code INSEE du lieu de naissance comporte 5 caractères (ex. 75056, 2A004, ou 99XXX pour un pays).",
            ));
        }
        if code == "99100" {
            return Err(err(
                "99100 désigne la France : saisissez le code INSEE de la commune de naissance.",
            ));
        }
        if code.starts_with("99") {
            Ok(BirthPlace::Abroad(code))
        } else {
            Ok(BirthPlace::Commune(code))
        }
    }
    pub fn code(&self) -> &str {
        match self {
            BirthPlace::Commune(c) | BirthPlace::Abroad(c) => c,
        }
    }
    pub fn is_abroad(&self) -> bool {
        matches!(self, BirthPlace::Abroad(_))
    }
}

/// Letters (any script, with accents), spaces, hyphens and apostrophes; trimmed, spaces collapsed.
fn clean_name(field: &'static str, s: &str, what: &str, max: usize) -> Result<String, FieldError> {
    let collapsed = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('’', "'");
    if collapsed.is_empty() {
        return Err(FieldError::new(
            field,
            format!("{what} est obligatoire (trait strict)."),
        ));
    }
    if collapsed.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("{what} ne doit pas dépasser {max} caractères."),
        ));
    }
    if !collapsed
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
    {
        return Err(FieldError::new(
            field,
            format!(
                "{what} ne peut contenir que des lettres, des espaces, des tirets et des apostrophes."
            ),
        ));
    }
    if !collapsed.chars().any(char::is_alphabetic) {
        return Err(FieldError::new(
            field,
            format!("{what} doit contenir au moins une lettre."),
        ));
    }
    Ok(collapsed)
}

/// A family name (birth name or used name), in capitals as the RNIV writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BirthName(String);

impl BirthName {
    pub fn parse(field: &'static str, s: &str) -> Result<BirthName, FieldError> {
        let what = if field == "used_name" {
            "Le nom utilisé"
        } else {
            "Le nom de naissance"
        };
        clean_name(field, s, what, 100).map(|n| BirthName(n.to_uppercase()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A first name, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FirstName(String);

impl FirstName {
    pub fn parse(field: &'static str, s: &str) -> Result<FirstName, FieldError> {
        let what = if field == "used_first_name" {
            "Le prénom utilisé"
        } else {
            "Le premier prénom de naissance"
        };
        clean_name(field, s, what, 100).map(FirstName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The list of birth first names, space-separated, in the order of the birth certificate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FirstNameList(String);

impl FirstNameList {
    pub fn parse(s: &str) -> Result<FirstNameList, FieldError> {
        clean_name(
            "birth_first_names",
            s,
            "La liste des prénoms de naissance",
            200,
        )
        .map(FirstNameList)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn first(&self) -> &str {
        self.0.split(' ').next().unwrap_or("")
    }
}

/// A birth date typed as `AAAA-MM-JJ` (date inputs) or `JJ/MM/AAAA`, not in the future, not absurd.
pub fn parse_birth_date(s: &str, today: Date) -> Result<Date, FieldError> {
    let err = |m: &str| FieldError::new("birth_date", m);
    let s = s.trim();
    if s.is_empty() {
        return Err(err("La date de naissance est obligatoire (trait strict)."));
    }
    let date = parse_date(s)
        .ok_or_else(|| err("La date de naissance n'est pas une date valide (JJ/MM/AAAA)."))?;
    if date > today {
        return Err(err("La date de naissance ne peut pas être dans le futur."));
    }
    if date < Date::constant(1880, 1, 1) {
        return Err(err(
            "La date de naissance est antérieure à 1880 : vérifiez la saisie.",
        ));
    }
    Ok(date)
}

/// `AAAA-MM-JJ` or `JJ/MM/AAAA`.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let day: i8 = parts[0].parse().ok()?;
    let month: i8 = parts[1].parse().ok()?;
    let year: i16 = parts[2].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// What a form or a JSON body sends: raw strings, empty meaning absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawIdentity {
    pub birth_name: String,
    pub birth_first_name: String,
    pub birth_first_names: String,
    pub used_name: String,
    pub used_first_name: String,
    pub sex: String,
    pub birth_date: String,
    pub birth_place: String,
    pub ins_matricule: String,
    pub ins_oid: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ins {
    pub matricule: InsMatricule,
    pub oid: InsOid,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
}

/// A checked identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub birth_name: BirthName,
    pub birth_first_name: FirstName,
    pub birth_first_names: FirstNameList,
    pub used_name: Option<BirthName>,
    pub used_first_name: Option<FirstName>,
    pub sex: Sex,
    pub birth_date: Date,
    pub birth_place: BirthPlace,
    pub ins: Option<Ins>,
    pub contact: Contact,
}

fn optional(s: &str) -> Option<&str> {
    let t = s.trim();
    if t.is_empty() { None } else { Some(t) }
}

fn parse_contact(raw: &RawIdentity, errors: &mut FieldErrors) -> Contact {
    let phone = optional(&raw.phone).and_then(|p| {
        let ok = p
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '.' || c == '+' || c == '-')
            && (10..=20).contains(&p.chars().filter(|c| !c.is_whitespace()).count())
            && p.chars().filter(char::is_ascii_digit).count() >= 10;
        if ok {
            Some(p.to_string())
        } else {
            errors.push(
                "phone",
                "Le numéro de téléphone doit comporter au moins 10 chiffres (ex. 06 12 34 56 78).",
            );
            None
        }
    });
    let email = optional(&raw.email).and_then(|e| {
        let ok = e.len() <= 254
            && !e.chars().any(char::is_whitespace)
            && e.matches('@').count() == 1
            && e.split_once('@').is_some_and(|(a, d)| {
                !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
            });
        if ok {
            Some(e.to_string())
        } else {
            errors.push(
                "email",
                "L'adresse de courriel n'est pas valide (ex. prenom.nom@exemple.fr).",
            );
            None
        }
    });
    let address = optional(&raw.address).and_then(|a| {
        if a.chars().count() <= 200 {
            Some(a.to_string())
        } else {
            errors.push("address", "L'adresse ne doit pas dépasser 200 caractères.");
            None
        }
    });
    let postal_code = optional(&raw.postal_code).and_then(|c| {
        if c.len() == 5 && c.chars().all(|x| x.is_ascii_digit()) {
            Some(c.to_string())
        } else {
            errors.push("postal_code", "Le code postal comporte 5 chiffres.");
            None
        }
    });
    let city = optional(&raw.city).and_then(|c| {
        if c.chars().count() <= 100 {
            Some(c.to_string())
        } else {
            errors.push(
                "city",
                "Le nom de la ville ne doit pas dépasser 100 caractères.",
            );
            None
        }
    });
    Contact {
        phone,
        email,
        address,
        postal_code,
        city,
    }
}

impl Identity {
    /// Checks every field and returns all the errors at once (field names = `RawIdentity` fields).
    pub fn parse(raw: &RawIdentity, today: Date) -> Result<Identity, FieldErrors> {
        let mut errors = FieldErrors::default();
        let birth_name = errors.take(BirthName::parse("birth_name", &raw.birth_name));
        let birth_first_name =
            errors.take(FirstName::parse("birth_first_name", &raw.birth_first_name));
        let birth_first_names = match (optional(&raw.birth_first_names), &birth_first_name) {
            (None, Some(first)) => Some(FirstNameList(first.as_str().to_string())),
            (None, None) => None,
            (Some(list), first) => errors.take(FirstNameList::parse(list)).and_then(|l| {
                match first {
                    Some(f) if text::fold(l.first()) != text::fold(f.as_str()) => {
                        errors.push(
                            "birth_first_names",
                            "La liste des prénoms de naissance doit commencer par le premier prénom de naissance.",
                        );
                        None
                    }
                    _ => Some(l),
                }
            }),
        };
        let used_name =
            optional(&raw.used_name).and_then(|n| errors.take(BirthName::parse("used_name", n)));
        let used_first_name = optional(&raw.used_first_name)
            .and_then(|n| errors.take(FirstName::parse("used_first_name", n)));
        let sex = errors.take(Sex::parse(&raw.sex));
        let birth_date = errors.take(parse_birth_date(&raw.birth_date, today));
        let birth_place = errors.take(BirthPlace::parse(&raw.birth_place));
        let ins = match (optional(&raw.ins_matricule), optional(&raw.ins_oid)) {
            (None, None) => None,
            (Some(m), None) => {
                errors.take(InsMatricule::parse(m));
                errors.push(
                    "ins_oid",
                    "Précisez l'OID de l'INS (NIR, NIA, test ou démonstration).",
                );
                None
            }
            (None, Some(_)) => {
                errors.push(
                    "ins_matricule",
                    "Saisissez le matricule INS correspondant à l'OID choisi.",
                );
                None
            }
            (Some(m), Some(o)) => {
                let matricule = errors.take(InsMatricule::parse(m));
                let oid = errors.take(InsOid::parse(o));
                matricule
                    .zip(oid)
                    .map(|(matricule, oid)| Ins { matricule, oid })
            }
        };
        if let (Some(ins), Some(sex), Some(date)) = (&ins, sex, birth_date) {
            check_nir_coherence(&ins.matricule, sex, date, &mut errors);
        }
        let contact = parse_contact(raw, &mut errors);
        match (
            birth_name,
            birth_first_name,
            birth_first_names,
            sex,
            birth_date,
            birth_place,
        ) {
            (
                Some(birth_name),
                Some(birth_first_name),
                Some(birth_first_names),
                Some(sex),
                Some(birth_date),
                Some(birth_place),
            ) if errors.is_empty() => Ok(Identity {
                birth_name,
                birth_first_name,
                birth_first_names,
                used_name,
                used_first_name,
                sex,
                birth_date,
                birth_place,
                ins,
                contact,
            }),
            _ => Err(errors),
        }
    }

    /// The canonical raw form (what is stored, and what forms are prefilled with).
    pub fn to_raw(&self) -> RawIdentity {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        RawIdentity {
            birth_name: self.birth_name.as_str().to_string(),
            birth_first_name: self.birth_first_name.as_str().to_string(),
            birth_first_names: self.birth_first_names.as_str().to_string(),
            used_name: self
                .used_name
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            used_first_name: self
                .used_first_name
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
            sex: self.sex.code().to_string(),
            birth_date: self.birth_date.to_string(),
            birth_place: self.birth_place.code().to_string(),
            ins_matricule: self
                .ins
                .as_ref()
                .map(|i| i.matricule.as_str().to_string())
                .unwrap_or_default(),
            ins_oid: self
                .ins
                .as_ref()
                .map(|i| i.oid.oid().to_string())
                .unwrap_or_default(),
            phone: s(&self.contact.phone),
            email: s(&self.contact.email),
            address: s(&self.contact.address),
            postal_code: s(&self.contact.postal_code),
            city: s(&self.contact.city),
        }
    }

    /// "NOM Prénom" with the used name and first name when there are (RNIV display rule).
    pub fn display_name(&self) -> String {
        let name = self.used_name.as_ref().unwrap_or(&self.birth_name).as_str();
        let first = self
            .used_first_name
            .as_ref()
            .map(|f| f.as_str())
            .unwrap_or(self.birth_first_name.as_str());
        format!("{name} {first}")
    }

    /// Every folded word of every name, for prefix search.
    pub fn search_tokens(&self) -> Vec<String> {
        let mut all = String::new();
        for part in [
            Some(self.birth_name.as_str()),
            self.used_name.as_ref().map(|n| n.as_str()),
            Some(self.birth_first_names.as_str()),
            Some(self.birth_first_name.as_str()),
            self.used_first_name.as_ref().map(|n| n.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            all.push_str(part);
            all.push(' ');
        }
        text::tokens(&all)
    }
}

/// Identitovigilance: the NIR encodes sex, year and month of birth; a mismatch is a typing error or
/// the wrong person. Special months (20 and above: incomplete civil status) are not compared.
fn check_nir_coherence(m: &InsMatricule, sex: Sex, date: Date, errors: &mut FieldErrors) {
    if !matches!(m.sex_digit(), '1' | '2') {
        return;
    }
    let nir_sex = if m.sex_digit() == '1' {
        Sex::Masculin
    } else {
        Sex::Feminin
    };
    if sex != Sex::Indetermine && nir_sex != sex {
        errors.push(
            "ins_matricule",
            "Le matricule INS ne correspond pas au sexe saisi.",
        );
    }
    if m.birth_year_2() != format!("{:02}", date.year() % 100) {
        errors.push(
            "ins_matricule",
            "Le matricule INS ne correspond pas à l'année de naissance saisie.",
        );
    }
    if let Ok(month) = m.birth_month().parse::<i8>()
        && (1..=12).contains(&month)
        && month != date.month()
    {
        errors.push(
            "ins_matricule",
            "Le matricule INS ne correspond pas au mois de naissance saisi.",
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    fn today() -> Date {
        Date::constant(2026, 11, 22)
    }

    #[test]
    fn computes_the_cnam_reference_keys() {
        assert_eq!(compute_nir_key("2840588321025"), Some(32));
        assert_eq!(compute_nir_key("2550814168025"), Some(38));
        assert_eq!(compute_nir_key("284052A321025"), Some(52));
        assert_eq!(compute_nir_key("284052B321025"), Some(79));
    }

    #[test]
    fn accepts_the_cnam_reference_nirs_with_or_without_spaces() {
        for nir in [
            "284058832102532",
            "2 55 08 14 168 025 38",
            "284052A32102552",
            "284052b32102579",
        ] {
            assert!(InsMatricule::parse(nir).is_ok(), "{nir}");
        }
        assert_eq!(
            InsMatricule::parse("284058832102532").unwrap().formatted(),
            "2 84 05 88 321 025 32"
        );
    }

    #[test]
    fn refuses_an_ins_with_a_wrong_key() {
        let e = InsMatricule::parse("255081416802500").unwrap_err();
        assert_eq!(e.field, "ins_matricule");
        assert_eq!(
            e.message,
            "La clé du matricule INS est incorrecte : vérifiez la saisie."
        );
    }

    #[test]
    fn refuses_an_ins_of_the_wrong_length_or_with_letters() {
        assert!(
            InsMatricule::parse("2840588321025")
                .unwrap_err()
                .message
                .contains("15 caractères")
        );
        assert!(InsMatricule::parse("28405883X102532").is_err());
        assert!(
            InsMatricule::parse("384058832102532")
                .unwrap_err()
                .message
                .contains("commencer")
        );
    }

    proptest! {
        #[test]
        fn any_body_with_its_key_parses_and_any_other_key_is_refused(body in "[12][0-9]{12}", other in 0u8..100) {
            let key = compute_nir_key(&body).unwrap();
            let good = format!("{body}{key:02}");
            let bad = format!("{body}{other:02}");
            prop_assert!(InsMatricule::parse(&good).is_ok());
            if other != key {
                prop_assert!(InsMatricule::parse(&bad).is_err());
            }
        }

        #[test]
        fn any_text_is_refused_or_parsed_never_a_panic(s in "\\PC{0,20}") {
            let _ = InsMatricule::parse(&s);
            let _ = crate::structure::Finess::parse(&s);
        }
    }

    #[test]
    fn non_ascii_characters_are_refused_with_a_message() {
        assert!(InsMatricule::parse("1ééééééééééééé").is_err());
        assert!(InsMatricule::parse("2550399ç1234567").is_err());
        assert!(crate::structure::Finess::parse("0107809é4").is_err());
        assert!(crate::structure::Finess::parse("2Aé078091").is_err());
    }

    fn raw() -> RawIdentity {
        RawIdentity {
            birth_name: "Dupont".into(),
            birth_first_name: "Marie".into(),
            birth_first_names: "Marie Louise".into(),
            sex: "F".into(),
            birth_date: "1950-03-12".into(),
            birth_place: "75056".into(),
            ..RawIdentity::default()
        }
    }

    fn with_nir(mut r: RawIdentity, body: &str) -> RawIdentity {
        r.ins_matricule = format!("{body}{:02}", compute_nir_key(body).unwrap());
        r.ins_oid = InsOid::NirTest.oid().into();
        r
    }

    #[test]
    fn parses_a_complete_identity_and_round_trips() {
        let r = with_nir(raw(), "2500375056123");
        let id = Identity::parse(&r, today()).unwrap();
        assert_eq!(id.birth_name.as_str(), "DUPONT");
        assert_eq!(id.display_name(), "DUPONT Marie");
        assert_eq!(Identity::parse(&id.to_raw(), today()).unwrap(), id);
        assert_eq!(id.search_tokens(), vec!["DUPONT", "MARIE", "LOUISE"]);
    }

    #[test]
    fn the_first_names_list_defaults_to_the_first_name() {
        let mut r = raw();
        r.birth_first_names.clear();
        assert_eq!(
            Identity::parse(&r, today())
                .unwrap()
                .birth_first_names
                .as_str(),
            "Marie"
        );
    }

    #[test]
    fn refuses_a_first_names_list_not_starting_with_the_first_name() {
        let mut r = raw();
        r.birth_first_names = "Louise Marie".into();
        let e = Identity::parse(&r, today()).unwrap_err();
        assert!(e.get("birth_first_names").is_some());
    }

    #[test]
    fn reports_every_missing_strict_trait_at_once() {
        let e = Identity::parse(&RawIdentity::default(), today()).unwrap_err();
        for f in [
            "birth_name",
            "birth_first_name",
            "sex",
            "birth_date",
            "birth_place",
        ] {
            assert!(
                e.get(f).is_some_and(|m| m.contains("obligatoire")),
                "{f}: {e}"
            );
        }
    }

    #[test]
    fn refuses_a_birth_date_in_the_future() {
        let mut r = raw();
        r.birth_date = "2026-11-23".into();
        let e = Identity::parse(&r, today()).unwrap_err();
        assert_eq!(
            e.get("birth_date"),
            Some("La date de naissance ne peut pas être dans le futur.")
        );
        assert_eq!(
            parse_birth_date("12/03/1950", today()).unwrap(),
            Date::constant(1950, 3, 12)
        );
        assert!(parse_birth_date("31/02/1950", today()).is_err());
        assert!(parse_birth_date("1870-01-01", today()).is_err());
    }

    #[test]
    fn refuses_a_nir_that_contradicts_sex_year_or_month() {
        let e = Identity::parse(&with_nir(raw(), "1500375056123"), today()).unwrap_err();
        assert!(e.get("ins_matricule").unwrap().contains("sexe"));
        let e = Identity::parse(&with_nir(raw(), "2510375056123"), today()).unwrap_err();
        assert!(e.get("ins_matricule").unwrap().contains("année"));
        let e = Identity::parse(&with_nir(raw(), "2500475056123"), today()).unwrap_err();
        assert!(e.get("ins_matricule").unwrap().contains("mois"));
        // Special month (incomplete civil status) is not compared.
        assert!(Identity::parse(&with_nir(raw(), "2502075056123"), today()).is_ok());
    }

    #[test]
    fn the_matricule_and_the_oid_go_together() {
        let mut r = raw();
        r.ins_matricule = "250037505612312".into();
        assert!(
            Identity::parse(&r, today())
                .unwrap_err()
                .get("ins_oid")
                .is_some()
        );
        let mut r = raw();
        r.ins_oid = InsOid::Nir.oid().into();
        assert!(
            Identity::parse(&r, today())
                .unwrap_err()
                .get("ins_matricule")
                .is_some()
        );
    }

    #[test]
    fn names_allow_letters_hyphens_apostrophes_only() {
        assert_eq!(
            BirthName::parse("birth_name", "  n'diaye-  ben saïd ")
                .unwrap()
                .as_str(),
            "N'DIAYE- BEN SAÏD"
        );
        assert!(BirthName::parse("birth_name", "Dupont2").is_err());
        assert!(BirthName::parse("birth_name", "--").is_err());
        assert!(FirstName::parse("birth_first_name", "Anne-Sophie").is_ok());
    }

    #[test]
    fn birth_place_is_a_commune_or_a_country() {
        assert_eq!(
            BirthPlace::parse("2a004").unwrap(),
            BirthPlace::Commune("2A004".into())
        );
        assert!(BirthPlace::parse("99350").unwrap().is_abroad());
        assert!(BirthPlace::parse("99100").is_err());
        assert!(BirthPlace::parse("7505").is_err());
        assert!(BirthPlace::parse("2C004").is_err());
    }

    #[test]
    fn checks_contact_details() {
        let mut r = raw();
        r.phone = "12".into();
        r.email = "pas un courriel".into();
        r.postal_code = "6900".into();
        let e = Identity::parse(&r, today()).unwrap_err();
        assert!(
            e.get("phone").is_some() && e.get("email").is_some() && e.get("postal_code").is_some()
        );
        let mut r = raw();
        r.phone = "+33 6 12 34 56 78".into();
        r.email = "marie.dupont@exemple.fr".into();
        r.postal_code = "69003".into();
        assert!(Identity::parse(&r, today()).is_ok());
    }
}
