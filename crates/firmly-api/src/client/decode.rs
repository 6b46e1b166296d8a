//! Decoding answers into the wire models, naming the failing JSON path on error.

use crate::error::{ApiError, Result};
use crate::models::cart::CartV2;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes JSON into `T`, naming the failing JSON path on error.
pub fn decode_value<T: DeserializeOwned>(value: &Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::decode(path, e.inner().to_string())
    })
}

/// Decodes a cart and keeps the raw JSON.
pub fn decode_cart(value: Value) -> Result<CartV2> {
    let mut cart: CartV2 = decode_value(&value)?;
    cart.raw = crate::raw::RawJson::from_value(value);
    Ok(cart)
}

/// Decodes JSON bytes straight into `T` (no intermediate `Value`), naming the failing JSON
/// path on error; a body that is not JSON at all is an "invalid JSON" error at `.`.
pub fn decode_bytes<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return decode_value(&Value::Null);
    }
    let invalid = |e: &serde_json::Error| ApiError::decode(".", format!("invalid JSON: {e}"));
    let mut de = serde_json::Deserializer::from_slice(body);
    let out: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            invalid(e.inner())
        } else {
            ApiError::decode(e.path().to_string(), e.inner().to_string())
        }
    })?;
    de.end().map_err(|e| invalid(&e))?;
    Ok(out)
}

/// Decodes a cart straight from the answer's bytes and keeps them as its raw JSON
/// (parsed into a `Value` only if the support inspector asks; docs/BENCHMARKS.md §5).
pub fn decode_cart_bytes(body: &[u8]) -> Result<CartV2> {
    let mut cart: CartV2 = decode_bytes(body)?;
    cart.raw = crate::raw::RawJson::from_bytes(body);
    Ok(cart)
}

pub(crate) fn parse_json(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| ApiError::decode(".", format!("invalid JSON: {e}")))
}
