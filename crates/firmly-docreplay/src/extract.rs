//! Finding the JSON samples in the scraped Firmly docs. Used by the fixture generator
//! (`examples/vendor_fixtures.rs`); kept in the library so its rules are unit-tested
//! without the docs.
//!
//! What counts as a sample:
//! * every ` ```json ` fenced block (docs-site front matter `---\nfilename: …\n---` at the
//!   top of a block is a caption, not part of the sample);
//! * ` ```javascript ` fenced blocks whose body (after an optional leading `METHOD /path`
//!   request line) is JSON, or JSON once its `//` comments are removed (the latter are kept
//!   as invalid samples); JavaScript type notation (`"quantity": quantity`) is not a sample;
//! * the JSON body of a curl (`-d`, `--data`, `--data-raw`, `--data-binary`) in a shell block;
//! * in the pages that are not markdown (000, 001, 003, 004), complete JSON documents that
//!   stand outside any fence.
//!
//! Line numbers are 1-based: the opening fence for fenced blocks, the first line of the
//! JSON for curl bodies and unfenced samples.

use serde_json::Value;

/// Where in the docs a sample was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    JsonFence,
    JavascriptFence,
    CurlBody,
    Unfenced,
}

impl Origin {
    pub fn as_str(&self) -> &'static str {
        match self {
            Origin::JsonFence => "json",
            Origin::JavascriptFence => "javascript",
            Origin::CurlBody => "curl",
            Origin::Unfenced => "unfenced",
        }
    }
}

/// One sample as found, before classification.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub file: String,
    pub line: usize,
    pub origin: Origin,
    /// The page (H1) the sample is on.
    pub page: String,
    /// Nearest sub-heading, caption (`*…*`, `**…**`, `> …`) or front-matter filename.
    pub context: Vec<String>,
    /// `METHOD /path` of the page or of the curl the sample belongs to, normalized.
    pub endpoint: Option<String>,
    /// A `METHOD /path` line that opened the block (request examples of the v2 pages).
    pub request_line: Option<String>,
    /// The sample, verbatim (a fence's own indentation removed).
    pub text: String,
}

/// Page titles and endpoints of the non-markdown pages, whose headings did not survive scraping.
fn page_of(file: &str) -> Option<(&'static str, Option<&'static str>)> {
    let prefix = file.get(..3)?;
    Some(match prefix {
        "000" => (
            "Session Transfer (v2)",
            Some("POST /api/v2/domains/{domain}/session/transfer"),
        ),
        "001" => ("Session API overview (v2)", None),
        "003" => ("Get Active Carts (v2)", Some("GET /api/v2/carts/active")),
        "004" => ("Get Cart (v2)", Some("GET /api/v2/domains/{domain}/cart")),
        _ => return None,
    })
}

