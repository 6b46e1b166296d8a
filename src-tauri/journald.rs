//! The desk's log in the system journal, for fleets. When systemd started the app (the kiosk's
//! user unit sets `INVOCATION_ID`, and `JOURNAL_STREAM` when stderr goes to the journal), every
//! log record also becomes a journal entry with fields a fleet can filter and forward on:
//! `PRIORITY`, `FIRMLY_LEVEL`, `FIRMLY_MERCHANT`, `FIRMLY_REQUEST_ID`, `FIRMLY_ORDER_OUTCOME`,
//! … (README "Logs a fleet can collect").
//!
//! It speaks journald's native protocol (one datagram per entry, `KEY=value` lines, a length
//! prefix for values with a newline; systemd.io/JOURNAL_NATIVE_PROTOCOL) on
//! `/run/systemd/journal/socket`, so no C library (libsystemd) is linked.
//!
//! Personal data never reaches the journal: fields are taken only from an allowlist of keys
//! whose values must look like identifiers, and the message is scrubbed of the values of
//! personal keys (email, phone, name, address, card, …), of e-mail addresses and of long digit
//! runs (card numbers). The app logs none of these in the first place (tests/e2e.rs scans its
//! log files); this is the second line of defence for logs that leave the machine.

#[cfg(unix)]
use std::path::{Path, PathBuf};

/// journald's socket for native-protocol datagrams.
pub const SOCKET: &str = "/run/systemd/journal/socket";

/// `SYSLOG_IDENTIFIER` of every entry (`journalctl -t firmly-desk`).
pub const IDENTIFIER: &str = "firmly-desk";

/// The longest message sent: a datagram over the socket's buffer would be dropped whole.
const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// The longest field value kept (identifiers, codes and domains are far shorter).
const MAX_FIELD_BYTES: usize = 128;

/// Keys whose values are personal data or secrets: never a field, and redacted from messages.
const PERSONAL_KEYS: &[&str] = &[
    "email",
    "phone",
    "name",
    "first_name",
    "last_name",
    "full_name",
    "address",
    "address1",
    "address2",
    "street",
    "city",
    "postal_code",
    "zip",
    "card",
    "card_number",
    "number",
    "cvv",
    "cvc",
    "expiry",
    "token",
    "password",
    "otp",
    "one_time_code",
    "cookie",
];

/// Record keys (as `tracing` writes them into the message: `… key=value`) that become fields.
const FIELD_KEYS: &[(&str, &str)] = &[
    ("domain", "FIRMLY_MERCHANT"),
    ("merchant", "FIRMLY_MERCHANT"),
    ("request_id", "FIRMLY_REQUEST_ID"),
    ("order", "FIRMLY_ORDER_NUMBER"),
    ("code", "FIRMLY_ERROR_CODE"),
    ("mode", "FIRMLY_MODE"),
    ("action", "FIRMLY_ACTION"),
    ("status", "FIRMLY_HTTP_STATUS"),
];

/// Messages that end an order (firmly-checkout `orders/place.rs`, `orders/reconcile.rs`) and the
/// outcome each reports; the unit tests check these texts still exist there.
const ORDER_OUTCOMES: &[(&str, &str)] = &[
    ("order placed", "placed"),
    ("an unknown order turned out placed", "placed"),
    ("order not placed", "not_placed"),
    ("completion outcome unknown", "unknown"),
    ("the order's outcome is still unknown", "unknown"),
];

/// Audit actions that end an order (firmly-checkout `audit.rs` lines).
const AUDIT_OUTCOMES: &[(&str, &str)] = &[
    ("order_placed", "placed"),
    ("order_not_placed", "not_placed"),
    ("order_unknown", "unknown"),
];

/// Whether systemd started this process (`JOURNAL_STREAM` or `INVOCATION_ID` set).
pub fn under_systemd(env: impl Fn(&str) -> Option<String>) -> bool {
    ["JOURNAL_STREAM", "INVOCATION_ID"]
        .iter()
        .any(|k| env(k).is_some_and(|v| !v.trim().is_empty()))
}

