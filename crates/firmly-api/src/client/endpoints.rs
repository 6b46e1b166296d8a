//! One typed method per documented endpoint of the catalog, the v1 and v2 carts, coupons
//! and consents (ENDPOINTS.md §1 rows #2–#26); each builds its `RequestSpec` in
//! [`crate::requests`] and decodes the answer. Payment, sessions and wallets are in
//! `checkout_endpoints.rs`.

use super::{decode_value, FirmlyClient};
use crate::error::{ApiError, Result};
use crate::models::addons::AddonSelectionRequest;
use crate::models::address::Address;
use crate::models::availability::Availability;
use crate::models::cart::CartV2;
use crate::models::catalog::{AddToCartPayload, ProductDetails, ProductSummary};
use crate::models::session::{Attribution, Consent, ConsentChange};
use crate::models::shipment::FulfillmentType;
use crate::requests::{self, Extensions, SetShipmentMethod};
use serde_json::Value;

impl FirmlyClient {
    // ---- catalog ------------------------------------------------------------------------

    /// #3 product collection.
    pub async fn product_list(&self, domain: &str) -> Result<Vec<ProductSummary>> {
        let v = self.json(&requests::product_list(domain)).await?;
        // Tolerate a wrapped list as well as the documented bare array.
        let list = match v {
            Value::Object(mut o) => o.remove("products").unwrap_or(Value::Null),
            other => other,
        };
        if list.is_null() {
            return Ok(Vec::new());
        }
        decode_value(&list)
    }

    /// #2 product details.
    pub async fn product(&self, domain: &str, handle: &str) -> Result<ProductDetails> {
        self.product_with_postal_code(domain, handle, None).await
    }

    pub async fn product_with_postal_code(
        &self,
        domain: &str,
        handle: &str,
        postal_code: Option<&str>,
    ) -> Result<ProductDetails> {
        let v = self
            .json(&requests::product(domain, handle, postal_code))
            .await?;
        let mut p: ProductDetails = decode_value(&v)?;
        p.raw = v;
        Ok(p)
    }

    /// #4 product details from a product page URL.
    pub async fn product_by_url(
        &self,
        pdp_url: &str,
        postal_code: Option<&str>,
    ) -> Result<ProductDetails> {
        let v = self
            .json(&requests::product_by_url(pdp_url, postal_code))
            .await?;
        let mut p: ProductDetails = decode_value(&v)?;
        p.raw = v;
        Ok(p)
    }

    // ---- cart v1 -------------------------------------------------------------------------

    /// #5
    pub async fn v1_add_line_item(
        &self,
        domain: &str,
        sku: &str,
        quantity: i64,
        variant_handles: &[String],
    ) -> Result<CartV2> {
        self.cart_call(&requests::v1_add_line_item(
            domain,
            sku,
            quantity,
            variant_handles,
        ))
        .await
    }

    /// #6 (PUT, POST fallback)
    pub async fn v1_update_line_item(
        &self,
        domain: &str,
        sku: &str,
        quantity: i64,
    ) -> Result<CartV2> {
        self.cart_call_put_or_post(requests::v1_update_line_item(domain, sku, quantity))
            .await
    }

