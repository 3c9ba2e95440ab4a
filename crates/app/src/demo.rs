//! The demonstration organisation (`parcours serve --demo`) and the synthetic identity generator
//! shared with the benchmark. Everything is deterministic: the same seed gives the same people.
//! INS numbers use the *test* OID only (1.2.250.1.213.1.4.10), never the production one.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use parcours_domain::aggir::{self, Adverbs};
use parcours_domain::codelist;
use parcours_domain::entourage::{MeasureKind, Regime, is_minor};
use parcours_domain::identity::{RawIdentity, compute_nir_key};
use parcours_domain::ids::{
    ContratId, DemandeId, EtablissementId, PartenaireId, ProcheId, ProjetId, SejourId, UniteId,
    UsagerId,
};
use parcours_domain::input::date_fr;
use parcours_domain::partner::RawPartner;
use parcours_domain::projet::{
    Contenu, Element, RawAction, RawAttente, RawBilan, RawNeedLine, RawObjectif, RawParticipant,
};
use parcours_domain::rniv::IdentityStatus;
use parcours_store::organisation::OrganisationRow;
use parcours_store::records::ProjetRow;
use serde_json::json;

use crate::account::AccountInput;
use crate::admission::{
    RawAdmission, RawContrat, RawDecision, RawModalityChange, RawPlacement, RawRequest,
    RawSejourUpdate, RequestStatusChange,
};
use crate::audit::AuditAction;
use crate::consent::{RawConsent, SIGNED_BY_PERSON};
use crate::entourage::{RawLien, RawMesure, RawProche};
use crate::evaluation::{RawAggir, RawNeedsEvaluation};
use crate::projet::{RawAccord, RawNewProjet, RawProjetStatus};
use crate::structure::{EtablissementInput, UniteInput};
use crate::usager::{NewUsager, StatusChange};
use crate::{App, AppError, AppResult, Ctx};

/// The password of every demo account (documented in the README; demo only).
pub const DEMO_PASSWORD: &str = "Parcours-Demo-2026";

/// Demo accounts: login, first name, last name, profession, role, assignments
/// (`E` = EHPAD, `D` = DITEP, `E/0` = EHPAD's first unit…).
/// login, first name, last name, profession code, role code, assignments.
pub type DemoAccount = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    (
        "admin",
        "Sophie",
        "Leroy",
        "administratif",
        "administrateur",
        &[],
    ),
    (
        "direction",
        "Hélène",
        "Garnier",
        "directeur",
        "direction",
        &["E", "D"],
    ),
    (
        "cds.ehpad",
        "Marc",
        "Dubois",
        "chef_de_service",
        "chef_de_service",
        &["E"],
    ),
    (
        "cds.ditep",
        "Nadia",
        "Benali",
        "chef_de_service",
        "chef_de_service",
        &["D"],
    ),
    (
        "medecin.ehpad",
        "Paul",
        "Lefèvre",
        "medecin",
        "medecin",
        &["E"],
    ),
    (
        "ide.ehpad",
        "Julie",
        "Moreau",
        "infirmier",
        "infirmier",
        &["E"],
    ),
    (
        "as.glycines",
        "Karim",
        "Haddad",
        "aide_soignant",
        "aide_soignant",
        &["E/0"],
    ),
    (
        "aes.lilas",
        "Fatou",
        "Diallo",
        "aes",
        "aide_soignant",
        &["E/1"],
    ),
    (
        "educ.internat",
        "Thomas",
        "Petit",
        "educateur_specialise",
        "educateur",
        &["D/0"],
    ),
    (
        "educ.sessad",
        "Camille",
        "Roux",
        "educateur_specialise",
        "educateur",
        &["D/1"],
    ),
    (
        "psy.ditep",
        "Élise",
        "Fontaine",
        "psychologue",
        "psychologue",
        &["D"],
    ),
    (
        "secretariat",
        "Isabelle",
        "Mercier",
        "secretaire",
        "secretariat",
        &["E", "D"],
    ),
];

const FAMILY_NAMES: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFÈVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEBVRE",
    "FAURE",
    "ANDRÉ",
    "MERCIER",
    "BLANC",
    "GUÉRIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANÇOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLÉMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "MARCHAND",
    "DUVAL",
    "DENIS",
    "DUMONT",
    "MARIE",
    "LEMAIRE",
    "NOËL",
    "MEYER",
    "DUFOUR",
    "MEUNIER",
    "BRUN",
    "BLANCHARD",
    "GIRAUD",
    "JOLY",
    "RIVIÈRE",
    "LUCAS",
    "BRUNET",
    "GAILLARD",
    "BARBIER",
    "ARNAUD",
    "MARTINEZ",
    "GÉRARD",
    "ROCHE",
    "RENARD",
    "SCHMITT",
    "ROY",
    "LEROUX",
    "COLIN",
    "VIDAL",
    "CARON",
    "PICARD",
    "ROGER",
    "FABRE",
    "AUBERT",
    "LEMOINE",
    "RENAUD",
    "DUMAS",
    "LACROIX",
    "OLIVIER",
    "PHILIPPE",
    "BOURGEOIS",
    "PIERRE",
    "BENOÎT",
    "REY",
    "LECLERC",
    "PAYET",
    "ROLLAND",
    "LECLERCQ",
    "GUILLAUME",
    "LECOMTE",
    "N'DIAYE",
    "BEN SAÏD",
    "LE GALL",
];
const FEMALE_FIRST: &[&str] = &[
    "Marie",
    "Jeanne",
    "Françoise",
    "Monique",
    "Catherine",
    "Nathalie",
    "Isabelle",
    "Jacqueline",
    "Anne",
    "Sylvie",
    "Martine",
    "Madeleine",
    "Nicole",
    "Suzanne",
    "Hélène",
    "Christiane",
    "Léa",
    "Chloé",
    "Emma",
    "Inès",
    "Manon",
    "Camille",
    "Zoé",
    "Louise",
    "Anaïs",
    "Élodie",
    "Maëlle",
    "Yasmine",
    "Océane",
    "Thérèse",
    "Geneviève",
    "Odette",
];
const MALE_FIRST: &[&str] = &[
    "Jean", "Pierre", "Michel", "André", "Philippe", "René", "Louis", "Alain", "Jacques",
    "Bernard", "Marcel", "Daniel", "Roger", "Robert", "Paul", "Henri", "Lucas", "Hugo", "Nathan",
    "Enzo", "Théo", "Mathis", "Noah", "Rayan", "Kylian", "Maël", "Yanis", "Gabriel", "Raphaël",
    "Léon", "Gérard", "Joël",
];
/// Birth places (INSEE COG): they are also the NIR's characters 6 to 10.
const BIRTH_PLACES: &[&str] = &[
    "75056", "69123", "13055", "33063", "59350", "31555", "44109", "67482", "2A004", "97411",
    "35238", "99350",
];

/// A tiny deterministic generator (SplitMix64), so demo data and benchmarks need no random crate.
pub struct Seq(u64);

