//! Runs each scenario on SQLite and on PostgreSQL: the same use cases, two real engines.
#![allow(dead_code)]

/// `both!(name, scenario)` makes `name::sqlite` and `name::postgres` tests calling `scenario(Fixture)`.
#[macro_export]
macro_rules! both {
    ($($name:ident => $scenario:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (db, _dir) = parcours_store::testing::sqlite().await.unwrap();
                super::$scenario(parcours_app::testing::Fixture::new(db).await).await;
            }
            #[tokio::test]
            async fn postgres() {
                let db = parcours_store::testing::postgres(stringify!($name)).await.unwrap();
                super::$scenario(parcours_app::testing::Fixture::new(db).await).await;
            }
        }
    )*};
}
