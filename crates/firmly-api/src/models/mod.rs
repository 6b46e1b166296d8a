//! Wire models of the Firmly API, decoded tolerantly (ENDPOINTS.md §2 and §7).

pub mod addons;
pub mod address;
pub mod availability;
pub mod cart;
pub mod catalog;
pub mod common;
pub mod payment;
pub mod pickup;
pub mod session;
pub mod shipment;
pub mod slots;