impl Seq {
    pub fn new(seed: u64) -> Seq {
        Seq(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A synthetic French identity born between `years`, with a coherent test NIR when `with_ins`.
pub fn synthetic_identity(seq: &mut Seq, years: (i16, i16), with_ins: bool) -> RawIdentity {
    let female = seq.below(2) == 0;
    let first_names = if female { FEMALE_FIRST } else { MALE_FIRST };
    let first = seq.pick(first_names);
    let second = seq.pick(first_names);
    let birth_name = seq.pick(FAMILY_NAMES);
    let married = female && years.0 < 1960 && seq.below(2) == 0;
    let year = years.0 + seq.below((years.1 - years.0 + 1) as u64) as i16;
    let month = 1 + seq.below(12) as i8;
    let day = 1 + seq.below(28) as i8;
    let place = seq.pick(BIRTH_PLACES);
    let mut raw = RawIdentity {
        birth_name: birth_name.to_string(),
        birth_first_name: first.to_string(),
        birth_first_names: if first == second {
            first.to_string()
        } else {
            format!("{first} {second}")
        },
        used_name: if married {
            seq.pick(FAMILY_NAMES).to_string()
        } else {
            String::new()
        },
        used_first_name: String::new(),
        sex: if female { "F" } else { "M" }.to_string(),
        birth_date: format!("{year:04}-{month:02}-{day:02}"),
        birth_place: place.to_string(),
        phone: format!(
            "06 {:02} {:02} {:02} {:02}",
            seq.below(100),
            seq.below(100),
            seq.below(100),
            seq.below(100)
        ),
        city: "Lyon".to_string(),
        postal_code: "69003".to_string(),
        address: format!("{} rue des Lilas", 1 + seq.below(120)),
        ..RawIdentity::default()
    };
    if with_ins {
        let body = format!(
            "{}{:02}{:02}{}{:03}",
            if female { 2 } else { 1 },
            year % 100,
            month,
            place,
            1 + seq.below(999)
        );
        if let Some(key) = compute_nir_key(&body) {
            raw.ins_matricule = format!("{body}{key:02}");
            raw.ins_oid = "1.2.250.1.213.1.4.10".to_string();
        }
    }
    raw
}

impl App {
    /// Loads the demo organisation once. Returns false when it is already there (idempotent).
    pub async fn load_demo(&self) -> AppResult<bool> {
        if parcours_store::account::find_user_by_login(&self.db, "direction")
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let now = self.now_micros();
        let org = OrganisationRow {
            id: self.new_id(),
            name: "Association Parcours Démo".to_string(),
            finess_ej: Some("750000523".to_string()),
        };
        let admin_hash = self.hash_password_async(DEMO_PASSWORD).await?;
        let admin = parcours_store::account::UserRow {
            organisation_id: org.id,
            id: self.new_id(),
            login: "admin".to_string(),
            first_name: "Sophie".to_string(),
            last_name: "Leroy".to_string(),
            profession: "administratif".to_string(),
            rpps: None,
            adeli: None,
            role: "administrateur".to_string(),
            active: true,
            password_hash: admin_hash,
            version: 1,
        };
        let mut tx = self.begin().await?;
        parcours_store::organisation::insert_organisation(&mut tx, &org, now).await?;
        parcours_store::account::insert_user(&mut tx, &admin, now).await?;
        self.audit_system(
            &mut tx,
            parcours_domain::ids::OrganisationId::from_uuid(org.id),
            AuditAction::AccountChange,
            "demo",
            json!({"op": "chargement de la démonstration"}),
        )
        .await?;
        tx.commit().await?;
        let admin_ctx = self.ctx_for(&admin, "local", None).await?;

        let ehpad = self
            .create_etablissement(
                &admin_ctx,
                &EtablissementInput {
                    name: "EHPAD Les Tilleuls".into(),
                    finess: "690781810".into(),
                    category_code: "500".into(),
                    capacity: "80".into(),
                    active: true,
                    version: 0,
                },
            )
            .await?;
        let ditep = self
            .create_etablissement(
                &admin_ctx,
                &EtablissementInput {
                    name: "DITEP Le Cap".into(),
                    finess: "130786049".into(),
                    category_code: "186".into(),
                    capacity: "45".into(),
                    active: true,
                    version: 0,
                },
            )
            .await?;
        let mut ehpad_units = Vec::new();
        for name in ["Les Glycines", "Les Lilas"] {
            ehpad_units.push(self.create_unite(&admin_ctx, &unit(ehpad, name)).await?);
        }
        let mut ditep_units = Vec::new();
        for name in ["Internat", "SESSAD"] {
            ditep_units.push(self.create_unite(&admin_ctx, &unit(ditep, name)).await?);
        }
        let resolve = |code: &str| -> String {
            let (etab, units) = if code.starts_with('E') {
                (ehpad, &ehpad_units)
            } else {
                (ditep, &ditep_units)
            };
            match code
                .split_once('/')
                .and_then(|(_, i)| i.parse::<usize>().ok())
            {
                Some(i) => format!("{}/{}", etab, units[i.min(units.len() - 1)]),
                None => etab.to_string(),
            }
        };
        for (login, first, last, profession, role, assignments) in DEMO_ACCOUNTS.iter().skip(1) {
            let rpps = if *profession == "medecin" {
                "10003652749".to_string()
            } else {
                String::new()
            };
            self.create_account(
                &admin_ctx,
                &AccountInput {
                    login: login.to_string(),
                    first_name: first.to_string(),
                    last_name: last.to_string(),
                    profession: profession.to_string(),
                    rpps,
                    adeli: String::new(),
                    role: role.to_string(),
                    active: true,
                    password: DEMO_PASSWORD.to_string(),
                    assignments: assignments.iter().map(|a| resolve(a)).collect(),
                    version: 0,
                },
            )
            .await?;
        }

        let direction = parcours_store::account::find_user_by_login(&self.db, "direction")
            .await?
            .ok_or_else(|| AppError::Internal("demo direction account missing".into()))?;
        let ctx = self.ctx_for(&direction, "local", None).await?;
        let mut seq = Seq::new(2026);
        let statuses = [
            IdentityStatus::Provisoire,
            IdentityStatus::Recuperee,
            IdentityStatus::Validee,
            IdentityStatus::Qualifiee,
        ];
        let mut people = Vec::new();
        for i in 0..60u64 {
            let in_ehpad = i < 32;
            let status = statuses[(i % 4) as usize];
            let with_ins = matches!(
                status,
                IdentityStatus::Recuperee | IdentityStatus::Qualifiee
            ) || i % 8 == 0;
            let years = if in_ehpad { (1926, 1948) } else { (2008, 2018) };
            let identity = synthetic_identity(&mut seq, years, with_ins);
            let birth: Date = identity.birth_date.parse().map_err(|_| {
                AppError::Internal(format!("demo birth date {}", identity.birth_date))
            })?;
            let family = if identity.used_name.is_empty() {
                identity.birth_name.clone()
            } else {
                identity.used_name.clone()
            };
            let first = identity.birth_first_name.clone();
            let (etab, units) = if in_ehpad {
                (ehpad, &ehpad_units)
            } else {
                (ditep, &ditep_units)
            };
            let unite: UniteId = units[(i % 2) as usize];
            let input = NewUsager {
                identity,
                placement: format!("{etab}/{unite}"),
                local_id: format!("{}-{:04}", if in_ehpad { "EHPAD" } else { "DITEP" }, i + 1),
                confirm_not_duplicate: true,
            };
            let id = match self.create_usager(&ctx, &input).await {
                Ok(id) => id,
                // A generated INS may collide with an earlier one: keep the person without it.
                Err(AppError::Validation(_)) => {
                    let mut input = input.clone();
                    input.identity.ins_matricule.clear();
                    input.identity.ins_oid.clear();
                    self.create_usager(&ctx, &input).await?
                }
                Err(e) => return Err(e),
            };
            self.demo_status(&ctx, id, status, i).await?;
            people.push(DemoPerson {
                index: i,
                id,
                birth,
                female: input.identity.sex == "F",
                name: format!("{first} {family}"),
                family,
                local_id: input.local_id.clone(),
            });
        }
        let org = DemoOrg {
            ehpad,
            ditep,
            ehpad_units,
            ditep_units,
            people,
        };
        self.load_demo_records(&ctx, &org).await?;
        Ok(true)
    }

    async fn demo_status(
        &self,
        ctx: &crate::Ctx,
        id: UsagerId,
        status: IdentityStatus,
        i: u64,
    ) -> AppResult<()> {
        let record = self.get_usager(ctx, id).await?;
        let has_ins = record.identity.ins.is_some();
        let change = |status: IdentityStatus, version: i64| StatusChange {
            status: status.code().to_string(),
            reason: "Reprise des données de démonstration".to_string(),
            validation_mode: if matches!(
                status,
                IdentityStatus::Validee | IdentityStatus::Qualifiee
            ) {
                if i.is_multiple_of(3) { "PA" } else { "CN" }.to_string()
            } else {
                String::new()
            },
            validation_date: if matches!(
                status,
                IdentityStatus::Validee | IdentityStatus::Qualifiee
            ) {
                "2025-09-15".to_string()
            } else {
                String::new()
            },
            ins_from_insi: matches!(
                status,
                IdentityStatus::Recuperee | IdentityStatus::Qualifiee
            ),
            douteuse: false,
            fictive: false,
            homonyme: i % 10 == 3,
            version,
        };
        match status {
            IdentityStatus::Provisoire => {
                if i.is_multiple_of(12) {
                    // A few doubtful or fictitious identities, which stay provisoire.
                    let mut c = change(IdentityStatus::Provisoire, record.version);
                    c.douteuse = i.is_multiple_of(24);
                    c.fictive = !i.is_multiple_of(24);
                    self.change_identity_status(ctx, id, &c).await?;
                }
            }
            IdentityStatus::Recuperee | IdentityStatus::Qualifiee if !has_ins => {
                self.change_identity_status(
                    ctx,
                    id,
                    &change(IdentityStatus::Validee, record.version),
                )
                .await?;
            }
            other => {
                self.change_identity_status(ctx, id, &change(other, record.version))
                    .await?
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------------------------
// The demo persons' records: partners, entourage and protection, admissions and séjours, contracts,
// orientation decisions, links to partners, consents. Every date is relative to the app's "today",
// so that the alerts (contract unsigned, decision ending, séjour ending, consent expiring) show
// whenever the demo is loaded. Everything goes through the use cases, as the direction.

/// A person created by the demo, by their index (0–31 EHPAD, 32–59 DITEP).
struct DemoPerson {
    index: u64,
    id: UsagerId,
    birth: Date,
    female: bool,
    /// "Prénom NOM".
    name: String,
    /// The name the family goes by (nom d'usage, else de naissance).
    family: String,
    local_id: String,
}

impl DemoPerson {
    fn in_ehpad(&self) -> bool {
        self.index < 32
    }
    /// Residents of the EHPAD (0–26) and young people of the DITEP (32–54) have a séjour; the
    /// others are on the waiting lists.
    fn has_stay(&self) -> bool {
        self.index <= 26 || (32..=54).contains(&self.index)
    }
    fn age(&self, today: Date) -> i16 {
        let mut age = today.year() - self.birth.year();
        if (today.month(), today.day()) < (self.birth.month(), self.birth.day()) {
            age -= 1;
        }
        age
    }
}

struct DemoOrg {
    ehpad: EtablissementId,
    ditep: EtablissementId,
    ehpad_units: Vec<UniteId>,
    ditep_units: Vec<UniteId>,
    people: Vec<DemoPerson>,
}

impl DemoOrg {
    fn person(&self, index: u64) -> AppResult<&DemoPerson> {
        self.people
            .iter()
            .find(|p| p.index == index)
            .ok_or_else(|| AppError::Internal(format!("demo person {index} missing")))
    }
    fn etab_and_unit(&self, p: &DemoPerson, unit: usize) -> (EtablissementId, UniteId) {
        let (etab, units) = if p.in_ehpad() {
            (self.ehpad, &self.ehpad_units)
        } else {
            (self.ditep, &self.ditep_units)
        };
        (etab, units[unit.min(units.len() - 1)])
    }
}

/// Directory: key, kind, name, RPPS, FINESS, address, phone, e-mail, notes (fictitious details;
/// RPPS and FINESS numbers only have a valid key).
type DemoPartner = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const DEMO_PARTNERS: &[DemoPartner] = &[
    (
        "dr_rousseau",
        "medecin",
        "Dr Anne ROUSSEAU, médecin généraliste",
        "10012345673",
        "",
        "12 place Guichard, 69003 Lyon",
        "04 65 71 10 01",
        "cabinet.rousseau@example.org",
        "Médecin traitant de résidents de l'EHPAD ; visites le mardi et le vendredi matin.",
    ),
    (
        "dr_nguyen",
        "medecin",
        "Dr Thierry NGUYEN, médecin généraliste",
        "10087654322",
        "",
        "85 cours Gambetta, 69003 Lyon",
        "04 65 71 10 02",
        "dr.nguyen@example.org",
        "Médecin traitant de résidents et de jeunes du DITEP ; téléconsultation possible.",
    ),
    (
        "pharmacie",
        "pharmacie",
        "Pharmacie des Lilas",
        "",
        "",
        "58 rue des Lilas, 69003 Lyon",
        "04 65 71 10 03",
        "pharmacie.lilas@example.org",
        "Convention avec l'EHPAD : préparation des doses à administrer, livraison chaque jour.",
    ),
    (
        "ch",
        "hopital",
        "Centre hospitalier Lyon-Est",
        "",
        "690001235",
        "1 avenue de l'Hôpital, 69003 Lyon",
        "04 65 71 20 00",
        "",
        "Urgences, court séjour gériatrique, équipe mobile de gériatrie ; convention avec l'EHPAD.",
    ),
    (
        "cmp",
        "hopital",
        "CMP enfants et adolescents Lyon 3e",
        "",
        "690004569",
        "14 rue Paul Bert, 69003 Lyon",
        "04 65 71 20 10",
        "cmp.enfants@example.org",
        "Suivi pédopsychiatrique : consultations, groupes thérapeutiques.",
    ),
    (
        "ecole",
        "ecole",
        "École élémentaire Jean Macé",
        "",
        "",
        "3 rue Jean Macé, 69007 Lyon",
        "04 65 71 30 01",
        "ecole.jean-mace@example.org",
        "Inclusion des plus jeunes ; enseignante référente de scolarisation : Mme Bertin.",
    ),
    (
        "college",
        "ecole",
        "Collège Victor Hugo",
        "",
        "",
        "20 rue de la Part-Dieu, 69003 Lyon",
        "04 65 71 30 02",
        "college.victor-hugo@example.org",
        "Dispositif ULIS ; emplois du temps partagés avec l'unité d'enseignement du DITEP.",
    ),
    (
        "ase",
        "ase",
        "Maison de la Métropole pour les solidarités, Lyon 3e (ASE)",
        "",
        "",
        "5 rue Rancy, 69003 Lyon",
        "04 65 71 40 01",
        "ase.lyon3@example.org",
        "Aide sociale à l'enfance ; référente : Mme Karine LOPEZ.",
    ),
    (
        "mdph",
        "mdph",
        "MDMPH du Rhône (maison départementale-métropolitaine des personnes handicapées)",
        "",
        "",
        "146 rue Pierre Corneille, 69003 Lyon",
        "04 65 71 40 02",
        "contact.mdmph@example.org",
        "Notifications de la CDAPH ; suivi des orientations dans ViaTrajectoire.",
    ),
    (
        "esat",
        "employeur",
        "ESAT Les Ateliers du Cap",
        "",
        "690007893",
        "8 rue de l'Industrie, 69200 Vénissieux",
        "04 65 71 50 01",
        "ateliers.cap@example.org",
        "Blanchisserie, espaces verts, conditionnement ; stages de découverte dès 16 ans.",
    ),
    (
        "udaf",
        "mandataire_judiciaire",
        "UDAF du Rhône, service de protection juridique des majeurs",
        "",
        "",
        "12 rue Servient, 69003 Lyon",
        "04 65 71 60 01",
        "protection.majeurs@example.org",
        "Association tutélaire : tutelles et curatelles confiées par le juge des contentieux de la protection.",
    ),
    (
        "atrs",
        "mandataire_judiciaire",
        "Association tutélaire Rhône-Saône",
        "",
        "",
        "40 quai Saint-Vincent, 69001 Lyon",
        "04 65 71 60 02",
        "accueil.atrs@example.org",
        "Mandataires judiciaires à la protection des majeurs ; permanence le jeudi.",
    ),
    (
        "foyer",
        "lieu_de_vie",
        "Foyer d'hébergement Les Érables",
        "",
        "690008529",
        "17 chemin des Érables, 69500 Bron",
        "04 65 71 70 01",
        "",
        "Foyer pour travailleurs d'ESAT ; visites de pré-admission le mercredi.",
    ),
    (
        "repit",
        "service_territorial",
        "Plateforme d'accompagnement et de répit des aidants, Lyon Est",
        "",
        "",
        "9 rue Villeroy, 69003 Lyon",
        "04 65 71 70 02",
        "repit.lyonest@example.org",
        "Soutien des aidants : groupes de parole, relayage à domicile, sorties.",
    ),
    (
        "dac",
        "service_territorial",
        "Dispositif d'appui à la coordination (DAC) du Rhône",
        "",
        "",
        "30 rue Maurice Flandin, 69003 Lyon",
        "04 65 71 70 03",
        "dac.rhone@example.org",
        "Coordination des parcours complexes, sorties d'hospitalisation.",
    ),
];

/// Members of the entourage beyond the usual family (see `family_of`): person index, relation,
/// last name (empty: the person's), first name, aidant, personne à prévenir, partner key, notes.
type DemoProche = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    bool,
    bool,
    &'static str,
    &'static str,
);

const SPECIAL_PROCHES: &[DemoProche] = &[
    (
        3,
        "mandataire",
        "BESSON",
        "Claire",
        false,
        false,
        "udaf",
        "Déléguée mandataire de l'UDAF (tutelle) ; rendez-vous mensuel à l'EHPAD.",
    ),
    (
        9,
        "mandataire",
        "RIVET",
        "Stéphane",
        false,
        false,
        "atrs",
        "Curateur : perçoit les ressources et règle les dépenses courantes.",
    ),
    (
        24,
        "conjoint",
        "",
        "Henri",
        true,
        false,
        "",
        "Aidant principal ; l'hébergement temporaire lui permet de se reposer.",
    ),
    (
        37,
        "famille_accueil",
        "LOPES",
        "Sandrine",
        true,
        true,
        "",
        "Assistante familiale (placement ASE) : l'enfant vit chez elle.",
    ),
    (
        41,
        "grand_parent",
        "",
        "Monique",
        true,
        false,
        "",
        "Grand-mère maternelle ; assure les trajets du mercredi.",
    ),
];

/// Legal protection: person index, measure, start (days from today), relation of the member of
/// the entourage in charge, number of the judgment (RG).
const DEMO_MEASURES: &[(u64, &str, i64, &str, &str)] = &[
    (3, "tutelle", -1400, "mandataire", "04512"),
    (9, "curatelle_renforcee", -1600, "mandataire", "01187"),
    (
        14,
        "habilitation_familiale_representation",
        -1500,
        "enfant",
        "00342",
    ),
];

const COURT: &str = "Tribunal judiciaire de Lyon, juge des contentieux de la protection";

/// Séjours other than the usual one (see `usual_stay`): person index, placements (unit index in
/// the establishment, modality), entry in days from today (positive: planned), planned exit in days
/// from today (0: none), mode d'entrée, origin of the request.
type DemoStay = (
    u64,
    &'static [(usize, &'static str)],
    i64,
    i64,
    &'static str,
    &'static str,
);

const SPECIAL_STAYS: &[DemoStay] = &[
    // Contract still unsigned six weeks after entry: alert.
    (5, &[(1, "internat")], -45, 0, "hopital", "hopital"),
    // Just arrived: the contract is handed over, not signed yet.
    (7, &[(1, "internat")], -10, 0, "domicile", "famille"),
    // Came back for good after a temporary stay (see PAST_STAYS).
    (20, &[(0, "internat")], -330, 0, "domicile", "famille"),
    // Hébergement temporaire ending in a few weeks.
    (
        24,
        &[(0, "accueil_temporaire")],
        -40,
        19,
        "domicile",
        "famille",
    ),
    (25, &[(1, "semi_internat")], -300, 0, "domicile", "medecin"),
    // Coming in the next days.
    (26, &[(0, "internat")], 4, 0, "hopital", "hopital"),
    // DITEP: two modalities at once.
    (
        32,
        &[(0, "internat"), (1, "ambulatoire")],
        -430,
        0,
        "domicile",
        "mdph",
    ),
    (
        36,
        &[(0, "internat"), (1, "ambulatoire")],
        -250,
        0,
        "domicile",
        "mdph",
    ),
    (37, &[(1, "ambulatoire")], -380, 0, "ase", "ase"),
    (
        40,
        &[(0, "semi_internat"), (1, "ambulatoire")],
        -150,
        0,
        "domicile",
        "famille",
    ),
    // Kept after 18 (amendement Creton, see SPECIAL_DECISIONS).
    (38, &[(0, "internat")], -1400, 0, "domicile", "mdph"),
    // Internat, then semi-internat (see MODALITY_CHANGES).
    (44, &[(0, "internat")], -600, 0, "domicile", "mdph"),
    (
        52,
        &[(0, "internat"), (1, "ambulatoire")],
        -900,
        0,
        "autre_esms",
        "autre_esms",
    ),
    (54, &[(0, "semi_internat")], 6, 0, "domicile", "mdph"),
];

/// Finished séjours, for history: person index, unit index, modality, entry and exit (days from
/// today), mode de sortie.
const PAST_STAYS: &[(u64, usize, &str, i64, i64, &str)] =
    &[(20, 0, "accueil_temporaire", -420, -390, "retour_domicile")];

/// Changes of modality: person index, new modality, day (from today), object of the avenant.
const MODALITY_CHANGES: &[(u64, &str, i64, &str)] = &[(
    44,
    "semi_internat",
    -90,
    "Avenant n° 1 au DIPC : passage de l'internat au semi-internat, retour au domicile chaque soir.",
)];

/// Requests of persons not (yet) admitted: person index, modality, origin, received (days ago),
/// priority, statuses after « reçue », reason of a refusal, the person's expectations, notes.
type DemoRequest = (
    u64,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

const WAITING_REQUESTS: &[DemoRequest] = &[
    (
        27,
        "internat",
        "famille",
        6,
        "3",
        &[],
        "",
        "Je ne veux plus être un poids pour ma fille. J'aimerais une chambre au rez-de-chaussée.",
        "Dossier reçu par courrier ; volet médical à demander au médecin traitant.",
    ),
    (
        28,
        "internat",
        "hopital",
        15,
        "1",
        &["en_etude"],
        "",
        "Je veux une maison près de chez moi, pas loin de mes enfants.",
        "Sortie d'hospitalisation (court séjour gériatrique) sous trois semaines ; retour à domicile impossible.",
    ),
    (
        29,
        "accueil_temporaire",
        "medecin",
        20,
        "2",
        &["visite_planifiee"],
        "",
        "Juste quelques semaines cet été, le temps que ma femme se repose.",
        "Visite avec l'épouse planifiée ; hébergement temporaire de quatre semaines souhaité.",
    ),
    (
        30,
        "internat",
        "famille",
        75,
        "2",
        &["en_etude", "acceptee", "en_attente_de_place"],
        "",
        "Avoir une chambre seule et pouvoir recevoir mes petits-enfants.",
        "Accord de la commission d'admission ; première place disponible aux Lilas.",
    ),
    (
        31,
        "internat",
        "hopital",
        40,
        "2",
        &["en_etude", "refusee"],
        "Soins techniques continus (ventilation) relevant d'une unité de soins de longue durée : orientation vers l'USLD du centre hospitalier proposée à la famille.",
        "Je voudrais qu'on s'occupe bien de moi.",
        "",
    ),
    (
        55,
        "ambulatoire",
        "mdph",
        4,
        "3",
        &[],
        "",
        "Je veux qu'on m'aide à l'école, mais je veux rester dans ma classe.",
        "Demande transmise par ViaTrajectoire avec la notification de la CDAPH.",
    ),
    (
        56,
        "internat",
        "ase",
        25,
        "1",
        &["en_etude"],
        "",
        "J'aimerais un endroit calme où je peux dormir la semaine.",
        "Demande portée par l'ASE ; notification de la CDAPH attendue.",
    ),
    (
        57,
        "semi_internat",
        "famille",
        30,
        "2",
        &["visite_planifiee"],
        "",
        "J'aime le foot et les animaux. Je veux pas être loin de ma mère.",
        "Entretien de pré-admission avec la psychologue et l'éducateur.",
    ),
    (
        58,
        "internat",
        "mdph",
        60,
        "2",
        &["visite_planifiee", "acceptee"],
        "",
        "Dormir à l'internat la semaine et rentrer chez moi le week-end.",
        "Admission acceptée ; date d'entrée à fixer avec la famille.",
    ),
    (
        59,
        "internat",
        "autre_esms",
        45,
        "3",
        &["en_etude", "refusee"],
        "Hors agrément : la notification de la CDAPH oriente vers un IME ; la famille est accompagnée vers l'IME du secteur.",
        "Je veux aller dans une école comme mon frère.",
        "",
    ),
];

/// Expectations in the person's own words, for the requests that led to a séjour.
const EHPAD_EXPECTATIONS: &[&str] = &[
    "Je veux être au calme, avec un jardin pour me promener.",
    "Ne plus avoir peur de tomber la nuit quand je suis seul.",
    "Garder mes meubles et mes photos dans ma chambre.",
    "Être près de ma fille pour qu'elle puisse venir me voir souvent.",
    "Pouvoir jouer aux cartes et voir du monde, je m'ennuie chez moi.",
    "Continuer à aller à la messe le dimanche.",
    "Je veux garder mon médecin et mes habitudes : la sieste, le journal le matin.",
];

const DITEP_EXPECTATIONS: &[&str] = &[
    "Je voudrais retourner en classe sans me battre.",
    "J'aimerais apprendre à me calmer quand je m'énerve.",
    "Je veux faire du foot et avoir des copains.",
    "Dormir à l'internat la semaine, rentrer chez ma mère le week-end.",
    "Qu'on m'aide pour lire, j'ai du mal.",
    "Je veux apprendre un métier, cuisinier ou mécanicien.",
];

/// Orientation decisions other than the usual one (see `load_demo_decisions`): person index, type,
/// category, start and end (days from today), amendement Creton, notes.
type DemoDecision = (
    u64,
    &'static str,
    &'static str,
    i64,
    i64,
    bool,
    &'static str,
);

const SPECIAL_DECISIONS: &[DemoDecision] = &[
    (
        34,
        "renouvellement",
        "186",
        -1025,
        70,
        false,
        "Renouvellement à déposer : dossier MDPH en préparation avec la famille.",
    ),
    (48, "orientation", "186", -900, 150, false, ""),
    // Expired: the person has no valid decision any more.
    (
        50,
        "orientation",
        "186",
        -760,
        -25,
        false,
        "Demande de renouvellement déposée à la MDPH, en attente d'instruction.",
    ),
    (
        38,
        "renouvellement",
        "186",
        -200,
        345,
        true,
        "Amendement Creton (CASF L.242-4) : maintien au DITEP dans l'attente d'une place en ESAT et en foyer d'hébergement.",
    ),
    (
        38,
        "orientation",
        "246",
        -200,
        1625,
        false,
        "Orientation ESAT : inscrit sur la liste d'attente de l'ESAT Les Ateliers du Cap.",
    ),
];

/// Candidates of the DITEP waiting list whose notification is already known.
const DECISION_CANDIDATES: &[u64] = &[55, 57, 58];

/// Links to partners beyond the usual ones (see `usual_links`): person index, partner key, role, notes.
const SPECIAL_LINKS: &[(u64, &str, &str, &str)] = &[
    (
        3,
        "udaf",
        "mandataire",
        "Tutelle : les décisions patrimoniales passent par la déléguée mandataire.",
    ),
    (9, "atrs", "mandataire", "Curatelle renforcée."),
    (
        24,
        "repit",
        "ressource",
        "Soutien de l'époux aidant ; retour à domicile prévu à la fin du séjour temporaire.",
    ),
    (
        25,
        "repit",
        "ressource",
        "Groupe de parole pour l'épouse aidante.",
    ),
    (
        28,
        "dac",
        "ressource",
        "Coordination de la sortie d'hospitalisation.",
    ),
    (
        37,
        "ase",
        "referent_ase",
        "Référente ASE : Mme Karine LOPEZ ; synthèse chaque trimestre.",
    ),
    (
        56,
        "ase",
        "referent_ase",
        "Demande d'admission portée par l'ASE.",
    ),
    (
        38,
        "esat",
        "employeur",
        "Stages de découverte en blanchisserie ; admission dès qu'une place se libère.",
    ),
    (
        38,
        "foyer",
        "ressource",
        "Visite de pré-admission faite ; inscrit sur la liste d'attente.",
    ),
    (
        52,
        "esat",
        "employeur",
        "Stage de découverte de deux semaines (espaces verts).",
    ),
];

/// Consents beyond the usual ones (see `usual_consents`): person index, purpose, decision, day
/// (from today), scope. Person 12 was never asked anything.
const SPECIAL_CONSENTS: &[(u64, &str, &str, i64, &str)] = &[
    (
        6,
        "recherche",
        "refuse",
        -30,
        "Ne souhaite pas participer à l'étude régionale sur la dénutrition.",
    ),
    (
        8,
        "droit_image",
        "donne",
        -200,
        "Photographies des animations, journal interne.",
    ),
    (
        8,
        "droit_image",
        "retire",
        -12,
        "Ne souhaite plus apparaître dans le journal de l'établissement.",
    ),
    // Given a year ago for twelve months: expires within the month.
    (
        10,
        "droit_image",
        "donne",
        -350,
        "Photographies des animations ; à renouveler chaque année.",
    ),
    // Expired.
    (
        16,
        "sorties",
        "donne",
        -400,
        "Sorties accompagnées au marché.",
    ),
    (
        3,
        "acces_famille",
        "donne",
        -300,
        "Accès de son fils aux comptes rendus de synthèse.",
    ),
    (
        45,
        "droit_image",
        "refuse",
        -60,
        "Les parents refusent toute diffusion de photographies.",
    ),
];

const NEVER_ASKED: u64 = 12;

const CHILD_F: &[&str] = &[
    "Catherine",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Christine",
    "Véronique",
    "Sandrine",
    "Valérie",
    "Laurence",
    "Patricia",
];
const CHILD_M: &[&str] = &[
    "Philippe",
    "Alain",
    "Patrick",
    "Thierry",
    "Éric",
    "Pascal",
    "Christophe",
    "Laurent",
    "Olivier",
    "Frédéric",
];
const PARENT_F: &[&str] = &[
    "Élodie", "Aurélie", "Céline", "Jessica", "Sabrina", "Amandine", "Karima", "Émilie", "Julie",
    "Audrey",
];
const PARENT_M: &[&str] = &[
    "Julien",
    "Nicolas",
    "Sébastien",
    "Mickaël",
    "Karim",
    "Romain",
    "Jérémy",
    "Anthony",
    "Mehdi",
    "Guillaume",
];
const STREETS: &[&str] = &[
    "rue Garibaldi, 69003 Lyon",
    "avenue Lacassagne, 69003 Lyon",
    "rue Paul Bert, 69003 Lyon",
    "cours Albert Thomas, 69008 Lyon",
    "rue de Créqui, 69006 Lyon",
    "avenue Jean Jaurès, 69007 Lyon",
    "rue Anatole France, 69100 Villeurbanne",
];

fn shift(d: Date, days: i64) -> Date {
    d.checked_add(days.days()).unwrap_or(d)
}

fn pick(list: &[&'static str], n: u64) -> &'static str {
    list[(n % list.len() as u64) as usize]
}

/// The usual family of a person: EHPAD residents have one or two children (the first is aidant,
/// personne à prévenir and, for residents, personne de confiance) and sometimes a spouse; DITEP
/// young people have their mother and, most often, their father, holding parental authority while
/// the young person is a minor.
fn family_of(p: &DemoPerson, today: Date) -> Vec<RawProche> {
    let i = p.index;
    let phone = |k: u64| format!("06 39 98 {:02} {:02}", i, 10 + k);
    let address = |k: u64| format!("{} {}", 3 + (i * 7 + k) % 90, pick(STREETS, i + k));
    let mut out = Vec::new();
    if p.in_ehpad() {
        let daughter = i.is_multiple_of(2);
        out.push(RawProche {
            relation: "enfant".into(),
            last_name: p.family.clone(),
            first_name: pick(if daughter { CHILD_F } else { CHILD_M }, i).into(),
            phone: phone(0),
            address: address(0),
            aidant: true,
            personne_a_prevenir: true,
            // Not for the person under tutelle (it needs the judge), nor before admission.
            personne_confiance: p.has_stay() && i != 3,
            ..RawProche::default()
        });
        if i.is_multiple_of(3) {
            out.push(RawProche {
                relation: "enfant".into(),
                last_name: p.family.clone(),
                first_name: pick(if daughter { CHILD_M } else { CHILD_F }, i + 3).into(),
                phone: phone(1),
                address: address(1),
                ..RawProche::default()
            });
        }
        if !p.female && i % 4 == 1 {
            out.push(RawProche {
                relation: "conjoint".into(),
                last_name: p.family.clone(),
                first_name: pick(&FEMALE_FIRST[..16], i * 3).into(),
                phone: phone(2),
                address: address(0),
                aidant: true,
                notes: "Vit toujours au domicile ; vient presque chaque jour.".into(),
                ..RawProche::default()
            });
        }
    } else {
        let minor = is_minor(p.birth, today);
        let separated = i % 5 == 2;
        out.push(RawProche {
            relation: "mere".into(),
            last_name: if separated {
                pick(FAMILY_NAMES, i * 7).to_string()
            } else {
                p.family.clone()
            },
            first_name: pick(PARENT_F, i).into(),
            phone: phone(0),
            email: format!("parent{i}.mere@example.org"),
            address: address(0),
            personne_a_prevenir: i != 37,
            personne_confiance: !minor,
            autorite_parentale: minor,
            ..RawProche::default()
        });
        if i % 6 != 5 && i != 37 {
            out.push(RawProche {
                relation: "pere".into(),
                last_name: p.family.clone(),
                first_name: pick(PARENT_M, i).into(),
                phone: phone(1),
                address: address(if separated { 2 } else { 0 }),
                autorite_parentale: minor,
                notes: if separated {
                    "Parents séparés : résidence alternée une semaine sur deux.".into()
                } else {
                    String::new()
                },
                ..RawProche::default()
            });
        }
    }
    out
}

/// The séjour of a person with one: placements (unit index, modality), entry and planned exit in
/// days from today, mode d'entrée, origin of the request. EHPAD residents are in hébergement
/// permanent (internat) in their unit; DITEP young people in internat or SESSAD (ambulatoire).
fn stay_of(
    p: &DemoPerson,
    today: Date,
) -> (
    Vec<(usize, &'static str)>,
    i64,
    i64,
    &'static str,
    &'static str,
) {
    if let Some((_, placements, entry, exit, mode, origin)) =
        SPECIAL_STAYS.iter().find(|s| s.0 == p.index)
    {
        return (placements.to_vec(), *entry, *exit, mode, origin);
    }
    let i = p.index;
    if p.in_ehpad() {
        let mode = pick(&["domicile", "hopital", "autre_esms", "domicile"], i);
        let origin = match mode {
            "hopital" => "hopital",
            "autre_esms" => "autre_esms",
            _ if i % 5 == 2 => "personne",
            _ => "famille",
        };
        let entry = -(90 + ((i * 389) % 2100) as i64);
        (vec![((i % 2) as usize, "internat")], entry, 0, mode, origin)
    } else {
        let placement = if i.is_multiple_of(2) {
            (0, "internat")
        } else {
            (1, "ambulatoire")
        };
        // Not before the age of seven.
        let seven = p.birth.checked_add(7.years()).unwrap_or(p.birth);
        let entry = (-(45 + ((i * 173) % 1300) as i64))
            .max((seven - today).get_days() as i64)
            .min(-7);
        let origin = if i.is_multiple_of(3) {
            "famille"
        } else {
            "mdph"
        };
        (vec![placement], entry, 0, "domicile", origin)
    }
}

/// The school of a DITEP young person, by age.
fn school_of(p: &DemoPerson, today: Date) -> Option<&'static str> {
    match p.age(today) {
        ..=10 => Some("ecole"),
        11..=16 => Some("college"),
        _ => None,
    }
}

/// Usual links to partners: person index → (partner key, role, notes).
fn usual_links(p: &DemoPerson, today: Date) -> Vec<(&'static str, &'static str, &'static str)> {
    let i = p.index;
    let mut out = Vec::new();
    if p.in_ehpad() {
        let doctor = if i.is_multiple_of(2) {
            "dr_rousseau"
        } else {
            "dr_nguyen"
        };
        out.push((doctor, "medecin_traitant", ""));
        if p.has_stay() {
            out.push(("pharmacie", "pharmacie", ""));
            if i.is_multiple_of(3) || i.is_multiple_of(4) {
                out.push((
                    "ch",
                    "hopital_reference",
                    "Dossier de liaison d'urgence transmis à chaque hospitalisation.",
                ));
            }
        }
    } else {
        match school_of(p, today) {
            Some("ecole") => out.push((
                "ecole",
                "scolarite",
                "Scolarité partagée avec l'unité d'enseignement du DITEP.",
            )),
            Some(school) => out.push((school, "scolarite", "Inclusion en ULIS à temps partiel.")),
            None => {}
        }
        if i.is_multiple_of(2) {
            out.push(("cmp", "specialiste", "Suivi pédopsychiatrique mensuel."));
        }
        if i.is_multiple_of(3) {
            out.push(("mdph", "mdph", ""));
        }
        if i.is_multiple_of(5) {
            out.push(("dr_nguyen", "medecin_traitant", ""));
        }
    }
    out
}

/// Usual consents, all given: purpose, day (from today), scope, partner keys. They follow the
/// entry (a week after it, or before a planned one) and are spread over the last months.
fn usual_consents(
    p: &DemoPerson,
    entry: Date,
    today: Date,
) -> Vec<(&'static str, i64, &'static str, Vec<&'static str>)> {
    let i = p.index;
    let after_entry = (shift(entry, 7) - today).get_days() as i64;
    let on = |floor: i64| after_entry.max(floor).min(-1);
    let mut out = Vec::new();
    if p.in_ehpad() {
        let doctor = if i.is_multiple_of(2) {
            "dr_rousseau"
        } else {
            "dr_nguyen"
        };
        out.push(("dmp", on(-2000), "", vec![]));
        out.push((
            "sorties",
            on(-(250 + i as i64 * 2)),
            "Sorties accompagnées et activités à l'extérieur.",
            vec![],
        ));
        if i.is_multiple_of(2) {
            out.push((
                "droit_image",
                on(-(20 + i as i64 * 5)),
                "Photographies des animations, affichage interne.",
                vec![],
            ));
        }
        if i.is_multiple_of(4) {
            out.push((
                "partage_partenaires",
                on(-(200 + i as i64 * 2)),
                "Continuité des soins avec le médecin traitant et le centre hospitalier.",
                vec![doctor, "ch"],
            ));
        }
        if i.is_multiple_of(3) {
            out.push((
                "acces_famille",
                on(-(500 + i as i64 * 5)),
                "Accès des enfants aux comptes rendus de synthèse.",
                vec![],
            ));
        }
    } else {
        out.push((
            "sorties",
            on(-(30 + i as i64)),
            "Sorties éducatives, transferts et séjours.",
            vec![],
        ));
        if i % 3 != 1 {
            out.push((
                "droit_image",
                on(-(60 + i as i64)),
                "Photographies des activités, sans diffusion hors de l'établissement.",
                vec![],
            ));
        }
        if i.is_multiple_of(2) {
            let mut partners = vec!["cmp"];
            partners.extend(school_of(p, today));
            out.push((
                "partage_partenaires",
                on(-(100 + i as i64)),
                "Réunions de suivi de la scolarisation et coordination avec le CMP.",
                partners,
            ));
        }
        if i.is_multiple_of(4) {
            out.push(("dmp", on(-(300 + i as i64 * 3)), "", vec![]));
        }
    }
    out
}

/// Who is around a person once recorded.
#[derive(Default)]
struct Circle {
    /// Members: id, relation, "Prénom NOM".
    members: Vec<(ProcheId, String, String)>,
    /// Who consents and signs for the person today, when not the person: id, name, capacity.
    signer: Option<(ProcheId, String, String)>,
    /// The curator assisting the person.
    assistant: Option<String>,
}

impl Circle {
    fn named(&self, relation: &str) -> Option<&(ProcheId, String, String)> {
        self.members.iter().find(|m| m.1 == relation)
    }
}

/// Who signed the contract on `on`, as written on it.
fn signatories(p: &DemoPerson, circle: &Circle, on: Date) -> String {
    let staff = if p.in_ehpad() {
        "Hélène Garnier, directrice"
    } else {
        "Nadia Benali, cheffe de service"
    };
    let parents: Vec<&str> = circle
        .members
        .iter()
        .filter(|m| m.1 == "mere" || m.1 == "pere")
        .map(|m| m.2.as_str())
        .collect();
    let who = match (&circle.signer, &circle.assistant) {
        (Some((_, name, capacity)), _) if capacity != "autorité parentale" => {
            format!("{name} ({capacity})")
        }
        _ if is_minor(p.birth, on) && !parents.is_empty() => {
            format!("{} (autorité parentale)", parents.join(" et "))
        }
        (_, Some(curator)) => format!(
            "{}, {} de {curator} (curateur)",
            p.name,
            if p.female { "assistée" } else { "assisté" }
        ),
        _ => p.name.clone(),
    };
    format!("{who} ; {staff}")
}

fn partner_ref(partners: &HashMap<&'static str, PartenaireId>, key: &str) -> AppResult<String> {
    partners
        .get(key)
        .map(|id| id.to_string())
        .ok_or_else(|| AppError::Internal(format!("demo partner {key} missing")))
}

impl App {
    async fn load_demo_records(&self, ctx: &Ctx, org: &DemoOrg) -> AppResult<()> {
        let today = self.today();
        let partners = self.load_demo_partners(ctx).await?;
        let circles = self.load_demo_entourage(ctx, org, &partners, today).await?;
        let entries = self.load_demo_admissions(ctx, org, &circles, today).await?;
        self.load_demo_waiting_lists(ctx, org, today).await?;
        self.load_demo_decisions(ctx, org, &entries, today).await?;
        self.load_demo_links(ctx, org, &partners, today).await?;
        self.load_demo_consents(ctx, org, &circles, &partners, &entries, today)
            .await?;
        self.load_demo_projets(org, &circles, &entries, today)
            .await?;
        let residents = [org.person(0)?.id, org.person(1)?.id, org.person(4)?.id];
        self.load_demo_medical_documents(&residents, today).await?;
        self.load_demo_ecrits(org, today).await?;
        self.load_demo_liaison(org, today).await?;
        self.load_demo_timeline(org, today).await
    }

    async fn load_demo_partners(
        &self,
        ctx: &Ctx,
    ) -> AppResult<HashMap<&'static str, PartenaireId>> {
        let mut out = HashMap::new();
        for (key, kind, name, rpps, finess, address, phone, email, notes) in DEMO_PARTNERS {
            let raw = RawPartner {
                kind: kind.to_string(),
                name: name.to_string(),
                rpps: rpps.to_string(),
                finess: finess.to_string(),
                address: address.to_string(),
                phone: phone.to_string(),
                email: email.to_string(),
                notes: notes.to_string(),
            };
            out.insert(*key, self.save_partner(ctx, None, &raw, true).await?);
        }
        Ok(out)
    }

    /// Families, aidants, personnes de confiance and à prévenir, mandataires; then the legal
    /// protection measures, which decide with age who signs for the person.
    async fn load_demo_entourage(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        partners: &HashMap<&'static str, PartenaireId>,
        today: Date,
    ) -> AppResult<HashMap<u64, Circle>> {
        let mut circles: HashMap<u64, Circle> = HashMap::new();
        for p in &org.people {
            let mut members = family_of(p, today);
            for (_, relation, last, first, aidant, prevenir, partner, notes) in
                SPECIAL_PROCHES.iter().filter(|s| s.0 == p.index)
            {
                members.push(RawProche {
                    relation: relation.to_string(),
                    last_name: if last.is_empty() {
                        p.family.clone()
                    } else {
                        last.to_string()
                    },
                    first_name: first.to_string(),
                    phone: format!("06 39 98 {:02} 30", p.index),
                    aidant: *aidant,
                    personne_a_prevenir: *prevenir,
                    partenaire_id: if partner.is_empty() {
                        String::new()
                    } else {
                        partner_ref(partners, partner)?
                    },
                    notes: notes.to_string(),
                    ..RawProche::default()
                });
            }
            let circle = circles.entry(p.index).or_default();
            for raw in members {
                let id = self.save_proche(ctx, p.id, None, &raw).await?;
                circle.members.push((
                    id,
                    raw.relation.clone(),
                    format!("{} {}", raw.first_name, raw.last_name),
                ));
                if raw.autorite_parentale && circle.signer.is_none() {
                    circle.signer = Some((
                        id,
                        format!("{} {}", raw.first_name, raw.last_name),
                        "autorité parentale".into(),
                    ));
                }
            }
        }
        for (who, kind, start, relation, number) in DEMO_MEASURES {
            let p = org.person(*who)?;
            let circle = circles.entry(*who).or_default();
            let (rep, name) = circle
                .named(relation)
                .map(|m| (m.0, m.2.clone()))
                .ok_or_else(|| AppError::Internal(format!("demo {who}: no {relation}")))?;
            let start = shift(today, *start);
            self.save_mesure(
                ctx,
                p.id,
                None,
                &RawMesure {
                    kind: kind.to_string(),
                    start_date: start.to_string(),
                    end_date: String::new(),
                    representative_id: rep.to_string(),
                    judgment_ref: format!("RG {:02}/{number}", start.year() % 100),
                    court: COURT.into(),
                    version: None,
                },
            )
            .await?;
            let kind = MeasureKind::parse(kind)?;
            match kind.regime() {
                Regime::Representation => {
                    let title = match kind {
                        MeasureKind::Tutelle => "au titre de la tutelle",
                        MeasureKind::MandatProtectionFuture => {
                            "au titre du mandat de protection future"
                        }
                        _ => "au titre de l'habilitation familiale",
                    };
                    circle.signer = Some((rep, name, title.into()))
                }
                Regime::Assistance => circle.assistant = Some(name),
                Regime::None => {}
            }
        }
        Ok(circles)
    }

    /// Creates a request and takes it through `steps` (the reason goes with a refusal).
    async fn demo_request(
        &self,
        ctx: &Ctx,
        p: &DemoPerson,
        raw: &RawRequest,
        steps: &[&str],
        reason: &str,
    ) -> AppResult<DemandeId> {
        let id = self.create_request(ctx, p.id, raw).await?;
        for (version, status) in (1..).zip(steps) {
            let change = RequestStatusChange {
                status: status.to_string(),
                reason: if *status == "refusee" {
                    reason.to_string()
                } else {
                    String::new()
                },
                version,
            };
            self.change_request_status(ctx, id, &change).await?;
        }
        Ok(id)
    }

    /// The contrat de séjour (EHPAD) or DIPC (DITEP) of a séjour begun on `entry`: handed over
    /// three days later, signed within three weeks, except the one left unsigned (alert) and
    /// those of people who arrived less than a fortnight ago.
    #[allow(clippy::too_many_arguments)]
    async fn demo_contract(
        &self,
        ctx: &Ctx,
        p: &DemoPerson,
        circle: &Circle,
        sejour: SejourId,
        modality: &str,
        entry: Date,
        today: Date,
    ) -> AppResult<Option<ContratId>> {
        let handed = shift(entry, 3);
        if handed > today {
            return Ok(None);
        }
        let signed = shift(entry, 10 + (p.index % 4) as i64 * 3);
        let unsigned = p.index == 5 || signed > today || (today - entry).get_days() < 15;
        let (kind, object) = if p.in_ehpad() {
            let what = match modality {
                "accueil_temporaire" => "hébergement temporaire",
                "semi_internat" => "accueil de jour",
                _ => "hébergement permanent",
            };
            ("contrat_sejour", format!("Contrat de séjour : {what}"))
        } else {
            let what = codelist::modalites().label(modality);
            ("dipc", format!("DIPC : {}", what.to_lowercase()))
        };
        let raw = RawContrat {
            kind: kind.into(),
            parent_id: String::new(),
            object,
            handed_on: handed.to_string(),
            signed_on: if unsigned {
                String::new()
            } else {
                signed.to_string()
            },
            signatories: if unsigned {
                String::new()
            } else {
                signatories(p, circle, signed)
            },
            document_ref: format!("GED/{}/{kind}-{modality}", p.local_id),
            version: None,
        };
        Ok(Some(self.save_contrat(ctx, sejour, None, &raw).await?))
    }

    /// Requests, admissions, séjours and their contracts; returns each person's first day.
    async fn load_demo_admissions(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        circles: &HashMap<u64, Circle>,
        today: Date,
    ) -> AppResult<HashMap<u64, Date>> {
        let no_circle = Circle::default();
        let documents = |p: &DemoPerson| -> String {
            if p.in_ehpad() {
                "Dossier de demande d'admission en EHPAD (Cerfa 14732), volet médical, grille AGGIR."
            } else {
                "Notification de la CDAPH, bilan psychologique, GEVA-Sco."
            }
            .into()
        };
        for (who, unit, modality, entry, exit, mode) in PAST_STAYS {
            let p = org.person(*who)?;
            let (etab, unite) = org.etab_and_unit(p, *unit);
            let (entry, exit) = (shift(today, *entry), shift(today, *exit));
            let raw = RawRequest {
                etablissement_id: etab.to_string(),
                modalite: modality.to_string(),
                origin: "famille".into(),
                received_on: shift(entry, -30).to_string(),
                priority: "3".into(),
                expectations: "Quelques semaines, pour voir si je me plais ici.".into(),
                documents: documents(p),
                notes: String::new(),
            };
            let rid = self
                .demo_request(ctx, p, &raw, &["en_etude", "acceptee"], "")
                .await?;
            let admission = RawAdmission {
                placements: vec![RawPlacement {
                    unite_id: unite.to_string(),
                    modalite: modality.to_string(),
                }],
                planned_entry: entry.to_string(),
                entry_date: entry.to_string(),
                planned_exit: exit.to_string(),
                entry_mode: "domicile".into(),
                confirm_over_capacity: false,
            };
            let circle = circles.get(who).unwrap_or(&no_circle);
            for sid in self.admit(ctx, rid, &admission).await? {
                self.demo_contract(ctx, p, circle, sid, modality, entry, today)
                    .await?;
                let update = RawSejourUpdate {
                    entry_date: String::new(),
                    planned_exit: exit.to_string(),
                    exit_date: exit.to_string(),
                    exit_mode: mode.to_string(),
                    exit_destination: "Domicile, avec le passage d'une infirmière libérale.".into(),
                    version: 1,
                };
                self.update_sejour(ctx, sid, &update).await?;
            }
        }
        let mut entries = HashMap::new();
        for p in org.people.iter().filter(|p| p.has_stay()) {
            let i = p.index;
            let (placements, entry, exit, mode, origin) = stay_of(p, today);
            let entry = shift(today, entry);
            let (etab, _) = org.etab_and_unit(p, 0);
            let raw = RawRequest {
                etablissement_id: etab.to_string(),
                modalite: placements[0].1.to_string(),
                origin: origin.into(),
                received_on: shift(entry.min(today), -(25 + (i as i64 * 13) % 70)).to_string(),
                priority: if i.is_multiple_of(5) { "2" } else { "3" }.into(),
                expectations: pick(
                    if p.in_ehpad() {
                        EHPAD_EXPECTATIONS
                    } else {
                        DITEP_EXPECTATIONS
                    },
                    i,
                )
                .into(),
                documents: documents(p),
                notes: String::new(),
            };
            let steps: &[&str] = if p.in_ehpad() {
                &["en_etude", "acceptee"]
            } else {
                &["visite_planifiee", "acceptee"]
            };
            let rid = self.demo_request(ctx, p, &raw, steps, "").await?;
            let started = entry <= today;
            let admission = RawAdmission {
                placements: placements
                    .iter()
                    .map(|(u, m)| RawPlacement {
                        unite_id: org.etab_and_unit(p, *u).1.to_string(),
                        modalite: m.to_string(),
                    })
                    .collect(),
                planned_entry: entry.to_string(),
                entry_date: if started {
                    entry.to_string()
                } else {
                    String::new()
                },
                planned_exit: if exit == 0 {
                    String::new()
                } else {
                    shift(today, exit).to_string()
                },
                entry_mode: mode.into(),
                confirm_over_capacity: false,
            };
            let ids = self.admit(ctx, rid, &admission).await?;
            entries.insert(i, entry);
            if !started {
                continue;
            }
            let circle = circles.get(&i).unwrap_or(&no_circle);
            let mut first_contract = None;
            for (sid, (_, modality)) in ids.iter().zip(&placements) {
                let c = self
                    .demo_contract(ctx, p, circle, *sid, modality, entry, today)
                    .await?;
                first_contract = first_contract.or(c);
            }
            if let Some((_, modality, on, object)) = MODALITY_CHANGES.iter().find(|c| c.0 == i)
                && let Some(first) = ids.first()
            {
                let on = shift(today, *on);
                let change = RawModalityChange {
                    modalite: modality.to_string(),
                    unite_id: String::new(),
                    on: on.to_string(),
                    version: 1,
                    confirm_over_capacity: false,
                };
                self.change_modality(ctx, *first, &change).await?;
                if let Some(parent) = first_contract {
                    let signed = shift(on, 6).min(today);
                    let avenant = RawContrat {
                        kind: "avenant".into(),
                        parent_id: parent.to_string(),
                        object: object.to_string(),
                        handed_on: on.to_string(),
                        signed_on: signed.to_string(),
                        signatories: signatories(p, circle, signed),
                        document_ref: format!("GED/{}/avenant-1", p.local_id),
                        version: None,
                    };
                    self.save_contrat(ctx, *first, None, &avenant).await?;
                }
            }
        }
        Ok(entries)
    }

    /// The waiting lists: requests at every stage, and refusals with their reason.
    async fn load_demo_waiting_lists(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        today: Date,
    ) -> AppResult<()> {
        for (who, modality, origin, days, priority, steps, reason, expectations, notes) in
            WAITING_REQUESTS
        {
            let p = org.person(*who)?;
            let (etab, _) = org.etab_and_unit(p, 0);
            let raw = RawRequest {
                etablissement_id: etab.to_string(),
                modalite: modality.to_string(),
                origin: origin.to_string(),
                received_on: shift(today, -days).to_string(),
                priority: priority.to_string(),
                expectations: expectations.to_string(),
                documents: if p.in_ehpad() {
                    "Dossier de demande d'admission en EHPAD (Cerfa 14732)."
                } else {
                    "Notification de la CDAPH, comptes rendus de l'équipe de suivi de la scolarisation."
                }
                .into(),
                notes: notes.to_string(),
            };
            self.demo_request(ctx, p, &raw, steps, reason).await?;
        }
        Ok(())
    }

    /// CDAPH orientation decisions of the DITEP young people (and of candidates already notified).
    async fn load_demo_decisions(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        entries: &HashMap<u64, Date>,
        today: Date,
    ) -> AppResult<()> {
        for p in org
            .people
            .iter()
            .filter(|p| !p.in_ehpad() && (p.has_stay() || DECISION_CANDIDATES.contains(&p.index)))
        {
            let special: Vec<DemoDecision> = SPECIAL_DECISIONS
                .iter()
                .filter(|d| d.0 == p.index)
                .copied()
                .collect();
            let rows: Vec<(&str, &str, Date, Date, bool, &str)> = if special.is_empty() {
                let first = entries
                    .get(&p.index)
                    .copied()
                    .unwrap_or(shift(today, -60))
                    .min(today);
                let start = shift(first, -20);
                let end = start.checked_add(5.years()).unwrap_or(start);
                vec![("orientation", "186", start, end, false, "")]
            } else {
                special
                    .into_iter()
                    .map(|(_, kind, cat, start, end, creton, notes)| {
                        (
                            kind,
                            cat,
                            shift(today, start),
                            shift(today, end),
                            creton,
                            notes,
                        )
                    })
                    .collect()
            };
            for (n, (kind, category, start, end, creton, notes)) in rows.into_iter().enumerate() {
                let decided = shift(start, -30);
                let serial = p.index * 37 + n as u64;
                let raw = RawDecision {
                    decision_type: kind.into(),
                    category_code: category.into(),
                    modalite: String::new(),
                    decided_on: decided.to_string(),
                    start_date: start.to_string(),
                    end_date: end.to_string(),
                    decision_number: format!("CDAPH-69-{}-{:05}", decided.year(), 1200 + serial),
                    viatrajectoire_id: format!("VT-{:08}", 31_000_000 + serial * 4321),
                    creton,
                    mdph: "MDMPH du Rhône".into(),
                    notes: notes.into(),
                    version: None,
                };
                self.save_decision(ctx, p.id, None, &raw).await?;
            }
        }
        Ok(())
    }

    async fn load_demo_links(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        partners: &HashMap<&'static str, PartenaireId>,
        today: Date,
    ) -> AppResult<()> {
        for p in &org.people {
            let mut links = usual_links(p, today);
            links.extend(
                SPECIAL_LINKS
                    .iter()
                    .filter(|l| l.0 == p.index)
                    .map(|l| (l.1, l.2, l.3)),
            );
            for (key, role, notes) in links {
                let raw = RawLien {
                    partenaire_id: partner_ref(partners, key)?,
                    role: role.into(),
                    start_date: String::new(),
                    end_date: String::new(),
                    notes: notes.into(),
                    version: None,
                };
                self.save_lien(ctx, p.id, None, &raw).await?;
            }
        }
        Ok(())
    }

    /// Consents across the catalogue, signed by whom the rule allows today: the person, the
    /// tutor or the person habilitée, a parent for a minor.
    async fn load_demo_consents(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        circles: &HashMap<u64, Circle>,
        partners: &HashMap<&'static str, PartenaireId>,
        entries: &HashMap<u64, Date>,
        today: Date,
    ) -> AppResult<()> {
        for p in org.people.iter().filter(|p| p.index != NEVER_ASKED) {
            let Some(entry) = entries.get(&p.index) else {
                continue;
            };
            let signatory = circles
                .get(&p.index)
                .and_then(|c| c.signer.as_ref())
                .map(|s| s.0.to_string())
                .unwrap_or_else(|| SIGNED_BY_PERSON.to_string());
            let special = SPECIAL_CONSENTS.iter().filter(|s| s.0 == p.index);
            let mut list: Vec<(&str, &str, i64, &str, Vec<&str>)> =
                usual_consents(p, *entry, today)
                    .into_iter()
                    .filter(|c| !special.clone().any(|s| s.1 == c.0))
                    .map(|(purpose, day, scope, keys)| (purpose, "donne", day, scope, keys))
                    .collect();
            list.extend(special.map(|s| (s.1, s.2, s.3, s.4, vec![])));
            for (purpose, decision, day, scope, keys) in list {
                let raw = RawConsent {
                    purpose: purpose.into(),
                    decision: decision.into(),
                    signatory: signatory.clone(),
                    decided_on: shift(today, day).to_string(),
                    expires_on: String::new(),
                    scope: scope.into(),
                    partners: keys
                        .iter()
                        .map(|k| partner_ref(partners, k))
                        .collect::<AppResult<_>>()?,
                    document_ref: String::new(),
                };
                self.record_consent(ctx, p.id, &raw).await?;
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------------------------
// Evaluations and projets personnalisés: AGGIR evaluations of the EHPAD residents (by the médecin
// coordonnateur or the nurse), needs evaluations (SERAFIN-PH 1.x) in both establishments, and
// projets at every stage — written by the référent of the unit, agreed by the chef de service (or the
// direction) and by the person or whoever signs for them. Everything goes through the use cases, as
// the professional who would do it, so the gate and the audit apply.
//
// The use cases start a projet on the app's "today" (there is no start date to give), so every
// projet of the demo was written, signed, started (and, for some, reviewed, paused or replaced by an
// avenant) on the day the demo is loaded: accords and bilans are dated today too, so that no date
// comes before the projet it belongs to. The evaluations that led to them are dated in the past.

/// AGGIR evaluations: person index, day (from today; never before the entry), the ten letters of
/// the discriminant variables (cohérence, orientation, toilette, habillage, alimentation,
/// élimination, transferts, déplacements intérieurs and extérieurs, communication), evaluator, context.
type DemoAggir = (u64, i64, &'static str, &'static str, &'static str);

const DEMO_AGGIR: &[DemoAggir] = &[
    (
        0,
        -85,
        "AACCCCCCCB",
        "medecin.ehpad",
        "Évaluation d'entrée.",
    ),
    (
        1,
        -230,
        "AABBAAAABA",
        "ide.ehpad",
        "Réévaluation semestrielle.",
    ),
    (
        1,
        -25,
        "AACCBCBBCB",
        "medecin.ehpad",
        "Réévaluation après la chute avec fracture du poignet droit.",
    ),
    (
        2,
        -120,
        "AAAAAAAABA",
        "ide.ehpad",
        "Réévaluation annuelle : très autonome, a choisi l'EHPAD pour ne plus vivre seule.",
    ),
    (
        3,
        -290,
        "BBCBBBAABB",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        3,
        -35,
        "CCCCBCAACC",
        "medecin.ehpad",
        "Réévaluation : aggravation des troubles cognitifs, déambulation en fin de journée.",
    ),
    (
        4,
        -150,
        "CCCCCCCCCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        5,
        -40,
        "AABCBBBBCB",
        "ide.ehpad",
        "Évaluation d'entrée, à la sortie de l'hôpital.",
    ),
    (
        6,
        -200,
        "BCCCCCCCCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (8, -95, "BBBBBBAABB", "ide.ehpad", "Réévaluation annuelle."),
    (9, -60, "AABBAAAABA", "ide.ehpad", "Réévaluation annuelle."),
    (
        10,
        -175,
        "AACCCCCCCB",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        11,
        -160,
        "AACCBCBBCB",
        "medecin.ehpad",
        "Évaluation d'entrée.",
    ),
    (
        12,
        -210,
        "CCCCCCCCCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        13,
        -130,
        "AABAAAAABA",
        "ide.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        14,
        -50,
        "CCCBBCAABC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        15,
        -240,
        "BBCCBCBBCB",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (16, -70, "AABBBBBBCB", "ide.ehpad", "Réévaluation annuelle."),
    (
        17,
        -110,
        "BCCCCCCCCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        18,
        -190,
        "CCCCCCCCCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (19, -45, "AABBAAAABA", "ide.ehpad", "Réévaluation annuelle."),
    (
        20,
        -415,
        "BBBBBBAABB",
        "ide.ehpad",
        "Évaluation pendant l'hébergement temporaire.",
    ),
    (
        20,
        -325,
        "AABCBBBBCB",
        "medecin.ehpad",
        "Évaluation à l'entrée en hébergement permanent.",
    ),
    (
        21,
        -260,
        "CCBBBBBBCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        22,
        -241,
        "AACCCCCCCB",
        "medecin.ehpad",
        "Évaluation d'entrée, après une fracture du col du fémur.",
    ),
    (
        22,
        -60,
        "AACCBCBBCB",
        "medecin.ehpad",
        "Réévaluation après la rééducation : marche avec un déambulateur.",
    ),
    (
        23,
        -140,
        "CCCCCCCCCC",
        "medecin.ehpad",
        "Réévaluation annuelle.",
    ),
    (
        24,
        -38,
        "AABBBBBBCB",
        "ide.ehpad",
        "Évaluation à l'entrée en hébergement temporaire.",
    ),
    (
        25,
        -295,
        "BBBAAAAABA",
        "medecin.ehpad",
        "Évaluation à l'entrée en accueil de jour.",
    ),
];

/// A full AGGIR grid giving `letters` (see [`DEMO_AGGIR`]): a letter B comes from the sub-variables
/// as an evaluator would note it (toilette du haut done alone, not the bas; behaviour not always
/// adapted…), so the explanation reads like a real evaluation.
fn demo_aggir_grid(letters: &str) -> aggir::Evaluation {
    let yes = Adverbs::ALL_YES;
    let no = Adverbs::ALL_NO;
    let not_always = Adverbs {
        habituellement: false,
        ..yes
    };
    let not_correctly = Adverbs {
        correctement: false,
        habituellement: false,
        ..yes
    };
    let prompted = Adverbs {
        spontanement: false,
        ..yes
    };
    let partly = Adverbs {
        totalement: false,
        correctement: false,
        ..yes
    };
    let l: Vec<char> = letters.chars().collect();
    let at = |i: usize| l.get(i).copied().unwrap_or('A');
    let one = |i: usize, b: Adverbs| match at(i) {
        'C' => no,
        'B' => b,
        _ => yes,
    };
    // For a B, the first sub-variable is the one done alone.
    let pair = |i: usize, b: Adverbs| match at(i) {
        'C' => (no, no),
        'B' => (yes, b),
        _ => (yes, yes),
    };
    let mut e = aggir::Evaluation::uniform(yes);
    (e.coherence.communication, e.coherence.comportement) = pair(0, not_always);
    (e.orientation.espace, e.orientation.temps) = pair(1, not_correctly);
    (e.toilette.haut, e.toilette.bas) = pair(2, no);
    (e.habillage.haut, e.habillage.bas) = pair(3, no);
    e.habillage.moyen = one(3, partly);
    (e.alimentation.manger, e.alimentation.se_servir) = pair(4, partly);
    (e.elimination.fecale, e.elimination.urinaire) = pair(5, not_always);
    e.transferts = one(6, partly);
    e.deplacements_interieurs = one(7, not_correctly);
    e.deplacements_exterieurs = one(8, partly);
    e.communication_a_distance = one(9, prompted);
    // Illustrative variables: what the person still does of the daily life around them.
    let autonomous = !l.contains(&'C') && l.iter().filter(|c| **c == 'B').count() <= 3;
    let daily = if autonomous { partly } else { no };
    e.gestion = daily;
    e.cuisine = daily;
    e.menage = daily;
    e.transports = daily;
    e.achats = daily;
    e.suivi_du_traitement = if autonomous { prompted } else { no };
    e.activites_temps_libre = match (autonomous, at(0)) {
        (true, _) => yes,
        (false, 'C') => no,
        _ => partly,
    };
    e
}

/// A needs evaluation: person index, day (from today), evaluator, context, and the needs
/// (SERAFIN-PH code, level, comment).
struct DemoNeeds {
    who: u64,
    day: i64,
    by: &'static str,
    context: &'static str,
    lines: &'static [(&'static str, &'static str, &'static str)],
}

const DEMO_NEEDS: &[DemoNeeds] = &[
    DemoNeeds {
        who: 0,
        day: -80,
        by: "ide.ehpad",
        context: "Évaluation des besoins à l'entrée, avec le résident et sa famille.",
        lines: &[
            (
                "1.1.8",
                "important",
                "Se déplace en fauteuil roulant ; transferts avec l'aide d'un soignant.",
            ),
            (
                "1.1.9",
                "modere",
                "Peau fragile, risque d'escarre au sacrum (échelle de Braden : 14).",
            ),
            (
                "1.2.1.1",
                "important",
                "Aide totale pour la toilette et l'habillage ; mange seul une fois le plateau préparé.",
            ),
            (
                "1.3.4.1",
                "modere",
                "Ancien cheminot, aime raconter ; reste seul dans sa chambre l'après-midi.",
            ),
            (
                "1.1.2",
                "leger",
                "Appareillé des deux oreilles ; vérifier les piles chaque matin.",
            ),
        ],
    },
    DemoNeeds {
        who: 1,
        day: -460,
        by: "ide.ehpad",
        context: "Évaluation des besoins à l'entrée.",
        lines: &[
            (
                "1.1.10",
                "modere",
                "Diabète de type 2 sous antidiabétiques oraux ; glycémies capillaires deux fois par semaine.",
            ),
            (
                "1.2.1.1",
                "leger",
                "Aide pour laver le dos et les pieds ; s'habille seul.",
            ),
            (
                "1.3.3.4",
                "important",
                "Très attaché à son épouse, qui vit toujours au domicile ; souffre de la séparation.",
            ),
            (
                "1.3.4.1",
                "modere",
                "Aime la belote et le tiercé ; ne connaît encore personne dans l'unité.",
            ),
        ],
    },
    DemoNeeds {
        who: 3,
        day: -40,
        by: "ide.ehpad",
        context: "Réévaluation annuelle, avec la famille et la déléguée mandataire.",
        lines: &[
            (
                "1.1.1",
                "majeur",
                "Maladie d'Alzheimer évoluée : ne reconnaît plus toujours ses proches, angoisse en fin de journée.",
            ),
            (
                "1.2.1.4",
                "important",
                "Déambule et cherche la sortie en fin d'après-midi ; sécuriser sans l'enfermer.",
            ),
            (
                "1.2.1.1",
                "important",
                "Refuse parfois la toilette ; l'accepte mieux avec le même soignant, en musique.",
            ),
            (
                "1.1.6",
                "modere",
                "Perte de 3 kg en trois mois ; mange mieux avec les doigts (manger-main).",
            ),
            (
                "1.3.1.1",
                "modere",
                "Sous tutelle : informer la déléguée mandataire de toute décision importante.",
            ),
        ],
    },
    DemoNeeds {
        who: 5,
        day: -30,
        by: "ide.ehpad",
        context: "Évaluation d'entrée, après l'hospitalisation.",
        lines: &[
            (
                "1.1.6",
                "important",
                "Dénutrition modérée à la sortie de l'hôpital (albumine à 32 g/l) ; peu d'appétit.",
            ),
            (
                "1.1.8",
                "important",
                "Marche avec un déambulateur, se fatigue vite ; deux chutes à domicile avant l'hospitalisation.",
            ),
            (
                "1.2.1.1",
                "modere",
                "Fait seule la toilette du haut ; aide pour le bas et les bas de contention.",
            ),
            (
                "1.3.4.1",
                "leger",
                "Aimerait retrouver une chorale, comme dans sa paroisse.",
            ),
            (
                "1.1.1",
                "leger",
                "Moral bas depuis l'entrée ; pleure en parlant de sa maison.",
            ),
        ],
    },
    DemoNeeds {
        who: 9,
        day: -60,
        by: "ide.ehpad",
        context: "Réévaluation annuelle, avec le curateur pour la partie budget.",
        lines: &[
            (
                "1.3.5.1",
                "modere",
                "Curatelle renforcée : argent de poche remis chaque semaine, selon le budget fixé avec le curateur.",
            ),
            (
                "1.1.10",
                "modere",
                "Oublie ses traitements si on ne les lui donne pas ; insuffisance cardiaque suivie.",
            ),
            (
                "1.3.4.1",
                "important",
                "Aime sortir en ville et faire ses courses ; sorties accompagnées à organiser.",
            ),
            (
                "1.2.1.2",
                "leger",
                "Conflits avec une voisine de table ; s'apaise quand on l'écoute.",
            ),
        ],
    },
    DemoNeeds {
        who: 11,
        day: -150,
        by: "ide.ehpad",
        context: "Évaluation des besoins à l'entrée.",
        lines: &[
            (
                "1.1.5",
                "important",
                "Insuffisance respiratoire chronique, oxygène la nuit ; essoufflé à l'effort.",
            ),
            (
                "1.2.1.3",
                "modere",
                "Marche dans l'unité avec une canne ; fauteuil roulant pour les sorties.",
            ),
            (
                "1.3.4.1",
                "modere",
                "Passionné de jardinage ; voudrait s'occuper des bacs du jardin.",
            ),
            (
                "1.2.1.1",
                "modere",
                "Aide pour la douche et l'habillage du bas.",
            ),
        ],
    },
    DemoNeeds {
        who: 14,
        day: -50,
        by: "ide.ehpad",
        context: "Réévaluation annuelle, avec la personne habilitée.",
        lines: &[
            (
                "1.1.1",
                "important",
                "Troubles cognitifs (maladie à corps de Lewy) ; hallucinations visuelles le soir.",
            ),
            (
                "1.2.1.4",
                "important",
                "Déambule beaucoup, risque de chute la nuit ; lit bas et veilleuse.",
            ),
            (
                "1.2.1.2",
                "modere",
                "Parle par phrases courtes ; répond bien au toucher et à la musique.",
            ),
            (
                "1.3.3.4",
                "modere",
                "La personne habilitée vient chaque dimanche et souhaite être associée aux décisions.",
            ),
        ],
    },
    DemoNeeds {
        who: 20,
        day: -320,
        by: "ide.ehpad",
        context: "Évaluation à l'entrée en hébergement permanent.",
        lines: &[
            (
                "1.1.2",
                "important",
                "Malvoyance (DMLA) : repères de couleur dans la chambre, courrier lu à voix haute.",
            ),
            (
                "1.2.1.3",
                "modere",
                "Se déplace seule dans l'unité en suivant la main courante.",
            ),
            (
                "1.3.4.1",
                "modere",
                "Aime la radio et les jeux de mots ; participe à l'atelier mémoire.",
            ),
        ],
    },
    DemoNeeds {
        who: 32,
        day: -45,
        by: "psy.ditep",
        context: "Évaluation des besoins pour le projet, avec le jeune et ses parents.",
        lines: &[
            (
                "1.2.1.2",
                "important",
                "Passages à l'acte quand il se sent humilié ; commence à demander à sortir avant d'exploser.",
            ),
            (
                "1.3.3.1",
                "important",
                "Scolarité en ULIS à temps partiel ; décroche l'après-midi.",
            ),
            (
                "1.3.3.2",
                "modere",
                "Veut travailler dans la mécanique ; aucune expérience de stage.",
            ),
            (
                "1.1.1",
                "modere",
                "Anxiété et troubles du sommeil ; suivi au CMP.",
            ),
            (
                "1.3.4.2",
                "leger",
                "Prend le bus seul sur un trajet connu ; se perd sur un trajet nouveau.",
            ),
        ],
    },
    DemoNeeds {
        who: 35,
        day: -70,
        by: "educ.sessad",
        context: "Évaluation des besoins, avec la jeune fille et sa mère.",
        lines: &[
            (
                "1.1.1",
                "important",
                "Crises d'angoisse, refus scolaire anxieux depuis la rentrée.",
            ),
            (
                "1.3.3.1",
                "important",
                "Va au collège deux demi-journées par semaine seulement.",
            ),
            (
                "1.2.1.2",
                "modere",
                "Peu d'amies ; se sent moquée en classe.",
            ),
            (
                "1.3.3.4",
                "modere",
                "Mère seule, épuisée, qui demande du soutien.",
            ),
        ],
    },
    DemoNeeds {
        who: 37,
        day: -60,
        by: "educ.sessad",
        context: "Évaluation des besoins, avec l'assistante familiale et la référente ASE.",
        lines: &[
            (
                "1.2.1.2",
                "important",
                "Colères violentes à l'école et chez l'assistante familiale ; frappe quand on lui dit non.",
            ),
            (
                "1.3.3.4",
                "important",
                "Visites médiatisées avec sa mère une fois par mois ; très agité après chaque visite.",
            ),
            (
                "1.3.3.1",
                "important",
                "Scolarisé le matin seulement ; exclu deux fois ce trimestre.",
            ),
            (
                "1.3.3.3",
                "modere",
                "Lecture hésitante ; aime les maths et les jeux de construction.",
            ),
        ],
    },
    DemoNeeds {
        who: 38,
        day: -400,
        by: "psy.ditep",
        context: "Évaluation des besoins pour le projet, avec le jeune homme et ses parents.",
        lines: &[
            (
                "1.3.3.2",
                "important",
                "Orientation ESAT notifiée ; veut travailler à la blanchisserie ou aux espaces verts.",
            ),
            (
                "1.3.2.1",
                "modere",
                "N'a jamais vécu ailleurs qu'à l'internat et chez ses parents ; cuisine et linge à apprendre.",
            ),
            (
                "1.2.1.2",
                "modere",
                "Se met en retrait dans un groupe inconnu ; fiable avec les adultes qu'il connaît.",
            ),
            (
                "1.3.5.1",
                "modere",
                "Ne sait pas encore gérer un budget ; demande d'AAH à préparer avec la famille.",
            ),
        ],
    },
    DemoNeeds {
        who: 40,
        day: -120,
        by: "educ.internat",
        context: "Évaluation des besoins, avec l'enfant et ses parents.",
        lines: &[
            (
                "1.2.1.2",
                "important",
                "S'oppose à l'adulte, insulte ; très inquiète de mal faire.",
            ),
            (
                "1.3.3.1",
                "important",
                "En grande difficulté en classe ; scolarité partagée avec l'unité d'enseignement.",
            ),
            (
                "1.1.4",
                "modere",
                "Troubles du langage oral ; bilan orthophonique demandé.",
            ),
            (
                "1.2.1.1",
                "leger",
                "Endormissement difficile, fatiguée le matin.",
            ),
        ],
    },
    DemoNeeds {
        who: 44,
        day: -85,
        by: "educ.internat",
        context: "Réévaluation après le passage en semi-internat.",
        lines: &[
            (
                "1.3.3.4",
                "important",
                "Rentre chaque soir au domicile : soutenir les parents pour les routines du soir.",
            ),
            (
                "1.2.1.2",
                "modere",
                "Moins de conflits depuis qu'elle rentre chez elle le soir.",
            ),
            ("1.3.3.1", "modere", "Inclusion à l'école le matin."),
        ],
    },
    DemoNeeds {
        who: 45,
        day: -30,
        by: "psy.ditep",
        context: "Évaluation des besoins, avec la jeune fille et ses parents.",
        lines: &[
            (
                "1.1.1",
                "important",
                "Troubles de l'attention, impulsivité ; traitement suivi par le pédopsychiatre.",
            ),
            (
                "1.3.3.1",
                "modere",
                "En classe ordinaire avec une AESH ; devoirs difficiles à la maison.",
            ),
            (
                "1.3.4.1",
                "leger",
                "Fait du judo le mercredi et veut continuer.",
            ),
        ],
    },
    DemoNeeds {
        who: 52,
        day: -80,
        by: "educ.internat",
        context: "Évaluation des besoins, avec le jeune et ses parents.",
        lines: &[
            (
                "1.3.3.2",
                "important",
                "Stage de découverte aux espaces verts de l'ESAT : motivé, à poursuivre.",
            ),
            (
                "1.3.4.2",
                "modere",
                "Apprend le trajet en tram jusqu'à Vénissieux.",
            ),
            (
                "1.2.1.4",
                "modere",
                "Fugues de l'internat l'an dernier ; aucune depuis six mois.",
            ),
            (
                "1.3.3.3",
                "modere",
                "Lit couramment ; le calcul reste difficile (argent, heure).",
            ),
        ],
    },
];

/// An objective of a projet: title, the needs it addresses (SERAFIN-PH codes, imported from the
/// needs evaluation), échéance (days from today), expected result, référent, the person's opinion,
/// and its actions.
struct DemoObjectif {
    titre: &'static str,
    besoins: &'static [&'static str],
    days: i64,
    resultat: &'static str,
    referent: &'static str,
    avis: &'static str,
    actions: &'static [DemoAction],
}

/// An action: label, means, référent, SERAFIN-PH prestations (2.x).
struct DemoAction {
    libelle: &'static str,
    moyens: &'static str,
    referent: &'static str,
    prestations: &'static [&'static str],
}

/// A bilan: one (result, comment) per objective in order, the synthesis (`{nom}`: « M. NOM » or
/// « Mme NOM », `{prenom}`: the first name), the next bilan (days from today).
struct DemoBilan {
    resultats: &'static [(&'static str, &'static str)],
    synthese: &'static str,
    next: i64,
}

/// An avenant: its reason, the needs evaluation that led to it, and what it adds.
struct DemoAvenant {
    reason: &'static str,
    needs: DemoNeeds,
    attentes: &'static [(&'static str, &'static str)],
    objectifs: &'static [DemoObjectif],
}

enum DemoStage {
    /// Just arrived: the attentes only.
    Recueil,
    /// Being written, nothing signed yet.
    Preparation,
    /// Agreed and running, perhaps with a bilan.
    EnCours(Option<DemoBilan>),
    /// Running, then paused (note: `{date}` is today).
    EnPause(&'static str),
    /// Running, reviewed, then replaced by an avenant.
    Avenant(DemoBilan, DemoAvenant),
}

/// A projet personnalisé: person index, type, attentes (origin, the words as said), objectives,
/// participants (who: `@personne`, `@relation` for a member of the entourage, or a name; role;
/// contribution), stage.
struct DemoProjet {
    who: u64,
    kind: &'static str,
    attentes: &'static [(&'static str, &'static str)],
    objectifs: &'static [DemoObjectif],
    participants: &'static [(&'static str, &'static str, &'static str)],
    stage: DemoStage,
}

const DEMO_PROJETS: &[DemoProjet] = &[
    DemoProjet {
        who: 0,
        kind: "PPA",
        attentes: &[
            (
                "personne",
                "Je veux qu'on me lève tous les jours. Je ne veux pas rester couché comme un malade.",
            ),
            (
                "personne",
                "J'aimerais encore raconter mes histoires de trains à quelqu'un qui les écoute.",
            ),
            (
                "famille",
                "Que papa ne reste pas seul dans sa chambre tout l'après-midi.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Être levé et installé au fauteuil chaque jour",
                besoins: &["1.1.8", "1.1.9", "1.2.1.1"],
                days: 180,
                resultat: "Levé au moins six jours sur sept, sans rougeur de la peau.",
                referent: "Karim Haddad",
                avis: "D'accord, mais pas avant neuf heures.",
                actions: &[
                    DemoAction {
                        libelle: "Lever après le petit-déjeuner et installation au fauteuil",
                        moyens: "Deux soignants, verticalisateur, coussin à air.",
                        referent: "Karim Haddad",
                        prestations: &["2.2.1", "2.1.1.2"],
                    },
                    DemoAction {
                        libelle: "Prévention des escarres : changements de position, surveillance de la peau",
                        moyens: "Matelas à air, échelle de Braden chaque mois.",
                        referent: "Julie Moreau",
                        prestations: &["2.1.1.2"],
                    },
                ],
            },
            DemoObjectif {
                titre: "Garder une vie sociale l'après-midi",
                besoins: &["1.3.4.1", "1.1.2"],
                days: 180,
                resultat: "Deux animations par semaine ; une rencontre avec l'amicale des cheminots.",
                referent: "Karim Haddad",
                avis: "Si on me met devant, pour entendre.",
                actions: &[
                    DemoAction {
                        libelle: "Atelier « souvenirs du rail » un jeudi sur deux",
                        moyens: "Animatrice ; photos et revues apportées par la famille.",
                        referent: "L'animatrice",
                        prestations: &["2.3.4.2", "2.2.2"],
                    },
                    DemoAction {
                        libelle: "Vérifier les appareils auditifs chaque matin",
                        moyens: "Piles de rechange au poste de soins.",
                        referent: "Julie Moreau",
                        prestations: &["2.2.2"],
                    },
                ],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A dit ce qu'il voulait, dans sa chambre, en deux fois pour ne pas le fatiguer.",
            ),
            ("@enfant", "famille", "Présente à la réunion de projet."),
            (
                "Karim Haddad",
                "professionnel",
                "Aide-soignant référent : a recueilli les attentes.",
            ),
            ("Julie Moreau", "professionnel", "Infirmière."),
        ],
        stage: DemoStage::EnCours(Some(DemoBilan {
            resultats: &[
                (
                    "partiellement_atteint",
                    "Levé cinq jours sur sept ; refuse le jour de la douche.",
                ),
                (
                    "atteint",
                    "Vient à l'atelier et a montré ses photos au groupe.",
                ),
            ],
            synthese: "{nom} apprécie d'être levé et de retrouver le groupe l'après-midi. La peau est saine. Les objectifs sont gardés ; une sortie à la gare de la Part-Dieu est prévue avec sa famille.",
            next: 180,
        })),
    },
    DemoProjet {
        who: 1,
        kind: "PPA",
        attentes: &[
            (
                "personne",
                "Voir ma femme tous les jours. Elle vient l'après-midi, je veux être prêt quand elle arrive.",
            ),
            (
                "personne",
                "Jouer à la belote, et qu'on me laisse mon journal le matin.",
            ),
            (
                "famille",
                "Qu'il fasse attention au sucre, comme le docteur a dit, mais sans le priver de tout.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Garder le lien avec son épouse",
                besoins: &["1.3.3.4"],
                days: 240,
                resultat: "Visites chaque jour ; un repas partagé chaque semaine.",
                referent: "Fatou Diallo",
                avis: "Le dimanche midi, c'est le mieux.",
                actions: &[DemoAction {
                    libelle: "Repas avec son épouse le dimanche midi, en salle des familles",
                    moyens: "Salle réservée, repas commandé la veille.",
                    referent: "Fatou Diallo",
                    prestations: &["2.3.4.1"],
                }],
            },
            DemoObjectif {
                titre: "Trouver sa place dans l'unité",
                besoins: &["1.3.4.1"],
                days: 240,
                resultat: "Une partie de belote deux fois par semaine avec d'autres résidents.",
                referent: "Fatou Diallo",
                avis: "S'il y a des joueurs sérieux.",
                actions: &[DemoAction {
                    libelle: "Club de belote le mardi et le vendredi",
                    moyens: "Animatrice, salle d'activités.",
                    referent: "L'animatrice",
                    prestations: &["2.3.4.2"],
                }],
            },
            DemoObjectif {
                titre: "Équilibrer son diabète",
                besoins: &["1.1.10"],
                days: 240,
                resultat: "Glycémies dans les objectifs fixés par le médecin traitant.",
                referent: "Julie Moreau",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Surveillance des glycémies et soins des pieds",
                    moyens: "Glycémies capillaires deux fois par semaine, pédicure tous les deux mois.",
                    referent: "Julie Moreau",
                    prestations: &["2.1.1.2", "2.1.1.1"],
                }],
            },
        ],
        participants: &[
            ("@personne", "usager", "A choisi les activités."),
            ("@conjoint", "famille", "Présente à chaque réunion."),
            (
                "Fatou Diallo",
                "professionnel",
                "Accompagnante éducative et sociale référente.",
            ),
        ],
        stage: DemoStage::Avenant(
            DemoBilan {
                resultats: &[
                    (
                        "atteint",
                        "Son épouse vient chaque jour ; le repas du dimanche est un rendez-vous attendu.",
                    ),
                    (
                        "partiellement_atteint",
                        "Jouait le mardi ; ne descend plus depuis sa chute.",
                    ),
                    ("atteint", "Glycémies stables."),
                ],
                synthese: "La chute du mois dernier (fracture du poignet droit) a réduit l'autonomie de {nom} pour la toilette et l'habillage, et il a peur de marcher : la réévaluation AGGIR passe du GIR 4 au GIR 3. Un avenant ajoute la prévention des chutes et la rééducation.",
                next: 90,
            },
            DemoAvenant {
                reason: "Chute avec fracture du poignet : ajout de la prévention des chutes et de la rééducation, après la réévaluation des besoins.",
                needs: DemoNeeds {
                    who: 1,
                    day: -18,
                    by: "ide.ehpad",
                    context: "Réévaluation après la chute du mois dernier (fracture du poignet droit).",
                    lines: &[
                        (
                            "1.1.8",
                            "important",
                            "Chute dans la salle de bains ; marche avec un déambulateur, peur de retomber.",
                        ),
                        (
                            "1.1.3",
                            "modere",
                            "Douleur du poignet quand on le mobilise (4 sur 10) ; antalgiques simples.",
                        ),
                        (
                            "1.2.1.1",
                            "important",
                            "Aide pour la toilette et l'habillage du haut tant que le poignet est immobilisé.",
                        ),
                        (
                            "1.1.10",
                            "modere",
                            "Diabète équilibré ; glycémies deux fois par semaine.",
                        ),
                        ("1.3.3.4", "important", "Son épouse vient chaque jour."),
                        (
                            "1.3.4.1",
                            "modere",
                            "Ne descend plus aux animations depuis la chute.",
                        ),
                    ],
                },
                attentes: &[(
                    "personne",
                    "J'ai peur de retomber. Mais je ne veux pas finir dans un fauteuil.",
                )],
                objectifs: &[
                    DemoObjectif {
                        titre: "Remarcher en sécurité dans l'unité",
                        besoins: &["1.1.8", "1.1.3"],
                        days: 120,
                        resultat: "Va seul à la salle à manger avec son déambulateur, sans chute.",
                        referent: "Fatou Diallo",
                        avis: "Je veux y arriver pour le mariage de mon petit-fils.",
                        actions: &[
                            DemoAction {
                                libelle: "Kinésithérapie deux fois par semaine : marche, équilibre, se relever du sol",
                                moyens: "Kinésithérapeute libéral, déambulateur.",
                                referent: "Julie Moreau",
                                prestations: &["2.1.2.1"],
                            },
                            DemoAction {
                                libelle: "Évaluer la douleur à chaque soin ; antalgique avant la kinésithérapie",
                                moyens: "Échelle numérique, protocole du médecin coordonnateur.",
                                referent: "Julie Moreau",
                                prestations: &["2.1.1.2", "2.1.1.1"],
                            },
                        ],
                    },
                    DemoObjectif {
                        titre: "Refaire seul sa toilette du haut",
                        besoins: &["1.2.1.1"],
                        days: 90,
                        resultat: "Toilette du haut faite seul après la consolidation du poignet.",
                        referent: "Fatou Diallo",
                        avis: "",
                        actions: &[DemoAction {
                            libelle: "Aide à la toilette et à l'habillage du haut, en le laissant faire ce qu'il peut",
                            moyens: "Toilette au lavabo, vêtements amples.",
                            referent: "Fatou Diallo",
                            prestations: &["2.2.1"],
                        }],
                    },
                ],
            },
        ),
    },
    DemoProjet {
        who: 3,
        kind: "PPA",
        attentes: &[
            ("personne", "Je veux rentrer chez moi. Ma mère m'attend."),
            ("personne", "J'aime bien quand on chante."),
            (
                "representant",
                "Qu'il puisse marcher librement, sans contention, et que je sois prévenue de tout changement de traitement.",
            ),
            (
                "famille",
                "Papa aimait son jardin et les chansons de Brassens.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Marcher librement et en sécurité",
                besoins: &["1.2.1.4", "1.1.1"],
                days: 180,
                resultat: "Aucune sortie seul de l'unité ; il marche librement dans le jardin clos.",
                referent: "Fatou Diallo",
                avis: "",
                actions: &[
                    DemoAction {
                        libelle: "Jardin clos ouvert de 14 h à 17 h, tour du jardin avec un soignant en fin de journée",
                        moyens: "Digicode de l'unité, soignant disponible à 17 h.",
                        referent: "Fatou Diallo",
                        prestations: &["2.2.3"],
                    },
                    DemoAction {
                        libelle: "Chant le mercredi, musique à l'heure où l'angoisse monte",
                        moyens: "Liste de chansons préparée avec la famille (Brassens, Trenet).",
                        referent: "L'animatrice",
                        prestations: &["2.2.2", "2.3.4.2"],
                    },
                ],
            },
            DemoObjectif {
                titre: "Une toilette acceptée, sans conflit",
                besoins: &["1.2.1.1"],
                days: 120,
                resultat: "Toilette faite au moins quatre jours sur cinq sans opposition.",
                referent: "Fatou Diallo",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Toilette par le même soignant, en fin de matinée, en musique",
                    moyens: "Planning adapté.",
                    referent: "Fatou Diallo",
                    prestations: &["2.2.1"],
                }],
            },
            DemoObjectif {
                titre: "Reprendre du poids",
                besoins: &["1.1.6"],
                days: 180,
                resultat: "Poids stable, puis 2 kg de plus en six mois.",
                referent: "Julie Moreau",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Manger-main, repas enrichis, pesée chaque mois",
                    moyens: "Menus adaptés avec la cuisine, avis de la diététicienne.",
                    referent: "Julie Moreau",
                    prestations: &["2.1.1.2", "2.2.1"],
                }],
            },
            DemoObjectif {
                titre: "Associer la tutrice aux décisions",
                besoins: &["1.3.1.1"],
                days: 365,
                resultat: "La déléguée mandataire est informée de tout changement de traitement ou d'organisation.",
                referent: "Marc Dubois",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Compte rendu à la déléguée mandataire après chaque réunion ; appel en cas de changement",
                    moyens: "Courriel et téléphone.",
                    referent: "Marc Dubois",
                    prestations: &["2.3.5.3"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "Rencontré dans sa chambre et au jardin ; ses mots sont notés tels qu'il les a dits.",
            ),
            (
                "@mandataire",
                "representant",
                "Déléguée mandataire (tutelle) : a signé le projet.",
            ),
            (
                "@enfant",
                "famille",
                "A raconté ses habitudes et ses goûts.",
            ),
            ("Fatou Diallo", "professionnel", "AES référente."),
        ],
        stage: DemoStage::EnCours(None),
    },
    DemoProjet {
        who: 5,
        kind: "PPA",
        attentes: &[
            (
                "personne",
                "Reprendre des forces. À l'hôpital je ne mangeais rien.",
            ),
            (
                "personne",
                "Je voudrais chanter de nouveau. J'étais à la chorale de ma paroisse.",
            ),
            (
                "famille",
                "Qu'elle ne tombe plus. On avait peur chaque nuit.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Reprendre du poids et des forces",
                besoins: &["1.1.6"],
                days: 90,
                resultat: "2 kg de plus en trois mois.",
                referent: "Julie Moreau",
                avis: "Si c'est bon, je mange.",
                actions: &[DemoAction {
                    libelle: "Repas enrichis et goûter à 16 h, pesée chaque semaine",
                    moyens: "Compléments nutritionnels, fiche de suivi alimentaire.",
                    referent: "Julie Moreau",
                    prestations: &["2.1.1.2", "2.2.1"],
                }],
            },
            // No action yet: the projet is still being written.
            DemoObjectif {
                titre: "Se déplacer sans tomber",
                besoins: &["1.1.8"],
                days: 120,
                resultat: "Aucune chute ; marche jusqu'au salon avec son déambulateur.",
                referent: "Fatou Diallo",
                avis: "",
                actions: &[],
            },
        ],
        participants: &[],
        stage: DemoStage::Preparation,
    },
    DemoProjet {
        who: 7,
        kind: "PPA",
        attentes: &[
            (
                "personne",
                "Je ne sais pas encore. Je voudrais qu'on frappe avant d'entrer dans ma chambre.",
            ),
            (
                "personne",
                "Le matin je me lève tard, j'ai toujours été comme ça.",
            ),
            (
                "famille",
                "Maman a toujours fait ses mots croisés, il faudrait qu'elle puisse continuer.",
            ),
        ],
        objectifs: &[],
        participants: &[],
        stage: DemoStage::Recueil,
    },
    DemoProjet {
        who: 9,
        kind: "PPA",
        attentes: &[
            (
                "personne",
                "Je veux aller en ville toute seule, je ne suis pas une enfant.",
            ),
            (
                "personne",
                "Avoir mon argent pour le coiffeur et mes magazines.",
            ),
            ("personne", "Ne plus être à table avec la dame qui crie."),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Sortir en ville régulièrement",
                besoins: &["1.3.4.1"],
                days: 180,
                resultat: "Une sortie accompagnée chaque semaine, puis des sorties seule en journée si tout se passe bien.",
                referent: "Fatou Diallo",
                avis: "Une par semaine, c'est un début.",
                actions: &[DemoAction {
                    libelle: "Sortie accompagnée au marché de la place Guichard le samedi matin",
                    moyens: "Bénévole de l'association, téléphone portable.",
                    referent: "Fatou Diallo",
                    prestations: &["2.3.4.2", "2.3.4.3"],
                }],
            },
            DemoObjectif {
                titre: "Gérer son argent de poche",
                besoins: &["1.3.5.1"],
                days: 180,
                resultat: "Argent de poche remis chaque lundi ; carnet de dépenses tenu avec elle.",
                referent: "Marc Dubois",
                avis: "Le lundi, d'accord.",
                actions: &[DemoAction {
                    libelle: "Argent de poche remis chaque lundi ; point chaque mois avec le curateur",
                    moyens: "Carnet de dépenses, budget fixé avec le curateur.",
                    referent: "Marc Dubois",
                    prestations: &["2.3.5.2", "2.3.5.3"],
                }],
            },
            DemoObjectif {
                titre: "Prendre son traitement chaque jour",
                besoins: &["1.1.10"],
                days: 180,
                resultat: "Aucun oubli de traitement ; poids suivi chaque semaine.",
                referent: "Julie Moreau",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Médicaments donnés par l'infirmière ; pesée le lundi",
                    moyens: "Piluliers préparés par la pharmacie, balance de l'unité.",
                    referent: "Julie Moreau",
                    prestations: &["2.1.1.2", "2.1.1.4"],
                }],
            },
            DemoObjectif {
                titre: "Des repas au calme",
                besoins: &["1.2.1.2"],
                days: 60,
                resultat: "Plus de dispute pendant les repas.",
                referent: "Fatou Diallo",
                avis: "Près de la fenêtre, si possible.",
                actions: &[DemoAction {
                    libelle: "Nouvelle place à table, avec deux résidentes choisies avec elle",
                    moyens: "Plan de table de la salle à manger.",
                    referent: "Fatou Diallo",
                    prestations: &["2.2.2"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A relu le projet avec l'AES avant de le signer.",
            ),
            (
                "@mandataire",
                "partenaire",
                "Curateur (curatelle renforcée) : présent pour la partie budget.",
            ),
            (
                "@enfant",
                "famille",
                "Vient chaque dimanche ; a aidé à choisir les sorties.",
            ),
            ("Fatou Diallo", "professionnel", "AES référente."),
            ("Julie Moreau", "professionnel", "Infirmière."),
        ],
        stage: DemoStage::EnCours(None),
    },
    DemoProjet {
        who: 11,
        kind: "PPA",
        attentes: &[
            (
                "personne",
                "M'occuper des plantes. J'ai eu un jardin toute ma vie.",
            ),
            (
                "personne",
                "Qu'on me laisse la fenêtre entrouverte la nuit, sinon j'étouffe.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Jardiner avec l'atelier jardin",
                besoins: &["1.3.4.1", "1.2.1.3"],
                days: 180,
                resultat: "S'occupe des bacs du jardin deux matinées par semaine.",
                referent: "Fatou Diallo",
                avis: "Et des tomates l'été prochain.",
                actions: &[DemoAction {
                    libelle: "Atelier jardin le mardi et le jeudi matin",
                    moyens: "Bacs surélevés, oxygène portable.",
                    referent: "L'animatrice",
                    prestations: &["2.3.4.2"],
                }],
            },
            DemoObjectif {
                titre: "Mieux respirer au quotidien",
                besoins: &["1.1.5"],
                days: 180,
                resultat: "Pas d'hospitalisation pour une décompensation ; oxygène bien porté la nuit.",
                referent: "Julie Moreau",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Surveillance de la saturation, oxygène la nuit, kinésithérapie respiratoire",
                    moyens: "Oxymètre, concentrateur d'oxygène, kinésithérapeute libéral.",
                    referent: "Julie Moreau",
                    prestations: &["2.1.1.2", "2.1.2.1"],
                }],
            },
            DemoObjectif {
                titre: "Une douche sans s'épuiser",
                besoins: &["1.2.1.1"],
                days: 90,
                resultat: "Douche deux fois par semaine sans essoufflement.",
                referent: "Fatou Diallo",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Douche assise deux fois par semaine, aide pour le bas",
                    moyens: "Siège de douche, oxygène pendant la douche.",
                    referent: "Fatou Diallo",
                    prestations: &["2.2.1"],
                }],
            },
        ],
        participants: &[
            ("@personne", "usager", "A participé à la réunion de projet."),
            ("@enfant", "famille", "Présent à la réunion."),
            ("Fatou Diallo", "professionnel", "AES référente."),
        ],
        stage: DemoStage::EnPause(
            "Hospitalisé le {date} au centre hospitalier Lyon-Est (décompensation respiratoire) : le projet est suspendu jusqu'à son retour, la chambre est gardée.",
        ),
    },
    DemoProjet {
        who: 14,
        kind: "PPA",
        attentes: &[
            ("personne", "Je veux marcher. Marcher, c'est tout."),
            ("personne", "La musique, oui. L'accordéon."),
            (
                "representant",
                "Que papa soit calme le soir, et qu'on m'appelle s'il tombe.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Marcher sans tomber, de jour comme de nuit",
                besoins: &["1.2.1.4"],
                days: 180,
                resultat: "Aucune chute grave ; lit bas et veilleuse en place.",
                referent: "Karim Haddad",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Lit bas, tapis au sol, veilleuse ; passage à 2 h et à 5 h",
                    moyens: "Lit à hauteur variable, tapis de chute.",
                    referent: "Karim Haddad",
                    prestations: &["2.2.3", "2.1.1.2"],
                }],
            },
            DemoObjectif {
                titre: "Des soirées apaisées",
                besoins: &["1.1.1", "1.2.1.2"],
                days: 120,
                resultat: "Moins d'hallucinations angoissantes ; endormi avant 23 h.",
                referent: "Karim Haddad",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Accordéon et présence d'un soignant après le dîner ; avis du médecin coordonnateur sur le traitement",
                    moyens: "Enceinte dans la chambre, musiques choisies par la famille.",
                    referent: "Dr Paul Lefèvre",
                    prestations: &["2.2.2", "2.1.1.1"],
                }],
            },
            DemoObjectif {
                titre: "Associer la famille",
                besoins: &["1.3.3.4"],
                days: 365,
                resultat: "Un point téléphonique chaque mois avec la personne habilitée.",
                referent: "Julie Moreau",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Appel de l'infirmière chaque mois et compte rendu après chaque réunion",
                    moyens: "Téléphone, courriel.",
                    referent: "Julie Moreau",
                    prestations: &["2.3.4.1"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "Présent au début de la réunion ; a dit ce qu'il aimait.",
            ),
            (
                "@enfant",
                "representant",
                "Personne habilitée (habilitation familiale) : a signé le projet.",
            ),
            ("Karim Haddad", "professionnel", "Aide-soignant référent."),
            ("Dr Paul Lefèvre", "professionnel", "Médecin coordonnateur."),
        ],
        stage: DemoStage::EnCours(None),
    },
    DemoProjet {
        who: 32,
        kind: "PPI",
        attentes: &[
            (
                "personne",
                "Je veux faire un stage dans un garage, pas rester en classe toute la journée.",
            ),
            (
                "personne",
                "Quand je m'énerve, je veux qu'on me laisse sortir cinq minutes, pas qu'on me crie dessus.",
            ),
            (
                "famille",
                "Qu'il trouve un métier et qu'il arrête de se battre.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Trouver un stage en mécanique",
                besoins: &["1.3.3.2"],
                days: 150,
                resultat: "Un stage de deux semaines dans un garage avant l'été.",
                referent: "Thomas Petit",
                avis: "Un garage de motos, ce serait le mieux.",
                actions: &[DemoAction {
                    libelle: "Recherche de stage avec l'éducateur : CV, appels, visite de deux garages",
                    moyens: "Ordinateur de l'internat, trajets en bus accompagnés.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.3.2"],
                }],
            },
            DemoObjectif {
                titre: "Demander une pause au lieu d'exploser",
                besoins: &["1.2.1.2", "1.1.1"],
                days: 120,
                resultat: "Utilise la carte de pause ; moins de deux passages à l'acte par mois.",
                referent: "Élise Fontaine",
                avis: "La carte, d'accord, mais pas devant les autres.",
                actions: &[
                    DemoAction {
                        libelle: "Entretiens avec la psychologue tous les quinze jours",
                        moyens: "Bureau de la psychologue, le mardi.",
                        referent: "Élise Fontaine",
                        prestations: &["2.1.1.3"],
                    },
                    DemoAction {
                        libelle: "Carte de pause convenue avec l'enseignante de l'ULIS",
                        moyens: "Carte discrète, lieu de retour au calme.",
                        referent: "Thomas Petit",
                        prestations: &["2.3.3.1", "2.2.2"],
                    },
                ],
            },
            DemoObjectif {
                titre: "Tenir en classe l'après-midi",
                besoins: &["1.3.3.1"],
                days: 150,
                resultat: "Présent tous les après-midi prévus à son emploi du temps.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Emploi du temps aménagé : atelier mécanique de l'unité d'enseignement le jeudi après-midi",
                    moyens: "Atelier de l'unité d'enseignement.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.3.1"],
                }],
            },
        ],
        participants: &[
            ("@personne", "usager", "A écrit ses attentes lui-même."),
            ("@mere", "famille", "Présente à la réunion."),
            ("@pere", "famille", "Par téléphone."),
            ("Thomas Petit", "professionnel", "Éducateur référent."),
            ("Élise Fontaine", "professionnel", "Psychologue."),
        ],
        stage: DemoStage::EnCours(Some(DemoBilan {
            resultats: &[
                (
                    "partiellement_atteint",
                    "Deux garages contactés ; un rendez-vous obtenu.",
                ),
                (
                    "partiellement_atteint",
                    "Utilise la carte de pause ; encore trois passages à l'acte ce trimestre.",
                ),
                ("atteint", "Présent tous les jeudis après-midi."),
            ],
            synthese: "{prenom} s'investit dans son projet de stage et la gestion de la colère progresse. Un bilan intermédiaire est prévu dans trois semaines, après le rendez-vous au garage, pour décider du stage.",
            next: 21,
        })),
    },
    DemoProjet {
        who: 35,
        kind: "PPI",
        attentes: &[
            (
                "personne",
                "Je veux plus avoir mal au ventre le matin avant le collège.",
            ),
            ("personne", "J'aimerais avoir une copine dans ma classe."),
            (
                "famille",
                "Qu'elle retourne au collège, même un peu, et que je sois moins seule pour gérer.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Retourner peu à peu au collège",
                besoins: &["1.3.3.1", "1.1.1"],
                days: 120,
                resultat: "Trois demi-journées par semaine au collège à la fin du trimestre.",
                referent: "Camille Roux",
                avis: "D'accord, si je peux partir quand ça va pas.",
                actions: &[
                    DemoAction {
                        libelle: "Accompagnement au collège le matin ; lieu refuge au CDI",
                        moyens: "Éducatrice du SESSAD, accord avec le principal.",
                        referent: "Camille Roux",
                        prestations: &["2.3.3.1"],
                    },
                    DemoAction {
                        libelle: "Séance avec la psychologue chaque semaine",
                        moyens: "Au SESSAD, le mercredi.",
                        referent: "Élise Fontaine",
                        prestations: &["2.1.1.3"],
                    },
                ],
            },
            DemoObjectif {
                titre: "Se faire des amies",
                besoins: &["1.2.1.2"],
                days: 180,
                resultat: "Participe au groupe du mercredi ; une sortie avec une camarade.",
                referent: "Camille Roux",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Groupe « habiletés sociales » du SESSAD le mercredi",
                    moyens: "Groupe de cinq jeunes, deux animatrices.",
                    referent: "Camille Roux",
                    prestations: &["2.2.2"],
                }],
            },
            DemoObjectif {
                titre: "Soutenir sa mère",
                besoins: &["1.3.3.4"],
                days: 180,
                resultat: "Un entretien familial chaque mois.",
                referent: "Camille Roux",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Entretien familial chaque mois, au domicile",
                    moyens: "Éducatrice et psychologue.",
                    referent: "Camille Roux",
                    prestations: &["2.3.3.5"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A choisi les objectifs avec l'éducatrice.",
            ),
            ("@mere", "famille", "A signé le projet."),
            (
                "Camille Roux",
                "professionnel",
                "Éducatrice référente (SESSAD).",
            ),
            ("Élise Fontaine", "professionnel", "Psychologue."),
        ],
        stage: DemoStage::EnPause(
            "Hospitalisation de jour en pédopsychiatrie pour six semaines à partir du {date} : l'accompagnement du SESSAD est suspendu à la demande de l'équipe de soins ; le lien avec la famille est gardé par téléphone.",
        ),
    },
    DemoProjet {
        who: 37,
        kind: "PPI",
        attentes: &[
            (
                "personne",
                "Je veux plus être puni tout le temps à l'école.",
            ),
            ("personne", "Je veux voir ma maman plus souvent."),
            (
                "famille",
                "Qu'il arrive à dire ce qui ne va pas avant de taper.",
            ),
            (
                "professionnel",
                "Préparer les visites avec sa mère pour qu'elles se passent mieux (référente ASE).",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Dire sa colère avec des mots",
                besoins: &["1.2.1.2"],
                days: 150,
                resultat: "Moins de deux exclusions par trimestre.",
                referent: "Camille Roux",
                avis: "Je veux bien essayer le coin calme.",
                actions: &[
                    DemoAction {
                        libelle: "Coin calme et « météo des émotions » en classe et chez l'assistante familiale",
                        moyens: "Affiche des émotions, coussin et casque anti-bruit.",
                        referent: "Camille Roux",
                        prestations: &["2.2.2"],
                    },
                    DemoAction {
                        libelle: "Psychomotricité chaque semaine",
                        moyens: "Psychomotricienne du DITEP.",
                        referent: "Camille Roux",
                        prestations: &["2.1.2.1"],
                    },
                ],
            },
            DemoObjectif {
                titre: "Des visites avec sa mère mieux préparées",
                besoins: &["1.3.3.4"],
                days: 180,
                resultat: "Visites sans crise au retour.",
                referent: "Camille Roux",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Préparer et reprendre chaque visite avec l'éducatrice ; synthèse chaque trimestre avec l'ASE",
                    moyens: "Entretien avant et après la visite.",
                    referent: "Camille Roux",
                    prestations: &["2.3.3.5", "2.4.1"],
                }],
            },
            DemoObjectif {
                titre: "Lire avec plaisir",
                besoins: &["1.3.3.3", "1.3.3.1"],
                days: 240,
                resultat: "Lit seul une courte histoire.",
                referent: "Camille Roux",
                avis: "Avec des livres de Lego.",
                actions: &[DemoAction {
                    libelle: "Soutien à la lecture deux fois par semaine",
                    moyens: "Livres choisis avec lui, jeux de construction.",
                    referent: "Camille Roux",
                    prestations: &["2.3.3.1"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A dessiné ce qu'il voulait pour son projet.",
            ),
            (
                "@mere",
                "famille",
                "A signé le projet (autorité parentale).",
            ),
            (
                "@famille_accueil",
                "famille",
                "Assistante familiale : vit avec lui au quotidien.",
            ),
            (
                "Karine LOPEZ",
                "partenaire",
                "Référente ASE : présente à la synthèse.",
            ),
            ("Camille Roux", "professionnel", "Éducatrice référente."),
        ],
        stage: DemoStage::EnCours(None),
    },
    DemoProjet {
        who: 38,
        kind: "PPI",
        attentes: &[
            (
                "personne",
                "Je veux travailler à la blanchisserie de l'ESAT. J'aime quand c'est bien rangé.",
            ),
            (
                "personne",
                "Plus tard, avoir mon appartement. Mais pas tout de suite.",
            ),
            (
                "famille",
                "Qu'il soit prêt à vivre au foyer : faire ses lessives, prendre le tram.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Entrer à l'ESAT",
                besoins: &["1.3.3.2"],
                days: 240,
                resultat: "Stage réussi et admission à l'ESAT.",
                referent: "Thomas Petit",
                avis: "Oui, à la blanchisserie.",
                actions: &[DemoAction {
                    libelle: "Stage de découverte de deux semaines à la blanchisserie de l'ESAT Les Ateliers du Cap",
                    moyens: "Convention de stage, suivi par l'éducateur.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.3.2", "2.4.1"],
                }],
            },
            DemoObjectif {
                titre: "Apprendre la vie au foyer",
                besoins: &["1.3.2.1"],
                days: 240,
                resultat: "Fait seul sa lessive et un repas simple chaque semaine.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Atelier cuisine et linge à l'internat, le mardi soir",
                    moyens: "Cuisine pédagogique, buanderie.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.2.1", "2.3.2.2"],
                }],
            },
            DemoObjectif {
                titre: "Gérer un petit budget",
                besoins: &["1.3.5.1"],
                days: 240,
                resultat: "Dossier d'AAH déposé ; tient un budget de la semaine.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Dossier d'AAH avec la famille ; atelier budget chaque mois",
                    moyens: "Assistante sociale du DITEP.",
                    referent: "Nadia Benali",
                    prestations: &["2.3.5.1", "2.3.5.2"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A présenté lui-même son projet à la réunion.",
            ),
            ("@mere", "famille", "Présente à la réunion."),
            ("@pere", "famille", "Présent à la réunion."),
            ("Thomas Petit", "professionnel", "Éducateur référent."),
            (
                "ESAT Les Ateliers du Cap",
                "partenaire",
                "Monitrice d'atelier de la blanchisserie.",
            ),
        ],
        stage: DemoStage::Avenant(
            DemoBilan {
                resultats: &[
                    (
                        "atteint",
                        "Stage de deux semaines réussi ; l'ESAT propose une admission dès qu'une place se libère.",
                    ),
                    (
                        "partiellement_atteint",
                        "Fait sa lessive seul ; le repas reste à travailler.",
                    ),
                    ("partiellement_atteint", "Dossier d'AAH déposé à la MDPH."),
                ],
                synthese: "{prenom} a réussi son stage à la blanchisserie. Il reste au DITEP au titre de l'amendement Creton en attendant sa place. Un avenant prépare les trajets seul jusqu'à l'ESAT et l'entrée au foyer.",
                next: 120,
            },
            DemoAvenant {
                reason: "Après le stage à l'ESAT : préparation des trajets seul et de l'entrée au foyer d'hébergement.",
                needs: DemoNeeds {
                    who: 38,
                    day: -25,
                    by: "psy.ditep",
                    context: "Réévaluation après le stage à la blanchisserie de l'ESAT.",
                    lines: &[
                        (
                            "1.3.4.2",
                            "important",
                            "Devra aller seul à l'ESAT de Vénissieux en tram et en bus.",
                        ),
                        (
                            "1.3.3.2",
                            "modere",
                            "Stage réussi : l'ESAT propose une admission dès qu'une place se libère.",
                        ),
                        (
                            "1.3.2.1",
                            "modere",
                            "Fait sa lessive seul ; les repas restent à apprendre.",
                        ),
                        ("1.3.5.1", "leger", "Dossier d'AAH déposé."),
                    ],
                },
                attentes: &[(
                    "personne",
                    "Je veux aller à l'ESAT tout seul, sans qu'on m'emmène.",
                )],
                objectifs: &[
                    DemoObjectif {
                        titre: "Aller seul à l'ESAT en transports",
                        besoins: &["1.3.4.2"],
                        days: 120,
                        resultat: "Fait seul le trajet de l'internat à l'ESAT en tram et en bus.",
                        referent: "Thomas Petit",
                        avis: "Avec mon téléphone, au cas où.",
                        actions: &[DemoAction {
                            libelle: "Apprentissage du trajet, accompagné puis seul",
                            moyens: "Carte de transport, plan du trajet avec photos, téléphone.",
                            referent: "Thomas Petit",
                            prestations: &["2.3.4.3"],
                        }],
                    },
                    DemoObjectif {
                        titre: "Préparer l'entrée au foyer",
                        besoins: &["1.3.2.1"],
                        days: 180,
                        resultat: "Trois repas et une nuit au foyer avant l'admission.",
                        referent: "Thomas Petit",
                        avis: "",
                        actions: &[DemoAction {
                            libelle: "Visites et repas au foyer d'hébergement Les Érables",
                            moyens: "Rendez-vous avec l'équipe du foyer.",
                            referent: "Nadia Benali",
                            prestations: &["2.3.2.1", "2.4.1"],
                        }],
                    },
                ],
            },
        ),
    },
    DemoProjet {
        who: 40,
        kind: "PP",
        attentes: &[
            ("personne", "Je veux qu'on arrête de me crier dessus."),
            ("personne", "J'aimerais bien faire de la danse."),
            (
                "famille",
                "Qu'elle puisse rester à l'école du quartier et qu'elle dorme mieux.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Être moins en conflit avec les adultes",
                besoins: &["1.2.1.2"],
                days: 150,
                resultat: "Moins de sorties de classe.",
                referent: "Thomas Petit",
                avis: "Si on m'explique avant.",
                actions: &[DemoAction {
                    libelle: "Règles de vie expliquées avec des images ; temps calme après la récréation",
                    moyens: "Pictogrammes, coin calme.",
                    referent: "Thomas Petit",
                    prestations: &["2.2.2"],
                }],
            },
            DemoObjectif {
                titre: "Progresser en classe",
                besoins: &["1.3.3.1", "1.1.4"],
                days: 240,
                resultat: "Bilan orthophonique fait ; séances en place ; scolarité partagée tenue.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[
                    DemoAction {
                        libelle: "Bilan orthophonique, puis une séance chaque semaine",
                        moyens: "Orthophoniste libérale.",
                        referent: "Thomas Petit",
                        prestations: &["2.1.2.1"],
                    },
                    DemoAction {
                        libelle: "Unité d'enseignement le matin, école l'après-midi",
                        moyens: "Emploi du temps partagé avec l'enseignante.",
                        referent: "Thomas Petit",
                        prestations: &["2.3.3.1"],
                    },
                ],
            },
            DemoObjectif {
                titre: "Mieux dormir",
                besoins: &["1.2.1.1"],
                days: 120,
                resultat: "Endormie avant 21 h 30 les soirs d'école.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Rituel du coucher travaillé avec les parents",
                    moyens: "Entretiens avec les parents, tableau du soir.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.3.5"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A dit ses attentes à l'éducateur, avec des dessins.",
            ),
            ("@mere", "famille", "Présente à la réunion."),
            ("@pere", "famille", "Présent à la réunion."),
            ("Thomas Petit", "professionnel", "Éducateur référent."),
        ],
        stage: DemoStage::Preparation,
    },
    DemoProjet {
        who: 52,
        kind: "PPI",
        attentes: &[
            ("personne", "Faire les espaces verts. J'aime être dehors."),
            (
                "personne",
                "Savoir prendre le tram tout seul pour aller voir mon père.",
            ),
            (
                "famille",
                "Qu'il ne fugue plus et qu'il ait un vrai métier.",
            ),
        ],
        objectifs: &[
            DemoObjectif {
                titre: "Préparer un métier des espaces verts",
                besoins: &["1.3.3.2"],
                days: 240,
                resultat: "Deuxième stage à l'ESAT ; inscrit sur sa liste d'attente.",
                referent: "Thomas Petit",
                avis: "Oui, avec la tondeuse.",
                actions: &[DemoAction {
                    libelle: "Deuxième stage de découverte aux espaces verts de l'ESAT",
                    moyens: "Convention de stage.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.3.2"],
                }],
            },
            DemoObjectif {
                titre: "Se déplacer seul en tram",
                besoins: &["1.3.4.2"],
                days: 120,
                resultat: "Fait seul le trajet jusque chez son père.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Trajets accompagnés puis seul, avec un plan et un téléphone",
                    moyens: "Carte de transport, plan du trajet.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.4.3"],
                }],
            },
            DemoObjectif {
                titre: "Compter l'argent et lire l'heure",
                besoins: &["1.3.3.3"],
                days: 240,
                resultat: "Paie seul un petit achat et rend compte de la monnaie.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Ateliers de mathématiques pratiques à l'unité d'enseignement",
                    moyens: "Monnaie factice, sorties courses.",
                    referent: "Thomas Petit",
                    prestations: &["2.3.3.1"],
                }],
            },
            DemoObjectif {
                titre: "Rester en sécurité",
                besoins: &["1.2.1.4"],
                days: 180,
                resultat: "Aucune fugue.",
                referent: "Thomas Petit",
                avis: "",
                actions: &[DemoAction {
                    libelle: "Point chaque semaine avec l'éducateur référent ; règles de sortie de l'internat",
                    moyens: "Entretien du lundi soir.",
                    referent: "Thomas Petit",
                    prestations: &["2.2.3"],
                }],
            },
        ],
        participants: &[
            (
                "@personne",
                "usager",
                "A présenté ses attentes à la réunion.",
            ),
            ("@mere", "famille", "Présente à la réunion."),
            ("@pere", "famille", "Présent à la réunion."),
            ("Thomas Petit", "professionnel", "Éducateur référent."),
        ],
        stage: DemoStage::EnCours(None),
    },
];

