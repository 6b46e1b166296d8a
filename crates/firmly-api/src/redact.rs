//! Redaction helpers so secrets never reach Debug output or logs.

/// Debug-prints `<redacted N chars>` instead of the value.
pub struct Redacted<'a>(pub &'a str);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            write!(f, "<redacted {} chars>", self.0.len())
        }
    }
}
