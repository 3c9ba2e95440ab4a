//! Time and identifiers come from outside the domain, so that tests control them. The real
//! implementations live in the binary (the only place that reads the wall clock).

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use jiff::Timestamp;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

pub trait IdGen: Send + Sync + 'static {
    fn new_uuid(&self) -> uuid::Uuid;
}

/// A clock tests set and advance.
#[derive(Debug)]
pub struct ManualClock {
    micros: AtomicI64,
}

impl ManualClock {
    pub fn new(t: Timestamp) -> ManualClock {
        ManualClock {
            micros: AtomicI64::new(t.as_microsecond()),
        }
    }
    pub fn set(&self, t: Timestamp) {
        self.micros.store(t.as_microsecond(), Ordering::SeqCst);
    }
    pub fn advance(&self, d: jiff::SignedDuration) {
        self.micros
            .fetch_add(d.as_micros() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_microsecond(self.micros.load(Ordering::SeqCst))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

/// Deterministic, unique, increasing UUIDv7-shaped ids for tests and generated data.
#[derive(Debug)]
pub struct SeededIds {
    seed: u64,
    counter: AtomicU64,
}

impl SeededIds {
    pub fn new(seed: u64) -> SeededIds {
        SeededIds {
            seed,
            counter: AtomicU64::new(0),
        }
    }
}

impl IdGen for SeededIds {
    fn new_uuid(&self) -> uuid::Uuid {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&(n ^ self.seed.rotate_left(17)).to_be_bytes());
        random[8..].copy_from_slice(&(self.seed as u16).to_be_bytes());
        // 1.7e12 ms ≈ 2023: a plausible timestamp; the counter keeps ids strictly increasing.
        uuid::Builder::from_unix_timestamp_millis(1_700_000_000_000 + n, &random).into_uuid()
    }
}

/// The civil date in France (Europe/Paris, DST-aware), which decides "today" for birth dates.
pub fn today_in_paris(ts: Timestamp) -> jiff::civil::Date {
    match ts.in_tz("Europe/Paris") {
        Ok(z) => z.date(),
        Err(_) => ts.to_zoned(jiff::tz::TimeZone::UTC).date(),
    }
}
