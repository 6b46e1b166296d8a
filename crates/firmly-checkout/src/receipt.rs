//! A plain-text receipt of a placed order, for printing or saving, in the shopper's
//! language: the words come with it ([`ReceiptWords`], from the UI's catalog). Only the last
//! four card digits ever appear (they come from the order answer).

use firmly_api::Field;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::view::{MoneyView, OrderView, QrView};

/// A receipt's words in the shopper's language, as the UI's catalog words them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ReceiptWords {
    /// Before the order number ("Order").
    pub order: String,
    pub merchant: String,
    /// Before the time the order was placed ("Placed").
    pub placed: String,
    pub subtotal: String,
    pub shipping: String,
    pub tax: String,
    pub addons: String,
    pub discount: String,
    pub total: String,
    /// The whole line on the payment ("Paid with Visa ending in 1111").
    pub paid_with: String,
    /// Before the merchant's own receipt link ("Merchant receipt:").
    pub merchant_receipt: String,
}

fn amount(m: &MoneyView) -> String {
    format!("{} {}", m.amount, m.currency)
}

/// One line of text: a word with a line break in it stays on its line.
fn line(text: &str) -> String {
    text.split(['\r', '\n']).collect::<Vec<_>>().join(" ")
}

pub fn receipt_text(order: &OrderView, words: &ReceiptWords) -> String {
    let w = words;
    let mut out = vec![
        line(&format!("{} {}", w.order, order.order_number)),
        line(&format!("{}: {}", w.merchant, order.domain)),
        line(&format!("{}: {}", w.placed, order.placed_at)),
        String::new(),
    ];
    for li in &order.line_items {
        let variant = li
            .variant
            .as_ref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        let price = li.line_price.as_ref().map(amount).unwrap_or_default();
        out.push(line(&format!(
            "{} x {}{}  {}",
            li.quantity, li.title, variant, price
        )));
    }
    let t = &order.totals;
    out.push(String::new());
    let rows = [
        (&w.subtotal, &t.subtotal),
        (&w.shipping, &t.shipping),
        (&w.tax, &t.tax),
        (&w.addons, &t.addons),
        (&w.discount, &t.discount),
        (&w.total, &order.total),
    ];
    // The amounts line up after the longest label, whatever the language.
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    for (label, m) in rows {
        out.push(line(&format!("{label:<width$}{}", amount(m))));
    }
    out.push(line(&w.paid_with));
    if let Some(url) = &order.thank_you_url {
        out.push(line(&format!("{} {url}", w.merchant_receipt)));
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

/// The QR code of an order's receipt page (its thank-you URL), as rows of dark (`1`) and
/// light (`0`) modules, quiet zone excluded: the kiosk shows it so the shopper takes the
/// receipt on their phone, and no file or printer is needed. Only an `http(s)` URL is
/// encoded; anything else is refused.
pub fn receipt_qr(url: &str) -> Result<QrView, firmly_api::ApiError> {
    let parsed = url::Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some())
        .ok_or_else(|| {
            firmly_api::ApiError::field(Field::Url, "The receipt link is not a web address.")
        })?;
    let code = qrcode::QrCode::with_error_correction_level(parsed.as_str(), qrcode::EcLevel::M)
        .map_err(|e| {
            firmly_api::ApiError::field(
                Field::Url,
                format!("The receipt link cannot be a QR code: {e}"),
            )
        })?;
    let width = code.width();
    let colors = code.to_colors();
    let rows = colors
        .chunks(width)
        .map(|row| {
            row.iter()
                .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
                .collect()
        })
        .collect();
    Ok(QrView {
        size: u32::try_from(width).unwrap_or(u32::MAX),
        rows,
        url: parsed.to_string(),
    })
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
        let english = ReceiptWords {
            order: "Order".into(),
            merchant: "Merchant".into(),
            placed: "Placed".into(),
            subtotal: "Subtotal".into(),
            shipping: "Shipping".into(),
            tax: "Tax".into(),
            addons: "Add-ons".into(),
            discount: "Discount".into(),
            total: "Total".into(),
            paid_with: "Paid with Visa ending in 1111".into(),
            merchant_receipt: "Merchant receipt:".into(),
        };
        let text = receipt_text(&order, &english);
        assert!(text.contains("Order #SBX/1001"));
        assert!(text.contains("Subtotal  54.00 USD"));
        assert!(text.contains("Total     63.87 USD"));
        assert!(text.contains("Paid with Visa ending in 1111"));
        assert_eq!(receipt_file_name(&order), "firmly-order-SBX1001.txt");
        // In the shopper's language, the amounts still line up after the longest label.
        let words = ReceiptWords {
            order: "Pedido".into(),
            merchant: "Tienda".into(),
            placed: "Realizado".into(),
            subtotal: "Subtotal".into(),
            shipping: "Envío".into(),
            tax: "Impuestos".into(),
            addons: "Complementos".into(),
            discount: "Descuento".into(),
            total: "Total".into(),
            paid_with: "Pagado con Visa terminada en 1111\nsegunda línea".into(),
            merchant_receipt: "Recibo de la tienda:".into(),
        };
        let text = receipt_text(&order, &words);
        assert!(
            text.starts_with("Pedido #SBX/1001\nTienda: staging.luma.gift\n"),
            "{text}"
        );
        assert!(text.contains("\nEnvío         5.00 USD\n"), "{text}");
        assert!(text.contains("\nComplementos  0.00 USD\n"), "{text}");
        assert!(
            text.contains("\nPagado con Visa terminada en 1111 segunda línea\n"),
            "a word never breaks the receipt's lines: {text}"
        );
        assert!(!text.contains("ending in"));
    }

    #[test]
    fn a_receipt_link_becomes_a_square_qr_code_and_nothing_else_does() {
        let qr = receipt_qr("https://staging.luma.gift/checkout/thank-you/SBX-1001").unwrap();
        assert!(
            qr.size >= 21 && qr.size % 4 == 1,
            "a QR version's size: {}",
            qr.size
        );
        assert_eq!(qr.rows.len(), qr.size as usize);
        assert!(qr
            .rows
            .iter()
            .all(|r| r.len() == qr.size as usize && r.chars().all(|c| c == '0' || c == '1')));
        // The finder pattern's top-left corner is dark.
        assert!(qr.rows[0].starts_with("1111111"));
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "not a url", ""] {
            assert_eq!(
                receipt_qr(bad).unwrap_err().field,
                Some(Field::Url),
                "{bad}"
            );
        }
    }
}
