//! The demonstration organisation (`parcours serve --demo`) and the synthetic identity generator
//! shared with the benchmark. Everything is deterministic: the same seed gives the same people.
//! INS numbers use the *test* OID only (1.2.250.1.213.1.4.10), never the production one.

use parcours_domain::identity::{RawIdentity, compute_nir_key};
use parcours_domain::ids::{EtablissementId, UniteId, UsagerId};
use parcours_domain::rniv::IdentityStatus;
use parcours_store::organisation::OrganisationRow;
use serde_json::json;

use crate::account::AccountInput;
use crate::audit::AuditAction;
use crate::structure::{EtablissementInput, UniteInput};
use crate::usager::{NewUsager, StatusChange};
use crate::{App, AppError, AppResult};

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
        for i in 0..60u64 {
            let in_ehpad = i < 32;
            let status = statuses[(i % 4) as usize];
            let with_ins = matches!(
                status,
                IdentityStatus::Recuperee | IdentityStatus::Qualifiee
            ) || i % 8 == 0;
            let years = if in_ehpad { (1926, 1948) } else { (2008, 2018) };
            let identity = synthetic_identity(&mut seq, years, with_ins);
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
        }
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
