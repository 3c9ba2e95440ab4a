//! The two migration sets are one logical schema: same versions, same tables, same columns, same
//! constraint names; and the audit table refuses UPDATE and DELETE on both engines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use parcours_store::{Db, MIGRATIONS, testing};

fn files(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_files_and_all_are_embedded() {
    let sqlite = files("sqlite");
    let postgres = files("postgres");
    assert_eq!(sqlite, postgres);
    assert_eq!(
        sqlite.len(),
        MIGRATIONS.len(),
        "every migration file must be listed in MIGRATIONS"
    );
    for (version, name, _, _) in MIGRATIONS {
        assert!(
            sqlite.contains(&format!("{version:04}_{name}.sql")),
            "{version} {name}"
        );
    }
}

fn constraint_names(sql: &str) -> BTreeSet<String> {
    sql.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0] == "constraint")
        .map(|w| w[1].to_string())
        .collect()
}

#[test]
fn both_backends_use_the_same_constraint_names() {
    for (version, _, sqlite, postgres) in MIGRATIONS {
        assert_eq!(
            constraint_names(sqlite),
            constraint_names(postgres),
            "migration {version}"
        );
    }
}

async fn columns(db: &Db) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String)> = match db {
        // The FTS5 term index (search_fts and its shadow tables) is SQLite's form of PostgreSQL's
        // GIN index search_doc_terms_ix: an index, not a table of the logical schema.
        Db::Sqlite(p) => sqlx::query_as(
            "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p \
             where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like '_sqlx%' \
             and m.name not like 'search_fts%'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        Db::Postgres(p) => sqlx::query_as(
            "select table_name::text, column_name::text from information_schema.columns \
             where table_schema = current_schema() and table_name not like '_sqlx%'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    };
    rows.into_iter().collect()
}

#[tokio::test]
async fn both_schemas_expose_the_same_columns() {
    let (sqlite, _dir) = testing::sqlite().await.unwrap();
    let postgres = testing::postgres("parity").await.unwrap();
    let a = columns(&sqlite).await;
    let b = columns(&postgres).await;
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

async fn audit_is_append_only(db: Db) {
    use parcours_store::audit::{NewEvent, append, verify};
    use parcours_store::organisation::{OrganisationRow, insert_organisation};
    let org = uuid::Uuid::from_u128(1);
    let mut tx = db.begin().await.unwrap();
    insert_organisation(
        &mut tx,
        &OrganisationRow {
            id: org,
            name: "Org".into(),
            finess_ej: None,
        },
        1,
    )
    .await
    .unwrap();
    for i in 0..3 {
        let e = NewEvent {
            organisation_id: org,
            id: uuid::Uuid::from_u128(100 + i),
            at: 10 + i as i64,
            actor_id: None,
            actor_label: "test".into(),
            action: "usager.consultation".into(),
            usager_id: None,
            target: "usager".into(),
            ip: "127.0.0.1".into(),
            detail: "{}".into(),
        };
        append(&mut tx, &e).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(verify(&db, org).await.unwrap(), Ok(3));

    let update = match &db {
        Db::Sqlite(p) => sqlx::query("update audit_event set actor_label = 'x'")
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("update audit_event set actor_label = 'x'")
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = match &db {
        Db::Sqlite(p) => sqlx::query("delete from audit_event where seq = 2")
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("delete from audit_event where seq = 2")
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(verify(&db, org).await.unwrap(), Ok(3));
}

#[tokio::test]
async fn sqlite_refuses_to_update_or_delete_audit_events() {
    let (db, _dir) = testing::sqlite().await.unwrap();
    audit_is_append_only(db).await;
}

#[tokio::test]
async fn postgres_refuses_to_update_or_delete_audit_events() {
    audit_is_append_only(testing::postgres("append_only").await.unwrap()).await;
}

/// Tampering that bypasses the guard (someone with file access drops the trigger) is detected, and
/// `verify` names the first broken link.
async fn tampering_is_detected(db: Db) {
    use parcours_store::audit::{NewEvent, append, verify};
    use parcours_store::organisation::{OrganisationRow, insert_organisation};
    let org = uuid::Uuid::from_u128(7);
    let mut tx = db.begin().await.unwrap();
    insert_organisation(
        &mut tx,
        &OrganisationRow {
            id: org,
            name: "Org".into(),
            finess_ej: None,
        },
        1,
    )
    .await
    .unwrap();
    for i in 0..5u128 {
        let e = NewEvent {
            organisation_id: org,
            id: uuid::Uuid::from_u128(200 + i),
            at: 10,
            actor_id: None,
            actor_label: "test".into(),
            action: "usager.consultation".into(),
            usager_id: None,
            target: "usager".into(),
            ip: "127.0.0.1".into(),
            detail: "{}".into(),
        };
        append(&mut tx, &e).await.unwrap();
    }
    tx.commit().await.unwrap();
    match &db {
        Db::Sqlite(p) => {
            sqlx::query("drop trigger audit_event_no_update")
                .execute(p)
                .await
                .unwrap();
            sqlx::query("update audit_event set actor_label = 'falsifié' where seq = 3")
                .execute(p)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query("alter table audit_event disable trigger audit_event_no_update")
                .execute(p)
                .await
                .unwrap();
            sqlx::query("update audit_event set actor_label = 'falsifié' where seq = 3")
                .execute(p)
                .await
                .unwrap();
        }
    }
    let broken = verify(&db, org).await.unwrap().unwrap_err();
    assert_eq!(broken.seq, 3);
}

#[tokio::test]
async fn sqlite_audit_verification_names_the_first_tampered_event() {
    let (db, _dir) = testing::sqlite().await.unwrap();
    tampering_is_detected(db).await;
}

#[tokio::test]
async fn postgres_audit_verification_names_the_first_tampered_event() {
    tampering_is_detected(testing::postgres("tamper").await.unwrap()).await;
}
