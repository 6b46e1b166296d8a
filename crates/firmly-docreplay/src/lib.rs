//! `firmly-docreplay`: the Firmly docs' own JSON samples, vendored one file each under
//! `fixtures/`, and a stateless HTTP server that answers every documented endpoint with the
//! sample of that endpoint's own page.
//!
//! It is an independent reading of the docs (no dependency on `firmly-api` or
//! `firmly-sandbox`), so the client's models and flows can be checked against what the
//! docs literally show. See the crate README for how fixtures are made and the endpoint
//! table of the replay server.

pub mod classify;
pub mod extract;
mod fixture;
mod routes;
mod server;

pub use fixture::{fixture, fixtures, fixtures_dir, Fixture, InvalidSample, Role};
pub use server::{start, DocReplay, JournalEntry, Route, Substitution, RAY_ID, ROUTES};
