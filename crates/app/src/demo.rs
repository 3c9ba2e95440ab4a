//! The demonstration organisation (`parcours serve --demo`) and the synthetic identity generator
//! shared with the benchmark. Everything is deterministic: the same seed gives the same people.
//! INS numbers use the *test* OID only (1.2.250.1.213.1.4.10), never the production one.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use parcours_domain::codelist;
use parcours_domain::entourage::{MeasureKind, Regime, is_minor};
use parcours_domain::identity::{RawIdentity, compute_nir_key};
use parcours_domain::ids::{
    ContratId, DemandeId, EtablissementId, PartenaireId, ProcheId, SejourId, UniteId, UsagerId,
};
use parcours_domain::partner::RawPartner;
use parcours_domain::rniv::IdentityStatus;
use parcours_store::organisation::OrganisationRow;
use serde_json::json;

use crate::account::AccountInput;
use crate::admission::{
    RawAdmission, RawContrat, RawDecision, RawModalityChange, RawPlacement, RawRequest,
    RawSejourUpdate, RequestStatusChange,
};
use crate::audit::AuditAction;
use crate::consent::{RawConsent, SIGNED_BY_PERSON};
use crate::entourage::{RawLien, RawMesure, RawProche};
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
            .await
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