/// `{nom}` → « M. NOM » / « Mme NOM », `{prenom}` → the first name, `{date}` → a date.
fn demo_text(p: &DemoPerson, text: &str, on: Date) -> String {
    let first = p
        .name
        .strip_suffix(p.family.as_str())
        .unwrap_or(&p.name)
        .trim();
    let civility = if p.female { "Mme" } else { "M." };
    text.replace("{nom}", &format!("{civility} {}", p.family))
        .replace("{prenom}", first)
        .replace("{date}", &date_fr(on))
}

/// A week of transmissions (cible, category, données, actions) for the timeline demo.
const DEMO_NOTES: &[(&str, &str, &str, &str)] = &[
    (
        "sommeil",
        "soins",
        "Nuit calme, levée une fois vers 3 h pour aller aux toilettes.",
        "Accompagnée puis recouchée sans difficulté.",
    ),
    (
        "alimentation",
        "soins",
        "A mangé la moitié de son plateau au déjeuner, boit peu.",
        "Eau gélifiée proposée, hydratation surveillée.",
    ),
    (
        "douleur",
        "soins",
        "Se plaint du genou droit à la mobilisation (EVA 4).",
        "Antalgique donné selon la prescription, infirmière prévenue.",
    ),
    (
        "comportement",
        "social",
        "Agitation en fin d'après-midi, demande à rentrer chez elle.",
        "Temps d'échange au calme, appel de la famille à 18 h.",
    ),
    (
        "autonomie",
        "soins",
        "Toilette faite en grande partie seule ce matin.",
        "Stimulation verbale, aide pour le dos et les pieds.",
    ),
    (
        "famille",
        "social",
        "Visite de la famille, moment apprécié.",
        "Point sur le linge à apporter la semaine prochaine.",
    ),
];

