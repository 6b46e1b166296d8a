//! Figures 4 and 5, in process against an in-process sandbox on 127.0.0.1:0:
//!
//! * **fan-out**: the service's `hive()` over 20 merchants whose cart reads are each delayed
//!   100 ms by a sandbox fault rule, against ONE such delayed read with a bare client (and the
//!   20 reads one after another, for scale). The desk is built through `Desk::start`.
//! * **client overhead**: N cart reads through `FirmlyClient::cart_shared` (the desk's read
//!   path: decoded, or the kept cart when the answer is byte-identical) against the same reads
//!   with a bare `reqwest` GET (same headers, body read, not decoded). `FirmlyClient::cart`
//!   (an owned copy) is reported beside it.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use firmly_api::{ClientConfig, FirmlyClient, MemorySessionStore};
use firmly_checkout::launch::{LaunchConfig, LiveTarget, SANDBOX_APP_ID};
use firmly_checkout::{
    Desk, DeskFiles, DeskOptions, JsonFileStore, Mode, NoEvents, Persistence, Settings,
    HIVE_CONCURRENCY,
};
use serde_json::json;

use crate::figure::{mean, median, percentile, r3, r3s, scratch, Figure};

pub const SHOPS: usize = 20;
pub const DELAY_MS: u64 = 100;

fn shop(n: usize) -> String {
    format!("shop-{n:02}.test")
}

fn tote(n: usize) -> String {
    format!("S{n:02}-CANVAS-TOTE")
}

/// A typed client with its own device session on `base`.
pub fn typed_client(base: &str) -> Result<FirmlyClient, String> {
    let url = url::Url::parse(base).map_err(|e| e.to_string())?;
    FirmlyClient::new(
        ClientConfig::same_host(url, SANDBOX_APP_ID),
        Arc::new(MemorySessionStore::new()),
    )
    .map_err(|e| e.message)
}

/// A bare HTTP client built like the typed client's transport (firmly-api
/// `client/http.rs`: a connect timeout; the total timeout and the user agent go on each
/// request, see [`bare_cart`]), nothing else.
static USER_AGENT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(firmly_api::client::default_user_agent);

pub fn bare_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(firmly_api::client::MAX_CONNECT_TIMEOUT)
        .build()
        .map_err(|e| e.to_string())
}

/// GET a v2 cart exactly as the typed client sends it (headers, trailing slash); reads the
/// body without decoding it. Returns the body length.
pub async fn bare_cart(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    domain: &str,
) -> Result<usize, String> {
    let r = http
        .get(format!("{base}/api/v2/domains/{domain}/cart/"))
        .timeout(firmly_api::client::DEFAULT_TIMEOUT)
        .header(reqwest::header::USER_AGENT, USER_AGENT.as_str())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::ACCEPT, "application/json")
        .header("x-firmly-authorization", token)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("GET cart {domain}: {status}"));
    }
    Ok(body.len())
}

async fn admin_post(base: &str, path: &str, body: serde_json::Value) -> Result<(), String> {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status().is_success() {
        Ok(())
    } else {
        Err(format!("{path}: {}", r.status()))
    }
}

async fn token_of(client: &FirmlyClient) -> Result<String, String> {
    Ok(client
        .ensure_session()
        .await
        .map_err(|e| e.message)?
        .access_token)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(out: &Path, runs: usize, reads: usize) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        fanout(out, runs).await?.write(out)?;
        client_overhead(reads).await?.write(out)
    })
}

