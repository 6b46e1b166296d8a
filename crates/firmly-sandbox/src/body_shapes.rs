//! The members each documented request body may carry, and the check that refuses any other
//! (ENDPOINTS.md §1, "Request" column; §7 C6 address aliases, C18 flat attribution, C22
//! `state_name`, C24 wallet unlock, C26 transfer handles, C31 demo slot choice). A client
//! that sends a field the docs do not show gets the family's invalid-input error
//! (`InvalidInputBody 422` on v1 and vault routes, `ErrorInvalidInputBody 400` on v2 routes,
//! ENDPOINTS.md §6) naming the field — so an undocumented field can never be silently
//! ignored here and then fail against the real service.
//!
//! Both profiles check; `demo` adds only its listed extensions to a shape (today the
//! `selected_time_slot_id` and `location_id` of `POST …/cart/shipment/methods`). The shapes
//! themselves are in [`crate::routes::documented`], beside the routes. A shape says which
//! members an *object* may have; the types of the values stay serde's business.

use serde_json::Value;

use crate::model::profile::Profile;

/// The members an object may have (and theirs, recursively).
#[derive(Debug)]
pub enum Shape {
    /// Anything: a free-form object (`merchantData`) or a scalar.
    Any,
    /// An object with exactly these members allowed (each optional here).
    Object(&'static [(&'static str, Shape)]),
    /// An array whose items have this shape.
    List(&'static Shape),
}

use Shape::{List, Object};

/// A request body type with a documented shape.
pub trait Documented {
    /// The shape in `profile`; `None` checks nothing (admin bodies).
    fn shape(profile: Profile) -> Option<&'static Shape>;
}

/// The first member of `value` that `shape` does not allow, as a JSON path (`a.b[2].c`).
pub fn unknown_member(value: &Value, shape: &Shape) -> Option<String> {
    match (shape, value) {
        (Object(members), Value::Object(map)) => {
            map.iter()
                .find_map(|(k, v)| match members.iter().find(|(name, _)| name == k) {
                    None => Some(k.clone()),
                    Some((_, inner)) => unknown_member(v, inner).map(|p| join(k, &p)),
                })
        }
        (List(item), Value::Array(items)) => items.iter().enumerate().find_map(|(i, v)| {
            unknown_member(v, item).map(|p| {
                if p.starts_with('[') {
                    format!("[{i}]{p}")
                } else {
                    format!("[{i}].{p}")
                }
            })
        }),
        _ => None,
    }
}

fn join(key: &str, rest: &str) -> String {
    if rest.starts_with('[') {
        format!("{key}{rest}")
    } else {
        format!("{key}.{rest}")
    }
}

/// The members allowed at the object that holds `path`'s last member, for the error text.
fn allowed_at(shape: &Shape, value: &Value) -> Vec<&'static str> {
    match (shape, value) {
        (Object(members), Value::Object(map)) => {
            for (k, v) in map {
                if let Some((_, inner)) = members.iter().find(|(name, _)| name == k) {
                    if unknown_member(v, inner).is_some() {
                        return allowed_at(inner, v);
                    }
                }
            }
            members.iter().map(|(name, _)| *name).collect()
        }
        (List(item), Value::Array(items)) => items
            .iter()
            .find(|v| unknown_member(v, item).is_some())
            .map(|v| allowed_at(item, v))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Checks `value` against `T`'s shape in `profile`: `Err(description)` names the first
/// unknown field and the fields the docs allow there.
pub fn check<T: Documented>(value: &Value, profile: Profile) -> Result<(), String> {
    let Some(shape) = T::shape(profile) else {
        return Ok(());
    };
    match unknown_member(value, shape) {
        None => Ok(()),
        Some(path) => Err(format!(
            "unknown field '{path}' (not in the documented body; allowed: {}).",
            allowed_at(shape, value).join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use Shape::Any;

    #[test]
    fn unknown_members_are_found_with_their_path() {
        let s = Object(&[
            ("a", Any),
            ("o", Object(&[("x", Any)])),
            ("l", List(&Object(&[("id", Any)]))),
        ]);
        assert_eq!(unknown_member(&json!({"a": {"free": 1}}), &s), None);
        assert_eq!(unknown_member(&json!({"b": 1}), &s).as_deref(), Some("b"));
        assert_eq!(
            unknown_member(&json!({"o": {"y": 1}}), &s).as_deref(),
            Some("o.y")
        );
        assert_eq!(
            unknown_member(&json!({"l": [{"id": 1}, {"id": 2, "z": 3}]}), &s).as_deref(),
            Some("l[1].z")
        );
        // Types are serde's business: a string where an object is shaped passes here.
        assert_eq!(unknown_member(&json!({"o": "text"}), &s), None);
        assert_eq!(allowed_at(&s, &json!({"o": {"y": 1}})), ["x"]);
    }
}
