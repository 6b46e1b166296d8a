//! The postal-code zone rule (sandbox convention, documented in the README): the device's
//! preferred postal code (`POST /api/v2/carts/postal-code`, "device-wide preference for
//! shipping/tax estimates", ENDPOINTS.md §1 #41) and, once set, the shipping address's
//! postal code decide a shipping zone.
//!
//! * A US ZIP's first digit gives its band: `8`–`9` West (0), `4`–`7` Central (1), `0`–`3`
//!   East (2). Anything else (Canadian codes, none) has no band and counts as the merchant's
//!   own band.
//! * `steps` = distance in bands between the destination and the merchant's `home_postal`.
//! * Every shipping method with a price above zero costs `$2.00 × steps` more; free methods
//!   stay free.
//! * Delivery and pickup dates start `steps` days later.
//! * A pickup location's distance is `|ZIP5(destination) − ZIP5(store)| / 10` miles (one
//!   decimal), and locations are listed nearest first; without a US destination the fixture
//!   distances and order are used.

use crate::model::fixtures::{MerchantFixture, PickupLocationFixture, ShippingMethodFixture};

/// Surcharge per band step, in minor units.
pub const SURCHARGE_PER_STEP: i64 = 200;

/// The band of a US ZIP (see the module docs).
pub fn band(postal: &str) -> Option<u8> {
    let first = postal.trim().chars().next()?.to_digit(10)?;
    Some(match first {
        8 | 9 => 0,
        4..=7 => 1,
        _ => 2,
    })
}

/// Band steps between the merchant and `destination`.
pub fn steps(m: &MerchantFixture, destination: Option<&str>) -> i64 {
    match (destination.and_then(band), band(&m.home_postal)) {
        (Some(d), Some(h)) => i64::from(d.abs_diff(h)),
        _ => 0,
    }
}

/// A method's price for the zone.
pub fn method_price(method: &ShippingMethodFixture, steps: i64) -> i64 {
    if method.price > 0 {
        method.price + SURCHARGE_PER_STEP * steps
    } else {
        method.price
    }
}

/// The methods of a fulfillment type priced for the zone.
pub fn methods(
    m: &MerchantFixture,
    fulfillment_type: &str,
    steps: i64,
) -> Vec<ShippingMethodFixture> {
    m.methods_for(fulfillment_type)
        .iter()
        .map(|x| ShippingMethodFixture {
            price: method_price(x, steps),
            ..x.clone()
        })
        .collect()
}

fn zip5(postal: &str) -> Option<i64> {
    let digits: String = postal.trim().chars().take(5).collect();
    if digits.chars().count() == 5 && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// Miles from `destination` to a store.
pub fn distance(destination: Option<&str>, l: &PickupLocationFixture) -> f64 {
    match (destination.and_then(zip5), zip5(l.postal_code())) {
        (Some(a), Some(b)) => (a - b).abs() as f64 / 10.0,
        _ => l.distance,
    }
}

/// The merchant's stores with their distance, nearest first.
pub fn locations_by_distance<'a>(
    m: &'a MerchantFixture,
    destination: Option<&str>,
) -> Vec<(&'a PickupLocationFixture, f64)> {
    let mut out: Vec<(&PickupLocationFixture, f64)> = m
        .pickup_locations
        .iter()
        .map(|l| (l, distance(destination, l)))
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_distances() {
        assert_eq!(band("98101"), Some(0));
        assert_eq!(band("60601"), Some(1));
        assert_eq!(band("10001"), Some(2));
        assert_eq!(band("V6B 1A1"), None);
        assert_eq!(band(""), None);
        let m = ShippingMethodFixture {
            id: "X".into(),
            description: "X".into(),
            price: 500,
            estimated_delivery: String::new(),
        };
        assert_eq!(method_price(&m, 2), 900);
        let free = ShippingMethodFixture { price: 0, ..m };
        assert_eq!(method_price(&free, 2), 0);
        assert_eq!(zip5("98101-1234"), Some(98101));
        assert_eq!(zip5("98é01"), None);
    }
}