async fn fanout(out: &Path, runs: usize) -> Result<Figure, String> {
    let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
        .await
        .map_err(|e| e.to_string())?;
    let base = sandbox.base_url();
    let url = url::Url::parse(&base).map_err(|e| e.to_string())?;
    let dir = scratch(out, "fanout")?;
    let shops: Vec<String> = (1..=SHOPS).map(shop).collect();
    let launch = LaunchConfig {
        mode: Mode::Demo,
        data_dir: Some(dir.clone()),
        sandbox_port: 0,
        live: Some(LiveTarget {
            app_id: SANDBOX_APP_ID.into(),
            api_base: url.clone(),
            vault_base: url.clone(),
            status_base: Some(url),
        }),
        idle_seconds: 120,
        language: firmly_checkout::Language::En,
        merchants: firmly_checkout::Domain::parse_all(shops.iter().map(String::as_str)),
        locked: Vec::new(),
        policy_file: None,
        settings: Settings::default(),
        kiosk: firmly_checkout::launch::KioskPolicy::default(),
    };
    let desk = start_desk(launch, &dir).await?;
    let service = desk.service();
    // A real cart at every merchant, for the desk's device and for the baseline client's.
    let typed = typed_client(&base)?;
    for n in 1..=SHOPS {
        service
            .add_item(
                &firmly_checkout::Domain::parse(&shop(n)).map_err(|e| e.message)?,
                &tote(n),
                1,
            )
            .await
            .map_err(|e| format!("add to {}: {}", shop(n), e.message))?;
        typed
            .add_line_item(&shop(n), &tote(n), 1, false)
            .await
            .map_err(|e| e.message)?;
    }
    let token = token_of(&typed).await?;
    let http = bare_client()?;
    // Warm the connection pools before any delay applies.
    for _ in 0..2 {
        service.hive().await.map_err(|e| e.message)?;
        bare_cart(&http, &base, &token, &shop(1)).await?;
    }
    let rules: Vec<_> = (1..=SHOPS)
        .map(|n| {
            json!({"match": {"method": "GET", "path_contains": format!("/api/v2/domains/{}/cart", shop(n))},
                   "delay_ms": DELAY_MS})
        })
        .collect();
    admin_post(&base, "/__sandbox/faults", json!(rules)).await?;
    // One untimed round with the delays in force.
    service.hive().await.map_err(|e| e.message)?;
    bare_cart(&http, &base, &token, &shop(1)).await?;

    let (mut one, mut hive) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let measure_one = async {
            let t = Instant::now();
            bare_cart(&http, &base, &token, &shop(1)).await?;
            Ok::<f64, String>(ms(t.elapsed()))
        };
        let measure_hive = async {
            let t = Instant::now();
            let h = service.hive().await.map_err(|e| e.message)?;
            let elapsed = ms(t.elapsed());
            let loaded = h
                .carts
                .iter()
                .filter(|c| c.item_count > 0 && shops.contains(&c.domain))
                .count();
            if loaded != SHOPS {
                return Err(format!("hive loaded {loaded} of {SHOPS} carts"));
            }
            Ok::<f64, String>(elapsed)
        };
        if i % 2 == 0 {
            one.push(measure_one.await?);
            hive.push(measure_hive.await?);
        } else {
            hive.push(measure_hive.await?);
            one.push(measure_one.await?);
        }
    }
    let mut sequential = Vec::new();
    for _ in 0..runs.clamp(1, 3) {
        let t = Instant::now();
        for n in 1..=SHOPS {
            bare_cart(&http, &base, &token, &shop(n)).await?;
        }
        sequential.push(ms(t.elapsed()));
    }
    sandbox.shutdown().await;
    let (h, o, s) = (median(&hive), median(&one), median(&sequential));
    Ok(Figure {
        id: "fanout".into(),
        title: format!("Fan-out: hive() over {SHOPS} merchants, each read delayed {DELAY_MS} ms"),
        value_label: format!("median ms of Desk::start → service.hive() ({SHOPS} carts)"),
        value: r3(h),
        unit: "ms".into(),
        baseline_label: "median ms of ONE delayed cart read (bare reqwest GET)".into(),
        baseline: r3(o),
        ratio: r3(h / o),
        target: "ratio ≤ 1.2".into(),
        met: Some(h / o <= 1.2),
        runs,
        details: json!({
            "hive_ms": r3s(&hive),
            "one_read_ms": r3s(&one),
            "sequential_ms": r3s(&sequential),
            "sequential_median_ms": r3(s),
            "sequential_ratio_to_one": r3(s / o),
            "hive_ratio_to_sequential": r3(h / s),
            "delay_ms": DELAY_MS,
            "merchants": SHOPS,
            "hive_concurrency": HIVE_CONCURRENCY,
        }),
    })
}

