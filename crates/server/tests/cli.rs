//! The `parcours` binary as an operator uses it: first administrator from standard input, audit
//! verification that names the first broken link.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn parcours(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parcours"))
        .args(args)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn creates_the_first_administrator_and_verifies_then_detects_a_broken_audit_chain() {
    let dir = parcours_store::testing::TempDir::new().unwrap();
    let data = dir.path().to_str().unwrap().to_string();

    let weak = parcours(
        &[
            "admin",
            "create",
            "--data-dir",
            &data,
            "--login",
            "admin",
            "--password-stdin",
        ],
        "court\n",
    );
    assert!(!weak.status.success());
    assert!(
        text(&weak).contains("au moins 12 caractères"),
        "{}",
        text(&weak)
    );

    let ok = parcours(
        &[
            "admin",
            "create",
            "--data-dir",
            &data,
            "--login",
            "admin",
            "--password-stdin",
            "--organisation",
            "Association Test",
        ],
        "cheval agrafe correct batterie\n",
    );
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("Compte administrateur « admin » créé"));

    let again = parcours(
        &[
            "admin",
            "create",
            "--data-dir",
            &data,
            "--login",
            "admin",
            "--password-stdin",
        ],
        "cheval agrafe correct batterie\n",
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("Cet identifiant est déjà utilisé."));

    let verify = parcours(&["audit", "verify", "--data-dir", &data], "");
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains("Association Test")
            && text(&verify).contains("intègre, 1 événements")
    );

    // Someone with access to the file bypasses the append-only guard and rewrites history.
    let db = parcours_store::Db::open_sqlite(&dir.path().join("parcours.sqlite"))
        .await
        .unwrap();
    let parcours_store::Db::Sqlite(pool) = &db else {
        panic!()
    };
    sqlx::query("drop trigger audit_event_no_update")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("update audit_event set actor_label = 'quelqu''un d''autre' where seq = 1")
        .execute(pool)
        .await
        .unwrap();
    db.close().await;

    let broken = parcours(&["audit", "verify", "--data-dir", &data], "");
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        text(&broken).contains("CHAÎNE D'AUDIT ROMPUE à l'événement n° 1"),
        "{}",
        text(&broken)
    );
}

#[test]
fn migrate_creates_the_database() {
    let dir = parcours_store::testing::TempDir::new().unwrap();
    let out = parcours(&["migrate", "--data-dir", dir.path().to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.path().join("parcours.sqlite").exists());
}

#[test]
fn aggir_prints_the_gir_and_on_request_its_explanation() {
    let out = parcours(&["aggir", "AABBAAAAAA"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "GIR 4 (rang 11)\n");

    let lower = parcours(&["aggir", "aabbaaaaaa"], "");
    assert_eq!(String::from_utf8_lossy(&lower.stdout), "GIR 4 (rang 11)\n");

    let explained = parcours(&["aggir", "AABBAAAAAA", "--explain"], "");
    assert!(explained.status.success(), "{}", text(&explained));
    let stdout = String::from_utf8_lossy(&explained.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "GIR 4 (rang 11)");
    assert_eq!(lines[1], "Variables discriminantes :");
    assert!(stdout.contains("Groupe H : score 4000"), "{stdout}");
    assert_eq!(
        *lines.last().unwrap(),
        "Décision : groupe H, score 4000 ≥ seuil 4000 → rang 11 → GIR 4 (annexe 2-2, passage des \
         rangs aux groupes : rangs 10, 11 → GIR 4)."
    );

    let bad = parcours(&["aggir", "AABDAAAAAA"], "");
    assert!(!bad.status.success());
    assert!(bad.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("« D » en position 4 (habillage) n'est pas une modalité AGGIR"),
        "{stderr}"
    );
    let short = parcours(&["aggir", "AAB"], "");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("10 lettres attendues"));
}