impl App {
    /// Two transmissions a day and the morning measures over the last week for three EHPAD
    /// residents (and one medical note by the physician), so the Transmissions, Soins and
    /// Chronologie tabs show a realistic week. Transmissions are written at their past times
    /// directly in the store; the measures through the use case, which accepts a past time.
    async fn load_demo_timeline(&self, org: &DemoOrg, today: Date) -> AppResult<()> {
        use parcours_store::transmission::{Content, NewTransmission};
        let ide = self.demo_ctx("ide.ehpad").await?;
        let writers = [
            self.demo_ctx("as.glycines").await?.user().as_uuid(),
            self.demo_ctx("aes.lilas").await?.user().as_uuid(),
            ide.user().as_uuid(),
        ];
        let medecin = self.demo_ctx("medecin.ehpad").await?.user().as_uuid();
        let at = |d: Date, h: i8, m: i8| -> AppResult<i64> {
            d.at(h, m, 0, 0)
                .in_tz("Europe/Paris")
                .map(|z| z.timestamp().as_microsecond())
                .map_err(|e| AppError::Internal(format!("demo time: {e}")))
        };
        for (n, p) in org
            .people
            .iter()
            .filter(|p| p.in_ehpad())
            .take(3)
            .enumerate()
        {
            let placements = crate::usager::placements_of(self, &ide, p.id).await?;
            let Some(place) = placements
                .iter()
                .find(|pl| pl.unite.is_some())
                .or(placements.first())
            else {
                continue;
            };
            let mut tx = self.begin().await?;
            for back in (1..=7i64).rev() {
                let day = shift(today, -back);
                for (slot, (h, m)) in [(7, 30), (19, 45)].into_iter().enumerate() {
                    let k = (back as usize * 2 + slot + n) % DEMO_NOTES.len();
                    let (cible, category, donnees, actions) = DEMO_NOTES[k];
                    parcours_store::transmission::insert(
                        &mut tx,
                        &NewTransmission {
                            organisation_id: ide.org(),
                            id: self.new_id(),
                            usager_id: p.id.as_uuid(),
                            etablissement_id: place.etablissement.as_uuid(),
                            unite_id: place.unite.map(|u| u.as_uuid()),
                            category: category.into(),
                            content: Content {
                                cible: cible.into(),
                                donnees: donnees.replace(
                                    "chez elle",
                                    if p.female { "chez elle" } else { "chez lui" },
                                ),
                                actions: Some(actions.into()),
                                resultats: None,
                                important: cible == "douleur",
                            },
                            at: at(day, h, m)?,
                            by: writers[(back as usize + slot) % writers.len()],
                        },
                    )
                    .await?;
                }
            }
            parcours_store::transmission::insert(
                &mut tx,
                &NewTransmission {
                    organisation_id: ide.org(),
                    id: self.new_id(),
                    usager_id: p.id.as_uuid(),
                    etablissement_id: place.etablissement.as_uuid(),
                    unite_id: place.unite.map(|u| u.as_uuid()),
                    category: "medical".into(),
                    content: Content {
                        cible: "sante".into(),
                        donnees: "Toux grasse depuis deux jours, crépitants à la base droite."
                            .into(),
                        actions: Some(
                            "Radiographie pulmonaire demandée, surveillance de la température."
                                .into(),
                        ),
                        resultats: None,
                        important: true,
                    },
                    at: at(shift(today, -2), 11, 15)?,
                    by: medecin,
                },
            )
            .await?;
            tx.commit().await?;
            for back in (1..=7i64).rev() {
                let day = shift(today, -back);
                let raw = parcours_domain::soins::RawReleve {
                    measured_at: format!("{day}T08:00"),
                    tension: (125 + (back + n as i64) % 4 * 5).to_string(),
                    tension_diastolique: "75".into(),
                    pouls: (68 + (back * 3 + n as i64) % 10).to_string(),
                    temperature: if back == 2 { "38,1" } else { "36,9" }.into(),
                    poids: if back == 7 {
                        (58 + n * 6).to_string()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                };
                self.record_releve(&ide, p.id, &raw).await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn demo_ctx(&self, login: &str) -> AppResult<Ctx> {
        let user = parcours_store::account::find_user_by_login(&self.db, login)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo account {login} missing")))?;
        self.ctx_for(&user, "local", None).await
    }

    /// AGGIR and needs evaluations, then the projets personnalisés.
    async fn load_demo_projets(
        &self,
        org: &DemoOrg,
        circles: &HashMap<u64, Circle>,
        entries: &HashMap<u64, Date>,
        today: Date,
    ) -> AppResult<()> {
        let mut staff: HashMap<&'static str, Ctx> = HashMap::new();
        for login in [
            "direction",
            "cds.ehpad",
            "cds.ditep",
            "medecin.ehpad",
            "ide.ehpad",
            "as.glycines",
            "aes.lilas",
            "educ.internat",
            "educ.sessad",
            "psy.ditep",
        ] {
            staff.insert(login, self.demo_ctx(login).await?);
        }
        let staff = |login: &str| {
            staff
                .get(login)
                .ok_or_else(|| AppError::Internal(format!("demo account {login} missing")))
        };
        for (who, day, letters, by, context) in DEMO_AGGIR {
            let p = org.person(*who)?;
            let on = shift(today, *day)
                .max(shift(first_day(*who, entries, today), 5))
                .min(today);
            let raw = RawAggir {
                evaluated_on: on.to_string(),
                context: context.to_string(),
                etablissement_id: org.ehpad.to_string(),
                evaluation: demo_aggir_grid(letters),
            };
            self.record_aggir(staff(by)?, p.id, &raw).await?;
        }
        for needs in DEMO_NEEDS {
            self.demo_needs(staff(needs.by)?, org, needs, entries, today)
                .await?;
        }
        let no_circle = Circle::default();
        for plan in DEMO_PROJETS {
            let p = org.person(plan.who)?;
            let circle = circles.get(&plan.who).unwrap_or(&no_circle);
            let even = plan.who.is_multiple_of(2);
            let (writer, chief) = match (p.in_ehpad(), even) {
                (true, true) => ("as.glycines", "cds.ehpad"),
                (true, false) => ("aes.lilas", "cds.ehpad"),
                (false, true) => ("educ.internat", "cds.ditep"),
                (false, false) => ("educ.sessad", "cds.ditep"),
            };
            let (writer, chief) = (staff(writer)?, staff(chief)?);
            let (etab, _) = org.etab_and_unit(p, 0);
            let id = self
                .create_projet(
                    writer,
                    p.id,
                    &RawNewProjet {
                        etablissement_id: etab.to_string(),
                        kind: plan.kind.into(),
                    },
                )
                .await?;
            for (origine, texte) in plan.attentes {
                self.demo_put(writer, id, attente(origine, texte)).await?;
            }
            if matches!(plan.stage, DemoStage::Recueil) {
                continue;
            }
            let (version, _) = self.demo_projet_state(writer, id).await?;
            self.import_needs(writer, id, version).await?;
            self.demo_objectifs(writer, id, plan.objectifs, today)
                .await?;
            for (who, role, contribution) in plan.participants {
                let name = match *who {
                    "@personne" => Some(p.name.clone()),
                    w => match w.strip_prefix('@') {
                        Some(relation) => circle.named(relation).map(|m| m.2.clone()),
                        None => Some(w.to_string()),
                    },
                };
                let Some(nom) = name else { continue };
                let element = Element::Participant(RawParticipant {
                    nom,
                    role: role.to_string(),
                    contribution: contribution.to_string(),
                });
                self.demo_put(writer, id, element).await?;
            }
            if matches!(plan.stage, DemoStage::Preparation) {
                continue;
            }
            self.demo_sign_and_start(chief, writer, circle, id, today)
                .await?;
            match &plan.stage {
                DemoStage::EnCours(Some(bilan)) => {
                    self.demo_bilan(writer, p, id, bilan, today).await?;
                }
                DemoStage::EnPause(note) => {
                    let (version, _) = self.demo_projet_state(writer, id).await?;
                    let status = RawProjetStatus {
                        status: "en_pause".into(),
                        note: demo_text(p, note, today),
                        version,
                    };
                    self.change_projet_status(chief, id, &status).await?;
                }
                DemoStage::Avenant(bilan, avenant) => {
                    self.demo_bilan(writer, p, id, bilan, today).await?;
                    self.demo_needs(
                        staff(avenant.needs.by)?,
                        org,
                        &avenant.needs,
                        entries,
                        today,
                    )
                    .await?;
                    let av = self.create_avenant(writer, id, avenant.reason).await?;
                    for (origine, texte) in avenant.attentes {
                        self.demo_put(writer, av, attente(origine, texte)).await?;
                    }
                    let (version, _) = self.demo_projet_state(writer, av).await?;
                    self.import_needs(writer, av, version).await?;
                    self.demo_objectifs(writer, av, avenant.objectifs, today)
                        .await?;
                    // The avenant is signed by the direction, as the first projet was by the chef
                    // de service; starting it ends the first version.
                    self.demo_sign_and_start(staff("direction")?, writer, circle, av, today)
                        .await?;
                }
                DemoStage::Recueil | DemoStage::Preparation | DemoStage::EnCours(None) => {}
            }
        }
        Ok(())
    }

    async fn demo_needs(
        &self,
        ctx: &Ctx,
        org: &DemoOrg,
        needs: &DemoNeeds,
        entries: &HashMap<u64, Date>,
        today: Date,
    ) -> AppResult<()> {
        let p = org.person(needs.who)?;
        let on = shift(today, needs.day)
            .max(first_day(needs.who, entries, today))
            .min(today);
        let raw = RawNeedsEvaluation {
            evaluated_on: on.to_string(),
            context: needs.context.to_string(),
            lines: needs
                .lines
                .iter()
                .map(|(code, level, comment)| RawNeedLine {
                    code: code.to_string(),
                    level: level.to_string(),
                    comment: comment.to_string(),
                })
                .collect(),
        };
        self.record_needs_evaluation(ctx, p.id, &raw).await?;
        Ok(())
    }

    /// The version and content of a projet as stored (read by the loader itself: no audited read).
    async fn demo_projet_state(&self, ctx: &Ctx, id: ProjetId) -> AppResult<(i64, Contenu)> {
        let row = ProjetRow::get(&self.db, ctx.org(), id.as_uuid()).await?;
        let contenu = serde_json::from_str(&row.content)
            .map_err(|e| AppError::Internal(format!("content of projet {id}: {e}")))?;
        Ok((row.version, contenu))
    }

    /// Adds an element to a projet in preparation; returns its id.
    async fn demo_put(&self, ctx: &Ctx, id: ProjetId, element: Element) -> AppResult<u32> {
        let (version, _) = self.demo_projet_state(ctx, id).await?;
        self.put_projet_element(ctx, id, None, &element, version)
            .await
    }

    /// Objectives (linked to the imported needs by their SERAFIN-PH code) and their actions.
    async fn demo_objectifs(
        &self,
        ctx: &Ctx,
        id: ProjetId,
        objectifs: &[DemoObjectif],
        today: Date,
    ) -> AppResult<()> {
        for o in objectifs {
            let (_, contenu) = self.demo_projet_state(ctx, id).await?;
            let besoins = o
                .besoins
                .iter()
                .map(|code| {
                    contenu
                        .besoins
                        .iter()
                        .find(|b| b.serafin.code == *code)
                        .map(|b| b.id.to_string())
                        .ok_or_else(|| {
                            AppError::Internal(format!("demo projet {id}: no need {code}"))
                        })
                })
                .collect::<AppResult<Vec<_>>>()?;
            let objectif = Element::Objectif(RawObjectif {
                titre: o.titre.into(),
                besoins,
                echeance: shift(today, o.days).to_string(),
                resultat_attendu: o.resultat.into(),
                referent: o.referent.into(),
                avis_usager: o.avis.into(),
            });
            let oid = self.demo_put(ctx, id, objectif).await?;
            for a in o.actions {
                let action = Element::Action(RawAction {
                    libelle: a.libelle.into(),
                    objectifs: vec![oid.to_string()],
                    moyens: a.moyens.into(),
                    referent: a.referent.into(),
                    prestations: a.prestations.iter().map(|c| c.to_string()).collect(),
                });
                self.demo_put(ctx, id, action).await?;
            }
        }
        Ok(())
    }

    /// The structure's accord (by `chief`), the person's (by the person, or whoever signs for them
    /// today: tutor, person habilitée, parent), then the start.
    async fn demo_sign_and_start(
        &self,
        chief: &Ctx,
        writer: &Ctx,
        circle: &Circle,
        id: ProjetId,
        signed: Date,
    ) -> AppResult<()> {
        let structure = RawAccord {
            partie: "structure".into(),
            signatory: String::new(),
            signed_on: signed.to_string(),
        };
        self.record_accord(chief, id, &structure).await?;
        let person = RawAccord {
            partie: "usager".into(),
            signatory: circle
                .signer
                .as_ref()
                .map(|s| s.0.to_string())
                .unwrap_or_else(|| SIGNED_BY_PERSON.to_string()),
            signed_on: signed.to_string(),
        };
        self.record_accord(writer, id, &person).await?;
        let (version, _) = self.demo_projet_state(chief, id).await?;
        let start = RawProjetStatus {
            status: "en_cours".into(),
            note: String::new(),
            version,
        };
        self.change_projet_status(chief, id, &start).await
    }

    async fn demo_bilan(
        &self,
        ctx: &Ctx,
        p: &DemoPerson,
        id: ProjetId,
        bilan: &DemoBilan,
        today: Date,
    ) -> AppResult<()> {
        let (_, contenu) = self.demo_projet_state(ctx, id).await?;
        let raw = RawBilan {
            date: today.to_string(),
            appreciations: contenu
                .objectifs
                .iter()
                .zip(bilan.resultats)
                .map(|(o, (resultat, comment))| {
                    (o.id.to_string(), resultat.to_string(), comment.to_string())
                })
                .collect(),
            synthese: demo_text(p, bilan.synthese, today),
            prochain_bilan: shift(today, bilan.next).to_string(),
        };
        self.record_bilan(ctx, id, &raw).await?;
        Ok(())
    }
}

/// The first day a person was accompanied (a past séjour included), today if never.
fn first_day(who: u64, entries: &HashMap<u64, Date>, today: Date) -> Date {
    PAST_STAYS
        .iter()
        .filter(|s| s.0 == who)
        .map(|s| shift(today, s.3))
        .chain(entries.get(&who).copied())
        .min()
        .unwrap_or(today)
}

fn attente(origine: &str, texte: &str) -> Element {
    Element::Attente(RawAttente {
        origine: origine.into(),
        texte: texte.into(),
    })
}

fn unit(etab: EtablissementId, name: &str) -> UniteInput {
    UniteInput {
        etablissement_id: etab.to_string(),
        name: name.to_string(),
        active: true,
        version: 0,
    }
}

impl App {
    /// Loads `n` synthetic persons spread over `placements`, in transactions of 500, for benchmarks
    /// and load tests. Half have a test INS (unique). Rows go through the same store functions as
    /// `create_usager` (identity row, first version, placement, search tokens) but skip its
    /// per-person checks, which a generator does not need.
    pub async fn load_synthetic(
        &self,
        ctx: &crate::Ctx,
        placements: &[(EtablissementId, Option<UniteId>)],
        n: usize,
        seed: u64,
    ) -> AppResult<()> {
        use crate::usager::row_for_new;
        if placements.is_empty() {
            return Err(AppError::Internal(
                "load_synthetic needs at least one placement".into(),
            ));
        }
        let mut seq = Seq::new(seed);
        let mut seen = std::collections::HashSet::new();
        let mut done = 0;
        while done < n {
            let mut tx = self.begin().await?;
            for _ in 0..500.min(n - done) {
                let elderly = seq.below(2) == 0;
                let years = if elderly { (1925, 1950) } else { (2005, 2020) };
                let with_ins = seq.below(2) == 0;
                let mut raw = synthetic_identity(&mut seq, years, with_ins);
                if !raw.ins_matricule.is_empty() && !seen.insert(raw.ins_matricule.clone()) {
                    raw.ins_matricule.clear();
                    raw.ins_oid.clear();
                }
                let identity = parcours_domain::identity::Identity::parse(&raw, self.today())
                    .map_err(|e| AppError::Internal(format!("generated identity refused: {e}")))?;
                let (etab, unite) = placements[done % placements.len()];
                let id = UsagerId::from_uuid(self.new_id());
                let row = row_for_new(self, ctx, id, &identity);
                parcours_store::usager::insert(&mut tx, &row).await?;
                parcours_store::usager::insert_version(&mut tx, &row, "creation", None).await?;
                let placement = parcours_store::usager::PlacementRow {
                    usager_id: id.as_uuid(),
                    etablissement_id: etab.as_uuid(),
                    unite_id: unite.map(|u| u.as_uuid()),
                    local_id: Some(format!("GEN-{done:07}")),
                };
                parcours_store::usager::insert_placement(
                    &mut tx,
                    ctx.org(),
                    &placement,
                    row.created_at,
                )
                .await?;
                parcours_store::usager::insert_tokens(
                    &mut tx,
                    ctx.org(),
                    id.as_uuid(),
                    &identity.search_tokens(),
                    &row.sort_key,
                )
                .await?;
                done += 1;
            }
            tx.commit().await?;
            // Fresh statistics while the tables grow: PostgreSQL plans foreign-key checks once per
            // connection, and a plan made on an empty table would scan the whole table later.
            if done == 500 || done % 20_000 == 0 {
                self.db.optimize().await?;
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------------------------
// Écrits professionnels: a few notes on DITEP young people of the internat, in each scope, one
// corrected and one withdrawn, written by their authors through the use cases.

/// (person index, author login, type, title, text, days ago, scope)
type DemoEcrit = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
);

const DEMO_ECRITS: &[DemoEcrit] = &[
    (
        32,
        "educ.internat",
        "note_observation",
        "Temps du coucher",
        "{prenom} a eu du mal à s'endormir cette semaine : il demande à garder la lumière du couloir. \
         Un temps calme de lecture avant le coucher l'aide ; à poursuivre.",
        3,
        "equipe",
    ),
    (
        32,
        "psy.ditep",
        "compte_rendu_entretien",
        "Entretien individuel",
        "Entretien de 45 minutes. {prenom} évoque ses inquiétudes au sujet de la séparation de ses \
         parents. Il accepte un rythme d'un entretien par quinzaine.",
        6,
        "profession",
    ),
    (
        32,
        "psy.ditep",
        "compte_rendu_synthese",
        "Préparation de la réunion de synthèse",
        "Points à aborder : l'accrochage scolaire, les retours en famille du week-end, le suivi \
         orthophonique. Avis de la psychologue à partager avec l'encadrement.",
        10,
        "encadrement",
    ),
    (
        34,
        "educ.internat",
        "note_incident",
        "Altercation au réfectoire",
        "Au repas du soir, {prenom} a renversé son plateau après une remarque d'un autre jeune. \
         Retour au calme en dix minutes avec l'éducateur ; échange le lendemain matin.",
        2,
        "equipe",
    ),
    (
        34,
        "psy.ditep",
        "bilan_psychologique",
        "Bilan psychologique annuel",
        "Synthèse des séances de l'année : progrès dans l'expression des émotions, anxiété \
         persistante lors des changements de groupe. Propositions pour le projet personnalisé.",
        20,
        "profession",
    ),
];

impl App {
    async fn load_demo_ecrits(&self, org: &DemoOrg, today: Date) -> AppResult<()> {
        use parcours_domain::ecrit::RawEcrit;
        let mut ids = Vec::new();
        for (index, login, kind, title, text, days, scope) in DEMO_ECRITS {
            let p = org.person(*index)?;
            let ctx = self.demo_ctx(login).await?;
            let on = shift(today, -days);
            let raw = RawEcrit {
                kind: kind.to_string(),
                title: title.to_string(),
                text: demo_text(p, text, on),
                event_date: on.to_string(),
                scope: scope.to_string(),
                reason: String::new(),
            };
            let id = self.write_ecrit(&ctx, p.id, &raw).await?;
            ids.push((ctx, p.id, raw, id));
        }
        // The first note corrected by its author; the incident note withdrawn by the chef de service.
        if let Some((ctx, usager, raw, id)) = ids.first() {
            let mut fix = raw.clone();
            fix.text.push_str(" Veilleuse installée dans la chambre.");
            fix.reason = "Ajout de la solution retenue".to_string();
            self.correct_ecrit(ctx, *usager, *id, 1, &fix).await?;
        }
        if let Some((_, usager, _, id)) = ids.get(3) {
            let cds = self.demo_ctx("cds.ditep").await?;
            self.withdraw_ecrit(
                &cds,
                *usager,
                *id,
                1,
                "Note saisie en double, voir la transmission du même soir",
            )
            .await?;
        }
        Ok(())
    }
}

impl App {
    /// A few messages of the cahier de liaison: to units, to teams and about persons, with
    /// follow-up items (one already done) and read receipts.
    async fn load_demo_liaison(&self, org: &DemoOrg, today: Date) -> AppResult<()> {
        use parcours_domain::liaison::{Destination, Equipe, RawMessage, RawSuivi};
        let account = |login: &'static str| async move {
            let ctx = self.demo_ctx(login).await?;
            let id = ctx.user().as_uuid().to_string();
            AppResult::Ok((ctx, id))
        };
        let (aide, _) = account("as.glycines").await?;
        let (cds, cds_id) = account("cds.ehpad").await?;
        let (ide, _) = account("ide.ehpad").await?;
        let (sec, _) = account("secretariat").await?;
        let (educ, _) = account("educ.internat").await?;
        let (psy, _) = account("psy.ditep").await?;
        let (dir, _) = account("direction").await?;
        let own_unit = |ctx: &Ctx| {
            let ctx = ctx.clone();
            async move {
                self.liaison_destinations(&ctx)
                    .await?
                    .into_iter()
                    .find(|d| d.value.starts_with("unite:"))
                    .map(|d| d.value)
                    .ok_or_else(|| AppError::Internal("demo unit missing".into()))
            }
        };
        let team = |etab: EtablissementId, equipe: Equipe| {
            Destination::Equipe {
                etablissement: etab.as_uuid(),
                equipe,
            }
            .value()
        };
        let suivi = |texte: &str, days: Option<i64>, assigne: &str| RawSuivi {
            texte: texte.into(),
            echeance: days
                .map(|d| shift(today, d).to_string())
                .unwrap_or_default(),
            assigne: assigne.into(),
        };
        let msg =
            |destination: String, subject: &str, body: &str, important: bool, suivis| RawMessage {
                destination,
                subject: subject.into(),
                body: body.into(),
                important: if important {
                    "on".into()
                } else {
                    String::new()
                },
                reason: String::new(),
                suivis,
            };
        let resident = org.people.iter().find(|p| p.in_ehpad());
        let young = org.people.iter().find(|p| !p.in_ehpad() && p.has_stay());
        let matelas = self
            .write_liaison(
                &aide,
                &msg(
                    own_unit(&aide).await?,
                    "Matelas à air de la chambre 12",
                    "Le compresseur du matelas à air de la chambre 12 fait du bruit la nuit et s'arrête par moments.",
                    false,
                    vec![suivi("Appeler le prestataire de matériel médical", Some(1), &cds_id)],
                ),
            )
            .await?;
        let planning = self
            .write_liaison(
                &cds,
                &msg(
                    team(org.ehpad, Equipe::Soignante),
                    "Planning du week-end",
                    "Deux absences samedi matin : le planning du week-end a été modifié, il est affiché en salle de soins.",
                    true,
                    vec![suivi("Confirmer sa présence samedi matin", Some(2), "")],
                ),
            )
            .await?;
        self.write_liaison(
            &sec,
            &msg(
                team(org.ehpad, Equipe::Encadrement),
                "Visite de la commission de sécurité",
                "La commission communale de sécurité passe dans dix jours ; elle demandera le registre et les derniers rapports de vérification.",
                false,
                vec![suivi("Préparer le registre de sécurité", Some(7), "")],
            ),
        )
        .await?;
        if let Some(p) = resident {
            let id = self
                .write_liaison(
                    &ide,
                    &msg(
                        Destination::Usager(p.id.as_uuid()).value(),
                        "Rendez-vous chez le dentiste",
                        "Rendez-vous jeudi à 10 h au cabinet du Dr Martin ; le taxi est réservé pour 9 h 30. Prévoir un accompagnement.",
                        false,
                        vec![suivi("Prévenir la famille du rendez-vous", Some(1), "")],
                    ),
                )
                .await?;
            self.mark_liaison_read(&cds, id).await?;
        }
        self.write_liaison(
            &educ,
            &msg(
                own_unit(&educ).await?,
                "Sortie piscine mercredi",
                "Sortie à la piscine mercredi après-midi avec le groupe des grands ; départ 14 h avec le minibus.",
                false,
                vec![
                    suivi("Vérifier les autorisations parentales", Some(1), ""),
                    suivi("Réserver le minibus", None, ""),
                ],
            ),
        )
        .await?;
        self.write_liaison(
            &psy,
            &msg(
                team(org.ditep, Equipe::Educative),
                "Réunion de synthèse déplacée",
                "La réunion de synthèse de jeudi est déplacée à vendredi 14 h, salle Bleue.",
                true,
                Vec::new(),
            ),
        )
        .await?;
        if let Some(p) = young {
            self.write_liaison(
                &educ,
                &msg(
                    Destination::Usager(p.id.as_uuid()).value(),
                    "Retour en famille ce week-end",
                    "Le retour en famille est confirmé par la mère pour vendredi 17 h ; le sac est prêt dans la chambre.",
                    false,
                    Vec::new(),
                ),
            )
            .await?;
        }
        // Read receipts, and one follow-up item already done.
        for (ctx, id) in [(&dir, planning), (&ide, planning), (&cds, matelas)] {
            self.mark_liaison_read(ctx, id).await?;
        }
        let detail = self.liaison_message(&cds, matelas).await?;
        if let Some(s) = detail.message.suivis.first() {
            self.set_liaison_suivi(&cds, s.id, true, s.state_seq)
                .await?;
        }
        Ok(())
    }
}
