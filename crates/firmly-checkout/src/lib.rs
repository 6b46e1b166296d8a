//! Firmly Desk's application service, shared by the desktop app and the `firmly` CLI: the
//! multi-merchant cart set, checkout flows, exactly-once orders, input validation and
//! persistence of settings and the device session. No Tauri dependency.
//!
//! Start at [`desk::Desk::start`], the one composition root; the service's actions are in
//! [`service`], order placement in [`orders`], what the UI renders in [`view`] and
//! [`readiness`].

// `ApiError` is the IPC error contract (ARCHITECTURE.md contract 1): its fields are read
// directly by every layer, and it travels on the cold path only, so it is not boxed.
#![allow(clippy::result_large_err)]

pub mod audit;
pub mod desk;
pub mod domain;
pub mod launch;
pub mod mapping;
pub mod orders;
pub mod paypal;
pub mod readiness;
pub mod receipt;
pub mod regions;
pub mod service;
pub mod settings;
pub mod snapshot;
pub mod storage;
pub mod validation;
pub mod view;

pub use audit::{AuditEntry, AuditLog};
pub use desk::{
    BoxFuture, DemoHelperView, DemoScenario, Desk, DeskFiles, DeskOptions, FileChooser, NoChooser,
    StartError,
};
pub use domain::Domain;
pub use orders::{
    InFlightRecord, OrderJournal, PayAllEntry, PayAllPreview, PayAllProgress, PayAllSkip, Payment,
    ReconcilePolicy, RecordState,
};
pub use readiness::Blocker;
pub use receipt::ReceiptWords;
pub use service::{
    demo_merchants, empty_cart, AddonChoice, CheckoutService, Environment, EventSink, IdleTick,
    NoEvents, ServiceParts, ShipmentChoice, ShipmentStep, HIVE_CONCURRENCY,
};
pub use settings::{CardEncryption, Language, Lock, Mode, SettingField, Settings, SettingsSource};
pub use storage::{JsonFileStore, KeyValueStore, MemoryStore, Persistence};
pub use view::*;
