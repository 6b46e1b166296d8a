//! The views layer: renders the internal model as the documented JSON shapes — the v1 Cart
//! and Order ([`v1`]), ShoppingCartV2 ([`v2`]), the simplified cart of active carts and session
//! transfer v2 ([`simple`]), availability ([`availability`]), addon containers ([`addons`]),
//! the v1 Cart's optional money and check fields ([`extras`]) and the pieces they share
//! ([`common`]). Views read state; they never change it.

pub mod addons;
pub mod availability;
pub mod common;
pub mod extras;
pub mod simple;
pub mod v1;
pub mod v2;

use serde_json::Value;

use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::world::{World, WorldFacts};
use crate::state::Shared;

/// Renders one cart.
pub type Renderer = fn(&Shared, &World, &MerchantFixture, &Cart) -> Value;

/// Renders one cart from what was captured of the world (needs no lock).
pub type FactsRenderer = fn(&Shared, &WorldFacts, &MerchantFixture, &Cart) -> Value;
