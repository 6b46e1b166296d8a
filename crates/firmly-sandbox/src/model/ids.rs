//! Opaque ids the sandbox hands out: line item and shipment ids (`li_`/`shp_` + 16 hex),
//! CF-RAY ids, payment handles and wallet tokens (`uuid|base64`, ENDPOINTS.md §4.5), PayPal
//! EC tokens and one-time passwords.

use base64::Engine;
use rand::{Rng, RngCore};

/// `n` random lowercase hex characters (at most 32).
pub fn hex(n: usize) -> String {
    uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .chars()
        .take(n)
        .collect()
}

/// 16 random hex characters (CF-RAY ids).
pub fn hex16() -> String {
    hex(16)
}

/// `prefix_` + 16 lowercase hex characters.
pub fn short_id(prefix: &str) -> String {
    format!("{prefix}_{}", hex(16))
}

/// `uuid|base64(random)`: payment handles, tokenized-card tokens, wallet access tokens.
pub fn opaque_handle() -> String {
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "{}|{}",
        uuid::Uuid::new_v4(),
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A PayPal express-checkout token `EC-` + 17 characters.
pub fn ec_token() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..17)
        .map(|_| char::from(CHARS[rng.gen_range(0..CHARS.len())]))
        .collect();
    format!("EC-{tail}")
}

/// A six-digit one-time password.
pub fn otp() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(short_id("li").chars().count(), 19);
        assert_eq!(hex16().len(), 16);
        let h = opaque_handle();
        assert!(h.split_once('|').is_some_and(|(u, _)| u.len() == 36));
        assert!(ec_token().starts_with("EC-"));
        assert_eq!(otp().len(), 6);
    }
}