async fn client_overhead(reads: usize) -> Result<Figure, String> {
    let sandbox = firmly_sandbox::start(firmly_sandbox::SandboxConfig::default())
        .await
        .map_err(|e| e.to_string())?;
    let base = sandbox.base_url();
    let domain = "staging.luma.gift";
    let typed = typed_client(&base)?;
    for v in ["MH07-M-Black", "WS12-M-Blue", "MT07-M-Gray", "24-MB02"] {
        typed
            .add_line_item(domain, v, 1, false)
            .await
            .map_err(|e| e.message)?;
    }
    let token = token_of(&typed).await?;
    let http = bare_client()?;
    let mut bytes = 0;
    for _ in 0..50 {
        typed.cart_shared(domain).await.map_err(|e| e.message)?;
        bytes = bare_cart(&http, &base, &token, domain).await?;
    }
    let rounds = 10;
    let per = reads.div_ceil(rounds).max(1);
    let (mut t_typed, mut t_bare, mut t_raw) = (Vec::new(), Vec::new(), Vec::new());
    let mut t_owned = Vec::new();
    let (mut sum_typed, mut sum_bare) = (0.0, 0.0);
    for r in 0..rounds {
        for pass in 0..2 {
            let typed_first = r % 2 == 0;
            if (pass == 0) == typed_first {
                let start = Instant::now();
                for _ in 0..per {
                    let t = Instant::now();
                    typed.cart_shared(domain).await.map_err(|e| e.message)?;
                    t_typed.push(t.elapsed().as_secs_f64() * 1e6);
                }
                sum_typed += ms(start.elapsed());
            } else {
                let start = Instant::now();
                for _ in 0..per {
                    let t = Instant::now();
                    bare_cart(&http, &base, &token, domain).await?;
                    t_bare.push(t.elapsed().as_secs_f64() * 1e6);
                }
                sum_bare += ms(start.elapsed());
            }
        }
        // The owned copy (`cart`), for comparison.
        for _ in 0..per / 5 {
            let t = Instant::now();
            std::hint::black_box(typed.cart(domain).await.map_err(|e| e.message)?);
            t_owned.push(t.elapsed().as_secs_f64() * 1e6);
        }
        // The same client without the cart decode (execute + JSON parse only), for the split.
        for _ in 0..per / 5 {
            let t = Instant::now();
            typed
                .raw(&firmly_api::requests::cart(domain))
                .await
                .map_err(|e| e.message)?;
            t_raw.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    // Evidence for the cause: the decode alone, on the same body, two ways.
    let body = {
        let r = http
            .get(format!("{base}/api/v2/domains/{domain}/cart/"))
            .header("x-firmly-authorization", &token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        r.bytes().await.map_err(|e| e.to_string())?
    };
    let n_dec = 500;
    let t = Instant::now();
    for _ in 0..n_dec {
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        std::hint::black_box(firmly_api::decode_cart(v).map_err(|e| e.message)?);
    }
    let decode_via_value_us = t.elapsed().as_secs_f64() * 1e6 / n_dec as f64;
    let t = Instant::now();
    for _ in 0..n_dec {
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        std::hint::black_box(v);
    }
    let parse_value_only_us = t.elapsed().as_secs_f64() * 1e6 / n_dec as f64;
    let t = Instant::now();
    for _ in 0..n_dec {
        let c: firmly_api::CartV2 = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        std::hint::black_box(c);
    }
    let decode_direct_us = t.elapsed().as_secs_f64() * 1e6 / n_dec as f64;
    sandbox.shutdown().await;
    let n = rounds * per;
    let ratio = sum_typed / sum_bare;
    let (mt, mb) = (median(&t_typed), median(&t_bare));
    Ok(Figure {
        id: "client".into(),
        title: format!("Client overhead: {n} cart reads, typed client vs bare reqwest"),
        value_label: format!("total ms of {n} FirmlyClient::cart_shared reads (decoded or kept)"),
        value: r3(sum_typed),
        unit: "ms".into(),
        baseline_label: format!(
            "total ms of the same {n} reads with bare reqwest (body read, not decoded)"
        ),
        baseline: r3(sum_bare),
        ratio: r3(ratio),
        target: "ratio ≤ 1.05".into(),
        met: Some(ratio <= 1.05),
        runs: n,
        details: json!({
            "cart_bytes": bytes,
            "typed_median_us": r3(mt),
            "bare_median_us": r3(mb),
            "typed_raw_value_median_us": r3(median(&t_raw)),
            "owned_copy_cart_median_us": r3(median(&t_owned)),
            "typed_p99_us": r3(percentile(&t_typed, 99.0)),
            "bare_p99_us": r3(percentile(&t_bare, 99.0)),
            "typed_mean_us": r3(mean(&t_typed)),
            "bare_mean_us": r3(mean(&t_bare)),
            "extra_per_read_us": r3((sum_typed - sum_bare) * 1000.0 / n as f64),
            "decode_bytes_to_value_to_cart_us": r3(decode_via_value_us),
            "parse_to_value_only_us": r3(parse_value_only_us),
            "decode_bytes_to_cart_direct_us": r3(decode_direct_us),
            "rounds": rounds,
        }),
    })
}

/// The desk as the app starts it (demo mode, embedded sandbox, store and journal on disk),
/// `Desk::start` as the app does it: its settings in a JSON file store in `dir`, no UI.
pub(crate) async fn start_desk(launch: LaunchConfig, dir: &Path) -> Result<Arc<Desk>, String> {
    let store_file = dir.join("desk.json");
    let store = JsonFileStore::open(&store_file).map_err(|e| e.to_string())?;
    Desk::start(
        launch,
        Persistence::new(Arc::new(store)),
        Arc::new(NoEvents),
        DeskFiles {
            data_dir: Some(dir.to_path_buf()),
            store_file: Some(store_file),
        },
        DeskOptions::default(),
    )
    .await
    .map_err(|e| e.to_string())
}

/// cold: ms of `Desk::start`, of the first `hive()` (what the UI's boot waits for: a new
/// device session, the active carts, every merchant's cart) and of a second, warm one.
pub async fn cold_desk(dir: &Path) -> Result<(f64, f64, f64), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let d = dir.display().to_string();
    let launch = LaunchConfig::resolve(
        |k| match k {
            "FIRMLY_DESK_MODE" => Some("demo".to_string()),
            "FIRMLY_DESK_DATA_DIR" => Some(d.clone()),
            "FIRMLY_DESK_SANDBOX_PORT" => Some("0".to_string()),
            _ => None,
        },
        &Settings::default(),
    )
    .map_err(|e| e.to_string())?;
    let t = Instant::now();
    let desk = start_desk(launch, dir).await?;
    let start = t.elapsed().as_secs_f64() * 1000.0;
    let service = desk.service();
    let t = Instant::now();
    service.hive().await.map_err(|e| e.message)?;
    let first = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    service.hive().await.map_err(|e| e.message)?;
    let second = t.elapsed().as_secs_f64() * 1000.0;
    drop(desk);
    Ok((start, first, second))
}