/// Where records go besides the log file: stderr, or, under systemd with a journal, the
/// journal (plus stderr when stderr is not already the journal, so nothing is logged twice).
pub fn console_sinks() -> Vec<Box<dyn log::Log>> {
    #[cfg(unix)]
    if let Some(sinks) = journal_sinks() {
        return sinks;
    }
    vec![Box::new(crate::logs::StderrLog)]
}

#[cfg(unix)]
fn journal_sinks() -> Option<Vec<Box<dyn log::Log>>> {
    let env = |k: &str| std::env::var(k).ok();
    if !under_systemd(env) || !Path::new(SOCKET).exists() {
        return None;
    }
    let journal = match JournalLog::new(SOCKET) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("Firmly Desk: no journal ({e}); logging to stderr");
            return None;
        }
    };
    let mut sinks: Vec<Box<dyn log::Log>> = vec![Box::new(journal)];
    if !stderr_is(env("JOURNAL_STREAM").as_deref()) {
        sinks.push(Box::new(crate::logs::StderrLog));
    }
    Some(sinks)
}

#[cfg(unix)]
/// Whether stderr is the stream systemd named in `JOURNAL_STREAM` (`device:inode`).
fn stderr_is(journal_stream: Option<&str>) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Some(stream) = journal_stream else {
        return false;
    };
    // A duplicate of fd 2, to stat it without unsafe code; dropped right after.
    let stat = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata());
    stat.is_ok_and(|m| stream.trim() == format!("{}:{}", m.dev(), m.ino()))
}

/// A `log` sink writing journal entries to a native-protocol socket.
#[cfg(unix)]
pub struct JournalLog {
    socket: std::os::unix::net::UnixDatagram,
    path: PathBuf,
}

#[cfg(unix)]
impl JournalLog {
    pub fn new(path: impl Into<PathBuf>) -> std::io::Result<JournalLog> {
        Ok(JournalLog {
            socket: std::os::unix::net::UnixDatagram::unbound()?,
            path: path.into(),
        })
    }
}

#[cfg(unix)]
impl log::Log for JournalLog {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let text = record.args().to_string();
        let fields = entry_fields(record.level(), record.target(), message_of(&text, record));
        // A journal that is gone (restarting, full) must not stop the app or block it: the
        // entry is still in the log files.
        let _ = self.socket.send_to(&encode(&fields), &self.path);
    }

    fn flush(&self) {}
}

/// The message without a `[date][time][target][LEVEL] ` prefix, should a record come
/// formatted (src-tauri/logs.rs hands the sinks the record as logged; the journal keeps time,
/// target and level in fields of their own).
fn message_of<'a>(text: &'a str, record: &log::Record) -> &'a str {
    let prefix = format!("[{}][{}] ", record.target(), record.level());
    text.split_once(&prefix).map_or(text, |(_, rest)| rest)
}

/// journald's `PRIORITY` (syslog levels) for a log level.
fn priority(level: log::Level) -> u8 {
    match level {
        log::Level::Error => 3,
        log::Level::Warn => 4,
        log::Level::Info => 6,
        log::Level::Debug | log::Level::Trace => 7,
    }
}

