//! Payment methods the cart offers (`payment_method_options`, `002_599d5acdabf6b74d.txt:12906`)
//! → the ones this app can drive, each with what still blocks it (ENDPOINTS.md §7 C43).

use firmly_api::CartV2;

use crate::readiness::Blocker;
use crate::view::*;

/// A card brand as people write it (`visa` → `Visa`).
pub fn brand_name(card_type: &str) -> String {
    match card_type.to_ascii_lowercase().as_str() {
        "visa" => "Visa".into(),
        "mastercard" | "master" | "mc" => "Mastercard".into(),
        "amex" | "american_express" | "american express" => "American Express".into(),
        "discover" => "Discover".into(),
        "" => "Card".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

fn wallet_label(wallet: &str) -> String {
    match wallet {
        "shoppay" => "Shop Pay".to_string(),
        "merchant" | "user" | "" => String::new(),
        other => other.to_string(),
    }
}

/// Whether the cart carries an approved PayPal payer (authorize done, `:7820`).
pub fn paypal_approved(cart: &CartV2) -> bool {
    cart.payment_method
        .as_ref()
        .is_some_and(|p| p.paypal_authorized())
}

/// The payment methods this app supports, in the cart's order; anything else is hidden.
pub fn payment_options(cart: &CartV2) -> Vec<PaymentOptionView> {
    let mut out = Vec::new();
    for o in &cart.payment_method_options {
        let wallet = o.wallet.clone().unwrap_or_default();
        match (o.r#type.as_str(), o.id.as_ref()) {
            ("CreditCard", Some(id)) => {
                let source = wallet_label(&wallet);
                out.push(PaymentOptionView {
                    kind: PaymentOptionKind::SavedCard,
                    label: format!(
                        "{}{} •••• {} (exp {}/{})",
                        if source.is_empty() {
                            String::new()
                        } else {
                            format!("{source} · ")
                        },
                        brand_name(o.card_type.as_deref().unwrap_or_default()),
                        o.last_four.clone().unwrap_or_default(),
                        o.month.clone().unwrap_or_default(),
                        o.year.clone().unwrap_or_default()
                    ),
                    id: Some(id.clone()),
                    wallet: Some(wallet.clone()).filter(|w| !w.is_empty()),
                    blocker: None,
                })
            }
            ("CreditCard", None) => out.push(PaymentOptionView {
                kind: PaymentOptionKind::CreditCard,
                label: "Credit or debit card".into(),
                id: None,
                wallet: None,
                blocker: None,
            }),
            ("PayPal", _) => out.push(PaymentOptionView {
                kind: PaymentOptionKind::PayPal,
                label: "PayPal".into(),
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
                    label: format!("{} wallet", wallet_label(&wallet)),
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
