//! The fleet policy's JSON Schema (`docs/kiosk/policy.schema.json`, installed by the packages
//! as `/usr/share/firmly-desk/policy.schema.json`) is generated from the Rust `Policy` type and
//! committed; this test regenerates it and fails on any drift, and checks that the example
//! policy validates against it. Refresh with
//! `UPDATE_POLICY_SCHEMA=1 cargo test -p firmly-checkout --test policy_schema`.
//!
//! The validator below is deliberately small: it knows exactly the keywords the generated
//! schema uses, and the test fails if the schema starts using one it does not know, so a
//! green run never means "ignored what it did not understand".

use std::path::PathBuf;

use firmly_checkout::launch::Policy;
use firmly_checkout::Mode;
use serde_json::{json, Map, Value};

fn kiosk_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/kiosk")
}

fn generated_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Policy)).expect("the schema is JSON")
}

fn generated_text() -> String {
    let mut text = serde_json::to_string_pretty(&generated_schema()).expect("pretty JSON");
    text.push('\n');
    text
}

#[test]
fn the_committed_schema_matches_the_policy_type() {
    let path = kiosk_dir().join("policy.schema.json");
    let generated = generated_text();
    if std::env::var_os("UPDATE_POLICY_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write docs/kiosk/policy.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/kiosk/policy.schema.json is out of date: run \
         `UPDATE_POLICY_SCHEMA=1 cargo test -p firmly-checkout --test policy_schema` and commit it"
    );
}

/// Every keyword the validator understands; annotations are accepted and not checked.
const CHECKED: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "$ref",
    "minimum",
    "maximum",
    "pattern",
    "format",
];
const ANNOTATIONS: &[&str] = &["$schema", "$defs", "title", "description", "default"];

/// Fails on a keyword neither checked nor a known annotation, anywhere in the schema.
fn assert_known_keywords(schema: &Value, at: &str) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    for (key, value) in obj {
        assert!(
            CHECKED.contains(&key.as_str()) || ANNOTATIONS.contains(&key.as_str()),
            "the schema uses `{key}` at {at}: teach the validator in tests/policy_schema.rs"
        );
        match key.as_str() {
            "properties" | "$defs" => {
                for (name, sub) in value.as_object().into_iter().flatten() {
                    assert_known_keywords(sub, &format!("{at}/{key}/{name}"));
                }
            }
            "oneOf" | "anyOf" => {
                for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                    assert_known_keywords(sub, &format!("{at}/{key}/{i}"));
                }
            }
            "items" | "additionalProperties" => {
                assert_known_keywords(value, &format!("{at}/{key}"))
            }
            _ => {}
        }
    }
}

fn type_matches(name: &str, v: &Value) -> bool {
    match name {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => panic!("unknown JSON type `{other}` in the schema"),
    }
}

/// The errors of `v` against `schema` (empty = valid), each with its JSON pointer.
fn validate(root: &Value, schema: &Value, v: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(s) = schema.as_object() else {
        // `true` accepts anything, `false` nothing.
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return errors;
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r
            .strip_prefix("#/$defs/")
            .expect("local $defs references only");
        errors.extend(validate(root, &root["$defs"][name], v, at));
    }
    if let Some(t) = s.get("type") {
        let names: Vec<&str> = match t {
            Value::String(n) => vec![n.as_str()],
            Value::Array(ns) => ns.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad `type` at {at}"),
        };
        if !names.iter().any(|n| type_matches(n, v)) {
            errors.push(format!("{at}: {v} is not {}", names.join(" or ")));
            return errors;
        }
    }
    if let Some(options) = s.get("enum").and_then(Value::as_array) {
        if !options.contains(v) {
            errors.push(format!(
                "{at}: {v} is not one of {}",
                Value::from(options.clone())
            ));
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            errors.push(format!("{at}: {v} is not {c}"));
        }
    }
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(subs) = s.get(key).and_then(Value::as_array) {
            let passing = subs
                .iter()
                .filter(|sub| validate(root, sub, v, at).is_empty())
                .count();
            if passing == 0 || (exactly_one && passing > 1) {
                errors.push(format!("{at}: {v} matches {passing} of `{key}`"));
            }
        }
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
            if n < min {
                errors.push(format!("{at}: {n} is below {min}"));
            }
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
            if n > max {
                errors.push(format!("{at}: {n} is above {max}"));
            }
        }
    }
    if let (Some(f), Some(n)) = (s.get("format").and_then(Value::as_str), v.as_u64()) {
        if f == "uint32" && n > u64::from(u32::MAX) {
            errors.push(format!("{at}: {n} does not fit uint32"));
        }
    }
    if let (Some(p), Some(text)) = (s.get("pattern").and_then(Value::as_str), v.as_str()) {
        let re = regex::Regex::new(p).expect("the schema's pattern compiles");
        if !re.is_match(text) {
            errors.push(format!("{at}: {text:?} does not match {p}"));
        }
    }
    if let Some(item_schema) = s.get("items") {
        for (i, item) in v.as_array().into_iter().flatten().enumerate() {
            errors.extend(validate(root, item_schema, item, &format!("{at}/{i}")));
        }
    }
    if let Some(obj) = v.as_object() {
        let empty = Map::new();
        let props = s
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for name in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().expect("required names are strings");
            if !obj.contains_key(name) {
                errors.push(format!("{at}: `{name}` is required"));
            }
        }
        for (key, value) in obj {
            let path = format!("{at}/{key}");
            match (props.get(key), s.get("additionalProperties")) {
                (Some(sub), _) => errors.extend(validate(root, sub, value, &path)),
                (None, Some(extra)) => errors.extend(validate(root, extra, value, &path)),
                (None, None) => {}
            }
        }
    }
    errors
}

