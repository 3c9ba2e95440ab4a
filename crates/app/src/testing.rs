//! A small organisation for tests of this crate and the ones above it (web): two establishments,
//! four units, one account per typical role, a controllable clock and deterministic ids.
#![allow(clippy::expect_used)]

use std::sync::{Arc, OnceLock};

use parcours_domain::clock::{ManualClock, SeededIds};
use parcours_domain::identity::{RawIdentity, compute_nir_key};
use parcours_domain::ids::{EtablissementId, OrganisationId, UniteId};
use parcours_store::Db;
use parcours_store::account::UserRow;
use parcours_store::organisation::{EtablissementRow, OrganisationRow, UniteRow};
use uuid::Uuid;

use crate::{App, AppConfig, Ctx};

/// The password of every fixture account.
pub const PASSWORD: &str = "Parcours-Test-2026";

/// (login, first name, last name, role, assignments as "E", "E/glycines"…)
pub const ACCOUNTS: &[(&str, &str, &str, &str, &[&str])] = &[
    ("admin", "Alice", "Admin", "administrateur", &[]),
    ("direction", "Hélène", "Garnier", "direction", &["E", "D"]),
    ("secretariat", "Isabelle", "Mercier", "secretariat", &["E"]),
    ("medecin", "Paul", "Lefèvre", "medecin", &["E"]),
    (
        "as.glycines",
        "Karim",
        "Haddad",
        "aide_soignant",
        &["E/glycines"],
    ),
    (
        "educ.internat",
        "Thomas",
        "Petit",
        "educateur",
        &["D/internat"],
    ),
    ("psy.ditep", "Élise", "Fontaine", "psychologue", &["D"]),
    ("psy2.ditep", "Jeanne", "Morel", "psychologue", &["D"]),
    ("cds.ditep", "Nadia", "Benali", "chef_de_service", &["D"]),
];

/// The profession of a fixture account (`autre` when not listed): the écrits professionnels'
/// visibility scopes depend on it.
pub const PROFESSIONS: &[(&str, &str)] = &[
    ("direction", "directeur"),
    ("educ.internat", "educateur_specialise"),
    ("psy.ditep", "psychologue"),
    ("psy2.ditep", "psychologue"),
    ("cds.ditep", "chef_de_service"),
];

fn profession_of(login: &str) -> &'static str {
    PROFESSIONS
        .iter()
        .find(|(l, _)| *l == login)
        .map(|(_, p)| *p)
        .unwrap_or("autre")
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| crate::auth::hash_password(PASSWORD).expect("hash"))
}

pub struct Fixture {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub org: OrganisationId,
    pub ehpad: EtablissementId,
    pub ditep: EtablissementId,
    pub glycines: UniteId,
    pub lilas: UniteId,
    pub internat: UniteId,
    pub sessad: UniteId,
}

