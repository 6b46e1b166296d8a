//! Firmly Desk's application service, shared by the desktop app and the `firmly` CLI:
//! the multi-merchant cart set, checkout flows, exactly-once orders, input validation and
//! persistence of settings and the device session. No Tauri dependency.

pub mod launch;
pub mod mapping;
pub mod orders;
pub mod receipt;
pub mod service;
pub mod snapshot;
pub mod storage;
pub mod validation;
pub mod view;

pub use service::{
    demo_merchants, AddonChoice, CheckoutService, Environment, EventSink, NoEvents, ShipmentChoice,
};
pub use storage::{
    CardEncryption, JsonFileStore, KeyValueStore, MemoryStore, Mode, Persistence, Settings,
};
pub use view::*;
