//! The model layer: plain data and the small helpers that only read it. Merchant fixtures
//! (hand-written and generated), carts and shipments, the world (devices, carts, orders,
//! journal, clock), addresses, cards, ids, money and the profile. Nothing here imports from
//! the rules, views, plumbing or routes layers.

pub mod address;
pub mod card;
pub mod cart;
pub mod catalog;
pub mod fixtures;
pub mod generated;
pub mod ids;
pub mod money;
pub mod profile;
pub mod world;
