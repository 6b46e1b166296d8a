//! A plain-text receipt of a placed order, for printing or saving. Only the last four card
//! digits ever appear (they come from the merchant's payment summary).

use crate::view::{MoneyView, OrderView};

fn amount(m: &MoneyView) -> String {
    format!("{} {}", m.amount, m.currency)
}

pub fn receipt_text(order: &OrderView) -> String {
    let mut out = vec![
        format!("Order {}", order.order_number),
        format!("Merchant: {}", order.domain),
        format!("Placed: {}", order.placed_at),
        String::new(),
    ];
    for li in &order.line_items {
        let variant = li
            .variant
            .as_ref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        let price = li.line_price.as_ref().map(amount).unwrap_or_default();
        out.push(format!(
            "{} x {}{}  {}",
            li.quantity, li.title, variant, price
        ));
    }
    let t = &order.totals;
    out.push(String::new());
    for (label, m) in [
        ("Subtotal", &t.subtotal),
        ("Shipping", &t.shipping),
        ("Tax", &t.tax),
        ("Add-ons", &t.addons),
        ("Discount", &t.discount),
    ] {
        out.push(format!("{label:<10}{}", amount(m)));
    }
    out.push(format!("{:<10}{}", "Total", amount(&order.total)));
    out.push(format!("Paid with {}", order.paid_with.text()));
    if let Some(url) = &order.thank_you_url {
        out.push(format!("Merchant receipt: {url}"));
    }
    out.join("\n") + "\n"
}

/// A file name for the receipt that is safe on every file system.
pub fn receipt_file_name(order: &OrderView) -> String {
    let number: String = order
        .order_number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("firmly-order-{number}.txt")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{PaidWith, TotalsView};

    fn usd(a: &str) -> MoneyView {
        MoneyView {
            amount: a.into(),
            currency: "USD".into(),
        }
    }

    #[test]
    fn the_receipt_lists_items_totals_and_only_the_last_four() {
        let order = OrderView {
            domain: "staging.luma.gift".into(),
            order_number: "#SBX/1001".into(),
            total: usd("63.87"),
            paid_with: PaidWith::Card {
                brand: Some("Visa".into()),
                last_four: Some("1111".into()),
            },
            thank_you_url: None,
            placed_at: "2026-11-22T00:00:00Z".into(),
            line_items: vec![],
            totals: TotalsView {
                subtotal: usd("54.00"),
                shipping: usd("5.00"),
                tax: usd("4.87"),
                addons: usd("0.00"),
                discount: usd("0.00"),
                total: usd("63.87"),
            },
            raw_answer: None,
        };
        let text = receipt_text(&order);
        assert!(text.contains("Order #SBX/1001"));
        assert!(text.contains("Total     63.87 USD"));
        assert!(text.contains("ending in 1111"));
        assert_eq!(receipt_file_name(&order), "firmly-order-SBX1001.txt");
    }
}