/// The fields of one entry: the scrubbed message, the level, the source, and the allowlisted
/// identifiers found in the message.
pub fn entry_fields(level: log::Level, target: &str, message: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("MESSAGE".to_string(), scrub(message)),
        ("PRIORITY".into(), priority(level).to_string()),
        ("SYSLOG_IDENTIFIER".into(), IDENTIFIER.into()),
        ("FIRMLY_LEVEL".into(), level.as_str().into()),
    ];
    if let Some(t) = safe_value(target) {
        fields.push(("TARGET".into(), t));
    }
    for (key, field) in FIELD_KEYS {
        if fields.iter().any(|(name, _)| name == field) {
            continue;
        }
        // `-` is how the audit line says "no merchant".
        if let Some(v) = value_of(message, key)
            .filter(|v| v != "-")
            .and_then(|v| safe_value(&v))
        {
            fields.push((field.to_string(), v));
        }
    }
    // An API call names its merchant in its path only (`/api/v2/domains/<domain>/cart`).
    if !fields.iter().any(|(name, _)| name == "FIRMLY_MERCHANT") {
        let domain = value_of(message, "path").and_then(|p| {
            let (_, rest) = p.split_once("/domains/")?;
            safe_value(rest.split('/').next()?)
        });
        if let Some(d) = domain {
            fields.push(("FIRMLY_MERCHANT".into(), d));
        }
    }
    let outcome = ORDER_OUTCOMES
        .iter()
        .find(|(text, _)| message.starts_with(text))
        .or_else(|| {
            let action = value_of(message, "action")?;
            AUDIT_OUTCOMES.iter().find(|(a, _)| *a == action)
        })
        .map(|(_, outcome)| *outcome);
    if let Some(outcome) = outcome {
        fields.push(("FIRMLY_ORDER_OUTCOME".into(), outcome.into()));
    }
    fields
}

/// The value of ` key=value` in a message as `tracing` writes it: `"quoted"` (`Debug` of a
/// string), `Some("…")` / `None` (`Debug` of an option), or a bare word.
fn value_of(message: &str, key: &str) -> Option<String> {
    let needle = format!(" {key}=");
    let at = message.find(&needle)? + needle.len();
    let rest = &message[at..];
    let rest = rest.strip_prefix("Some(").unwrap_or(rest);
    if let Some(quoted) = rest.strip_prefix('"') {
        let end = closing_quote(quoted)?;
        return Some(quoted[..end].to_string());
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ')')
        .collect();
    (!word.is_empty() && word != "None").then_some(word)
}

/// Where a `Debug`-quoted string ends: the first `"` not escaped by a backslash.
fn closing_quote(quoted: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in quoted.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// A field value that can only be an identifier: letters, digits and `. _ : / -`, short.
/// Anything else (an `@`, spaces, quotes) is dropped rather than cleaned.
fn safe_value(v: &str) -> Option<String> {
    let ok = !v.is_empty()
        && v.len() <= MAX_FIELD_BYTES
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-'))
        && !has_long_digit_run(v);
    ok.then(|| v.to_string())
}

/// Card numbers and the like: 12 or more digits in a row, single spaces or dashes between.
fn has_long_digit_run(text: &str) -> bool {
    digit_runs(text).next().is_some()
}

/// Byte ranges of runs of ≥ 12 digits (single ` ` or `-` separators allowed inside).
fn digit_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            let (mut end, mut digits) = (i, 0);
            let mut j = i;
            while j < bytes.len() {
                if bytes[j].is_ascii_digit() {
                    digits += 1;
                    j += 1;
                    end = j;
                } else if matches!(bytes[j], b' ' | b'-')
                    && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            i = end.max(start + 1);
            if digits >= 12 {
                return Some((start, end));
            }
        }
        None
    })
}