/// All samples of one docs file, in order of appearance.
pub fn samples(file: &str, text: &str) -> Vec<Found> {
    let lines: Vec<&str> = text.lines().collect();
    let markdown_headings = file.starts_with("002") || file.starts_with("000");
    let (fixed_page, fixed_endpoint) = page_of(file).unwrap_or(("", None));
    let mut out = Vec::new();
    let mut page = fixed_page.to_string();
    let mut page_endpoint: Option<String> = fixed_endpoint.map(str::to_string);
    let mut sub: Option<String> = None;
    let mut caption: Option<(usize, String)> = None;
    let mut curl_endpoint: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            let indent = line.len() - line.trim_start().len();
            let info = info.trim();
            let kind = info.split_whitespace().next().unwrap_or("");
            let json_fence = matches!(kind, "json" | "JSON");
            let (body, end, closed) = fence_body(&lines, i, indent, json_fence);
            match kind {
                "json" | "JSON" => {
                    let (fm, body) = front_matter(&body);
                    let mut context = context_of(&sub, &caption, i);
                    context.extend(fm);
                    out.push(Found {
                        file: file.into(),
                        line: i + 1,
                        origin: Origin::JsonFence,
                        page: page.clone(),
                        context,
                        endpoint: curl_endpoint.clone().or(page_endpoint.clone()),
                        request_line: None,
                        text: trim_block(&body),
                    });
                }
                "javascript" | "js" => {
                    let mut body = body.clone();
                    let mut request_line = None;
                    if let Some(first) = body.iter().position(|l| !l.trim().is_empty()) {
                        if let Some(ep) = http_line(body[first].trim()) {
                            request_line = Some(body[first].trim().to_string());
                            let _ = ep;
                            body.drain(..=first);
                        }
                    }
                    let text = trim_block(&body);
                    if starts_json(&text) && (is_json(&text) || is_json(&strip_comments(&text))) {
                        let endpoint = request_line
                            .as_deref()
                            .and_then(http_line)
                            .or(curl_endpoint.clone())
                            .or(page_endpoint.clone());
                        out.push(Found {
                            file: file.into(),
                            line: i + 1,
                            origin: Origin::JavascriptFence,
                            page: page.clone(),
                            context: context_of(&sub, &caption, i),
                            endpoint,
                            request_line,
                            text,
                        });
                    }
                }
                "" => {
                    // A bare fence holding only `METHOD /path` names the page's endpoint.
                    if page_endpoint.is_none() {
                        if let Some(ep) = body.iter().find_map(|l| http_line(l.trim())) {
                            page_endpoint = Some(ep);
                        }
                    }
                }
                _ => {
                    // Shell blocks: curl request bodies.
                    let joined = body.join("\n");
                    if let Some(ep) = curl_target(&joined) {
                        curl_endpoint = Some(ep);
                    }
                    for (offset, json) in curl_bodies(&joined) {
                        let first_line = i + 2 + joined[..offset].matches('\n').count();
                        out.push(Found {
                            file: file.into(),
                            line: first_line,
                            origin: Origin::CurlBody,
                            page: page.clone(),
                            context: context_of(&sub, &caption, i),
                            endpoint: curl_target(&joined),
                            request_line: None,
                            text: json,
                        });
                    }
                }
            }
            // An unclosed fence (the docs have one) ends at the next page; do not swallow it.
            i = if closed { end + 1 } else { end };
            continue;
        }
        if markdown_headings && line.starts_with("# ") {
            page = line[2..].trim().to_string();
            page_endpoint = None;
            sub = None;
            caption = None;
            curl_endpoint = None;
        } else if markdown_headings
            && (line.starts_with("## ") || line.starts_with("### ") || line.starts_with("#### "))
        {
            sub = Some(line.trim_start_matches('#').trim().to_string());
            caption = None;
            curl_endpoint = None;
        } else if is_caption(t) {
            caption = Some((i, clean_caption(t)));
        } else if page_endpoint.is_none() && markdown_headings {
            if let Some(ep) = http_line(t.trim_matches('`')) {
                page_endpoint = Some(ep);
            }
        }
        if !markdown_headings && starts_unfenced_json(&lines, i) {
            let start_col = unfenced_start(line);
            let rest = lines[i..].join("\n");
            let from = start_col;
            if let Some(len) = balanced_len(&rest[from..]) {
                let doc = &rest[from..from + len];
                if looks_like_document(doc) {
                    let consumed = doc.matches('\n').count();
                    let ctx = previous_text_line(&lines, i, start_col);
                    out.push(Found {
                        file: file.into(),
                        line: i + 1,
                        origin: Origin::Unfenced,
                        page: page.clone(),
                        context: ctx.into_iter().collect(),
                        endpoint: page_endpoint.clone(),
                        request_line: None,
                        text: doc.to_string(),
                    });
                    i += consumed + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// Body lines of the fence opening at `open`, the index of its closing line, and whether it
/// was closed. A block runs to the next fence line; a JSON block that meets a new page
/// (`# `) or an opening fence with an info string first was left unclosed in the docs.
fn fence_body(
    lines: &[&str],
    open: usize,
    indent: usize,
    json_fence: bool,
) -> (Vec<String>, usize, bool) {
    let mut j = open + 1;
    while j < lines.len() {
        let t = lines[j].trim();
        if t.starts_with("```") {
            let closed = t == "```";
            let mut body: Vec<String> = lines[open + 1..j]
                .iter()
                .map(|l| dedent(l, indent))
                .collect();
            if !closed {
                trim_tail(&mut body);
            }
            return (body, j, closed);
        }
        // Only a JSON block can be recognised as unclosed: `# ` is a comment in shell/python.
        if json_fence && lines[j].starts_with("# ") {
            let mut body: Vec<String> = lines[open + 1..j]
                .iter()
                .map(|l| dedent(l, indent))
                .collect();
            trim_tail(&mut body);
            return (body, j, false);
        }
        j += 1;
    }
    let body = lines[open + 1..]
        .iter()
        .map(|l| dedent(l, indent))
        .collect();
    (body, lines.len(), true)
}

fn trim_tail(body: &mut Vec<String>) {
    while body
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim() == "---")
    {
        body.pop();
    }
}

fn dedent(line: &str, indent: usize) -> String {
    let n = line.len() - line.trim_start_matches(' ').len();
    line[n.min(indent)..].to_string()
}

/// Splits docs-site front matter (`---`, `filename: …`, `---`) off a block.
fn front_matter(body: &[String]) -> (Vec<String>, Vec<String>) {
    if body.first().is_some_and(|l| l.trim() == "---") {
        if let Some(end) = body.iter().skip(1).position(|l| l.trim() == "---") {
            let fm = body[1..end + 1]
                .iter()
                .map(|l| l.trim().trim_start_matches("filename:").trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            return (fm, body[end + 2..].to_vec());
        }
    }
    (Vec::new(), body.to_vec())
}

/// The block's text without leading and trailing blank lines.
fn trim_block(body: &[String]) -> String {
    let start = body.iter().position(|l| !l.trim().is_empty());
    let end = body.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => body[s..=e].join("\n"),
        _ => String::new(),
    }
}

fn context_of(sub: &Option<String>, caption: &Option<(usize, String)>, at: usize) -> Vec<String> {
    let mut c = Vec::new();
    if let Some(s) = sub {
        c.push(s.clone());
    }
    if let Some((line, text)) = caption {
        if at.saturating_sub(*line) <= 3 {
            c.push(text.clone());
        }
    }
    c
}

fn is_caption(t: &str) -> bool {
    (t.starts_with('*') && t.ends_with('*') && t.len() > 2) || t.starts_with("> ")
}

fn clean_caption(t: &str) -> String {
    t.trim_start_matches('>')
        .trim()
        .trim_matches('*')
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_string()
}

/// `METHOD /path…` (also `POST|PUT`, absolute URLs, `api/v1/…` without slash), normalized.
pub fn http_line(t: &str) -> Option<String> {
    let t = t.trim_matches('`').trim();
    let t = t
        .strip_prefix("V1:")
        .or_else(|| t.strip_prefix("V2:"))
        .unwrap_or(t)
        .trim();
    let (method, rest) = t.split_once(char::is_whitespace)?;
    let methods: Vec<&str> = method.split('|').collect();
    if !methods
        .iter()
        .all(|m| matches!(*m, "GET" | "POST" | "PUT" | "DELETE" | "PATCH"))
    {
        return None;
    }
    let path = normalize_path(rest.split_whitespace().next()?)?;
    Some(format!("{method} {path}"))
}

/// Path template of a docs URL: host and query dropped, placeholders as `{name}`.
pub fn normalize_path(raw: &str) -> Option<String> {
    let raw = raw.trim_matches(|c| c == '\'' || c == '"' || c == '`');
    let mut p = raw.to_string();
    for host in ["<FIRMLY_URL>", "{{firmly-url}}"] {
        p = p.replace(host, "");
    }
    if let Some(idx) = p.find("://") {
        let after = &p[idx + 3..];
        p = after
            .find('/')
            .map(|s| after[s..].to_string())
            .unwrap_or_default();
    }
    if let Some(q) = p.find('?') {
        p.truncate(q);
    }
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.starts_with("/api/") {
        return None;
    }
    let segs: Vec<String> = p
        .split('/')
        .map(|s| {
            let inner = s
                .trim_start_matches("{{")
                .trim_end_matches("}}")
                .trim_start_matches('{')
                .trim_end_matches('}')
                .trim_start_matches('<')
                .trim_end_matches('>');
            let placeholder = s.starts_with('{') || s.starts_with('<');
            if !placeholder {
                return s.to_string();
            }
            let name = inner.to_ascii_lowercase().replace('-', "_");
            let name = match name.as_str() {
                "merchant_domain" | "domain" => "domain".to_string(),
                other => other.to_string(),
            };
            format!("{{{name}}}")
        })
        .collect();
    let mut out = segs.join("/");
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    Some(out)
}

/// `METHOD /path` of the first curl in a shell block.
fn curl_target(block: &str) -> Option<String> {
    if !block.contains("curl") {
        return None;
    }
    let url = block
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '"')
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))?;
    let path = normalize_path(url)?;
    let mut method = None;
    let words: Vec<&str> = block.split_whitespace().collect();
    for w in words.windows(2) {
        if w[0] == "-X" || w[0] == "--request" {
            method = Some(w[1].trim_matches(|c| c == '\'' || c == '"').to_string());
        }
    }
    let has_body = !curl_bodies(block).is_empty();
    let method = method.unwrap_or_else(|| {
        if has_body {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    Some(format!("{method} {path}"))
}

/// `(byte offset, text)` of every single-quoted JSON body given to curl's data options.
fn curl_bodies(block: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for opt in ["--data-raw", "--data-binary", "--data", "-d"] {
        let mut from = 0;
        while let Some(pos) = block[from..].find(opt) {
            let at = from + pos;
            from = at + opt.len();
            // `--data` must not match inside `--data-raw`; `-d` must be a separate word.
            let next = block[from..].chars().next();
            if !next.is_some_and(char::is_whitespace) {
                continue;
            }
            if at > 0 && !block[..at].ends_with(char::is_whitespace) {
                continue;
            }
            let rest = &block[from..];
            let skip = rest.len() - rest.trim_start().len();
            let rest = rest.trim_start();
            if let Some(inner) = rest.strip_prefix('\'') {
                let first = inner.trim_start();
                if first.starts_with('{') || first.starts_with('[') {
                    if let Some(end) = inner.find('\'') {
                        let lead = inner.len() - first.len();
                        let body = inner[lead..end].trim_end().to_string();
                        out.push((from + skip + 1 + lead, body));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(o, _)| *o);
    out.dedup_by_key(|(o, _)| *o);
    out
}

fn starts_json(t: &str) -> bool {
    let t = t.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

fn is_json(t: &str) -> bool {
    serde_json::from_str::<Value>(t).is_ok()
}

/// Removes `//` comments outside strings (JavaScript-annotated samples).
pub fn strip_comments(t: &str) -> String {
    t.lines()
        .map(|line| {
            let mut in_str = false;
            let mut escaped = false;
            let b = line.as_bytes();
            for k in 0..b.len() {
                let c = b[k];
                if in_str {
                    if escaped {
                        escaped = false;
                    } else if c == b'\\' {
                        escaped = true;
                    } else if c == b'"' {
                        in_str = false;
                    }
                } else if c == b'"' {
                    in_str = true;
                } else if c == b'/' && b.get(k + 1) == Some(&b'/') {
                    return line[..k].trim_end();
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Removes commas that directly precede `}` or `]` (outside strings).
pub fn strip_trailing_commas(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    let mut in_str = false;
    let mut escaped = false;
    for (i, &c) in chars.iter().enumerate() {
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
        } else if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A line that starts a JSON document outside fences: `{`/`[` alone at the line start, or a
/// `{` glued to the end of a curl line (the scraped playground of 004).
fn starts_unfenced_json(lines: &[&str], i: usize) -> bool {
    let t = lines[i].trim_end();
    let next_is_key = lines
        .get(i + 1)
        .map(|l| l.trim_start())
        .is_some_and(|l| l.starts_with('"') || l.starts_with('{') || l.starts_with('['));
    if t.trim_start() == "{" || t.trim_start() == "[" {
        return next_is_key;
    }
    t.ends_with("'{") && next_is_key
}

fn unfenced_start(line: &str) -> usize {
    if line.trim_end().ends_with("'{") {
        line.trim_end().len() - 1
    } else {
        line.len() - line.trim_start().len()
    }
}

/// Length in bytes of the balanced `{…}` / `[…]` at the start of `s` (string-aware).
pub fn balanced_len(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A JSON document rather than prose in braces: a key follows the first brace.
fn looks_like_document(doc: &str) -> bool {
    let inner = doc[1..].trim_start();
    inner.starts_with('"') || inner.starts_with('{') || inner.starts_with('[')
}

/// Nearest non-empty prose line above an unfenced sample (e.g. `Response Example`,
/// `400 Bad Request`); the curl line itself when the JSON is glued to it.
fn previous_text_line(lines: &[&str], i: usize, start_col: usize) -> Option<String> {
    if start_col > 0 && lines[i].trim_end().ends_with("'{") {
        return Some("API playground example".into());
    }
    (0..i)
        .rev()
        .map(|k| lines[k].trim())
        .find(|l| !l.is_empty())
        .and_then(|l| {
            if l.starts_with('}') || l.starts_with("--") || l.starts_with("curl") || l.len() > 80 {
                if l.starts_with("--") || l.starts_with("curl") {
                    Some("API playground example".into())
                } else {
                    None
                }
            } else {
                Some(l.to_string())
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_front_matter_js_and_curl() {
        let doc = "# Get Thing\n\n## HTTP Request\n\n`GET /api/v1/domains/{{merchant-domain}}/thing`\n\n\
## Sample Response\n\n```json\n---\nfilename: Example\n---\n{\"a\": 1}\n```\n\n\
**Request:**\n```javascript\nPOST /api/v2/domains/example.com/cart/addons\n\n{\"selections\": []}\n```\n\n\
```javascript\n{\"x\": 1 // note\n}\n```\n\n```javascript\n{\"q\": quantity}\n```\n\n\
```bash\ncurl -X POST 'https://api.firmly.work/api/v1/domains/x.com/cart/shipping-info' \\\n  --data-raw '{\n  \"email\": \"a\"\n}'\n```\n";
        let s = samples("002_x.txt", doc);
        assert_eq!(s.len(), 4, "{s:#?}");
        assert_eq!(s[0].line, 9);
        assert_eq!(s[0].text, "{\"a\": 1}");
        assert_eq!(s[0].context, vec!["Sample Response", "Example"]);
        assert_eq!(
            s[0].endpoint.as_deref(),
            Some("GET /api/v1/domains/{domain}/thing")
        );
        assert_eq!(s[1].origin, Origin::JavascriptFence);
        assert_eq!(
            s[1].request_line.as_deref(),
            Some("POST /api/v2/domains/example.com/cart/addons")
        );
        assert_eq!(s[1].text, "{\"selections\": []}");
        assert_eq!(s[2].text, "{\"x\": 1 // note\n}");
        assert_eq!(s[3].origin, Origin::CurlBody);
        assert_eq!(s[3].line, 34);
        assert_eq!(
            s[3].endpoint.as_deref(),
            Some("POST /api/v1/domains/x.com/cart/shipping-info")
        );
        assert!(s[3].text.starts_with('{') && s[3].text.ends_with('}'));
    }

    #[test]
    fn unclosed_fence_ends_at_next_page() {
        let doc = "# A\n\n```json\n{\"a\": 1}\n\n---\n\n# B\n\n```json\n{\"b\": 2}\n```\n";
        let s = samples("002_x.txt", doc);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "{\"a\": 1}");
        assert_eq!(s[1].page, "B");
    }

    #[test]
    fn unfenced_documents_of_scraped_pages() {
        let doc = "GET\ncurl --request GET \\\n--header 'Authorization: Bearer <token>'{\n\"a\": [1,\n2],\n}\nText {not json}\n400 Bad Request\n{\n\"code\": 400\n}\n";
        let s = samples("004_x.txt", doc);
        assert_eq!(s.len(), 2, "{s:#?}");
        assert_eq!(s[0].line, 3);
        assert_eq!(s[0].text, "{\n\"a\": [1,\n2],\n}");
        assert_eq!(s[1].line, 9);
        assert_eq!(s[1].context, vec!["400 Bad Request"]);
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(
            http_line("`POST|PUT /api/v2/domains/{domain}/cart/addons`").as_deref(),
            Some("POST|PUT /api/v2/domains/{domain}/cart/addons")
        );
        assert_eq!(
            normalize_path(
                "https://status.firmly.work/api/v1/domains/{{merchant-domain}}?id={{id}}"
            )
            .as_deref(),
            Some("/api/v1/domains/{domain}")
        );
        assert_eq!(
            normalize_path("api/v1/domains/{{merchant-domain}}/cart/promo-codes").as_deref(),
            Some("/api/v1/domains/{domain}/cart/promo-codes")
        );
        assert_eq!(strip_trailing_commas("{\"a\": [1,],}"), "{\"a\": [1]}");
        assert_eq!(
            strip_comments("{\"u\": \"http://x\" // c\n}"),
            "{\"u\": \"http://x\"\n}"
        );
    }
}