fn errors_of(policy: &Value) -> Vec<String> {
    let schema = generated_schema();
    validate(&schema, &schema, policy, "")
}

/// What the app says of a policy file: `Ok` when it would start with it.
fn app_accepts(policy: &Value) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("policy.json");
    std::fs::write(&path, policy.to_string()).expect("write the policy");
    let p = path.display().to_string();
    firmly_checkout::launch::LaunchConfig::resolve(
        |k| (k == "FIRMLY_DESK_POLICY").then(|| p.clone()),
        &firmly_checkout::Settings::default(),
    )
    .map(|_| ())
}

#[test]
fn the_example_policy_validates_against_the_schema() {
    let schema = generated_schema();
    assert_known_keywords(&schema, "#");
    let text = std::fs::read_to_string(kiosk_dir().join("policy.example.json"))
        .expect("docs/kiosk/policy.example.json");
    let example: Value = serde_json::from_str(&text).expect("the example is JSON");
    assert_eq!(errors_of(&example), Vec::<String>::new());
    // A policy using every key validates too, and the app takes it.
    let full = json!({
        "mode": "kiosk", "idle_seconds": 60, "language": "en",
        "merchants": ["staging.luma.gift"],
        "live": {"app_id": "fleet", "api_base": "https://api.example", "vault_base": "https://vault.example",
                 "status_base": "https://status.example", "status_component": "checkout"},
        "card_encryption": "per-field",
        "locked": ["live", "idle_seconds", "language", "card_encryption"],
        "order_done_seconds": 20,
        "staff_pin_sha256": "03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4",
        "touch_keyboard": true, "printer": "Front_Desk"
    });
    assert_eq!(errors_of(&full), Vec::<String>::new());
    assert_eq!(app_accepts(&full), Ok(()));
    assert_eq!(errors_of(&json!({})), Vec::<String>::new());
}

#[test]
fn the_schema_refuses_what_the_app_refuses() {
    for bad in [
        json!({"idle": 3}),
        json!({"mode": "party"}),
        json!({"idle_seconds": 2}),
        json!({"idle_seconds": "90"}),
        json!({"merchants": "staging.luma.gift"}),
        json!({"locked": ["everything"]}),
        json!({"card_encryption": "rot13"}),
        json!({"order_done_seconds": 601}),
        json!({"staff_pin_sha256": "1234"}),
        json!({"printer": "x; rm -rf /"}),
        json!({"live": {"app_id": "x", "api_base": "https://a.example"}}),
        json!({"live": {"app_id": "x", "api_base": "https://a", "vault_base": "https://v", "extra": 1}}),
    ] {
        assert!(!errors_of(&bad).is_empty(), "the schema accepts {bad}");
        assert!(app_accepts(&bad).is_err(), "the app accepts {bad}");
    }
}

#[test]
fn the_schema_lists_the_values_the_app_knows() {
    let schema = generated_schema();
    let modes = schema["properties"]["mode"]["enum"]
        .as_array()
        .expect("mode has an enum");
    for m in modes.iter().filter_map(Value::as_str) {
        assert!(Mode::parse(m).is_some(), "the schema's mode `{m}`");
    }
    // Every mode the app has is offered.
    for m in [Mode::Demo, Mode::Kiosk, Mode::Agent] {
        assert!(modes.contains(&json!(m.as_str())), "{m:?} is missing");
    }
}