/// The message as the journal gets it: personal keys' values, e-mail addresses and long digit
/// runs replaced, capped in length.
pub fn scrub(message: &str) -> String {
    let mut out = message.to_string();
    for key in PERSONAL_KEYS {
        out = redact_key(&out, key);
    }
    out = out
        .split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            let at = trimmed.find('@');
            if at.is_some_and(|a| trimmed[a..].contains('.')) {
                format!("[email]{}", &word[trimmed.len()..])
            } else {
                word.to_string()
            }
        })
        .collect();
    let runs: Vec<(usize, usize)> = digit_runs(&out).collect();
    for (start, end) in runs.into_iter().rev() {
        out.replace_range(start..end, "[number]");
    }
    if out.len() > MAX_MESSAGE_BYTES {
        let mut cut = MAX_MESSAGE_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// `key=value` → `key=[redacted]` wherever `key` starts a word (a quoted value whole).
fn redact_key(message: &str, key: &str) -> String {
    let needle = format!("{key}=");
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(&needle) {
        let starts_word = at == 0
            || rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_ascii_alphanumeric() && c != '_');
        let value_at = at + needle.len();
        out.push_str(&rest[..value_at]);
        rest = &rest[value_at..];
        if !starts_word {
            continue;
        }
        let len = match rest.strip_prefix('"') {
            Some(q) => closing_quote(q).map_or(rest.len(), |e| e + 2),
            None => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        };
        out.push_str("[redacted]");
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// One datagram of journald's native protocol: `NAME=value\n`, or, for a value with a newline,
/// `NAME\n`, its length as 64-bit little-endian, the value and `\n`.
pub fn encode(fields: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend_from_slice(name.as_bytes());
        if value.contains('\n') {
            out.push(b'\n');
            out.extend_from_slice(&(value.len() as u64).to_le_bytes());
        } else {
            out.push(b'=');
        }
        out.extend_from_slice(value.as_bytes());
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use log::Log;

    fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Decodes a native-protocol datagram back into its fields.
    fn decode(mut data: &[u8]) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        while !data.is_empty() {
            let line_end = data.iter().position(|b| *b == b'\n').unwrap();
            let line = &data[..line_end];
            if let Some(eq) = line.iter().position(|b| *b == b'=') {
                fields.push((
                    String::from_utf8(line[..eq].to_vec()).unwrap(),
                    String::from_utf8(line[eq + 1..].to_vec()).unwrap(),
                ));
                data = &data[line_end + 1..];
            } else {
                let name = String::from_utf8(line.to_vec()).unwrap();
                let rest = &data[line_end + 1..];
                let len = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
                let value = String::from_utf8(rest[8..8 + len].to_vec()).unwrap();
                assert_eq!(rest[8 + len], b'\n');
                fields.push((name, value));
                data = &rest[8 + len + 1..];
            }
        }
        fields
    }

    #[test]
    fn fields_are_encoded_in_the_native_protocol() {
        let fields = vec![
            ("MESSAGE".to_string(), "order placed".to_string()),
            ("PRIORITY".to_string(), "6".to_string()),
        ];
        assert_eq!(encode(&fields), b"MESSAGE=order placed\nPRIORITY=6\n");
        // A value with a newline goes length-prefixed (8 bytes, little-endian).
        let multi = vec![("MESSAGE".to_string(), "a\nb".to_string())];
        assert_eq!(encode(&multi), b"MESSAGE\n\x03\0\0\0\0\0\0\0a\nb\n");
        assert_eq!(decode(&encode(&multi)), multi);
    }

    #[test]
    fn every_field_name_is_one_journald_accepts() {
        let fields = entry_fields(
            log::Level::Info,
            "firmly_checkout::audit",
            r#"audit mode="kiosk" merchant="staging.luma.gift" action=order_placed outcome=SBX-1 request_id=Some("r-1") code=x order=SBX-1 status=200"#,
        );
        assert!(fields.len() > 8, "{fields:?}");
        for (name, _) in &fields {
            assert!(
                name.len() <= 64
                    && !name.starts_with('_')
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
        }
    }

    #[test]
    fn requests_and_orders_carry_their_identifiers() {
        let request = entry_fields(
            log::Level::Info,
            "firmly_api::client::exchange",
            r#"firmly request method="POST" path=/api/v1/domains/staging.luma.gift/cart/line-items status=200 request_id=Some("9f2c-77aa")"#,
        );
        assert_eq!(field(&request, "PRIORITY"), Some("6"));
        assert_eq!(field(&request, "FIRMLY_LEVEL"), Some("INFO"));
        assert_eq!(field(&request, "FIRMLY_REQUEST_ID"), Some("9f2c-77aa"));
        assert_eq!(field(&request, "FIRMLY_HTTP_STATUS"), Some("200"));
        assert_eq!(
            field(&request, "TARGET"),
            Some("firmly_api::client::exchange")
        );
        assert_eq!(field(&request, "SYSLOG_IDENTIFIER"), Some("firmly-desk"));
        assert_eq!(
            field(&request, "FIRMLY_MERCHANT"),
            Some("staging.luma.gift")
        );
        let no_merchant = entry_fields(
            log::Level::Info,
            "firmly_checkout::audit",
            r#"audit mode="kiosk" merchant="-" action=desk_started outcome=kiosk"#,
        );
        assert_eq!(field(&no_merchant, "FIRMLY_MERCHANT"), None);
        assert_eq!(field(&no_merchant, "FIRMLY_ACTION"), Some("desk_started"));
        let none = entry_fields(
            log::Level::Info,
            "t",
            "firmly request status=503 request_id=None",
        );
        assert_eq!(field(&none, "FIRMLY_REQUEST_ID"), None);

        let placed = entry_fields(
            log::Level::Info,
            "firmly_checkout::orders::place",
            "order placed domain=staging.luma.gift order=SBX-1042",
        );
        assert_eq!(field(&placed, "FIRMLY_ORDER_OUTCOME"), Some("placed"));
        assert_eq!(field(&placed, "FIRMLY_MERCHANT"), Some("staging.luma.gift"));
        assert_eq!(field(&placed, "FIRMLY_ORDER_NUMBER"), Some("SBX-1042"));
        let unknown = entry_fields(
            log::Level::Warn,
            "firmly_checkout::orders::place",
            "completion outcome unknown; checking the cart domain=homegoods.test code=Timeout",
        );
        assert_eq!(field(&unknown, "PRIORITY"), Some("4"));
        assert_eq!(field(&unknown, "FIRMLY_ORDER_OUTCOME"), Some("unknown"));
        assert_eq!(field(&unknown, "FIRMLY_ERROR_CODE"), Some("Timeout"));
        let audit = entry_fields(
            log::Level::Info,
            "firmly_checkout::audit",
            r#"audit mode="kiosk" merchant="gadgets.test" action=order_not_placed outcome=CardDeclined"#,
        );
        assert_eq!(field(&audit, "FIRMLY_ORDER_OUTCOME"), Some("not_placed"));
        assert_eq!(field(&audit, "FIRMLY_MODE"), Some("kiosk"));
        assert_eq!(field(&audit, "FIRMLY_MERCHANT"), Some("gadgets.test"));
        assert_eq!(
            field(
                &entry_fields(log::Level::Error, "t", "x"),
                "FIRMLY_ORDER_OUTCOME"
            ),
            None
        );
    }

    #[test]
    fn the_order_messages_it_reads_are_the_ones_the_desk_logs() {
        let sources = [
            include_str!("../crates/firmly-checkout/src/orders/place.rs"),
            include_str!("../crates/firmly-checkout/src/orders/reconcile.rs"),
        ]
        .concat();
        for (text, _) in ORDER_OUTCOMES {
            assert!(
                sources.contains(&format!("\"{text}")),
                "no log message starts with `{text}` any more: update ORDER_OUTCOMES"
            );
        }
        for (action, _) in AUDIT_OUTCOMES {
            assert!(
                sources.contains(&format!("\"{action}\"")),
                "no audit action `{action}` any more: update AUDIT_OUTCOMES"
            );
        }
    }

    #[test]
    fn personal_data_never_reaches_the_journal() {
        let secrets = [
            "ada@example.com",
            "4111111111111111",
            "4111 1111 1111 1111",
            "+1 555 0100",
            "Ada Lovelace",
            "12 Analytical Way",
            "123",
            "eyJhbGciOi.secret",
        ];
        let message = format!(
            r#"checkout failed email={} card={} card_number="{}" phone="{}" name="{}" address="{}" cvv={} token={} merchant=gadgets.test (customer wrote {} and {})"#,
            secrets[0],
            secrets[1],
            secrets[2],
            secrets[3],
            secrets[4],
            secrets[5],
            secrets[6],
            secrets[7],
            secrets[0],
            secrets[1],
        );
        let fields = entry_fields(log::Level::Warn, "firmly_checkout::service", &message);
        let datagram = String::from_utf8(encode(&fields)).unwrap();
        for secret in secrets {
            assert!(
                !datagram.contains(secret),
                "`{secret}` reached the journal: {datagram}"
            );
        }
        // The identifiers a fleet needs stay.
        assert_eq!(field(&fields, "FIRMLY_MERCHANT"), Some("gadgets.test"));
        // No field is made from a personal key, and a value that is not an identifier is
        // dropped, not cleaned.
        for (name, _) in &fields {
            for key in PERSONAL_KEYS {
                assert!(!name.contains(&key.to_ascii_uppercase()), "{name}");
            }
        }
        // A quoted value is redacted whole, escaped quotes included.
        assert_eq!(
            scrub(r#"x name="Ada \"The Countess\" Lovelace" merchant=a.test"#),
            "x name=[redacted] merchant=a.test"
        );
        let odd = entry_fields(log::Level::Info, "t", r#"x request_id="ada@example.com""#);
        assert_eq!(field(&odd, "FIRMLY_REQUEST_ID"), None);
        // Short numbers, dates and durations are not mistaken for card numbers.
        assert_eq!(
            scrub("setup began 812 ms after launch on 2026-12-06 status=503"),
            "setup began 812 ms after launch on 2026-12-06 status=503"
        );
        assert_eq!(
            scrub(&"x".repeat(MAX_MESSAGE_BYTES * 2)).len(),
            MAX_MESSAGE_BYTES + '…'.len_utf8()
        );
    }

    #[test]
    fn the_sink_sends_one_datagram_per_record_without_the_plugin_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.socket");
        let server = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
        let sink = JournalLog::new(&path).unwrap();
        // The text as tauri-plugin-log's default format hands it to its targets.
        let text = "[2026-12-06][10:00:00][firmly_checkout::orders::place][INFO] order placed domain=staging.luma.gift order=SBX-7";
        sink.log(
            &log::Record::builder()
                .args(format_args!("{text}"))
                .level(log::Level::Info)
                .target("firmly_checkout::orders::place")
                .build(),
        );
        let mut buf = vec![0u8; 65536];
        let n = server.recv(&mut buf).unwrap();
        let fields = decode(&buf[..n]);
        assert_eq!(
            field(&fields, "MESSAGE"),
            Some("order placed domain=staging.luma.gift order=SBX-7")
        );
        assert_eq!(field(&fields, "FIRMLY_ORDER_OUTCOME"), Some("placed"));
        // A journal that is not there is not an error for the app.
        drop(server);
        sink.log(
            &log::Record::builder()
                .args(format_args!("after"))
                .level(log::Level::Info)
                .build(),
        );
    }

    #[test]
    fn systemd_is_detected_by_its_variables() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(!under_systemd(env(&[])));
        assert!(under_systemd(env(&[("INVOCATION_ID", "4f1c")])));
        assert!(under_systemd(env(&[("JOURNAL_STREAM", "8:12345")])));
        assert!(!under_systemd(env(&[("INVOCATION_ID", " ")])));
        assert!(!stderr_is(None));
        assert!(!stderr_is(Some("0:0")));
    }

    #[test]
    fn text_beyond_ascii_is_scrubbed_without_a_panic() {
        // Multi-byte characters beside every place the scrubber cuts: a key's value, an
        // e-mail address, a digit run, a quoted value, and the length cap.
        let m = "café ñ email=josé@ejemplo.es → señal \"déjà\" pedido №4111 1111 1111 1111 ü";
        let out = scrub(m);
        assert!(!out.contains("josé@ejemplo.es"), "{out}");
        assert!(!out.contains("4111"), "{out}");
        assert!(
            out.contains("café ñ") && out.contains("→ señal") && out.ends_with(" ü"),
            "{out}"
        );
        assert_eq!(
            value_of("a → b=\"ñandú\" c=ü", "b").as_deref(),
            Some("ñandú")
        );
        assert_eq!(value_of("a → c=über", "c").as_deref(), Some("über"));
        let long = "é".repeat(MAX_MESSAGE_BYTES);
        let cut = scrub(&long);
        assert!(cut.len() <= MAX_MESSAGE_BYTES + '…'.len_utf8() && cut.ends_with('…'));
    }
}
