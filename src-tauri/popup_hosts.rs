//! Where the PayPal popup may go (issue #25: no way out of the kiosk through PayPal's footer
//! links). The popup's navigations are judged first by `firmly_checkout::paypal::check_return`
//! (the return URL it recognises: the start answer's `redirect_url` host and path,
//! ENDPOINTS.md §5); every other navigation, of the page or of a frame in it, must pass
//! [`popup_may_load`].
//!
//! Allowed, and why:
//! - the approval URL's own origin (scheme, host and port): the page the start answer named.
//!   For the embedded sandbox that is its loopback origin, which serves
//!   `/__sandbox/paypal/checkoutnow`; for live PayPal it is `www.paypal.com` (or
//!   `www.sandbox.paypal.com`, PayPal's own test site).
//! - `https` on `paypal.com` and any subdomain of it: the approval flow moves between
//!   `www.paypal.com`, `www.sandbox.paypal.com` and helper frames on other subdomains
//!   (sign-in, risk checks such as `c.paypal.com`, `t.paypal.com`).
//! - `https` on subdomains of `paypalobjects.com`: PayPal's static host
//!   (`www.paypalobjects.com`), which some of its frames load from.
//! - `about:blank` and `about:srcdoc`: empty frames a page builds itself; they load nothing.
//!
//! Everything else is refused, on purpose also third-party challenge hosts (reCAPTCHA and
//! hCaptcha live on hosts that lead to whole search engines or sites): a shopper whom PayPal
//! sends there pays by card instead, and the refused host is in the log so an operator can
//! see it. Only `https` on port 443 counts for the PayPal hosts, and a host matches whole
//! labels only (`evilpaypal.com` is not `paypal.com`).

use url::{Host, Url};

/// PayPal's own domains: the domain itself and every subdomain.
const PAYPAL_DOMAINS: &[&str] = &["paypal.com"];
/// Domains whose subdomains only are PayPal's (the bare domain serves nothing we need).
const PAYPAL_SUBDOMAINS_OF: &[&str] = &["paypalobjects.com"];

/// Whether `host` is `domain` or a subdomain of it (whole labels).
fn within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
}

fn strictly_within(host: &str, domain: &str) -> bool {
    host != domain && within(host, domain)
}

fn is_paypal_host(url: &Url) -> bool {
    if url.scheme() != "https" || url.port_or_known_default() != Some(443) {
        return false;
    }
    let Some(Host::Domain(host)) = url.host() else {
        return false;
    };
    PAYPAL_DOMAINS.iter().any(|d| within(host, d))
        || PAYPAL_SUBDOMAINS_OF
            .iter()
            .any(|d| strictly_within(host, d))
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Whether the popup, opened on `approval`, may load `url` (a navigation that is not the
/// return: `check_return` answered `NotAReturn`).
pub fn popup_may_load(url: &Url, approval: &Url) -> bool {
    match url.scheme() {
        "about" => matches!(url.path(), "blank" | "srcdoc"),
        "https" | "http" => same_origin(url, approval) || is_paypal_host(url),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANDBOX: &str = "http://127.0.0.1:8787/__sandbox/paypal/checkoutnow?token=EC-1";
    const LIVE: &str = "https://www.paypal.com/checkoutnow?token=EC-1";

    #[test]
    fn the_popup_stays_on_paypal_and_the_approval_origin() {
        let table: &[(&str, &str, bool)] = &[
            // The approval page itself and its own origin.
            (SANDBOX, SANDBOX, true),
            (
                SANDBOX,
                "http://127.0.0.1:8787/__sandbox/paypal/other?x=1",
                true,
            ),
            (LIVE, LIVE, true),
            // PayPal's hosts, from either approval origin.
            (SANDBOX, "https://www.paypal.com/signin", true),
            (SANDBOX, "https://paypal.com/", true),
            (LIVE, "https://www.sandbox.paypal.com/checkoutnow", true),
            (LIVE, "https://c.paypal.com/v1/r/d/b/w1", true),
            (LIVE, "https://www.paypalobjects.com/js/x.js", true),
            (LIVE, "https://www.paypal.com:443/x", true),
            // Empty frames.
            (LIVE, "about:blank", true),
            (LIVE, "about:srcdoc", true),
            // Anywhere else: a footer link, a look-alike, another port or scheme.
            (LIVE, "https://example.org/", false),
            (SANDBOX, "https://example.org/", false),
            (LIVE, "https://evilpaypal.com/", false),
            (LIVE, "https://paypal.com.evil.example/", false),
            (LIVE, "https://www.paypal.co.uk/", false),
            (LIVE, "https://paypalobjects.com/", false),
            (LIVE, "https://x.notpaypalobjects.com/", false),
            (LIVE, "http://www.paypal.com/", false),
            (LIVE, "https://www.paypal.com:8443/", false),
            (LIVE, "https://www.google.com/recaptcha/api2/anchor", false),
            (SANDBOX, "http://127.0.0.1:8788/", false),
            (SANDBOX, "http://localhost:8787/", false),
            (SANDBOX, "https://127.0.0.1:8787/", false),
            (LIVE, "about:config", false),
            (
                LIVE,
                "data:text/html,<a href=https://example.org>x</a>",
                false,
            ),
            (LIVE, "blob:https://www.paypal.com/1234", false),
            (LIVE, "javascript:alert(1)", false),
            (LIVE, "file:///etc/passwd", false),
        ];
        for (approval, target, want) in table {
            let got = popup_may_load(&Url::parse(target).unwrap(), &Url::parse(approval).unwrap());
            assert_eq!(got, *want, "{target} from an approval at {approval}");
        }
    }

    #[test]
    fn hosts_match_whole_labels() {
        assert!(within("paypal.com", "paypal.com"));
        assert!(within("www.paypal.com", "paypal.com"));
        assert!(!within("wwwpaypal.com", "paypal.com"));
        assert!(!within(".paypal.com", "paypal.com"));
        assert!(strictly_within(
            "www.paypalobjects.com",
            "paypalobjects.com"
        ));
        assert!(!strictly_within("paypalobjects.com", "paypalobjects.com"));
    }
}
