//! URLs as the logs may show them: scheme, host, port and path, never the query, the
//! fragment or a user name. A PayPal return carries its `token` and `PayerID` in the query
//! (ENDPOINTS.md §5), and the log files end up in "Copy diagnostics", so no log line of the
//! shell prints a URL any other way.

use url::Url;

/// `scheme://host[:port]/path` of a URL, for a log line.
pub fn loggable_url(url: &Url) -> String {
    match url.host_str() {
        Some(host) => {
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{host}{port}{}", url.scheme(), url.path())
        }
        // `about:blank`, `data:…`, `blob:…`: the scheme says enough, the rest may be data.
        None => format!("{}:", url.scheme()),
    }
}

/// The host of a URL for a log line (or its scheme when it has none).
pub fn loggable_host(url: &Url) -> String {
    match url.host_str() {
        Some(host) => host.to_string(),
        None => format!("{}:", url.scheme()),
    }
}

/// The host of a URL the shell only has as text (`-` when it does not parse).
pub fn loggable_host_str(raw: &str) -> String {
    Url::parse(raw)
        .map(|u| loggable_host(&u))
        .unwrap_or_else(|_| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn logged_urls_keep_scheme_host_port_and_path_only() {
        for (raw, want) in [
            (
                "https://shop.example/paypal/return?token=EC-1&PayerID=P9",
                "https://shop.example/paypal/return",
            ),
            (
                "http://127.0.0.1:8787/__sandbox/paypal/checkoutnow?token=EC-1#top",
                "http://127.0.0.1:8787/__sandbox/paypal/checkoutnow",
            ),
            (
                "https://user:secret@www.paypal.com/signin?returnUri=x",
                "https://www.paypal.com/signin",
            ),
            ("https://www.paypal.com:443/", "https://www.paypal.com/"),
            (
                "tauri://localhost/index.html",
                "tauri://localhost/index.html",
            ),
            ("about:blank", "about:"),
            ("data:text/html,<h1>card 4111</h1>", "data:"),
        ] {
            let got = loggable_url(&url(raw));
            assert_eq!(got, want, "{raw}");
            for secret in ["EC-1", "P9", "secret", "4111", "returnUri"] {
                assert!(!got.contains(secret), "{got} keeps {secret}");
            }
        }
    }

    #[test]
    fn hosts_and_unparsable_text_lose_their_query_too() {
        assert_eq!(
            loggable_host(&url("https://www.sandbox.paypal.com/x?token=1")),
            "www.sandbox.paypal.com"
        );
        assert_eq!(loggable_host(&url("about:blank")), "about:");
        assert_eq!(
            loggable_host_str("https://cdn.example/file.pdf?sig=abc"),
            "cdn.example"
        );
        assert_eq!(loggable_host_str("no url ?sig=abc"), "-");
    }
}
