//! PayPal express checkout's approval window rules (ENDPOINTS.md §5): which approval URLs
//! may be opened, and which navigation is the buyer's return. The shell only opens the popup
//! and forwards its navigations here.
//!
//! - The approval URL (`attributes.url`, ENDPOINTS.md §7 C25) must be `https`, or
//!   `http` on loopback when the desk itself talks to a loopback API (the local sandbox).
//! - The return is recognised only on the start answer's `redirect_url` host and path, and
//!   its `token` must equal the one the start issued; without a started checkout, nothing is
//!   accepted.

use firmly_api::{ApiError, ClientConfig};
use url::Url;

/// The PayPal checkout this desk started for a cart.
#[derive(Debug, Clone, PartialEq)]
pub struct PaypalStart {
    pub token: String,
    /// Where PayPal sends the buyer back (`attributes.redirect_url`).
    pub return_url: Url,
}

/// What the popup's return navigation means for the checkout.
#[derive(Debug, Clone, PartialEq)]
pub enum PaypalReturn {
    Approved { token: String, payer_id: String },
    Cancelled,
}

/// The verdict on one navigation of the popup.
#[derive(Debug, Clone, PartialEq)]
pub enum ReturnCheck {
    /// An ordinary page of the approval flow: let it load.
    NotAReturn,
    /// The buyer came back: stop the navigation and act on it.
    Return(PaypalReturn),
    /// A return that does not belong to this checkout: stop it; the UI says why.
    Refused(PaypalRefusal),
}

/// Why a PayPal return was refused (a fact the UI words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PaypalRefusal {
    /// An approval came back, but no PayPal checkout was started for this cart.
    NotStarted,
    /// The approval's token is not the one of the checkout that was started.
    OtherCheckout,
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Checks a URL the desk will open in the popup (approval) or accept as a return.
fn allowed(url: &Url, config: &ClientConfig) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => is_loopback(url) && is_loopback(&config.api_base),
        _ => false,
    }
}

/// The approval URL of a PayPal start answer, if it may be opened.
pub fn approval_url(raw: &str, config: &ClientConfig) -> Result<Url, ApiError> {
    let url = Url::parse(raw.trim()).map_err(|e| {
        ApiError::decode("payment_method.attributes.url", format!("not a URL ({e})"))
    })?;
    if allowed(&url, config) {
        Ok(url)
    } else {
        Err(ApiError::validation(format!(
            "PayPal's approval page must be served over https; refusing to open {}.",
            url.scheme()
        )))
    }
}

/// The return URL of a PayPal start answer.
pub fn return_url(raw: Option<&str>, config: &ClientConfig) -> Result<Url, ApiError> {
    let raw = raw.ok_or_else(|| {
        ApiError::decode(
            "payment_method.attributes.redirect_url",
            "PayPal start returned no return URL",
        )
    })?;
    let url = Url::parse(raw.trim()).map_err(|e| {
        ApiError::decode(
            "payment_method.attributes.redirect_url",
            format!("not a URL ({e})"),
        )
    })?;
    if allowed(&url, config) {
        Ok(url)
    } else {
        Err(ApiError::validation(
            "PayPal's return page must be served over https.",
        ))
    }
}

/// Reads one navigation of the popup against the checkout that was started.
pub fn check_return(url: &Url, started: Option<&PaypalStart>) -> ReturnCheck {
    let Some(started) = started else {
        // Nothing was started: nothing may come back.
        return if url.query_pairs().any(|(k, _)| k == "PayerID") {
            ReturnCheck::Refused(PaypalRefusal::NotStarted)
        } else {
            ReturnCheck::NotAReturn
        };
    };
    let want = &started.return_url;
    let same_place = url.scheme() == want.scheme()
        && url.host_str() == want.host_str()
        && url.port_or_known_default() == want.port_or_known_default()
        && url.path() == want.path();
    if !same_place {
        return ReturnCheck::NotAReturn;
    }
    let mut token = None;
    let mut payer = None;
    let mut cancel = false;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "token" => token = Some(v.to_string()),
            "PayerID" => payer = Some(v.to_string()),
            "cancel" => cancel = v == "1" || v == "true",
            _ => {}
        }
    }
    if token.as_deref() != Some(started.token.as_str()) {
        return ReturnCheck::Refused(PaypalRefusal::OtherCheckout);
    }
    match (payer, cancel) {
        (_, true) => ReturnCheck::Return(PaypalReturn::Cancelled),
        (Some(payer_id), false) if !payer_id.trim().is_empty() => {
            ReturnCheck::Return(PaypalReturn::Approved {
                token: started.token.clone(),
                payer_id,
            })
        }
        // PayPal's return without a payer: the buyer did not approve.
        _ => ReturnCheck::Return(PaypalReturn::Cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(api: &str) -> ClientConfig {
        ClientConfig::same_host(Url::parse(api).unwrap(), "app")
    }

    fn started() -> PaypalStart {
        PaypalStart {
            token: "EC-1".into(),
            return_url: Url::parse("https://shop.example/paypal/return?key=k").unwrap(),
        }
    }

    fn check(u: &str) -> ReturnCheck {
        check_return(&Url::parse(u).unwrap(), Some(&started()))
    }

    #[test]
    fn approval_urls_must_be_https_or_the_local_sandbox() {
        let live = config("https://api.example");
        assert!(approval_url("https://www.paypal.com/checkoutnow?token=EC-1", &live).is_ok());
        assert!(approval_url("http://www.paypal.com/checkoutnow?token=EC-1", &live).is_err());
        assert!(approval_url("http://127.0.0.1:9/x", &live).is_err());
        assert!(approval_url("javascript:alert(1)", &live).is_err());
        let local = config("http://127.0.0.1:8787");
        assert!(approval_url(
            "http://127.0.0.1:8787/__sandbox/paypal/checkoutnow?token=EC-1",
            &local
        )
        .is_ok());
        assert!(approval_url("http://evil.example/x", &local).is_err());
    }

    #[test]
    fn the_return_is_recognised_only_where_expected_with_our_token() {
        assert_eq!(
            check("https://shop.example/paypal/return?token=EC-1&PayerID=P9"),
            ReturnCheck::Return(PaypalReturn::Approved {
                token: "EC-1".into(),
                payer_id: "P9".into()
            })
        );
        assert_eq!(
            check("https://shop.example/paypal/return?token=EC-1&cancel=1"),
            ReturnCheck::Return(PaypalReturn::Cancelled)
        );
        // Another page of the flow carrying the same parameters is not the return.
        assert_eq!(
            check("https://evil.example/paypal/return?token=EC-1&PayerID=P9"),
            ReturnCheck::NotAReturn
        );
        assert_eq!(
            check("https://shop.example/other?token=EC-1&PayerID=P9"),
            ReturnCheck::NotAReturn
        );
        assert!(matches!(
            check("https://shop.example/paypal/return?token=EC-2&PayerID=P9"),
            ReturnCheck::Refused(PaypalRefusal::OtherCheckout)
        ));
        let none = check_return(
            &Url::parse("https://shop.example/paypal/return?token=EC-1&PayerID=P9").unwrap(),
            None,
        );
        assert!(matches!(
            none,
            ReturnCheck::Refused(PaypalRefusal::NotStarted)
        ));
    }
}