    /// #7
    pub async fn v1_cart(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::v1_cart_get(domain)).await
    }

    /// #8
    pub async fn v1_clear_cart(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::v1_clear_cart(domain)).await
    }

    /// #9 (PUT, POST fallback)
    pub async fn set_attribution(&self, domain: &str, attribution: &Attribution) -> Result<CartV2> {
        self.cart_call_put_or_post(requests::set_attribution(domain, attribution))
            .await
    }

    // ---- cart v2 -------------------------------------------------------------------------

    /// #10
    pub async fn cart(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::cart(domain)).await
    }

    /// #10, shared: an unchanged cart is the one decoded before, not a copy of it (the desk's
    /// re-reads; docs/BENCHMARKS.md §5).
    pub async fn cart_shared(&self, domain: &str) -> Result<std::sync::Arc<CartV2>> {
        self.cart_call_shared(&requests::cart(domain)).await
    }

    /// #11
    pub async fn add_line_item(
        &self,
        domain: &str,
        variant_id: &str,
        quantity: i64,
        flush_cart: bool,
    ) -> Result<CartV2> {
        if quantity < 1 {
            return Err(ApiError::validation("quantity must be at least 1"));
        }
        self.cart_call(&requests::add_line_item(
            domain, variant_id, quantity, flush_cart,
        ))
        .await
    }

    /// #11 with the catalog's `add_to_cart_payload` sent as given, `quantity` set to the
    /// chosen one (ENDPOINTS.md §2.9): `variant_handles` and any other key the catalog put
    /// there reach the cart.
    pub async fn add_to_cart(
        &self,
        domain: &str,
        payload: &AddToCartPayload,
        quantity: i64,
        flush_cart: bool,
    ) -> Result<CartV2> {
        if quantity < 1 {
            return Err(ApiError::validation("quantity must be at least 1"));
        }
        if payload.variant_id().is_none_or(|v| v.is_empty()) {
            return Err(ApiError::validation(
                "the catalog's add-to-cart payload names no variant",
            ));
        }
        self.cart_call(&requests::add_to_cart(
            domain, payload, quantity, flush_cart,
        ))
        .await
    }

    /// #12 (0 removes the line)
    pub async fn update_line_item(
        &self,
        domain: &str,
        line_item_id: &str,
        quantity: i64,
    ) -> Result<CartV2> {
        if quantity < 0 {
            return Err(ApiError::validation("quantity cannot be negative"));
        }
        self.cart_call(&requests::update_line_item(domain, line_item_id, quantity))
            .await
    }

    /// #13
    pub async fn clear_cart(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::clear_cart(domain)).await
    }

    /// #19
    pub async fn set_shipping_info(&self, domain: &str, info: &Address) -> Result<CartV2> {
        self.cart_call(&requests::set_shipping_info(domain, info))
            .await
    }

    /// #20
    pub async fn set_billing_info(&self, domain: &str, info: &Address) -> Result<CartV2> {
        self.cart_call(&requests::set_billing_info(domain, info))
            .await
    }

    /// #16
    pub async fn availability(&self, domain: &str, shipment_id: &str) -> Result<Availability> {
        let v = self
            .json(&requests::availability(domain, shipment_id))
            .await?;
        let mut a: Availability = decode_value(&v)?;
        a.raw = v;
        Ok(a)
    }

    /// #17
    pub async fn set_fulfillment_type(
        &self,
        domain: &str,
        shipment_id: &str,
        ft: &FulfillmentType,
        location_id: Option<&str>,
    ) -> Result<CartV2> {
        self.cart_call(&requests::set_fulfillment_type(
            domain,
            shipment_id,
            ft,
            location_id,
        ))
        .await
    }

    /// #18. `extensions` are the undocumented fields the server announced it accepts
    /// ([`Extensions::NONE`] = the documented fields only).
    pub async fn set_shipment_method(
        &self,
        domain: &str,
        req: &SetShipmentMethod,
        extensions: Extensions,
    ) -> Result<CartV2> {
        self.cart_call(&requests::set_shipment_method(domain, req, extensions))
            .await
    }

    /// #14
    pub async fn set_addons(
        &self,
        domain: &str,
        selections: &[AddonSelectionRequest],
    ) -> Result<CartV2> {
        self.cart_call(&requests::set_addons(domain, selections))
            .await
    }

    /// #15
    pub async fn remove_addon(&self, domain: &str, addon_id: &str) -> Result<CartV2> {
        self.cart_call(&requests::remove_addon(domain, addon_id))
            .await
    }

    /// #21
    pub async fn apply_promo_codes(&self, domain: &str, codes: &[String]) -> Result<CartV2> {
        if codes.is_empty() || codes.len() > 10 {
            return Err(ApiError::validation(
                "between 1 and 10 promo codes can be applied at once",
            ));
        }
        self.cart_call(&requests::apply_promo_codes(domain, codes))
            .await
    }

    /// #22
    pub async fn clear_promo_codes(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::clear_promo_codes(domain)).await
    }

    /// #23
    pub async fn v1_apply_coupons(&self, domain: &str, codes: &[String]) -> Result<CartV2> {
        self.cart_call(&requests::v1_apply_coupons(domain, codes))
            .await
    }

    /// #24
    pub async fn v1_clear_coupons(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::v1_clear_coupons(domain)).await
    }

    // ---- consents -----------------------------------------------------------------------

    fn consent_list(v: Value) -> Result<Vec<Consent>> {
        let list = match v {
            Value::Object(mut o) => o.remove("consents").unwrap_or(Value::Null),
            other => other,
        };
        if list.is_null() {
            return Ok(Vec::new());
        }
        decode_value(&list)
    }

    /// #25
    pub async fn consents(&self, domain: &str) -> Result<Vec<Consent>> {
        Self::consent_list(self.json(&requests::consents(domain)).await?)
    }

    /// #26
    pub async fn set_consents(
        &self,
        domain: &str,
        changes: &[ConsentChange],
    ) -> Result<Vec<Consent>> {
        Self::consent_list(self.json(&requests::set_consents(domain, changes)).await?)
    }
}
