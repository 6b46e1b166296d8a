//! One typed method per documented endpoint of payment, PayPal, sessions, OTP login, v1
//! shipping, wallets and merchant health (ENDPOINTS.md §1 rows #27–#50).

use super::{decode_value, is_route_missing, CompletionAnswer, FirmlyClient};
use crate::crypto::{EncryptedCardFields, TokenizePayload};
use crate::error::{ApiError, Result};
use crate::models::address::Address;
use crate::models::cart::CartV2;
use crate::models::session::{
    ActiveCarts, ActiveDomains, HealthStatus, OtpDestination, OtpResponse, PaymentKey,
    TokenizeResponse, WalletUnlockComplete, WalletUnlockStart,
};
use crate::models::shipment::ShippingMethod;
use crate::requests::{self, KeyFormat};
use serde_json::Value;

impl FirmlyClient {
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

    /// #37 session transfer v2 (ENDPOINTS.md §1 #37, C26).
    pub async fn session_transfer(
        &self,
        domain: &str,
        handle: Value,
        cookies: &[String],
    ) -> Result<CartV2> {
        self.cart_call(&requests::session_transfer(domain, &handle, cookies))
            .await
    }

    /// #36 session transfer v1 (ENDPOINTS.md §1 #36, C26).
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

    /// #48 with the hCaptcha token some wallets require (an error with
    /// [`ApiError::is_captcha`] says one is needed).
    pub async fn wallet_unlock_start_with_captcha(
        &self,
        wallet: &str,
        email: &str,
        hcaptcha_token: &str,
    ) -> Result<WalletUnlockStart> {
        self.typed(&requests::wallet_unlock_start(
            wallet,
            email,
            Some(hcaptcha_token),
        ))
        .await
    }

    /// #49: the unlocked wallet's saved cards and addresses (ENDPOINTS.md §2.8). The cookies
    /// its answer sets are kept by this client and sent back with its later api-host calls.
    pub async fn wallet_unlock_complete(
        &self,
        wallet: &str,
        access_token: &str,
        otp: &str,
    ) -> Result<WalletUnlockComplete> {
        self.typed(&requests::wallet_unlock_complete(wallet, access_token, otp))
            .await
    }

    /// #49 with the parameter table's `email` and `hcaptcha_token`, each when given (C24).
    pub async fn wallet_unlock_complete_with(
        &self,
        wallet: &str,
        access_token: &str,
        otp: &str,
        email: Option<&str>,
        hcaptcha_token: Option<&str>,
    ) -> Result<WalletUnlockComplete> {
        self.typed(&requests::wallet_unlock_complete_with(
            wallet,
            access_token,
            otp,
            email,
            hcaptcha_token,
        ))
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
