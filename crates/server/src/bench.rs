//! `parcours-bench`: loads N synthetic persons (and, for the daily record, millions of
//! transmissions) and measures, through the whole HTTP stack (router, session, gate, SQL, audit
//! write, template), on SQLite or on PostgreSQL. Prints p50/p95/p99/max per request kind. See
//! docs/performance.md.
//!
//! cargo run --release --bin parcours-bench -- --persons 100000 [--postgres] [--requests 2000]
//! cargo run --release --bin parcours-bench -- --suite daily --persons 100000 \
//!     --transmissions 10000000 --keep [--postgres]

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use parcours_app::auth::SessionKind;
use parcours_app::demo::Seq;
use parcours_app::synthetic::SyntheticPerson;
use parcours_app::testing::{Fixture, PASSWORD};
use parcours_web::{AppState, WebConfig};
use tower::ServiceExt;

#[derive(Parser)]
struct Args {
    /// Persons to load.
    #[arg(long, default_value_t = 100_000)]
    persons: usize,
    /// Measured requests per kind.
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// Use PostgreSQL (`PARCOURS_TEST_PG_URL`, a fresh schema) instead of a fresh SQLite file.
    #[arg(long)]
    postgres: bool,
    /// Keep the SQLite database in this file (to inspect query plans) instead of a temporary one.
    #[arg(long)]
    sqlite_file: Option<std::path::PathBuf>,
    /// What to measure: `identity` (person search, record, admission, projet, PDF), `daily`
    /// (relève, timeline, transmissions, full-text search, writing a transmission) or `all`.
    #[arg(long, default_value = "all")]
    suite: String,
    /// Transmissions to generate for the daily suite.
    #[arg(long, default_value_t = 100_000)]
    transmissions: u64,
    /// Persons per unit (units are created to hold them; the fixture's four come first).
    #[arg(long, default_value_t = 50)]
    unit_size: usize,
    /// Keep the data set between runs and reuse it when it is there: the SQLite file of
    /// `--sqlite-file` (default `target/bench-kept.sqlite`) or the PostgreSQL schema `bench_kept`.
    #[arg(long)]
    keep: bool,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
        ms.len(),
        percentile(&ms, 0.50),
        percentile(&ms, 0.95),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or_default()
    );
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or_default()
}

async fn get(
    router: &axum::Router,
    uri: &str,
    cookie: &str,
) -> Result<(StatusCode, usize), String> {
    let req = Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let resp = router
        .clone()
        .oneshot(req)
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 4 * 1024 * 1024)
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, body.len()))
}

