//! Firmly Desk under WebDriver, shared by the e2e tests (`tests/support/`, a blocking `App`
//! on top of this) and the benchmarks (`crates/firmly-bench`, async).
//!
//! * [`Driver`]: the launch, which is ours — `tauri-driver` on free loopback ports in its own
//!   process group, the app's environment (with the variables of a developer's shell that
//!   would change the app removed first), and a stop that waits for the app's process tree.
//! * [`Session`]: the W3C session, through [`fantoccini`] (the maintained client): every
//!   command has a deadline and its errors come back as a [`WdError`] naming the command, the
//!   W3C error code and the message; raw commands ([`Session::command`]) for what fantoccini has
//!   no method for; and a screenshot that does not hang on a still page ([`Session::screenshot`]).
//!
//! What to do with an error (fail a test, skip a figure) is the caller's.

mod driver;
mod session;

pub use driver::{descendants, free_port, tauri_driver, Driver, CLEARED_ENV};
pub use fantoccini;
pub use http;
pub use session::{Session, WdError, COMMAND_TIMEOUT, SCREENSHOT_TIMEOUT};

use serde_json::{json, Value};

/// The W3C WebDriver web element identifier (the key of an element reference in JSON).
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver element reference, as a script or action argument.
pub fn element_ref(id: &str) -> Value {
    json!({ ELEMENT_KEY: id })
}

/// The CSS selector of the element with this test id (elements are found only by
/// `data-testid`, docs/CONTRACTS.md §4).
pub fn testid_css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_references_use_the_w3c_key() {
        assert_eq!(
            element_ref("abc").to_string(),
            r#"{"element-6066-11e4-a52e-4f735466cecf":"abc"}"#
        );
        // fantoccini serializes its elements with the same key.
        assert_eq!(ELEMENT_KEY, "element-6066-11e4-a52e-4f735466cecf");
    }

    #[test]
    fn test_ids_become_attribute_selectors() {
        assert_eq!(testid_css("cart-total"), r#"[data-testid="cart-total"]"#);
    }
}
