//! The checkout column: addresses, consents, card checks, PayPal approval, merchant login
//! by one-time code and wallet unlock. Placing the order itself lives in [`crate::orders`].

use firmly_api::Field;
use firmly_api::{ApiError, ConsentChange, ErrorCode};

use super::{CheckoutService, Result};
use crate::domain::Domain;
use crate::mapping::{self, address_wire};
use crate::paypal::{PaypalReturn, PaypalStart, ReturnCheck};
use crate::validation;
use crate::view::*;

/// Input of a shipment method choice.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct ShipmentChoice {
    pub shipment_id: String,
    pub shipping_method_id: String,
    pub selected_date: Option<String>,
    pub time_slot_id: Option<String>,
    pub notes: Option<String>,
}

/// Input of an addon selection.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type)]
pub struct AddonChoice {
    pub addon_id: String,
    pub line_item_ids: Vec<String>,
    pub child_ids: Vec<String>,
}

impl CheckoutService {
    // ----- addresses ---------------------------------------------------------------------

    pub async fn set_shipping_info(
        &self,
        domain: &Domain,
        mut address: AddressView,
    ) -> Result<CartView> {
        let d = domain.clone();
        // Logged in at the merchant: the shipping email is the account's (ENDPOINTS.md §8 F3:
        // it cannot change, and one is still sent).
        let customer = self.customer();
        let logged_in = customer
            .cart(&d)
            .and_then(|c| c.session.as_ref().map(|s| s.is_logged_in))
            .unwrap_or(false);
        if let Some(account) = customer
            .read(&d, |m| m.account_email.clone())
            .flatten()
            .filter(|_| logged_in)
        {
            address.email = account;
        }
        let optional = self
            .customer()
            .cart(&d)
            .and_then(|c| c.shop_properties.clone())
            .map(|p| {
                p.optional_fields
                    .into_iter()
                    .filter(|(_, v)| *v)
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        validation::check_address(&address, true, &optional)?;
        let wire = address_wire(&address);
        let view = self
            .mutate(
                &d,
                |c, d| async move { c.set_shipping_info(&d, &wire).await },
            )
            .await;
        self.audit(Some(&d), "set_shipping_info", super::outcome_of(&view));
        view
    }

    pub async fn set_billing_info(
        &self,
        domain: &Domain,
        address: AddressView,
    ) -> Result<CartView> {
        let d = domain.clone();
        let shipping = self
            .customer()
            .cart(&d)
            .and_then(|c| c.shipping_info.clone());
        // Without a shipping contact to take (digital goods), the billing form asks for it.
        let optional = self
            .customer()
            .cart(&d)
            .and_then(|c| c.shop_properties.clone())
            .map(|p| {
                p.optional_fields
                    .into_iter()
                    .filter(|(_, v)| *v)
                    .map(|(k, _)| k.replace("billing_", "shipping_"))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        validation::check_address(&address, shipping.is_none(), &optional)?;
        let wire = crate::mapping::billing_with_contact(address_wire(&address), shipping.as_ref());
        self.mutate(
            domain,
            |c, d| async move { c.set_billing_info(&d, &wire).await },
        )
        .await
    }

    // ----- consents ----------------------------------------------------------------------

    pub async fn consents(&self, domain: &Domain) -> Result<Vec<ConsentView>> {
        let domain = domain.clone();
        let customer = self.customer();
        let since = customer.consents_revision(&domain);
        let read = customer.client.consents(&domain).await?;
        let list = customer.keep_consents(&domain, read, Some(since));
        let views = list.iter().map(mapping::consent_view).collect();
        self.republish(&customer, &domain);
        Ok(views)
    }

    pub async fn set_consent(
        &self,
        domain: &Domain,
        id: &str,
        granted: bool,
    ) -> Result<Vec<ConsentView>> {
        self.ensure_ready()?;
        let domain = domain.clone();
        let customer = self.customer();
        let lock = customer.consent_lock(&domain);
        let _g = lock.lock().await;
        let list = customer
            .client
            .set_consents(
                &domain,
                &[ConsentChange {
                    id: id.to_string(),
                    revoke: !granted,
                }],
            )
            .await?;
        let views = list.iter().map(mapping::consent_view).collect();
        customer.keep_consents(&domain, list, None);
        self.republish(&customer, &domain);
        self.audit(
            Some(&domain),
            if granted {
                "grant_consent"
            } else {
                "revoke_consent"
            },
            "ok",
        );
        Ok(views)
    }

    // ----- card --------------------------------------------------------------------------

    // ----- PayPal (ENDPOINTS.md §5) --------------------------------------------------------

    /// Starts PayPal express checkout; returns the approval URL to open in the popup. The URL
    /// must be `https` (or this desk's own loopback sandbox).
    pub async fn paypal_start(&self, domain: &Domain) -> Result<url::Url> {
        self.ensure_ready()?;
        let domain = domain.clone();
        let customer = self.customer();
        let lock = customer.lock_for(&domain);
        let _g = lock.lock().await;
        let cart = customer.client.paypal_start(&domain).await?;
        let attrs = cart
            .payment_method
            .as_ref()
            .and_then(|p| p.attributes.clone())
            .ok_or_else(|| {
                ApiError::decode(
                    "payment_method.attributes",
                    "PayPal start returned no approval data",
                )
            })?;
        let url = attrs.url.clone().ok_or_else(|| {
            ApiError::decode(
                "payment_method.attributes.url",
                "PayPal start returned no approval URL",
            )
        })?;
        let url = crate::paypal::approval_url(&url, &self.config)?;
        let return_url = crate::paypal::return_url(attrs.redirect_url.as_deref(), &self.config)?;
        let token = attrs
            .paypal_token
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::decode(
                    "payment_method.attributes.paypal_token",
                    "PayPal start returned no token",
                )
            })?;
        customer.merchant(&domain, |m| {
            m.paypal = Some(PaypalStart { token, return_url })
        });
        self.publish_in(&customer, &domain, cart)?;
        self.audit(Some(&domain), "paypal_start", "ok");
        Ok(url)
    }

    /// Reads a navigation of the PayPal popup: the approval (or cancel) return on the
    /// expected return host and path, carrying the token this checkout started.
    pub fn paypal_check_return(&self, domain: &Domain, url: &url::Url) -> ReturnCheck {
        let started = self.customer().read(domain, |m| m.paypal.clone()).flatten();
        crate::paypal::check_return(url, started.as_ref())
    }

    /// Handles the return from the PayPal approval page (`token`, `PayerID`).
    pub async fn paypal_approved(&self, domain: &Domain, ret: PaypalReturn) -> Result<CartView> {
        let PaypalReturn::Approved { token, payer_id } = ret else {
            self.paypal_cancelled(domain);
            return Err(ApiError::new(
                ErrorCode::PaypalCancelled,
                "PayPal was cancelled. Choose a payment method to continue.",
            ));
        };
        let d = domain.clone();
        let expected = self
            .customer()
            .read(&d, |m| m.paypal.as_ref().map(|s| s.token.clone()))
            .flatten();
        match expected {
            Some(e) if e == token => {}
            Some(_) => {
                return Err(ApiError::new(
                    ErrorCode::PaypalReturnRejected,
                    "The PayPal approval does not belong to this checkout. Start PayPal again.",
                ))
            }
            None => {
                return Err(ApiError::new(
                    ErrorCode::PaypalReturnRejected,
                    "No PayPal checkout was started for this cart. Start PayPal again.",
                ))
            }
        }
        if payer_id.trim().is_empty() {
            return Err(ApiError::new(
                ErrorCode::PaypalReturnRejected,
                "PayPal did not return a payer id. Start PayPal again.",
            ));
        }
        let view = self
            .mutate(
                &d,
                |c, d| async move { c.paypal_authorize(&d, &payer_id).await },
            )
            .await;
        self.audit(Some(&d), "paypal_authorize", super::outcome_of(&view));
        view
    }

    /// Forgets a PayPal approval that was cancelled or abandoned.
    pub fn paypal_cancelled(&self, domain: &Domain) {
        self.customer().merchant(domain, |m| m.paypal = None);
    }

    // ----- login and wallet -----------------------------------------------------------------

    pub async fn request_otp(&self, domain: &Domain, email: &str) -> Result<Vec<String>> {
        let domain = domain.clone();
        validation::check_email(email)?;
        let d = self.client().create_otp(&domain, email.trim()).await?;
        Ok(d.emails.into_iter().chain(d.phones).collect())
    }

    pub async fn verify_otp(&self, domain: &Domain, email: &str, otp: &str) -> Result<CartView> {
        if otp.trim().is_empty() {
            return Err(ApiError::field(Field::Otp, "Enter the code we sent you."));
        }
        let (email, otp) = (email.trim().to_string(), otp.trim().to_string());
        let account = email.clone();
        let d = domain.clone();
        // Known before the cart is published, so its view carries the account email.
        let customer = self.customer();
        let before = customer.read(&d, |m| m.account_email.clone()).flatten();
        customer.merchant(&d, |m| m.account_email = Some(account));
        let view = self
            .mutate(domain, |c, d| async move {
                c.validate_otp(&d, &email, &otp).await
            })
            .await;
        if view.is_err() {
            customer.merchant(&d, |m| m.account_email = before);
        }
        self.audit(Some(domain), "otp_login", super::outcome_of(&view));
        view
    }

    /// Starts unlocking a wallet (e.g. `shoppay`): the provider sends a one-time code;
    /// returns where it went (masked).
    pub async fn wallet_start(&self, wallet: &str, email: &str) -> Result<Vec<String>> {
        validation::check_email(email)?;
        validation::check_wallet_name(wallet)?;
        let customer = self.customer();
        let start = customer
            .client
            .wallet_unlock_start(wallet, email.trim())
            .await?;
        customer
            .wallet_unlocks
            .lock()
            .insert(wallet.to_string(), start.access_token.clone());
        let d = start.otp_destination;
        Ok(d.emails.into_iter().chain(d.phones).collect())
    }

    /// Completes the unlock with the code; the wallet's saved cards then appear among the
    /// cart's payment options (ENDPOINTS.md §1 #49).
    pub async fn wallet_complete(
        &self,
        domain: &Domain,
        wallet: &str,
        otp: &str,
    ) -> Result<CartView> {
        if otp.trim().is_empty() {
            return Err(ApiError::field(
                Field::Otp,
                "Enter the code the wallet sent you.",
            ));
        }
        let customer = self.customer();
        let token = customer
            .wallet_unlocks
            .lock()
            .get(wallet)
            .cloned()
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::WalletCodeNotRequested,
                    "Request a wallet code first.",
                )
            })?;
        let unlocked = customer
            .client
            .wallet_unlock_complete(wallet, &token, otp.trim())
            .await?;
        customer.wallet_unlocks.lock().remove(wallet);
        customer.wallets.lock().push(unlocked);
        self.audit(Some(domain), "wallet_unlock", "ok");
        self.cart(domain).await
    }
}