impl Fixture {
    /// Builds the organisation directly in the store (fast: no password hashing per account).
    pub async fn new(db: Db) -> Fixture {
        let clock = Arc::new(ManualClock::new(
            "2026-11-22T09:00:00Z".parse().expect("instant"),
        ));
        let app = App::new(
            db,
            clock.clone(),
            Arc::new(SeededIds::new(42)),
            AppConfig::default(),
        );
        let id = |n: u128| Uuid::from_u128(n);
        let org = id(1);
        let (ehpad, ditep) = (id(10), id(11));
        let (glycines, lilas, internat, sessad) = (id(20), id(21), id(22), id(23));
        let now = app.now_micros();
        let mut tx = app.db.begin().await.expect("begin");
        parcours_store::organisation::insert_organisation(
            &mut tx,
            &OrganisationRow {
                id: org,
                name: "Organisation de test".into(),
                finess_ej: None,
            },
            now,
        )
        .await
        .expect("org");
        for (eid, name, finess, cat) in [
            (ehpad, "EHPAD Les Tilleuls", "690781810", "500"),
            (ditep, "DITEP Le Cap", "130786049", "186"),
        ] {
            let row = EtablissementRow {
                organisation_id: org,
                id: eid,
                name: name.into(),
                finess: finess.into(),
                category_code: cat.into(),
                capacity: 50,
                active: true,
                version: 1,
            };
            parcours_store::organisation::insert_etablissement(&mut tx, &row, now)
                .await
                .expect("etab");
        }
        for (uid, eid, name) in [
            (glycines, ehpad, "Les Glycines"),
            (lilas, ehpad, "Les Lilas"),
            (internat, ditep, "Internat"),
            (sessad, ditep, "SESSAD"),
        ] {
            let row = UniteRow {
                organisation_id: org,
                id: uid,
                etablissement_id: eid,
                name: name.into(),
                active: true,
                version: 1,
            };
            parcours_store::organisation::insert_unite(&mut tx, &row, now)
                .await
                .expect("unite");
        }
        for (i, (login, first, last, role, assignments)) in ACCOUNTS.iter().enumerate() {
            let uid = id(100 + i as u128);
            let row = UserRow {
                organisation_id: org,
                id: uid,
                login: login.to_string(),
                first_name: first.to_string(),
                last_name: last.to_string(),
                profession: profession_of(login).into(),
                rpps: None,
                adeli: None,
                role: role.to_string(),
                active: true,
                password_hash: password_hash().to_string(),
                version: 1,
            };
            parcours_store::account::insert_user(&mut tx, &row, now)
                .await
                .expect("user");
            let resolved: Vec<_> = assignments
                .iter()
                .enumerate()
                .map(|(j, a)| {
                    let (e, u) = match *a {
                        "E" => (ehpad, None),
                        "D" => (ditep, None),
                        "E/glycines" => (ehpad, Some(glycines)),
                        "E/lilas" => (ehpad, Some(lilas)),
                        "D/internat" => (ditep, Some(internat)),
                        _ => (ditep, Some(sessad)),
                    };
                    (id(1000 + 10 * i as u128 + j as u128), e, u)
                })
                .collect();
            parcours_store::account::replace_assignments(&mut tx, org, uid, &resolved)
                .await
                .expect("assign");
        }
        tx.commit().await.expect("commit");
        Fixture {
            app,
            clock,
            org: OrganisationId::from_uuid(org),
            ehpad: EtablissementId::from_uuid(ehpad),
            ditep: EtablissementId::from_uuid(ditep),
            glycines: UniteId::from_uuid(glycines),
            lilas: UniteId::from_uuid(lilas),
            internat: UniteId::from_uuid(internat),
            sessad: UniteId::from_uuid(sessad),
        }
    }

    /// The fixture over a database where [`Fixture::new`] already built it (the benchmark's kept
    /// data set); `seed` must differ from earlier runs' so that new ids do not collide.
    pub fn reopen(db: Db, seed: u64) -> Fixture {
        let clock = Arc::new(ManualClock::new(
            "2026-11-22T09:00:00Z".parse().expect("instant"),
        ));
        let app = App::new(
            db,
            clock.clone(),
            Arc::new(SeededIds::new(seed)),
            AppConfig::default(),
        );
        let id = Uuid::from_u128;
        Fixture {
            app,
            clock,
            org: OrganisationId::from_uuid(id(1)),
            ehpad: EtablissementId::from_uuid(id(10)),
            ditep: EtablissementId::from_uuid(id(11)),
            glycines: UniteId::from_uuid(id(20)),
            lilas: UniteId::from_uuid(id(21)),
            internat: UniteId::from_uuid(id(22)),
            sessad: UniteId::from_uuid(id(23)),
        }
    }

    /// The acting professional for a fixture login.
    pub async fn ctx(&self, login: &str) -> Ctx {
        let user = parcours_store::account::find_user_by_login(&self.app.db, login)
            .await
            .expect("query")
            .expect("fixture login");
        self.app
            .ctx_for(&user, "192.0.2.10", None)
            .await
            .expect("ctx")
    }

    /// `ETAB/UNIT` as forms send it.
    pub fn placement(&self, etab: EtablissementId, unite: UniteId) -> String {
        format!("{etab}/{unite}")
    }
}

/// A valid identity; `nir_order` adds a coherent test NIR (female, born 12/03/1950 in Paris).
pub fn identity(birth_name: &str, first_name: &str, nir_order: Option<u16>) -> RawIdentity {
    let mut raw = RawIdentity {
        birth_name: birth_name.into(),
        birth_first_name: first_name.into(),
        sex: "F".into(),
        birth_date: "1950-03-12".into(),
        birth_place: "75056".into(),
        ..RawIdentity::default()
    };
    if let Some(order) = nir_order {
        let body = format!("2500375056{order:03}");
        let key = compute_nir_key(&body).expect("key");
        raw.ins_matricule = format!("{body}{key:02}");
        raw.ins_oid = "1.2.250.1.213.1.4.10".into();
    }
    raw
}
