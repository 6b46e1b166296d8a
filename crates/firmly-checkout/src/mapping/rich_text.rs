//! A merchant's rich text (a consent's `text` with `rich_text: true`, ENDPOINTS.md §2.7: "text
//! may contain HTML links") made safe to show: plain runs and links, nothing else. Every other
//! tag is dropped (its text kept), entities are decoded, and a link survives only with an
//! `https` address (an `http` one only on loopback, for the local sandbox) — never
//! `javascript:`, `data:` or a relative path. The UI renders the parts as text and asks the
//! backend to open a link; it never sets HTML.

use serde::{Deserialize, Serialize};
use specta::Type;

/// One run of a rich text: plain, or a link to show and open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TextPart {
    pub text: String,
    /// The address a link opens (checked: https only).
    pub link: Option<String>,
}

/// Longest rich text read (a consent is a sentence or two).
const MAX_CHARS: usize = 4000;

/// A link address the desk will open, if it is one.
pub fn safe_link(href: &str) -> Option<String> {
    let url = url::Url::parse(decode_entities(href.trim()).trim()).ok()?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    let ok = match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => loopback,
        _ => false,
    };
    (ok && url.username().is_empty() && url.password().is_none()).then(|| url.to_string())
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let (entity, after) = match end {
            Some(e) => (&tail[1..e], &tail[e + 1..]),
            None => {
                out.push('&');
                rest = &tail[1..];
                continue;
            }
        };
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse::<u32>().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) if !c.is_control() => {
                out.push(c);
                rest = after;
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `href` of an opening `<a …>` tag's attributes, if any.
fn href_of(attrs: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let at = lower.find("href")?;
    let after = attrs[at + 4..].trim_start().strip_prefix('=')?.trim_start();
    let (quote, body) = match after.chars().next()? {
        q @ ('"' | '\'') => (Some(q), &after[1..]),
        _ => (None, after),
    };
    let end = match quote {
        Some(q) => body.find(q)?,
        None => body.find(|c: char| c.is_whitespace()).unwrap_or(body.len()),
    };
    Some(body[..end].to_string())
}

fn push(parts: &mut Vec<TextPart>, text: &str, link: Option<&String>) {
    let text = decode_entities(text);
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(last) if last.link.as_ref() == link => last.text.push_str(&text),
        _ => parts.push(TextPart {
            text,
            link: link.cloned(),
        }),
    }
}

/// The parts of a rich text; a plain text is one part.
pub fn rich_parts(text: &str, rich: bool) -> Vec<TextPart> {
    let text: String = text.chars().take(MAX_CHARS).collect();
    if !rich {
        return vec![TextPart { text, link: None }];
    }
    let mut parts = Vec::new();
    let mut link: Option<String> = None;
    let mut rest = text.as_str();
    while let Some(open) = rest.find('<') {
        push(&mut parts, &rest[..open], link.as_ref());
        let tail = &rest[open..];
        let Some(close) = tail.find('>') else {
            // A lone `<` is text.
            push(&mut parts, tail, link.as_ref());
            rest = "";
            break;
        };
        let tag = tail[1..close].trim();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "a" {
            link = if tag.starts_with('/') {
                None
            } else {
                href_of(&tag[1..]).and_then(|h| safe_link(&h))
            };
        } else if name == "br" || name == "p" && tag.starts_with('/') {
            push(&mut parts, " ", link.as_ref());
        }
        rest = &tail[close + 1..];
    }
    push(&mut parts, rest, link.as_ref());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, link: Option<&str>) -> TextPart {
        TextPart {
            text: text.into(),
            link: link.map(String::from),
        }
    }

    #[test]
    fn a_consent_keeps_its_links_and_loses_everything_else() {
        let parts = rich_parts(
            r#"I agree to the <b>Luma</b> Store <a href="https://staging.luma.gift/terms">terms &amp; conditions</a>."#,
            true,
        );
        assert_eq!(
            parts,
            vec![
                p("I agree to the Luma Store ", None),
                p(
                    "terms & conditions",
                    Some("https://staging.luma.gift/terms")
                ),
                p(".", None),
            ]
        );
    }

    #[test]
    fn only_https_links_survive() {
        for bad in [
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href="data:text/html,hi">x</a>"#,
            r#"<a href="/terms">x</a>"#,
            r#"<a href="http://evil.example/">x</a>"#,
            r#"<a href="https://user:pw@evil.example/">x</a>"#,
            r#"<a onclick="steal()">x</a>"#,
        ] {
            assert_eq!(rich_parts(bad, true), vec![p("x", None)], "{bad}");
        }
        assert_eq!(
            rich_parts("<a href='http://127.0.0.1:9/t'>t</a>", true),
            vec![p("t", Some("http://127.0.0.1:9/t"))]
        );
    }

    #[test]
    fn broken_markup_is_text_and_plain_text_is_untouched() {
        assert_eq!(rich_parts("a < b", true), vec![p("a < b", None)]);
        assert_eq!(rich_parts("<a href=x", true), vec![p("<a href=x", None)]);
        assert_eq!(
            rich_parts("x &bogus; &#0; é", true),
            vec![p("x &bogus; &#0; é", None)]
        );
        assert_eq!(
            rich_parts("<b>bold</b>", false),
            vec![p("<b>bold</b>", None)]
        );
        assert!(rich_parts(&"a".repeat(10_000), true)[0].text.len() <= MAX_CHARS);
    }
}
