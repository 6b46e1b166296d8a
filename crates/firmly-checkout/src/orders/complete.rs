//! One completion call and what its answer becomes: the payment handle and billing address
//! it needs, the call for each kind of payment (a card is encrypted with the vault key the desk holds: fetched ahead, reused while
//! valid, fetched again after the documented key error, `key.rs`), and the
//! order as the confirmation shows it.

use firmly_api::{Address, ApiError, CartV2, CompletionAnswer, ErrorCode, FirmlyClient};

use super::key::KeyCache;
use super::Payment;
use crate::mapping::{self, address_wire, billing_with_contact};
use crate::service::Result;
use crate::settings::CardEncryption;
use crate::view::*;

/// Everything a completion call needs, read from the cart just before it.
pub(super) struct Prepared {
    pub(super) handle: String,
    pub(super) billing: Address,
}

/// The handle and billing address a completion needs. The handle is issued with the
/// shipping info (ENDPOINTS.md §1 #46); a cart read that omits it falls back to
/// the one the desk last saw for this cart.
pub(super) fn prepare(
    before: &CartV2,
    seen: Option<String>,
    payment: &Payment,
) -> Result<Prepared> {
    let handle = before
        .payment_handle
        .clone()
        .filter(|h| !h.is_empty())
        // A stale handle is refused by the vault before any charge (`CheckoutError`).
        .or(seen)
        .unwrap_or_default();
    if matches!(payment, Payment::Card { .. }) && handle.is_empty() {
        return Err(ApiError::new(
            ErrorCode::MissingShippingInfo,
            "Save the shipping address first: the merchant issues the payment handle with it.",
        ));
    }
    let billing = match payment {
        Payment::Card {
            billing: Some(b), ..
        } => address_wire(b),
        _ => before
            .billing_info
            .clone()
            .or(before.shipping_info.clone())
            .unwrap_or_default(),
    };
    let billing = billing_with_contact(billing, before.shipping_info.as_ref());
    Ok(Prepared { handle, billing })
}

/// One completion call. A card is encrypted with the key held by the desk (fetched ahead,
/// reused while valid, fetched again after the documented key error: `key.rs`).
pub(super) async fn send(
    client: &FirmlyClient,
    keys: &KeyCache,
    domain: &str,
    payment: &Payment,
    p: &Prepared,
) -> Result<CompletionAnswer> {
    match payment {
        Payment::Card {
            card, encryption, ..
        } => {
            let key = keys.get(client).await.map_err(key_failure)?;
            match encryption {
                CardEncryption::Jwe => {
                    let jwe = firmly_api::encrypt_card_jwe(&key, card)?;
                    client.complete_order_v3(&p.handle, &p.billing, &jwe).await
                }
                CardEncryption::PerField => {
                    let fields =
                        firmly_api::encrypt_card_per_field(&key, card, firmly_api::OaepHash::Sha1)?;
                    client
                        .complete_order_v2(&p.handle, &p.billing, &fields)
                        .await
                }
            }
        }
        Payment::SavedCard { payment_id } => {
            client
                .complete_order_with_saved_payment(domain, payment_id)
                .await
        }
        Payment::PayPal => client.paypal_complete(domain).await,
    }
}

/// A failure fetching the key happens before any completion: the order was not sent.
/// Whatever the key fetch answered (a dropped connection, a timeout, a 5xx, a redirect),
/// the completion was never sent: nothing can have been charged.
fn key_failure(mut e: ApiError) -> ApiError {
    if e.class() != firmly_api::ErrorClass::UserFixable {
        e.message = format!(
            "The payment key could not be fetched, so nothing was sent: {}",
            e.message
        );
        e.code = ErrorCode::Unreachable;
        e.status = None;
    }
    e
}

/// The order as shown on the confirmation and the receipt.
pub(super) fn order_view(
    domain: &str,
    display_name: &str,
    answer: CompletionAnswer,
    before: &CartV2,
) -> OrderView {
    let (order, raw_answer) = match answer {
        CompletionAnswer::Order(o) => (*o, None),
        CompletionAnswer::Unreadable { raw, .. } => (CartV2::default(), Some(raw)),
    };
    let currency = if order.total.is_some() {
        order.currency()
    } else {
        before.currency()
    };
    let source = if order.line_items.is_empty() {
        before
    } else {
        &order
    };
    let cart_view = mapping::cart_view(domain, display_name, source, Default::default());
    let total = order
        .total
        .as_ref()
        .or(before.total.as_ref())
        .map(|a| MoneyView::from(&a.to_money(&currency)))
        .unwrap_or(cart_view.totals.total.clone());
    let paid_with = match &order.payment_method {
        Some(p) if p.is_paypal() => PaidWith::PayPal {
            email: p.attributes.as_ref().and_then(|a| a.email.clone()),
        },
        Some(p) => PaidWith::Card {
            brand: mapping::brand_name(p.card_type.as_deref().unwrap_or_default()),
            last_four: p.last_four.clone(),
        },
        None => PaidWith::NotStated,
    };
    OrderView {
        domain: domain.to_string(),
        order_number: order.platform_order_number.clone().unwrap_or_default(),
        total,
        paid_with,
        thank_you_url: order.thank_you_page(),
        placed_at: order
            .submitted_at
            .clone()
            .unwrap_or_else(|| chrono::Utc::now().to_rfc3339()),
        line_items: cart_view.line_items.clone(),
        totals: cart_view.totals.clone(),
        raw_answer,
    }
}
