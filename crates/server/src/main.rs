//! `parcours`: the single binary. Serves the application, migrates the database, creates the first
//! administrator, verifies the audit trail, computes a GIR.
//!
//! This is the one place where real time and real random ids enter the program
//! ([`SystemClock`], [`UuidV7Ids`]); everything below receives them, so tests control both.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use parcours_app::{App, AppConfig, AppError};
use parcours_domain::clock::{Clock, IdGen};
use parcours_store::Db;
use parcours_web::{AppState, WebConfig};

#[derive(Parser)]
#[command(
    name = "parcours",
    version,
    about = "Parcours — dossier usager informatisé"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives. Without `--database`, an SQLite file in `--data-dir`.
#[derive(clap::Args, Clone)]
struct DbArgs {
    /// Directory of the embedded SQLite database (created if missing).
    #[arg(long, env = "PARCOURS_DATA_DIR", default_value = "parcours-data")]
    data_dir: PathBuf,
    /// Database URL: `postgres://user@host/db` for PostgreSQL, or `sqlite:PATH`.
    #[arg(long, env = "PARCOURS_DATABASE_URL")]
    database: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web interface and the API (applies pending migrations first).
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// Address to listen on.
        #[arg(long, env = "PARCOURS_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Load the demonstration organisation (once; idempotent).
        #[arg(long)]
        demo: bool,
        /// Send the session cookie without `Secure` (only for plain HTTP outside the loopback
        /// interface, e.g. a test network; never in production). On loopback it is automatic.
        #[arg(long, env = "PARCOURS_INSECURE_COOKIES")]
        insecure_cookies: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Rebuild the full-text search index from the records (after restoring a backup made by
    /// another version, or to check it): every transmission and note is indexed again.
    SearchReindex {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Administration from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Audit trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Compute a GIR (AGGIR, CASF annexe 2-2) from the 10 discriminant letters, e.g. AABBAAAAAA
    /// (cohérence, orientation, toilette, habillage, alimentation, élimination, transferts,
    /// déplacements intérieurs, déplacements extérieurs, communication à distance).
    Aggir {
        /// 10 letters A, B or C (lower case accepted).
        #[arg(value_name = "LETTERS")]
        letters: String,
        /// Print the explanation (each variable, each group tried, the decision) after the GIR.
        #[arg(long)]
        explain: bool,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator account (and the organisation when the database has none).
    Create {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        login: String,
        /// Read the password from standard input (so it appears in no process list or history).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long, default_value = "Administrateur")]
        first_name: String,
        #[arg(long, default_value = "Parcours")]
        last_name: String,
        /// Name of the organisation to create when none exists yet.
        #[arg(long, default_value = "Mon organisation")]
        organisation: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every organisation's hash chain; exit code 1 and the first broken link if any.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Wall-clock time, read here only.
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}

/// Time-ordered UUIDv7 ids (good B-tree locality), made here only.
struct UuidV7Ids;

impl IdGen for UuidV7Ids {
    fn new_uuid(&self) -> uuid::Uuid {
        uuid::Uuid::now_v7()
    }
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Message(String),
    #[error(transparent)]
    Store(#[from] parcours_store::StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(errors) => CliError::Message(
                errors
                    .0
                    .iter()
                    .map(|e| format!("{} : {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            other => CliError::Message(other.to_string()),
        }
    }
}

async fn open_db(args: &DbArgs) -> Result<Db, CliError> {
    let db = match &args.database {
        Some(url) => Db::connect(url).await?,
        None => {
            std::fs::create_dir_all(&args.data_dir)?;
            Db::open_sqlite(&args.data_dir.join("parcours.sqlite")).await?
        }
    };
    db.migrate().await?;
    db.optimize().await?;
    Ok(db)
}

fn app(db: Db) -> App {
    App::new(
        db,
        Arc::new(SystemClock),
        Arc::new(UuidV7Ids),
        AppConfig::default(),
    )
}

async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            demo,
            insecure_cookies,
        } => {
            let app = app(open_db(&db).await?);
            if demo && app.load_demo().await? {
                tracing::info!("demo organisation loaded");
            }
            let listener = tokio::net::TcpListener::bind(listen).await?;
            let secure_cookies = !(insecure_cookies || listen.ip().is_loopback());
            if !secure_cookies {
                tracing::warn!(
                    "session cookie sent without Secure: use TLS in front of Parcours in production"
                );
            }
            tracing::info!(address = %listener.local_addr()?, "Parcours listening");
            let state = AppState {
                app,
                config: WebConfig { secure_cookies },
            };
            parcours_web::serve(listener, state, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Aggir { letters, explain } => {
            let letters = parcours_domain::aggir::Letters::parse(&letters)
                .map_err(|e| CliError::Message(e.message))?;
            let assessment = letters.assess();
            println!("{}", assessment.summary());
            if explain {
                for line in assessment.explanation.lines() {
                    println!("{line}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::SearchReindex { db } => {
            let app = app(open_db(&db).await?);
            let n = app.reindex_search().await?;
            println!("Index de recherche reconstruit : {n} documents.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { db } => {
            open_db(&db).await?;
            println!("Base de données à jour.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    db,
                    login,
                    password_stdin: _,
                    first_name,
                    last_name,
                    organisation,
                },
        } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']);
            let app = app(open_db(&db).await?);
            let id = app
                .bootstrap_admin(&organisation, &login, password, &first_name, &last_name)
                .await?;
            println!("Compte administrateur « {login} » créé ({id}).");
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => {
            let app = app(open_db(&db).await?);
            let mut ok = true;
            for (id, name, result) in app.verify_audit().await? {
                match result {
                    Ok(n) => {
                        println!("{name} ({id}) : chaîne d'audit intègre, {n} événements vérifiés.")
                    }
                    Err(broken) => {
                        ok = false;
                        println!(
                            "{name} ({id}) : CHAÎNE D'AUDIT ROMPUE à l'événement n° {} : {}",
                            broken.seq, broken.reason
                        );
                    }
                }
            }
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("parcours: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(Cli::parse())) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("parcours: {e}");
            ExitCode::from(2)
        }
    }
}
