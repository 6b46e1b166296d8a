//! Payment methods the cart offers (`payment_method_options`, ENDPOINTS.md §2.3)
//! → the ones this app can drive, each with what still blocks it (ENDPOINTS.md §7 C43).

use firmly_api::CartV2;

use crate::readiness::Blocker;
use crate::view::*;

/// A card brand as people write it (`visa` → `Visa`); `None` when the cart names none.
pub fn brand_name(card_type: &str) -> Option<String> {
    let name = match card_type.trim().to_ascii_lowercase().as_str() {
        "" => return None,
        "visa" => "Visa".into(),
        "mastercard" | "master" | "mc" => "Mastercard".into(),
        "amex" | "american_express" | "american express" => "American Express".into(),
        "discover" => "Discover".into(),
        _ => {
            let other = card_type.trim();
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    };
    Some(name)
}

/// Whether the cart carries an approved PayPal payer (authorize done, ENDPOINTS.md §5).
pub fn paypal_approved(cart: &CartV2) -> bool {
    cart.payment_method
        .as_ref()
        .is_some_and(|p| p.paypal_authorized())
}

/// The payment methods this app supports, in the cart's order; anything else is hidden.
pub fn payment_options(cart: &CartV2) -> Vec<PaymentOptionView> {
    options_of(cart, &cart.payment_method_options)
}

/// The cart's options with the saved cards of the wallets the shopper unlocked (the
/// unlock-complete answer's `payment_method_options`, ENDPOINTS.md §2.8) that the cart does
/// not list itself; an unlocked wallet is no longer shown locked.
pub fn with_wallet_cards(
    mut options: Vec<PaymentOptionView>,
    wallets: &[firmly_api::WalletUnlockComplete],
) -> Vec<PaymentOptionView> {
    for w in wallets {
        for o in options_of(&CartV2::default(), &w.payment_method_options) {
            let listed = options
                .iter()
                .any(|x| x.kind == o.kind && x.id.is_some() && x.id == o.id);
            if o.kind == PaymentOptionKind::SavedCard && !listed {
                options.retain(|x| {
                    !(x.kind == PaymentOptionKind::Wallet
                        && x.wallet.is_some()
                        && x.wallet == o.wallet)
                });
                options.push(o);
            }
        }
    }
    options
}

fn options_of(cart: &CartV2, list: &[firmly_api::PaymentMethodOption]) -> Vec<PaymentOptionView> {
    let mut out = Vec::new();
    for o in list {
        let wallet = o.wallet.clone().unwrap_or_default();
        match (o.r#type.as_str(), o.id.as_ref()) {
            ("CreditCard", Some(id)) => out.push(PaymentOptionView {
                kind: PaymentOptionKind::SavedCard,
                card: Some(SavedCardView {
                    brand: brand_name(o.card_type.as_deref().unwrap_or_default()),
                    last_four: o.last_four.clone(),
                    exp_month: o.month.clone(),
                    exp_year: o.year.clone(),
                }),
                id: Some(id.clone()),
                wallet: Some(wallet.clone()).filter(|w| !w.is_empty()),
                blocker: None,
            }),
            ("CreditCard", None) => out.push(PaymentOptionView {
                kind: PaymentOptionKind::CreditCard,
                card: None,
                id: None,
                wallet: None,
                blocker: None,
            }),
            ("PayPal", _) => out.push(PaymentOptionView {
                kind: PaymentOptionKind::PayPal,
                card: None,
                id: None,
                wallet: Some("paypal".into()),
                blocker: (!paypal_approved(cart)).then_some(Blocker::PaypalNotApproved),
            }),
            // A locked wallet: unlocking it by one-time code brings its saved cards.
            (_, None)
                if !wallet.is_empty()
                    && !matches!(wallet.as_str(), "user" | "merchant" | "paypal") =>
            {
                out.push(PaymentOptionView {
                    kind: PaymentOptionKind::Wallet,
                    card: None,
                    id: Some(wallet.clone()),
                    blocker: Some(Blocker::WalletLocked {
                        wallet: wallet.clone(),
                    }),
                    wallet: Some(wallet),
                })
            }
            // Anything else this app cannot drive is hidden (C43).
            _ => {}
        }
    }
    out
}