async fn run(args: Args) -> Result<(), String> {
    let e = |x: parcours_store::StoreError| x.to_string();
    let kept_file = args
        .sqlite_file
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("target/bench-kept.sqlite"));
    let (db, _dir) = if args.postgres {
        let db = if args.keep {
            parcours_store::testing::postgres_kept("bench_kept")
                .await
                .map_err(e)?
        } else {
            parcours_store::testing::postgres("bench")
                .await
                .map_err(e)?
        };
        (db, None)
    } else if args.keep || args.sqlite_file.is_some() {
        let db = parcours_store::Db::open_sqlite(&kept_file)
            .await
            .map_err(e)?;
        db.migrate().await.map_err(e)?;
        (db, None)
    } else {
        let (db, dir) = parcours_store::testing::sqlite().await.map_err(e)?;
        (db, Some(dir))
    };
    let engine = if args.postgres {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let loaded = parcours_store::organisation::get_organisation(&db, uuid::Uuid::from_u128(1))
        .await
        .is_ok();
    let fx = if loaded {
        let seed = jiff::Timestamp::now().as_second() as u64;
        println!("{engine}: reusing the kept data set");
        Fixture::reopen(db, seed)
    } else {
        Fixture::new(db).await
    };
    let ctx = fx.ctx("direction").await;
    if !loaded {
        load(&fx, &ctx, &args, engine).await?;
    }
    // Steady state: what autovacuum does on PostgreSQL over time (visibility map, statistics);
    // on SQLite, the checkpoint that moves a bulk load's write-ahead log into the database (else
    // the first measured writes pay for copying it).
    match &fx.app.db {
        parcours_store::Db::Postgres(p) => {
            sqlx::query("vacuum (analyze)")
                .execute(p)
                .await
                .map_err(|e| e.to_string())?;
        }
        parcours_store::Db::Sqlite(p) => {
            sqlx::query("pragma wal_checkpoint(truncate)")
                .execute(p)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    fx.app.db.optimize().await.map_err(e)?;
    let router = parcours_web::router(AppState {
        app: fx.app.clone(),
        config: WebConfig {
            secure_cookies: false,
        },
    });
    if args.suite == "identity" || args.suite == "all" {
        identity_suite(&fx, &ctx, &router, &args, engine).await?;
    }
    if args.suite == "daily" || args.suite == "all" {
        daily_suite(&fx, &router, &args, engine).await?;
    }
    Ok(())
}

/// Builds the data set: units of `unit_size` persons, the persons, then the transmissions.
async fn load(
    fx: &Fixture,
    ctx: &parcours_app::Ctx,
    args: &Args,
    engine: &str,
) -> Result<(), String> {
    let e = |x: parcours_app::AppError| format!("{x:?}");
    let mut placements = vec![
        (fx.ehpad, Some(fx.glycines)),
        (fx.ehpad, Some(fx.lilas)),
        (fx.ditep, Some(fx.internat)),
        (fx.ditep, Some(fx.sessad)),
    ];
    let units = args.persons.div_ceil(args.unit_size.max(1)).max(4);
    let mut tx = fx.app.db.begin().await.map_err(|x| x.to_string())?;
    for n in 4..units {
        let etab = if n % 2 == 0 { fx.ehpad } else { fx.ditep };
        let id = uuid::Uuid::from_u128(0x5000_0000 + n as u128);
        parcours_store::organisation::insert_unite(
            &mut tx,
            &parcours_store::organisation::UniteRow {
                organisation_id: fx.org.as_uuid(),
                id,
                etablissement_id: etab.as_uuid(),
                name: format!("Unité {n}"),
                active: true,
                version: 1,
            },
            fx.app.now().as_microsecond(),
        )
        .await
        .map_err(|x| x.to_string())?;
        placements.push((
            etab,
            Some(parcours_app::domain::ids::UniteId::from_uuid(id)),
        ));
    }
    tx.commit().await.map_err(|x| x.to_string())?;
    let t0 = Instant::now();
    fx.app
        .load_synthetic(ctx, &placements, args.persons, 7)
        .await
        .map_err(e)?;
    let persons_s = t0.elapsed().as_secs_f64();
    println!(
        "{engine}: {} persons in {units} units loaded in {persons_s:.1} s ({:.0} persons/s)",
        args.persons,
        args.persons as f64 / persons_s
    );
    if args.suite == "identity" || args.transmissions == 0 {
        return Ok(());
    }
    let persons = synthetic_persons(fx).await?;
    let authors: Vec<uuid::Uuid> = (100..112).map(uuid::Uuid::from_u128).collect();
    let t0 = Instant::now();
    let bulk = parcours_store::bulk::start(&fx.app.db)
        .await
        .map_err(|x| x.to_string())?;
    let written = fx
        .app
        .load_synthetic_transmissions(ctx, &persons, &authors, args.transmissions, 90, 11)
        .await
        .map_err(e)?;
    let rows_s = t0.elapsed().as_secs_f64();
    parcours_store::bulk::finish(&fx.app.db, bulk)
        .await
        .map_err(|x| x.to_string())?;
    let all_s = t0.elapsed().as_secs_f64();
    println!(
        "{engine}: {written} transmissions loaded in {all_s:.0} s ({:.0} per second; indexes built in {:.0} s)",
        written as f64 / all_s,
        all_s - rows_s
    );
    Ok(())
}

/// Every loaded person with the unit they are followed in.
async fn synthetic_persons(fx: &Fixture) -> Result<Vec<SyntheticPerson>, String> {
    let sql = "select usager_id, etablissement_id, unite_id from usager_placement where organisation_id = $1";
    let rows: Vec<(uuid::Uuid, uuid::Uuid, Option<uuid::Uuid>)> = match &fx.app.db {
        parcours_store::Db::Sqlite(p) => {
            sqlx::query_as(sql)
                .bind(fx.org.as_uuid())
                .fetch_all(p)
                .await
        }
        parcours_store::Db::Postgres(p) => {
            sqlx::query_as(sql)
                .bind(fx.org.as_uuid())
                .fetch_all(p)
                .await
        }
    }
    .map_err(|x| x.to_string())?;
    Ok(rows
        .into_iter()
        .map(|(usager, etablissement, unite)| SyntheticPerson {
            usager,
            etablissement,
            unite,
        })
        .collect())
}

/// Logs in through the use case and returns the session cookie (pages) or token (API).
async fn session(fx: &Fixture, login: &str, kind: SessionKind) -> Result<String, String> {
    Ok(fx
        .app
        .login(login, PASSWORD, "127.0.0.1", "bench", kind)
        .await
        .map_err(|x| format!("{x:?}"))?
        .token)
}

async fn identity_suite(
    fx: &Fixture,
    ctx: &parcours_app::Ctx,
    router: &axum::Router,
    args: &Args,
    engine: &str,
) -> Result<(), String> {
    let router = router.clone();
    let cookie = format!(
        "parcours_session={}",
        session(fx, "direction", SessionKind::Web).await?
    );
    // Queries a professional types: a 3-letter prefix, name + first name, a birth date, an INS start.
    let page = fx
        .app
        .search_usagers(ctx, "", None, 200)
        .await
        .map_err(|e| e.to_string())?;
    let ids: Vec<String> = page.items.iter().map(|i| i.id.to_string()).collect();
    if ids.is_empty() {
        return Err("no person loaded: use --persons 1 or more".into());
    }
    let mut seq = Seq::new(99);
    let names: Vec<String> = page.items.iter().map(|i| i.display_name.clone()).collect();
    let mut queries = Vec::new();
    for i in 0..args.requests {
        let name = &names[seq.below(names.len() as u64) as usize];
        let mut words = name.split(' ');
        let last = words.next().unwrap_or("MARTIN");
        let first = words.next().unwrap_or("");
        let q = match i % 4 {
            0 => last.chars().take(3).collect::<String>(),
            1 => format!(
                "{} {}",
                last.to_lowercase(),
                first.chars().take(2).collect::<String>()
            ),
            2 => format!(
                "{:02}/{:02}/19{:02}",
                1 + seq.below(28),
                1 + seq.below(12),
                30 + seq.below(20)
            ),
            _ => format!("2 {:02} 0", 30 + seq.below(20)),
        };
        queries.push(q);
    }

    for q in queries.iter().take(50) {
        get(&router, &format!("/usagers?q={}", urlencode(q)), &cookie).await?;
    }
    let mut search_ms = Vec::with_capacity(queries.len());
    let mut by_kind: [Vec<f64>; 4] = Default::default();
    let mut hits = 0usize;
    for (i, q) in queries.iter().enumerate() {
        let t = Instant::now();
        let (status, len) = get(&router, &format!("/usagers?q={}", urlencode(q)), &cookie).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        search_ms.push(ms);
        by_kind[i % 4].push(ms);
        if status != StatusCode::OK {
            return Err(format!("search {q} answered {status}"));
        }
        hits += len;
    }
    let mut record_ms = Vec::with_capacity(args.requests);
    for i in 0..args.requests {
        let id = &ids[(i * 7919) % ids.len()];
        let t = Instant::now();
        let (status, _) = get(&router, &format!("/usagers/{id}"), &cookie).await?;
        record_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if status != StatusCode::OK {
            return Err(format!("record {id} answered {status}"));
        }
    }
    // Projets personnalisés: a written projet for up to 200 persons, then its page and its PDF.
    let projets = build_projets(fx, ctx, &page.items, 200).await?;
    let mut projet_ms = Vec::with_capacity(args.requests);
    let mut pdf_ms = Vec::with_capacity(args.requests / 4);
    let mut admission_ms = Vec::with_capacity(args.requests);
    for i in 0..args.requests {
        let (person, projet) = &projets[(i * 7919) % projets.len()];
        let t = Instant::now();
        let (status, _) = get(
            &router,
            &format!("/usagers/{person}/projets/{projet}"),
            &cookie,
        )
        .await?;
        projet_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if status != StatusCode::OK {
            return Err(format!("projet {projet} answered {status}"));
        }
        let t = Instant::now();
        let (status, _) = get(&router, &format!("/usagers/{person}/admission"), &cookie).await?;
        admission_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if status != StatusCode::OK {
            return Err(format!("admission of {person} answered {status}"));
        }
        if i % 4 == 0 {
            let t = Instant::now();
            let (status, _) = get(
                &router,
                &format!("/usagers/{person}/projets/{projet}/document.pdf"),
                &cookie,
            )
            .await?;
            pdf_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            if status != StatusCode::OK {
                return Err(format!("PDF of {projet} answered {status}"));
            }
        }
    }
    let audit_events = parcours_store::audit::page(&fx.app.db, fx.org.as_uuid(), 0, 1)
        .await
        .map_err(|e| e.to_string())?
        .len();
    println!(
        "\n{engine}: peak RSS {:.0} MiB; {} bytes of search pages; audit ok: {}\n",
        peak_rss_mib(),
        hits,
        audit_events == 1
    );
    println!("| {engine} (ms) | requests | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|---|");
    report("search, all kinds (`GET /usagers?q=`)", search_ms);
    let [prefix, name_first, birth_date, ins] = by_kind;
    report("search: 3-letter name prefix (`MAR`)", prefix);
    report("search: name + first-name prefix (`martin cl`)", name_first);
    report("search: birth date (`12/03/1938`)", birth_date);
    report("search: INS start (`2 38 0`)", ins);
    report("record page (`GET /usagers/{id}`)", record_ms);
    report(
        "admission tab (`GET /usagers/{id}/admission`)",
        admission_ms,
    );
    report("projet page (`GET /usagers/{id}/projets/{p}`)", projet_ms);
    report("projet PDF (`…/document.pdf`)", pdf_ms);
    Ok(())
}

/// Words professionals search for: common ones (thousands of hits), rarer ones, two words.
const SEARCHES: &[&str] = &[
    "douleur",
    "hématome",
    "fugue boulangerie",
    "convulsions",
    "escarre talon",
    "appétit",
    "colère plateau",
    "saturation",
    "nuit agitée",
    "mathématiques",
];

/// The daily record: the relève of a 50-person unit, a person's timeline and transmissions, the
/// full-text search (a whole-establishment reader and a one-unit reader) and writing a
/// transmission through the API.
async fn daily_suite(
    fx: &Fixture,
    router: &axum::Router,
    args: &Args,
    engine: &str,
) -> Result<(), String> {
    let router = router.clone();
    let unit_cookie = format!(
        "parcours_session={}",
        session(fx, "as.glycines", SessionKind::Web).await?
    );
    let direction_cookie = format!(
        "parcours_session={}",
        session(fx, "direction", SessionKind::Web).await?
    );
    let token = session(fx, "as.glycines", SessionKind::Api).await?;
    let persons: Vec<String> = synthetic_persons(fx)
        .await?
        .into_iter()
        .filter(|p| p.unite == Some(fx.glycines.as_uuid()))
        .map(|p| p.usager.to_string())
        .collect();
    if persons.is_empty() {
        return Err("no person in the Glycines unit".into());
    }
    let n = args.requests;
    let check = |what: &str, status: StatusCode| -> Result<(), String> {
        if status == StatusCode::OK || status == StatusCode::CREATED {
            Ok(())
        } else {
            Err(format!("{what} answered {status}"))
        }
    };
    let releve_uri = format!("/releve?unite={}", fx.glycines);
    let mut releve_ms = Vec::with_capacity(n);
    let mut releve_bytes = 0;
    for _ in 0..n {
        let t = Instant::now();
        let (status, len) = get(&router, &releve_uri, &unit_cookie).await?;
        releve_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        check("relève", status)?;
        releve_bytes = len;
    }
    let mut timeline_ms = Vec::with_capacity(n);
    let mut list_ms = Vec::with_capacity(n);
    for i in 0..n {
        let person = &persons[(i * 7919) % persons.len()];
        let t = Instant::now();
        let (status, _) = get(
            &router,
            &format!("/usagers/{person}/chronologie"),
            &unit_cookie,
        )
        .await?;
        timeline_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        check("chronologie", status)?;
        let t = Instant::now();
        let (status, _) = get(
            &router,
            &format!("/usagers/{person}/transmissions"),
            &unit_cookie,
        )
        .await?;
        list_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        check("transmissions", status)?;
    }
    let mut search_wide = Vec::with_capacity(n);
    let mut search_unit = Vec::with_capacity(n);
    for i in 0..n {
        let q = urlencode(SEARCHES[i % SEARCHES.len()]);
        let t = Instant::now();
        let (status, _) = get(&router, &format!("/recherche?q={q}"), &direction_cookie).await?;
        search_wide.push(t.elapsed().as_secs_f64() * 1000.0);
        check("recherche", status)?;
        let t = Instant::now();
        let (status, _) = get(&router, &format!("/recherche?q={q}"), &unit_cookie).await?;
        search_unit.push(t.elapsed().as_secs_f64() * 1000.0);
        check("recherche", status)?;
    }
    let mut write_ms = Vec::with_capacity(n);
    for i in 0..n {
        // The fixture's clock stands still; real writes are seconds apart (this data set holds
        // about one per second), and writes at the same microsecond would each probe for a free
        // search position.
        fx.clock.advance(jiff::SignedDuration::from_secs(1));
        let person = &persons[(i * 104_729) % persons.len()];
        let body = serde_json::json!({
            "cible": "douleur",
            "category": "soins",
            "donnees": format!("Douleur au genou signalée au lever, mesure {i}"),
            "actions": "Antalgique donné selon la prescription",
            "important": i % 10 == 0,
        });
        let req = Request::post(format!("/api/v1/usagers/{person}/transmissions"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .map_err(|x| x.to_string())?;
        let t = Instant::now();
        let resp = router
            .clone()
            .oneshot(req)
            .await
            .map_err(|x| x.to_string())?;
        let status = resp.status();
        axum::body::to_bytes(resp.into_body(), 1024 * 1024)
            .await
            .map_err(|x| x.to_string())?;
        write_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        check("écriture", status)?;
    }
    println!(
        "\n{engine}: daily record, {} persons in the measured unit, relève page {} bytes; peak RSS {:.0} MiB\n",
        persons.len(),
        releve_bytes,
        peak_rss_mib()
    );
    println!("| {engine} (ms) | requests | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|---|");
    report("relève of a unit (`GET /releve?unite=`)", releve_ms);
    report("timeline (`GET /usagers/{id}/chronologie`)", timeline_ms);
    report(
        "transmissions of a person (`GET /usagers/{id}/transmissions`)",
        list_ms,
    );
    report(
        "search, whole organisation (`GET /recherche?q=`)",
        search_wide,
    );
    report("search, one unit's reader", search_unit);
    report(
        "write a transmission (`POST /api/v1/usagers/{id}/transmissions`)",
        write_ms,
    );
    Ok(())
}

/// Writes a projet personnalisé (one attente, two needs, two objectives with their actions, the
/// person as participant) for up to `n` persons, through the use cases.
async fn build_projets(
    fx: &Fixture,
    ctx: &parcours_app::Ctx,
    persons: &[parcours_app::usager::UsagerListItem],
    n: usize,
) -> Result<Vec<(String, String)>, String> {
    use parcours_app::domain::projet::{
        Element, RawAction, RawAttente, RawBesoin, RawObjectif, RawParticipant,
    };
    let e = |x: parcours_app::AppError| format!("{x:?}");
    let mut out = Vec::new();
    for p in persons.iter().take(n) {
        let record = fx.app.get_usager(ctx, p.id).await.map_err(e)?;
        let Some(place) = record.placements.first() else {
            continue;
        };
        let id = fx
            .app
            .create_projet(
                ctx,
                p.id,
                &parcours_app::projet::RawNewProjet {
                    etablissement_id: place.etablissement_id.to_string(),
                    kind: "PPA".into(),
                },
            )
            .await
            .map_err(e)?;
        let mut version = 1;
        let mut put = async |element: Element| -> Result<u32, String> {
            let r = fx
                .app
                .put_projet_element(ctx, id, None, &element, version)
                .await
                .map_err(e)?;
            version += 1;
            Ok(r)
        };
        put(Element::Attente(RawAttente {
            origine: "personne".into(),
            texte: "Je voudrais continuer à aller au marché le samedi avec ma fille.".into(),
        }))
        .await?;
        let mut objectifs = Vec::new();
        for (need, title) in [
            ("1.3.4.1", "Sortir chaque semaine"),
            ("1.2.1.3", "Marcher seul"),
        ] {
            let b = put(Element::Besoin(RawBesoin {
                code: need.into(),
                commentaire: "Besoin important".into(),
            }))
            .await?;
            objectifs.push(
                put(Element::Objectif(RawObjectif {
                    titre: title.into(),
                    besoins: vec![b.to_string()],
                    echeance: "2027-06-30".into(),
                    resultat_attendu: "Réalisé chaque semaine".into(),
                    referent: "Karim Haddad".into(),
                    ..RawObjectif::default()
                }))
                .await?,
            );
        }
        for o in objectifs {
            put(Element::Action(RawAction {
                libelle: "Accompagnement par un professionnel".into(),
                objectifs: vec![o.to_string()],
                moyens: "Deux heures par semaine".into(),
                prestations: vec!["2.2.1".into()],
                ..RawAction::default()
            }))
            .await?;
        }
        put(Element::Participant(RawParticipant {
            nom: p.display_name.clone(),
            role: "usager".into(),
            contribution: "A choisi ses objectifs".into(),
        }))
        .await?;
        out.push((p.id.to_string(), id.to_string()));
    }
    if out.is_empty() {
        return Err("no projet could be written".into());
    }
    Ok(out)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // Quiet by default; `RUST_LOG=sqlx=warn` shows the statements slower than a second.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("parcours-bench: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("parcours-bench: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
