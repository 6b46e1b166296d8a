//! One typed method per documented endpoint (ENDPOINTS.md §1 row numbers in the docs);
//! each builds its `RequestSpec` in [`crate::requests`] and decodes the answer.

use super::{decode_value, is_route_missing, CompletionAnswer, FirmlyClient};
use crate::crypto::{EncryptedCardFields, TokenizePayload};
use crate::error::{ApiError, Result};
use crate::models::addons::AddonSelectionRequest;
use crate::models::address::Address;
use crate::models::availability::Availability;
use crate::models::cart::CartV2;
use crate::models::catalog::{ProductDetails, ProductSummary};
use crate::models::session::{
    ActiveCarts, ActiveDomains, Attribution, Consent, ConsentChange, HealthStatus, OtpDestination,
    OtpResponse, PaymentKey, TokenizeResponse, WalletUnlockComplete, WalletUnlockStart,
};
use crate::models::shipment::{FulfillmentType, ShippingMethod};
use crate::requests::{self, KeyFormat, SetShipmentMethod};
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

    /// #18
    pub async fn set_shipment_method(
        &self,
        domain: &str,
        req: &SetShipmentMethod,
    ) -> Result<CartV2> {
        self.cart_call(&requests::set_shipment_method(domain, req))
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

    // ---- payment --------------------------------------------------------------------------

    /// #30 JWK key; fetched fresh every time because keys rotate (contract 6).
    pub async fn payment_key(&self) -> Result<PaymentKey> {
        let v = self.json(&requests::payment_key(KeyFormat::Jwk)).await?;
        PaymentKey::from_jwk(v)
    }

    /// #30 PEM/RSA key; the kid comes from the `x-firmly-kid` header.
    pub async fn payment_key_pem(&self, format: KeyFormat) -> Result<PaymentKey> {
        if format == KeyFormat::Jwk {
            return self.payment_key().await;
        }
        let raw = self.execute(&requests::payment_key(format)).await?;
        let kid = raw
            .headers
            .get("x-firmly-kid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .ok_or_else(|| {
                ApiError::decode(
                    "x-firmly-kid",
                    "PEM key response without the x-firmly-kid header",
                )
            })?;
        let pem = String::from_utf8(raw.body)
            .map_err(|_| ApiError::decode(".", "PEM key is not UTF-8 text"))?;
        PaymentKey::from_pem(&pem, &kid).map_err(|e| ApiError::decode(".", e.message))
    }

    /// #32
    pub async fn complete_order_v3(
        &self,
        handle: &str,
        billing: &Address,
        encrypted_card: &str,
    ) -> Result<CompletionAnswer> {
        self.completion_call(&requests::complete_order_v3(
            handle,
            billing,
            encrypted_card,
            None,
        ))
        .await
    }

    /// #32 with a captcha token.
    pub async fn complete_order_v3_with_captcha(
        &self,
        handle: &str,
        billing: &Address,
        encrypted_card: &str,
        captcha_token: &str,
    ) -> Result<CompletionAnswer> {
        self.completion_call(&requests::complete_order_v3(
            handle,
            billing,
            encrypted_card,
            Some(captcha_token),
        ))
        .await
    }

    /// #31
    pub async fn complete_order_v2(
        &self,
        handle: &str,
        billing: &Address,
        fields: &EncryptedCardFields,
    ) -> Result<CompletionAnswer> {
        self.completion_call(&requests::complete_order_v2(handle, billing, fields))
            .await
    }

    /// #33
    pub async fn complete_order_with_saved_payment(
        &self,
        domain: &str,
        payment_id: &str,
    ) -> Result<CompletionAnswer> {
        self.completion_call(&requests::complete_order_with_saved_payment(
            domain, payment_id,
        ))
        .await
    }

    /// #34 returns the vault token.
    pub async fn tokenize(&self, payload: &TokenizePayload, handle: &str) -> Result<String> {
        let r: TokenizeResponse = self.typed(&requests::tokenize(payload, handle)).await?;
        if r.token.is_empty() {
            return Err(ApiError::decode(
                "token",
                "tokenize answered without a token",
            ));
        }
        Ok(r.token)
    }

    /// #35
    pub async fn complete_order_v1(&self, domain: &str, token: &str) -> Result<CompletionAnswer> {
        self.completion_call(&requests::complete_order_v1(domain, token))
            .await
    }

    /// #27
    pub async fn paypal_start(&self, domain: &str) -> Result<CartV2> {
        self.cart_call(&requests::paypal_start(domain)).await
    }

    /// #28
    pub async fn paypal_authorize(&self, domain: &str, payer_id: &str) -> Result<CartV2> {
        if payer_id.trim().is_empty() {
            return Err(ApiError::validation("PayPal payer id is missing"));
        }
        self.cart_call(&requests::paypal_authorize(domain, payer_id))
            .await
    }

    /// #29
    pub async fn paypal_complete(&self, domain: &str) -> Result<CompletionAnswer> {
        self.completion_call(&requests::paypal_complete(domain))
            .await
    }

    // ---- sessions / wallet ------------------------------------------------------------------

    /// #39, falling back to #38 when the v2 route does not exist (C45).
    pub async fn active_carts(&self, excludes: &[String]) -> Result<ActiveCarts> {
        match self.active_carts_v2_only(excludes).await {
            Err(e) if is_route_missing(&e) => {
                let mut carts = self.active_carts_v1().await?;
                carts.carts.retain(|c| {
                    let d = c
                        .domain
                        .as_deref()
                        .or(c.shop_id.as_deref())
                        .unwrap_or_default();
                    !excludes.iter().any(|x| x == d)
                });
                carts.domains.retain(|d| !excludes.contains(d));
                Ok(carts)
            }
            other => other,
        }
    }

    async fn active_carts_v2_only(&self, excludes: &[String]) -> Result<ActiveCarts> {
        let v = self.json(&requests::active_carts(excludes)).await?;
        Self::active_from_value(v)
    }

    fn active_from_value(v: Value) -> Result<ActiveCarts> {
        let mut out: ActiveCarts = decode_value(&v)?;
        if let Some(raws) = v.get("carts").and_then(Value::as_array) {
            for (cart, raw) in out.carts.iter_mut().zip(raws) {
                cart.raw = crate::raw::RawJson::from_value(raw.clone());
            }
        }
        Ok(out)
    }

    /// #38
    pub async fn active_carts_v1(&self) -> Result<ActiveCarts> {
        let v = self.json(&requests::active_carts_v1()).await?;
        Self::active_from_value(v)
    }

    /// #40
    pub async fn active_domains(&self) -> Result<Vec<String>> {
        let r: ActiveDomains = self.typed(&requests::active_domains()).await?;
        Ok(r.domains)
    }

    /// #41
    pub async fn set_postal_code(&self, postal_code: Option<&str>) -> Result<()> {
        self.execute(&requests::set_postal_code(postal_code))
            .await
            .map(|_| ())
    }

    /// #37 session transfer v2 (`000_03e4b5113d1b58ff.txt:5`).
    pub async fn session_transfer(
        &self,
        domain: &str,
        handle: Value,
        cookies: &[String],
    ) -> Result<CartV2> {
        self.cart_call(&requests::session_transfer(domain, &handle, cookies))
            .await
    }

    /// #36 session transfer v1 (`002_599d5acdabf6b74d.txt:9577`).
    pub async fn session_transfer_v1(
        &self,
        domain: &str,
        handle: &str,
        cookies: &[String],
    ) -> Result<CartV2> {
        self.cart_call(&requests::session_transfer_v1(domain, handle, cookies))
            .await
    }

    /// #42
    pub async fn create_otp(&self, domain: &str, email: &str) -> Result<OtpDestination> {
        let r: OtpResponse = self.typed(&requests::create_otp(domain, email)).await?;
        Ok(r.otp_destination)
    }

    /// #43
    pub async fn validate_otp(&self, domain: &str, email: &str, otp: &str) -> Result<CartV2> {
        self.cart_call(&requests::validate_otp(domain, email, otp))
            .await
    }

    /// #44
    pub async fn forgot_password(&self, domain: &str, email: &str) -> Result<()> {
        self.execute(&requests::forgot_password(domain, email))
            .await
            .map(|_| ())
    }

    /// #45
    pub async fn v1_shipping_rates(&self, domain: &str) -> Result<Vec<ShippingMethod>> {
        let v = self.json(&requests::v1_shipping_rates(domain)).await?;
        let list = match v {
            Value::Object(mut o) => o
                .remove("shipping_methods")
                .or_else(|| o.remove("shipping_method_options"))
                .unwrap_or(Value::Null),
            other => other,
        };
        if list.is_null() {
            return Ok(Vec::new());
        }
        decode_value(&list)
    }

    /// #46
    pub async fn v1_set_shipping_info(&self, domain: &str, info: &Address) -> Result<CartV2> {
        self.cart_call(&requests::v1_set_shipping_info(domain, info))
            .await
    }

    /// #47
    pub async fn v1_set_shipping_method(
        &self,
        domain: &str,
        shipping_method: &str,
    ) -> Result<CartV2> {
        self.cart_call(&requests::v1_set_shipping_method(domain, shipping_method))
            .await
    }

    /// #48
    pub async fn wallet_unlock_start(
        &self,
        wallet: &str,
        email: &str,
    ) -> Result<WalletUnlockStart> {
        self.typed(&requests::wallet_unlock_start(wallet, email, None))
            .await
    }

    /// #49
    pub async fn wallet_unlock_complete(
        &self,
        wallet: &str,
        access_token: &str,
        otp: &str,
    ) -> Result<WalletUnlockComplete> {
        self.typed(&requests::wallet_unlock_complete(wallet, access_token, otp))
            .await
    }

    /// #50 returns `operational`, `degraded` or `outage`.
    pub async fn merchant_health(&self, domain: &str, component_id: &str) -> Result<String> {
        let r: HealthStatus = self
            .typed(&requests::merchant_health(domain, component_id))
            .await?;
        Ok(r.status)
    }
}
