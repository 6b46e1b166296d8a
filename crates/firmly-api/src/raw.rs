//! A JSON answer kept as the text that arrived, for the support inspector and snapshots.
//!
//! Carts are decoded straight from the response bytes (docs/BENCHMARKS.md §5): the
//! `serde_json::Value` tree of the whole answer is built only when someone looks at it.

use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// The raw JSON of an answer. Cloning is cheap (shared); `value()` parses once, on demand,
/// and `pretty()` prints once, on demand.
#[derive(Clone, Default)]
pub struct RawJson {
    text: Option<Arc<str>>,
    parsed: Arc<OnceLock<Value>>,
    pretty: Arc<OnceLock<Option<Arc<str>>>>,
}

static NULL: Value = Value::Null;

impl RawJson {
    /// JSON text as received (not checked here; an unparseable text reads as `null`).
    pub fn from_text(text: impl Into<Arc<str>>) -> Self {
        RawJson {
            text: Some(text.into()),
            parsed: Arc::default(),
            pretty: Arc::default(),
        }
    }

    /// From bytes as received (invalid UTF-8 is replaced, never rejected).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(s) => Self::from_text(s),
            Err(_) => Self::from_text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// From an already parsed value (a cart inside a list answer).
    pub fn from_value(value: Value) -> Self {
        let parsed = OnceLock::new();
        let text = (!value.is_null()).then(|| Arc::from(value.to_string()));
        let _ = parsed.set(value);
        RawJson {
            text,
            parsed: Arc::new(parsed),
            pretty: Arc::default(),
        }
    }

    /// The text as received, if any.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The parsed JSON (`null` when there is none or it is not JSON).
    pub fn value(&self) -> &Value {
        match &self.text {
            None => &NULL,
            Some(t) => self
                .parsed
                .get_or_init(|| serde_json::from_str(t).unwrap_or(Value::Null)),
        }
    }

    /// The JSON pretty-printed (two-space indent, keys sorted), `None` when
    /// there is no JSON. Printed once per answer and shared by its clones: the support
    /// drawer asks for it on every refresh (about 0.1 ms of a 20 KB cart each time otherwise).
    pub fn pretty(&self) -> Option<Arc<str>> {
        self.pretty
            .get_or_init(|| {
                let v = self.value();
                (!v.is_null())
                    .then(|| serde_json::to_string_pretty(v).ok().map(Arc::from))
                    .flatten()
            })
            .clone()
    }

    /// An owned copy of the parsed JSON.
    pub fn to_value(&self) -> Value {
        self.value().clone()
    }

    pub fn is_null(&self) -> bool {
        self.value().is_null()
    }
}

impl std::fmt::Debug for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.text {
            None => f.write_str("RawJson(none)"),
            Some(t) => write!(f, "RawJson({} bytes)", t.len()),
        }
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        match (&self.text, &other.text) {
            (Some(a), Some(b)) if a == b => true,
            _ => self.value() == other.value(),
        }
    }
}

impl<'a> std::ops::Index<&'a str> for RawJson {
    type Output = Value;
    fn index(&self, key: &'a str) -> &Value {
        &self.value()[key]
    }
}

impl From<Value> for RawJson {
    fn from(value: Value) -> Self {
        RawJson::from_value(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lazily_and_once() {
        let r = RawJson::from_bytes(br#"{"shop_id":"a","n":[1,2]}"#);
        assert!(r.parsed.get().is_none(), "nothing parsed before it is read");
        assert_eq!(r["shop_id"], "a");
        assert!(r.parsed.get().is_some());
        let c = r.clone();
        assert!(c.parsed.get().is_some(), "clones share the parsed value");
        assert_eq!(c.text(), Some(r#"{"shop_id":"a","n":[1,2]}"#));
    }

    #[test]
    fn prints_pretty_once_for_every_clone() {
        let r = RawJson::from_text(r#"{"b":1,"a":[true]}"#);
        let c = r.clone();
        let first = r.pretty().unwrap();
        assert_eq!(&*first, "{\n  \"a\": [\n    true\n  ],\n  \"b\": 1\n}");
        assert!(
            Arc::ptr_eq(&first, &c.pretty().unwrap()),
            "printed once, shared"
        );
        assert_eq!(RawJson::default().pretty(), None);
        assert_eq!(RawJson::from_text("{not json").pretty(), None);
    }

    #[test]
    fn absent_broken_and_non_utf8_text() {
        assert!(RawJson::default().is_null());
        assert_eq!(RawJson::default().text(), None);
        assert!(RawJson::from_text("{not json").is_null());
        assert_eq!(RawJson::from_text("{not json").text(), Some("{not json"));
        let r = RawJson::from_bytes(b"\"\xff\"");
        assert!(r.text().is_some_and(|t| t.contains('\u{fffd}')));
    }

    #[test]
    fn equality_is_by_json_value() {
        let a = RawJson::from_text(r#"{"a":1,"b":2}"#);
        let b = RawJson::from_text(r#"{ "b": 2, "a": 1 }"#);
        assert_eq!(a, b);
        assert_eq!(a, RawJson::from_value(serde_json::json!({"a": 1, "b": 2})));
        assert_ne!(a, RawJson::default());
    }
}
